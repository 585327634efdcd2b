"""What the plugin adds to the core's pages: the account panel beside a utility ticket, and the outage banner
(the customer's own planned outages in the portal; the outages in progress for staff)."""
from flask import current_app, render_template
from flask_login import current_user

from plugins.water import accounts, areas, outages
from plugins.water.commitment import CONDUCT_RULES, CONDUCT_TITLE, FAULT_BY_KEY

PLUGIN = "water"


def is_ours(ticket):
    return current_app.extensions["kefu"].registry.ticket_type_owner.get(ticket.type.key) == PLUGIN


def ticket_panel(ticket):
    if not is_ours(ticket):
        return None
    area = accounts.ticket_area(ticket)
    crew, _served = areas.crew_for(area)
    fault = FAULT_BY_KEY.get((ticket.fields or {}).get("fault")) if ticket.type.key == "water_repair" else None
    return render_template(
        "water/ticket_panel.html", ticket=ticket, account=accounts.ticket_account(ticket), area=area,
        area_path=areas.path(area) if area else "",
        crew=crew, outage=outages.outage_of(ticket), fault=fault, rules=CONDUCT_RULES, rules_title=CONDUCT_TITLE)


def banner():
    if not current_user.is_authenticated:
        return None
    if current_user.is_staff:
        shown = outages.in_progress() if current_user.can("water.outage_view") else []
    else:
        shown = outages.for_customer(current_user.customer_id) if current_user.customer_id else []
    if not shown:
        return None
    return render_template("water/banner.html", outages=shown, staff=current_user.is_staff)
