"""A ticket's timeline: its events (and those of tickets merged into it) with the people and files they
name, loaded in a fixed number of queries whatever the length."""
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from core.extensions import db
from core.models import Attachment, TicketEvent, User
from core.tickets.relations import merged_ids

REQUESTS = ("reassign_requested", "approval_requested")  # their data names the assignee asked for


@dataclass
class Entry:
    event: TicketEvent
    files: list = field(default_factory=list)
    people: dict = field(default_factory=dict)  # user id → User, for ids inside event.data


def _referenced_user_ids(events):
    ids = set()
    for event in events:
        data = event.data or {}
        for key in ("from", "to") if event.kind == "assign" else ("to",) if event.kind in REQUESTS else ():
            if isinstance(data.get(key), int):
                ids.add(data[key])
        if event.kind == "escalate":
            ids.update(data.get("to") or [])
    return ids


def timeline(ticket, staff):
    """Entries oldest first; customers (staff=False) see public events only."""
    # Staff see what was merged into the ticket too; a customer only the ticket's own events, since a merged
    # duplicate may have come from another customer.
    ids = merged_ids(ticket) if staff else [ticket.id]
    query = (select(TicketEvent).where(TicketEvent.ticket_id.in_(ids)).options(selectinload(TicketEvent.actor))
             .order_by(TicketEvent.created_at, TicketEvent.id))
    if not staff:
        query = query.where(TicketEvent.public.is_(True))
    events = db.session.scalars(query).all()
    attachments = db.session.scalars(select(Attachment).where(Attachment.ticket_id.in_(ids))
                                     .order_by(Attachment.id)).all()
    shown = {event.id for event in events}
    by_event = {}
    loose = []
    for row in attachments:
        if row.event_id is not None and row.event_id not in shown:
            continue  # a file on an internal note stays internal
        (by_event.setdefault(row.event_id, []) if row.event_id else loose).append(row)
    user_ids = _referenced_user_ids(events)
    people = {user.id: user for user in db.session.scalars(select(User).where(User.id.in_(user_ids)))} if user_ids else {}
    entries = [Entry(event, by_event.get(event.id, []), people) for event in events]
    if entries and loose:
        entries[0].files.extend(loose)  # files given when the ticket was created
    return entries
