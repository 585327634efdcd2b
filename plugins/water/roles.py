"""Who works at a utility's customer service (seed 001): the hotline, the counter, the repair crews and their
leaders, the service-engineering department (客服工程管理部) and the water-quality officer."""
from core.i18n import Label
from core.plugins.specs import PermissionSpec, RoleSpec
from plugins.water.terms import Term

L = Label

PERMISSIONS = (
    PermissionSpec("water.dispatch", L(zh="派单给抢修班组", en="Dispatch repair crews")),
    PermissionSpec("water.crew_accept", L(zh="抢修接单", en="Accept repair jobs")),
    PermissionSpec("water.crew_work", L(zh="记录到场与修复", en="Record arrival and repair")),
    PermissionSpec("water.service", L(zh="办理开户、过户、销户", en="Handle account applications")),
    PermissionSpec("water.approve", L(zh="审批业务办理", en="Approve account changes")),
    PermissionSpec("water.outage_plan", Term(zh="计划{outage}", en="Plan {outage}s")),
    PermissionSpec("water.outage_view", Term(zh="查看计划{outage}", en="See planned {outage}s")),
    PermissionSpec("water.quality", Term(zh="处理{quality}反映", en="Handle {quality} reports")),
)

# The hotline and the counter answer every customer's questions about progress: they see every ticket.
_HOTLINE = ("water.dispatch", "water.outage_view", "ticket.view_all")
ROLES = (
    RoleSpec("water_hotline", L(zh="热线坐席", en="Hotline agent"), "agent", _HOTLINE),
    RoleSpec("water_counter", L(zh="营业厅", en="Counter clerk"), "agent",
             ("water.service", "water.outage_view", "ticket.view_all")),
    RoleSpec("water_crew", L(zh="抢修班组", en="Repair crew"), "agent", ("water.crew_work", "water.outage_view")),
    RoleSpec("water_crew_leader", L(zh="抢修班组长", en="Repair crew leader"), "agent",
             ("water.crew_accept", "water.crew_work", "water.outage_view")),
    RoleSpec("water_engineering", L(zh="客服工程管理部", en="Service engineering"), "supervisor",
             (*_HOTLINE, "water.service", "water.approve", "water.outage_plan", "water.crew_accept", "water.quality")),
    RoleSpec("water_quality", Term(zh="{quality}专员", en="{quality} officer"), "agent",
             ("water.quality", "water.outage_view")),
)
