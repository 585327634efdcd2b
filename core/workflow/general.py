"""The closed loop every industry shares (DOMAIN.md §1), as the core's default workflow.

受理 new → 审核 triaged (or rejected) → 分派 assigned → 处理 in progress ⇄ waiting for the customer →
反馈 resolved → 回访 follow-up → 归档 closed, plus reopen (and reconsidering a rejected request).
"""
from core.i18n import Label
from core.workflow.spec import State, Transition, WorkflowSpec

L = Label

GENERAL = WorkflowSpec(
    key="general",
    label=L(zh="通用闭环流程", en="General closed loop"),
    initial="new",
    states=(
        State("new", L(zh="受理", en="New"), "open"),
        State("triaged", L(zh="审核", en="Triaged"), "open"),
        State("rejected", L(zh="已驳回", en="Rejected"), "closed"),
        State("assigned", L(zh="分派", en="Assigned"), "open"),
        State("in_progress", L(zh="处理中", en="In progress"), "open"),
        State("waiting_customer", L(zh="等待客户", en="Waiting for customer"), "pending"),
        State("resolved", L(zh="反馈", en="Resolved"), "resolved"),
        State("follow_up", L(zh="回访", en="Follow-up"), "resolved"),
        State("closed", L(zh="归档", en="Closed"), "closed"),
    ),
    transitions=(
        Transition("triage", L(zh="审核通过", en="Accept"), ("new",), "triaged", "ticket.transition"),
        Transition("reject", L(zh="驳回", en="Reject"), ("new", "triaged"), "rejected", "ticket.transition",
                   requires=("comment",)),
        Transition("assign", L(zh="分派", en="Assign"), ("new", "triaged"), "assigned", "ticket.assign",
                   requires=("assignee",)),
        Transition("start", L(zh="开始处理", en="Start work"), ("assigned",), "in_progress", "ticket.transition"),
        Transition("wait", L(zh="等待客户", en="Wait for customer"), ("in_progress",), "waiting_customer",
                   "ticket.transition", requires=("comment",)),
        Transition("resume", L(zh="继续处理", en="Resume"), ("waiting_customer",), "in_progress", "ticket.transition"),
        Transition("resolve", L(zh="反馈结果", en="Resolve"), ("in_progress", "waiting_customer"), "resolved",
                   "ticket.transition", requires=("comment",)),
        Transition("follow_up", L(zh="回访", en="Follow up"), ("resolved",), "follow_up", "ticket.transition",
                   requires=("follow_up",)),
        Transition("close", L(zh="归档", en="Close"), ("resolved", "follow_up"), "closed", "ticket.transition"),
        Transition("reopen", L(zh="重新打开", en="Reopen"), ("resolved", "follow_up", "closed"),
                   "in_progress", "ticket.transition", requires=("comment",)),
        Transition("reconsider", L(zh="重新受理", en="Reconsider"), ("rejected",), "triaged", "ticket.transition",
                   requires=("comment",)),
    ),
)


# The loop's last two states for an industry workflow, which names its own "done" states: 回访 and 归档, taken
# by the follow-ups (core.followups.archive steps "close" as the system).
AFTER_CARE_STATES = (
    State("follow_up", L(zh="回访", en="Follow-up"), "resolved"),
    State("closed", L(zh="归档", en="Closed"), "closed"),
)


def after_care(done_states):
    """The 回访 and 归档 steps from a workflow's `done_states` (its resolved states)."""
    done_states = tuple(done_states)
    return (
        Transition("follow_up", L(zh="回访", en="Follow up"), done_states, "follow_up", "ticket.transition",
                   requires=("follow_up",)),
        Transition("close", L(zh="归档", en="Close"), (*done_states, "follow_up"), "closed", "ticket.transition"),
    )
