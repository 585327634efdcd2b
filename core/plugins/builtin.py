"""The core's own contributions, registered through the same hooks as plugins (trylast: a plugin may
replace a default by returning a spec with the same key)."""
from flask import current_app

from core.i18n import Label
from core.plugins import hookimpl
from core.plugins.specs import NavItem, PermissionSpec, RoleSpec, TicketTypeSpec
from core.workflow.general import GENERAL

L = Label

PERMISSIONS = (
    PermissionSpec("admin.access", L(zh="进入管理后台", en="Open the admin panel")),
    PermissionSpec("desk.access", L(zh="进入工作台", en="Open the helpdesk")),
    PermissionSpec("portal.access", L(zh="使用客户门户", en="Use the customer portal")),
    PermissionSpec("ticket.create", L(zh="登记工单", en="Create tickets")),
    PermissionSpec("ticket.view_own", L(zh="查看本人工单", en="See own tickets")),
    PermissionSpec("ticket.view_team", L(zh="查看本组工单", en="See the team's tickets")),
    PermissionSpec("ticket.view_all", L(zh="查看全部工单", en="See all tickets")),
    PermissionSpec("ticket.reply", L(zh="回复客户", en="Reply to customers")),
    PermissionSpec("ticket.note", L(zh="内部备注", en="Write internal notes")),
    PermissionSpec("ticket.transition", L(zh="推进工单状态", en="Move tickets through the workflow")),
    PermissionSpec("ticket.assign", L(zh="分派工单", en="Assign tickets")),
    PermissionSpec("ticket.approve_reassign", L(zh="审批改派", en="Approve reassignment")),
    PermissionSpec("ticket.escalate", L(zh="升级工单", en="Escalate tickets")),
    PermissionSpec("customer.view", L(zh="查看客户档案", en="See customer records")),
    PermissionSpec("customer.edit", L(zh="编辑客户档案", en="Edit customer records")),
    PermissionSpec("report.view", L(zh="查看报表", en="See reports")),
    PermissionSpec("quality.inspect", L(zh="质量检查", en="Quality inspection")),
    PermissionSpec("kb.view", L(zh="查看知识库", en="Read the knowledge base")),
    PermissionSpec("kb.edit", L(zh="编辑知识库", en="Edit the knowledge base")),
)

_STAFF = ("desk.access", "ticket.create", "ticket.view_own", "customer.view", "kb.view")
_AGENT = _STAFF + ("ticket.view_team", "ticket.reply", "ticket.note", "ticket.transition", "customer.edit")
_SUPERVISOR = _AGENT + ("ticket.assign", "ticket.approve_reassign", "ticket.escalate", "report.view", "kb.edit")
_MANAGER = _SUPERVISOR + ("ticket.view_all",)

ROLES = (
    RoleSpec("admin", L(zh="管理员", en="Administrator"), "admin", tuple(p.key for p in PERMISSIONS if p.key != "portal.access")),
    RoleSpec("manager", L(zh="经理", en="Manager"), "manager", _MANAGER),
    RoleSpec("supervisor", L(zh="主管", en="Supervisor"), "supervisor", _SUPERVISOR),
    RoleSpec("agent", L(zh="客服专员", en="Agent"), "agent", _AGENT),
    RoleSpec("quality", L(zh="质检", en="Quality inspector"), "quality",
             _STAFF + ("ticket.view_all", "quality.inspect", "report.view")),
    RoleSpec("customer", L(zh="客户", en="Customer"), "customer", ("portal.access", "ticket.view_own")),
)

TICKET_TYPES = (
    TicketTypeSpec("inquiry", L(zh="咨询", en="Inquiry"), category="inquiry", public=True, sort_order=10),
    TicketTypeSpec("query", L(zh="查询", en="Status query"), category="query", public=True, sort_order=20),
    TicketTypeSpec("complaint", L(zh="投诉", en="Complaint"), category="complaint", public=True, sort_order=30),
    TicketTypeSpec("fault", L(zh="故障报修", en="Fault report"), category="repair", public=True, sort_order=40),
    TicketTypeSpec("suggestion", L(zh="建议/表扬", en="Suggestion / praise"), category="suggestion", public=True,
                   sort_order=50),
    TicketTypeSpec("service_request", L(zh="业务办理", en="Service request"), category="service_request",
                   sort_order=60),
)


@hookimpl(trylast=True)
def kefu_permissions():
    return list(PERMISSIONS)


@hookimpl(trylast=True)
def kefu_roles():
    return list(ROLES)


@hookimpl(trylast=True)
def kefu_ticket_types():
    return list(TICKET_TYPES)


@hookimpl(trylast=True)
def kefu_workflows():
    return [GENERAL]


@hookimpl(trylast=True)
def kefu_nav_items(user):
    return [
        NavItem("desk", L(zh="工作台", en="Helpdesk"), "desk.index", "desk.access", order=10),
        NavItem("portal", L(zh="我的工单", en="My requests"), "portal.index", "portal.access", order=20),
        NavItem("portal_kb", L(zh="常见问题", en="FAQ"), "portal_kb.index", "portal.access", order=30),
        NavItem("kb", L(zh="知识库", en="Knowledge base"), "kb.index", "kb.view", order=60),
        NavItem("admin", L(zh="管理后台", en="Admin"), "admin.index", "admin.access", order=900),
    ]


@hookimpl(tryfirst=True)
def kefu_demo_data(session, rng):
    from core.demo.data import add_core_demo_data
    from core.kb.demo import add_kb_demo_data

    add_core_demo_data(session, rng, current_app.extensions["kefu"].registry)
    add_kb_demo_data(session, rng)
