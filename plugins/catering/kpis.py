"""The floor's measures (contract C3): dish chases and the average serve delay, returned dishes by reason,
floor complaints per 100 covers and satisfaction of the floor's requests."""
from sqlalchemy import func, select

from core.extensions import db
from core.i18n import Label
from core.reports.kpis import KpiResult, KpiSpec, Target
from plugins.catering import report
from plugins.catering.ticket_types import REASON_LABELS

L = Label


def _site_only(scope):
    return any(value is not None for value in vars(scope).values())


def chase_count(period, scope):
    where = report.chases(period, scope.ticket_conditions())
    return KpiResult(report.chase_count(period, scope.ticket_conditions()), tickets=where)


def serve_delay(period, scope):
    if _site_only(scope):
        return KpiResult(None)  # the kitchen's and the runners' time, not a desk's
    return KpiResult(report.average_delay(report.serve_delays(period)))


def _returns(reason):
    def compute(period, scope):
        if _site_only(scope):
            return KpiResult(None)
        return KpiResult(report.returns_by_reason(period).get(reason, 0))
    return compute


def complaints_per_100(period, scope):
    value, count, covers = report.complaints_per_100_covers(period, scope.ticket_conditions())
    return KpiResult(value, count, covers, report.complaints(period, scope.ticket_conditions()))


def returns_total(period, scope):
    if _site_only(scope):
        return KpiResult(None)
    where = report.returns(period)
    return KpiResult(db.session.scalar(select(func.count()).select_from(where.subquery())), tickets=where)


KPIS = (
    KpiSpec("catering.chase_count", L(zh="催菜次数", en="Dish chases"),
            L(zh="本期出菜超过15分钟而催菜的次数", en="Dishes chased in the period for being 15 minutes late"),
            chase_count, unit="count", target=Target("<=", 5), sort_order=400),
    KpiSpec("catering.serve_delay", L(zh="平均出菜时间", en="Average serve delay"),
            L(zh="本期下单到上菜的平均分钟数", en="Mean minutes from order to table for the period's dishes"),
            serve_delay, unit="minutes", target=Target("<=", 15), sort_order=401),
    KpiSpec("catering.returns", L(zh="退菜数", en="Dishes returned"),
            L(zh="本期登记退回出品部的菜品数", en="Dishes logged as returned to the kitchen in the period"),
            returns_total, unit="count", target=Target("<=", 3), sort_order=402),
    *(KpiSpec(f"catering.returns_{reason}", L(zh=f"退菜·{label.zh}", en=f"Returned: {label.en}"),
              L(zh=f"本期因{label.zh}退菜的数量", en=f"Dishes returned for {label.en.lower()} in the period"),
              _returns(reason), unit="count", sort_order=403 + n)
      for n, (reason, label) in enumerate(REASON_LABELS.items())),
    KpiSpec("catering.complaints_per_100_covers", L(zh="每百位客人投诉数", en="Floor complaints per 100 covers"),
            L(zh="本期楼面投诉数 ÷ 用餐人数 × 100", en="Floor complaints in the period per 100 guests served"),
            complaints_per_100, unit="per_100", target=Target("<=", 1), sort_order=410),
)
