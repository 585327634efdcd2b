"""The only way a ticket changes state: checks the transition, the actor's permission and what the
transition requires (a comment, an assignee, ticket fields, an approval), records a TicketEvent and tells the
plugins. The caller commits."""
from flask import current_app
from flask_babel import gettext as _

from core.extensions import db
from core.models import TicketEvent, utcnow
from core.sanitize import clean_html
from core.tickets.fields import FieldError, clean_field
from core.workflow.spec import ACTIVE_CATEGORIES


class TransitionError(Exception):
    """Refused transition. `allowed` lists the transition keys possible from the current state; `field` names
    the ticket field at fault, if one is."""

    def __init__(self, message, allowed=(), code="conflict", field=None):
        super().__init__(message)
        self.allowed = list(allowed)
        self.code = code
        self.field = field


def workflow_of(ticket):
    return current_app.extensions["kefu"].registry.workflow_for(ticket.type.key)


def available_transitions(ticket, user):
    """Transitions from the ticket's state that `user` may take (by hand: not those the follow-up record takes)."""
    return [t for t in workflow_of(ticket).transitions_from(ticket.status)
            if user is None or ("follow_up" not in t.requires and user.can(t.permission))]


def find_step(ticket, key, actor):
    """The step `key` (a transition key or its target state) from the ticket's state, if `actor` may take it;
    returns (step, keys of the possible steps)."""
    possible = workflow_of(ticket).transitions_from(ticket.status)
    allowed = [t.key for t in possible]
    chosen = next((t for t in possible if t.key == key or t.target == key), None)
    if chosen is None:
        raise TransitionError(_("This step is not possible from the current state."), allowed)
    if actor is not None and not actor.can(chosen.permission):
        raise TransitionError(_("You do not have permission to take this step."), allowed, "forbidden")
    return chosen, allowed


def _field_spec(ticket, key):
    spec = current_app.extensions["kefu"].registry.ticket_types[ticket.type.key]
    return next(field for field in spec.fields if field.key == key)  # the registry checked that it exists


def _is_empty(value):
    return value is None or value == "" or value == []


def step_fields(ticket, step, fields, allowed):
    """The values of the fields `step` requires that the caller gives (cleaned); each required field must have
    a value, given here or already on the ticket."""
    given = dict(fields or {})
    unknown = sorted(set(given) - set(step.field_keys))
    if unknown:
        raise TransitionError(_("This step does not take the field “%(field)s”.", field=unknown[0]), allowed,
                              "field_invalid", unknown[0])
    values = {}
    for key in step.field_keys:
        spec = _field_spec(ticket, key)
        if key in given and not _is_empty(given[key]):
            try:
                values[key] = clean_field(spec, given[key])
            except FieldError as exc:
                raise TransitionError(exc.message, allowed, "field_invalid", key) from None
        elif _is_empty((ticket.fields or {}).get(key)):
            raise TransitionError(_("This step needs %(field)s.", field=spec.label), allowed, "field_required", key)
    return values


def check_step(ticket, step, allowed, *, comment, assignee, fields):
    """What the step requires besides an approval; returns the cleaned field values given."""
    if "comment" in step.requires and not comment:
        raise TransitionError(_("This step needs a comment."), allowed, "comment_required")
    if "assignee" in step.requires and assignee is None and ticket.assignee is None:
        raise TransitionError(_("This step needs someone to assign the ticket to."), allowed, "assignee_required")
    return step_fields(ticket, step, fields, allowed)


class _WithFields:
    """The ticket as it would be with the given field values (for an approver that depends on them)."""

    def __init__(self, ticket, values):
        self._ticket, self.fields = ticket, {**(ticket.fields or {}), **values}

    def __getattr__(self, name):
        return getattr(self._ticket, name)


def approval_needed_message(ticket, step, values=None):
    from core.workflow.approvals import permission_label

    permission = step.approver_permission(_WithFields(ticket, values or {}))
    return _("“%(step)s” needs the approval of someone who may “%(approver)s”. Request the approval: the step is "
             "taken as soon as it is granted.", step=step.label, approver=permission_label(permission))


def transition(ticket, key, *, actor, comment="", assignee=None, fields=None, now=None, approval=None):
    """Take the step `key`. `fields` gives values of the ticket fields the step requires ("field:<key>");
    they are stored on the ticket and in the event. A step that requires "approval" is taken by
    core.workflow.approvals.decide, which passes the granted `approval`."""
    # A granted approval carries the step out as the approver, whose grant stands for the requester's right.
    chosen, allowed = find_step(ticket, key, actor if approval is None else None)
    if "follow_up" in chosen.requires and actor is not None:
        raise TransitionError(_("This step is taken by recording the follow-up: its method, outcome and the "
                                "customer's answers."), allowed, "follow_up_required")
    comment = clean_html(comment)
    values = check_step(ticket, chosen, allowed, comment=comment, assignee=assignee, fields=fields)
    if "approval" in chosen.requires and not (approval is not None and approval.state == "approved"
                                              and approval.ticket_id == ticket.id
                                              and approval.transition == chosen.key):
        raise TransitionError(approval_needed_message(ticket, chosen, values), allowed, "approval_required")

    now = now or utcnow()
    source, target = ticket.status, workflow_of(ticket).state(chosen.target)
    if assignee is not None and assignee != ticket.assignee:
        from core.tickets.assignment import set_assignee

        set_assignee(ticket, actor, assignee, None, reason=chosen.key, now=now)
    if values:
        ticket.fields = {**(ticket.fields or {}), **values}
    ticket.status, ticket.status_category = target.key, target.category
    ticket.active = target.category in ACTIVE_CATEGORIES
    ticket.updated_at = now
    if target.category == "resolved" and ticket.resolved_at is None:
        ticket.resolved_at = now
    elif target.category == "open":
        ticket.resolved_at = None
    if target.category == "closed":
        ticket.closed_at = now
    data = {"from": source, "to": target.key, "transition": chosen.key}
    if values:
        data["fields"] = values
    if approval is not None:
        data["approval"] = approval.id
    event = TicketEvent(ticket=ticket, kind="transition", actor=actor, public=True, body=comment or None,
                        data=data, created_at=now)
    db.session.add(event)
    db.session.flush()
    from core.workflow.approvals import cancel_stale

    cancel_stale(ticket, now)
    current_app.extensions["kefu"].pm.hook.kefu_ticket_transitioned(
        ticket=ticket, event=event, from_state=source, to_state=target.key)
    return event
