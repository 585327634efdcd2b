"""The other workflows through the desk: renovation needs the deposit before approval and an inspection result
before it is done; a paid service records its price; the butler may confirm a repair by phone, with a note."""
import re

from sqlalchemy import select

from core.extensions import db
from core.models import Ticket
from tests.helpers import post_form


def create(client, type_key, title, fields):
    values = {f"f_{type_key}_{key}": value for key, value in fields.items()}
    response = post_form(client, "/desk/tickets/new", {"channel": "walk_in", "type": type_key, "title": title,
                                                      "body": title, **values}, form_url="/desk/tickets/new")
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def step(client, ticket_id, transition, **fields):
    url = f"/desk/tickets/{ticket_id}"
    return post_form(client, f"{url}/transition", {"transition": transition, **fields}, form_url=url)


def where(world):
    return {"estate": str(world.estate), "building": str(world.three), "unit": str(world.unit), "room": str(world.room)}


def test_a_renovation_is_approved_with_its_deposit_and_closed_by_its_inspection(world, property_app, signed_in):
    desk, butler = signed_in("desk@wuye.cn"), signed_in("butler@wuye.cn")
    ticket_id = create(desk, "property_renovation", "1201室厨卫改造", {
        **where(world), "contractor": "安居装饰公司", "starts_on": "2026-06-01", "ends_on": "2026-07-15"})
    assert step(desk, ticket_id, "approve").status_code == 409  # no deposit yet
    assert step(desk, ticket_id, "approve", f_property_renovation_deposit_paid="y").status_code == 302
    assert step(butler, ticket_id, "inspect").status_code == 409
    assert step(butler, ticket_id, "inspect", f_property_renovation_inspection="passed").status_code == 302
    with property_app.app_context():
        ticket = db.session.get(Ticket, ticket_id)
        assert (ticket.status, ticket.fields["inspection"], ticket.fields["deposit_paid"]) == ("inspected", "passed", True)


def test_a_paid_service_records_its_price_and_is_confirmed_by_phone(world, property_app, signed_in):
    desk, butler, tech = signed_in("desk@wuye.cn"), signed_in("butler@wuye.cn"), signed_in("tech@wuye.cn")
    bad = post_form(desk, "/desk/tickets/new", {"channel": "phone", "type": "property_paid_service", "title": "疏通",
                                                "f_property_paid_service_price": "-5", "f_property_paid_service_place": "home",
                                                **{f"f_property_paid_service_{k}": v for k, v in where(world).items()}},
                    form_url="/desk/tickets/new")
    assert bad.status_code == 400
    with property_app.app_context():
        assert db.session.scalar(select(Ticket.id)) is None
    ticket_id = create(desk, "property_paid_service", "上门疏通马桶", {**where(world), "place": "home", "price": "80"})
    page = desk.get(f"/desk/tickets/{ticket_id}").get_data(as_text=True)
    assert re.search(r"价格（元）", page)
    assert step(butler, ticket_id, "dispatch", assignee=str(world.tech)).status_code == 302
    for name in ("accept", "arrive"):
        assert post_form(tech, f"/property/jobs/{ticket_id}/{name}", {}, form_url="/property/jobs").status_code == 302
    assert post_form(tech, f"/property/jobs/{ticket_id}/complete", {"work_done": "疏通马桶"},
                     form_url="/property/jobs").status_code == 302
    assert step(butler, ticket_id, "phone_confirm").status_code == 409  # a note of the call
    assert step(butler, ticket_id, "phone_confirm", comment="电话回访业主，确认已疏通").status_code == 302
    with property_app.app_context():
        ticket = db.session.get(Ticket, ticket_id)
        assert (ticket.status, ticket.fields["price"]) == ("confirmed", "80")  # decimals are stored as text


def test_the_forms_offer_the_location_level_by_level(world, property_app, signed_in):
    portal = signed_in("zhang@example.cn").get("/portal/new").get_data(as_text=True)
    assert 'name="f_property_repair_estate"' in portal and "阳光花园" in portal
    assert 'name="f_property_emergency_kind"' not in portal  # emergencies are reported to the desk, not filed
    desk = signed_in("desk@wuye.cn").get("/desk/tickets/new").get_data(as_text=True)
    assert 'name="f_property_emergency_kind"' in desk and "困梯" in desk
