"""The monthly hotline report as the power group files it (seed 001, “按月汇总96789客户服务系统受理业务咨询、故障报修、
投诉举报、办理用电业务、表扬建议、客户回访、计划停电提醒服务、催缴电费等各项工作”): a period's work by category,
with the reply rate (受理业务答复率) and the average handling time. The report page and the KPIs read it here."""
from dataclasses import dataclass

from sqlalchemy import and_, case, func, or_, select

from core.extensions import db
from core.i18n import Label
from core.models import FollowUp, Ticket
from core.reports.kpis import of_type
from core.tickets.access import active_type_ids
from plugins.water.models import OutageNotice
from plugins.water.terms import Term

L = Label
REMINDER_TYPE = "water_reminder"


@dataclass(frozen=True)
class Line:
    """One category of the report. Requests have a reply rate and a handling time; the other lines count what
    was done (notices sent, reminders made)."""

    key: str
    label: object
    count: int
    answered: int | None = None
    resolved: int | None = None
    handling_hours: float | None = None  # mean, over the resolved ones, from receipt to resolution

    @property
    def reply_rate(self):
        if self.answered is None or not self.count:
            return None
        return 100.0 * self.answered / self.count


@dataclass(frozen=True)
class Category:
    key: str
    label: object
    condition: object  # condition() -> a SQL condition on Ticket: the requests the line counts


REQUEST_CATEGORIES = (
    Category("consultation", L(zh="业务咨询", en="Inquiries"), lambda: Ticket.category.in_(("inquiry", "query"))),
    Category("repair", L(zh="故障报修", en="Fault reports"), lambda: Ticket.category == "repair"),
    Category("complaint", L(zh="投诉举报", en="Complaints and reports"), lambda: Ticket.category == "complaint"),
    Category("service", L(zh="业务办理", en="Service requests"), lambda: Ticket.category == "service_request"),
    Category("praise", L(zh="表扬建议", en="Praise and suggestions"), lambda: Ticket.category == "suggestion"),
)
FOLLOW_UPS = Category("follow_up", L(zh="客户回访", en="Customer follow-ups"), None)
OUTAGE_NOTICES = Category("outage_notice", Term(zh="计划{outage}提醒", en="Planned {outage} notices"), None)
REMINDERS = Category("reminder", Term(zh="催缴{bill}", en="{bill} reminders"),
                     lambda: of_type(REMINDER_TYPE))


def received(period, conditions=()):
    """The requests received in the period (merged duplicates not counted twice), narrowed by `conditions`."""
    return and_(Ticket.type_id.in_(active_type_ids()), Ticket.merged_into_id.is_(None),
                Ticket.created_at >= period.start, Ticket.created_at < period.end, *conditions)


def answered():
    """Answered: the customer had a first response or the result."""
    return Ticket.first_response_at.is_not(None) | Ticket.resolved_at.is_not(None)


def handling_hours():
    if db.engine.dialect.name == "sqlite":
        return (func.julianday(Ticket.resolved_at) - func.julianday(Ticket.created_at)) * 24
    return func.extract("epoch", Ticket.resolved_at - Ticket.created_at) / 3600


def any_request():
    """SQL condition: the ticket is one of the request categories the report counts."""
    return or_(*(category.condition() for category in REQUEST_CATEGORIES))


def request_lines(period, conditions=()):
    """The request lines of the period, in REQUEST_CATEGORIES' order, read in one pass over its requests
    grouped by category (a month at a million tickets holds some 80,000 of them)."""
    key = case(*((category.condition(), category.key) for category in REQUEST_CATEGORIES))
    query = (select(key, func.count(Ticket.id), func.count(Ticket.id).filter(answered()), func.count(Ticket.resolved_at),
                    func.avg(handling_hours()))
             .where(received(period, (*conditions, any_request())))
             .group_by(key))
    found = {row[0]: row[1:] for row in db.session.execute(query)}
    lines = []
    for category in REQUEST_CATEGORIES:
        count, answered_count, resolved, hours = found.get(category.key, (0, 0, 0, None))
        lines.append(Line(category.key, category.label, count, answered_count, resolved,
                          float(hours) if hours is not None else None))
    return lines


def follow_ups_made(period, conditions=()):
    """The follow-ups (回访) recorded in the period, of the requests the report counts (any month's)."""
    return db.session.scalar(select(func.count(FollowUp.id)).join(Ticket, Ticket.id == FollowUp.ticket_id).where(
        FollowUp.state == "done", FollowUp.done_at >= period.start, FollowUp.done_at < period.end,
        Ticket.type_id.in_(active_type_ids()), *conditions))


def notices_sent(period):
    return db.session.scalar(select(func.count(OutageNotice.id)).where(
        OutageNotice.kind == "planned", OutageNotice.created_at >= period.start, OutageNotice.created_at < period.end))


def reminders_made(period, conditions=()):
    return db.session.scalar(select(func.count(Ticket.id)).where(received(period, (*conditions, REMINDERS.condition()))))


def report(period):
    """The lines of the period's report, in the power group's order."""
    lines = request_lines(period)
    lines.append(Line(FOLLOW_UPS.key, FOLLOW_UPS.label, follow_ups_made(period)))
    lines.append(Line(OUTAGE_NOTICES.key, OUTAGE_NOTICES.label, notices_sent(period)))
    lines.append(Line(REMINDERS.key, REMINDERS.label, reminders_made(period)))
    return lines


def total(lines):
    """The request lines together: every request received, answered, and the mean handling time."""
    requests = [line for line in lines if line.answered is not None]
    resolved = sum(line.resolved for line in requests)
    hours = sum(line.handling_hours * line.resolved for line in requests if line.handling_hours is not None)
    return Line("total", L(zh="受理业务合计", en="All requests"), sum(line.count for line in requests),
                sum(line.answered for line in requests), resolved, hours / resolved if resolved else None)
