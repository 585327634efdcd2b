"""The issue's end-to-end scenario, through the real routes with the clock frozen: 王先生 (a returning VIP who
avoids peanuts) reserves table 8; the order goes in at 18:00; at 18:15 a dish is still not served and a chase
appears on the floor board; nobody takes it and at 18:20 it escalates to the 传菜助理; the dish is served; 王先生
returns a dish as too salty, it is logged, re-made and re-served; the shift report shows one chase, one return
(口味) and the serve delays."""
import re
from datetime import date

import time_machine
from sqlalchemy import select

from core.extensions import db
from core.models import Notification, Ticket
from core.reports.kpis import Scope
from core.worker import run_due_jobs
from plugins.catering.models import Dish, DishReturn, Order, Reservation
from plugins.catering.report import SHIFT_BY_KEY, shift_period
from plugins.catering.tests.conftest import beijing
from tests.helpers import csrf_token, post_form


def _escalated_to(app, ticket_id):
    with app.app_context():
        return set(db.session.scalars(select(Notification.user_id).where(
            Notification.kind == "escalated", Notification.ticket_id == ticket_id)))


def _table(board, name):
    return next(table for table in board["tables"] if table["name"] == name)


def _dish(app, name):
    with app.app_context():
        return db.session.scalar(select(Dish.id).where(Dish.name == name))


def _jobs(app):
    with app.app_context():
        return {outcome.key: outcome for outcome in run_due_jobs()}


