"""The public form (no account): a request lands with channel "web" for a new, unverified customer record (never
an existing one found by the e-mail or phone typed: staff link it once they checked); a honeypot drops bots silently; a rate limit per address answers 429; the tracking link shows
that one request's public timeline and nothing else; answers from the FAQ are suggested without signing in."""
import re
import time

import pytest
from itsdangerous.timed import TimestampSigner
from sqlalchemy import func, select

from core.extensions import db
from core.models import Customer, Ticket, User
from tests.helpers import create_user, csrf_token, post_form
from tests.portal.conftest import attachment_ids, post_files, signed_in, staff_comment, ticket_row
from tests.support.smtp import SmtpSink

REQUEST = {"name": "周先生", "email": "zhou@example.cn", "phone": "13600000004", "type": "fault",
           "title": "楼道灯不亮", "body": "3号楼2单元，晚上很黑"}


def _send(client, data=None, files=()):
    return post_files(client, "/portal/request", {**REQUEST, **(data or {})}, files)


def _count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count(model.id)))


def test_a_visitor_files_a_request_and_follows_it_by_its_link(app, client):
    response = _send(client, files=[("楼道.jpg", b"\xff\xd8 dark")])
    assert response.status_code == 302
    track = response.headers["Location"]
    assert re.fullmatch(r"/portal/track/[\w.-]+", track)
    with app.app_context():
        ticket = db.session.scalar(select(Ticket))
        assert (ticket.channel, ticket.requester_id, ticket.created_by_id, ticket.title) == ("web", None, None, "楼道灯不亮")
        assert (ticket.customer.name, ticket.customer.email, ticket.customer.phone) == \
            ("周先生", "zhou@example.cn", "13600000004")
        ticket_id = ticket.id
    page = client.get(track).get_data(as_text=True)
    assert "楼道灯不亮" in page and "3号楼2单元" in page and 'content="no-referrer"' in page
    [photo] = attachment_ids(app, ticket_id)
    file_url = f"{track}/tickets/{ticket_id}/files/{photo}"
    assert file_url in page
    assert app.test_client().get(file_url).data == b"\xff\xd8 dark"  # the link is all it takes


def test_the_tracking_link_shows_replies_but_never_internal_notes(app, client):
    track = _send(client).headers["Location"]
    ticket_id = ticket_row(app, 1).id
    create_user(app, "boss@example.cn", "manager")
    staff = signed_in(app, "boss@example.cn")
    staff_comment(staff, ticket_id, "电工今晚到", files=[("工单.pdf", b"%PDF-1.4 job")])
    staff_comment(staff, ticket_id, "该楼栋线路老化", kind="note", files=[("线路图.pdf", b"%PDF-1.4 secret")])
    page = app.test_client().get(track).get_data(as_text=True)
    assert "电工今晚到" in page and "工单.pdf" in page
    assert "线路老化" not in page and "线路图.pdf" not in page
    _reply_file, note_file = attachment_ids(app, ticket_id)
    assert app.test_client().get(f"{track}/tickets/{ticket_id}/files/{note_file}").status_code == 404
    assert 'name="body"' not in page  # read-only


def test_a_tampered_or_expired_tracking_link_is_404(app, client, monkeypatch):
    track = _send(client).headers["Location"]
    assert client.get(track[:-2] + ("AA" if not track.endswith("AA") else "BB")).status_code == 404
    assert client.get("/portal/track/1").status_code == 404
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(time.time()) - 91 * 24 * 3600)
    old = _send(client, {"title": "旧的"}).headers["Location"]
    monkeypatch.undo()
    assert client.get(old).status_code == 404
    assert client.get(track).status_code == 200


def test_the_tracking_link_is_mailed_to_the_address_given(app, client):
    with SmtpSink() as sink:
        app.config.update(MAIL_SERVER=sink.host, MAIL_PORT=sink.port)
        track = _send(client).headers["Location"]
        [message] = sink.wait_for(1)
    assert message.rcpt_tos == ["zhou@example.cn"]
    assert f"http://localhost{track}" in message.text and "楼道灯不亮" in message.text


def _account(app, email, customer_id):
    user_id = create_user(app, email, "customer", kind="customer")
    with app.app_context():
        db.session.get(User, user_id).customer_id = customer_id
        db.session.commit()


