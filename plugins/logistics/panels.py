"""What the plugin adds to the core's pages: the shipment and its status history beside a logistics ticket (with
the claim's approval limit and the complaint's investigation report, for staff only), and the shipment's
history on the customer's own request in the portal when the shipment is theirs."""
from flask import render_template
from flask_login import current_user

from core.extensions import db
from plugins.logistics.lifecycle import is_ours
from plugins.logistics.models import InvestigationReport, KeyAccount
from plugins.logistics.shipments import STATE_LABELS, customer_may_see, ticket_shipment
from plugins.logistics.ticket_types import CAUSE_LABELS
from plugins.logistics.workflows import claim_limit


def ticket_panel(ticket):
    if not is_ours(ticket) or not current_user.can("logistics.shipment_view"):
        return None
    complaint = ticket.type.key == "logistics_complaint"
    return render_template(
        "logistics/ticket_panel.html", ticket=ticket, shipment=ticket_shipment(ticket), states=STATE_LABELS,
        key_account=KeyAccount.of_customer(ticket.customer_id), complaint=complaint,
        report=db.session.get(InvestigationReport, ticket.id) if complaint else None,
        may_investigate=current_user.can("logistics.investigate"), causes=CAUSE_LABELS,
        claim_limit=claim_limit() if ticket.type.key == "logistics_claim" else None)


def portal_panel(ticket):
    if not is_ours(ticket) or current_user.is_staff:
        return None
    shipment = ticket_shipment(ticket)
    if not customer_may_see(shipment, current_user.customer):
        return None
    return render_template("logistics/portal_panel.html", shipment=shipment, states=STATE_LABELS)
