"""Customers' accounts: signing up (and the refusals, above all of an address staff use), and signing in
with a link sent by e-mail that works once and expires."""
import re
import time

import pytest
from itsdangerous.timed import TimestampSigner
from sqlalchemy import func, select

from core.extensions import db
from core.models import AuditLog, Customer, User
from core.tickets.service import create_ticket
from tests.helpers import PASSWORD, create_user, csrf_token, login, post_form
from tests.support.smtp import SmtpSink

NEW = {"name": "孙丽", "email": "sun.li@example.cn", "phone": "13700000003", "password": "water-2024"}


def _account(app, email):
    with app.app_context():
        user = db.session.scalar(select(User).where(func.lower(User.email) == email.lower()))
        if user is not None:
            db.session.expunge(user)
        return user


def test_signing_up_makes_a_customer_account_with_its_own_record(app, client):
    with app.app_context():  # a record staff made from a phone call, with the same address
        old = Customer(name="孙丽", email="sun.li@example.cn")
        create_ticket(type_key="inquiry", title="旧工单", customer=old, channel="phone")
        db.session.commit()
        old_id = old.id
    response = post_form(client, "/portal/signup", NEW)
    assert response.status_code == 302 and response.headers["Location"] == "/portal/"
    user = _account(app, "sun.li@example.cn")
    assert (user.kind, user.name, user.phone) == ("customer", "孙丽", "13700000003")
    assert [role.key for role in user.roles] == ["customer"] and user.check_password("water-2024")
    # Nothing proves the address is theirs: the account gets a record of its own, not the old one's requests.
    assert user.customer_id != old_id
    assert "旧工单" not in client.get("/portal/").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Customer, user.customer_id).email == "sun.li@example.cn"
        assert db.session.scalar(select(AuditLog.action).where(AuditLog.actor_id == user.id)) == "portal.sign_up"


@pytest.mark.parametrize("taken", ["boss@example.cn", " BOSS@Example.CN ", "customer@example.cn"])
def test_an_address_any_account_uses_cannot_sign_up(app, client, taken):
    create_user(app, "boss@example.cn", "admin", name="管理员")
    create_user(app, "customer@example.cn", "customer", kind="customer")
    response = post_form(client, "/portal/signup", {**NEW, "email": taken})
    assert response.status_code == 400
    assert "管理员" not in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 2
        assert db.session.scalar(select(func.count(Customer.id))) == 0
    staff = _account(app, "boss@example.cn")
    assert staff.kind == "staff" and staff.check_password(PASSWORD)
    assert client.get("/portal/").status_code == 302  # not signed in


def test_the_refusal_reads_the_same_for_staff_and_customer_addresses(app):
    create_user(app, "boss@example.cn", "admin")
    create_user(app, "customer@example.cn", "customer", kind="customer")
    pages = []
    for email in ("boss@example.cn", "customer@example.cn"):
        page = post_form(app.test_client(), "/portal/signup", {**NEW, "email": email}).get_data(as_text=True)
        pages.append(re.sub(r'name="csrf_token"[^>]*>|value="[^"]*"', "", page))
    assert pages[0] == pages[1]


@pytest.mark.parametrize("change", [{"password": "short"}, {"phone": "12345"}, {"email": "not an address"},
                                    {"name": " "}])
def test_bad_input_is_refused(app, client, change):
    response = post_form(client, "/portal/signup", {**NEW, **change})
    assert response.status_code == 400
    assert _account(app, "sun.li@example.cn") is None


def test_sign_ups_are_rate_limited_per_address(make_app):
    app = make_app(PORTAL_ACCOUNT_RATE_LIMITS=("2/hour",))
    statuses = [post_form(app.test_client(), "/portal/signup", {**NEW, "email": f"{i}@example.cn"}).status_code
                for i in range(3)]
    assert statuses == [302, 302, 429]


# Sign-in links ----------------------------------------------------------------------------------------------


@pytest.fixture
def sink(app):
    with SmtpSink() as server:
        app.config.update(MAIL_SERVER=server.host, MAIL_PORT=server.port)
        yield server


def _ask_for_link(client, email):
    response = post_form(client, "/portal/link", {"email": email})
    assert response.status_code == 302 and response.headers["Location"] == "/portal/link"
    return response


def _link_in(message):
    return re.search(r"http://localhost(/portal/link/\S+)", message.text).group(1)


