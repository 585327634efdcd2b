"""The shift's figures (班次): dish chases, serve delays, returned dishes by reason, floor complaints per 100
covers and satisfaction per floor area. The KPIs and the shift report read the same functions."""
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import case, func, select

from core.extensions import db
from core.i18n import Label
from core.models import Survey, Ticket
from core.reports.kpis import Period, of_type, site_timezone
from plugins.catering.models import DiningTable, Dish, DishReturn, FloorArea, FloorRequest, Order


@dataclass(frozen=True)
class Shift:
    key: str
    label: Label
    starts: time
    ends: time


SHIFTS = (
    Shift("lunch", Label(zh="午市", en="Lunch"), time(10), time(15)),
    Shift("dinner", Label(zh="晚市", en="Dinner"), time(16), time(23)),
)
SHIFT_BY_KEY = {shift.key: shift for shift in SHIFTS}


def shift_period(day, shift):
    zone = site_timezone()
    return Period(datetime.combine(day, shift.starts, zone), datetime.combine(day, shift.ends, zone))


def _created_in(period, conditions=()):
    return (Ticket.created_at >= period.start, Ticket.created_at < period.end, *conditions)


def chases(period, conditions=()):
    return select(Ticket.id).where(of_type("catering_chase"), *_created_in(period, conditions))


def chase_count(period, conditions=()):
    return db.session.scalar(select(func.count()).select_from(chases(period, conditions).subquery()))


def serve_delays(period):
    """Each dish ordered in the period: table, dish, ordered, served and the minutes it took (None: not yet)."""
    rows = db.session.execute(
        select(DiningTable.name, Dish.name, Dish.ordered_at, Dish.served_at, Dish.chase_ticket_id)
        .join(Order, Dish.order_id == Order.id).join(DiningTable, Order.table_id == DiningTable.id)
        .where(Dish.ordered_at >= period.start, Dish.ordered_at < period.end).order_by(Dish.ordered_at, Dish.id)).all()
    return [{"table": table, "dish": dish, "ordered_at": ordered, "served_at": served, "chased": chased is not None,
             "minutes": round((served - ordered).total_seconds() / 60) if served is not None else None}
            for table, dish, ordered, served, chased in rows]


def average_delay(delays):
    served = [row["minutes"] for row in delays if row["minutes"] is not None]
    return sum(served) / len(served) if served else None


def returns_by_reason(period):
    rows = db.session.execute(select(DishReturn.reason, func.count()).where(
        DishReturn.logged_at >= period.start, DishReturn.logged_at < period.end).group_by(DishReturn.reason)).all()
    return dict(rows)


def returns(period):
    return select(DishReturn.ticket_id).where(DishReturn.logged_at >= period.start, DishReturn.logged_at < period.end)


def covers(period):
    return db.session.scalar(select(func.coalesce(func.sum(Order.covers), 0)).where(
        Order.ordered_at >= period.start, Order.ordered_at < period.end)) or 0


def complaints(period, conditions=()):
    return select(Ticket.id).where(of_type("catering_complaint"), *_created_in(period, conditions))


def complaints_per_100_covers(period, conditions=()):
    count = db.session.scalar(select(func.count()).select_from(complaints(period, conditions).subquery()))
    served = covers(period)
    return (count * 100 / served if served else None), count, served


def satisfaction_by_area(period):
    """Per floor area: answered surveys of its floor requests and the share rated 4 or 5 on every question."""
    satisfied = ((Survey.quality >= 4) & (Survey.attitude >= 4) & (Survey.speed >= 4))
    rows = db.session.execute(
        select(FloorArea.name, func.count(Survey.id), func.sum(case((satisfied, 1), else_=0)))
        .join(DiningTable, DiningTable.area_id == FloorArea.id)
        .join(FloorRequest, FloorRequest.table_id == DiningTable.id)
        .join(Survey, Survey.ticket_id == FloorRequest.ticket_id)
        .where(Survey.state == "answered", Survey.answered_at >= period.start, Survey.answered_at < period.end)
        .group_by(FloorArea.name).order_by(FloorArea.name)).all()
    return [{"area": name, "surveys": total, "rate": (happy or 0) * 100 / total if total else None}
            for name, total, happy in rows]


def day_and_shift(now):
    """The shift going on at ``now`` (or the last one of the day), in site time."""
    local = now.astimezone(site_timezone())
    shift = next((s for s in reversed(SHIFTS) if local.time() >= s.starts), SHIFTS[0])
    return local.date(), shift


def previous_day(day):
    return day - timedelta(days=1)