def test_wang_at_table_8(catering_app, world, signed_in):
    app = catering_app
    with time_machine.travel(beijing(2026, 5, 20, 16, 30), tick=False) as clock:
        host, waiter = signed_in("host@canyin.cn"), signed_in("waiter@canyin.cn")
        runner, manager = signed_in("runner@canyin.cn"), signed_in("manager@canyin.cn")
        # The host takes the booking: the phone number recognises the returning guest.
        found = host.get("/catering/guests/by-phone?phone=13900000008").get_json()["guest"]
        assert found["vip"] is True and found["allergies"] == "花生" and found["surname"] == "王"
        response = post_form(host, "/catering/reservations/new", {
            "name": "王先生", "phone": "13900000008", "party_size": "4", "reserved_for": "2026-05-20T18:00",
            "table": str(world.table["8号台"]), "special_requests": "不要花生"})
        assert response.status_code == 302
        page = host.get(response.headers["Location"]).get_data(as_text=True)
        assert "贵宾" in page and "花生" in page and "不要花生" in page
        assert re.search(r"王.*6", page)  # greeted as a returning guest, with the visits so far
        with app.app_context():
            reservation = db.session.scalar(select(Reservation))
            assert reservation.guest_id == world.wang_guest and reservation.table_id == world.table["8号台"]
            reservation_id = reservation.id

        # 18:00: the order is entered by hand.
        clock.move_to(beijing(2026, 5, 20, 18, 0))
        response = post_form(waiter, "/catering/orders/new", {
            "number": "W0520-08", "table": str(world.table["8号台"]), "covers": "4",
            "ordered_at": "2026-05-20T18:00", "dishes": "上汤菜心\n宫保虾球（去花生）\n清蒸鲈鱼",
            "reservation": str(reservation_id)})
        assert response.status_code == 302
        order_page = waiter.get(response.headers["Location"]).get_data(as_text=True)
        assert "贵宾" in order_page and "花生" in order_page  # the floor sees the allergy with the order

        greens, prawns, fish = _dish(app, "上汤菜心"), _dish(app, "宫保虾球（去花生）"), _dish(app, "清蒸鲈鱼")
        clock.move_to(beijing(2026, 5, 20, 18, 8))
        post_form(runner, f"/catering/dishes/{greens}/serve", {}, form_url=f"/catering/orders/{_order(app)}")
        clock.move_to(beijing(2026, 5, 20, 18, 12))
        post_form(runner, f"/catering/dishes/{prawns}/serve", {}, form_url=f"/catering/orders/{_order(app)}")

        # 18:14 nothing is late yet; 18:15 the fish is: a chase appears on the board on its own.
        clock.move_to(beijing(2026, 5, 20, 18, 14))
        assert _jobs(app)["catering.dish_chase"].result == 0
        clock.move_to(beijing(2026, 5, 20, 18, 15))
        assert _jobs(app)["catering.dish_chase"].result == 1
        board = runner.get(f"/catering/board/{world.hall}/data").get_json()
        [chase] = _table(board, "8号台")["requests"]
        assert chase["type"] == "催菜" and "清蒸鲈鱼" in chase["title"] and chase["waited_minutes"] == 0
        assert chase["urgency"] == "calm" and [step["key"] for step in chase["steps"]] == ["take", "finish"]
        assert all(not table["requests"] for table in board["tables"] if table["name"] != "8号台")
        assert "清蒸鲈鱼" in runner.get(f"/catering/board/{world.hall}").get_data(as_text=True)
        ticket_page = runner.get(f"/desk/tickets/{chase['id']}").get_data(as_text=True)
        assert 'id="catering-table"' in ticket_page and "W0520-08" in ticket_page and "花生" in ticket_page

        # Nobody takes it: at 18:20 it escalates to the 传菜助理, and the board shows it as urgent.
        clock.move_to(beijing(2026, 5, 20, 18, 19))
        _jobs(app)
        assert _escalated_to(app, chase["id"]) == set()
        clock.move_to(beijing(2026, 5, 20, 18, 20))
        _jobs(app)
        assert _escalated_to(app, chase["id"]) == {world.runner_lead}
        [chase] = _table(runner.get(f"/catering/board/{world.hall}/data").get_json(), "8号台")["requests"]
        assert chase["urgency"] == "urgent" and chase["escalated"] == 1 and chase["waited_minutes"] == 5

        # The fish is served at 18:22: its chase is finished with it and leaves the board; the 襄理 is never called.
        clock.move_to(beijing(2026, 5, 20, 18, 22))
        post_form(runner, f"/catering/dishes/{fish}/serve", {}, form_url=f"/catering/orders/{_order(app)}")
        assert _table(runner.get(f"/catering/board/{world.hall}/data").get_json(), "8号台")["requests"] == []
        clock.move_to(beijing(2026, 5, 20, 18, 30))
        _jobs(app)
        assert _escalated_to(app, chase["id"]) == {world.runner_lead}
        with app.app_context():
            assert db.session.get(Ticket, chase["id"]).status == "done"

        # 18:32 王先生 finds the prawns too salty: logged (口味), back to the kitchen, re-served at 18:41.
        clock.move_to(beijing(2026, 5, 20, 18, 32))
        response = post_form(waiter, f"/catering/dishes/{prawns}/return", {"reason": "taste", "note": "太咸了"},
                             form_url=f"/catering/orders/{_order(app)}")
        assert response.status_code == 302
        [returned] = _table(runner.get(f"/catering/board/{world.hall}/data").get_json(), "8号台")["requests"]
        assert returned["type"] == "退菜" and [s["key"] for s in returned["steps"]] == ["remake"]
        token = csrf_token(runner, f"/catering/board/{world.hall}")
        clock.move_to(beijing(2026, 5, 20, 18, 33))
        tapped = runner.post(f"/catering/requests/{returned['id']}/remake", data={"csrf_token": token},
                             headers={"Accept": "application/json"})
        assert tapped.status_code == 200 and tapped.get_json()["status"] == "remaking"
        clock.move_to(beijing(2026, 5, 20, 18, 41))
        tapped = runner.post(f"/catering/requests/{returned['id']}/reserve", data={"csrf_token": token},
                             headers={"Accept": "application/json"})
        assert tapped.get_json()["status"] == "reserved"
        with app.app_context():
            logged = db.session.get(DishReturn, returned["id"])
            assert (logged.reason, logged.dish_id) == ("taste", prawns)
            assert logged.logged_at == beijing(2026, 5, 20, 18, 32)
            assert logged.remade_at == beijing(2026, 5, 20, 18, 33)
            assert logged.reserved_at == beijing(2026, 5, 20, 18, 41)

        # The shift report: one chase, one return for 口味, and each dish's serve delay.
        clock.move_to(beijing(2026, 5, 20, 22, 0))
        report = manager.get("/catering/shift-report?day=2026-05-20&shift=dinner").get_data(as_text=True)
        assert re.search(r'id="catering-chases">1<', report)
        assert re.search(r'id="catering-returns">1<', report)
        reasons = report.split('id="catering-return-reasons"')[1].split("</table>")[0]
        assert "口味" in reasons and ">1<" in reasons
        delays = report.split('id="catering-delays"')[1].split("</table>")[0]
        minutes = re.findall(r"<td>(\d+)</td></tr>", delays)
        assert minutes == ["8", "12", "22"]
        assert "14.0" in report  # (8 + 12 + 22) / 3

        # The same figures as KPIs, for the dashboard and the appraisal.
        with app.app_context():
            kpis = app.extensions["kefu"].registry.kpis
            period = shift_period(date(2026, 5, 20), SHIFT_BY_KEY["dinner"])
            figures = {key: kpis[key].compute(period, Scope()).value for key in (
                "catering.chase_count", "catering.serve_delay", "catering.returns", "catering.returns_taste",
                "catering.complaints_per_100_covers")}
        assert figures == {"catering.chase_count": 1, "catering.serve_delay": 14, "catering.returns": 1,
                           "catering.returns_taste": 1, "catering.complaints_per_100_covers": 0}


