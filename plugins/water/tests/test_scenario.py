"""The issue's end-to-end scenario on the demo water company, through the desk's HTTP routes: an outage is planned
for 城东片区 tomorrow 9:00–15:00 and the worker tells every account in it; during the window three 停水 reports
are answered with the outage's notice instead of a crew; a 漏水 in 城西 goes to the 城西 crew, who record arrival
and repair; the follow-up is recorded with the customer's rating; the month's hotline report counts each of these.
(过户 changing the holder only after approval: test_applications.py.)"""
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from core.cli import cli
from core.demo.data import DEMO_PASSWORD, demo_email
from core.extensions import db
from core.models import CustomerMessage, FollowUp, Survey, Team, Ticket, TicketEvent, User, utcnow
from core.reports.kpis import site_timezone
from core.worker import run_job
from plugins.water.areas import with_sub_areas
from plugins.water.models import Account, Area, Outage, OutageNotice, OutageReport
from plugins.water.outages import affected_accounts
from plugins.water.tests.conftest import tomorrow_at
from tests.helpers import login, post_form


@pytest.fixture
def demo_site(make_app):
    """The water plugin with its demo data, loaded the way `kefu demo` does; every resolution is followed up."""
    app = make_app(PLUGINS=["water"], FOLLOW_UP_SAMPLE_PERCENT=100)
    result = app.test_cli_runner().invoke(cli, ["demo"])
    assert result.exit_code == 0 and "Demo data loaded." in result.output, result.output
    return app


def sign_in(app, local):
    client = app.test_client()
    login(client, demo_email(local), DEMO_PASSWORD)
    return client


def report_lines(client, month):
    page = client.get(f"/water/hotline-report?month={month}").get_data(as_text=True)
    lines = {}
    for key, row in re.findall(r'data-line="(\w+)".*?>(.*?)</tr>', page, re.S):
        cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        lines[key] = (int(cells[1]), int(cells[2]) if cells[2].isdigit() else None)
    return lines


def month_of(instant):
    return instant.astimezone(site_timezone()).strftime("%Y-%m")


def accounts_in(area_names, open_only=True):
    """The ids of the accounts in these areas and their sub-areas."""
    ids = with_sub_areas(db.session.scalars(select(Area.id).where(Area.name.in_(area_names))).all())
    query = select(Account.id).where(Account.area_id.in_(ids))
    return set(db.session.scalars(query.where(Account.status != "closed") if open_only else query))


def new_ticket(app, client, account, fault, title):
    """The hotline takes a call about an account: the holder is the ticket's customer."""
    with app.app_context():
        holder = db.session.scalar(select(Account.customer_id).where(Account.number == account))
    data = {"type": "water_repair", "title": title, "channel": "phone", "customer_id": str(holder),
            "f_water_repair_fault": fault, "f_water_repair_account": account}
    response = post_form(client, "/desk/tickets/new", data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"/desk/tickets/(\d+)$", response.headers["Location"]).group(1))


def step(client, ticket_id, key, **data):
    url = f"/desk/tickets/{ticket_id}"
    response = post_form(client, f"{url}/transition", {"transition": key, **data}, form_url=url)
    assert response.status_code == 302, response.get_data(as_text=True)


