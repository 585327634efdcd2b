from sqlalchemy import select

from core.extensions import db
from core.models import AuditLog, PluginSetting, Team, User
from tests.helpers import PASSWORD, create_user, login, post_form

ADMIN_PAGES = ["/admin/", "/admin/admin_users/", "/admin/admin_roles/", "/admin/admin_permissions/",
               "/admin/admin_teams/", "/admin/admin_customers/", "/admin/admin_ticket_types/",
               "/admin/admin_audit_log/", "/admin/plugins/", "/admin/admin_teams/new/", "/admin/admin_users/new/"]


def test_admin_opens_every_admin_page(app, client):
    create_user(app, "root@example.cn", "admin")
    login(client, "root@example.cn")
    for page in ADMIN_PAGES:
        assert client.get(page).status_code == 200, page


def test_the_admin_panel_refuses_everyone_else(app, client):
    for role in ("manager", "supervisor", "agent", "quality"):
        create_user(app, f"{role}@example.cn", role)
    for role in ("manager", "supervisor", "agent", "quality"):
        staff = app.test_client()
        login(staff, f"{role}@example.cn")
        for page in ADMIN_PAGES:
            assert staff.get(page).status_code == 403, (role, page)
    anonymous = client.get("/admin/admin_users/")
    assert anonymous.status_code == 302 and anonymous.headers["Location"].startswith("/login")


def test_admin_creates_a_team_with_a_supervisor_and_the_change_is_audited(app, client):
    create_user(app, "root@example.cn", "admin")
    supervisor_id = create_user(app, "lead@example.cn", "supervisor")
    login(client, "root@example.cn")
    response = post_form(client, "/admin/admin_teams/new/",
                         {"name": "投诉处理组", "description": "", "supervisor": str(supervisor_id), "active": "y"})
    assert response.status_code == 302
    with app.app_context():
        team = db.session.scalar(select(Team).where(Team.name == "投诉处理组"))
        assert team is not None and team.supervisor_id == supervisor_id
        entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "admin.create"))
        assert entry.target_type == "Team" and entry.target_id == str(team.id)
        assert entry.actor.email == "root@example.cn"


def test_admin_form_without_csrf_token_changes_nothing(app, client):
    create_user(app, "root@example.cn", "admin")
    login(client, "root@example.cn")
    response = client.post("/admin/admin_teams/new/", data={"name": "无令牌组"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(Team).where(Team.name == "无令牌组")) is None


def _edit_agent(app, client, **changes):
    create_user(app, "root@example.cn", "admin")
    agent_id = create_user(app, "agent@example.cn", "agent")
    agent = app.test_client()
    login(agent, "agent@example.cn")
    login(client, "root@example.cn")
    with app.app_context():
        role_ids = [str(r.id) for r in db.session.get(User, agent_id).roles]
    form = {"email": "agent@example.cn", "name": "agent", "kind": "staff", "locale": "zh", "roles": role_ids,
            "is_active_account": "y", **changes}
    form = {key: value for key, value in form.items() if value is not None}
    assert post_form(client, f"/admin/admin_users/edit/?id={agent_id}", form).status_code == 302
    return agent


def test_admin_sets_a_new_password_which_ends_the_old_sessions(app, client):
    agent = _edit_agent(app, client, new_password="another password 1")
    assert agent.get("/desk/").status_code == 302
    login(app.test_client(), "agent@example.cn", "another password 1")


def test_admin_deactivates_an_account_which_signs_it_out(app, client):
    agent = _edit_agent(app, client, is_active_account=None)
    assert agent.get("/desk/").status_code == 302
    assert post_form(app.test_client(), "/login", {"email": "agent@example.cn", "password": PASSWORD}).status_code == 401


def test_audit_log_is_read_only(app, client):
    create_user(app, "root@example.cn", "admin")
    login(client, "root@example.cn")
    with app.app_context():
        entry_id = db.session.scalar(select(AuditLog.id))
    assert client.get("/admin/admin_audit_log/new/").status_code in (302, 403, 404)
    assert client.get(f"/admin/admin_audit_log/edit/?id={entry_id}").status_code in (302, 403, 404)
    post_form(client, "/admin/admin_audit_log/delete/", {"id": str(entry_id)}, form_url="/admin/admin_audit_log/")
    with app.app_context():
        assert db.session.get(AuditLog, entry_id) is not None


def test_unknown_plugin_cannot_be_switched_on_from_the_admin_panel(app, client):
    create_user(app, "root@example.cn", "admin")
    login(client, "root@example.cn")
    response = post_form(client, "/admin/plugins/nosuch/enable", {}, form_url="/admin/plugins/")
    assert response.status_code == 404
    with app.app_context():
        assert db.session.get(PluginSetting, "nosuch") is None
