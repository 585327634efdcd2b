"""The office's workflows: a repair from the front desk through the technician to the resident's confirmation,
回访 and 归档 (seed 000); renovation supervision with its inspection; emergencies; patrol records."""
from core.i18n import Label
from core.workflow.general import AFTER_CARE_STATES, after_care
from core.workflow.spec import State, Transition, WorkflowSpec

L = Label

REPAIR = WorkflowSpec(
    key="property_repair",
    label=L(zh="报修维修流程", en="Repair"),
    initial="reported",
    states=(
        State("reported", L(zh="待受理", en="Reported"), "open"),
        State("received", L(zh="已受理", en="Received"), "open"),
        State("dispatched", L(zh="已派工", en="Dispatched"), "open"),
        State("accepted", L(zh="维修工已接单", en="Accepted by the technician"), "open"),
        State("on_site", L(zh="已上门", en="On site"), "open"),
        State("completed", L(zh="完工·待业主确认", en="Done: awaiting the resident's confirmation"), "pending"),
        State("confirmed", L(zh="业主已确认", en="Confirmed by the resident"), "resolved"),
        *AFTER_CARE_STATES,
        State("cancelled", L(zh="已取消", en="Cancelled"), "closed"),
    ),
    transitions=(
        Transition("triage", L(zh="受理", en="Take in"), ("reported",), "received", "property.triage"),
        Transition("dispatch", L(zh="派工", en="Dispatch"), ("reported", "received"), "dispatched",
                   "property.dispatch", requires=("assignee",)),
        Transition("accept", L(zh="接单", en="Accept"), ("dispatched",), "accepted", "property.repair_work"),
        Transition("decline", L(zh="退回派工", en="Send back"), ("dispatched",), "received", "property.repair_work",
                   requires=("comment",)),
        Transition("arrive", L(zh="已上门", en="Arrived"), ("accepted",), "on_site", "property.repair_work"),
        Transition("complete", L(zh="完工", en="Done"), ("on_site",), "completed", "property.repair_work",
                   requires=("field:work_done",)),
        # The resident confirms in the portal (the step is the customer's own); the butler by phone.
        Transition("resident_confirm", L(zh="业主确认", en="Resident confirms"), ("completed",), "confirmed",
                   "portal.access"),
        Transition("phone_confirm", L(zh="电话确认完工", en="Confirmed by phone"), ("completed",), "confirmed",
                   "property.confirm", requires=("comment",)),
        Transition("rework", L(zh="返修", en="Back to the technician"), ("completed", "confirmed"), "dispatched",
                   "property.confirm", requires=("comment",)),
        *after_care(("confirmed",)),
        Transition("cancel", L(zh="取消", en="Cancel"), ("reported", "received"), "cancelled", "ticket.transition",
                   requires=("comment",)),
    ),
)

RENOVATION = WorkflowSpec(
    key="property_renovation",
    label=L(zh="装修管理流程", en="Renovation supervision"),
    initial="applied",
    states=(
        State("applied", L(zh="已申请", en="Applied"), "open"),
        State("approved", L(zh="已批准·装修中", en="Approved: works under way"), "pending"),
        State("inspected", L(zh="已验收", en="Inspected"), "resolved"),
        State("refused", L(zh="不予批准", en="Refused"), "closed"),
        State("closed", L(zh="归档", en="Closed"), "closed"),
    ),
    transitions=(
        Transition("approve", L(zh="批准装修", en="Approve"), ("applied",), "approved", "property.triage",
                   requires=("field:deposit_paid",)),
        Transition("refuse", L(zh="不予批准", en="Refuse"), ("applied",), "refused", "property.triage",
                   requires=("comment",)),
        Transition("inspect", L(zh="验收", en="Inspect"), ("approved",), "inspected", "property.confirm",
                   requires=("field:inspection",)),
        Transition("close", L(zh="归档", en="Close"), ("inspected",), "closed", "ticket.transition"),
    ),
)

EMERGENCY = WorkflowSpec(
    key="property_emergency",
    label=L(zh="突发事件处置", en="Emergency response"),
    initial="reported",
    states=(
        State("reported", L(zh="已报告", en="Reported"), "open"),
        State("handling", L(zh="处置中", en="Being handled"), "open"),
        State("resolved", L(zh="已处置", en="Handled"), "resolved"),
        State("closed", L(zh="归档", en="Closed"), "closed"),
    ),
    transitions=(
        Transition("handle", L(zh="开始处置", en="Start handling"), ("reported",), "handling", "property.emergency"),
        Transition("resolve", L(zh="处置完毕", en="Handled"), ("reported", "handling"), "resolved",
                   "property.emergency", requires=("comment",)),
        Transition("close", L(zh="归档", en="Close"), ("resolved",), "closed", "ticket.transition"),
    ),
)

PATROL = WorkflowSpec(
    key="property_patrol",
    label=L(zh="巡查记录", en="Patrol record"),
    initial="open",
    states=(
        State("open", L(zh="巡查中", en="On the round"), "open"),
        State("done", L(zh="已完成", en="Done"), "closed"),
    ),
    transitions=(
        Transition("finish", L(zh="巡查完成", en="Round done"), ("open",), "done", "property.patrol"),
    ),
)

WORKFLOWS = (REPAIR, RENOVATION, EMERGENCY, PATROL)