def test_a_link_signs_in_once(app, sink):
    create_user(app, "wang@example.cn", "customer", kind="customer", name="王女士")
    _ask_for_link(app.test_client(), "Wang@Example.cn")
    [message] = sink.wait_for(1)
    assert message.rcpt_tos == ["wang@example.cn"] and "[" in message.subject
    link = _link_in(message)
    browser = app.test_client()
    page = browser.get(link)
    assert page.status_code == 200 and "王女士" in page.get_data(as_text=True)
    assert browser.get("/portal/").status_code == 302  # opening the link alone does not sign in (mail scanners)
    response = post_form(browser, link, {})
    assert response.status_code == 302 and response.headers["Location"] == "/portal/"
    assert browser.get("/portal/").status_code == 200
    # Spent: neither another browser nor the same one gets in with it again.
    again = app.test_client()
    assert again.get(link).status_code == 404
    token = csrf_token(again, "/portal/link")
    assert again.post(link, data={"csrf_token": token}).status_code == 404
    assert again.get("/portal/").status_code == 302


def test_a_link_expires(app, sink, monkeypatch):
    create_user(app, "wang@example.cn", "customer", kind="customer")
    issued = int(time.time()) - 31 * 60
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: issued)
    _ask_for_link(app.test_client(), "wang@example.cn")
    monkeypatch.undo()
    link = _link_in(sink.wait_for(1)[0])
    assert app.test_client().get(link).status_code == 404
    app.config["PORTAL_LINK_MAX_AGE"] = 60 * 60  # the site allows an hour: the same link works
    assert app.test_client().get(link).status_code == 200


def test_using_a_link_spends_every_earlier_one(app, sink):
    create_user(app, "wang@example.cn", "customer", kind="customer")
    client = app.test_client()
    _ask_for_link(client, "wang@example.cn")
    _ask_for_link(client, "wang@example.cn")
    first, second = (_link_in(message) for message in sink.wait_for(2))
    login(app.test_client(), "wang@example.cn")  # a password sign-in spends no link
    assert app.test_client().get(first).status_code == 200
    assert post_form(app.test_client(), second, {}).status_code == 302
    assert app.test_client().get(first).status_code == 404


def test_tampered_links_and_other_salts_are_refused(app, sink):
    from core.portal import service

    user_id = create_user(app, "wang@example.cn", "customer", kind="customer")
    _ask_for_link(app.test_client(), "wang@example.cn")
    link = _link_in(sink.wait_for(1)[0])
    assert app.test_client().get(link[:-3] + "abc").status_code == 404
    with app.app_context():
        user = db.session.get(User, user_id)
        other_salt = service._serializer(service.TRACK_SALT).dumps({"user": user.id, "version": user.session_version})
        right_salt = service.sign_in_token(user)
    assert app.test_client().get(f"/portal/link/{other_salt}").status_code == 404
    assert app.test_client().get(f"/portal/link/{right_salt}").status_code == 200


def test_no_link_for_staff_unknown_or_deactivated_accounts_and_the_same_answer(app, sink):
    create_user(app, "boss@example.cn", "admin")
    create_user(app, "gone@example.cn", "customer", kind="customer")
    with app.app_context():
        db.session.scalar(select(User).where(User.email == "gone@example.cn")).is_active_account = False
        db.session.commit()
    answers = set()
    for email in ("boss@example.cn", "nobody@example.cn", "gone@example.cn"):
        client = app.test_client()
        _ask_for_link(client, email)
        answers.add(client.get("/portal/link").get_data(as_text=True).split('name="csrf_token"')[0])
    assert len(answers) == 1
    assert sink.messages == []


def test_a_link_of_an_account_deactivated_since_is_refused(app, sink):
    create_user(app, "wang@example.cn", "customer", kind="customer")
    _ask_for_link(app.test_client(), "wang@example.cn")
    link = _link_in(sink.wait_for(1)[0])
    with app.app_context():
        db.session.scalar(select(User)).is_active_account = False
        db.session.commit()
    assert app.test_client().get(link).status_code == 404


def test_link_requests_are_rate_limited_per_address_and_e_mail(make_app):
    app = make_app(PORTAL_ACCOUNT_RATE_LIMITS=("2/hour",))
    client = app.test_client()
    statuses = [post_form(client, "/portal/link", {"email": "wang@example.cn"}).status_code for _ in range(3)]
    assert statuses == [302, 302, 429]


def test_without_a_mail_server_the_page_says_links_are_unavailable(app, client):
    page = client.get("/portal/link").get_data(as_text=True)
    assert 'name="email"' not in page and "/login" in page
