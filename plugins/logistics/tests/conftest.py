"""A logistics company's customer service department: the retention centre's manager, a complaint officer, a
key-account agent, a call-centre agent, a key account (华联超市) with a portal login, another customer, and the
transport system's API token."""
from datetime import date
from types import SimpleNamespace

import pytest

from core.auth.service import issue_token
from core.extensions import db
from core.models import Customer, User
from plugins.logistics.models import KeyAccount
from tests.conftest import browser, database_template, database_url, instance_path, make_app  # noqa: F401 - fixtures
from tests.helpers import create_user, login


@pytest.fixture
def logistics_app(make_app):  # noqa: F811 - the fixture imported above
    return make_app(PLUGINS=["logistics"])


@pytest.fixture
def world(logistics_app):
    app = logistics_app
    ids = SimpleNamespace()
    for key, email, role, name in (
        ("manager", "manager@shengjie.cn", "logistics_manager", "周经理"),
        ("officer", "officer@shengjie.cn", "logistics_complaint_officer", "吴投诉"),
        ("key_agent", "keyagent@shengjie.cn", "logistics_key_account_agent", "陈思远"),
        ("agent", "agent@shengjie.cn", "logistics_call_centre_lead", "林坐席"),
        ("records", "records@shengjie.cn", "logistics_records_officer", "黄档案"),
    ):
        setattr(ids, key, create_user(app, email, role, name=name))
    with app.app_context():
        hualian = Customer(name="华联超市", phone="13900000001", email="contact@hualian.cn", grade="key")
        other = Customer(name="赵敏", phone="13800000003", email="zhao@example.cn")
        db.session.add_all([hualian, other])
        db.session.flush()
        db.session.add(KeyAccount(customer=hualian, owner=db.session.get(User, ids.key_agent),
                                  service_plan="专线配送，每周三次", visit_every_days=30,
                                  next_visit_on=date(2026, 12, 10), contact_email="logistics@hualian.cn"))
        db.session.commit()
        ids.hualian, ids.other = hualian.id, other.id
        _row, ids.token = issue_token(db.session.get(User, ids.records), "tms")
    ids.customer_user = create_user(app, "buyer@hualian.cn", "customer", kind="customer", name="华联采购部")
    ids.other_user = create_user(app, "zhao@example.cn", "customer", kind="customer", name="赵敏")
    with app.app_context():
        db.session.get(User, ids.customer_user).customer_id = ids.hualian
        db.session.get(User, ids.other_user).customer_id = ids.other
        db.session.commit()
    return ids


@pytest.fixture
def signed_in(logistics_app):
    def client_for(email):
        client = logistics_app.test_client()
        login(client, email)
        return client
    return client_for


def push(app, token, payload):
    return app.test_client().post("/api/v1/logistics/shipments", json=payload,
                                  headers={"Authorization": f"Bearer {token}"})


SHIPMENT = {
    "waybill": "SJ20261201001", "shipper_name": "华联超市", "shipper_phone": "13900000001",
    "consignee_name": "华联超市东湖店", "consignee_phone": "13900000099", "origin": "上海", "destination": "武汉",
    "weight_kg": "120.5", "declared_value": "8000", "shipped_on": "2026-12-01", "promised_on": "2026-12-03",
    "events": [
        {"at": "2026-12-01T09:10:00+08:00", "status": "picked_up", "location": "上海浦东分拨中心"},
        {"at": "2026-12-02T06:30:00+08:00", "status": "in_transit", "location": "合肥中转场"},
        {"at": "2026-12-02T15:20:00+08:00", "status": "delivered", "location": "武汉东湖店",
         "note": "外包装破损，收货人签收时注明"},
    ],
}
