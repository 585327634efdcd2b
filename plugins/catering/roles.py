"""The restaurant group's customer-service centre (seed 001, 第一章): 客服中心总监 → 营销协理 / 行政协理 → 襄理 →
楼面助理、传菜助理、咨客助理、酒吧助理 → 楼面服务员、传菜员、咨客、吧员, mapped onto the core's levels: the director and
the 协理 are managers, the 襄理 and the 助理 supervise, the floor staff are agents. Who an escalation reaches
within the supervisors (传菜助理 first, then 襄理) is the plugin's (see escalation.py)."""
from core.i18n import Label
from core.plugins.specs import PermissionSpec, RoleSpec

L = Label

PERMISSIONS = (
    PermissionSpec("catering.board", L(zh="使用楼面看板", en="Use the floor board")),
    PermissionSpec("catering.order", L(zh="录入点菜单与上菜", en="Enter orders and serve dishes")),
    PermissionSpec("catering.reserve", L(zh="订座与宾客档案", en="Reservations and guest profiles")),
    PermissionSpec("catering.report", L(zh="查看班次报表", en="See shift reports")),
)

_FLOOR = ("catering.board", "catering.order", "ticket.view_all")
_LEAD = (*_FLOOR, "catering.reserve", "catering.report")

ROLES = (
    RoleSpec("catering_director", L(zh="客服中心总监", en="Service centre director"), "manager", _LEAD),
    RoleSpec("catering_marketing", L(zh="营销协理", en="Marketing assistant director"), "manager", _LEAD),
    RoleSpec("catering_administration", L(zh="行政协理", en="Administrative assistant director"), "manager", _LEAD),
    RoleSpec("catering_manager", L(zh="襄理", en="Floor manager"), "supervisor", _LEAD),
    RoleSpec("catering_floor_lead", L(zh="楼面助理", en="Floor captain"), "supervisor", _LEAD),
    RoleSpec("catering_runner_lead", L(zh="传菜助理", en="Runner captain"), "supervisor", _LEAD),
    RoleSpec("catering_host_lead", L(zh="咨客助理", en="Host captain"), "supervisor", _LEAD),
    RoleSpec("catering_bar_lead", L(zh="酒吧助理", en="Bar captain"), "supervisor", _LEAD),
    RoleSpec("catering_waiter", L(zh="楼面服务员", en="Floor waiter"), "agent", _FLOOR),
    RoleSpec("catering_runner", L(zh="传菜员", en="Runner"), "agent", _FLOOR),
    RoleSpec("catering_host", L(zh="咨客", en="Host"), "agent", ("catering.board", "catering.reserve")),
    RoleSpec("catering_bartender", L(zh="吧员", en="Bartender"), "agent", ("catering.board",)),
)
