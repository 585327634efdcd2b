"""What the plugin adds to the core's pages: the location and emergency plan beside a ticket, the resident's
confirmation button in the portal, and the plan's steps on the timeline."""
from flask import current_app, render_template
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup, escape

from plugins.property import emergency
from plugins.property.location import describe, ticket_building, ticket_room

PLUGIN = "property"


def is_ours(ticket):
    return current_app.extensions["kefu"].registry.ticket_type_owner.get(ticket.type.key) == PLUGIN


def ticket_panel(ticket):
    if not is_ours(ticket):
        return None
    building = ticket_building(ticket)
    plan = emergency.plan_of(ticket) if ticket.type.key == "property_emergency" else ()
    return Markup(render_template(
        "property/ticket_panel.html", ticket=ticket, location=describe(ticket), building=building, plan=plan,
        room=ticket_room(ticket),
        ticked=emergency.ticked(ticket) if plan else {},
        may_tick=current_user.can("property.emergency") and ticket.active))


def portal_confirm(ticket):
    if not is_ours(ticket) or ticket.status != "completed" or not current_user.can("portal.access"):
        return None
    return Markup(render_template("property/portal_confirm.html", ticket=ticket))


def timeline_event(event):
    if event.kind != emergency.STEP_EVENT:
        return None
    label = emergency.step_label(event.ticket, (event.data or {}).get("step"))
    return escape(_("emergency plan: done “%(step)s”", step=label or (event.data or {}).get("step")))
