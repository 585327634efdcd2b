"""Rules the workflow engine cannot state by itself, checked as a step is taken (the step is refused and
nothing is written): a complaint is handled only once its investigation report is filed, and a claim is
never paid more than was claimed."""
from decimal import Decimal

from flask import current_app
from flask_babel import gettext as _

from core.extensions import db
from core.workflow.engine import TransitionError, workflow_of
from plugins.logistics.models import InvestigationReport

PLUGIN = "logistics"


def is_ours(ticket):
    return current_app.extensions["kefu"].registry.ticket_type_owner.get(ticket.type.key) == PLUGIN


def _allowed(ticket, from_state):
    return [t.key for t in workflow_of(ticket).transitions_from(from_state)]


def on_transition(ticket, event, from_state, to_state):
    key = ticket.type.key
    if key == "logistics_complaint" and to_state == "handled" and \
            db.session.get(InvestigationReport, ticket.id) is None:
        raise TransitionError(_("File the investigation report (cause, responsibility, corrective action) before "
                                "the complaint is handled."), _allowed(ticket, from_state), "investigation_missing")
    if key == "logistics_claim" and to_state == "approved":
        from core.models import Approval
        from plugins.logistics.workflows import claim_approver

        approval = db.session.get(Approval, (event.data or {}).get("approval"))
        needed = claim_approver(ticket)
        if approval is None or approval.decided_by is None or not approval.decided_by.can(needed):
            raise TransitionError(_("The amount claimed changed since the approval was asked for; ask for the "
                                    "approval again."), _allowed(ticket, from_state), "approval_required")
    if key == "logistics_claim" and to_state == "paid":
        fields = ticket.fields or {}
        if Decimal(str(fields["paid_amount"])) > Decimal(str(fields["claimed_amount"])):
            raise TransitionError(_("The amount paid cannot be more than the amount claimed."),
                                  _allowed(ticket, from_state), "invalid", "paid_amount")
