"""投诉统计报表: the period's complaints counted by cause, by route (the waybill's origin → destination) and by
month, with how many have their investigation report."""
from collections import Counter

from sqlalchemy import select

from core.extensions import db
from core.models import Ticket, TicketType
from plugins.logistics.models import InvestigationReport, Shipment
from plugins.logistics.ticket_types import CAUSE_LABELS


def statistics(period):
    rows = db.session.execute(
        select(Ticket.id, Ticket.fields, Ticket.created_at, Shipment.origin, Shipment.destination,
               InvestigationReport.ticket_id)
        .join(TicketType, TicketType.id == Ticket.type_id)
        .outerjoin(Shipment, Shipment.waybill == Ticket.fields["waybill"].as_string())
        .outerjoin(InvestigationReport, InvestigationReport.ticket_id == Ticket.id)
        .where(TicketType.key == "logistics_complaint", Ticket.created_at >= period.start,
               Ticket.created_at < period.end)).all()
    by_cause, by_route, by_month = Counter(), Counter(), Counter()
    investigated = 0
    from core.care.service import site_today

    for _id, fields, created_at, origin, destination, report in rows:
        by_cause[(fields or {}).get("cause") or "other"] += 1
        by_route[f"{origin}→{destination}" if origin else "—"] += 1
        by_month[site_today(created_at).strftime("%Y-%m")] += 1
        investigated += report is not None
    return {
        "total": len(rows), "investigated": investigated,
        "by_cause": [(CAUSE_LABELS.get(key, key), count) for key, count in by_cause.most_common()],
        "by_route": by_route.most_common(), "by_month": sorted(by_month.items()),
    }
