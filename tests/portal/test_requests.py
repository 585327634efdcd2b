"""A customer's own requests: filing one with the type's own fields and files, the list, the page with
the public timeline only, replies with files, reopening within the allowed days, deflection."""

from sqlalchemy import select

from core.extensions import db
from core.models import Attachment, Customer, Ticket, TicketEvent, TicketType
from tests.helpers import create_user, post_form
from tests.portal.conftest import finish_ticket, new_request, post_files, signed_in, ticket_row


def test_a_request_is_filed_for_the_customer_with_its_photo(app, world):
    ticket = ticket_row(app, world.ticket_a)
    assert (ticket.channel, ticket.requester_id, ticket.customer_id, ticket.created_by_id) == \
        ("portal", world.user_a, world.customer_a, world.user_a)
    assert ticket.body == "一直在滴水"
    page = world.a.get(f"/portal/tickets/{world.ticket_a}").get_data(as_text=True)
    assert "厨房水龙头漏水" in page and "漏水.jpg" in page
    download = world.a.get(f"/portal/tickets/{world.ticket_a}/files/{world.photo_a}")
    assert download.status_code == 200 and download.data == b"\xff\xd8 a photo"
    assert download.headers["X-Content-Type-Options"] == "nosniff"


def test_the_list_shows_own_requests_only(app, world):
    page = world.a.get("/portal/").get_data(as_text=True)
    assert "厨房水龙头漏水" in page and f"/portal/tickets/{world.ticket_a}" in page
    assert "电费账单有误" not in page


def test_requests_filed_by_staff_for_the_customer_record_are_shown(app, world):
    from core.tickets.service import create_ticket

    with app.app_context():
        ticket = create_ticket(type_key="service_request", title="过户申请",
                               customer=db.session.get(Customer, world.customer_a), channel="walk_in")
        db.session.commit()
        ticket_id = ticket.id
    assert "过户申请" in world.a.get("/portal/").get_data(as_text=True)
    assert world.a.get(f"/portal/tickets/{ticket_id}").status_code == 200
    assert world.b.get(f"/portal/tickets/{ticket_id}").status_code == 404


def test_only_public_types_are_offered_and_accepted(app, world):
    page = world.a.get("/portal/new").get_data(as_text=True)
    assert 'value="fault"' in page and 'value="service_request"' not in page  # not marked public
    response = post_form(world.a, "/portal/new", {"type": "service_request", "title": "销户"})
    assert response.status_code == 400
    assert "销户" in response.get_data(as_text=True)  # what was typed is kept
    with app.app_context():
        assert db.session.scalar(select(Ticket).where(Ticket.title == "销户")) is None


def test_a_type_with_its_own_fields_takes_and_checks_them(make_app, example):
    app = make_app(EXTRA_PLUGINS=[("example", example)], PLUGINS=["example"])
    with app.app_context():
        db.session.scalar(select(TicketType).where(TicketType.key == "example_chase")).public = True
        db.session.commit()
    create_user(app, "guest@example.cn", "customer", kind="customer")
    client = signed_in(app, "guest@example.cn")
    page = client.get("/portal/new").get_data(as_text=True)
    assert 'name="f_example_chase_table"' in page and 'name="f_example_chase_reason"' in page
    refused = post_form(client, "/portal/new", {"type": "example_chase", "title": "菜还没上",
                                                "f_example_chase_table": "999", "f_example_chase_reason": "slow"})
    assert refused.status_code == 400
    assert "999" in refused.get_data(as_text=True)
    ticket_id = new_request(client, "菜还没上", type_key="example_chase", files=[("台号.png", b"\x89PNG table")],
                            f_example_chase_table="12", f_example_chase_reason="slow", f_inquiry_other="ignored")
    ticket = ticket_row(app, ticket_id)
    assert ticket.fields == {"table": 12, "reason": "slow"}
    page = client.get(f"/portal/tickets/{ticket_id}").get_data(as_text=True)
    assert "台号.png" in page and "上菜慢" in page


def test_a_file_of_a_refused_type_saves_nothing(app, world):
    response = post_files(world.a, "/portal/new", {"type": "fault", "title": "门禁坏了"},
                          [("virus.exe", b"MZ")])
    assert response.status_code == 400
    assert "virus.exe" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Ticket).where(Ticket.title == "门禁坏了")) is None


def test_internal_notes_and_their_files_never_reach_the_customer(app, world):
    page = world.a.get(f"/portal/tickets/{world.ticket_a}").get_data(as_text=True)
    assert "师傅明天上午上门" in page and "派工单.pdf" in page
    assert "客户脾气急" not in page and "内部记录.txt" not in page
    assert world.a.get(f"/portal/tickets/{world.ticket_a}/files/{world.note_file_a}").status_code == 404
    assert world.a.get(f"/portal/tickets/{world.ticket_a}/files/{world.reply_file_a}").status_code == 200


