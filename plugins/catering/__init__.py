"""Catering floor service (餐饮楼面): floor areas and tables, reservations with guest profiles, orders and their
dishes, floor requests (催菜, 加菜/换菜, 退菜, 客人投诉, 服务请求) on a live board per area, the 15-minute dish chase and
the shift report. Only thin hookimpls live here."""
import os

from core.i18n import Label
from core.plugins import hookimpl
from core.plugins.specs import NavItem, ScheduledJob
from plugins.catering import floor, panels
from plugins.catering.admin import admin_views
from plugins.catering.demo import add_demo_data
from plugins.catering.kpis import KPIS
from plugins.catering.roles import PERMISSIONS, ROLES
from plugins.catering.search import SEARCH_FIELDS
from plugins.catering.sla import sla_policies
from plugins.catering.ticket_types import TICKET_TYPES
from plugins.catering.views import bp
from plugins.catering.workflows import WORKFLOWS


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
    return [floor.table_lookup()]


@hookimpl
def kefu_workflows():
    return list(WORKFLOWS)


@hookimpl
def kefu_sla_policies():
    return sla_policies()


@hookimpl
def kefu_escalation_contacts(ticket, level):
    return floor.escalation_contacts(ticket, level)


@hookimpl
def kefu_scheduled_jobs():
    return [ScheduledJob("catering.dish_chase", Label(zh="催菜（出菜超过15分钟）", en="Dish chase (15 minutes)"),
                         every=60, run=floor.chase_late_dishes, sort_order=50)]


@hookimpl
def kefu_kpis():
    return list(KPIS)


@hookimpl
def kefu_search_fields():
    return list(SEARCH_FIELDS)


@hookimpl
def kefu_ticket_created(ticket, event):
    floor.on_created(ticket)


@hookimpl
def kefu_ticket_transitioned(ticket, event, from_state, to_state):
    floor.on_transition(ticket, event)


@hookimpl
def kefu_customer_merged(kept, merged):
    panels.merge_guests(kept, merged)


@hookimpl
def kefu_template_slot(name, context):
    if name == "ticket_sidebar":
        return panels.ticket_panel(context["ticket"])
    return None


@hookimpl
def kefu_blueprints(app):
    return [bp]


@hookimpl
def kefu_admin_views(admin, db):
    return admin_views()


@hookimpl
def kefu_nav_items(user):
    return [
        NavItem("catering_board", Label(zh="楼面看板", en="Floor board"), "catering.boards", "catering.board", order=30),
        NavItem("catering_orders", Label(zh="点菜单", en="Orders"), "catering.orders", "catering.order", order=31),
        NavItem("catering_reservations", Label(zh="订座", en="Reservations"), "catering.reservations",
                "catering.reserve", order=32),
        NavItem("catering_shift", Label(zh="班次报表", en="Shift report"), "catering.shift_report",
                "catering.report", order=70),
    ]


@hookimpl
def kefu_migrations():
    return os.path.join(os.path.dirname(__file__), "migrations")


@hookimpl
def kefu_demo_data(session, rng):
    add_demo_data(session, rng)
