"""A small estate office: 阳光花园 with 3栋 (2单元, rooms 1201 and 1202) looked after by the butler 刘芳 and 5栋
by 黄志明; the director, the front desk, two technicians (one already busy) and a resident with a portal
account who owns 3栋2单元1201."""
from types import SimpleNamespace

import pytest

from core.extensions import db
from core.models import Customer, User
from plugins.property.models import Building, Estate, Occupant, Room, Unit
from tests.conftest import browser, database_template, database_url, instance_path, make_app  # noqa: F401 - fixtures
from tests.helpers import create_user, login


@pytest.fixture
def property_app(make_app):  # noqa: F811 - the fixture imported above
    return make_app(PLUGINS=["property"], FOLLOW_UP_SAMPLE_PERCENT=100)


@pytest.fixture
def world(property_app):
    app = property_app
    ids = SimpleNamespace()
    for key, email, role, name in (
        ("director", "director@wuye.cn", "property_director", "陈国强"),
        ("butler", "butler@wuye.cn", "property_butler", "刘芳"),
        ("butler2", "butler2@wuye.cn", "property_butler", "黄志明"),
        ("desk", "desk@wuye.cn", "property_front_desk", "周婷"),
        ("tech", "tech@wuye.cn", "property_technician", "王师傅"),
        ("busy_tech", "busy@wuye.cn", "property_technician", "李师傅"),
        ("clerk", "clerk@wuye.cn", "property_clerk", "赵静"),
    ):
        setattr(ids, key, create_user(app, email, role, name=name))
    with app.app_context():
        estate = Estate(name="阳光花园", address="阳光路88号")
        three = Building(estate=estate, name="3栋", butler=db.session.get(User, ids.butler))
        five = Building(estate=estate, name="5栋", butler=db.session.get(User, ids.butler2))
        unit = Unit(building=three, name="2单元")
        room, neighbour = Room(unit=unit, number="1201"), Room(unit=unit, number="1202")
        other_unit = Unit(building=five, name="1单元")
        other_room = Room(unit=other_unit, number="0101")
        resident = Customer(name="张伟", phone="13900001201", email="zhang@example.cn")
        other = Customer(name="孙强", phone="13900000101", email="sun@example.cn")
        room.occupants.append(Occupant(customer=resident, relation="owner"))
        other_room.occupants.append(Occupant(customer=other, relation="owner"))
        db.session.add_all([estate, three, five, unit, other_unit, room, neighbour, other_room, resident, other])
        db.session.commit()
        ids.estate, ids.three, ids.five, ids.unit, ids.room = estate.id, three.id, five.id, unit.id, room.id
        ids.neighbour, ids.other_unit, ids.other_room = neighbour.id, other_unit.id, other_room.id
        ids.resident, ids.other = resident.id, other.id
    ids.resident_user = create_user(app, "zhang@example.cn", "customer", kind="customer", name="张伟")
    ids.other_user = create_user(app, "sun@example.cn", "customer", kind="customer", name="孙强")
    with app.app_context():
        db.session.get(User, ids.resident_user).customer_id = ids.resident
        db.session.get(User, ids.other_user).customer_id = ids.other
        db.session.commit()
    return ids


@pytest.fixture
def signed_in(property_app):
    def client_for(email):
        client = property_app.test_client()
        login(client, email)
        return client
    return client_for


def location(ids, room=True):
    """The portal/desk form values that place a repair in 阳光花园 3栋2单元1201."""
    values = {"f_property_repair_estate": str(ids.estate), "f_property_repair_building": str(ids.three),
              "f_property_repair_unit": str(ids.unit), "f_property_repair_place": "home"}
    if room:
        values["f_property_repair_room"] = str(ids.room)
    return values
