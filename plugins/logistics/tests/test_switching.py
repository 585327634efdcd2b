"""Switched off, the plugin leaves no trace and keeps its data; switched on again, all of it is back. Its demo
data loads."""
import random

from sqlalchemy import func, select

from core.auth.service import issue_token
from core.extensions import db
from core.models import Ticket, User
from core.tickets.service import create_ticket
from plugins.logistics.demo import add_demo_data
from plugins.logistics.models import KeyAccount, Shipment
from plugins.logistics.tests.conftest import SHIPMENT, push
from tests.helpers import create_user, login


def client(app, email):
    signed = app.test_client()
    login(signed, email)
    return signed


def test_switched_off_there_is_no_trace_and_the_data_is_kept(world, logistics_app, make_app):
    push(logistics_app, world.token, SHIPMENT)
    with logistics_app.app_context():
        ticket_id = create_ticket(type_key="logistics_inquiry", title="查询华联的货",
                                  fields={"waybill": "SJ20261201001"}).id
        db.session.commit()
    admin_id = create_user(logistics_app, "root@shengjie.cn", "admin", name="管理员")
    with logistics_app.app_context():
        _row, admin_token = issue_token(db.session.get(User, admin_id), "tests")
        db.session.commit()

    off = make_app(PLUGINS=[])
    admin = client(off, "root@shengjie.cn")
    desk = admin.get("/desk/?queue=all").get_data(as_text=True)
    assert "查询华联的货" not in desk and "大客户" not in desk and "投诉统计报表" not in desk
    assert admin.get(f"/desk/tickets/{ticket_id}").status_code == 404
    for url in ("/logistics/key-accounts", "/logistics/complaints", "/admin/logistics_shipments/",
                "/admin/logistics_shipment_import/"):
        assert admin.get(url).status_code == 404, url
    assert "logistics_" not in admin.get("/admin/").get_data(as_text=True)
    api = off.test_client()
    headers = {"Authorization": f"Bearer {admin_token}"}
    assert api.post("/api/v1/logistics/shipments", json=SHIPMENT, headers=headers).status_code == 404
    types = api.get("/api/v1/ticket-types", headers=headers).get_json()
    assert not [item for item in types if item["key"].startswith("logistics_")]
    registry = off.extensions["kefu"].registry
    assert "waybill" not in registry.search_fields and not [k for k in registry.kpis if k.startswith("logistics.")]
    with off.app_context():
        assert db.session.scalar(select(func.count(Shipment.id))) == 1
        assert db.session.scalar(select(func.count(KeyAccount.id))) == 1

    back = make_app(PLUGINS=["logistics"])
    assert "合肥中转场" in client(back, "agent@shengjie.cn").get(f"/desk/tickets/{ticket_id}").get_data(as_text=True)


def test_the_demo_data_loads(logistics_app):
    with logistics_app.app_context():
        add_demo_data(db.session, random.Random(7))
        db.session.commit()
        assert db.session.scalar(select(func.count(Shipment.id))) == 160
        assert db.session.scalar(select(func.count(KeyAccount.id))) == 5
        assert db.session.scalar(select(func.count(User.id)).where(User.email.like("%complaints%"))) == 1
        assert db.session.scalar(select(func.count(Ticket.id))) == 19


def test_beside_the_water_plugin_both_work(world, logistics_app, make_app):
    push(logistics_app, world.token, SHIPMENT)
    both = make_app(PLUGINS=["logistics", "water"])
    registry = both.extensions["kefu"].registry
    assert {"waybill", "consignee", "phone", "account", "meter"} <= set(registry.search_fields)
    assert {"logistics_claim", "water_repair"} <= set(registry.ticket_types)
    agent = client(both, "agent@shengjie.cn")
    assert "合肥中转场" in agent.get("/logistics/shipments/SJ20261201001").get_data(as_text=True)
