"""Property management (物业管理): estates, buildings, units and rooms with their owners and residents; repairs
from the front desk through the technician to the resident's confirmation; complaints handled within 24 hours;
emergencies with their plan; the butlers' patrols; the office's targets as KPIs. Only thin hookimpls live here."""
import os

from core.i18n import Label
from core.plugins import hookimpl
from core.plugins.specs import NavItem
from plugins.property import emergency, location, panels
from plugins.property.admin import admin_views
from plugins.property.demo import add_demo_data
from plugins.property.dispatch import candidates, follow_up_to_butler
from plugins.property.kpis import KPIS
from plugins.property.roles import PERMISSIONS, ROLES
from plugins.property.search import SEARCH_FIELDS
from plugins.property.sla import sla_policies
from plugins.property.ticket_types import TICKET_TYPES
from plugins.property.views import bp
from plugins.property.workflows import WORKFLOWS


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
    return location.lookups()


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
def kefu_notification_kinds():
    return [emergency.NOTIFICATION]


@hookimpl
def kefu_assignment_candidates(ticket):
    return candidates(ticket)


@hookimpl
def kefu_ticket_created(ticket, event):
    emergency.alert(ticket, event)


@hookimpl(trylast=True)  # after the closed loop has created the follow-up
def kefu_ticket_transitioned(ticket, event, from_state, to_state):
    follow_up_to_butler(ticket, to_state)


@hookimpl
def kefu_customer_merged(kept, merged):
    location.move_occupants(kept, merged)


@hookimpl
def kefu_blueprints(app):
    return [bp]


@hookimpl
def kefu_admin_views(admin, db):
    return admin_views()


@hookimpl
def kefu_nav_items(user):
    return [
        NavItem("property_jobs", Label(zh="我的维修单", en="My jobs"), "property.jobs", "property.repair_work", order=12),
        NavItem("property_patrols", Label(zh="巡查", en="Patrols"), "property.patrols", "property.patrol", order=45),
        NavItem("property_estates", Label(zh="小区", en="Estates"), "property.estates", "property.estate_view",
                order=46),
    ]


@hookimpl
def kefu_template_slot(name, context):
    if name == "ticket_sidebar":
        return panels.ticket_panel(context["ticket"])
    if name == "portal_ticket":
        return panels.portal_confirm(context["ticket"])
    if name == "timeline_event":
        return panels.timeline_event(context["event"])
    return None


@hookimpl
def kefu_migrations():
    return os.path.join(os.path.dirname(__file__), "migrations")


@hookimpl
def kefu_demo_data(session, rng):
    add_demo_data(session, rng)
