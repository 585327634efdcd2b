"""The utility's measures (contract C3): the hotline's reply rate and handling time and its count per category,
as the power group reports them monthly; the crews' arrival against the commitment; outage notices that
reached every account before the water went off."""
from datetime import datetime

from sqlalchemy import func, select

from core.extensions import db
from core.i18n import Label
from core.models import Ticket
from core.reports.kpis import KpiResult, KpiSpec, Target, of_type, site_timezone
from core.reports.sums import per_request
from plugins.water import hotline_report
from plugins.water.commitment import FAULT_BY_KEY
from plugins.water.hotline_report import FOLLOW_UPS, OUTAGE_NOTICES, REMINDERS, REQUEST_CATEGORIES
from plugins.water.models import Outage, OutageNotice
from plugins.water.outages import affected_accounts
from plugins.water.terms import Term

L = Label


def _requests(period, scope):
    return hotline_report.received(period, (*scope.ticket_conditions(), hotline_report.any_request()))


@per_request
def _lines(period, scope):
    """The hotline's request lines, read once per page for the KPIs that share them."""
    return hotline_report.request_lines(period, scope.ticket_conditions())


def reply_rate(period, scope):
    total = hotline_report.total(_lines(period, scope))
    return KpiResult.rate(total.answered, total.count, select(Ticket.id).where(_requests(period, scope)))


def average_handling_hours(period, scope):
    total = hotline_report.total(_lines(period, scope))
    return KpiResult(total.handling_hours, None, total.resolved,
                     select(Ticket.id).where(_requests(period, scope), Ticket.resolved_at.is_not(None)))


def _request_counter(category):
    def compute(period, scope):
        (line,) = [line for line in _lines(period, scope) if line.key == category.key]
        where = hotline_report.received(period, (*scope.ticket_conditions(), category.condition()))
        return KpiResult(line.count, tickets=select(Ticket.id).where(where))
    return compute


def _counter(category):
    def compute(period, scope):
        where = hotline_report.received(period, (*scope.ticket_conditions(), category.condition()))
        count = db.session.scalar(select(func.count(Ticket.id)).where(where))
        return KpiResult(count, tickets=select(Ticket.id).where(where))
    return compute


def follow_ups_made(period, scope):
    return KpiResult(hotline_report.follow_ups_made(period, scope.ticket_conditions()))


def notices_sent(period, scope):
    if any(value is not None for value in vars(scope).values()):
        return KpiResult(None)  # the site's notices, not a desk's
    return KpiResult(hotline_report.notices_sent(period))


def _local_instant(text):
    """A datetime field (Beijing wall-clock time, as the desk's input sends it) as an aware instant."""
    return datetime.fromisoformat(text).replace(tzinfo=site_timezone())


def arrival_on_time(period, scope):
    """Repairs reported in the period whose crew reached the site within the commitment for their fault."""
    arrived_at, fault = Ticket.fields["arrived_at"].as_string(), Ticket.fields["fault"].as_string()
    where = (hotline_report.received(period, (*scope.ticket_conditions(), of_type("water_repair"))),
             arrived_at.is_not(None), arrived_at != "", fault.in_(list(FAULT_BY_KEY)))
    arrived = db.session.execute(select(Ticket.id, Ticket.created_at, arrived_at, fault).where(*where)).all()
    on_time = [ticket_id for ticket_id, created, at, key in arrived
               if (_local_instant(at) - created).total_seconds() <= FAULT_BY_KEY[key].arrive_minutes * 60]
    return KpiResult.rate(len(on_time), len(arrived), select(Ticket.id).where(Ticket.id.in_(on_time)))


def notice_coverage(period, scope):
    """Of the accounts in outages that began in the period, the share told before their outage began. The
    outages are the site's, not a desk's: a scoped view (an agent, a team) has no value."""
    if any(value is not None for value in vars(scope).values()):
        return KpiResult(None)
    outages = db.session.scalars(select(Outage).where(Outage.cancelled_at.is_(None), Outage.starts_at >= period.start,
                                                      Outage.starts_at < period.end)).all()
    told = reached = 0
    for outage in outages:
        in_time = db.session.scalar(select(func.count(OutageNotice.id)).where(
            OutageNotice.outage_id == outage.id, OutageNotice.kind == "planned",
            OutageNotice.created_at < outage.starts_at))
        accounts = db.session.scalar(select(func.count()).select_from(affected_accounts(outage).subquery()))
        told, reached = told + in_time, reached + max(accounts, in_time)
    return KpiResult.rate(told, reached)


KPIS = (
    KpiSpec("water.reply_rate", L(zh="受理业务答复率", en="Reply rate"),
            L(zh="本期受理的咨询、报修、投诉、业务办理和表扬建议中已答复客户的比例",
              en="Share of the period's inquiries, fault reports, complaints, service requests and praise that the "
                 "customer had an answer to"),
            reply_rate, target=Target(">=", 98), sort_order=300),
    KpiSpec("water.average_handling_hours", L(zh="平均处理时长", en="Average handling time"),
            L(zh="本期受理且已解决的业务从受理到解决的平均小时数",
              en="Mean hours from receipt to resolution of the period's resolved requests"),
            average_handling_hours, unit="hours", target=Target("<=", 24), sort_order=301),
    KpiSpec("water.arrival_on_time", L(zh="抢修到场及时率", en="Crews on site in time"),
            L(zh="本期报修中抢修人员在服务承诺时限内到达现场的比例",
              en="Share of the period's repairs whose crew was on site within the commitment for the fault"),
            arrival_on_time, target=Target(">=", 95), sort_order=302),
    KpiSpec("water.outage_notice_coverage", Term(zh="计划{outage}通知到户率", en="Planned {outage} notices in time"),
            Term(zh="本期开始的计划{outage}所涉用户中在{outage}前收到通知的比例",
                 en="Share of the accounts in the period's planned {outage}s that were told before it began"),
            notice_coverage, target=Target(">=", 100), sort_order=303),
    *(KpiSpec(f"water.hotline_{category.key}", category.label,
              L(zh=f"本期受理的{category.label.zh}数量", en=f"{category.label.en} received in the period"),
              _request_counter(category), unit="count", sort_order=310 + n)
      for n, category in enumerate(REQUEST_CATEGORIES)),
    KpiSpec("water.hotline_follow_up", FOLLOW_UPS.label,
            L(zh="本期完成的客户回访数", en="Customer follow-ups made in the period"),
            follow_ups_made, unit="count", sort_order=316),
    KpiSpec("water.hotline_outage_notice", OUTAGE_NOTICES.label,
            Term(zh="本期发出的计划{outage}通知数", en="Planned {outage} notices sent in the period"),
            notices_sent, unit="count", sort_order=317),
    KpiSpec("water.hotline_reminder", REMINDERS.label, Term(zh="本期催缴{bill}次数", en="{bill} reminders made in the period"),
            _counter(REMINDERS), unit="count", sort_order=318),
)

