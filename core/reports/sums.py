"""Sums of the stored contributions for a period and a scope, and the tickets behind them.

The daily rows answer a scope that names at most one dimension over whole local days (the dashboard, the
summary, the appraisal); anything else (two dimensions at once, a period that does not start at midnight) is
summed from the per-ticket contributions, which give the same numbers more slowly. Medians, percentiles and
ticket lists always come from the per-ticket rows.
"""
import math
from bisect import bisect_right
from datetime import datetime, time, timedelta
from functools import wraps

from flask import g, has_request_context
from sqlalchemy import func, or_, select

from core.extensions import db
from core.models.report import (
    AGE_THRESHOLDS,
    BACKLOG_DELTAS,
    COHORT_COUNTERS,
    NONE_VALUE,
    ReportDaily,
    ReportOpenSpan,
    ReportTicketFact,
)
from core.models.types import utcnow
from core.reports.kpis import site_timezone

F = ReportTicketFact
SCOPE_DIMENSIONS = {"agent_id": "agent", "team_id": "team", "type_key": "type", "category": "category",
                    "channel": "channel", "customer_grade": "grade"}
SCOPE_COLUMNS = {"agent_id": F.agent_id, "team_id": F.team_id, "type_key": F.type_key, "category": F.category,
                 "channel": F.channel, "customer_grade": F.grade}


def per_request(function):
    """Keep a result for the rest of the request: a page asks for the same sums once per KPI."""
    @wraps(function)
    def cached(*args):
        if not has_request_context():
            return function(*args)
        store = g.setdefault("kefu_report_sums", {})
        key = (function.__name__, *args)
        if key not in store:
            store[key] = function(*args)
        return store[key]

    return cached


def _given(scope):
    return [(field, getattr(scope, field)) for field in SCOPE_DIMENSIONS if getattr(scope, field) is not None]


def daily_key(scope):
    """(dimension, value) of the daily rows that answer ``scope``, or None when it names several dimensions."""
    given = _given(scope)
    if not given:
        return "all", ""
    if len(given) == 1:
        field, value = given[0]
        return SCOPE_DIMENSIONS[field], str(value)
    return None


def local_midnight(day, zone=None):
    zone = zone or site_timezone()
    return datetime.combine(day, time.min, tzinfo=zone)


def whole_days(period, zone=None):
    """(first, last) local day when the period runs from one local midnight to another, else None."""
    zone = zone or site_timezone()
    days = period.local_days(zone)
    if period.start == local_midnight(days[0], zone) and period.end == local_midnight(days[-1] + timedelta(days=1), zone):
        return days[0], days[-1]
    return None


def fact_conditions(scope):
    return [SCOPE_COLUMNS[field] == value for field, value in _given(scope)]


def _received_in(period):
    return [F.created_at >= period.start, F.created_at < period.end]


def _zero(columns):
    return dict.fromkeys(columns, 0)


# --- Counters of the tickets received in a period ----------------------------------------------------------


@per_request
def cohort_by_day(period, scope):
    """{local day: {counter: n}} for the tickets received in ``period`` (days without tickets left out)."""
    zone, key = site_timezone(), daily_key(scope)
    days = whole_days(period, zone)
    if key is not None and days is not None:
        columns = [func.sum(getattr(ReportDaily, c)) for c in COHORT_COUNTERS]
        query = (select(ReportDaily.day, *columns)
                 .where(ReportDaily.dimension == key[0], ReportDaily.value == key[1], ReportDaily.day.between(*days))
                 .group_by(ReportDaily.day))
        return {row[0]: dict(zip(COHORT_COUNTERS, (int(n or 0) for n in row[1:]), strict=True))
                for row in db.session.execute(query) if any(row[1:])}
    by_day = {}
    query = select(F.created_at, *(getattr(F, c) for c in COHORT_COUNTERS)).where(
        *_received_in(period), *fact_conditions(scope), F.received == 1)
    for created_at, *counts in db.session.execute(query):
        bucket = by_day.setdefault(created_at.astimezone(zone).date(), _zero(COHORT_COUNTERS))
        for column, n in zip(COHORT_COUNTERS, counts, strict=True):
            bucket[column] += n
    return by_day


def cohort(period, scope):
    """{counter: n} for the tickets received in ``period``."""
    total = _zero(COHORT_COUNTERS)
    for counts in cohort_by_day(period, scope).values():
        for column, n in counts.items():
            total[column] += n
    return total


DIMENSION_COLUMNS = {"agent": F.agent_id, "team": F.team_id, "type": F.type_key, "category": F.category,
                     "channel": F.channel, "grade": F.grade}


@per_request
def cohort_by(dimension, period, scope):
    """{value: {counter: n}} of the tickets received in ``period``, by the values of one dimension (as the
    daily rows write them: ids as text, "-" for none)."""
    days = whole_days(period)
    sums = [func.sum(getattr(ReportDaily, c)) for c in COHORT_COUNTERS]
    if daily_key(scope) == ("all", "") and days is not None:
        query = (select(ReportDaily.value, *sums)
                 .where(ReportDaily.dimension == dimension, ReportDaily.day.between(*days)).group_by(ReportDaily.value))
    else:
        column = DIMENSION_COLUMNS[dimension]
        query = (select(column, *(func.sum(getattr(F, c)) for c in COHORT_COUNTERS))
                 .where(*_received_in(period), *fact_conditions(scope), F.received == 1).group_by(column))
    by_value = {}
    for value, *counts in db.session.execute(query):
        if any(counts):
            by_value[NONE_VALUE if value in (None, "") else str(value)] = dict(
                zip(COHORT_COUNTERS, (int(n or 0) for n in counts), strict=True))
    return by_value


