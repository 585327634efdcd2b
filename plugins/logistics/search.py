"""What the search finds a logistics ticket by: its waybill number, the shipment's consignee and the shipper's
and consignee's phones (waybill:SF1001, consignee:李娜, phone:13900000001)."""
from sqlalchemy import select

from core.extensions import db
from core.i18n import Label
from core.models import Ticket, TicketType
from core.plugins.specs import SearchFieldSpec
from core.search import queue_reindex
from plugins.logistics.shipments import ticket_shipment

TYPES = ("logistics_inquiry", "logistics_urgent", "logistics_complaint", "logistics_claim", "logistics_return")


def waybill(ticket):
    return (ticket.fields or {}).get("waybill") or None


def consignee(ticket):
    shipment = ticket_shipment(ticket)
    return shipment.consignee_name if shipment is not None else None


def phones(ticket):
    shipment = ticket_shipment(ticket)
    if shipment is None:
        return None
    return sorted({shipment.shipper_phone, shipment.consignee_phone} - {None, ""}) or None


SEARCH_FIELDS = (
    SearchFieldSpec("waybill", Label(zh="运单号", en="Waybill number"), waybill),
    SearchFieldSpec("consignee", Label(zh="收货人", en="Consignee"), consignee),
    SearchFieldSpec("phone", Label(zh="电话", en="Phone"), phones),
)


def reindex_shipments(waybills):
    """Shipments whose consignee or phones changed: their tickets are indexed again with the commit."""
    if not waybills:
        return []
    ids = db.session.scalars(select(Ticket.id).join(TicketType, Ticket.type_id == TicketType.id)
                             .where(TicketType.key.in_(TYPES),
                                    Ticket.fields["waybill"].as_string().in_(list(waybills)))).all()
    return queue_reindex(ids)
