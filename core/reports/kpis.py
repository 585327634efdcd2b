"""KPIs (考核指标): what a measure is, the period and the slice of tickets it is computed for, its target and
its result. The core's measures and the plugins' come through the same hook, ``kefu_kpis``.

A KPI's ``compute(period, scope)`` returns a ``KpiResult``; ``value`` None means there was nothing to measure
in the period (the UI says "no data", never 0 %), and ``tickets`` is a ``select()`` of the ticket ids behind
the number, which the dashboard links to.
"""
import calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context
from sqlalchemy import select

from core.i18n import Label

UNITS = ("percent", "count", "minutes", "hours", "per_100", "score", "currency")
TARGET_OPS = {">=": lambda a, b: a >= b, ">": lambda a, b: a > b, "<=": lambda a, b: a <= b, "<": lambda a, b: a < b}
DEFAULT_TIMEZONE = "Asia/Shanghai"


def site_timezone():
    """The site's time zone (BABEL_DEFAULT_TIMEZONE): days, weeks and months begin at its midnight."""
    name = current_app.config.get("BABEL_DEFAULT_TIMEZONE") if has_app_context() else None
    return ZoneInfo(name or DEFAULT_TIMEZONE)


def _midnight(day, zone):
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(timezone.utc)


@dataclass(frozen=True)
class Period:
    """[start, end) in UTC, computed from the site's time zone (Asia/Shanghai)."""

    start: datetime
    end: datetime

    def __post_init__(self):
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("a Period needs aware datetimes")
        if self.end <= self.start:
            raise ValueError("a Period must end after it starts")

    @classmethod
    def days(cls, first, last, zone=None):
        """The local days ``first`` to ``last``, both included."""
        zone = zone or site_timezone()
        return cls(_midnight(first, zone), _midnight(last + timedelta(days=1), zone))

    @classmethod
    def day(cls, day, zone=None):
        return cls.days(day, day, zone)

    @classmethod
    def week(cls, day, zone=None):
        """The Monday-to-Sunday week that contains ``day``."""
        monday = day - timedelta(days=day.weekday())
        return cls.days(monday, monday + timedelta(days=6), zone)

    @classmethod
    def month(cls, year, month, zone=None):
        return cls.days(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]), zone)

    @classmethod
    def quarter(cls, year, quarter, zone=None):
        first = 3 * (quarter - 1) + 1
        return cls.days(date(year, first, 1), date(year, first + 2, calendar.monthrange(year, first + 2)[1]), zone)

    def local_days(self, zone=None):
        """The local dates the period covers (its last day is the one before ``end``)."""
        zone = zone or site_timezone()
        first = self.start.astimezone(zone).date()
        last = (self.end - timedelta(microseconds=1)).astimezone(zone).date()
        return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def of_type(key):
    """SQL condition: the ticket is of the ticket type ``key`` (a plugin's KPIs count its own types)."""
    from core.models import Ticket, TicketType

    return Ticket.type_id.in_(select(TicketType.id).where(TicketType.key == key))


def received_of_type(period, scope, key):
    """SQL conditions: tickets of the type ``key`` received in ``period``, within ``scope``."""
    from core.models import Ticket

    return (of_type(key), Ticket.created_at >= period.start, Ticket.created_at < period.end,
            *scope.ticket_conditions())


@dataclass(frozen=True)
class Scope:
    """Which tickets a KPI looks at; every field optional (None = all)."""

    agent_id: int | None = None
    team_id: int | None = None
    type_key: str | None = None
    category: str | None = None
    channel: str | None = None
    customer_grade: str | None = None

    def ticket_conditions(self):
        """SQL conditions on ``Ticket`` for this scope (the assignee is the agent; the grade is the customer's)."""
        from core.models import Customer, Ticket

        conditions = []
        if self.agent_id is not None:
            conditions.append(Ticket.assignee_id == self.agent_id)
        if self.team_id is not None:
            conditions.append(Ticket.team_id == self.team_id)
        if self.type_key is not None:
            conditions.append(of_type(self.type_key))
        if self.category is not None:
            conditions.append(Ticket.category == self.category)
        if self.channel is not None:
            conditions.append(Ticket.channel == self.channel)
        if self.customer_grade is not None:
            conditions.append(Ticket.customer_id.in_(select(Customer.id).where(Customer.grade == self.customer_grade)))
        return conditions


@dataclass(frozen=True)
class Target:
    op: str  # ">=", ">", "<=", "<"
    value: float

    def __post_init__(self):
        if self.op not in TARGET_OPS:
            raise ValueError(f"a KPI target's op must be one of {', '.join(TARGET_OPS)}, not {self.op!r}")

    def met(self, value):
        """Whether ``value`` reaches the target; None when there is no value."""
        return None if value is None else TARGET_OPS[self.op](value, self.value)

    def __str__(self):
        return f"{self.op} {self.value:g}"


@dataclass(frozen=True)
class KpiResult:
    value: float | None  # None = no data in the period (the UI says "no data", never 0 %)
    numerator: float | None = None
    denominator: float | None = None
    tickets: object = None  # a SQLAlchemy select() of Ticket.id behind the number (dashboard links)
    denominator_tickets: object = None  # optional: a select() of the ids a rate was taken of

    @classmethod
    def rate(cls, numerator, denominator, tickets=None, scale=100, denominator_tickets=None):
        """``numerator / denominator × scale``; no value when the denominator is 0 (nothing to measure)."""
        value = numerator * scale / denominator if denominator else None
        return cls(value, numerator, denominator, tickets, denominator_tickets)


@dataclass(frozen=True)
class KpiSpec:
    key: str  # "property.complaint_follow_up_rate"; the core's are plain ("satisfaction_rate")
    label: Label
    definition: Label  # one sentence shown next to the number in the UI
    compute: Callable  # compute(period: Period, scope: Scope) -> KpiResult
    unit: str = "percent"  # percent (0–100) | count | minutes | hours | per_100 | score (of 100) | currency
    target: Target | None = None
    sort_order: int = 100

    def __post_init__(self):
        if self.unit not in UNITS:
            raise ValueError(f"KPI {self.key!r}: unit must be one of {', '.join(UNITS)}, not {self.unit!r}")
        if not callable(self.compute):
            raise ValueError(f"KPI {self.key!r}: compute must be callable")
