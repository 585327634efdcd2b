"""CSV imports (contract C5): the floor's tables and rooms, and orders as a POS exports them, one dish a row (the
plugin is not a POS). A table or an order whose name or number exists already gets the row's values."""
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from core.csvio import CsvColumn, RowError, text_of
from core.extensions import db
from core.i18n import Label
from core.reports.kpis import site_timezone
from plugins.catering.models import DiningTable, Dish, FloorArea, Order

L = Label
KINDS = {"table": L(zh="散台", en="Table"), "room": L(zh="包间", en="Private room")}


def _whole(low, high):
    def parse(text):
        if not text.isdigit() or not low <= int(text) <= high:
            raise ValueError(_("Write a whole number from %(low)d to %(high)d.", low=low, high=high))
        return int(text)
    return parse


def _kind(text):
    for key, label in KINDS.items():
        if text.casefold() in (key, label.zh, label.en.casefold()):
            return key
    raise ValueError(_("Write one of: %(names)s.", names=", ".join(label.zh for label in KINDS.values())))


def _local_time(text):
    try:
        value = datetime.fromisoformat(text.replace("/", "-"))
    except ValueError:
        raise ValueError(_("Write the time as 2026-05-20 18:00.")) from None
    return value.replace(tzinfo=site_timezone()) if value.tzinfo is None else value


TABLE_COLUMNS = (
    CsvColumn("area", L(zh="楼面区域", en="Floor area"), required=True, parse=text_of(80)),
    CsvColumn("name", L(zh="台号", en="Table"), required=True, parse=text_of(40)),
    CsvColumn("kind", L(zh="类型", en="Kind"), parse=_kind),
    CsvColumn("seats", L(zh="座位数", en="Seats"), required=True, parse=_whole(1, 100)),
)
ORDER_COLUMNS = (
    CsvColumn("number", L(zh="单号", en="Order number"), required=True, parse=text_of(30)),
    CsvColumn("table", L(zh="台号", en="Table"), required=True, parse=text_of(40)),
    CsvColumn("covers", L(zh="人数", en="Covers"), required=True, parse=_whole(1, 200)),
    CsvColumn("ordered_at", L(zh="下单时间", en="Ordered at"), required=True, parse=_local_time),
    CsvColumn("dish", L(zh="菜品", en="Dish"), required=True, parse=text_of(80)),
    CsvColumn("served_at", L(zh="上菜时间", en="Served at"), parse=_local_time),
)


def save_table(values, line):
    area = db.session.scalar(select(FloorArea).where(FloorArea.name == values["area"]))
    if area is None:
        area = FloorArea(name=values["area"])
        db.session.add(area)
    table = db.session.scalar(select(DiningTable).where(DiningTable.name == values["name"]))
    if table is None:
        table = DiningTable(name=values["name"])
        db.session.add(table)
    table.area, table.seats, table.kind = area, values["seats"], values["kind"] or table.kind or "table"
    db.session.flush()


def save_order_line(values, line):
    table = db.session.scalar(select(DiningTable).where(DiningTable.name == values["table"]))
    if table is None:
        raise RowError(_("There is no table called %(name)s.", name=values["table"]), column="table")
    if values["served_at"] is not None and values["served_at"] < values["ordered_at"]:
        raise RowError(_("A dish cannot be served before it was ordered."), column="served_at")
    order = db.session.scalar(select(Order).where(Order.number == values["number"]))
    if order is None:
        order = Order(number=values["number"])
        db.session.add(order)
    order.table, order.covers, order.ordered_at = table, values["covers"], values["ordered_at"]
    db.session.add(Dish(order=order, name=values["dish"], ordered_at=values["ordered_at"],
                        served_at=values["served_at"],
                        # an imported dish is history: the 15-minute rule is for the floor's own, live entries
                        chased_at=values["served_at"] or values["ordered_at"]))
    db.session.flush()
