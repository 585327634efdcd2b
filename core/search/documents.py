"""What the search indexes: one document per ticket and per knowledge-base article, built from the database.

A ticket's document holds its title and description, its public replies and comments (what its customer
sees), its internal notes and the text of tickets merged into it (staff only), its customer's name and
contacts (``customer_text``), the values plugins declare (``kefu_search_fields``), and the columns that
filters and permissions need. Every backend indexes these same records.
"""
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from core.extensions import db
from core.models import Customer, KbArticle, Ticket, TicketEvent
from core.sanitize import to_text
from core.search.analysis import normalize

# The customer attributes that customer_text reads: a change to one of them re-indexes the customer's
# tickets (core.search.outbox watches these), a change to any other attribute does not.
CUSTOMER_ATTRIBUTES = ("name", "phone", "email", "address", "organisation_id", "confidentiality")


def customer_text(customer):
    """A customer's name and contacts as they are searched (and found with ``customer:``): the one place
    that says what of a customer record is searchable. A protected record (保密) is found by its name only:
    the index is shared by every user, and only the name of such a record is open to all of them."""
    if customer is None:
        return ""
    if customer.protected:
        return customer.name
    parts = [customer.name, customer.phone, customer.email, customer.address]
    if customer.organisation is not None:
        parts.append(customer.organisation.name)
    return "\n".join(part for part in parts if part)


def keyword(value):
    """A value as an exact keyword: NFKC, case-folded, surrounding space removed (``SF123`` = ``ｓｆ１２３``)."""
    return unicodedata.normalize("NFKC", str(value)).casefold().strip()


@dataclass
class Document:
    kind: str  # "ticket" or "kb"
    object_id: int
    title: str
    public_text: str = ""  # besides the title: what the ticket's customer (or a reader of the article) sees
    internal_text: str = ""  # staff only: notes, and tickets merged into this one
    customer_text: str = ""
    fields: dict = field(default_factory=dict)  # plugin search field key -> keywords
    tags: list = field(default_factory=list)
    status: str | None = None
    status_category: str | None = None
    type_id: int | None = None
    priority: str | None = None
    channel: str | None = None
    assignee_id: int | None = None
    team_id: int | None = None
    created_by_id: int | None = None
    requester_id: int | None = None
    customer_id: int | None = None
    category_id: int | None = None
    merged: bool = False
    public: bool = True  # an article customers may read; always true for tickets
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def key(self):
        return (self.kind, self.object_id)

    @property
    def field_text(self):
        return _joined(self.fields)

    @property
    def all_text(self):
        """Everything staff search, in one text."""
        return "\n".join(part for part in (self.title, self.public_text, self.internal_text, self.customer_text,
                                           self.field_text) if part)

    @property
    def norm_all(self):
        return normalize(self.title, self.public_text, self.internal_text, self.customer_text, self.field_text)

    @property
    def norm_public(self):
        return normalize(self.title, self.public_text)

    @property
    def norm_customer(self):
        return normalize(self.customer_text)


def _joined(fields):
    return "\n".join(value for values in fields.values() for value in values)


def _plugin_specs():
    return list(current_app.extensions["kefu"].registry.search_fields.values())


def field_text(ticket):
    """The values plugins declare for `ticket`, one per line (what a document's ``field_text`` holds)."""
    return _joined(_field_values(_plugin_specs(), ticket))


def _field_values(specs, ticket):
    values = {}
    for spec in specs:
        found = spec.extract(ticket)
        found = [found] if isinstance(found, str) else [str(v) for v in (found or ()) if v is not None]
        found = sorted({keyword(v) for v in found if str(v).strip()})
        if found:
            values[spec.key] = found
    return values


