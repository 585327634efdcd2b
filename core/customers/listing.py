"""The customer list of the desk and its CSV export: search and filters (name, phone, grade, tag, kind, level,
problem customers, unverified records), keyset pages in name order, capped counts. A protected record matches
its details only for accounts cleared for its level; everyone else finds it by name alone."""
import base64
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select, tuple_

from core.customers.access import details_open_to, live_customers, matching
from core.extensions import db
from core.models import CONFIDENTIALITY, Customer, Tag, customer_tags

PAGE_SIZE = 50
COUNT_CAP = 1000
FILTER_KEYS = ("q", "grade", "tag", "kind", "level", "problem", "unverified")


class ListError(ValueError):
    pass


@dataclass
class Page:
    customers: list
    next_cursor: str | None
    count: int
    count_capped: bool


def filtered(user, filters):
    """A SELECT of the live records matching `filters` (a dict of strings) for `user`."""
    query = live_customers()
    term = (filters.get("q") or "").strip()
    if term:
        # A search reads every row anyway; in an unindexed form the "not merged" test lets the database scan
        # the table in order, several times faster than walking the list's index with a lookup per row.
        query = select(Customer).where(func.coalesce(Customer.merged_into_id, 0) == 0, matching(user, term))
    if filters.get("kind"):
        query = query.where(Customer.kind == filters["kind"])
    if filters.get("level"):
        if filters["level"] not in CONFIDENTIALITY:
            raise ListError(_("Unknown confidentiality level."))
        query = query.where(Customer.confidentiality == filters["level"])
    details = []
    if filters.get("grade"):
        details.append(Customer.grade == filters["grade"])
    if filters.get("tag"):
        details.append(Customer.id.in_(select(customer_tags.c.customer_id).join(Tag)
                                       .where(Tag.name == filters["tag"].strip())))
    if filters.get("problem"):
        details.append(Customer.problem.is_(True))
    if filters.get("unverified"):
        details.append(Customer.verified.is_(False))
    if details:
        query = query.where(details_open_to(user), *details)
    return query


def _encode(name, ident):
    return base64.urlsafe_b64encode(f"{ident}|{name}".encode()).decode().rstrip("=")


def _decode(cursor):
    try:
        ident, name = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode().split("|", 1)
        return name, int(ident)
    except (ValueError, UnicodeDecodeError):
        raise ListError(_("This page link is no longer valid; start from the first page.")) from None


def page(user, filters, cursor=None, limit=PAGE_SIZE):
    query = filtered(user, filters)
    limited = query.with_only_columns(Customer.id).order_by(None).limit(COUNT_CAP + 1).subquery()
    count = db.session.scalar(select(func.count()).select_from(limited))
    if cursor:
        query = query.where(tuple_(Customer.name, Customer.id) > _decode(cursor))
    rows = db.session.scalars(query.order_by(Customer.name, Customer.id).limit(limit + 1)).all()
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        next_cursor = _encode(rows[-1].name, rows[-1].id)
    return Page(rows, next_cursor, min(count, COUNT_CAP), count > COUNT_CAP)
