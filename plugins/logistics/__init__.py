"""Logistics (物流, seed 004): shipments pushed or imported from the transport system and shown on inquiries,
complaints investigated before they are handled, claims approved by amount, key accounts with their visits
and monthly statistics. Only thin hookimpls live here."""
import os

from core.extensions import csrf
from core.i18n import Label
from core.plugins import hookimpl
from core.plugins.specs import NavItem, ScheduledJob
from plugins.logistics import lifecycle, monthly, panels, reminders, shipments
from plugins.logistics.admin import admin_views
from plugins.logistics.api import api_bp
from plugins.logistics.demo import add_demo_data
from plugins.logistics.kpis import KPIS
from plugins.logistics.roles import PERMISSIONS, ROLES
from plugins.logistics.search import SEARCH_FIELDS
from plugins.logistics.sla import sla_policies
from plugins.logistics.ticket_types import TICKET_TYPES
from plugins.logistics.views import bp
from plugins.logistics.workflows import WORKFLOWS


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
def kefu_care_reminders(start, end):
    return reminders.care_reminders(start, end)


@hookimpl
def kefu_scheduled_jobs():
    return [ScheduledJob("logistics.monthly_reports", Label(zh="大客户月度统计分析表", en="Key-account monthly statistics"),
                         every=3600, run=monthly.send_due_reports)]


@hookimpl
def kefu_ticket_transitioned(ticket, event, from_state, to_state):
    lifecycle.on_transition(ticket, event, from_state, to_state)


@hookimpl
def kefu_customer_merged(kept, merged):
    shipments.on_customer_merged(kept, merged)


@hookimpl
def kefu_blueprints(app):
    csrf.exempt(api_bp)  # bearer tokens, as the core's API
    return [bp, api_bp]


@hookimpl
def kefu_admin_views(admin, db):
    return admin_views()


@hookimpl
def kefu_nav_items(user):
    return [
        NavItem("logistics_key_accounts", Label(zh="大客户", en="Key accounts"), "logistics.key_accounts",
                "logistics.key_accounts", order=45),
        NavItem("logistics_complaints", Label(zh="投诉统计报表", en="Complaint statistics"),
                "logistics.complaint_statistics", "logistics.complaint_stats", order=71),
    ]


@hookimpl
def kefu_template_slot(name, context):
    if name == "ticket_sidebar":
        return panels.ticket_panel(context["ticket"])
    if name == "portal_ticket":
        return panels.portal_panel(context["ticket"])
    return None


@hookimpl
def kefu_migrations():
    return os.path.join(os.path.dirname(__file__), "migrations")


@hookimpl
def kefu_demo_data(session, rng):
    add_demo_data(session, rng)
