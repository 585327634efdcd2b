"""Repairs go to the crew of the account's area, whose leader accepts them; the commitment sets the deadlines
per kind of fault."""
import re
from datetime import timedelta

from sqlalchemy import select

from core.extensions import db
from core.models import SlaClock, Team, Ticket
from core.tickets.assignment import suggestions
from core.tickets.service import create_ticket
from plugins.water.tests.test_outages import new_report
from tests.helpers import post_form


def step_options(page, step):
    form = re.search(rf'name="transition" value="{step}">.*?</form>', page, re.S).group(0)
    return re.findall(r'<option value="(\d+)" ?( selected)?>([^<]*)</option>', form)


def test_the_crew_of_the_accounts_area_is_offered_first_with_its_leader_chosen(world, water_app, signed_in):
    hotline = signed_in("hotline@water.cn")
    ticket_id = new_report(hotline, "10010001", fault="leak", title="厨房水管漏水")  # 东湖社区, served by 城东
    options = step_options(hotline.get(f"/desk/tickets/{ticket_id}").get_data(as_text=True), "dispatch")
    assert options[0] == (str(world.east_leader), " selected", "何志刚 · 城东片区·城东抢修班组班组长")
    assert options[1][0] == str(world.east_member) and "城东抢修班组" in options[1][2]
    with water_app.app_context():
        ticket = db.session.get(Ticket, ticket_id)
        ranked = [user.id for user, _score, _reason in suggestions(ticket)]
        assert world.west_leader not in ranked


def test_an_area_without_a_crew_of_its_own_is_served_by_its_parents(world, water_app):
    with water_app.app_context():
        west = create_ticket(type_key="water_repair", title="漏水", fields={"fault": "leak", "area": str(world.west_area)})
        nowhere = create_ticket(type_key="water_repair", title="漏水", fields={"fault": "leak"})
        assert [user.id for user, *_ in suggestions(west)][:1] == [world.west_leader]
        assert suggestions(nowhere) == []


def test_dispatch_then_only_the_crew_leader_accepts(world, water_app, signed_in):
    hotline = signed_in("hotline@water.cn")
    ticket_id = new_report(hotline, "10020001", fault="leak", title="楼道水管爆裂")
    url = f"/desk/tickets/{ticket_id}"
    assert post_form(hotline, f"{url}/transition", {"transition": "dispatch", "assignee": str(world.west_leader)},
                     form_url=url).status_code == 302
    with water_app.app_context():
        ticket = db.session.get(Ticket, ticket_id)
        assert (ticket.status, ticket.assignee_id) == ("dispatched", world.west_leader)
        assert ticket.team == db.session.get(Team, world.west_team)
    member = signed_in("east1@water.cn")  # a crew member, not a leader
    assert member.get(url).status_code == 404  # another crew's job is not theirs to see
    leader = signed_in("west@water.cn")
    page = leader.get(url).get_data(as_text=True)
    assert 'value="accept"' in page and "城西片区 / " not in page and "城西片区" in page
    assert post_form(leader, f"{url}/transition", {"transition": "accept"}, form_url=url).status_code == 302
    with water_app.app_context():
        assert db.session.get(Ticket, ticket_id).status == "accepted"


def test_a_crew_member_cannot_accept_for_the_leader(world, water_app, signed_in):
    hotline = signed_in("hotline@water.cn")
    ticket_id = new_report(hotline, "10010002", fault="leak", title="水表前阀门漏水")
    url = f"/desk/tickets/{ticket_id}"
    post_form(hotline, f"{url}/transition", {"transition": "dispatch", "assignee": str(world.east_member)}, form_url=url)
    member = signed_in("east1@water.cn")
    page = member.get(url).get_data(as_text=True)
    assert 'value="accept"' not in page
    refused = post_form(member, f"{url}/transition", {"transition": "accept"}, form_url=url)
    assert refused.status_code == 409 and "您无权执行此步骤" in refused.get_data(as_text=True)
    with water_app.app_context():
        assert db.session.get(Ticket, ticket_id).status == "dispatched"


def test_the_leader_may_send_a_job_back_with_a_reason(world, water_app, signed_in):
    hotline = signed_in("hotline@water.cn")
    ticket_id = new_report(hotline, "10010002", fault="meter_fault", title="水表不走字")
    url = f"/desk/tickets/{ticket_id}"
    post_form(hotline, f"{url}/transition", {"transition": "dispatch", "assignee": str(world.east_leader)}, form_url=url)
    leader = signed_in("east@water.cn")
    assert post_form(leader, f"{url}/transition", {"transition": "decline"}, form_url=url).status_code == 409
    assert post_form(leader, f"{url}/transition", {"transition": "decline", "comment": "不属于本班组，属营业厅换表"},
                     form_url=url).status_code == 302
    with water_app.app_context():
        assert db.session.get(Ticket, ticket_id).status == "new"


