"""The core's own contributions, registered through the same hooks as plugins (trylast: a plugin may
replace a default by returning a spec with the same key)."""
from flask import current_app

from core.i18n import Label
from core.notifications import CORE_NOTIFICATION_KINDS, deliver_pending
from core.plugins import hookimpl
from core.plugins.specs import NavItem, PermissionSpec, RoleSpec, ScheduledJob, TicketTypeSpec
from core.reports.mailing import monthly_report_job
from core.reports.measures import CORE_KPIS
from core.reports.refresh import refresh_pending
from core.sla.sweep import sweep_job
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
    PermissionSpec("customer.merge", L(zh="合并重复客户档案", en="Merge duplicate customer records")),
    PermissionSpec("customer.export", L(zh="导出客户档案", en="Export customer records")),
    PermissionSpec("customer.confirm_problem", L(zh="认定劣质客户", en="Confirm problem customers")),
    PermissionSpec("customer.clearance.secret", L(zh="借阅秘密级客户档案", en="Open customer records classified secret")),
    PermissionSpec("customer.clearance.confidential", L(zh="借阅机密级客户档案",
                                                        en="Open customer records classified confidential")),
    PermissionSpec("customer.clearance.top_secret", L(zh="借阅绝密级客户档案",
                                                      en="Open customer records classified top secret")),
    PermissionSpec("care.work", L(zh="客户关怀（问候与提醒）", en="Customer care (greetings and reminders)")),
    PermissionSpec("report.view", L(zh="查看报表", en="See reports")),
    PermissionSpec("quality.inspect", L(zh="质量检查", en="Quality inspection")),
    PermissionSpec("followup.do", L(zh="客户回访", en="Follow up with customers")),
    PermissionSpec("followup.manage", L(zh="管理回访与调查", en="Manage follow-ups and investigations")),
    PermissionSpec("kb.view", L(zh="查看知识库", en="Read the knowledge base")),
    PermissionSpec("kb.edit", L(zh="编辑知识库", en="Edit the knowledge base")),
)

_STAFF = ("desk.access", "ticket.create", "ticket.view_own", "customer.view", "kb.view")
_AGENT = _STAFF + ("ticket.view_team", "ticket.reply", "ticket.note", "ticket.transition", "customer.edit",
                   "followup.do", "care.work")
_SUPERVISOR = _AGENT + ("ticket.assign", "ticket.approve_reassign", "ticket.escalate", "report.view", "kb.edit",
                        "followup.manage", "customer.merge", "customer.export", "customer.confirm_problem")
# "仅经理及以上人员有权借阅客户档案": managers open 秘密 and 机密 records; 绝密 only the admin, unless the site
# gives it to a role in the admin panel.
_MANAGER = _SUPERVISOR + ("ticket.view_all", "customer.clearance.secret", "customer.clearance.confidential")

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
def kefu_kpis():
    return list(CORE_KPIS)


@hookimpl(trylast=True)
def kefu_notification_kinds():
    return list(CORE_NOTIFICATION_KINDS)


@hookimpl(trylast=True)
def kefu_scheduled_jobs():
    # Every round (every=1): warnings and escalations go out as soon as they are due, then their e-mails.
    return [
        ScheduledJob("core.sla_sweep", L(zh="SLA 巡检（预警、超时升级）", en="SLA sweep (warnings, breaches, escalations)"),
                     every=1, run=sweep_job, sort_order=10),
        ScheduledJob("core.report_refresh", L(zh="报表数据更新", en="Report figures of changed tickets"),
                     every=1, run=refresh_pending, sort_order=20),
        ScheduledJob("core.report_mail", L(zh="发送月度服务报表", en="Monthly service report by e-mail"),
                     every=3600, run=monthly_report_job, sort_order=900),
        ScheduledJob("core.notifications", L(zh="发送站外通知", en="Outside notifications (e-mail, plugin channels)"),
                     every=1, run=deliver_pending, sort_order=1000),
        ScheduledJob("core.planner_statistics", L(zh="更新数据库统计信息", en="Database statistics for the query planner"),
                     every=3600, run=planner_statistics_job, sort_order=990),
        # What the web processes left in the search outbox (their own thread writes most of it at once).
        ScheduledJob("core.search_outbox", L(zh="更新搜索索引", en="Search index updates"),
                     every=1, run=search_outbox_job, sort_order=500),
    ]


def planner_statistics_job(now):
    from core.database import refresh_planner_statistics

    refresh_planner_statistics()


def search_outbox_job(now):
    from core.search.indexer import apply_outbox

    return apply_outbox(now)


@hookimpl(trylast=True)
def kefu_nav_items(user):
    return [
        NavItem("desk", L(zh="工作台", en="Helpdesk"), "desk.index", "desk.access", order=10),
        NavItem("portal", L(zh="我的工单", en="My requests"), "portal.index", "portal.access", order=20),
        NavItem("portal_kb", L(zh="常见问题", en="FAQ"), "portal_kb.index", "portal.access", order=30),
        NavItem("customers", L(zh="客户档案", en="Customers"), "customers.index", "customer.view", order=40),
        NavItem("care", L(zh="客户关怀", en="Customer care"), "care.index", "care.work", order=45),
        NavItem("reports", L(zh="报表", en="Reports"), "reports.dashboard", "report.view", order=55),
        NavItem("kb", L(zh="知识库", en="Knowledge base"), "kb.index", "kb.view", order=60),
        NavItem("admin", L(zh="管理后台", en="Admin"), "admin.index", "admin.access", order=900),
    ]


@hookimpl(tryfirst=True)
def kefu_demo_data(session, rng):
    from core.demo.data import add_core_demo_data
    from core.kb.demo import add_kb_demo_data

    add_core_demo_data(session, rng, current_app.extensions["kefu"].registry)
    add_kb_demo_data(session, rng)
