"""The monthly hotline report (the page and the KPIs behind the reports' monthly summary)."""
import re

import pytest
from sqlalchemy import select

from core.extensions import db
from core.models import Ticket, User
from core.reports.kpis import Period, Scope
from core.tickets.service import create_ticket
from core.workflow.engine import transition
from plugins.water.models import Account, Area, Outage, OutageNotice
from plugins.water.tests.conftest import beijing

MAY = Period.month(2026, 5)


EVERYTHING = Scope()


def kpi(app, key, period=MAY, scope=EVERYTHING):
    return app.extensions["kefu"].registry.kpis[key].compute(period, scope)


@pytest.fixture
def may(world, water_app):
    """May 2026 on the hotline: two inquiries (one answered), a repair put right in 6 hours and one whose crew came
    late, a complaint, a transfer, a praise, two outage notices (one sent too late) and a payment reminder; and
    one repair on 1 June."""
    with water_app.app_context():
        agent = db.session.get(User, world.hotline)
        leader = db.session.get(User, world.west_leader)

        def ticket(type_key, when, **fields):
            return create_ticket(type_key=type_key, title="热线来电", actor=agent, channel="phone", now=when,
                                 fields=fields)

        asked = ticket("inquiry", beijing(2026, 5, 3, 10))
        ticket("water_billing", beijing(2026, 5, 31, 23, 50), account="10020001", topic="bill")
        from core.tickets.service import add_comment

        add_comment(asked, actor=agent, body="您好，阶梯水价按年用水量计算。", public=True, now=beijing(2026, 5, 3, 10, 5))
        repair = ticket("water_repair", beijing(2026, 5, 10, 8), fault="leak", account="10020001")
        transition(repair, "dispatch", actor=agent, assignee=leader, now=beijing(2026, 5, 10, 8, 10))
        transition(repair, "accept", actor=leader, now=beijing(2026, 5, 10, 8, 15))
        repair.fields = {**repair.fields, "arrived_at": "2026-05-10T08:50"}
        transition(repair, "arrive", actor=leader, now=beijing(2026, 5, 10, 8, 50))
        repair.fields = {**repair.fields, "restored_at": "2026-05-10T14:00"}
        transition(repair, "restore", actor=leader, comment="已修复", now=beijing(2026, 5, 10, 14))
        late = ticket("water_repair", beijing(2026, 5, 20, 8), fault="no_supply", account="10020001")
        late.fields = {**late.fields, "arrived_at": "2026-05-20T10:30"}  # 2 h 30 against a 1 h commitment
        ticket("water_complaint", beijing(2026, 5, 12, 9), subject="attitude")
        ticket("water_transfer", beijing(2026, 5, 15, 9), account="10020001", new_holder_name="陈晓明",
               new_holder_phone="13912345678")
        ticket("suggestion", beijing(2026, 5, 16, 9))
        ticket("water_reminder", beijing(2026, 5, 18, 9), account="10020001", amount="88.50", method="phone")
        ticket("water_repair", beijing(2026, 6, 1, 0, 5), fault="leak", account="10020001")
        east = db.session.get(Area, world.east_area)
        outage = Outage(reason="管网改造", starts_at=beijing(2026, 5, 22, 9), ends_at=beijing(2026, 5, 22, 15),
                        areas=[east])
        called_off = Outage(reason="阀门更换", starts_at=beijing(2026, 5, 25, 9), ends_at=beijing(2026, 5, 25, 12),
                            areas=[east], cancelled_at=beijing(2026, 5, 24, 9))
        db.session.add_all([outage, called_off])
        db.session.flush()
        first, second = db.session.scalars(select(Account.id).where(Account.number.in_(("10010001", "10010002")))
                                           .order_by(Account.id))
        db.session.add_all([OutageNotice(outage_id=outage.id, account_id=first, created_at=beijing(2026, 5, 21, 9)),
                            OutageNotice(outage_id=outage.id, account_id=second, created_at=beijing(2026, 5, 22, 9, 30))])
        db.session.commit()
        return {"repair": repair.id}


