"""The issue's end-to-end scenario through the HTTP routes: a resident of 3栋2单元1201 reports 卫生间漏水 in the
portal with a photo → the front desk takes it in → the butler dispatches it to the technician → the technician
completes it from the phone page → the resident confirms in the portal → the follow-up is done within three
days → the resident rates 5 → the repair counts for the butler and the technician; and a complaint not handled
within 24 hours escalates to the director."""
import io
import re
from datetime import timedelta

from sqlalchemy import select

from core.extensions import db
from core.models import Attachment, FollowUp, Notification, SlaClock, Survey, Ticket, TicketEvent, utcnow
from core.reports.kpis import Period, Scope
from core.sla.sweep import sweep
from plugins.property.tests.conftest import location
from tests.helpers import post_form

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


def _step(client, ticket_id, transition, **fields):
    url = f"/desk/tickets/{ticket_id}"
    response = post_form(client, f"{url}/transition", {"transition": transition, **fields}, form_url=url)
    assert response.status_code == 302, response.get_data(as_text=True)


def report_leak(client, ids):
    response = post_form(client, "/portal/new", {
        "type": "property_repair", "title": "卫生间漏水", "body": "卫生间天花板一直滴水", **location(ids),
        "files": (io.BytesIO(PNG), "leak.png")}, form_url="/portal/new", content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def test_a_leak_from_the_portal_to_the_rating_and_the_kpis(world, property_app, signed_in):
    resident = signed_in("zhang@example.cn")
    ticket_id = report_leak(resident, world)
    with property_app.app_context():
        ticket = db.session.get(Ticket, ticket_id)
        assert (ticket.status, ticket.customer_id, ticket.channel) == ("reported", world.resident, "portal")
        assert ticket.fields["room"] == str(world.room)
        names = db.session.scalars(select(Attachment.filename).where(Attachment.ticket_id == ticket_id)).all()
        assert names == ["leak.png"]

    early = post_form(resident, f"/property/portal/tickets/{ticket_id}/confirm", {}, form_url="/portal/")
    assert early.status_code == 303  # nothing to confirm before the work is done: told so, nothing written
    assert "当前状态下不能执行此步骤" in resident.get(early.headers["Location"]).get_data(as_text=True)
    with property_app.app_context():
        assert db.session.get(Ticket, ticket_id).status == "reported"

    desk = signed_in("desk@wuye.cn")
    page = desk.get(f"/desk/tickets/{ticket_id}").get_data(as_text=True)
    assert "阳光花园 3栋 2单元 1201" in page and "刘芳" in page  # the location and the building's butler
    _step(desk, ticket_id, "triage")

    butler = signed_in("butler@wuye.cn")
    page = butler.get(f"/desk/tickets/{ticket_id}").get_data(as_text=True)
    form = re.search(r'name="transition" value="dispatch">.*?</form>', page, re.S).group(0)
    options = re.findall(r'<option value="(\d+)"[^>]*>([^<]*)</option>', form)
    offered = [int(value) for value, _label in options]
    assert offered.index(world.butler) < offered.index(world.tech)  # the building's butler first
    assert any("3栋的物业管家" in label for _value, label in options)
    assert any("维修工·在办工单0张" in label for _value, label in options)
    _step(butler, ticket_id, "dispatch", assignee=str(world.tech))

    tech = signed_in("tech@wuye.cn")
    jobs = tech.get("/property/jobs").get_data(as_text=True)
    assert "卫生间漏水" in jobs and "1201" in jobs
    for step in ("accept", "arrive"):
        assert post_form(tech, f"/property/jobs/{ticket_id}/{step}", {}, form_url="/property/jobs").status_code == 302
    refused = post_form(tech, f"/property/jobs/{ticket_id}/complete", {"work_done": ""}, form_url="/property/jobs")
    assert refused.status_code == 409  # the work done is recorded
    assert post_form(tech, f"/property/jobs/{ticket_id}/complete",
                     {"work_done": "更换卫生间防水层及下水管接头", "materials": "防水涂料2桶，PVC接头1个"},
                     form_url="/property/jobs").status_code == 302
    with property_app.app_context():
        ticket = db.session.get(Ticket, ticket_id)
        assert (ticket.status, ticket.fields["materials"]) == ("completed", "防水涂料2桶，PVC接头1个")

    # Another resident cannot confirm someone else's repair; the resident confirms in the portal.
    other = signed_in("sun@example.cn")
    assert post_form(other, f"/property/portal/tickets/{ticket_id}/confirm", {}, form_url="/portal/").status_code == 404
    portal_page = resident.get(f"/portal/tickets/{ticket_id}").get_data(as_text=True)
    assert "property-confirm" in portal_page
    assert post_form(resident, f"/property/portal/tickets/{ticket_id}/confirm", {"comment": "已经不漏了"},
                     form_url=f"/portal/tickets/{ticket_id}").status_code == 302
    with property_app.app_context():
        ticket = db.session.get(Ticket, ticket_id)
        assert (ticket.status, ticket.status_category) == ("confirmed", "resolved")
        follow_up = db.session.scalar(select(FollowUp).where(FollowUp.ticket_id == ticket_id))
        assert follow_up.state == "pending"
        assert follow_up.due_at - ticket.resolved_at <= timedelta(days=3)
        follow_up_id = follow_up.id

    # The butler follows up by phone within the three days.
    recorded = post_form(butler, f"/desk/follow-ups/{follow_up_id}",
                         {"method": "phone", "outcome": "业主表示维修及时，已不再漏水"})
    assert recorded.status_code == 302, recorded.get_data(as_text=True)
    with property_app.app_context():
        follow_up = db.session.get(FollowUp, follow_up_id)
        assert follow_up.state == "done" and follow_up.done_at <= follow_up.due_at
        assert db.session.get(Ticket, ticket_id).status == "follow_up"

    # The resident rates 5 in the portal: the loop is finished and the repair archived.
    page = resident.get(f"/portal/tickets/{ticket_id}").get_data(as_text=True)
    action = re.search(r'action="([^"]*survey[^"]*)"', page).group(1)
    rated = post_form(resident, action, {"score_quality": "5", "score_attitude": "5", "score_speed": "5",
                                         "comment": "王师傅很专业"}, form_url=f"/portal/tickets/{ticket_id}")
    assert rated.status_code in (200, 302), rated.get_data(as_text=True)
    with property_app.app_context():
        survey = db.session.scalar(select(Survey).where(Survey.ticket_id == ticket_id))
        assert (survey.state, survey.quality) == ("answered", 5)
        assert db.session.get(Ticket, ticket_id).status == "closed"

        kpi = property_app.extensions["kefu"].registry.kpis["property.repairs_done"]
        today = Period.days(utcnow().date() - timedelta(days=1), utcnow().date() + timedelta(days=1))
        assert kpi.compute(today, Scope(agent_id=world.tech)).value == 1
        assert kpi.compute(today, Scope(agent_id=world.butler)).value == 1
        assert kpi.compute(today, Scope(agent_id=world.butler2)).value == 0
        assert kpi.compute(today, Scope(agent_id=world.busy_tech)).value == 0


def test_a_complaint_not_handled_in_24_hours_goes_to_the_director(world, property_app, signed_in):
    desk = signed_in("desk@wuye.cn")
    created = post_form(desk, "/desk/tickets/new", {
        "channel": "phone", "type": "property_complaint", "customer_id": str(world.resident),
        "title": "楼上装修噪音扰民", "body": "晚上十点后仍在施工", "f_property_complaint_subject": "noise",
        "f_property_complaint_estate": str(world.estate), "f_property_complaint_building": str(world.three)})
    assert created.status_code == 302, created.get_data(as_text=True)
    ticket_id = int(created.headers["Location"].rsplit("/", 1)[1])
    with property_app.app_context():
        clock = db.session.scalar(select(SlaClock).where(SlaClock.ticket_id == ticket_id,
                                                         SlaClock.kind == "resolution"))
        assert clock.due_at - db.session.get(Ticket, ticket_id).created_at == timedelta(hours=24)
        assert sweep(now=clock.due_at - timedelta(minutes=1)).breached == 0
        result = sweep(now=clock.due_at + timedelta(minutes=1))
        assert result.breached == 1
        reached = db.session.scalars(select(Notification.user_id).where(Notification.ticket_id == ticket_id,
                                                                        Notification.kind == "escalated")).all()
        assert world.director in reached
        assert db.session.get(Ticket, ticket_id).escalation_level >= 1
        assert db.session.scalar(select(TicketEvent).where(TicketEvent.ticket_id == ticket_id,
                                                           TicketEvent.kind == "escalate")) is not None
    director = signed_in("director@wuye.cn")
    assert "楼上装修噪音扰民" in director.get(f"/desk/tickets/{ticket_id}").get_data(as_text=True)


def kpi_card(page, key):
    card = re.search(rf'id="kpi-{re.escape(key)}">(.*?)</article>', page, re.S)
    assert card is not None, key
    return re.sub(r"<[^>]+>", " ", card.group(1))


def test_the_dashboard_shows_the_repair_for_the_technician_and_the_butler(world, property_app, signed_in):
    test_a_leak_from_the_portal_to_the_rating_and_the_kpis(world, property_app, signed_in)
    director = signed_in("director@wuye.cn")
    for person, expected in ((world.tech, "1"), (world.butler, "1"), (world.busy_tech, "0")):
        page = director.get(f"/reports/?agent={person}").get_data(as_text=True)
        assert kpi_card(page, "property.repairs_done").split()[1] == expected, person
    page = director.get("/reports/").get_data(as_text=True)
    assert "目标 &gt;= 100.0%" in kpi_card(page, "property.complaint_handling_rate")
