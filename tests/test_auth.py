import pytest
from sqlalchemy import select

from core.extensions import db
from core.models import AuditLog, User
from tests.helpers import PASSWORD, create_user, csrf_token, login, post_form


def _audit_actions(app):
    with app.app_context():
        return [row.action for row in db.session.scalars(select(AuditLog).order_by(AuditLog.id))]


def test_staff_sign_in_lands_on_the_desk_and_is_audited(app, client):
    create_user(app, "agent@example.cn", "agent")
    response = login(client, "agent@example.cn")
    assert response.headers["Location"] == "/desk/"
    assert client.get("/desk/").status_code == 200
    assert "login" in _audit_actions(app)


def test_customer_sign_in_lands_on_the_portal_and_cannot_open_the_desk(app, client):
    create_user(app, "c@example.cn", "customer", kind="customer")
    assert login(client, "c@example.cn").headers["Location"] == "/portal/"
    assert client.get("/desk/").status_code == 403
    assert client.get("/admin/").status_code == 403


def test_wrong_password_and_unknown_account_get_the_same_answer(app, client):
    create_user(app, "agent@example.cn", "agent")
    wrong = post_form(client, "/login", {"email": "agent@example.cn", "password": "nope nope"})
    unknown = post_form(client, "/login", {"email": "nobody@example.cn", "password": "nope nope"})
    assert wrong.status_code == unknown.status_code == 401
    def strip(response):
        return response.get_data(as_text=True).replace("agent@example.cn", "").replace("nobody@example.cn", "")

    assert strip(wrong).split("csrf_token")[0] == strip(unknown).split("csrf_token")[0]
    assert _audit_actions(app).count("login_failed") == 2


def test_sign_in_is_case_insensitive_on_the_email(app, client):
    create_user(app, "agent@example.cn", "agent")
    login(client, "  AGENT@Example.CN ")


def test_inactive_account_cannot_sign_in(app, client):
    user_id = create_user(app, "gone@example.cn", "agent")
    with app.app_context():
        db.session.get(User, user_id).is_active_account = False
        db.session.commit()
    response = post_form(client, "/login", {"email": "gone@example.cn", "password": PASSWORD})
    assert response.status_code == 401


def test_login_attempts_are_rate_limited(make_app):
    app = make_app(LOGIN_RATE_LIMITS=("3/minute",))
    client = app.test_client()
    create_user(app, "agent@example.cn", "agent")
    for _ in range(3):
        assert post_form(client, "/login", {"email": "agent@example.cn", "password": "bad"}).status_code == 401
    limited = post_form(client, "/login", {"email": "agent@example.cn", "password": PASSWORD})
    assert limited.status_code == 429  # even the right password waits
    assert "login_limited" in _audit_actions(app)


def test_login_form_needs_its_csrf_token(client, app):
    create_user(app, "agent@example.cn", "agent")
    response = client.post("/login", data={"email": "agent@example.cn", "password": PASSWORD})
    assert response.status_code == 400
    assert "session" not in response.headers.get("Set-Cookie", "") or "_user_id" not in response.headers.get("Set-Cookie", "")
    assert client.get("/desk/").status_code == 302


def test_session_cookie_is_httponly_and_samesite_lax_and_secure_over_https(app):
    create_user(app, "agent@example.cn", "agent")
    plain = app.test_client()
    cookie = login(plain, "agent@example.cn").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie

    secure = app.test_client()
    token = csrf_token(secure, "https://localhost/login")
    response = secure.post("https://localhost/login", headers={"Referer": "https://localhost/login"},
                           data={"csrf_token": token, "email": "agent@example.cn", "password": PASSWORD})
    assert response.status_code == 302
    assert "Secure" in response.headers["Set-Cookie"]


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"])
def test_next_parameter_never_leaves_the_site(app, client, target):
    create_user(app, "agent@example.cn", "agent")
    response = post_form(client, f"/login?next={target}", {"email": "agent@example.cn", "password": PASSWORD},
                         form_url="/login")
    assert response.headers["Location"] == "/desk/"


def test_next_parameter_returns_to_the_page_asked_for(app, client):
    create_user(app, "agent@example.cn", "agent")
    assert client.get("/auth-needed-page-does-not-matter").status_code == 404
    response = client.get("/profile")
    assert response.status_code == 302 and "/login?next=/profile" in response.headers["Location"]
    signed_in = post_form(client, "/login?next=/profile", {"email": "agent@example.cn", "password": PASSWORD},
                          form_url="/login")
    assert signed_in.headers["Location"] == "/profile"


def test_sign_out_is_a_post_and_ends_the_session(app, client):
    create_user(app, "agent@example.cn", "agent")
    login(client, "agent@example.cn")
    assert client.get("/logout").status_code == 405
    assert post_form(client, "/logout", {}, form_url="/desk/").status_code == 302
    assert client.get("/desk/").status_code == 302


def test_changing_the_password_ends_other_sessions(app, client):
    user_id = create_user(app, "agent@example.cn", "agent")
    login(client, "agent@example.cn")
    with app.app_context():
        db.session.get(User, user_id).set_password("a brand new password")
        db.session.commit()
    assert client.get("/desk/").status_code == 302


def test_passwords_are_stored_as_scrypt_hashes(app):
    user_id = create_user(app, "agent@example.cn", "agent")
    with app.app_context():
        stored = db.session.get(User, user_id).password_hash
    assert stored.startswith("scrypt:") and PASSWORD not in stored


def test_api_token_from_the_profile_page_works_and_can_be_revoked(app, client):
    create_user(app, "agent@example.cn", "agent")
    login(client, "agent@example.cn")
    page = post_form(client, "/profile", {"name": "integration"})
    html = page.get_data(as_text=True)
    token = html.split('id="new-token"><code>')[1].split("</code>")[0]
    assert token.startswith("kefu_")

    api = app.test_client()
    me = api.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200 and me.get_json()["email"] == "agent@example.cn"
    assert "ticket.reply" in me.get_json()["permissions"]

    with app.app_context():
        from core.models import ApiToken

        token_id = db.session.scalar(select(ApiToken.id))
    post_form(client, f"/profile/tokens/{token_id}/revoke", {}, form_url="/profile")
    refused = api.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 401
    assert refused.get_json()["error"]["code"] == "unauthorized"


def test_api_without_or_with_a_wrong_token_is_a_json_401(client):
    for headers in ({}, {"Authorization": "Bearer kefu_not-a-token"}, {"Authorization": "Basic abc"}):
        response = client.get("/api/v1/me", headers=headers)
        assert response.status_code == 401
        assert response.get_json()["error"]["code"] == "unauthorized"
