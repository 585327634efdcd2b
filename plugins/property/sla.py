"""Deadlines (seed 000): a complaint is handled within 24 hours, or it goes to the office director; repairs are
followed up within three days of completion; move-in appointments and renovation applications are answered
within working hours; emergencies at once."""
from core.i18n import Label
from core.sla.policies import SlaPolicySpec, Target

HOUR = 60
DAY = 24 * HOUR
WORKING_DAY = 9 * HOUR  # business minutes in one working day of the default service hours
FOLLOW_UP = {"follow_up": Target(3 * DAY, business=False)}  # 三天内回访


def sla_policies():
    return [
        # Breached: the sweep escalates to the managers (the director), 一线 → 主任, a minute later to every manager.
        SlaPolicySpec("property_complaint_24h", Label(zh="投诉24小时处理", en="Complaints handled in 24 hours"),
                      ticket_type="property_complaint", manager_after_minutes=1,
                      targets={"resolution": Target(DAY, business=False), **FOLLOW_UP}),
        SlaPolicySpec("property_repair", Label(zh="报修维修时限", en="Repair deadlines"), ticket_type="property_repair",
                      targets={"first_response": Target(30, business=False),
                               "resolution": Target(2 * DAY, business=False), **FOLLOW_UP}),
        SlaPolicySpec("property_paid_service", Label(zh="有偿服务时限", en="Paid service deadlines"),
                      ticket_type="property_paid_service",
                      targets={"resolution": Target(3 * DAY, business=False), **FOLLOW_UP}),
        SlaPolicySpec("property_move_in", Label(zh="入伙预约答复", en="Move-in appointments"),
                      ticket_type="property_move_in",
                      targets={"first_response": Target(2 * HOUR), "resolution": Target(3 * WORKING_DAY)}),
        SlaPolicySpec("property_renovation", Label(zh="装修申请审批", en="Renovation applications"),
                      ticket_type="property_renovation", targets={"first_response": Target(WORKING_DAY)}),
        SlaPolicySpec("property_emergency", Label(zh="突发事件响应", en="Emergency response"),
                      ticket_type="property_emergency", manager_after_minutes=1,
                      targets={"first_response": Target(10, business=False),
                               "resolution": Target(4 * HOUR, business=False)}),
    ]
