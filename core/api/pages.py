"""Keyset pages for the API's lists: an opaque cursor, a capped limit, and the URL of the next page."""
from flask import request, url_for
from flask_babel import gettext as _

from core.api.errors import ApiError
from core.extensions import db
from core.tickets.queues import MAX_PAGE_SIZE, PAGE_SIZE


def next_url(cursor):
    """This request's URL with `cursor` in place of the current one; None when there is no next page."""
    if cursor is None:
        return None
    return url_for(request.endpoint, **{**request.view_args, **request.args.to_dict(flat=False), "cursor": cursor})


def by_id(rows_query, column, query):
    """One page of `rows_query` in `column` (the primary key) order, for the `cursor` and `limit` of the
    loaded `query` parameters: (rows, next cursor or None)."""
    cursor = query.get("cursor")
    if cursor:
        if not cursor.isdigit():
            raise ApiError(400, "bad_request", _("This page link is no longer valid; start from the first page."),
                           "cursor")
        rows_query = rows_query.where(column > int(cursor))
    limit = max(1, min(query.get("limit", PAGE_SIZE), MAX_PAGE_SIZE))
    rows = db.session.scalars(rows_query.order_by(column).limit(limit + 1)).all()
    if len(rows) <= limit:
        return rows, None
    return rows[:limit], str(rows[limit - 1].id)


def body(items, cursor, **extra):
    """What a page schema dumps: the items, the cursor and URL of the next page, and `extra` (counts)."""
    return {"items": items, "next_cursor": cursor, "next": next_url(cursor), **extra}
