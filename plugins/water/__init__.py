"""Water and other utilities (供水 / 燃气 / 供电): accounts in service areas, repairs dispatched to the area's
crew, planned outages told to every account they reach, account applications with approval, the monthly
hotline report. The site's utility kind changes the words, not the code. Only thin hookimpls live here."""
import os

from core.i18n import Label
from core.plugins import hookimpl
from core.plugins.specs import NavItem, ScheduledJob
from plugins.water import areas, lifecycle, outages, panels
from plugins.water.admin import admin_views
from plugins.water.commitment import sla_policies
from plugins.water.demo import add_demo_data
from plugins.water.dispatch import candidates
from plugins.water.kpis import KPIS
from plugins.water.roles import PERMISSIONS, ROLES
from plugins.water.search import SEARCH_FIELDS
from plugins.water.terms import PHRASES
from plugins.water.ticket_types import TICKET_TYPES
from plugins.water.views import bp
from plugins.water.workflows import WORKFLOWS


@hookimpl
def kefu_permissions():
    return list(PERMISSIONS)


@hookimpl
def kefu_roles():
    return list(ROLES)


@hookimpl
def kefu_ticket_types():
    return list(TICKET_TYPES)


@hookimpl
def kefu_lookups():
    return [areas.lookup()]


@hookimpl
def kefu_workflows():
    return list(WORKFLOWS)


@hookimpl
def kefu_sla_policies():
    return sla_policies()


@hookimpl
def kefu_kpis():
    return list(KPIS)


@hookimpl
def kefu_search_fields():
    return list(SEARCH_FIELDS)


@hookimpl
def kefu_assignment_candidates(ticket):
    return candidates(ticket)


@hookimpl(trylast=True)  # after the SLA engine has started the report's clocks
def kefu_ticket_created(ticket, event):
    lifecycle.answer_from_outage(ticket)


@hookimpl
def kefu_ticket_transitioned(ticket, event, from_state, to_state):
    lifecycle.on_transition(ticket, event, from_state, to_state)


@hookimpl
def kefu_scheduled_jobs():
    return [ScheduledJob("water.outage_notices", Label(zh="计划停供通知", en="Planned outage notices"), every=300,
                         run=outages.send_notices)]


@hookimpl
def kefu_blueprints(app):
    return [bp]


@hookimpl
def kefu_admin_views(admin, db):
    return admin_views()


@hookimpl
def kefu_nav_items(user):
    return [
        NavItem("water_outages", PHRASES["planned_outages"], "water.outage_list", "water.outage_view", order=40),
        NavItem("water_report", Label(zh="热线月报", en="Hotline report"), "water.hotline", "report.view", order=70),
        NavItem("water_commitment", Label(zh="服务承诺", en="Our commitment"), "water.service_commitment",
                "portal.access", order=35),
    ]


@hookimpl
def kefu_template_slot(name, context):
    if name == "ticket_sidebar":
        return panels.ticket_panel(context["ticket"])
    if name == "page_banner":
        return panels.banner()
    return None


@hookimpl
def kefu_migrations():
    return os.path.join(os.path.dirname(__file__), "migrations")


@hookimpl
def kefu_demo_data(session, rng):
    add_demo_data(session, rng)
