"""The utility's workflows: repairs dispatched to the area's crew (or answered with a planned outage's notice),
account applications checked against their document list and approved by the service-engineering department,
and outbound payment reminders."""
from core.i18n import Label
from core.workflow.general import AFTER_CARE_STATES, after_care
from core.workflow.spec import State, Transition, WorkflowSpec
from plugins.water.terms import Term
from plugins.water.ticket_types import DOCUMENTS

L = Label

REPAIR = WorkflowSpec(
    key="water_repair",
    label=L(zh="报修抢修流程", en="Repair dispatch"),
    initial="new",
    states=(
        State("new", L(zh="受理", en="New"), "open"),
        State("dispatched", L(zh="已派单", en="Dispatched"), "open"),
        State("accepted", L(zh="已接单", en="Accepted by the crew"), "open"),
        State("on_site", L(zh="到达现场", en="On site"), "open"),
        State("restored", L(zh="已修复", en="Repaired"), "resolved"),
        State("outage_notice", Term(zh="计划{outage}·已告知", en="Planned {outage}: customer told"), "resolved"),
        State("rejected", L(zh="不予受理", en="Rejected"), "closed"),
        *AFTER_CARE_STATES,
    ),
    transitions=(
        Transition("dispatch", L(zh="派单", en="Dispatch"), ("new",), "dispatched", "water.dispatch",
                   requires=("assignee",)),
        Transition("outage_notice", Term(zh="以计划{outage}答复", en="Answer with the planned {outage}"), ("new",),
                   "outage_notice", "water.dispatch"),
        Transition("reject", L(zh="不予受理", en="Reject"), ("new",), "rejected", "ticket.transition",
                   requires=("comment",)),
        Transition("accept", L(zh="接单", en="Accept"), ("dispatched",), "accepted", "water.crew_accept"),
        Transition("decline", L(zh="退回派单", en="Send back"), ("dispatched",), "new", "water.crew_accept",
                   requires=("comment",)),
        Transition("arrive", L(zh="到达现场", en="Arrived on site"), ("accepted",), "on_site", "water.crew_work",
                   requires=("field:arrived_at",)),
        Transition("restore", Term(zh="修复完成", en="Repaired"), ("on_site",), "restored", "water.crew_work",
                   requires=("field:restored_at", "comment")),
        *after_care(("restored", "outage_notice")),
        Transition("reopen", L(zh="重新打开", en="Reopen"), ("restored", "outage_notice", "follow_up", "closed"),
                   "new", "ticket.transition", requires=("comment",)),
    ),
)


def _application(type_key, label):
    """用水申请, 过户 and 销户: checked against the type's document list, approved, then the account changes."""
    documents = tuple(f"field:{field.key}" for field in DOCUMENTS[type_key])
    return WorkflowSpec(
        key=type_key,
        label=label,
        initial="new",
        states=(
            State("new", L(zh="受理", en="New"), "open"),
            State("documents", L(zh="待补资料", en="Waiting for documents"), "pending"),
            State("review", L(zh="待审批", en="Waiting for approval"), "open"),
            State("done", L(zh="已办结", en="Done"), "resolved"),
            State("rejected", L(zh="不予办理", en="Refused"), "closed"),
            *AFTER_CARE_STATES,
        ),
        transitions=(
            Transition("submit", L(zh="资料齐全，提交审批", en="Documents complete: submit"), ("new",), "review",
                       "water.service", requires=documents),
            Transition("ask_documents", L(zh="通知补充资料", en="Ask for documents"), ("new", "review"),
                       "documents", "water.service", requires=("comment",)),
            Transition("documents_in", L(zh="资料已补", en="Documents received"), ("documents",), "new",
                       "water.service"),
            Transition("approve", L(zh="审批通过", en="Approve"), ("review",), "done", "water.service",
                       requires=("approval",), approver="water.approve"),
            Transition("refuse", L(zh="不予办理", en="Refuse"), ("new", "review", "documents"), "rejected",
                       "water.service", requires=("comment",)),
            *after_care(("done",)),
        ),
    )


CONNECTION = _application("water_connection", Term(zh="{use}申请流程", en="New {supply} connection"))
TRANSFER = _application("water_transfer", L(zh="过户流程", en="Account transfer"))
CLOSURE = _application("water_closure", L(zh="销户流程", en="Closing an account"))

REMINDER = WorkflowSpec(
    key="water_reminder",
    label=L(zh="催缴流程", en="Payment reminder"),
    initial="open",
    states=(
        State("open", L(zh="待催缴", en="To remind"), "open"),
        State("done", L(zh="已催缴", en="Reminded"), "closed"),
    ),
    transitions=(
        Transition("remind", L(zh="已催缴", en="Reminded"), ("open",), "done", "ticket.transition",
                   requires=("field:result",)),
    ),
)

WORKFLOWS = (REPAIR, CONNECTION, TRANSFER, CLOSURE, REMINDER)
