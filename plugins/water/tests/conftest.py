"""A small water company: two districts with their crews (城东 with a community inside it, 城西), the hotline,
the counter, the service-engineering department, a quality officer, a few accounts and a portal customer."""
from datetime import date, datetime, timedelta, timezone
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from core.extensions import db
from core.models import Customer, Team, User
from plugins.water.models import Account, Area, Meter, WaterSettings
from tests.conftest import browser, database_template, database_url, instance_path, make_app  # noqa: F401 - fixtures
from tests.helpers import create_user, login

BEIJING = ZoneInfo("Asia/Shanghai")


def beijing(*args):
    """A UTC instant from Beijing wall-clock parts."""
    return datetime(*args, tzinfo=BEIJING).astimezone(timezone.utc)


@pytest.fixture
def water_app(make_app):  # noqa: F811 - the fixture imported above
    return make_app(PLUGINS=["water"])


def _users(app, ids, pairs):
    for key, email, role, name in pairs:
        setattr(ids, key, create_user(app, email, role, name=name))


@pytest.fixture
def world(water_app):
    app = water_app
    ids = SimpleNamespace()
    _users(app, ids, (
        ("hotline", "hotline@water.cn", "water_hotline", "孙丽"),
        ("counter", "counter@water.cn", "water_counter", "郑红"),
        ("engineering", "engineering@water.cn", "water_engineering", "钱卫东"),
        ("officer", "quality@water.cn", "water_quality", "冯建华"),
        ("east_leader", "east@water.cn", "water_crew_leader", "何志刚"),
        ("east_member", "east1@water.cn", "water_crew", "朱建国"),
        ("west_leader", "west@water.cn", "water_crew_leader", "胡德明"),
        ("agent", "agent@water.cn", "agent", "张晓燕"),
        ("admin", "root@water.cn", "admin", "系统管理员"),
    ))
    with app.app_context():
        user = {key: db.session.get(User, value) for key, value in vars(ids).items()}
        east = Team(name="城东抢修班组", supervisor=user["east_leader"], members=[user["east_leader"], user["east_member"]])
        west = Team(name="城西抢修班组", supervisor=user["west_leader"], members=[user["west_leader"]])
        db.session.add_all([east, west, WaterSettings(utility_kind="water", hotline="96116")])
        east_area = Area(name="城东片区", crew_team=east)
        lake = Area(name="东湖社区", parent=east_area)
        west_area = Area(name="城西片区", crew_team=west)
        holders = [Customer(name=name, phone=phone, email=email) for name, phone, email in (
            ("王建华", "13800000001", "wang@example.cn"), ("李秀英", "13800000002", None),
            ("赵敏", "13800000003", "zhao@example.cn"), ("刘洋", "13800000004", None))]
        accounts = [
            Account(number="10010001", holder=holders[0], address="东湖路12号3栋501室", area=lake, status="active",
                    meters=[Meter(number="2019010001", last_reading=1268, last_read_on=date(2026, 5, 1))]),
            Account(number="10010002", holder=holders[1], address="解放东路8号", area=east_area, status="active"),
            Account(number="10020001", holder=holders[2], address="建设西路66号", area=west_area, status="active",
                    meters=[Meter(number="2020020001", last_reading=532)]),
            Account(number="10020002", holder=holders[3], address="西环路1号", area=west_area, status="closed"),
        ]
        db.session.add_all([east_area, lake, west_area, *accounts])
        db.session.commit()
        ids.east_team, ids.west_team = east.id, west.id
        ids.east_area, ids.lake, ids.west_area = east_area.id, lake.id, west_area.id
        ids.holders = [holder.id for holder in holders]
    ids.customer_user = create_user(app, "wang@example.cn", "customer", kind="customer", name="王建华")
    ids.other_customer_user = create_user(app, "zhao@example.cn", "customer", kind="customer", name="赵敏")
    with app.app_context():
        db.session.get(User, ids.customer_user).customer_id = ids.holders[0]
        db.session.get(User, ids.other_customer_user).customer_id = ids.holders[2]
        db.session.commit()
    return ids


@pytest.fixture
def signed_in(water_app):
    def client_for(email):
        client = water_app.test_client()
        login(client, email)
        return client
    return client_for


def tomorrow_at(hour):
    day = datetime.now(BEIJING).date() + timedelta(days=1)
    return datetime(day.year, day.month, day.day, hour, tzinfo=BEIJING)
