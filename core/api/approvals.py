"""Approvals through the API: requesting one for a workflow step that requires it, and deciding on one. The
same service (core.workflow.approvals), permissions and refusals as the ticket page."""
from flask import abort
from flask_login import current_user

from core.api import bp
from core.api.openapi import operation
from core.api.schemas import ApprovalRequestSchema, ApprovalSchema, DecisionSchema
from core.api.tickets import staff_member, transition_error
from core.extensions import db
from core.models import Approval
from core.tickets.access import visible_ticket_or_404
from core.workflow.approvals import decide, request_approval
from core.workflow.engine import TransitionError


@bp.post("/tickets/<int:ticket_id>/approvals")
@operation("approvals", body=ApprovalRequestSchema, response=ApprovalSchema, status=201,
           errors=(400, 403, 404, 409, 422), permissions=("desk.access",))
def ask_for_approval(ticket_id, body):
    """Request the approval of a workflow step that requires one.

    You need the step's own permission (403 without it). Everyone holding the step's approver permission is
    notified. The step's other requirements (comment, assignee, `fields`) are checked now (422 naming the
    field); the field values are stored on the ticket at once. A step that is not possible, that needs no
    approval, or whose approval is already waiting is a 409 whose `allowed` lists the possible steps."""
    ticket = visible_ticket_or_404(current_user, ticket_id)
    assignee = staff_member(body["assignee_id"]) if body.get("assignee_id") is not None else None
    try:
        approval = request_approval(ticket, body["transition"], actor=current_user, comment=body.get("comment", ""),
                                    fields=body.get("fields"), assignee=assignee)
    except TransitionError as exc:
        raise transition_error(exc, ticket, "transition") from None
    created = ApprovalSchema().dump(approval)
    db.session.commit()
    return created, 201


@bp.post("/approvals/<int:approval_id>/decision")
@operation("approvals", body=DecisionSchema, response=ApprovalSchema, errors=(400, 403, 404, 409, 422),
           permissions=("desk.access",))
def decide_on_approval(approval_id, body):
    """Grant or refuse a pending approval: {"approve": true|false}.

    Only those holding the approval's `permission` may decide (403). Granting takes the step at once (or
    reassigns the ticket), as you; `ticket_status` in the answer is the ticket's new state. An approval that
    was already decided is a 409 `already_decided`; granting one you asked for yourself is a 409
    `own_request` (someone else must); nothing changes then."""
    approval = db.session.get(Approval, approval_id)
    if approval is None:
        abort(404)
    ticket = visible_ticket_or_404(current_user, approval.ticket_id)
    try:
        decide(approval, actor=current_user, approve=body["approve"], comment=body.get("comment", ""))
    except TransitionError as exc:
        raise transition_error(exc, ticket, "approve") from None
    decided = ApprovalSchema().dump(approval)
    db.session.commit()
    return decided