def test_the_page_counts_each_category_with_its_reply_rate_and_handling_time(may, signed_in):
    page = signed_in("engineering@water.cn").get("/water/hotline-report?month=2026-05").get_data(as_text=True)

    def line(key):
        row = re.search(rf'data-line="{key}".*?</tr>', page, re.S).group(0)
        return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]

    assert line("consultation") == ["业务咨询", "2", "1", "50.0%", "暂无数据"]
    assert line("repair") == ["故障报修", "2", "1", "50.0%", "6.0 小时"]
    assert line("complaint")[:2] == ["投诉举报", "1"] and line("service")[:2] == ["业务办理", "1"]
    assert line("praise")[:2] == ["表扬建议", "1"]
    assert line("outage_notice") == ["计划停水提醒", "2", "—", "—", "—"]
    assert line("reminder") == ["催缴水费", "1", "—", "—", "—"]
    assert line("total")[:3] == ["受理业务合计", "7", "2"]


def test_a_month_that_cannot_be_read_falls_back_to_this_month_with_a_message(may, signed_in):
    page = signed_in("engineering@water.cn").get("/water/hotline-report?month=2026-13").get_data(as_text=True)
    assert "请按 YYYY-MM 格式选择月份" in page


def test_the_kpis_give_the_same_numbers_and_link_to_their_tickets(may, water_app):
    with water_app.app_context():
        reply = kpi(water_app, "water.reply_rate")
        assert (reply.numerator, reply.denominator, reply.value) == (2, 7, pytest.approx(200 / 7))
        assert len(db.session.scalars(reply.tickets).all()) == 7
        assert kpi(water_app, "water.average_handling_hours").value == pytest.approx(6.0)
        counts = {key: kpi(water_app, f"water.hotline_{key}").value
                  for key in ("consultation", "repair", "complaint", "service", "praise", "outage_notice", "reminder")}
        assert counts == {"consultation": 2, "repair": 2, "complaint": 1, "service": 1, "praise": 1,
                          "outage_notice": 2, "reminder": 1}
        arrival = kpi(water_app, "water.arrival_on_time")
        assert (arrival.numerator, arrival.denominator) == (1, 2)
        assert db.session.scalars(arrival.tickets).all() == [may["repair"]]
        assert kpi(water_app, "water.reply_rate", Period.month(2026, 6)).denominator == 1
        assert kpi(water_app, "water.reply_rate", Period.month(2026, 4)).value is None  # no data, not 0 %
        team = db.session.scalar(select(Ticket.team_id).where(Ticket.id == may["repair"]))
        assert kpi(water_app, "water.reply_rate", scope=Scope(team_id=team)).denominator == 1


def test_outage_notices_count_as_in_time_only_before_the_water_goes_off(may, water_app):
    with water_app.app_context():
        coverage = kpi(water_app, "water.outage_notice_coverage")
        # Two accounts in 城东片区, one told the day before, one half an hour into the outage; the cancelled
        # outage does not count.
        assert (coverage.numerator, coverage.denominator, coverage.value) == (1, 2, 50.0)
        assert kpi(water_app, "water.outage_notice_coverage", scope=Scope(team_id=1)).value is None
        assert kpi(water_app, "water.outage_notice_coverage", Period.month(2026, 6)).value is None


def test_follow_ups_recorded_in_the_month_are_its_customer_follow_ups(world, may, water_app, signed_in):
    from core.followups.service import complete_follow_up, create_follow_up, pending_follow_up

    with water_app.app_context():
        repair = db.session.get(Ticket, may["repair"])
        repair.customer_id = db.session.scalar(select(Account.customer_id).where(Account.number == "10020001"))
        follow_up = pending_follow_up(repair) or create_follow_up(repair, "sampled", beijing(2026, 5, 10, 14))
        complete_follow_up(follow_up, actor=follow_up.assignee or db.session.get(User, world.hotline), method="phone",
                           outcome="客户表示维修及时。", now=beijing(2026, 5, 11, 10))
        db.session.commit()
        assert kpi(water_app, "water.hotline_follow_up").value == 1
        assert kpi(water_app, "water.hotline_follow_up", Period.month(2026, 6)).value == 0
    page = signed_in("engineering@water.cn").get("/water/hotline-report?month=2026-05").get_data(as_text=True)
    row = re.search(r'data-line="follow_up".*?</tr>', page, re.S).group(0)
    assert [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)] == \
        ["客户回访", "1", "—", "—", "—"]

