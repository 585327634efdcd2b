"""Minute-level SLA defaults. A chase raised 15 minutes after the order must be taken within 5 more (taking it
on the board is the first response): else it escalates to the 传菜助理, and 5 minutes later to the 襄理; the dish
itself is due 15 minutes after the chase. A floor complaint not settled within 10 minutes goes to the 襄理; a
service request is expected within 5."""
from core.i18n import Label
from core.sla.policies import SlaPolicySpec, Target

CHASE_MINUTES = 15  # 下单时间超过15分钟仍未出菜 (seed 001, 传菜助理 5)
CHASE_ANSWER_MINUTES = 5
MANAGER_AFTER_MINUTES = 5


def sla_policies():
    return [
        SlaPolicySpec("catering_chase", Label(zh="催菜", en="Dish chase"), ticket_type="catering_chase",
                      targets={"first_response": Target(CHASE_ANSWER_MINUTES, business=False),
                               "resolution": Target(CHASE_MINUTES, business=False)},
                      manager_after_minutes=MANAGER_AFTER_MINUTES),
        SlaPolicySpec("catering_complaint", Label(zh="楼面投诉", en="Floor complaint"),
                      ticket_type="catering_complaint", targets={"resolution": Target(10, business=False)},
                      manager_after_minutes=20),
        SlaPolicySpec("catering_service", Label(zh="服务请求", en="Service request"), ticket_type="catering_service",
                      targets={"resolution": Target(5, business=False)}),
        SlaPolicySpec("catering_change", Label(zh="加菜/换菜", en="Add or change a dish"),
                      ticket_type="catering_change", targets={"resolution": Target(5, business=False)}),
        SlaPolicySpec("catering_return", Label(zh="退菜", en="Dish returned"), ticket_type="catering_return",
                      targets={"resolution": Target(20, business=False)}, manager_after_minutes=10),
    ]
