"""SLA defaults: urgent orders answered within 30 minutes, inquiries the same working day, complaints and
claims within three working days, returns within two."""
from core.i18n import Label
from core.sla.policies import SlaPolicySpec, Target

L = Label
HOUR = 60
DAY = 9 * HOUR  # one working day of the default service hours


def sla_policies():
    after = {"follow_up": Target(2 * DAY)}
    return [
        SlaPolicySpec("logistics_urgent", L(zh="紧急订单", en="Urgent order"), ticket_type="logistics_urgent",
                      targets={"first_response": Target(30, business=False), "resolution": Target(4 * HOUR,
                                                                                                   business=False)}),
        SlaPolicySpec("logistics_inquiry", L(zh="查询当日答复", en="Inquiry answered the same day"),
                      ticket_type="logistics_inquiry",
                      targets={"first_response": Target(HOUR), "resolution": Target(DAY)}),
        SlaPolicySpec("logistics_complaint", L(zh="投诉三个工作日内处理", en="Complaint handled in 3 working days"),
                      ticket_type="logistics_complaint",
                      targets={"first_response": Target(2 * HOUR), "resolution": Target(3 * DAY), **after}),
        SlaPolicySpec("logistics_claim", L(zh="理赔三个工作日内处理", en="Claim settled in 3 working days"),
                      ticket_type="logistics_claim",
                      targets={"first_response": Target(4 * HOUR), "resolution": Target(3 * DAY), **after}),
        SlaPolicySpec("logistics_return", L(zh="退换两个工作日内办理", en="Return handled in 2 working days"),
                      ticket_type="logistics_return", targets={"resolution": Target(2 * DAY)}),
    ]