def test_an_outage_its_notices_its_reports_a_leak_repaired_followed_up_and_the_months_report(demo_site):
    app = demo_site
    engineering, hotline, west_leader = sign_in(app, "engineering"), sign_in(app, "hotline1"), sign_in(app, "crew-west")

    # The month's report before the scenario (the demo's own month of work is in it).
    today = month_of(utcnow())
    before = report_lines(engineering, today)

    # 1. 客服工程管理部 plans the outage for 城东片区 tomorrow 9:00–15:00, Beijing time.
    with app.app_context():
        east = db.session.scalar(select(Area).where(Area.name == "城东片区"))
        east_accounts = accounts_in(["城东片区"])
        elsewhere = set(db.session.scalars(select(Account.id))) - accounts_in(["城东片区"], open_only=False)
        assert len(east_accounts) == 120  # the demo's: 20 in 城东片区 itself, 60 in 东湖社区, 40 in 朝阳社区
    day = tomorrow_at(9).date().isoformat()
    planned = post_form(engineering, "/water/outages/new", {"areas": [str(east.id)], "reason": "东风路主供水管道改造",
                                                            "starts_at": f"{day}T09:00", "ends_at": f"{day}T15:00"})
    assert planned.status_code == 302
    outage_id = int(re.search(r"/water/outages/(\d+)$", planned.headers["Location"]).group(1))
    with app.app_context():
        outage = db.session.get(Outage, outage_id)
        assert (outage.starts_at, outage.ends_at) == (tomorrow_at(9), tomorrow_at(15))
        assert [area.name for area in outage.areas] == ["城东片区"]
        assert set(db.session.scalars(select(Account.id).where(Account.id.in_(
            affected_accounts(outage).with_only_columns(Account.id))))) == east_accounts
        assert not db.session.scalar(select(func.count(OutageNotice.id)).where(OutageNotice.outage_id == outage_id))

    # 2. The worker's job tells every account in 城东片区 and its communities, once, and nobody elsewhere.
    sent_at = utcnow()
    with app.app_context():
        outcome = run_job("water.outage_notices", now=sent_at)
        assert outcome.state == "done", outcome.error
        notices = db.session.execute(select(OutageNotice.account_id, OutageNotice.kind, OutageNotice.channels)
                                     .where(OutageNotice.outage_id == outage_id)).all()
        assert {account for account, _kind, _channels in notices} == east_accounts and len(notices) == 120
        assert {kind for _account, kind, _channels in notices} == {"planned"}
        assert all(channels >= 1 for *_rest, channels in notices)  # every demo holder has a phone (SMS)
        holders = set(db.session.scalars(select(Account.customer_id).where(Account.id.in_(east_accounts))))
        messages = db.session.execute(select(CustomerMessage.customer_id, CustomerMessage.subject, CustomerMessage.body)
                                      .where(CustomerMessage.kind == "water_outage_planned")).all()
        ours = [row for row in messages if "东风路主供水管道改造" in row.body]
        assert {row.customer_id for row in ours} == holders
        assert all(row.subject == "计划停水通知" and "城东片区将于" in row.body and "96116" in row.body for row in ours)
        # elsewhere: no notice of this outage (城南片区's accounts have their own outage of tomorrow)
        assert not db.session.scalar(select(func.count(OutageNotice.id)).where(
            OutageNotice.outage_id == outage_id, OutageNotice.account_id.in_(elsewhere)))
        assert not db.session.scalar(select(func.count(OutageNotice.id)).where(
            OutageNotice.account_id.in_(accounts_in(["城西片区", "城北片区"], open_only=False))))
        south = db.session.scalar(select(Outage).where(Outage.reason == "南环路主供水管道改造"))
        south_count = db.session.scalar(select(func.count()).select_from(affected_accounts(south).subquery()))
        assert db.session.scalar(select(func.count(OutageNotice.id)).where(OutageNotice.outage_id == south.id)) \
            == south_count
    with app.app_context():
        again = run_job("water.outage_notices", now=sent_at + timedelta(minutes=5))
        assert (again.state, again.result) == ("done", 0)  # nobody is told twice
    page = engineering.get(f"/water/outages/{outage_id}").get_data(as_text=True)
    assert re.search(r"data-notices>120</dd>", page)  # all told: no "(sending)" any more

    # 3. It is tomorrow, 10:00: the stored times are moved back so that "now" falls inside the window.
    shift = tomorrow_at(10) - utcnow()
    with app.app_context():
        moved = db.session.get(Outage, outage_id)
        moved.starts_at, moved.ends_at, moved.created_at = (moved.starts_at - shift, moved.ends_at - shift,
                                                            moved.created_at - shift)
        for notice in db.session.scalars(select(OutageNotice).where(OutageNotice.outage_id == outage_id)):
            notice.created_at -= shift
        db.session.commit()
        notices_month = month_of(sent_at - shift)
        numbers = dict(db.session.execute(select(Area.name, Account.number).join(Account.area)
                                          .where(Account.status == "active").order_by(Account.number)).all())
        east_numbers = [db.session.scalar(select(Account.number).join(Account.area).where(Area.name == name)
                                          .order_by(Account.number).limit(1))
                        for name in ("城东片区", "东湖社区", "朝阳社区")]
    if notices_month != today:
        before_notices = report_lines(engineering, notices_month)

    # Three customers of 城东 (one in each part of it) call the hotline: no water.
    reports = [new_ticket(app, hotline, number, "no_supply", "家里停水了") for number in east_numbers]
    with app.app_context():
        for ticket_id in reports:
            ticket = db.session.get(Ticket, ticket_id)
            assert (ticket.status, ticket.status_category, ticket.assignee_id, ticket.team_id) == \
                ("outage_notice", "resolved", None, None)
            assert db.session.get(OutageReport, ticket_id).outage_id == outage_id
            answer = db.session.scalar(select(TicketEvent).where(TicketEvent.ticket_id == ticket_id,
                                                                 TicketEvent.kind == "transition"))
            assert answer.public and "东风路主供水管道改造" in answer.body and "城东片区将于" in answer.body
            assert ticket.first_response_at is not None
            assert not db.session.scalar(select(func.count(TicketEvent.id)).where(
                TicketEvent.ticket_id == ticket_id, TicketEvent.kind == "assign"))  # no crew dispatched
    outage_page = engineering.get(f"/water/outages/{outage_id}").get_data(as_text=True)
    assert all(f"#{ticket_id}" in outage_page for ticket_id in reports)

    # 4. A customer in 城西 reports a leak: the 城西 crew's leader is offered first, dispatched, accepts, arrives,
    # repairs.
    leak = new_ticket(app, hotline, numbers["西苑社区"], "leak", "楼道水管爆裂")
    url = f"/desk/tickets/{leak}"
    with app.app_context():
        assert db.session.get(Ticket, leak).status == "new" and db.session.get(OutageReport, leak) is None
        west_leader_id = db.session.scalar(select(User.id).where(User.email == demo_email("crew-west")))
        west_team = db.session.scalar(select(Team).where(Team.name == "城西抢修班组"))
        west_team_id, west_members = west_team.id, {member.id for member in west_team.members}
    form = re.search(r'name="transition" value="dispatch">.*?</form>', hotline.get(url).get_data(as_text=True),
                     re.S).group(0)
    assert re.search(r'<option value="(\d+)" ?selected>', form).group(1) == str(west_leader_id)
    step(hotline, leak, "dispatch", assignee=str(west_leader_id))
    with app.app_context():
        ticket = db.session.get(Ticket, leak)
        assert (ticket.status, ticket.assignee_id, ticket.team_id) == ("dispatched", west_leader_id, west_team_id)
        assert west_leader_id in west_members
    step(west_leader, leak, "accept")
    local = (utcnow() + timedelta(minutes=40)).astimezone(site_timezone()).strftime("%Y-%m-%dT%H:%M")
    step(west_leader, leak, "arrive", f_water_repair_arrived_at=local)
    fixed = (utcnow() + timedelta(hours=2)).astimezone(site_timezone()).strftime("%Y-%m-%dT%H:%M")
    step(west_leader, leak, "restore", f_water_repair_restored_at=fixed, comment="更换破损管段，已恢复供水")
    with app.app_context():
        ticket = db.session.get(Ticket, leak)
        assert (ticket.status, ticket.status_category) == ("restored", "resolved")
        assert (ticket.fields["arrived_at"], ticket.fields["restored_at"]) == (f"{local}:00", f"{fixed}:00")
        follow_up = db.session.scalar(select(FollowUp).where(FollowUp.ticket_id == leak, FollowUp.state == "pending"))
        assert follow_up is not None
        follow_up_id = follow_up.id

    # 5. The follow-up is recorded at its page with the customer's rating: the ticket moves to 回访 (and
    # 归档) by itself.
    refused = post_form(hotline, f"{url}/transition", {"transition": "follow_up"}, form_url=url)
    assert refused.status_code == 409  # not by hand
    recorded = post_form(engineering, f"/desk/follow-ups/{follow_up_id}",
                         {"method": "phone", "outcome": "客户表示抢修及时，已正常用水。", "score_quality": "5",
                          "score_attitude": "5", "score_speed": "4"})
    assert recorded.status_code == 302, recorded.get_data(as_text=True)
    with app.app_context():
        follow_up = db.session.get(FollowUp, follow_up_id)
        assert (follow_up.state, follow_up.method) == ("done", "phone")
        steps = [event.data["to"] for event in db.session.scalars(
            select(TicketEvent).where(TicketEvent.ticket_id == leak, TicketEvent.kind == "transition")
            .order_by(TicketEvent.id))]
        assert steps == ["dispatched", "accepted", "on_site", "restored", "follow_up", "closed"]
        assert db.session.get(Ticket, leak).status == "closed"  # 回访 then 归档, as the closed loop does
        survey = db.session.scalar(select(Survey).where(Survey.ticket_id == leak, Survey.state == "answered"))
        assert (survey.quality, survey.attitude, survey.speed) == (5, 5, 4)

    # 6. The month's hotline report counts each in its category.
    after = report_lines(engineering, today)
    change = {key: (after[key][0] - before[key][0],
                    None if after[key][1] is None else after[key][1] - before[key][1]) for key in after}
    assert change["repair"] == (4, 4)  # three 停水 answered with the notice, one 漏水 repaired
    assert change["follow_up"] == (1, None)
    assert change["total"] == (4, 4)
    for key in ("consultation", "complaint", "service", "praise", "reminder"):
        assert change[key][0] == 0, key
    told = 120 + south_count  # the demo's own outage in 城南片区 was told in the same run
    if notices_month == today:
        assert change["outage_notice"] == (told, None)
    else:
        assert change["outage_notice"] == (south_count, None)
        assert report_lines(engineering, notices_month)["outage_notice"][0] - before_notices["outage_notice"][0] \
            == 120
