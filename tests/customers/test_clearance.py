"""Confidentiality (保密): a protected record opens only for roles with its clearance, each opening states a
reason and is logged; nothing about it leaks through the list, the search, the ticket page, the API or the
export; customer accounts never reach a record or the log; guessed ids are 404."""
import pytest
from sqlalchemy import select

from core.auth.service import issue_token
from core.extensions import db
from core.models import CustomerAccess, Permission, Role, User
from tests.desk.conftest import make_ticket
from tests.helpers import post_form

SECRET_DETAILS = ("075588886666", "1200 万")


def _logs(app):
    with app.app_context():
        return [(row.user.email, row.customer_id, row.level, row.reason, row.channel)
                for row in db.session.scalars(select(CustomerAccess).order_by(CustomerAccess.id))]


def test_an_agent_is_refused_a_secret_record_with_no_detail_shown(app, archive, as_user):
    agent = as_user("agent@example.cn")
    response = agent.get(f"/desk/customers/{archive.secret}")
    page = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "秘密" in page and "华润置地" not in page
    assert not any(detail in page for detail in SECRET_DETAILS)
    opened = post_form(agent, f"/desk/customers/{archive.secret}/open", {"reason": "好奇"}, form_url="/desk/customers/")
    assert opened.status_code == 403 and _logs(app) == []
    for action in ("edit", "contacts", "flag", "verify"):
        response = post_form(agent, f"/desk/customers/{archive.secret}/{action}", {"reason": "x", "value": "x"},
                             form_url="/desk/customers/")
        assert response.status_code == 403, action


def test_a_manager_states_a_reason_and_the_opening_is_logged(app, archive, as_user):
    boss = as_user("boss@example.cn")
    ask = boss.get(f"/desk/customers/{archive.secret}")
    page = ask.get_data(as_text=True)
    assert ask.status_code == 200 and 'name="reason"' in page
    assert not any(detail in page for detail in SECRET_DETAILS)  # nothing before the reason
    empty = post_form(boss, f"/desk/customers/{archive.secret}/open", {"reason": "  "},
                      form_url=f"/desk/customers/{archive.secret}")
    assert empty.status_code == 400 and _logs(app) == []
    opened = post_form(boss, f"/desk/customers/{archive.secret}/open", {"reason": "处理投诉 #12"},
                       form_url=f"/desk/customers/{archive.secret}")
    assert opened.status_code == 302
    page = boss.get(f"/desk/customers/{archive.secret}").get_data(as_text=True)
    assert all(detail in page for detail in SECRET_DETAILS)
    assert _logs(app) == [("boss@example.cn", archive.secret, "secret", "处理投诉 #12", "desk")]
    # Another record, another reason: the opening is per record.
    assert 'name="reason"' in boss.get(f"/desk/customers/{archive.confidential}").get_data(as_text=True)


def test_top_secret_opens_for_the_admin_only_until_a_role_is_given_the_clearance(app, archive, as_user):
    assert as_user("boss@example.cn").get(f"/desk/customers/{archive.top}").status_code == 403
    assert 'name="reason"' in as_user("root@example.cn").get(f"/desk/customers/{archive.top}").get_data(as_text=True)
    with app.app_context():  # what an admin does on the Roles page of the admin panel
        role = db.session.scalar(select(Role).where(Role.key == "supervisor"))
        role.permissions.append(db.session.scalar(select(Permission).where(
            Permission.key == "customer.clearance.top_secret")))
        db.session.commit()
    lead = as_user("lead@example.cn")
    assert 'name="reason"' in lead.get(f"/desk/customers/{archive.top}").get_data(as_text=True)


def test_normal_records_open_without_a_reason_and_are_not_logged(app, archive, as_user):
    page = as_user("agent@example.cn").get(f"/desk/customers/{archive.normal}").get_data(as_text=True)
    assert "13800138000" in page and "老客户" in page
    assert _logs(app) == []


def test_lists_and_searches_show_a_protected_record_by_name_only(app, archive, as_user):
    agent = as_user("agent@example.cn")
    listing = agent.get("/desk/customers/").get_data(as_text=True)
    assert "华润置地" in listing and "075588886666" not in listing and "13900139000" not in listing
    assert "13800138000" in listing
    assert "华润置地" not in agent.get("/desk/customers/?grade=strategic").get_data(as_text=True)
    assert agent.get("/desk/customers/search?q=075588886666").get_json()["results"] == []
    [found] = agent.get("/desk/customers/search?q=华润").get_json()["results"]
    assert found == {"id": archive.secret, "name": "华润置地", "level": "secret"}
    # Cleared staff find it by its phone too, still without the details.
    [by_phone] = as_user("boss@example.cn").get("/desk/customers/search?q=0755888").get_json()["results"]
    assert by_phone == {"id": archive.secret, "name": "华润置地", "level": "secret"}


