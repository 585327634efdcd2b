"""A restaurant with two floor areas: 大厅 (tables 1–10, table 8 among them) and 包间区 (two private rooms), its
service-centre staff from the 总监 down to the runners, and 王先生, a returning VIP who avoids peanuts."""
from datetime import datetime, timezone
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from core.extensions import db
from core.models import Customer
from plugins.catering.models import DiningTable, FloorArea, Guest
from tests.conftest import browser, database_template, database_url, instance_path, make_app  # noqa: F401 - fixtures
from tests.helpers import create_user, login

BEIJING = ZoneInfo("Asia/Shanghai")


def beijing(*args):
    """A UTC instant from Beijing wall-clock parts."""
    return datetime(*args, tzinfo=BEIJING).astimezone(timezone.utc)


@pytest.fixture
def catering_app(make_app):  # noqa: F811 - the fixture imported above
    return make_app(PLUGINS=["catering"])


STAFF = (
    ("director", "director@canyin.cn", "catering_director", "周总监"),
    ("administration", "admin-assistant@canyin.cn", "catering_administration", "吴协理"),
    ("manager", "manager@canyin.cn", "catering_manager", "郑襄理"),
    ("runner_lead", "runner-lead@canyin.cn", "catering_runner_lead", "陈传菜助理"),
    ("floor_lead", "floor-lead@canyin.cn", "catering_floor_lead", "林楼面助理"),
    ("waiter", "waiter@canyin.cn", "catering_waiter", "小李"),
    ("runner", "runner@canyin.cn", "catering_runner", "小张"),
    ("host", "host@canyin.cn", "catering_host", "小王"),
)


@pytest.fixture
def world(catering_app):
    app = catering_app
    ids = SimpleNamespace()
    for key, email, role, name in STAFF:
        setattr(ids, key, create_user(app, email, role, name=name))
    with app.app_context():
        hall = FloorArea(name="大厅", sort_order=1)
        rooms = FloorArea(name="包间区", sort_order=2)
        tables = [DiningTable(area=hall, name=f"{n}号台", seats=4 if n < 8 else 8, sort_order=n) for n in range(1, 11)]
        private = [DiningTable(area=rooms, name=name, kind="room", seats=12, sort_order=n)
                   for n, name in enumerate(("牡丹厅", "芙蓉厅"))]
        wang = Customer(name="王建国", phone="13900000008", grade="key")
        guest = Guest(customer=wang, surname="王", vip=True, visits=6, allergies="花生",
                      preferences="喜欢靠窗；少辣")
        db.session.add_all([hall, rooms, *tables, *private, wang, guest])
        db.session.commit()
        ids.hall, ids.rooms = hall.id, rooms.id
        ids.table = {table.name: table.id for table in (*tables, *private)}
        ids.wang, ids.wang_guest = wang.id, guest.id
    return ids


@pytest.fixture
def signed_in(catering_app):
    def client_for(email):
        client = catering_app.test_client()
        login(client, email)
        return client
    return client_for
