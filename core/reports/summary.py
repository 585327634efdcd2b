"""The monthly service summary (客户服务情况汇总) the power hotline files: for each business category (咨询, 查询,
投诉, 报修, 建议/表扬, 业务办理, …) what was received, answered, resolved and left open, beside the month before;
then the same by channel."""
from flask_babel import gettext as _

from core.reports import sums
from core.reports.dashboard import tickets_url
from core.reports.kpis import Scope
from core.reports.labels import value_names
from core.reports.results import format_value
from core.reports.tables import Cell, Table, text_cell
from core.tickets.categories import CATEGORIES


def _rate(part, whole):
    value = part * 100 / whole if whole else None
    return Cell(value, format_value("percent", value))


def _count(value, href=None):
    return Cell(value, format_value("count", value), href if value else None)


def _change(now, before):
    if not before:
        return Cell(None, _("no data"))
    value = (now - before) * 100 / before
    return Cell(value, ("+" if value > 0 else "") + format_value("percent", value))


NUMBERS = ("received", "responded", "resolved", "resolution_met", "resolution_decided")


def _cells(name, numbers, total, link):
    received = numbers["received"]
    return [text_cell(name), _count(received, link("received")), _rate(received, total),
            _count(numbers["responded"]), _rate(numbers["responded"], received),
            _count(numbers["resolved"], link("resolution_rate")), _rate(numbers["resolved"], received),
            _rate(numbers["resolution_met"], numbers["resolution_decided"]),
            _count(numbers["backlog"], link("backlog")), _count(numbers["before"]),
            _change(received, numbers["before"])]


def _backlog(snapshot, scope):
    return sums.backlog_by_day(snapshot, snapshot, scope)[snapshot]["backlog"] if snapshot is not None else 0


def _category_rows(report_period, by_category, before, snapshot):
    """A row per category (every core category, received or not, as on the paper form), then the total."""
    keys = list(CATEGORIES) + sorted(set(by_category) - set(CATEGORIES))
    names, total = value_names("category", keys), sum(c["received"] for c in by_category.values())
    backlog = {key: _backlog(snapshot, Scope(category=key)) for key in CATEGORIES}
    all_backlog = _backlog(snapshot, Scope())
    rows, totals = [], dict.fromkeys((*NUMBERS, "before"), 0)
    for key in keys:
        scope = Scope(category=key) if key in CATEGORIES else None  # "-": tickets without a category
        numbers = {name: by_category.get(key, {}).get(name, 0) for name in NUMBERS}
        numbers["before"] = before.get(key, {}).get("received", 0)
        for name, value in numbers.items():
            totals[name] += value
        numbers["backlog"] = backlog[key] if scope else all_backlog - sum(backlog.values())
        rows.append(_cells(names[key], numbers, total,
                           lambda kpi, scope=scope: tickets_url(kpi, report_period, scope) if scope else None))
    totals["backlog"] = all_backlog
    rows.append(_cells(_("Total"), totals, total, lambda kpi: tickets_url(kpi, report_period, Scope())))
    return rows


def service_summary(report_period):
    """[by category, by channel] for a month (or any period; the comparison is with the period before)."""
    period, previous = report_period.period, report_period.shifted(-1)
    by_category = sums.cohort_by("category", period, Scope())
    snapshot = sums.snapshot_day(period)
    title = _("Service summary %(period)s", period=report_period.label())
    categories = Table(
        _("%(title)s: by business category", title=title),
        [_("Business category"), _("Received"), _("Share"), _("Answered"), _("Reply rate"), _("Resolved"), _("Resolution rate"),
         _("On-time completion rate"), _("Backlog at the end"), _("Received the period before"), _("Change")])
    categories.rows = _category_rows(report_period, by_category, sums.cohort_by("category", previous.period, Scope()),
                                     snapshot)
    categories.emphasis = {len(categories.rows) - 1}
    by_channel = sums.cohort_by("channel", period, Scope())
    total = sum(c["received"] for c in by_channel.values())
    names = value_names("channel", by_channel)
    channels = Table(_("%(title)s: by channel", title=title),
                     [_("Channel"), _("Received"), _("Share"), _("Reply rate"), _("Resolution rate")])
    for key, counts in sorted(by_channel.items(), key=lambda item: -item[1]["received"]):
        channels.rows.append([text_cell(names[key]),
                              _count(counts["received"], tickets_url("received", report_period, Scope(channel=key))),
                              _rate(counts["received"], total), _rate(counts["responded"], counts["received"]),
                              _rate(counts["resolved"], counts["received"])])
    return [categories, channels]