@pytest.mark.parametrize("contact", [{"email": "ZHOU@example.cn", "phone": ""}, {"email": "", "phone": "136 0000 0004"}])
def test_typing_a_known_customer_s_contact_never_adds_to_their_list(app, client, contact):
    """Anyone can type someone else's e-mail or phone: the request gets a record of its own, unverified, and
    the known customer's portal does not show it until staff link it."""
    with app.app_context():
        known = Customer(name="周建国", email="zhou@example.cn", phone="13600000004")
        db.session.add(known)
        db.session.commit()
        known_id = known.id
    _account(app, "zhou@example.cn", known_id)
    assert _send(client, {"name": "老周", "title": "冒名的请求", **contact}).status_code == 302
    ticket = ticket_row(app, 1)
    assert ticket.customer_id != known_id
    with app.app_context():
        record = db.session.get(Customer, ticket.customer_id)
        assert (record.name, record.verified) == ("老周", False)
    portal = signed_in(app, "zhou@example.cn")
    assert "冒名的请求" not in portal.get("/portal/").get_data(as_text=True)
    assert portal.get(f"/portal/tickets/{ticket.id}").status_code == 404


def test_staff_link_a_checked_request_to_the_known_customer(app, client):
    with app.app_context():
        known = Customer(name="周建国", email="zhou@example.cn", phone="13600000004")
        db.session.add(known)
        db.session.commit()
        known_id = known.id
    _account(app, "zhou@example.cn", known_id)
    create_user(app, "agent@example.cn", "agent")
    _send(client)
    ticket = ticket_row(app, 1)
    staff = signed_in(app, "agent@example.cn")
    page = staff.get(f"/desk/tickets/{ticket.id}").get_data(as_text=True)
    assert "data-link-customer" in page and f'name="customer_id" value="{known_id}"' in page  # the match offered
    response = post_form(staff, f"/desk/tickets/{ticket.id}/customer", {"customer_id": str(known_id)},
                         form_url=f"/desk/tickets/{ticket.id}")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Ticket, ticket.id).customer_id == known_id
        unverified = db.session.get(Customer, ticket.customer_id)
        assert unverified.merged_into_id == known_id  # its typed details are kept on the known record
    portal = signed_in(app, "zhou@example.cn")
    assert "楼道灯不亮" in portal.get("/portal/").get_data(as_text=True)


def test_a_customer_account_cannot_link_tickets_to_records(app, client):
    _send(client)
    with app.app_context():
        own = Customer(name="钱女士")
        db.session.add(own)
        db.session.commit()
        own_id = own.id
    _account(app, "qian@example.cn", own_id)
    portal = signed_in(app, "qian@example.cn")
    token = csrf_token(portal, "/portal/")
    assert portal.post("/desk/tickets/1/customer", data={"csrf_token": token, "customer_id": str(own_id)}
                       ).status_code == 403
    assert ticket_row(app, 1).customer_id != own_id


def test_no_way_to_reply_or_a_type_not_public_is_refused_and_saves_nothing(app, client):
    for change in ({"email": "", "phone": ""}, {"type": "service_request"}, {"phone": "12345", "email": ""},
                   {"title": ""}):
        response = _send(client, change)
        assert response.status_code == 400, change
        assert "3号楼2单元" in response.get_data(as_text=True)  # what was typed is kept
    assert (_count(app, Ticket), _count(app, Customer)) == (0, 0)


def test_the_honeypot_drops_a_bot_silently(app, client):
    response = _send(client, {"website": "http://spam.example"})
    assert response.status_code == 302 and response.headers["Location"] == "/portal/request"
    assert "flash-info" in client.get("/portal/request").get_data(as_text=True)
    assert (_count(app, Ticket), _count(app, Customer)) == (0, 0)


def test_the_form_is_rate_limited_per_address(make_app):
    app = make_app(PUBLIC_FORM_RATE_LIMITS=("2/hour",))
    statuses = [_send(app.test_client(), {"title": f"第{i}次"}).status_code for i in range(3)]
    assert statuses == [302, 302, 429]
    refused = _send(app.test_client(), {"title": "第四次"})
    assert refused.status_code == 429
    page = refused.get_data(as_text=True)
    assert "flash-error" in page and "第四次" in page
    assert _count(app, Ticket) == 2


def test_the_form_needs_its_csrf_token(app, client):
    client.get("/portal/request")
    assert client.post("/portal/request", data=REQUEST).status_code == 400
    assert _count(app, Ticket) == 0


def test_visitors_get_public_answers_while_typing(app, client):
    create_user(app, "boss@example.cn", "manager")
    staff = signed_in(app, "boss@example.cn")
    for title, public in (("楼道灯坏了找谁？", True), ("楼道灯内部维修标准", False)):
        post_form(staff, "/kb/new", {"title": title, "body": "<p>拨打物业热线报修，24小时内修复。</p>", "category": "0",
                                     **({"public": "y"} if public else {})})
    page = client.get("/portal/request").get_data(as_text=True)
    assert 'data-deflect="/portal/request/suggest"' in page and 'name="website"' in page
    found = client.get("/portal/request/suggest", query_string={"q": "楼道灯不亮"}).get_json()
    assert found == {"articles": [{"id": 1, "title": "楼道灯坏了找谁？", "excerpt": "拨打物业热线报修，24小时内修复。",
                                   "url": None}]}
