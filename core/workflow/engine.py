"""The only way a ticket changes state: checks the transition, the actor's permission and what the
transition requires, records a TicketEvent and tells the plugins. The caller commits."""
from flask import current_app
from flask_babel import gettext as _

from core.extensions import db
from core.models import TicketEvent, utcnow
from core.sanitize import clean_html
from core.workflow.spec import ACTIVE_CATEGORIES


class TransitionError(Exception):
    """Refused transition. `allowed` lists the transition keys possible from the current state."""

    def __init__(self, message, allowed=(), code="conflict"):
        super().__init__(message)
        self.allowed = list(allowed)
        self.code = code


def workflow_of(ticket):
    return current_app.extensions["kefu"].registry.workflow_for(ticket.type.key)


def available_transitions(ticket, user):
    """Transitions from the ticket's state that `user` may take."""
    return [t for t in workflow_of(ticket).transitions_from(ticket.status) if user is None or user.can(t.permission)]


def transition(ticket, key, *, actor, comment="", assignee=None, now=None):
    workflow = workflow_of(ticket)
    possible = workflow.transitions_from(ticket.status)
    chosen = next((t for t in possible if t.key == key or t.target == key), None)
    if chosen is None:
        raise TransitionError(_("This step is not possible from the current state."), [t.key for t in possible])
    if actor is not None and not actor.can(chosen.permission):
        raise TransitionError(_("You do not have permission to take this step."), [t.key for t in possible], "forbidden")
    comment = clean_html(comment)
    if "comment" in chosen.requires and not comment:
        raise TransitionError(_("This step needs a comment."), [t.key for t in possible], "comment_required")
    if "assignee" in chosen.requires and assignee is None and ticket.assignee is None:
        raise TransitionError(_("This step needs someone to assign the ticket to."), [t.key for t in possible], "assignee_required")

    now = now or utcnow()
    source, target = ticket.status, workflow.state(chosen.target)
    if assignee is not None and assignee != ticket.assignee:
        from core.tickets.assignment import set_assignee

        set_assignee(ticket, actor, assignee, None, reason=chosen.key, now=now)
    ticket.status, ticket.status_category = target.key, target.category
    ticket.active = target.category in ACTIVE_CATEGORIES
    ticket.updated_at = now
    if target.category == "resolved" and ticket.resolved_at is None:
        ticket.resolved_at = now
    elif target.category == "open":
        ticket.resolved_at = None
    if target.category == "closed":
        ticket.closed_at = now
    event = TicketEvent(ticket=ticket, kind="transition", actor=actor, public=True, body=comment or None,
                        data={"from": source, "to": target.key, "transition": chosen.key}, created_at=now)
    db.session.add(event)
    db.session.flush()
    current_app.extensions["kefu"].pm.hook.kefu_ticket_transitioned(
        ticket=ticket, event=event, from_state=source, to_state=target.key)
    return event
