"""Floor requests are minutes old, not days: one tap takes a request, one tap finishes it. A returned dish is
logged, sent back to the kitchen (登记后退回出品部重新加工) and re-served; a complaint is settled on the spot or,
when it is not, the SLA brings in the 襄理."""
from core.i18n import Label
from core.workflow.spec import State, Transition, WorkflowSpec

L = Label

REQUEST = WorkflowSpec(
    key="catering_request",
    label=L(zh="楼面请求", en="Floor request"),
    initial="new",
    states=(
        State("new", L(zh="待处理", en="Waiting"), "open"),
        State("taken", L(zh="处理中", en="Taken"), "open"),
        State("done", L(zh="已完成", en="Done"), "closed"),
    ),
    transitions=(
        Transition("take", L(zh="接单", en="Take"), ("new",), "taken", "catering.board"),
        Transition("finish", L(zh="完成", en="Finish"), ("new", "taken"), "done", "catering.board"),
    ),
)

RETURN = WorkflowSpec(
    key="catering_return",
    label=L(zh="退菜流程", en="Returned dish"),
    initial="logged",
    states=(
        State("logged", L(zh="已登记", en="Logged"), "open"),
        State("remaking", L(zh="出品部重做", en="Being re-made"), "open"),
        State("reserved", L(zh="已重新上菜", en="Served again"), "closed"),
        State("cancelled", L(zh="客人不要", en="Not wanted"), "closed"),
    ),
    transitions=(
        Transition("remake", L(zh="退回出品部", en="Back to the kitchen"), ("logged",), "remaking", "catering.board"),
        Transition("reserve", L(zh="重新上菜", en="Served again"), ("remaking",), "reserved", "catering.board"),
        Transition("drop", L(zh="客人不要", en="Guest no longer wants it"), ("logged", "remaking"), "cancelled",
                   "catering.board", requires=("comment",)),
    ),
)

COMPLAINT = WorkflowSpec(
    key="catering_complaint",
    label=L(zh="楼面投诉", en="Floor complaint"),
    initial="new",
    states=(
        State("new", L(zh="待处理", en="Waiting"), "open"),
        State("taken", L(zh="处理中", en="Being handled"), "open"),
        State("settled", L(zh="已当场解决", en="Settled"), "resolved"),
        State("closed", L(zh="归档", en="Closed"), "closed"),
    ),
    transitions=(
        Transition("take", L(zh="接单", en="Take"), ("new",), "taken", "catering.board"),
        Transition("finish", L(zh="已解决", en="Settled"), ("new", "taken"), "settled", "catering.board",
                   requires=("comment",)),
        Transition("close", L(zh="归档", en="Close"), ("settled",), "closed", "ticket.transition"),
        Transition("reopen", L(zh="重新打开", en="Reopen"), ("settled", "closed"), "taken", "ticket.transition",
                   requires=("comment",)),
    ),
)

WORKFLOWS = (REQUEST, RETURN, COMPLAINT)
