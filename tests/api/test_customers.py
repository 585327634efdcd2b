"""Customer records through the API and the service the desk shares: CRUD, validation, permissions."""
import pytest

from core.customers.service import CustomerInputError, create_customer, update_customer
from core.extensions import db
from core.models import AuditLog, Customer
from tests.api.conftest import make_ticket

CUSTOMERS = "/api/v1/customers"


def test_create_read_update_delete_a_customer(site):
    agent = site["agent"]
    created = agent.post(CUSTOMERS, json={"name": " 华润物业 ", "kind": "organisation", "phone": "0755-8888 6666",
                                          "email": "Service@HuaRun.example.cn", "grade": "strategic"})
    assert created.status_code == 201
    body = created.get_json()
    assert created.headers["Location"] == f"{CUSTOMERS}/{body['id']}"
    assert (body["name"], body["phone"], body["email"], body["grade"]) == \
        ("华润物业", "0755-88886666", "Service@huarun.example.cn", "strategic")
    path = f"{CUSTOMERS}/{body['id']}"
    assert agent.get(path).get_json() == body

    member = agent.post(CUSTOMERS, json={"name": "张伟", "phone": "+8613912345678", "organisation_id": body["id"]})
    assert (member.get_json()["kind"], member.get_json()["grade"]) == ("person", "ordinary")
    member_path = f"{CUSTOMERS}/{member.get_json()['id']}"
    changed = agent.patch(member_path, json={"grade": "key", "phone": None, "notes": "老客户"})
    assert changed.status_code == 200
    assert [changed.get_json()[key] for key in ("grade", "phone", "notes")] == ["key", None, "老客户"]

    in_use = agent.delete(path)  # the member still points at the organisation
    assert (in_use.status_code, in_use.get_json()["error"]["code"]) == (409, "conflict")
    assert agent.delete(member_path).status_code == 204
    assert agent.delete(path).status_code == 204
    assert agent.get(path).status_code == 404
    with site["app"].app_context():
        actions = [row.action for row in db.session.query(AuditLog).filter(AuditLog.action.like("customer.%"))]
    assert actions == ["customer.create", "customer.create", "customer.update", "customer.delete", "customer.delete"]


def test_a_customer_with_tickets_is_kept(site):
    make_ticket(site["app"], customer_id=site["customers"][1])
    response = site["agent"].delete(f"{CUSTOMERS}/{site['customers'][1]}")
    assert response.status_code == 409
    assert site["agent"].get(f"{CUSTOMERS}/{site['customers'][1]}").status_code == 200


WRONG_INPUT = [
    ({"name": ""}, "name"),
    ({"name": "长" * 201}, "name"),
    ({"name": "x", "kind": "company"}, "kind"),
    ({"name": "x", "grade": "vip"}, "grade"),
    ({"name": "x", "phone": "12345678901"}, "phone"),
    ({"name": "x", "phone": "138001380"}, "phone"),
    ({"name": "x", "phone": "call me"}, "phone"),
    ({"name": "x", "email": "not-an-address"}, "email"),
    ({"name": "x", "organisation_id": 9999}, "organisation_id"),
    ({"name": "x", "address": "路" * 301}, "address"),
    ({"phone": "13800138000"}, "name"),
    ({"name": 42}, "name"),
    ({"name": "x", "vip": True}, "vip"),
]


def test_wrong_customer_input_is_422_naming_the_field(site):
    for payload, field in WRONG_INPUT:
        response = site["agent"].post(CUSTOMERS, json=payload)
        assert response.status_code == 422, payload
        assert response.get_json()["error"]["field"] == field, payload
    assert site["agent"].patch(f"{CUSTOMERS}/{site['customers'][0]}", json={"phone": "110"}).status_code == 422
    with site["app"].app_context():
        assert db.session.query(Customer).count() == 2


def test_accepted_phone_numbers(app):
    with app.app_context():
        for phone in ("13800138000", "+8619912345678", "010-12345678", "0755-1234567", "02112345678",
                      "010-12345678-806", "400-810-8888", "800 820 8820"):
            assert create_customer({"name": "客户", "phone": phone}).phone == phone.replace(" ", "")


def test_updating_a_person_into_its_own_organisation_is_refused(app):
    with app.app_context():
        organisation = create_customer({"name": "某公司", "kind": "organisation"})
        with pytest.raises(CustomerInputError) as refused:
            update_customer(organisation, {"organisation_id": organisation.id})
        assert set(refused.value.errors) == {"organisation_id"}
        assert update_customer(organisation, {"name": "某公司", "grade": "ordinary"}) == []


def test_reading_needs_customer_view_and_changing_customer_edit(site, api_for):
    inspector = api_for("qa@kefu.cn", "quality")  # customer.view without customer.edit
    assert inspector.get(CUSTOMERS).status_code == 200
    assert inspector.post(CUSTOMERS, json={"name": "x"}).status_code == 403
    assert inspector.patch(f"{CUSTOMERS}/{site['customers'][0]}", json={"name": "x"}).status_code == 403
    assert inspector.delete(f"{CUSTOMERS}/{site['customers'][0]}").status_code == 403
    assert site["customer"].get(f"{CUSTOMERS}/{site['customers'][0]}").status_code == 403


def test_customer_list_searches_filters_and_pages(site):
    agent = site["agent"]
    for n in range(5):
        agent.post(CUSTOMERS, json={"name": f"住户{n}", "grade": "key" if n % 2 else "ordinary"})
    first = agent.get(CUSTOMERS, query_string={"q": "住户", "limit": 2}).get_json()
    names = [item["name"] for item in first["items"]]
    second = agent.get(first["next"]).get_json()
    third = agent.get(second["next"]).get_json()
    names += [item["name"] for item in second["items"] + third["items"]]
    assert names == [f"住户{n}" for n in range(5)] and third["next"] is None
    assert [item["name"] for item in agent.get(CUSTOMERS, query_string={"grade": "key"}).get_json()["items"]] == \
        ["住户1", "住户3"]
    assert [item["name"] for item in agent.get(CUSTOMERS, query_string={"q": "138001"}).get_json()["items"]] == ["王芳"]
    with site["app"].app_context():
        assert db.session.query(Customer).count() == 7
