"""The office's targets (seed 000) as KPIs: complaint handling rate 100 %, complaint follow-up rate ≥ 50 %,
paid-service satisfaction ≥ 98 %, monthly valid complaints per household < 2 %, management-fee collection rate
≥ 95 %, complaints handled within 24 hours; and the repairs done, counted for the technician who did them and
the butler of the building."""
from datetime import timedelta

from sqlalchemy import func, select

from core.extensions import db
from core.i18n import Label
from core.models import FollowUp, Survey, Ticket
from core.reports.kpis import KpiResult, KpiSpec, Target, of_type, received_of_type, site_timezone
from plugins.property.models import Building, MonthlyFee, Room

L = Label
DONE_REPAIR_STATES = ("confirmed", "follow_up", "closed")


def _ids(*where):
    return select(Ticket.id).where(*where)


def _count(*where):
    return db.session.scalar(select(func.count(Ticket.id)).where(*where))


def complaint_handling_rate(period, scope):
    where = received_of_type(period, scope, "property_complaint")
    done = Ticket.resolved_at.is_not(None)
    return KpiResult.rate(_count(*where, done), _count(*where), _ids(*where, done), denominator_tickets=_ids(*where))


def complaint_24h(period, scope):
    where = received_of_type(period, scope, "property_complaint")
    rows = db.session.execute(select(Ticket.id, Ticket.created_at, Ticket.resolved_at).where(*where)).all()
    on_time = [row.id for row in rows if row.resolved_at is not None
               and row.resolved_at - row.created_at <= timedelta(hours=24)]
    return KpiResult.rate(len(on_time), len(rows), select(Ticket.id).where(Ticket.id.in_(on_time)))


def complaint_follow_up_rate(period, scope):
    where = (of_type("property_complaint"), Ticket.resolved_at >= period.start, Ticket.resolved_at < period.end,
             *scope.ticket_conditions())
    followed = select(FollowUp.ticket_id).where(FollowUp.state == "done")
    return KpiResult.rate(_count(*where, Ticket.id.in_(followed)), _count(*where), _ids(*where, Ticket.id.in_(followed)))


def paid_service_satisfaction(period, scope):
    surveys = (select(Survey.ticket_id, Survey.quality, Survey.attitude, Survey.speed).join(Ticket)
               .where(of_type("property_paid_service"), Survey.state == "answered", Survey.answered_at >= period.start,
                      Survey.answered_at < period.end, *scope.ticket_conditions()))
    rows = db.session.execute(surveys).all()
    happy = [row.ticket_id for row in rows if min(s for s in (row.quality, row.attitude, row.speed) if s is not None) >= 4]
    return KpiResult.rate(len(happy), len(rows), select(Ticket.id).where(Ticket.id.in_(happy)))


def valid_complaints_per_household(period, scope):
    """Valid complaints (checked: the office was at fault) received in the period per household, in per cent."""
    households = db.session.scalar(select(func.count(Room.id)))
    valid = [ticket_id for ticket_id, fields in db.session.execute(
        select(Ticket.id, Ticket.fields).where(*received_of_type(period, scope, "property_complaint"))) if
        (fields or {}).get("valid") is True]
    return KpiResult.rate(len(valid), households, select(Ticket.id).where(Ticket.id.in_(valid)))


def _months(period):
    zone = site_timezone()
    first, last = period.start.astimezone(zone).date(), (period.end - timedelta(seconds=1)).astimezone(zone).date()
    months, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def fee_collection_rate(period, scope):
    """Of the management fees due for the period's months (the imported figures), the share paid. The fees are
    the site's, not a desk's: a scoped view has no value."""
    if any(value is not None for value in vars(scope).values()):
        return KpiResult(None)
    due, paid = db.session.execute(select(func.sum(MonthlyFee.amount_due), func.sum(MonthlyFee.amount_paid))
                                   .where(MonthlyFee.month.in_(_months(period)))).one()
    return KpiResult.rate(float(paid or 0), float(due or 0))


def repairs_done(period, scope):
    """Repairs the resident confirmed in the period. For one person: those they did as the technician and those
    in the buildings they look after as the butler."""
    where = [of_type("property_repair"), Ticket.status.in_(DONE_REPAIR_STATES), Ticket.resolved_at >= period.start,
             Ticket.resolved_at < period.end]
    if scope.agent_id is not None:
        buildings = [str(i) for i in db.session.scalars(select(Building.id).where(Building.butler_id == scope.agent_id))]
        rows = db.session.execute(select(Ticket.id, Ticket.assignee_id, Ticket.fields).where(*where)).all()
        ids = [row.id for row in rows if row.assignee_id == scope.agent_id
               or str((row.fields or {}).get("building")) in buildings]
        return KpiResult(len(ids), tickets=select(Ticket.id).where(Ticket.id.in_(ids)))
    conditions = scope.ticket_conditions()
    return KpiResult(_count(*where, *conditions), tickets=_ids(*where, *conditions))


KPIS = (
    KpiSpec("property.complaint_handling_rate", L(zh="投诉处理率", en="Complaint handling rate"),
            L(zh="本期受理的投诉中已处理完毕的比例", en="Share of the period's complaints that were handled"),
            complaint_handling_rate, target=Target(">=", 100), sort_order=400),
    KpiSpec("property.complaint_24h", L(zh="投诉24小时处理率", en="Complaints handled in 24 hours"),
            L(zh="本期受理的投诉中24小时内处理完毕的比例",
              en="Share of the period's complaints handled within 24 hours of being received"),
            complaint_24h, target=Target(">=", 100), sort_order=401),
    KpiSpec("property.complaint_follow_up_rate", L(zh="投诉回访率", en="Complaint follow-up rate"),
            L(zh="本期处理完毕的投诉中已回访的比例", en="Share of the complaints handled in the period that were followed up"),
            complaint_follow_up_rate, target=Target(">=", 50), sort_order=402),
    KpiSpec("property.paid_service_satisfaction", L(zh="有偿服务满意率", en="Paid-service satisfaction"),
            L(zh="本期有偿服务评价中各项均不低于4分的比例",
              en="Share of the period's paid-service ratings with every score 4 or more"),
            paid_service_satisfaction, target=Target(">=", 98), sort_order=403),
    KpiSpec("property.valid_complaints_per_household", L(zh="住户月有效投诉率", en="Valid complaints per household"),
            L(zh="本期有效投诉数占住户总数的百分比", en="Valid complaints received in the period per 100 households"),
            valid_complaints_per_household, target=Target("<", 2), sort_order=404),
    KpiSpec("property.fee_collection_rate", L(zh="管理费收缴率", en="Management-fee collection rate"),
            L(zh="本期各月应收管理费中已收缴的比例（按导入的每户月度数据）",
              en="Share of the management fees due for the period's months that were paid (imported per room)"),
            fee_collection_rate, target=Target(">=", 95), sort_order=405),
    KpiSpec("property.repairs_done", L(zh="完成报修数", en="Repairs done"),
            L(zh="本期经业主确认完工的报修数（维修工本人完成的及管家所辖楼栋的）",
              en="Repairs the resident confirmed in the period (done by the technician, or in the butler's buildings)"),
            repairs_done, unit="count", sort_order=406),
)