def _event_texts(ticket_ids):
    """{ticket id: ([public texts], [internal texts])} of the events with a body, oldest first. The
    "created" event repeats the ticket's description, which is indexed from the ticket itself."""
    texts = {ticket_id: ([], []) for ticket_id in ticket_ids}
    query = (select(TicketEvent.ticket_id, TicketEvent.public, TicketEvent.body)
             .where(TicketEvent.ticket_id.in_(ticket_ids), TicketEvent.body.is_not(None),
                    TicketEvent.kind != "created")
             .order_by(TicketEvent.ticket_id, TicketEvent.id))
    for ticket_id, public, body in db.session.execute(query):
        text = to_text(body)
        if text:
            texts[ticket_id][0 if public else 1].append(text)
    return texts


def _merged_into(ticket_ids):
    """{ticket id: [(id, title, description) of each ticket merged into it, directly or through a chain]}."""
    found = {ticket_id: [] for ticket_id in ticket_ids}
    roots = {ticket_id: ticket_id for ticket_id in ticket_ids}  # the frontier: ticket id -> the ticket it is in
    seen = set()  # against a cycle, which merge() never makes
    while roots:
        rows = db.session.execute(select(Ticket.id, Ticket.merged_into_id, Ticket.title, Ticket.body)
                                  .where(Ticket.merged_into_id.in_(list(roots)))).all()
        rows = [row for row in rows if row.id not in seen]
        seen.update(row.id for row in rows)
        for row in rows:
            found[roots[row.merged_into_id]].append((row.id, row.title, to_text(row.body)))
        roots = {row.id: roots[row.merged_into_id] for row in rows}
    return found


# What a ticket's document reads besides its own columns, to load with the tickets.
DOCUMENT_LOADING = (selectinload(Ticket.customer).selectinload(Customer.organisation), selectinload(Ticket.tags))


def ticket_documents(ticket_ids):
    """Documents of the tickets with these ids that exist, in id order."""
    ids = sorted(set(ticket_ids))
    if not ids:
        return []
    return documents_of(db.session.scalars(select(Ticket).where(Ticket.id.in_(ids)).order_by(Ticket.id)
                                           .options(*DOCUMENT_LOADING)).all())


def documents_of(tickets, with_fields=True):
    """Documents of these loaded tickets (see DOCUMENT_LOADING), in their order. Without `with_fields` the
    plugins' values are left out: reading them may cost a query or two per ticket."""
    merged = _merged_into([ticket.id for ticket in tickets])
    texts = _event_texts([ticket.id for ticket in tickets] + [row[0] for rows in merged.values() for row in rows])
    specs = _plugin_specs() if with_fields else []
    documents = []
    for ticket in tickets:
        public, internal = texts[ticket.id]
        internal = list(internal)
        for child_id, title, description in merged[ticket.id]:
            internal += [title, description, *texts[child_id][0], *texts[child_id][1]]
        documents.append(Document(
            kind="ticket", object_id=ticket.id, title=ticket.title,
            public_text="\n".join(text for text in [to_text(ticket.body), *public] if text),
            internal_text="\n".join(text for text in internal if text),
            customer_text=customer_text(ticket.customer), fields=_field_values(specs, ticket),
            tags=sorted(tag.name for tag in ticket.tags), status=ticket.status,
            status_category=ticket.status_category, type_id=ticket.type_id, priority=ticket.priority,
            channel=ticket.channel, assignee_id=ticket.assignee_id, team_id=ticket.team_id,
            created_by_id=ticket.created_by_id, requester_id=ticket.requester_id, customer_id=ticket.customer_id,
            merged=ticket.merged_into_id is not None, created_at=ticket.created_at, updated_at=ticket.updated_at,
        ))
    return documents


def article_documents(article_ids):
    """Documents of the knowledge-base articles with these ids that exist, in id order."""
    ids = sorted(set(article_ids))
    if not ids:
        return []
    articles = db.session.scalars(select(KbArticle).where(KbArticle.id.in_(ids)).order_by(KbArticle.id)).all()
    return [Document(kind="kb", object_id=article.id, title=article.title, public_text=to_text(article.body),
                     category_id=article.category_id, public=article.public, created_at=article.created_at,
                     updated_at=article.updated_at)
            for article in articles]


BUILDERS = {"ticket": ticket_documents, "kb": article_documents}


def documents(kind, object_ids):
    return BUILDERS[kind](object_ids)
