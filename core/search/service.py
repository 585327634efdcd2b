"""Searching for a reader: the desk, the portal and the API all call `search`.

The query is parsed and checked (QueryError for the user), the backend finds one page of object ids (the
reader's permissions are part of the index query), and each hit is checked once more against the database
through core.tickets.access: a user never sees a hit they could not open, even while the index lags a
moment behind. Titles and excerpts are escaped text with the matches in <mark>.
"""
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from core.extensions import db
from core.models import KbArticle, Ticket, User
from core.search.backends import IndexUnavailable
from core.search.documents import DOCUMENT_LOADING, article_documents, documents_of, field_text
from core.search.plan import make_plan
from core.search.query import parse
from core.search.snippets import excerpt, highlight
from core.tickets.access import visible_tickets

PER_PAGE = 20
MAX_PER_PAGE = 50
MAX_PAGE = 50  # deeper than 1,000 results a reader narrows the query instead


@dataclass
class Hit:
    kind: str  # "ticket" or "kb"
    object: object  # the Ticket or KbArticle
    title: object  # Markup
    excerpt: object  # Markup or None


@dataclass
class Results:
    hits: list
    total: int
    exact: bool  # False: `total` is an estimate, or more than COUNT_CAP match
    page: int
    per_page: int
    sort: str

    @property
    def has_next(self):
        return self.page < MAX_PAGE and (self.total > self.page * self.per_page
                                         or (not self.exact and len(self.hits) == self.per_page))


def _page_args(page, per_page):
    page = max(1, min(int(page or 1), MAX_PAGE))
    per_page = max(1, min(int(per_page or PER_PAGE), MAX_PER_PAGE))
    return page, per_page


def _queries(parsed):
    """The strings to mark in titles and excerpts."""
    return [item.text for item in parsed.texts] + [value for item in parsed.filters if item.field == "customer"
                                                   for value in item.values]


def _texts(ticket, document, staff):
    """What an excerpt may come from, in order; the plugins' values are read only when nothing before them
    matches (reading them may cost a query)."""
    yield document.public_text
    if staff:
        yield document.internal_text
        yield document.customer_text
        yield field_text(ticket)


def _ticket_hits(ids, user, queries):
    # The assignee's name is shown; their roles are read only if something asks for them.
    loaded = db.session.scalars(visible_tickets(user).where(Ticket.id.in_(ids))
                                .options(*DOCUMENT_LOADING, selectinload(Ticket.assignee).lazyload(User.roles)))
    allowed = {ticket.id: ticket for ticket in loaded}
    shown = [allowed[i] for i in ids if i in allowed]
    return [Hit("ticket", ticket, highlight(document.title, queries),
                excerpt(_texts(ticket, document, user.is_staff), queries))
            for ticket, document in zip(shown, documents_of(shown, with_fields=False), strict=True)]


def _article_hits(ids, user, queries):
    query = select(KbArticle).where(KbArticle.id.in_(ids))
    if not user.is_staff:
        query = query.where(KbArticle.public.is_(True))
    allowed = {article.id: article for article in db.session.scalars(query)}
    documents = {doc.object_id: doc for doc in article_documents([i for i in ids if i in allowed])}
    return [Hit("kb", allowed[i], highlight(documents[i].title, queries), excerpt([documents[i].public_text], queries))
            for i in ids if i in allowed]


def search(user, text, *, scope="ticket", sort=None, page=1, per_page=PER_PAGE):
    """One page of what `user` finds for `text` in `scope` ("ticket" or "kb"), best first (sort
    "relevance") or newest first ("date"). Raises QueryError for a query that cannot be searched, and
    IndexUnavailable while there is no index (see unavailable_message)."""
    page, per_page = _page_args(page, per_page)
    registry = current_app.extensions["kefu"].registry
    parsed = parse(text, registry.search_fields.values())
    plan = make_plan(parsed, user, scope=scope, sort=sort)
    if plan.nothing:
        return Results([], 0, True, page, per_page, plan.sort)
    hits = current_app.extensions["kefu_search"].backend.search(plan, (page - 1) * per_page, per_page)
    make = _ticket_hits if scope == "ticket" else _article_hits
    return Results(make(hits.ids, user, _queries(parsed)), hits.total, hits.exact, page, per_page, plan.sort)


def status():
    """What a reader should know about the index now: None when it answers, else ("rebuilding", done,
    total) or ("missing", 0, 0)."""
    from core.search.indexer import progress

    index = current_app.extensions["kefu_search"].backend
    running = progress()
    if running is not None:
        return ("rebuilding", *running) if not index.exists() else None
    return None if index.exists() else ("missing", 0, 0)


__all__ = ["IndexUnavailable", "Results", "search", "status"]
