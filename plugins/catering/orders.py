"""Entering an order by hand (the plugin is not a POS): its number, table, covers, when it was ordered and its
dishes, one per line. Bad input is refused whole, with a message per field."""
from flask_babel import gettext as _
from sqlalchemy import select

from core.extensions import db
from core.models import utcnow
from plugins.catering.models import DiningTable, Dish, FloorArea, Order, Reservation

MAX_DISHES = 60


class OrderInputError(ValueError):
    def __init__(self, errors):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def table_choices():
    return db.session.execute(select(DiningTable.id, DiningTable.name, FloorArea.name).join(FloorArea)
                              .order_by(FloorArea.sort_order, FloorArea.name, DiningTable.sort_order,
                                        DiningTable.name)).all()


def _whole(value, low, high):
    text = str(value or "").strip()
    return int(text) if text.isdigit() and low <= int(text) <= high else None


def enter_order(*, number, table_id, covers, ordered_at, dishes, reservation_id=None):
    errors = {}
    number = (number or "").strip()
    if not number or len(number) > 30:
        errors["number"] = _("Give the order number (up to 30 characters).")
    elif db.session.scalar(select(Order.id).where(Order.number == number)) is not None:
        errors["number"] = _("Order %(number)s is entered already.", number=number)
    table = db.session.get(DiningTable, _whole(table_id, 1, 2**31)) if _whole(table_id, 1, 2**31) else None
    if table is None:
        errors["table"] = _("Choose the table.")
    covers = _whole(covers, 1, 200)
    if covers is None:
        errors["covers"] = _("Give the number of guests (1 to 200).")
    if ordered_at is None:
        errors["ordered_at"] = _("Give the time the order was taken.")
    elif ordered_at > utcnow():
        errors["ordered_at"] = _("The order cannot be taken in the future.")
    names = [line.strip() for line in (dishes or "").splitlines() if line.strip()]
    if not names:
        errors["dishes"] = _("List the dishes, one per line.")
    elif len(names) > MAX_DISHES or any(len(name) > 80 for name in names):
        errors["dishes"] = _("At most %(n)d dishes of up to 80 characters each.", n=MAX_DISHES)
    reservation = None
    if str(reservation_id or "").strip():
        reservation = db.session.get(Reservation, _whole(reservation_id, 1, 2**31) or 0)
        if reservation is None:
            errors["reservation"] = _("There is no such reservation.")
    if errors:
        raise OrderInputError(errors)
    order = Order(number=number, table=table, covers=covers, ordered_at=ordered_at, reservation=reservation,
                  dishes=[Dish(name=name, ordered_at=ordered_at) for name in names])
    db.session.add(order)
    if reservation is not None and reservation.guest is not None:
        reservation.guest.visits += 1
    db.session.flush()
    return order