def test_the_ticket_page_shows_the_name_but_not_the_protected_details(app, archive, as_user):
    ticket_id = make_ticket(app, title="合同续签咨询", customer=archive.secret)
    page = as_user("boss@example.cn").get(f"/desk/tickets/{ticket_id}").get_data(as_text=True)
    assert "华润置地" in page and "075588886666" not in page and "秘密" in page


def _api(app, email):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        _row, token = issue_token(user, "tests")
    client = app.test_client()
    return lambda method, path, **kw: client.open(path, method=method, headers={"Authorization": f"Bearer {token}"},
                                                  **kw)


def test_the_api_honours_the_same_rule_and_logs_each_reading(app, archive):
    agent, boss = _api(app, "agent@example.cn"), _api(app, "boss@example.cn")
    refused = agent("GET", f"/api/v1/customers/{archive.secret}?reason=看看")
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "forbidden"
    assert "075588886666" not in refused.get_data(as_text=True)
    no_reason = boss("GET", f"/api/v1/customers/{archive.secret}")
    assert (no_reason.status_code, no_reason.get_json()["error"]["field"]) == (403, "reason")
    read = boss("GET", f"/api/v1/customers/{archive.secret}?reason=对账")
    assert read.status_code == 200 and read.get_json()["phone"] == "075588886666"
    assert _logs(app) == [("boss@example.cn", archive.secret, "secret", "对账", "api")]
    items = {item["id"]: item for item in boss("GET", "/api/v1/customers").get_json()["items"]}
    assert items[archive.secret] == {"id": archive.secret, "kind": "organisation", "name": "华润置地",
                                     "confidentiality": "secret", "restricted": True}
    assert items[archive.normal]["phone"] == "13800138000" and items[archive.normal]["restricted"] is False
    changed = boss("PATCH", f"/api/v1/customers/{archive.secret}?reason=更新电话", json={"phone": "075588887777"})
    assert changed.status_code == 200 and len(_logs(app)) == 2
    assert agent("GET", "/api/v1/customers/99999").status_code == 404


def test_customer_accounts_never_reach_a_record_or_the_log(app, archive, as_user):
    portal = as_user("c@example.cn")
    for path in ("/desk/customers/", f"/desk/customers/{archive.normal}", f"/desk/customers/{archive.secret}",
                 "/desk/customers/search?q=许", "/desk/customers/export.csv", "/desk/care/",
                 "/admin/admin_customer_access/", "/admin/admin_customers/"):
        assert portal.get(path).status_code == 403, path
    api = _api(app, "c@example.cn")
    for path in ("/api/v1/customers", f"/api/v1/customers/{archive.normal}", "/api/v1/customer-grades"):
        assert api("GET", path).status_code == 403, path


@pytest.mark.parametrize("path", ["/desk/customers/99999", "/desk/customers/99999/edit"])
def test_guessed_ids_are_404(archive, as_user, path):
    assert as_user("boss@example.cn").get(path).status_code == 404


def test_the_export_respects_clearance_and_logs_protected_rows(app, archive, as_user):
    assert as_user("agent@example.cn").get("/desk/customers/export.csv").status_code == 403
    plain = as_user("lead@example.cn").get("/desk/customers/export.csv").data.decode("utf-8-sig")
    assert "许天佑" in plain and "华润置地" not in plain
    boss = as_user("boss@example.cn").get("/desk/customers/export.csv?reason=季度复核").data.decode("utf-8-sig")
    assert "华润置地" in boss and "国网客户甲" in boss and "绝密单位" not in boss
    assert sorted(entry[1] for entry in _logs(app)) == sorted([archive.secret, archive.confidential])
    assert {entry[4] for entry in _logs(app)} == {"export"}


def test_admins_read_the_access_log_in_the_admin_panel(app, archive, as_user):
    boss = as_user("boss@example.cn")
    post_form(boss, f"/desk/customers/{archive.secret}/open", {"reason": "回访重点客户"},
              form_url=f"/desk/customers/{archive.secret}")
    page = as_user("root@example.cn").get("/admin/admin_customer_access/").get_data(as_text=True)
    assert "回访重点客户" in page and "李经理" in page and "华润置地" in page
    assert as_user("boss@example.cn").get("/admin/admin_customer_access/").status_code == 403
