"""Switched off, the plugin leaves no trace and keeps its data; switched on again, all of it is back; beside
another plugin, both work."""
from datetime import timedelta

from sqlalchemy import func, select

from core.auth.service import issue_token
from core.extensions import db
from core.models import User, utcnow
from core.tickets.service import create_ticket
from plugins.water.models import Account, Outage
from plugins.water.tests.test_outages import add_outage
from tests.helpers import login


def client(app, email):
    signed = app.test_client()
    login(signed, email)
    return signed


def test_switched_off_there_is_no_trace_and_the_data_is_kept(world, water_app, make_app):
    now = utcnow()
    add_outage(water_app, [world.east_area], now - timedelta(hours=1), now + timedelta(hours=3), reason="管网改造")
    with water_app.app_context():
        ticket_id = create_ticket(type_key="water_repair", title="厨房水管漏水",
                                  fields={"fault": "leak", "account": "10010001"}).id
        db.session.commit()
        _row, token = issue_token(db.session.get(User, world.admin), "tests")
        db.session.commit()

    off = make_app(PLUGINS=[])
    admin = client(off, "root@water.cn")
    assert client(off, "hotline@water.cn").get("/desk/").status_code == 403  # the role grants nothing now
    desk = admin.get("/desk/?queue=all").get_data(as_text=True)
    assert "厨房水管漏水" not in desk and "计划停水" not in desk and "热线月报" not in desk
    assert admin.get(f"/desk/tickets/{ticket_id}").status_code == 404
    for url in ("/water/outages", "/water/commitment", "/admin/water_accounts/", "/admin/water/settings/",
                "/admin/water_account_import/"):
        assert admin.get(url).status_code == 404, url
    assert "water_" not in admin.get("/admin/").get_data(as_text=True)
    assert "计划停水通知" not in client(off, "wang@example.cn").get("/portal/").get_data(as_text=True)
    api = off.test_client()
    types = api.get("/api/v1/ticket-types", headers={"Authorization": f"Bearer {token}"}).get_json()
    assert not [item for item in types if item["key"].startswith("water_")]
    registry = off.extensions["kefu"].registry
    assert "account" not in registry.search_fields and not [k for k in registry.kpis if k.startswith("water.")]
    with off.app_context():
        assert db.session.scalar(select(func.count(Account.id))) == 4
        assert db.session.scalar(select(func.count(Outage.id))) == 1

    back = make_app(PLUGINS=["water"])
    admin = client(back, "root@water.cn")
    assert "厨房水管漏水" in admin.get("/desk/?queue=all").get_data(as_text=True)
    assert "城东片区" in admin.get(f"/desk/tickets/{ticket_id}").get_data(as_text=True)
    assert client(back, "hotline@water.cn").get("/water/outages").status_code == 200


def test_beside_another_plugin_both_work(world, make_app):
    from tests.plugins.example_plugin import ExamplePlugin

    app = make_app(PLUGINS=["water", "example"], EXTRA_PLUGINS=[("example", ExamplePlugin())])
    registry = app.extensions["kefu"].registry
    assert {"water_hotline", "example_runner"} <= set(registry.roles)
    with app.app_context():
        water = create_ticket(type_key="water_repair", title="漏水", fields={"fault": "leak", "account": "10020001"})
        chase = create_ticket(type_key="example_chase", title="催菜", fields={"table": 3})
        db.session.commit()
        assert water.status == "new" and chase.status == "open"
    admin = client(app, "root@water.cn")
    assert admin.get(f"/desk/tickets/{water.id}").status_code == 200
    assert admin.get(f"/desk/tickets/{chase.id}").status_code == 200
