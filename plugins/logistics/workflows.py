"""Complaints are investigated before they are closed (the complaint officer's report, see lifecycle), and
claims are approved by amount: the complaint officer up to LOGISTICS_CLAIM_LIMIT, the manager above it; the
amount paid is recorded. Both end with the core's 回访 and 归档."""
from decimal import Decimal, InvalidOperation

from flask import current_app

from core.i18n import Label
from core.workflow.general import AFTER_CARE_STATES, after_care
from core.workflow.spec import State, Transition, WorkflowSpec

L = Label
DEFAULT_CLAIM_LIMIT = 2000

def claim_limit():
    return Decimal(str(current_app.config.get("LOGISTICS_CLAIM_LIMIT", DEFAULT_CLAIM_LIMIT)))


def claim_approver(ticket):
    """The complaint officer approves a claim up to the limit; above it (or with no amount) the manager."""
    try:
        amount = Decimal(str((ticket.fields or {}).get("claimed_amount")))
    except (InvalidOperation, ValueError):
        return "logistics.claim_approve_high"
    return "logistics.claim_approve" if amount <= claim_limit() else "logistics.claim_approve_high"


COMPLAINT = WorkflowSpec(
    key="logistics_complaint",
    label=L(zh="投诉处理流程", en="Complaint handling"),
    initial="new",
    states=(
        State("new", L(zh="受理", en="New"), "open"),
        State("investigating", L(zh="调查中", en="Investigating"), "open"),
        State("handled", L(zh="已处理", en="Handled"), "resolved"),
        State("rejected", L(zh="不予受理", en="Rejected"), "closed"),
        *AFTER_CARE_STATES,
    ),
    transitions=(
        Transition("investigate", L(zh="开始调查", en="Investigate"), ("new",), "investigating",
                   "ticket.transition"),
        Transition("handle", L(zh="处理完毕", en="Handled"), ("new", "investigating"), "handled",
                   "logistics.investigate", requires=("comment",)),
        Transition("reject", L(zh="不予受理", en="Reject"), ("new",), "rejected", "ticket.transition",
                   requires=("comment",)),
        *after_care(("handled",)),
        Transition("reopen", L(zh="重新打开", en="Reopen"), ("handled", "follow_up", "closed"), "investigating",
                   "ticket.transition", requires=("comment",)),
    ),
)

CLAIM = WorkflowSpec(
    key="logistics_claim",
    label=L(zh="理赔流程", en="Claim"),
    initial="new",
    states=(
        State("new", L(zh="受理", en="New"), "open"),
        State("approved", L(zh="已批准", en="Approved"), "open"),
        State("paid", L(zh="已赔付", en="Paid"), "resolved"),
        State("refused", L(zh="不予理赔", en="Refused"), "closed"),
        *AFTER_CARE_STATES,
    ),
    transitions=(
        Transition("approve", L(zh="审批理赔", en="Approve the claim"), ("new",), "approved", "ticket.transition",
                   requires=("approval", "field:claimed_amount"), approver=claim_approver),
        Transition("pay", L(zh="登记赔付", en="Record the payment"), ("approved",), "paid", "ticket.transition",
                   requires=("field:paid_amount",)),
        Transition("refuse", L(zh="不予理赔", en="Refuse"), ("new", "approved"), "refused", "ticket.transition",
                   requires=("comment",)),
        *after_care(("paid",)),
    ),
)

WORKFLOWS = (COMPLAINT, CLAIM)
