"""Approvals (审批): steps on a ticket that wait for the decision of someone holding a permission.

A workflow step that requires "approval" is requested by someone who may take it (`request_approval`);
everyone holding the step's approver permission is notified, and one of them decides (`decide`): granting
takes the step at once, as the approver; refusing leaves the ticket as it is. Reassigning a dispatched ticket
(改派审批, core.tickets.assignment.request_reassign) is the other kind of approval and is decided the same
way. Every request, decision and cancellation is an internal TicketEvent. The caller commits.
"""
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.extensions import db
from core.models import Approval, Permission, Role, TicketEvent, User, role_permissions, user_roles, utcnow
from core.notifications import notify
from core.sanitize import clean_html
from core.workflow.engine import TransitionError, check_step, find_step, transition, workflow_of

# (kind, what happened) → the kind of its TicketEvent and of the Notification it sends.
EVENT_KINDS = {
    ("transition", "requested"): "approval_requested",
    ("transition", "approved"): "approval_granted",
    ("transition", "refused"): "approval_refused",
    ("transition", "cancelled"): "approval_cancelled",
    ("reassign", "requested"): "reassign_requested",
    ("reassign", "approved"): "reassign_approved",
    ("reassign", "refused"): "reassign_refused",
    ("reassign", "cancelled"): "reassign_cancelled",
}
STATE_LABELS = {"pending": _l("waiting for a decision"), "approved": _l("approved"), "refused": _l("refused"),
                "cancelled": _l("cancelled")}


def permission_label(key):
    spec = current_app.extensions["kefu"].registry.permissions.get(key)
    return spec.label if spec is not None else key


def holders_of(permission):
    """Active staff whose (enabled) roles grant `permission`."""
    query = (select(User).join(user_roles).join(Role).join(role_permissions, role_permissions.c.role_id == Role.id)
             .join(Permission, Permission.id == role_permissions.c.permission_id)
             .where(Permission.key == permission, User.kind == "staff", User.is_active_account.is_(True))
             .distinct().order_by(User.id))
    return [user for user in db.session.scalars(query) if user.can(permission)]


def pending_approvals(ticket):
    return db.session.scalars(select(Approval).where(Approval.ticket_id == ticket.id, Approval.state == "pending")
                              .order_by(Approval.id)).all()


def may_decide(user, approval):
    return approval.state == "pending" and user.can(approval.permission)


def _record(approval, what, actor, body, now):
    data = {"approval": approval.id, "to": approval.to_user_id}
    if approval.kind == "transition":
        data.update(transition=approval.transition, permission=approval.permission, fields=approval.fields or {})
    db.session.add(TicketEvent(ticket=approval.ticket, kind=EVENT_KINDS[(approval.kind, what)], actor=actor,
                               public=False, body=body or None, data=data, created_at=now))


def open_request(ticket, *, kind, actor, permission, approvers, reason, transition_key=None, to_user=None,
                 fields=None, now=None):
    """A pending approval, its event, and a notification to each of `approvers` but the requester."""
    now = now or utcnow()
    reason = clean_html(reason or "")  # shown as HTML on the ticket page
    approval = Approval(ticket=ticket, kind=kind, transition=transition_key, to_user_id=getattr(to_user, "id", None),
                        permission=permission, requested_by_id=actor.id, reason=reason or None, fields=fields or {},
                        created_at=now)
    db.session.add(approval)
    db.session.flush()
    _record(approval, "requested", actor, reason, now)
    for user in approvers:
        if user.id != actor.id:
            notify(user, EVENT_KINDS[(kind, "requested")], ticket, approval=approval.id, by=actor.name)
    return approval


def request_approval(ticket, transition_key, *, actor, comment="", fields=None, assignee=None, now=None):
    """Ask for the approval of a step that requires it. The actor must be allowed to take the step, and what
    the step requires besides the approval is checked now: the comment (used for the step), the assignee and
    the fields (stored on the ticket at once, so that the approver decides on what the ticket shows)."""
    step, allowed = find_step(ticket, transition_key, actor)
    if "approval" not in step.requires:
        raise TransitionError(_("This step needs no approval; take it directly."), allowed, "approval_not_needed")
    if any(row.kind == "transition" and row.transition == step.key for row in pending_approvals(ticket)):
        raise TransitionError(_("An approval of this step is already waiting for a decision."), allowed,
                              "approval_pending")
    comment = clean_html(comment)
    values = check_step(ticket, step, allowed, comment=comment, assignee=assignee, fields=fields)
    now = now or utcnow()
    if values:
        ticket.fields = {**(ticket.fields or {}), **values}
        ticket.updated_at = now
    permission = step.approver_permission(ticket)
    return open_request(ticket, kind="transition", actor=actor, permission=permission, approvers=holders_of(permission),
                        reason=comment, transition_key=step.key, to_user=assignee, fields=values, now=now)


def decide(approval, *, actor, approve, comment="", now=None):
    """Grant or refuse a pending approval; the actor must hold its permission and, to grant it, be someone other
    than the requester. Granting carries the step out at once, as the actor; a refusal is recorded and the
    requester told."""
    ticket = approval.ticket
    allowed = [t.key for t in workflow_of(ticket).transitions_from(ticket.status)]
    if approval.state != "pending":
        who = approval.decided_by.name if approval.decided_by else _("System")
        raise TransitionError(_("This request was already decided (%(decision)s by %(who)s); nothing was changed.",
                                decision=STATE_LABELS[approval.state], who=who), allowed, "already_decided")
    if not actor.can(approval.permission):
        raise TransitionError(_("Only someone who may “%(approver)s” can decide on this request.",
                                approver=permission_label(approval.permission)), allowed, "forbidden")
    if approve and approval.requested_by_id == actor.id:
        # Four eyes: whoever asked cannot grant it, even holding the permission (a refusal withdraws it).
        raise TransitionError(_("You asked for this approval: someone else who may “%(approver)s” must grant it.",
                                approver=permission_label(approval.permission)), allowed, "own_request")
    now = now or utcnow()
    note = clean_html(comment)
    approval.state = "approved" if approve else "refused"
    approval.decided_by, approval.decided_at, approval.decision_note = actor, now, note or None
    _record(approval, approval.state, actor, note, now)
    if approve and approval.kind == "reassign":
        from core.tickets.assignment import set_assignee

        set_assignee(ticket, actor, approval.to_user, None, reason="approved", now=now)
    elif approve:
        transition(ticket, approval.transition, actor=actor, comment=approval.reason or "", assignee=approval.to_user,
                   fields=approval.fields, now=now, approval=approval)
    notify(approval.requested_by, EVENT_KINDS[(approval.kind, approval.state)], ticket, approval=approval.id,
           by=actor.name)
    db.session.flush()
    return approval


def cancel_stale(ticket, now):
    """After a state change: pending approvals of steps no longer possible from the new state are cancelled."""
    possible = {t.key for t in workflow_of(ticket).transitions_from(ticket.status)}
    for approval in pending_approvals(ticket):
        if approval.kind == "transition" and approval.transition not in possible:
            approval.state, approval.decided_at = "cancelled", now
            _record(approval, "cancelled", None, None, now)
