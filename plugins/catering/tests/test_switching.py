"""Switched off, the plugin leaves no trace and keeps its data; switched on again, all of it is back; beside the
water plugin, both work."""
from sqlalchemy import func, select

from core.auth.service import issue_token
from core.extensions import db
from core.models import User
from core.tickets.service import create_ticket
from plugins.catering.models import DiningTable, Order
from tests.helpers import create_user, login, post_form


def client(app, email):
    signed = app.test_client()
    login(signed, email)
    return signed


def test_switched_off_there_is_no_trace_and_the_data_is_kept(catering_app, world, make_app):
    admin_id = create_user(catering_app, "root@canyin.cn", "admin", name="管理员")
    post_form(client(catering_app, "waiter@canyin.cn"), "/catering/orders/new", {
        "number": "W1", "table": str(world.table["8号台"]), "covers": "2", "ordered_at": "2026-05-20T18:00",
        "dishes": "清蒸鲈鱼"})
    with catering_app.app_context():
        ticket_id = create_ticket(type_key="catering_service", title="8号台要买单",
                                  fields={"table": str(world.table["8号台"]), "need": "bill"}).id
        db.session.commit()
        _row, token = issue_token(db.session.get(User, admin_id), "tests")
        db.session.commit()

    off = make_app(PLUGINS=[])
    admin = client(off, "root@canyin.cn")
    desk = admin.get("/desk/?queue=all").get_data(as_text=True)
    assert "8号台要买单" not in desk and "楼面看板" not in desk and "班次报表" not in desk
    assert admin.get(f"/desk/tickets/{ticket_id}").status_code == 404
    for url in ("/catering/board", "/catering/orders", "/catering/shift-report", "/admin/catering_tables/",
                "/admin/catering_table_import/"):
        assert admin.get(url).status_code == 404, url
    assert "catering_" not in admin.get("/admin/").get_data(as_text=True)
    types = off.test_client().get("/api/v1/ticket-types", headers={"Authorization": f"Bearer {token}"}).get_json()
    assert not [item for item in types if item["key"].startswith("catering_")]
    registry = off.extensions["kefu"].registry
    assert "catering.dish_chase" not in registry.scheduled_jobs and "dish" not in registry.search_fields
    assert not [key for key in registry.kpis if key.startswith("catering.")]
    with off.app_context():
        assert db.session.scalar(select(func.count(Order.id))) == 1
        assert db.session.scalar(select(func.count(DiningTable.id))) == 12

    back = make_app(PLUGINS=["catering"])
    admin = client(back, "root@canyin.cn")
    assert "8号台要买单" in admin.get("/desk/?queue=all").get_data(as_text=True)
    assert "8号台要买单" in client(back, "runner@canyin.cn").get(f"/catering/board/{world.hall}").get_data(as_text=True)


def test_beside_the_water_plugin_both_work(world, make_app):
    app = make_app(PLUGINS=["catering", "water"])
    registry = app.extensions["kefu"].registry
    assert {"catering_runner", "water_hotline"} <= set(registry.roles)
    assert {"catering.dish_chase"} <= set(registry.scheduled_jobs)
    with app.app_context():
        chase = create_ticket(type_key="catering_chase", title="催菜", fields={"table": str(world.table["3号台"])})
        db.session.commit()
        assert chase.status == "new"
    runner = client(app, "runner@canyin.cn")
    assert "催菜" in runner.get(f"/catering/board/{world.hall}").get_data(as_text=True)
    assert client(app, "manager@canyin.cn").get("/water/commitment").status_code == 200
