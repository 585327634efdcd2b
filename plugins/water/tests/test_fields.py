"""The types' fields are checked alike on the desk, in the portal and in the API: an account that does not
exist, an area that is not one of ours, a transfer of a closed account."""
from sqlalchemy import func, select

from core.auth.service import issue_token
from core.extensions import db
from core.models import Ticket, User
from plugins.water.tests.test_outages import new_report
from tests.helpers import post_form


def test_the_desk_refuses_an_unknown_account_with_a_message(world, water_app, signed_in):
    hotline = signed_in("hotline@water.cn")
    response = post_form(hotline, "/desk/tickets/new", {
        "type": "water_repair", "title": "漏水", "channel": "phone", "f_water_repair_fault": "leak",
        "f_water_repair_account": "99999999"})
    assert response.status_code == 400 and "没有用户编号为 99999999 的用户" in response.get_data(as_text=True)
    response = post_form(hotline, "/desk/tickets/new", {
        "type": "water_transfer", "title": "过户", "channel": "walk_in", "f_water_transfer_account": "10020002",
        "f_water_transfer_new_holder_name": "陈晓明", "f_water_transfer_new_holder_phone": "13912345678"})
    assert response.status_code == 400 and "用户编号 10020002 已经销户" in response.get_data(as_text=True)
    with water_app.app_context():
        assert db.session.scalar(select(func.count(Ticket.id))) == 0


def test_the_area_is_chosen_from_the_sites_areas_under_their_parents(world, water_app, signed_in):
    hotline = signed_in("hotline@water.cn")
    form = hotline.get("/desk/tickets/new").get_data(as_text=True)
    assert f'<option value="{world.lake}" >城东片区 / 东湖社区</option>' in form or \
        f'<option value="{world.lake}">城东片区 / 东湖社区</option>' in form
    response = post_form(hotline, "/desk/tickets/new", {
        "type": "water_repair", "title": "路面冒水", "channel": "phone", "f_water_repair_fault": "leak",
        "f_water_repair_area": "999"})
    assert response.status_code == 400
    ticket_id = new_report(hotline, "", fault="leak", title="路面冒水", area=str(world.lake))
    page = hotline.get(f"/desk/tickets/{ticket_id}").get_data(as_text=True)
    assert "城东片区 / 东湖社区" in page and "城东抢修班组" in page


def test_a_customer_reports_in_the_portal_and_sees_the_same_checks(world, water_app, signed_in):
    wang = signed_in("wang@example.cn")
    form = wang.get("/portal/new").get_data(as_text=True)
    assert "报修" in form and "过户" in form and "催缴" not in form  # reminders are the hotline's own
    data = {"type": "water_repair", "title": "家里漏水", "f_water_repair_fault": "leak",
            "f_water_repair_account": "1001000X"}
    response = post_form(wang, "/portal/new", data)
    assert response.status_code == 400 and "没有用户编号为 1001000X 的用户" in response.get_data(as_text=True)
    response = post_form(wang, "/portal/new", {**data, "f_water_repair_account": "10010001"})
    assert response.status_code == 302
    with water_app.app_context():
        ticket = db.session.scalar(select(Ticket))
        assert (ticket.channel, ticket.fields["account"], ticket.customer_id) == ("portal", "10010001", world.holders[0])


def test_the_api_names_the_field_it_refuses(world, water_app):
    with water_app.app_context():
        _row, token = issue_token(db.session.get(User, world.hotline), "tests")
        db.session.commit()
    api = water_app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    response = api.post("/api/v1/tickets", headers=headers, json={
        "type": "water_repair", "title": "漏水", "fields": {"fault": "leak", "account": "404"}})
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["field"] == "fields.account" and "404" in error["message"]
    response = api.post("/api/v1/tickets", headers=headers, json={
        "type": "water_repair", "title": "漏水", "fields": {"fault": "leak", "account": "10020001"}})
    assert response.status_code == 201, response.get_json()
    types = {item["key"]: item for item in api.get("/api/v1/ticket-types", headers=headers).get_json()}
    assert [field["key"] for field in types["water_transfer"]["fields"]][:3] == ["account", "new_holder_name",
                                                                             "new_holder_phone"]
