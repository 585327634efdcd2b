"""The department's measures (contract C3): deliveries on time, complaints investigated, claims settled within
the period and complaints per hundred shipments."""
from sqlalchemy import func, select

from core.extensions import db
from core.i18n import Label
from core.models import Ticket
from core.reports.kpis import KpiResult, KpiSpec, Target, received_of_type
from plugins.logistics.models import InvestigationReport, Shipment

L = Label


def _site_wide(scope):
    return not any(value is not None for value in vars(scope).values())


def on_time_rate(period, scope):
    if not _site_wide(scope):
        return KpiResult(None)  # shipments belong to the site, not to a desk
    delivered = db.session.scalars(select(Shipment).where(Shipment.delivered_at >= period.start,
                                                          Shipment.delivered_at < period.end,
                                                          Shipment.promised_on.is_not(None))).all()
    return KpiResult.rate(sum(1 for s in delivered if s.on_time), len(delivered))


def investigated_rate(period, scope):
    where = (*received_of_type(period, scope, "logistics_complaint"), Ticket.status_category.in_(("resolved", "closed")))
    total = db.session.scalar(select(func.count(Ticket.id)).where(*where))
    done = db.session.scalar(select(func.count(Ticket.id)).where(
        *where, Ticket.id.in_(select(InvestigationReport.ticket_id))))
    return KpiResult.rate(done, total, select(Ticket.id).where(*where))


def claims_settled_rate(period, scope):
    where = received_of_type(period, scope, "logistics_claim")
    total = db.session.scalar(select(func.count(Ticket.id)).where(*where))
    done = db.session.scalar(select(func.count(Ticket.id)).where(*where, Ticket.resolved_at.is_not(None)))
    return KpiResult.rate(done, total, select(Ticket.id).where(*where))


def complaints_per_100(period, scope):
    if not _site_wide(scope):
        return KpiResult(None)
    shipments = db.session.scalar(select(func.count(Shipment.id)).where(
        Shipment.created_at >= period.start, Shipment.created_at < period.end))
    where = received_of_type(period, scope, "logistics_complaint")
    complaints = db.session.scalar(select(func.count(Ticket.id)).where(*where))
    value = round(100 * complaints / shipments, 2) if shipments else None
    return KpiResult(value, None, complaints, select(Ticket.id).where(*where))


KPIS = (
    KpiSpec("logistics.on_time_rate", L(zh="准时送达率", en="Delivered on time"),
            L(zh="本期签收且有承诺日期的运单中按期送达的比例",
              en="Share of the period's delivered shipments with a promised day that arrived by it"),
            on_time_rate, target=Target(">=", 95), sort_order=400),
    KpiSpec("logistics.investigated_rate", L(zh="投诉调查报告完成率", en="Complaints investigated"),
            L(zh="本期受理并已处理的投诉中有调查报告的比例",
              en="Share of the period's handled complaints with an investigation report"),
            investigated_rate, target=Target(">=", 100), sort_order=401),
    KpiSpec("logistics.claims_settled_rate", L(zh="理赔结案率", en="Claims settled"),
            L(zh="本期受理的理赔中已赔付或办结的比例", en="Share of the period's claims that were settled"),
            claims_settled_rate, target=Target(">=", 90), sort_order=402),
    KpiSpec("logistics.complaints_per_100", L(zh="百票投诉率", en="Complaints per 100 shipments"),
            L(zh="本期每百票运单的投诉数", en="Complaints per hundred shipments of the period"),
            complaints_per_100, unit="per_100", target=Target("<=", 1), sort_order=403),
)
