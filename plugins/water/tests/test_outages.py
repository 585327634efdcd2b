"""Planned outages: planning one on the desk (and every way a plan can be wrong), which reports it answers,
the banner customers and staff see, cancelling it."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from core.extensions import db
from core.models import AuditLog, Customer, CustomerMessage, Ticket, TicketEvent, utcnow
from core.worker import run_job
from plugins.water.models import Account, Area, Outage, OutageNotice, OutageReport
from plugins.water.outages import affected_accounts
from plugins.water.tests.conftest import tomorrow_at
from tests.helpers import post_form


def add_outage(app, area_ids, starts_at, ends_at, reason="管网改造"):
    with app.app_context():
        outage = Outage(reason=reason, starts_at=starts_at, ends_at=ends_at,
                        areas=db.session.scalars(select(Area).where(Area.id.in_(area_ids))).all())
        db.session.add(outage)
        db.session.commit()
        return outage.id


def new_report(client, account, fault="no_supply", title="家里停水了", **fields):
    data = {"type": "water_repair", "title": title, "channel": "phone", "f_water_repair_fault": fault,
            "f_water_repair_account": account, **{f"f_water_repair_{k}": v for k, v in fields.items()}}
    response = post_form(client, "/desk/tickets/new", data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"/desk/tickets/(\d+)$", response.headers["Location"]).group(1))


def test_the_department_plans_an_outage_in_beijing_time(world, water_app, signed_in):
    engineering = signed_in("engineering@water.cn")
    day = tomorrow_at(9).date().isoformat()
    response = post_form(engineering, "/water/outages/new", {"areas": [str(world.east_area)], "reason": "解放东路主管道改造",
                                                             "starts_at": f"{day}T09:00", "ends_at": f"{day}T15:00"})
    assert response.status_code == 302
    with water_app.app_context():
        outage = db.session.scalar(select(Outage))
        assert (outage.starts_at, outage.ends_at) == (tomorrow_at(9), tomorrow_at(15))
        assert [area.name for area in outage.areas] == ["城东片区"]
        assert db.session.scalar(select(func.count()).select_from(affected_accounts(outage).subquery())) == 2
        assert db.session.scalar(select(AuditLog.action).where(AuditLog.target_type == "Outage")) == "water.outage_plan"
    page = engineering.get(response.headers["Location"]).get_data(as_text=True)
    assert "尊敬的用户：因解放东路主管道改造，城东片区将于" in page and "停水，请提前做好储水准备。" in page


@pytest.mark.parametrize("change, field, words", [
    ({"areas": []}, "areas", "请至少选择一个片区"),
    ({"areas": ["999"]}, "areas", "请至少选择一个片区"),
    ({"reason": "  "}, "reason", "请填写原因"),
    ({"reason": "改" * 201}, "reason", "原因不能超过 200 个字符"),
    ({"starts_at": "2020-01-01T09:00"}, "starts_at", "开始时间已过"),
    ({"starts_at": "明天"}, "starts_at", "请填写开始时间"),
    ({"ends_at": "START"}, "ends_at", "结束时间必须晚于开始时间"),
    ({"ends_at": "LATE"}, "ends_at", "计划停供最长 72 小时"),
])
def test_a_wrong_plan_is_refused_with_a_message_and_nothing_is_saved(world, water_app, signed_in, change, field, words):
    day = tomorrow_at(9).date().isoformat()
    form = {"areas": [str(world.east_area)], "reason": "阀门更换", "starts_at": f"{day}T09:00", "ends_at": f"{day}T15:00",
            **change}
    form["ends_at"] = {"START": form["starts_at"], "LATE": (tomorrow_at(9) + timedelta(hours=73)).strftime("%Y-%m-%dT%H:%M")
                       }.get(form["ends_at"], form["ends_at"])
    response = post_form(signed_in("engineering@water.cn"), "/water/outages/new", form)
    assert response.status_code == 400
    assert words in response.get_data(as_text=True)
    with water_app.app_context():
        assert db.session.scalar(select(func.count(Outage.id))) == 0


def test_the_hotline_cannot_plan_and_the_form_needs_its_token(world, water_app, signed_in):
    day = tomorrow_at(9).date().isoformat()
    form = {"areas": [str(world.east_area)], "reason": "阀门更换", "starts_at": f"{day}T09:00", "ends_at": f"{day}T15:00"}
    assert post_form(signed_in("hotline@water.cn"), "/water/outages/new", form, form_url="/water/outages").status_code == 403
    assert signed_in("engineering@water.cn").post("/water/outages/new", data=form).status_code == 400  # no CSRF token
    with water_app.app_context():
        assert db.session.scalar(select(func.count(Outage.id))) == 0


def test_a_no_water_report_inside_the_window_is_answered_with_the_notice(world, water_app, signed_in):
    now = utcnow()
    outage_id = add_outage(water_app, [world.east_area], now - timedelta(hours=1), now + timedelta(hours=5))
    hotline = signed_in("hotline@water.cn")
    ticket_id = new_report(hotline, "10010001")  # in 东湖社区, inside 城东片区
    with water_app.app_context():
        ticket = db.session.get(Ticket, ticket_id)
        assert (ticket.status, ticket.status_category, ticket.assignee_id, ticket.team_id) == \
            ("outage_notice", "resolved", None, None)
        assert db.session.get(OutageReport, ticket_id).outage_id == outage_id
        answer = db.session.scalar(select(TicketEvent).where(TicketEvent.ticket_id == ticket_id,
                                                             TicketEvent.kind == "transition"))
        assert answer.public and answer.actor is None and "尊敬的用户：因管网改造，城东片区将于" in answer.body
        assert ticket.first_response_at == ticket.created_at
        assert not db.session.scalar(select(func.count(TicketEvent.id)).where(
            TicketEvent.ticket_id == ticket_id, TicketEvent.kind == "assign"))
    page = hotline.get(f"/desk/tickets/{ticket_id}").get_data(as_text=True)
    assert f'href="/water/outages/{outage_id}"' in page
    assert f"#{ticket_id}" in hotline.get(f"/water/outages/{outage_id}").get_data(as_text=True)


@pytest.mark.parametrize("account, fault, hours", [
    ("10020001", "no_supply", (-1, 5)),  # another area
    ("10010001", "leak", (-1, 5)),  # another fault: a leak still needs a crew
    ("10010001", "no_supply", (2, 8)),  # before the window
    ("10010001", "no_supply", (-8, -2)),  # after it
])
def test_other_reports_go_to_dispatch_as_usual(world, water_app, signed_in, account, fault, hours):
    now = utcnow()
    add_outage(water_app, [world.east_area], now + timedelta(hours=hours[0]), now + timedelta(hours=hours[1]))
    ticket_id = new_report(signed_in("hotline@water.cn"), account, fault=fault)
    with water_app.app_context():
        assert db.session.get(Ticket, ticket_id).status == "new"
        assert db.session.get(OutageReport, ticket_id) is None


def test_a_cancelled_outage_answers_nothing(world, water_app, signed_in):
    now = utcnow()
    outage_id = add_outage(water_app, [world.east_area], now - timedelta(hours=1), now + timedelta(hours=5))
    response = post_form(signed_in("engineering@water.cn"), f"/water/outages/{outage_id}/cancel", {},
                         form_url=f"/water/outages/{outage_id}")
    assert response.status_code == 302
    ticket_id = new_report(signed_in("hotline@water.cn"), "10010002")
    with water_app.app_context():
        assert db.session.get(Outage, outage_id).cancelled_at is not None
        assert db.session.get(Ticket, ticket_id).status == "new"


def test_the_agent_may_answer_with_the_outage_only_when_one_covers_the_report(world, water_app, signed_in):
    hotline = signed_in("hotline@water.cn")
    ticket_id = new_report(hotline, "10010002", fault="low_supply", title="水压很低")
    url = f"/desk/tickets/{ticket_id}"
    refused = post_form(hotline, f"{url}/transition", {"transition": "outage_notice"}, form_url=url)
    assert refused.status_code == 409 and "此时没有覆盖该报修所在片区的计划停供" in refused.get_data(as_text=True)
    now = utcnow()
    add_outage(water_app, [world.east_area], now - timedelta(minutes=30), now + timedelta(hours=2))
    assert post_form(hotline, f"{url}/transition", {"transition": "outage_notice"}, form_url=url).status_code == 302
    with water_app.app_context():
        assert db.session.get(Ticket, ticket_id).status == "outage_notice"
        assert db.session.get(OutageReport, ticket_id) is not None


def test_customers_see_only_their_own_outages_and_staff_see_those_in_progress(world, water_app, signed_in):
    add_outage(water_app, [world.east_area], tomorrow_at(9), tomorrow_at(15), reason="解放东路主管道改造")
    wang, zhao = signed_in("wang@example.cn"), signed_in("zhao@example.cn")
    page = wang.get("/portal/").get_data(as_text=True)
    assert "计划停水通知" in page and "城东片区" in page and "解放东路主管道改造" in page
    assert "计划停水通知" not in zhao.get("/portal/").get_data(as_text=True)
    hotline = signed_in("hotline@water.cn")
    assert "正在计划停水" not in hotline.get("/desk/").get_data(as_text=True)  # not begun yet
    now = utcnow()
    add_outage(water_app, [world.west_area], now - timedelta(hours=1), now + timedelta(hours=1), reason="抢修")
    assert "计划停水通知" in zhao.get("/portal/").get_data(as_text=True)
    page = hotline.get("/desk/").get_data(as_text=True)
    assert "正在计划停水" in page and "城西片区" in page
    with water_app.app_context():
        db.session.get(Account, db.session.scalar(select(Account.id).where(Account.number == "10020001"))).status = "closed"
        db.session.commit()
    assert "计划停水通知" not in zhao.get("/portal/").get_data(as_text=True)  # no open account there any more


def notices_of(app, outage_id):
    with app.app_context():
        return sorted(db.session.execute(
            select(Account.number, OutageNotice.kind, OutageNotice.channels).join(Account, Account.id == OutageNotice.account_id)
            .where(OutageNotice.outage_id == outage_id).order_by(Account.number, OutageNotice.kind)).all())


def test_the_worker_tells_each_open_account_once_and_again_when_the_outage_is_called_off(world, water_app, signed_in):
    outage_id = add_outage(water_app, [world.east_area], tomorrow_at(9), tomorrow_at(15), reason="解放东路主管道改造")
    over = add_outage(water_app, [world.east_area], utcnow() - timedelta(hours=5), utcnow() - timedelta(hours=1))
    now = utcnow()
    with water_app.app_context():
        assert run_job("water.outage_notices", now=now).result == 2
        # 10010001 (in 东湖社区) and 10010002, by SMS (no mail server here); 城西 and the finished outage: none
        assert notices_of(water_app, outage_id) == [("10010001", "planned", 1), ("10010002", "planned", 1)]
        assert notices_of(water_app, over) == []
        sms = db.session.scalars(select(CustomerMessage).where(CustomerMessage.channel == "sms")).all()
        assert {message.customer_id for message in sms} == set(world.holders[:2])
        assert sms[0].subject == "计划停水通知" and "尊敬的用户：因解放东路主管道改造，城东片区将于" in sms[0].body
        assert run_job("water.outage_notices", now=now + timedelta(minutes=5)).result == 0  # nobody twice
        lake = db.session.get(Area, world.lake)
        db.session.add(Account(number="10010003", holder=Customer(name="陈晓明", phone="13912345678"),
                               address="东湖路20号", area=lake, status="active"))
        db.session.commit()
        assert run_job("water.outage_notices", now=now + timedelta(minutes=10)).result == 1  # opened after the plan
    assert post_form(signed_in("engineering@water.cn"), f"/water/outages/{outage_id}/cancel", {},
                     form_url=f"/water/outages/{outage_id}").status_code == 302
    with water_app.app_context():
        assert run_job("water.outage_notices", now=now + timedelta(minutes=15)).result == 3
        assert [kind for _number, kind, _channels in notices_of(water_app, outage_id)] == ["cancelled", "planned"] * 3
        cancelled = db.session.scalar(select(CustomerMessage.body).where(CustomerMessage.kind == "water_outage_cancelled")
                                      .limit(1))
        assert "已取消" in cancelled
        assert run_job("water.outage_notices", now=now + timedelta(minutes=20)).result == 0