def test_a_customer_replies_with_a_file(app, world):
    response = post_files(world.a, f"/portal/tickets/{world.ticket_a}/reply", {"body": "上午十点后家里有人"},
                          [("门牌.jpg", b"\xff\xd8 door")], form_url=f"/portal/tickets/{world.ticket_a}")
    assert response.status_code == 302
    with app.app_context():
        event = db.session.scalar(select(TicketEvent).where(TicketEvent.ticket_id == world.ticket_a)
                                  .order_by(TicketEvent.id.desc()).limit(1))
        assert (event.kind, event.public, event.actor_id, event.body) == ("reply", True, world.user_a, "上午十点后家里有人")
        assert db.session.scalar(select(Attachment.event_id).where(Attachment.filename == "门牌.jpg")) == event.id
    page = world.staff.get(f"/desk/tickets/{world.ticket_a}").get_data(as_text=True)
    assert "上午十点后家里有人" in page and "门牌.jpg" in page


def test_an_empty_reply_is_refused_and_keeps_nothing(app, world):
    response = post_form(world.a, f"/portal/tickets/{world.ticket_a}/reply", {"body": "  "},
                         form_url=f"/portal/tickets/{world.ticket_a}")
    assert response.status_code == 400


def _reopen(client, ticket_id, reason="水龙头还在漏"):
    return post_form(client, f"/portal/tickets/{ticket_id}/reopen", {"reason": reason},
                     form_url=f"/portal/tickets/{ticket_id}")


def test_a_resolved_request_is_reopened_by_the_system_on_the_customers_word(app, world):
    finish_ticket(app, world.ticket_a, days_ago=6)
    page = world.a.get(f"/portal/tickets/{world.ticket_a}").get_data(as_text=True)
    assert f"/portal/tickets/{world.ticket_a}/reopen" in page
    assert _reopen(world.a, world.ticket_a).status_code == 302
    with app.app_context():
        ticket = db.session.get(Ticket, world.ticket_a)
        assert (ticket.status, ticket.active) == ("in_progress", True)
        event = db.session.scalar(select(TicketEvent).where(TicketEvent.ticket_id == world.ticket_a)
                                  .order_by(TicketEvent.id.desc()).limit(1))
        assert (event.kind, event.actor_id, event.public, event.body) == ("transition", None, True, "水龙头还在漏")
        assert event.data["requested_by"] == world.user_a and event.data["transition"] == "reopen"


def test_reopening_is_refused_after_the_allowed_days(app, world):
    finish_ticket(app, world.ticket_a, state="close", days_ago=8)
    page = world.a.get(f"/portal/tickets/{world.ticket_a}").get_data(as_text=True)
    assert f"/portal/tickets/{world.ticket_a}/reopen" not in page and "/portal/new" in page
    response = _reopen(world.a, world.ticket_a)
    assert response.status_code == 409
    assert "flash-error" in response.get_data(as_text=True)
    assert ticket_row(app, world.ticket_a).status == "closed"
    # Nor may a closed request take replies.
    assert post_form(world.a, f"/portal/tickets/{world.ticket_a}/reply", {"body": "还漏"},
                     form_url=f"/portal/tickets/{world.ticket_a}").status_code == 409


def test_the_number_of_days_is_a_setting_and_a_reason_is_needed(make_app):
    app = make_app(PORTAL_REOPEN_DAYS=2)
    create_user(app, "boss@example.cn", "manager")
    create_user(app, "c@example.cn", "customer", kind="customer")
    client = signed_in(app, "c@example.cn")
    early, late = new_request(client, "一"), new_request(client, "二")
    finish_ticket(app, early, days_ago=1)
    finish_ticket(app, late, days_ago=3)
    assert _reopen(client, early, reason=" ").status_code == 409
    assert _reopen(client, early).status_code == 302
    assert _reopen(client, late).status_code == 409
    # An open request has nothing to reopen.
    assert _reopen(client, early).status_code == 409


def test_titles_being_typed_find_public_answers(app, world):
    for title, body, public in (("停水了怎么办？", "<p>先查看小区公告，计划停水会提前通知。</p>", True),
                                ("停水内部处置流程", "<p>内部：通知抢修班组。</p>", False)):
        post_form(world.staff, "/kb/new", {"title": title, "body": body, "category": "0",
                                           **({"public": "y"} if public else {})})
    page = world.a.get("/portal/new").get_data(as_text=True)
    assert 'data-deflect="/portal/kb/suggest"' in page and "/portal/static/portal.js" in page
    found = world.a.get("/portal/kb/suggest", query_string={"q": "家里停水了"}).get_json()["articles"]
    assert [a["title"] for a in found] == ["停水了怎么办？"]
    assert world.a.get("/portal/static/portal.js").status_code == 200
