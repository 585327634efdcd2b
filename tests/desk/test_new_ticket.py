import io

from sqlalchemy import select

from core.extensions import db
from core.models import Attachment, Customer, Ticket
from tests.helpers import csrf_token, post_form


def test_an_agent_logs_a_phone_call_for_an_existing_customer(app, desk, as_user):
    agent = as_user("agent1@example.cn")
    found = agent.get("/desk/customers/search?q=1380013").get_json()["results"]
    assert [c["name"] for c in found] == ["许天佑"]
    response = post_form(agent, "/desk/tickets/new", {
        "channel": "phone", "priority": "high", "customer_id": str(found[0]["id"]), "type": "fault",
        "title": "卫生间漏水", "body": "楼上渗水到天花板"})
    assert response.status_code == 302
    with app.app_context():
        ticket = db.session.scalar(select(Ticket))
        assert (ticket.channel, ticket.priority, ticket.customer_id, ticket.created_by_id) == \
            ("phone", "high", desk.customer, desk.agent1)
        assert ticket.status == "new" and ticket.body == "楼上渗水到天花板"
    assert response.headers["Location"] == f"/desk/tickets/{ticket.id}"


def test_a_walk_in_creates_the_customer_inline_with_a_photo(app, desk, as_user):
    agent = as_user("agent1@example.cn")
    token = csrf_token(agent, "/desk/tickets/new")
    response = agent.post("/desk/tickets/new", content_type="multipart/form-data", data={
        "csrf_token": token, "channel": "walk_in", "priority": "normal", "type": "complaint",
        "new_customer_name": "赵先生", "new_customer_phone": "13912345678", "title": "营业厅排队太久",
        "files": (io.BytesIO(b"%PDF-1.4 test"), "排队照片.pdf")})
    assert response.status_code == 302
    with app.app_context():
        ticket = db.session.scalar(select(Ticket))
        assert ticket.customer.name == "赵先生" and ticket.customer.phone == "13912345678"
        assert db.session.scalar(select(Attachment.filename)) == "排队照片.pdf"


def test_errors_keep_what_was_typed_and_save_nothing(app, desk, as_user):
    agent = as_user("agent1@example.cn")
    response = post_form(agent, "/desk/tickets/new", {
        "channel": "phone", "type": "inquiry", "title": "", "body": "客户说的很长一段话",
        "new_customer_name": "钱女士", "new_customer_phone": "not a phone"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "客户说的很长一段话" in html and "钱女士" in html
    with app.app_context():
        assert db.session.scalar(select(Ticket.id)) is None
        assert db.session.scalar(select(Customer.id).where(Customer.name == "钱女士")) is None


def test_a_type_with_its_own_fields_validates_them(make_app, example):
    from tests.helpers import create_user, login

    app = make_app(EXTRA_PLUGINS=[("example", example)], PLUGINS=["example"])
    create_user(app, "runner@example.cn", "example_runner")
    client = app.test_client()
    login(client, "runner@example.cn")
    page = client.get("/desk/tickets/new").get_data(as_text=True)
    assert 'name="f_example_chase_table"' in page and "台号" in page
    bad = post_form(client, "/desk/tickets/new", {"type": "example_chase", "title": "催菜", "channel": "phone",
                                                  "f_example_chase_table": "500"})
    assert bad.status_code == 400 and "台号" in bad.get_data(as_text=True)
    good = post_form(client, "/desk/tickets/new", {"type": "example_chase", "title": "催菜", "channel": "phone",
                                                   "f_example_chase_table": "8", "f_example_chase_reason": "slow"})
    assert good.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Ticket.fields)) == {"table": 8, "reason": "slow"}


def test_a_lookup_field_offers_the_next_level_after_each_choice_without_script(make_app, example):
    from tests.helpers import create_user, login

    app = make_app(EXTRA_PLUGINS=[("example", example)], PLUGINS=["example"])
    create_user(app, "runner@example.cn", "example_runner")
    client = app.test_client()
    login(client, "runner@example.cn")
    page = client.get("/desk/tickets/new").get_data(as_text=True)
    seat_select = page[page.index('name="f_example_chase_seat"'):].split("</select>")[0]
    assert "牡丹厅" in page and "号桌" not in seat_select  # no hall chosen yet: no seats
    assert 'data-lookup-parent="f_example_chase_hall"' in seat_select
    form = {"type": "example_chase", "title": "上错菜", "channel": "phone", "f_example_chase_table": "8",
            "f_example_chase_reason": "wrong", "f_example_chase_hall": "1"}
    missing = post_form(client, "/desk/tickets/new", form)
    html = missing.get_data(as_text=True)
    seat_select = html[html.index('name="f_example_chase_seat"'):].split("</select>")[0]
    assert missing.status_code == 400 and "桌为必填项" in html
    assert ">1号桌<" in seat_select and ">2号桌<" in seat_select  # the chosen hall's seats
    created = post_form(client, "/desk/tickets/new", {**form, "f_example_chase_seat": "12"})
    assert created.status_code == 302
    ticket_page = client.get(created.headers["Location"]).get_data(as_text=True)
    assert "<dd>牡丹厅</dd>" in ticket_page and "<dd>2号桌</dd>" in ticket_page