PERCENTILES = (50, 90)  # the ones the core's measures show; read together, in one sort


@per_request
def response_percentiles(period, scope, responded):
    """{percent: seconds} for PERCENTILES, nearest rank: the smallest time within which at least that share of
    the ``responded`` tickets received in the period were answered; {} without any."""
    if not responded:
        return {}
    ranks = {percent: max(1, math.ceil(percent * responded / 100)) for percent in PERCENTILES}
    ordered = (select(F.first_response_seconds.label("seconds"),
                      func.row_number().over(order_by=F.first_response_seconds).label("rank"))
               .where(*_received_in(period), *fact_conditions(scope), F.first_response_seconds.is_not(None))
               .subquery())
    found = dict(db.session.execute(select(ordered.c.rank, ordered.c.seconds)
                                    .where(ordered.c.rank.in_(sorted(set(ranks.values()))))).all())
    return {percent: found.get(rank) for percent, rank in ranks.items()}


def tickets_received(period, scope, *conditions):
    """A select() of the ids of the tickets received in ``period`` that meet ``conditions`` (on the facts)."""
    return select(F.ticket_id).where(*_received_in(period), *fact_conditions(scope), F.received == 1, *conditions)


# --- The backlog at the end of a day ------------------------------------------------------------------------


@per_request
def backlog_by_day(first, last, scope):
    """{local day: {backlog, aged_1d, aged_3d, aged_7d}} at the end of each day from ``first`` to ``last``."""
    key, days = daily_key(scope), [first + timedelta(days=n) for n in range((last - first).days + 1)]
    if key is not None:
        sums = [func.sum(getattr(ReportDaily, c)) for c in BACKLOG_DELTAS]
        mine = [ReportDaily.dimension == key[0], ReportDaily.value == key[1]]
        before = db.session.execute(select(*sums).where(*mine, ReportDaily.day < first)).one()
        running = dict(zip(BACKLOG_DELTAS, (int(n or 0) for n in before), strict=True))
        changes = {row[0]: row[1:] for row in db.session.execute(
            select(ReportDaily.day, *sums).where(*mine, ReportDaily.day.between(first, last)).group_by(ReportDaily.day))}
        series = {}
        for day in days:
            for column, n in zip(BACKLOG_DELTAS, changes.get(day, ()), strict=False):
                running[column] += int(n or 0)
            series[day] = dict(running)
        return series
    return _backlog_from_spans(days, scope)


def _snapshot(day, zone):
    """The moment "the end of ``day``" stands for: the next local midnight."""
    return local_midnight(day + timedelta(days=1), zone)


def _backlog_from_spans(days, scope):
    """The backlog series from the open spans: each span (and each age it reaches) counts on a run of days,
    found by bisecting the days' moments and added up as differences, so the cost grows with the spans, not
    with spans × days."""
    zone = site_timezone()
    moments = [_snapshot(day, zone) for day in days]
    query = (select(ReportOpenSpan.opened_at, ReportOpenSpan.closed_at, F.created_at)
             .join(F, F.ticket_id == ReportOpenSpan.ticket_id)
             .where(ReportOpenSpan.opened_at < moments[-1],
                    or_(ReportOpenSpan.closed_at >= moments[0], ReportOpenSpan.closed_at.is_(None)),
                    *fact_conditions(scope)))
    ages = {"backlog": None, **{column: timedelta(days=age) for column, age in AGE_THRESHOLDS.items()}}
    changes = {column: [0] * (len(days) + 1) for column in BACKLOG_DELTAS}
    for opened, closed, created in db.session.execute(query):
        # Day i counts the span when opened < moment_i <= closed (closed None: still open).
        first = bisect_right(moments, opened)
        end = len(moments) if closed is None else bisect_right(moments, closed)
        for column, age in ages.items():
            start = first if age is None else max(first, bisect_right(moments, created + age))
            if start < end:
                changes[column][start] += 1
                changes[column][end] -= 1
    series, running = {}, _zero(BACKLOG_DELTAS)
    for index, day in enumerate(days):
        for column in BACKLOG_DELTAS:
            running[column] += changes[column][index]
        series[day] = dict(running)
    return series


def backlog_tickets(day, scope, older_than=0, younger_than=None):
    """A select() of the ids of the tickets in the backlog at the end of ``day``, received more than
    ``older_than`` (and at most ``younger_than``) days before."""
    moment = _snapshot(day, site_timezone())
    query = (select(ReportOpenSpan.ticket_id).join(F, F.ticket_id == ReportOpenSpan.ticket_id)
             .where(ReportOpenSpan.opened_at < moment,
                    or_(ReportOpenSpan.closed_at >= moment, ReportOpenSpan.closed_at.is_(None)), *fact_conditions(scope)))
    if older_than:
        query = query.where(F.created_at < moment - timedelta(days=older_than))
    if younger_than is not None:
        query = query.where(F.created_at >= moment - timedelta(days=younger_than))
    return query


def snapshot_day(period):
    """The day whose end the backlog of ``period`` is read at: its last day, or today while it runs; None for
    a period that has not begun."""
    zone = site_timezone()
    days, today = period.local_days(zone), utcnow().astimezone(zone).date()
    return None if today < days[0] else min(days[-1], today)
