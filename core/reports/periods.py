"""The period and the scope a report page is asked for, read from its query string and checked: a reversed
range, one longer than the site allows (REPORT_MAX_DAYS) or a malformed date is refused with a message."""
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from babel.dates import format_skeleton
from flask import current_app
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core.customers.grades import grades
from core.models import CHANNELS, utcnow
from core.reports.kpis import Period, Scope, site_timezone
from core.tickets.categories import CATEGORIES

KINDS = {"day": _l("Day"), "week": _l("Week"), "month": _l("Month"), "quarter": _l("Quarter"),
         "range": _l("Date range")}


class PeriodError(ValueError):
    def __init__(self, field, message):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class ReportPeriod:
    """A period as the pages show it: its kind, its days, and the query arguments that ask for it again."""

    kind: str
    first: date
    last: date

    @property
    def period(self):
        return Period.days(self.first, self.last)

    @property
    def days(self):
        return [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]

    def args(self):
        if self.kind == "day":
            return {"period": "day", "date": self.first.isoformat()}
        if self.kind == "week":
            return {"period": "week", "date": self.first.isoformat()}
        if self.kind == "month":
            return {"period": "month", "month": self.first.strftime("%Y-%m")}
        if self.kind == "quarter":
            return {"period": "quarter", "quarter": f"{self.first.year}-Q{(self.first.month - 1) // 3 + 1}"}
        return {"period": "range", "from": self.first.isoformat(), "to": self.last.isoformat()}

    @property
    def key(self):
        """A short name for files and e-mail subjects: 2026-03, 2026-Q1, 2026-03-02…"""
        args = self.args()
        return args.get("month") or args.get("quarter") or (
            self.first.isoformat() if self.kind == "day" else f"{self.first.isoformat()}_{self.last.isoformat()}")

    def label(self):
        if self.kind == "month":
            return format_skeleton("yMMMM", self.first, locale=get_locale())
        if self.kind == "quarter":
            return _("Q%(quarter)d %(year)d", quarter=(self.first.month - 1) // 3 + 1, year=self.first.year)
        if self.kind == "day":
            return format_date(self.first, "medium")
        return _("%(first)s to %(last)s", first=format_date(self.first, "medium"), last=format_date(self.last, "medium"))

    def shifted(self, step):
        """The period ``step`` periods before (-1) or after (+1) this one, of the same kind."""
        if self.kind == "month":
            month = self.first.month - 1 + step
            return month_period(self.first.year + month // 12, month % 12 + 1)
        if self.kind == "quarter":
            quarter = (self.first.month - 1) // 3 + step
            return quarter_period(self.first.year + quarter // 4, quarter % 4 + 1)
        length = (self.last - self.first).days + 1
        delta = timedelta(days=length * step)
        return ReportPeriod(self.kind, self.first + delta, self.last + delta)


def month_period(year, month):
    last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1))
    return ReportPeriod("month", date(year, month, 1), last)


def quarter_period(year, quarter):
    first = date(year, 3 * (quarter - 1) + 1, 1)
    return ReportPeriod("quarter", first, month_period(year, first.month + 2).last)


def today():
    return utcnow().astimezone(site_timezone()).date()


def _date(field, raw):
    try:
        return date.fromisoformat(str(raw).strip())
    except ValueError:
        raise PeriodError(field, _("Enter the date as 2026-03-31.")) from None


def _month(raw):
    try:
        moment = datetime.strptime(str(raw).strip(), "%Y-%m")
    except ValueError:
        raise PeriodError("month", _("Enter the month as 2026-03.")) from None
    return month_period(moment.year, moment.month)


def _quarter(raw):
    text = str(raw).strip().upper()
    year, _sep, number = text.partition("-Q")
    if not (year.isdigit() and len(year) == 4 and number in ("1", "2", "3", "4")):
        raise PeriodError("quarter", _("Enter the quarter as 2026-Q1."))
    return quarter_period(int(year), int(number))


def parse_period(args, default="month", kinds=tuple(KINDS)):
    """The period the query string asks for; without one, the current ``default`` period."""
    kind = args.get("period") or default
    if kind not in kinds:
        raise PeriodError("period", _("Choose a day, week, month, quarter or date range."))
    now = today()
    if kind == "day":
        day = _date("date", args["date"]) if args.get("date") else now
        return ReportPeriod("day", day, day)
    if kind == "week":
        day = _date("date", args["date"]) if args.get("date") else now
        monday = day - timedelta(days=day.weekday())
        return ReportPeriod("week", monday, monday + timedelta(days=6))
    if kind == "month":
        return _month(args["month"]) if args.get("month") else month_period(now.year, now.month)
    if kind == "quarter":
        return _quarter(args["quarter"]) if args.get("quarter") else quarter_period(now.year, (now.month - 1) // 3 + 1)
    if not args.get("from") and not args.get("to"):  # a range to start from: this month so far
        return ReportPeriod("range", now.replace(day=1), now)
    if not args.get("from") or not args.get("to"):
        raise PeriodError("from", _("Give both the first and the last day of the range."))
    first, last = _date("from", args["from"]), _date("to", args["to"])
    if last < first:
        raise PeriodError("to", _("The last day is before the first day; swap them."))
    limit = current_app.config["REPORT_MAX_DAYS"]
    if (last - first).days + 1 > limit:
        raise PeriodError("to", _("A report covers at most %(days)d days; choose a shorter range.", days=limit))
    return ReportPeriod("range", first, last)


SCOPE_ARGS = {"agent": "agent_id", "team": "team_id", "type": "type_key", "category": "category",
              "channel": "channel", "grade": "customer_grade"}


def parse_scope(args):
    """The scope the query string asks for (agent, team, type, category, channel, grade); checked."""
    values = {}
    for arg, field in SCOPE_ARGS.items():
        raw = (args.get(arg) or "").strip()
        if not raw:
            continue
        if field in ("agent_id", "team_id"):
            if not raw.isdigit():
                raise PeriodError(arg, _("%(field)s must be a number.", field=arg))
            values[field] = int(raw)
        elif field == "type_key" and raw not in current_app.extensions["kefu"].registry.ticket_types:
            raise PeriodError(arg, _("Unknown ticket type."))
        elif field == "category" and raw not in CATEGORIES:
            raise PeriodError(arg, _("Unknown category."))
        elif field == "channel" and raw not in CHANNELS:
            raise PeriodError(arg, _("Unknown channel."))
        elif field == "customer_grade" and raw not in {grade.key for grade in grades("grade")}:
            raise PeriodError(arg, _("Unknown customer grade."))
        else:
            values[field] = raw
    return Scope(**values)


def scope_args(scope):
    return {arg: getattr(scope, field) for arg, field in SCOPE_ARGS.items() if getattr(scope, field) is not None}
