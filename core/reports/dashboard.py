"""The supervisor dashboard: every KPI of a period and a scope, the days of the period, the backlog and its
ageing, and the breakdowns by category, channel, team and customer grade; every number links to its tickets."""
from dataclasses import dataclass, replace

from flask import has_request_context, url_for
from flask_babel import gettext as _

from core.models.report import NONE_VALUE
from core.reports import charts, sums
from core.reports.labels import DIMENSION_LABELS, scope_description, value_names
from core.reports.periods import SCOPE_ARGS, ReportPeriod, scope_args
from core.reports.results import format_value, measure_all
from core.reports.sums import SCOPE_DIMENSIONS
from core.reports.tables import Cell, Table, text_cell

# Age bands of the backlog, in days: (key, from, to); the tickets of each are listed by drill-down.
AGE_BANDS = (("0-1", 0, 1), ("1-3", 1, 3), ("3-7", 3, 7), ("7-", 7, None))
BREAKDOWNS = ("category", "channel", "team", "grade")
FIELD_OF = {dimension: field for field, dimension in SCOPE_DIMENSIONS.items()}


def tickets_url(kpi, report_period, scope, **extra):
    """The page of the tickets behind a number; None outside a request (the monthly e-mail has no links)."""
    if not has_request_context():
        return None
    return url_for("reports.tickets", kpi=kpi, **report_period.args(), **scope_args(scope), **extra)


def age_band_label(key):
    return {"0-1": _("Under 1 day"), "1-3": _("1–3 days"), "3-7": _("3–7 days"), "7-": _("Over 7 days")}[key]


def narrowed(scope, dimension, value):
    """``scope`` further narrowed to one value of a dimension; None for "none" values (no scope selects those)."""
    if value == NONE_VALUE:
        return None
    field = FIELD_OF[dimension]
    return replace(scope, **{field: int(value) if field in ("agent_id", "team_id") else value})


@dataclass
class Dashboard:
    measured: list
    received: int
    snapshot: object  # the day the backlog is read at, or None
    charts: list  # (title, note, svg)
    breakdowns: list  # (title, svg)
    backlog: int | None = None

    @property
    def empty(self):
        """Nothing received and nothing open: the page says so instead of showing zeros."""
        return not self.received and not self.backlog


def _received_chart(report_period, scope, daily):
    points = []
    for day in report_period.days:
        counts = daily.get(day, {})
        received, complaints = counts.get("received", 0), counts.get("complaints", 0)
        tip = _("%(day)s: %(received)d received, %(complaints)d complaints", day=day.isoformat(),
                received=received, complaints=complaints)
        day_period = ReportPeriod("day", day, day)
        points.append((f"{day.month}/{day.day}", [complaints, received - complaints],
                       tickets_url("received", day_period, scope), tip))
    return charts.columns(points, label=_("Tickets received per day"))


def _backlog_chart(report_period, scope, series):
    points = []
    for day, counts in series.items():
        day_period = ReportPeriod("day", day, day)
        tip = _("%(day)s: %(count)d in the backlog", day=day.isoformat(), count=counts["backlog"])
        points.append((f"{day.month}/{day.day}", counts["backlog"], tickets_url("backlog", day_period, scope), tip))
    return charts.line(points, label=_("Backlog at the end of each day"))


def _ageing_chart(report_period, scope, counts):
    shares = {"0-1": counts["backlog"] - counts["aged_1d"], "1-3": counts["aged_1d"] - counts["aged_3d"],
              "3-7": counts["aged_3d"] - counts["aged_7d"], "7-": counts["aged_7d"]}
    rows = [(age_band_label(key), shares[key], format_value("count", shares[key]),
             tickets_url("backlog", report_period, scope, age=key)) for key, _low, _high in AGE_BANDS]
    return charts.bars(rows, label=_("Backlog by age"))


def _breakdown(dimension, report_period, scope):
    by_value = sums.cohort_by(dimension, report_period.period, scope)
    names = value_names(dimension, by_value)
    rows = []
    for value, counts in sorted(by_value.items(), key=lambda item: -item[1]["received"]):
        rate = format_value("percent", counts["resolved"] * 100 / counts["received"] if counts["received"] else None)
        text = _("%(count)d, %(rate)s resolved", count=counts["received"], rate=rate)
        narrower = narrowed(scope, dimension, value)
        rows.append((names[value], counts["received"], text,
                     tickets_url("received", report_period, narrower) if narrower else None))
    return charts.bars(rows, label=str(DIMENSION_LABELS[dimension])) if rows else None


def build(report_period, scope):
    period = report_period.period
    measured = measure_all(period, scope)
    received = sums.cohort(period, scope)["received"]
    snapshot = sums.snapshot_day(period)
    shown, series = [], {}
    if len(report_period.days) > 1:
        shown.append((_("Tickets received per day"), _("Complaints in orange, other tickets in blue."),
                      _received_chart(report_period, scope, sums.cohort_by_day(period, scope))))
    if snapshot is not None:
        series = sums.backlog_by_day(report_period.first, snapshot, scope)
        if len(series) > 1:
            shown.append((_("Backlog at the end of each day"), _("Open or waiting for the customer."),
                          _backlog_chart(report_period, scope, series)))
        shown.append((_("Backlog by age"), _("At the end of %(day)s, by time since the ticket was received.",
                                             day=snapshot.isoformat()),
                      _ageing_chart(report_period, scope, series[snapshot])))
    given = {SCOPE_DIMENSIONS[field] for field in SCOPE_ARGS.values() if getattr(scope, field) is not None}
    breakdowns = []
    for dimension in BREAKDOWNS:
        if dimension not in given:
            svg = _breakdown(dimension, report_period, scope)
            if svg is not None:
                breakdowns.append((_("Received by %(dimension)s", dimension=str(DIMENSION_LABELS[dimension]).lower()), svg))
    backlog = series[snapshot]["backlog"] if snapshot is not None else None
    return Dashboard(measured, received, snapshot, shown, breakdowns, backlog)



def dashboard_tables(report_period, scope, board):
    """The dashboard as tables for CSV and XLSX: the KPIs with their targets and definitions, then the days."""
    title = " · ".join(filter(None, [_("Service dashboard"), report_period.label(), scope_description(scope)]))
    kpis = Table(title, [_("Measure"), _("Value"), _("Target"), _("Target met"), _("Numerator"), _("Denominator"),
                         _("Definition")])
    for m in board.measured:
        met = {True: _("yes"), False: _("below target"), None: ""}[m.met]
        kpis.rows.append([text_cell(m.spec.label), Cell(m.result.value, m.text, below_target=m.below_target),
                          text_cell(m.target_text), text_cell(met),
                          Cell(m.result.numerator, "" if m.result.numerator is None else str(m.result.numerator)),
                          Cell(m.result.denominator, "" if m.result.denominator is None else str(m.result.denominator)),
                          text_cell(m.spec.definition)])
    days = Table(_("%(title)s: by day", title=title), [_("Day"), _("Received"), _("Complaints"), _("Backlog at the end")])
    daily = sums.cohort_by_day(report_period.period, scope)
    series = sums.backlog_by_day(report_period.first, board.snapshot, scope) if board.snapshot else {}
    for day in report_period.days:
        counts = daily.get(day, {})
        backlog = series.get(day, {}).get("backlog")
        days.rows.append([text_cell(day.isoformat()), Cell(counts.get("received", 0), str(counts.get("received", 0))),
                          Cell(counts.get("complaints", 0), str(counts.get("complaints", 0))),
                          Cell(backlog, _("no data") if backlog is None else str(backlog))])
    return [kpis, days]
