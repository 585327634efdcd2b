"""The search outbox: which objects' index documents must be written again, recorded in the transaction
that changes them, so that an index update is never lost and never half-written.

Every path that changes indexed data goes through the ORM session (the desk, the portal, the API, the
admin panel, plugins, the demo data), so a session hook records it: tickets and their events (replies,
notes, comments, merges, assignments, tags), the customer attributes that documents show, and
knowledge-base articles. Code that writes with bulk SQL instead (``kefu seed``) is followed by
``kefu reindex``. A plugin whose own rows feed a search field calls ``queue_reindex``.
"""
from itertools import chain

from flask import current_app, has_app_context
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from core.extensions import db
from core.models import Customer, KbArticle, SearchOutbox, Ticket, TicketEvent, utcnow
from core.search.documents import CUSTOMER_ATTRIBUTES

QUEUED = "kefu_search_queued"  # session.info flag: this transaction wrote outbox rows
# Ticket attributes that no document shows: a change of only these needs no new document.
UNINDEXED_TICKET_ATTRIBUTES = {"watchers", "events", "first_response_at", "resolved_at", "closed_at",
                               "escalation_level", "version", "requester", "created_by", "assignee", "team",
                               "merged_into", "type"}


def queue(session, kind, object_ids):
    """Add outbox rows for `object_ids` of `kind` (ticket, customer, kb) to `session`'s transaction."""
    ids = sorted({int(i) for i in object_ids if i is not None})
    if ids:
        # On the session's connection, not through the ORM: this also runs while a flush is finishing.
        session.connection().execute(SearchOutbox.__table__.insert(),
                                     [{"kind": kind, "object_id": i, "applied": False, "created_at": utcnow()}
                                      for i in ids])
        session.info[QUEUED] = True
    return len(ids)


def queue_reindex(ticket_ids):
    """Index these tickets again once the current transaction commits (contract C4).

    For a plugin whose own objects feed ``SearchFieldSpec.extract``: call it in the transaction that
    changes them. Nothing is written to the index now; a rolled-back transaction queues nothing."""
    return queue(db.session, "ticket", ticket_ids)


def _changed(obj, attributes):
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in attributes)


_TICKET_ATTRIBUTES = None


def _ticket_attributes():
    global _TICKET_ATTRIBUTES
    if _TICKET_ATTRIBUTES is None:
        _TICKET_ATTRIBUTES = [name for name in inspect(Ticket).attrs.keys() if name not in UNINDEXED_TICKET_ATTRIBUTES]
    return _TICKET_ATTRIBUTES


def changes(session):
    """{kind: ids} of the indexed objects that the flush now being finished inserts, changes or deletes."""
    found = {"ticket": set(), "customer": set(), "kb": set()}
    for obj in chain(session.new, session.deleted):
        if isinstance(obj, Ticket):
            found["ticket"].add(obj.id)
        elif isinstance(obj, TicketEvent):
            found["ticket"].add(obj.ticket_id)
        elif isinstance(obj, KbArticle):
            found["kb"].add(obj.id)
    for obj in session.dirty:
        if isinstance(obj, Ticket) and _changed(obj, _ticket_attributes()):
            found["ticket"].add(obj.id)
        elif isinstance(obj, TicketEvent):
            found["ticket"].add(obj.ticket_id)
        elif isinstance(obj, KbArticle):
            found["kb"].add(obj.id)
        elif isinstance(obj, Customer) and _changed(obj, CUSTOMER_ATTRIBUTES):
            found["customer"].add(obj.id)
    return found


@event.listens_for(Session, "after_flush")
def _record(session, _flush_context):
    for kind, ids in changes(session).items():
        queue(session, kind, ids)


@event.listens_for(Session, "after_commit")
def _committed(session):
    if session.info.pop(QUEUED, False) and has_app_context():
        index = current_app.extensions.get("kefu_search")
        if index is not None:
            index.changed()


@event.listens_for(Session, "after_soft_rollback")
def _rolled_back(session, previous_transaction):
    if not session.in_transaction():
        session.info.pop(QUEUED, None)
