"""CSV imports: the whole estate structure (one room per row, with its owner and the building's butler) and the
monthly management fee figures per room. Names that exist already are reused; a room's owner is found by name
and phone or created as a customer."""
import re
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from sqlalchemy import select

from core.csvio import CsvColumn, RowError, text_of
from core.customers.service import CustomerInputError, create_customer
from core.extensions import db
from core.i18n import Label
from core.models import Customer, User
from plugins.property.location import find_room
from plugins.property.models import Building, Estate, MonthlyFee, Occupant, Room, Unit

L = Label


def _amount(text):
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise ValueError(_("Write the amount as a number, such as 1268.50.")) from None
    if not value.is_finite() or value < 0 or value >= 10**10:
        raise ValueError(_("Write the amount as a number, such as 1268.50."))
    return value.quantize(Decimal("0.01"))


def _month(text):
    text = text.replace("/", "-").replace(".", "-")
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", text)
    if match is None or not 1 <= int(match.group(2)) <= 12:
        raise ValueError(_("Write the month as 2026-05."))
    return f"{match.group(1)}-{int(match.group(2)):02d}"


def _relation(text):
    for key, names in (("owner", ("owner", "业主")), ("resident", ("resident", "住户"))):
        if text.casefold() in names:
            return key
    raise ValueError(_("Write 业主 or 住户."))


LOCATION_COLUMNS = (
    CsvColumn("estate", L(zh="小区", en="Estate"), required=True, parse=text_of(80)),
    CsvColumn("building", L(zh="楼栋", en="Building"), required=True, parse=text_of(40)),
    CsvColumn("unit", L(zh="单元", en="Unit"), required=True, parse=text_of(40)),
    CsvColumn("room", L(zh="房号", en="Room"), required=True, parse=text_of(20)),
)
ESTATE_COLUMNS = (
    *LOCATION_COLUMNS,
    CsvColumn("area_m2", L(zh="面积", en="Floor area"), parse=_amount),
    CsvColumn("person", L(zh="业主/住户姓名", en="Owner or resident"), parse=text_of(200)),
    CsvColumn("phone", L(zh="联系电话", en="Phone"), parse=text_of(40)),
    CsvColumn("relation", L(zh="身份", en="Owner or resident"), parse=_relation),
    CsvColumn("butler", L(zh="物业管家邮箱", en="Butler's e-mail"), parse=text_of(254)),
)
FEE_COLUMNS = (
    *LOCATION_COLUMNS,
    CsvColumn("month", L(zh="月份", en="Month"), required=True, parse=_month),
    CsvColumn("amount_due", L(zh="应收管理费", en="Fee due"), required=True, parse=_amount),
    CsvColumn("amount_paid", L(zh="实收管理费", en="Fee paid"), required=True, parse=_amount),
)


def _get_or_add(model, **values):
    row = db.session.scalar(select(model).filter_by(**values))
    if row is None:
        row = model(**values)
        db.session.add(row)
        db.session.flush()
    return row


def _person(values):
    name, phone = values["person"], (values["phone"] or "").replace(" ", "")
    if phone:
        found = db.session.scalar(select(Customer).where(Customer.phone == phone, Customer.name == name).limit(1))
        if found is not None:
            return found
    try:
        customer = create_customer({"name": name, "phone": phone, "kind": "person"})
    except CustomerInputError as exc:
        key, message = next(iter(exc.errors.items()))
        raise RowError(message, column={"name": "person"}.get(key, key)) from None
    db.session.flush()
    return customer


def save_room(values, line):
    butler = None
    if values["butler"]:
        butler = db.session.scalar(select(User).where(User.email == values["butler"].lower()))
        if butler is None or not butler.can("property.patrol"):
            raise RowError(_("There is no property butler with the e-mail %(email)s.", email=values["butler"]),
                           column="butler")
    estate = _get_or_add(Estate, name=values["estate"])
    building = _get_or_add(Building, estate_id=estate.id, name=values["building"])
    if butler is not None:
        building.butler = butler
    unit = _get_or_add(Unit, building_id=building.id, name=values["unit"])
    room = _get_or_add(Room, unit_id=unit.id, number=values["room"])
    if values["area_m2"] is not None:
        room.area_m2 = values["area_m2"]
    if values["person"]:
        customer = _person(values)
        _get_or_add(Occupant, room_id=room.id, customer_id=customer.id, relation=values["relation"] or "owner")


def save_fee(values, line):
    room = find_room(values["estate"], values["building"], values["unit"], values["room"])
    if room is None:
        raise RowError(_("There is no room %(room)s in %(estate)s %(building)s %(unit)s.", room=values["room"],
                         estate=values["estate"], building=values["building"], unit=values["unit"]), column="room")
    fee = db.session.scalar(select(MonthlyFee).where(MonthlyFee.room_id == room.id, MonthlyFee.month == values["month"]))
    if fee is None:
        fee = MonthlyFee(room_id=room.id, month=values["month"])
        db.session.add(fee)
    fee.amount_due, fee.amount_paid = values["amount_due"], values["amount_paid"]
