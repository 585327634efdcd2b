"""The plugin's set-up, its pages and their permissions, bad input refused whole, the board's cost with 100
tables, the floor complaint's escalation to the 襄理, the CSV imports and the search fields."""
import io
from contextlib import contextmanager
from datetime import timedelta

import time_machine
from sqlalchemy import event, func, select

from core.extensions import db
from core.models import Notification, Role, utcnow
from core.tickets.service import create_ticket
from core.worker import run_due_jobs
from plugins.catering.models import DiningTable, Dish, FloorArea, Order, Reservation
from plugins.catering.tests.conftest import BEIJING, beijing
from tests.helpers import create_user, csrf_token, post_form


def test_roles_form_the_service_centre_hierarchy_on_the_core_levels(catering_app):
    registry = catering_app.extensions["kefu"].registry
    levels = {key: registry.roles[key].level for key in registry.roles if key.startswith("catering_")}
    assert {levels[k] for k in ("catering_director", "catering_marketing", "catering_administration")} == {"manager"}
    assert {levels[k] for k in ("catering_manager", "catering_floor_lead", "catering_runner_lead",
                                "catering_host_lead", "catering_bar_lead")} == {"supervisor"}
    assert {levels[k] for k in ("catering_waiter", "catering_runner", "catering_host", "catering_bartender")} == {"agent"}
    with catering_app.app_context():
        titles = set(db.session.scalars(select(Role.label_zh).where(Role.key.like("catering_%"))))
    assert {"客服中心总监", "营销协理", "行政协理", "襄理", "楼面助理", "传菜助理", "咨客助理", "酒吧助理",
            "楼面服务员", "传菜员", "咨客", "吧员"} <= titles
    assert {"catering_chase", "catering_change", "catering_return", "catering_complaint",
            "catering_service"} <= set(registry.ticket_types)
    assert {"catering.chase_count", "catering.serve_delay", "catering.returns_taste",
            "catering.complaints_per_100_covers"} <= set(registry.kpis)
    assert "catering.dish_chase" in registry.scheduled_jobs


def test_pages_open_to_the_floor_and_not_to_others(catering_app, world, signed_in):
    waiter, host = signed_in("waiter@canyin.cn"), signed_in("host@canyin.cn")
    for url in ("/catering/board", f"/catering/board/{world.hall}", "/catering/orders", "/catering/orders/new"):
        assert waiter.get(url).status_code == 200, url
    assert host.get("/catering/reservations/new").status_code == 200
    assert host.get("/catering/reservations").status_code == 200
    assert "每隔几秒自动刷新" in waiter.get(f"/catering/board/{world.hall}").get_data(as_text=True)  # its catalogue
    assert host.get("/catering/orders/new").status_code == 403  # the host books tables, not orders
    assert waiter.get("/catering/shift-report").status_code == 403  # the captains and up read the report
    assert signed_in("manager@canyin.cn").get("/catering/shift-report").status_code == 200
    assert catering_app.test_client().get(f"/catering/board/{world.hall}/data").status_code in (302, 401)
    nav = waiter.get("/desk/").get_data(as_text=True)
    assert "楼面看板" in nav and "订座" not in nav


