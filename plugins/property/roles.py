"""Who works at a property management office (seeds 000, 004): the office director (管理处主任), the property
butlers (物业管家) who own buildings, the front desk (客服前台), the repair technicians (维修工) and the clerks
(客服助理/文员)."""
from core.i18n import Label
from core.plugins.specs import PermissionSpec, RoleSpec

L = Label

PERMISSIONS = (
    PermissionSpec("property.triage", L(zh="受理报修", en="Take in repair reports")),
    PermissionSpec("property.dispatch", L(zh="派工给维修工", en="Dispatch technicians")),
    PermissionSpec("property.repair_work", L(zh="接单、上门、完工", en="Accept, attend and complete repairs")),
    PermissionSpec("property.confirm", L(zh="电话确认完工", en="Confirm completion by phone")),
    PermissionSpec("property.patrol", L(zh="记录巡查", en="Record patrols")),
    PermissionSpec("property.emergency", L(zh="处置突发事件", en="Handle emergencies")),
    PermissionSpec("property.estate_view", L(zh="查看小区、楼栋与住户", en="See estates, buildings and residents")),
)

_DESK = ("property.triage", "property.dispatch", "property.estate_view", "property.emergency", "ticket.view_all",
         "ticket.assign")
ROLES = (
    RoleSpec("property_director", L(zh="管理处主任", en="Office director"), "manager",
             (*_DESK, "property.confirm", "property.patrol", "report.view", "followup.manage")),
    RoleSpec("property_butler", L(zh="物业管家", en="Property butler"), "agent",
             (*_DESK, "property.confirm", "property.patrol", "followup.manage")),
    RoleSpec("property_front_desk", L(zh="客服前台", en="Front desk"), "agent", _DESK),
    RoleSpec("property_technician", L(zh="维修工", en="Repair technician"), "agent",
             ("property.repair_work", "property.estate_view")),
    RoleSpec("property_clerk", L(zh="客服助理/文员", en="Service assistant / clerk"), "agent",
             ("property.triage", "property.estate_view", "ticket.view_all")),
)