def test_the_commitment_sets_the_deadlines_per_kind_of_fault(world, water_app):
    with water_app.app_context():
        due = {}
        for fault in ("leak", "no_supply", "low_supply", "meter_fault"):
            ticket = create_ticket(type_key="water_repair", title="报修", fields={"fault": fault, "account": "10020001"})
            clock = db.session.scalar(select(SlaClock).where(SlaClock.ticket_id == ticket.id,
                                                             SlaClock.kind == "resolution"))
            due[fault] = clock.due_at - ticket.created_at
            assert clock.business is False and clock.explanation["match"]["fields.fault"] == fault
        assert due == {"leak": timedelta(hours=24), "no_supply": timedelta(hours=24),
                       "low_supply": timedelta(hours=48), "meter_fault": timedelta(hours=72)}
        assert db.session.scalar(select(SlaClock.policy_name).where(SlaClock.kind == "resolution")) == "服务承诺·漏水"


def test_changing_the_kind_of_fault_moves_the_deadline(world, water_app, signed_in):
    hotline = signed_in("hotline@water.cn")
    ticket_id = new_report(hotline, "10020001", fault="meter_fault", title="水表漏水")
    url = f"/desk/tickets/{ticket_id}"
    with water_app.app_context():
        version = db.session.get(Ticket, ticket_id).version
    post_form(hotline, f"{url}/fields", {"title": "水表漏水", "priority": "high", "version": str(version),
                                         "f_fault": "leak", "f_account": "10020001"}, form_url=url)
    with water_app.app_context():
        ticket = db.session.get(Ticket, ticket_id)
        clock = db.session.scalar(select(SlaClock).where(SlaClock.ticket_id == ticket_id, SlaClock.kind == "resolution"))
        assert ticket.fields["fault"] == "leak"
        # 72 hours at first; now 24 hours from the report (whole seconds of the time already used are kept)
        assert abs(clock.due_at - ticket.created_at - timedelta(hours=24)) < timedelta(seconds=2)


def test_the_crew_records_arrival_and_repair_at_the_step_that_needs_them(world, water_app, signed_in):
    hotline, leader = signed_in("hotline@water.cn"), signed_in("west@water.cn")
    ticket_id = new_report(hotline, "10020001", fault="leak", title="楼道水管爆裂")
    url = f"/desk/tickets/{ticket_id}"
    post_form(hotline, f"{url}/transition", {"transition": "dispatch", "assignee": str(world.west_leader)}, form_url=url)
    post_form(leader, f"{url}/transition", {"transition": "accept"}, form_url=url)
    page = leader.get(url).get_data(as_text=True)
    assert 'name="f_water_repair_arrived_at"' in re.search(r'data-step="arrive".*?</form>', page, re.S).group(0)
    refused = post_form(leader, f"{url}/transition", {"transition": "arrive"}, form_url=url)
    assert refused.status_code == 409 and "到达现场时间" in refused.get_data(as_text=True)
    bad = post_form(leader, f"{url}/transition", {"transition": "arrive", "f_water_repair_arrived_at": "下午三点"},
                    form_url=url)
    assert bad.status_code == 409
    assert post_form(leader, f"{url}/transition", {"transition": "arrive", "f_water_repair_arrived_at": "2026-06-01T15:20"},
                     form_url=url).status_code == 302
    assert post_form(leader, f"{url}/transition", {"transition": "restore", "f_water_repair_restored_at": "2026-06-01T16:05"},
                     form_url=url).status_code == 409  # the customer is told what was done
    assert post_form(leader, f"{url}/transition", {"transition": "restore", "f_water_repair_restored_at": "2026-06-01T16:05",
                                                   "comment": "更换破损管段，已恢复供水"}, form_url=url).status_code == 302
    with water_app.app_context():
        ticket = db.session.get(Ticket, ticket_id)
        assert (ticket.status, ticket.status_category) == ("restored", "resolved")
        assert (ticket.fields["arrived_at"], ticket.fields["restored_at"]) == ("2026-06-01T15:20:00", "2026-06-01T16:05:00")