def _order(app):
    with app.app_context():
        return db.session.scalar(select(Order.id))


def test_an_open_chase_reaches_the_xiangli_after_the_runner_captain(catering_app, world, signed_in):
    app = catering_app
    with time_machine.travel(beijing(2026, 5, 20, 18, 0), tick=False) as clock:
        waiter = signed_in("waiter@canyin.cn")
        post_form(waiter, "/catering/orders/new", {"number": "W0520-03", "table": str(world.table["3号台"]),
                                                   "covers": "2", "ordered_at": "2026-05-20T18:00",
                                                   "dishes": "红烧肉"})
        for minute in (15, 20, 25):
            clock.move_to(beijing(2026, 5, 20, 18, minute))
            _jobs(app)
        with app.app_context():
            chase = db.session.scalar(select(Dish.chase_ticket_id))
        assert _escalated_to(app, chase) == {world.runner_lead, world.manager}
        with app.app_context():
            assert db.session.get(Ticket, chase).escalation_level == 2


def test_a_chase_taken_on_the_board_in_time_is_not_escalated(catering_app, world, signed_in):
    app = catering_app
    with time_machine.travel(beijing(2026, 5, 20, 18, 0), tick=False) as clock:
        waiter, runner = signed_in("waiter@canyin.cn"), signed_in("runner@canyin.cn")
        post_form(waiter, "/catering/orders/new", {"number": "W0520-05", "table": str(world.table["5号台"]),
                                                   "covers": "2", "ordered_at": "2026-05-20T18:00",
                                                   "dishes": "干炒牛河"})
        clock.move_to(beijing(2026, 5, 20, 18, 15))
        _jobs(app)
        [chase] = _table(runner.get(f"/catering/board/{world.hall}/data").get_json(), "5号台")["requests"]
        clock.move_to(beijing(2026, 5, 20, 18, 17))
        tapped = runner.post(f"/catering/requests/{chase['id']}/take",
                             data={"csrf_token": csrf_token(runner, f"/catering/board/{world.hall}")},
                             headers={"Accept": "application/json"})
        assert tapped.get_json()["status"] == "taken"
        for minute in (20, 25):
            clock.move_to(beijing(2026, 5, 20, 18, minute))
            _jobs(app)
        assert _escalated_to(app, chase["id"]) == set()
        [taken] = _table(runner.get(f"/catering/board/{world.hall}/data").get_json(), "5号台")["requests"]
        assert (taken["assignee"], taken["escalated"], taken["waited_minutes"]) == ("小张", 0, 10)
        assert taken["urgency"] == "urgent"  # taken, but the guest has waited ten minutes since the chase
