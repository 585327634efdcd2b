"""Service hours as the admin writes them ("mon-fri 09:00-12:00 13:00-18:00", "7x24"), and the business
calendar of a team: its own ServiceCalendar, else the site's (no team), else weekdays 09:00–18:00."""
import re
from functools import lru_cache

from flask_babel import gettext as _
from sqlalchemy import select

from core.extensions import db
from core.models import CalendarOverride, ServiceCalendar
from core.sla.calendar import BusinessCalendar, CalendarError

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ALWAYS = ("7x24", "24x7")
DEFAULT_HOURS = "mon-fri 09:00-18:00"
_INTERVAL = re.compile(r"^(\d{1,2}:\d{2})-(\d{1,2}:\d{2})$")


def _day_numbers(text):
    numbers = []
    for part in text.split(","):
        first, _sep, last = part.partition("-")
        if first not in DAYS or (last and last not in DAYS):
            raise CalendarError(_("%(days)r is not a day or a range of days; write e.g. mon-fri, sat or mon,wed.",
                                  days=part))
        start, end = DAYS.index(first), DAYS.index(last or first)
        if end < start:
            raise CalendarError(_("%(days)r runs backwards; write the earlier day first, e.g. mon-fri.", days=part))
        numbers.extend(range(start, end + 1))
    return numbers


def parse_hours(text):
    """A weekday → [(start, end), …] schedule from lines such as "mon-fri 09:00-12:00 13:00-18:00"; "7x24"
    opens every day all day. Raises CalendarError saying what to fix."""
    text = (text or "").strip().lower()
    if text in ALWAYS:
        return {day: [("00:00", "24:00")] for day in range(7)}
    schedule = {}
    for line in filter(None, (line.strip() for line in re.split(r"[\n;]", text))):
        days, *intervals = line.split()
        if not intervals:
            raise CalendarError(_("%(line)r has no hours; write the days, then one or more intervals such as "
                                  "09:00-12:00 13:00-18:00.", line=line))
        pairs = []
        for interval in intervals:
            match = _INTERVAL.match(interval)
            if match is None:
                raise CalendarError(_("%(interval)r is not an interval; write it as 09:00-18:00.", interval=interval))
            pairs.append(match.groups())
        for day in _day_numbers(days):
            schedule.setdefault(day, []).extend(pairs)
    return schedule


def build_calendar(hours, *, timezone, observe_holidays, overrides=()):
    """A BusinessCalendar from the admin's text; CalendarError (what to fix) when unusable, e.g. no hours."""
    holidays = tuple(sorted(o.day for o in overrides if not o.working)) if observe_holidays else ()
    working = tuple(sorted(o.day for o in overrides if o.working)) if observe_holidays else ()
    return _calendar(hours, timezone, observe_holidays, holidays, working)


@lru_cache(maxsize=64)
def _calendar(hours, timezone, observe_holidays, holidays, working):
    """Built once per distinct setting: every ticket created or clock moved needs its team's calendar, and the
    calendar keeps what it works out about each day. The key is the settings themselves, read from the database
    each time, so an admin's change is a new key and never served stale."""
    schedule = parse_hours(hours)
    if not schedule:
        raise CalendarError(_("The service hours are empty; write e.g. \"mon-fri 09:00-18:00\" or \"7x24\"."))
    return BusinessCalendar(schedule, tz=timezone, observe_holidays=observe_holidays,
                            extra_holidays=holidays, extra_working_days=working)


def calendar_for(team_id):
    """(BusinessCalendar, name) for a team's tickets."""
    rows = db.session.scalars(select(ServiceCalendar).where(
        (ServiceCalendar.team_id == team_id) | ServiceCalendar.team_id.is_(None)).order_by(ServiceCalendar.id)).all()
    own = [r for r in rows if team_id is not None and r.team_id == team_id]
    row = (own or [r for r in rows if r.team_id is None] or [None])[0]
    if row is None:
        return build_calendar(DEFAULT_HOURS, timezone="Asia/Shanghai", observe_holidays=True,
                              overrides=all_overrides()), _("Default service hours (%(hours)s)", hours=DEFAULT_HOURS)
    return build_calendar(row.hours, timezone=row.timezone, observe_holidays=row.observe_holidays,
                          overrides=all_overrides() if row.observe_holidays else ()), row.name


def all_overrides():
    return db.session.scalars(select(CalendarOverride)).all()
