"""Accounts through the API: read only, customer accounts shown only to staff who may see customers."""
from core.extensions import db
from core.models import Permission, Role


def test_me_lists_roles_and_permissions(site):
    me = site["agent"].get("/api/v1/me").get_json()
    assert [me[key] for key in ("email", "kind", "roles", "team_ids")] == \
        ["agent@kefu.cn", "staff", ["agent"], [site["teams"][0]]]
    assert "ticket.reply" in me["permissions"]
    customer = site["customer"].get("/api/v1/me").get_json()
    assert (customer["kind"], customer["customer_id"]) == ("customer", site["customers"][0])


def test_staff_list_and_read_accounts(site):
    agent = site["agent"]
    staff = agent.get("/api/v1/users", query_string={"kind": "staff"}).get_json()
    assert [user["email"] for user in staff["items"]] == ["agent@kefu.cn", "other@kefu.cn"]
    found = agent.get("/api/v1/users", query_string={"q": "wang"}).get_json()["items"]
    assert [user["id"] for user in found] == [site["users"]["customer"]]
    one = agent.get(f"/api/v1/users/{site['users']['other_agent']}").get_json()
    assert (one["name"], one["active"], one["roles"]) == ("other", True, ["agent"])
    assert agent.get("/api/v1/users/9999").status_code == 404
    paged = agent.get("/api/v1/users", query_string={"limit": 3}).get_json()
    assert len(paged["items"]) == 3 and len(agent.get(paged["next"]).get_json()["items"]) == 1


def test_customer_accounts_are_hidden_from_staff_without_customer_view(site):
    with site["app"].app_context():
        role = db.session.query(Role).filter_by(key="agent").one()
        role.permissions = [p for p in role.permissions if p.key != "customer.view"]
        db.session.commit()
        assert db.session.query(Permission).filter_by(key="customer.view").count() == 1
    agent = site["agent"]
    assert {user["kind"] for user in agent.get("/api/v1/users").get_json()["items"]} == {"staff"}
    assert agent.get(f"/api/v1/users/{site['users']['customer']}").status_code == 404
