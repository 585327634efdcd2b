"""Ticket changes that are not workflow steps: creation (checked fields, the workflow's first state, the
first event, routing, the plugins told), replies and notes, field edits. All in the caller's transaction."""
import re

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from core.extensions import db
from core.models import (
    CHANNELS,
    PRIORITIES,
    Ticket,
    TicketEvent,
    TicketType,
    User,
    utcnow,
)
from core.notifications import notify
from core.sanitize import clean_html, to_text
from core.tickets.assignment import route
from core.tickets.fields import clean_fields
from core.workflow.spec import ACTIVE_CATEGORIES


class TicketInputError(ValueError):
    """Input that cannot make a ticket; `errors` maps a field name to a message for the user."""

    def __init__(self, errors):
        super().__init__("; ".join(f"{key}: {message}" for key, message in errors.items()))
        self.errors = errors


def create_ticket(*, type_key, title, body="", actor=None, customer=None, requester=None, channel="web",
                  priority="normal", fields=None, team=None, assignee=None, category=None, now=None):
    registry = current_app.extensions["kefu"].registry
    errors = {}
    spec = registry.ticket_types.get(type_key)
    row = db.session.query(TicketType).filter_by(key=type_key, active=True).one_or_none() if spec else None
    if row is None:
        errors["type"] = _("Choose a ticket type.")
    title = (title or "").strip()
    if not title:
        errors["title"] = _("A title is required.")
    elif len(title) > 200:
        errors["title"] = _("The title is longer than 200 characters.")
    if priority not in PRIORITIES:
        errors["priority"] = _("Unknown priority.")
    if channel not in CHANNELS:
        errors["channel"] = _("Unknown channel.")
    values = {}
    if spec is not None:
        values, field_errors = clean_fields(spec.fields, fields or {})
        errors.update(field_errors)
    if errors:
        raise TicketInputError(errors)

    workflow = registry.workflows[spec.workflow]
    initial = workflow.state(workflow.initial)
    now = now or utcnow()
    body = clean_html(body)
    ticket = Ticket(
        type=row, title=title, body=body, status=initial.key, status_category=initial.category,
        active=initial.category in ACTIVE_CATEGORIES,
        priority=priority, channel=channel, category=category or spec.category, fields=values,
        customer=customer, requester=requester, created_by=actor, team=team, assignee=assignee,
        created_at=now, updated_at=now,
    )
    event = TicketEvent(ticket=ticket, kind="created", actor=actor, public=True, body=body,
                        data={"state": initial.key, "channel": channel}, created_at=now)
    db.session.add_all([ticket, event])
    db.session.flush()
    route(ticket, now)
    current_app.extensions["kefu"].pm.hook.kefu_ticket_created(ticket=ticket, event=event)
    return ticket


def add_comment(ticket, *, actor, body, public, now=None):
    """A public reply (the customer sees it) or an internal note. The first public staff reply is the
    first response."""
    body = clean_html(body)
    if not body:
        raise TicketInputError({"body": _("The message is empty.")})
    now = now or utcnow()
    event = TicketEvent(ticket=ticket, kind="reply" if public else "note", actor=actor, public=public,
                        body=body, data={}, created_at=now)
    ticket.updated_at = now
    if public and actor is not None and actor.is_staff and ticket.first_response_at is None:
        ticket.first_response_at = now
    db.session.add(event)
    db.session.flush()
    for user in mentioned_staff(body):
        if user != actor:
            notify(user, "mentioned", ticket, by=getattr(actor, "name", None), event=event.id)
    current_app.extensions["kefu"].pm.hook.kefu_ticket_commented(ticket=ticket, event=event)
    return event


class StaleTicket(Exception):
    """The ticket changed since the editor loaded it; nothing was saved."""


def check_version(ticket, expected_version):
    """Refuse a save based on an older copy (two agents editing the same ticket)."""
    if expected_version is not None and int(expected_version) != ticket.version:
        raise StaleTicket()


EDITABLE = ("title", "priority", "category")


def update_ticket(ticket, *, actor, changes, expected_version=None, now=None):
    """Change the title, priority, category, the type (to one with the same workflow) or the type's own fields;
    one field_change event lists them."""
    check_version(ticket, expected_version)
    registry = current_app.extensions["kefu"].registry
    errors, before, after = {}, {}, {}
    for key in EDITABLE:
        if key in changes and changes[key] != getattr(ticket, key):
            before[key], after[key] = getattr(ticket, key), changes[key]
    if "priority" in after and after["priority"] not in PRIORITIES:
        errors["priority"] = _("Unknown priority.")
    if "title" in after and not (after["title"] or "").strip():
        errors["title"] = _("A title is required.")
    spec = registry.ticket_types[ticket.type.key]
    new_type = None
    if changes.get("type") not in (None, ticket.type.key):
        new_type = db.session.query(TicketType).filter_by(key=changes["type"], active=True).one_or_none()
        new_spec = registry.ticket_types.get(changes["type"])
        if new_type is None or new_spec is None:
            errors["type"] = _("Choose a ticket type.")
        elif new_spec.workflow != spec.workflow:
            errors["type"] = _("A ticket can only move to a type with the same workflow; %(type)s has another "
                               "one. Create a new ticket of that type instead.", type=new_spec.label)
        else:
            before["type"], after["type"], spec = ticket.type.key, new_type.key, new_spec
    fields = dict(ticket.fields or {})
    if "fields" in changes or "type" in after:
        values, field_errors = clean_fields(spec.fields, {**fields, **changes.get("fields", {})})
        errors.update(field_errors)
        if values != fields:
            before["fields"], after["fields"] = fields, values
    if errors:
        raise TicketInputError(errors)
    if not after:
        return None
    for key in EDITABLE:
        if key in after:
            setattr(ticket, key, after[key].strip() if key == "title" else after[key])
    if "type" in after:
        ticket.type = new_type
        if "category" not in after:
            ticket.category = spec.category
    if "fields" in after:
        ticket.fields = after["fields"]
    ticket.updated_at = now or utcnow()
    if "priority" in after or "fields" in after or "type" in after:
        from core.sla.clocks import reevaluate

        reevaluate(ticket, ticket.updated_at)  # another priority, field value or type may match another SLA policy
    event = TicketEvent(ticket=ticket, kind="field_change", actor=actor, public=False,
                        data={"before": before, "after": after}, created_at=ticket.updated_at)
    db.session.add(event)
    db.session.flush()
    return event


MENTION = re.compile(r"@([\w\u4e00-\u9fff.\-]{1,40})")


def mentioned_staff(body):
    """Staff named as @name or @e-mail-local-part in a message (for notifications)."""
    handles = set(MENTION.findall(to_text(body)))
    if not handles:
        return []
    staff = db.session.scalars(select(User).where(User.kind == "staff", User.is_active_account.is_(True))).all()
    return [user for user in staff if user.name in handles or user.email.split("@")[0] in handles]