def test_a_bad_order_is_refused_whole_with_a_message_per_field(catering_app, world, signed_in):
    waiter = signed_in("waiter@canyin.cn")
    response = post_form(waiter, "/catering/orders/new", {"number": "", "table": "999", "covers": "0",
                                                          "ordered_at": "明天", "dishes": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    with catering_app.app_context():
        assert db.session.scalar(select(func.count(Order.id))) == 0
        assert db.session.scalar(select(func.count(Dish.id))) == 0
    assert page.count('class="error"') == 5
    response = post_form(waiter, "/catering/reservations/new", {"name": "", "phone": "abc", "party_size": "x"},
                         form_url="/catering/orders/new")
    assert response.status_code == 403  # a waiter does not book
    response = post_form(signed_in("host@canyin.cn"), "/catering/reservations/new",
                         {"name": "", "phone": "abc", "party_size": "x", "reserved_for": ""})
    assert response.status_code == 400
    with catering_app.app_context():
        assert db.session.scalar(select(func.count(Reservation.id))) == 0


def test_a_new_phone_becomes_a_guest_and_an_unknown_one_is_not_recognised(catering_app, world, signed_in):
    host = signed_in("host@canyin.cn")
    assert host.get("/catering/guests/by-phone?phone=13700000000").get_json() == {"guest": None}
    response = post_form(host, "/catering/reservations/new", {
        "name": "李女士", "phone": "13700000000", "party_size": "2",
        "reserved_for": (utcnow() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"), "table": ""})
    assert response.status_code == 302
    found = host.get("/catering/guests/by-phone?phone=13700000000").get_json()["guest"]
    assert found["name"] == "李女士" and found["vip"] is False and found["visits"] == 0


@contextmanager
def _counted(app):
    statements = []
    with app.app_context():
        engine = db.engine

    def count(*_args):
        statements.append(1)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_the_board_costs_the_same_queries_with_100_tables(catering_app, world, signed_in):
    runner = signed_in("runner@canyin.cn")
    with catering_app.app_context():
        for n in range(11, 101):
            db.session.add(DiningTable(area_id=world.hall, name=f"{n}号台", seats=4, sort_order=n))
        db.session.flush()
        tables = db.session.scalars(select(DiningTable.id).where(DiningTable.area_id == world.hall)).all()
        for table_id in tables[:40]:
            create_ticket(type_key="catering_service", title="要餐具", fields={"table": str(table_id), "need": "cutlery"})
        db.session.commit()
    runner.get(f"/catering/board/{world.hall}/data")  # warm: the session's user and roles
    with _counted(catering_app) as big:
        data = runner.get(f"/catering/board/{world.hall}/data").get_json()
    assert len(data["tables"]) == 100 and sum(len(t["requests"]) for t in data["tables"]) == 40
    with catering_app.app_context():
        db.session.execute(DiningTable.__table__.delete().where(DiningTable.area_id == world.rooms,
                                                                DiningTable.name == "芙蓉厅"))
        db.session.commit()
    with _counted(catering_app) as small:
        runner.get(f"/catering/board/{world.rooms}/data")
    assert len(big) == len(small)  # two queries for the board whatever its size


def test_a_complaint_not_settled_on_the_spot_goes_to_the_xiangli(catering_app, world, signed_in):
    with time_machine.travel(beijing(2026, 5, 20, 19, 0), tick=False) as clock:
        with catering_app.app_context():
            ticket = create_ticket(type_key="catering_complaint", title="上菜太慢，客人不满",
                                   fields={"table": str(world.table["5号台"]), "subject": "waiting"})
            db.session.commit()
            ticket_id = ticket.id
            run_due_jobs()
        clock.move_to(beijing(2026, 5, 20, 19, 10))
        with catering_app.app_context():
            run_due_jobs()
            reached = set(db.session.scalars(select(Notification.user_id).where(
                Notification.kind == "escalated", Notification.ticket_id == ticket_id)))
        assert reached == {world.manager}
        board = signed_in("waiter@canyin.cn").get(f"/catering/board/{world.hall}/data").get_json()
        [request] = next(t for t in board["tables"] if t["name"] == "5号台")["requests"]
        assert request["urgency"] == "urgent" and [s["key"] for s in request["steps"]] == ["take"]


def test_a_tap_from_the_board_needs_its_csrf_token(catering_app, world, signed_in):
    runner = signed_in("runner@canyin.cn")
    with catering_app.app_context():
        ticket = create_ticket(type_key="catering_service", title="买单",
                               fields={"table": str(world.table["2号台"]), "need": "bill"})
        db.session.commit()
        ticket_id = ticket.id
    assert runner.post(f"/catering/requests/{ticket_id}/take", headers={"Accept": "application/json"}).status_code == 400
    token = csrf_token(runner, f"/catering/board/{world.hall}")
    wrong = runner.post(f"/catering/requests/{ticket_id}/reserve", data={"csrf_token": token},
                        headers={"Accept": "application/json"})
    assert wrong.status_code == 409 and "error" in wrong.get_json()
    taken = runner.post(f"/catering/requests/{ticket_id}/take", data={"csrf_token": token},
                        headers={"Accept": "application/json"})
    assert taken.get_json() == {"ok": True, "status": "taken"}
    [request] = next(t for t in runner.get(f"/catering/board/{world.hall}/data").get_json()["tables"]
                     if t["name"] == "2号台")["requests"]
    assert request["assignee"] == "小张" and [s["key"] for s in request["steps"]] == ["finish"]


def test_tables_and_orders_are_imported_from_csv(catering_app, world, signed_in):
    create_user(catering_app, "root@canyin.cn", "admin", name="管理员")
    admin = signed_in("root@canyin.cn")
    tables = "楼面区域,台号,类型,座位数\n二楼,21号台,散台,6\n二楼,兰花厅,包间,14\n大厅,8号台,散台,10\n"
    token = csrf_token(admin, "/admin/catering_table_import/")
    response = admin.post("/admin/catering_table_import/", data={
        "csrf_token": token, "file": (io.BytesIO(tables.encode()), "tables.csv")}, content_type="multipart/form-data")
    assert response.status_code == 200
    with catering_app.app_context():
        upstairs = db.session.scalar(select(FloorArea).where(FloorArea.name == "二楼"))
        assert sorted(t.name for t in upstairs.tables) == ["21号台", "兰花厅"]
        assert db.session.scalar(select(DiningTable.seats).where(DiningTable.name == "8号台")) == 10
    orders = "单号,台号,人数,下单时间,菜品,上菜时间\nP1,21号台,6,2026-05-19 12:00,白切鸡,2026-05-19 12:09\n" \
             "P1,21号台,6,2026-05-19 12:00,老火汤,\nP2,无此台,2,2026-05-19 12:05,炒饭,\n"
    token = csrf_token(admin, "/admin/catering_order_import/")
    page = admin.post("/admin/catering_order_import/", data={
        "csrf_token": token, "file": (io.BytesIO(orders.encode()), "orders.csv")},
        content_type="multipart/form-data").get_data(as_text=True)
    assert "无此台" in page
    with catering_app.app_context():
        assert db.session.scalar(select(func.count(Order.id))) == 0  # one bad row: nothing is imported
    admin.post("/admin/catering_order_import/", data={
        "csrf_token": csrf_token(admin, "/admin/catering_order_import/"), "good_rows_only": "y",
        "file": (io.BytesIO(orders.encode()), "orders.csv")}, content_type="multipart/form-data")
    with catering_app.app_context():
        order = db.session.scalar(select(Order).where(Order.number == "P1"))
        assert [d.name for d in order.dishes] == ["白切鸡", "老火汤"] and order.covers == 6
        assert order.dishes[0].served_at == beijing(2026, 5, 19, 12, 9)
        assert run_due_jobs() is not None
        assert db.session.scalar(select(func.count(Dish.chase_ticket_id))) == 0  # history is not chased


def test_floor_requests_are_found_by_table_order_and_dish(catering_app, world, signed_in):
    with catering_app.app_context():
        create_ticket(type_key="catering_return", title="退菜",
                      fields={"table": str(world.table["8号台"]), "dish": "宫保虾球", "order_number": "W0520-08",
                              "reason": "taste"})
        db.session.commit()
    manager = signed_in("manager@canyin.cn")
    for query in ("table:8号台", "order:W0520-08", "dish:宫保虾球"):
        assert "退菜" in manager.get(f"/desk/search?q={query}").get_data(as_text=True), query


def test_demo_data_fills_the_floor_and_the_shift_report(catering_app, world, signed_in):
    import random

    from plugins.catering.demo import add_demo_data
    from plugins.catering.models import DishReturn

    with catering_app.app_context():
        db.session.execute(DiningTable.__table__.delete())  # the demo brings its own floor
        db.session.execute(FloorArea.__table__.delete())
        add_demo_data(db.session, random.Random(7))
        db.session.commit()
        assert db.session.scalar(select(func.count(DiningTable.id))) == 44
        assert db.session.scalar(select(func.count(Dish.chase_ticket_id))) > 0
        assert db.session.scalar(select(func.count(DishReturn.ticket_id))) > 0
        day = db.session.scalar(select(func.max(Order.ordered_at)))
    page = signed_in("manager@canyin.cn").get(
        f"/catering/shift-report?day={day.astimezone(BEIJING).date()}&shift=dinner")
    assert page.status_code == 200
    assert 'id="catering-delays"' in page.get_data(as_text=True) and "号台" in page.get_data(as_text=True)


def test_a_merged_customer_brings_the_guest_profile_along(catering_app, world):
    from core.customers.merge import merge_customers
    from core.models import Customer, User
    from plugins.catering.models import Guest

    with catering_app.app_context():
        kept = db.session.get(Customer, world.wang)
        duplicate = Customer(name="王建国", phone="13900000099")
        db.session.add(Guest(customer=duplicate, surname="王", visits=2, allergies="海鲜"))
        db.session.flush()
        merge_customers(kept, duplicate, actor=db.session.get(User, world.director))
        db.session.commit()
        [guest] = db.session.scalars(select(Guest).where(Guest.customer_id.in_([kept.id, duplicate.id]))).all()
        assert (guest.customer_id, guest.visits, guest.vip) == (kept.id, 8, True)
        assert guest.allergies == "花生；海鲜"


def test_the_shift_report_gives_satisfaction_per_floor_area(catering_app, world, signed_in):
    from core.models import Survey

    with time_machine.travel(beijing(2026, 5, 20, 19, 0), tick=False):
        with catering_app.app_context():
            for table, scores in (("5号台", (5, 5, 4)), ("6号台", (2, 4, 4)), ("牡丹厅", (5, 5, 5))):
                ticket = create_ticket(type_key="catering_complaint", title=f"{table} 投诉",
                                       fields={"table": str(world.table[table]), "subject": "service"})
                db.session.flush()
                quality, attitude, speed = scores
                db.session.add(Survey(ticket=ticket, state="answered", expires_at=utcnow() + timedelta(days=7),
                                      answered_at=utcnow(), channel="link", quality=quality, attitude=attitude,
                                      speed=speed))
            db.session.commit()
        page = signed_in("manager@canyin.cn").get("/catering/shift-report?day=2026-05-20&shift=dinner")
    text = page.get_data(as_text=True).split("各楼面区域满意度")[1]
    assert "包间区</td><td>100 %" in text and "大厅</td><td>50 %" in text
