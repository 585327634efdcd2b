"""Shipments come from the transport system (API push, CSV import) and are checked as they come: bad input is
refused with a message and writes nothing. Tickets name them by waybill, which must exist; a customer sees
a shipment's history only when the shipment is theirs."""
import io

from sqlalchemy import func, select

from core.extensions import db
from core.models import Customer, User
from core.tickets.service import create_ticket
from plugins.logistics.models import Shipment, ShipmentEvent
from plugins.logistics.tests.conftest import SHIPMENT, push
from tests.helpers import create_user, csrf_token, post_form
from tests.portal.conftest import new_request


def count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_the_transport_system_pushes_a_shipment_and_its_new_status_lines(world, logistics_app):
    assert push(logistics_app, world.token, SHIPMENT).status_code == 201
    again = push(logistics_app, world.token, {"waybill": "sj20261201001", "events": [
        *SHIPMENT["events"], {"at": "2026-12-03T10:00:00+08:00", "status": "returned", "location": "武汉"}]})
    assert again.status_code == 200
    body = again.get_json()
    assert body["status"] == "returned" and len(body["events"]) == 4 and body["consignee_name"] == "华联超市东湖店"
    read = logistics_app.test_client().get("/api/v1/logistics/shipments/SJ20261201001",
                                           headers={"Authorization": f"Bearer {world.token}"})
    assert read.status_code == 200 and read.get_json()["origin"] == "上海"


def test_bad_pushes_are_refused_with_json_errors_and_write_nothing(world, logistics_app):
    wrong = push(logistics_app, world.token, {**SHIPMENT, "weight_kg": "很重", "events": [{"at": "昨天",
                                                                                         "status": "in_transit"}]})
    assert wrong.status_code == 422
    error = wrong.get_json()["error"]
    assert error["code"] == "invalid" and {d["field"] for d in error["details"]} == {"weight_kg", "events.0.at"}
    missing = push(logistics_app, world.token, {"waybill": "SJ1"})
    assert missing.status_code == 422 and missing.get_json()["error"]["field"] == "shipper_name"
    assert push(logistics_app, world.token, {**SHIPMENT, "customer_id": 999}).status_code == 422
    assert count(logistics_app, Shipment) == 0 and count(logistics_app, ShipmentEvent) == 0
    assert logistics_app.test_client().post("/api/v1/logistics/shipments", json=SHIPMENT).status_code == 401
    with logistics_app.app_context():
        from core.auth.service import issue_token

        _row, agent_token = issue_token(db.session.get(User, world.agent), "agent")
        db.session.commit()
    assert push(logistics_app, agent_token, SHIPMENT).status_code == 403  # may read shipments, not push them


def test_shipments_are_imported_from_a_csv_file(world, logistics_app, signed_in):
    admin_id = create_user(logistics_app, "root@shengjie.cn", "admin", name="管理员")
    assert admin_id
    admin = signed_in("root@shengjie.cn")
    url = "/admin/logistics_shipment_import/"
    text = ("运单号,客户,发货人,发货人电话,收货人,收货人电话,始发地,目的地,重量（公斤）,声明价值（元）,发货日期,承诺到达日期,状态,状态时间,地点\n"
            "SJ001,华联超市,华联超市,13900000001,李娜,13700000001,上海,南京,12,500,2026-12-01,2026-12-02,已揽收,2026-12-01 09:00,上海\n"
            "SJ001,,,,,,,,,,,,已签收,2026-12-02 11:00,南京\n")
    token = csrf_token(admin, url)
    done = admin.post(url, data={"csrf_token": token, "file": (io.BytesIO(text.encode("utf-8-sig")), "运单.csv")},
                      content_type="multipart/form-data")
    assert done.status_code == 200
    with logistics_app.app_context():
        shipment = db.session.scalar(select(Shipment).where(Shipment.waybill == "SJ001"))
        assert shipment.customer.name == "华联超市" and shipment.status == "delivered" and len(shipment.events) == 2
        assert shipment.on_time is True
    bad = "运单号,客户,发货人,收货人,始发地,目的地\nSJ002,不存在的公司,甲,乙,上海,南京\n"
    token = csrf_token(admin, url)
    page = admin.post(url, data={"csrf_token": token, "file": (io.BytesIO(bad.encode()), "运单.csv")},
                      content_type="multipart/form-data").get_data(as_text=True)
    assert "没有名为 不存在的公司 的客户" in page
    assert count(logistics_app, Shipment) == 1


def test_a_ticket_names_a_waybill_that_exists(world, logistics_app, signed_in):
    push(logistics_app, world.token, SHIPMENT)
    agent = signed_in("agent@shengjie.cn")
    response = post_form(agent, "/desk/tickets/new", {"type": "logistics_inquiry", "title": "查件", "channel": "phone",
                                                      "f_logistics_inquiry_waybill": "SJ404"})
    assert response.status_code == 400 and "没有运单号为 SJ404 的运单" in response.get_data(as_text=True)


def test_a_customer_sees_only_her_own_shipments_history(world, logistics_app, signed_in):
    push(logistics_app, world.token, SHIPMENT)
    other = signed_in("zhao@example.cn")
    ticket_id = new_request(other, "查询别人的件", type_key="logistics_inquiry",
                            f_logistics_inquiry_waybill="SJ20261201001")
    page = other.get(f"/portal/tickets/{ticket_id}").get_data(as_text=True)
    assert "合肥中转场" not in page and "华联超市东湖店" not in page
    # The consignee's phone is hers: now it is her shipment too.
    with logistics_app.app_context():
        db.session.get(Customer, world.other).phone = "139 0000 0099"
        db.session.commit()
    assert "合肥中转场" in other.get(f"/portal/tickets/{ticket_id}").get_data(as_text=True)


def test_search_fields_read_the_waybill_the_consignee_and_the_phones(world, logistics_app):
    push(logistics_app, world.token, SHIPMENT)
    with logistics_app.app_context():
        ticket = create_ticket(type_key="logistics_inquiry", title="查件", fields={"waybill": "SJ20261201001"})
        fields = logistics_app.extensions["kefu"].registry.search_fields
        assert fields["waybill"].extract(ticket) == "SJ20261201001"
        assert fields["consignee"].extract(ticket) == "华联超市东湖店"
        assert fields["phone"].extract(ticket) == ["13900000001", "13900000099"]
        db.session.rollback()


def test_the_api_document_lists_the_shipment_routes(world, logistics_app):
    from openapi_spec_validator import validate

    document = logistics_app.test_client().get("/api/v1/openapi.json",
                                               headers={"Authorization": f"Bearer {world.token}"}).get_json()
    validate(document)
    assert document["paths"]["/api/v1/logistics/shipments"]["post"]["x-permissions"] == ["logistics.shipment_import"]
    assert "get" in document["paths"]["/api/v1/logistics/shipments/{waybill}"]


def test_the_desk_search_finds_tickets_by_waybill_consignee_and_phone(world, logistics_app, signed_in):
    push(logistics_app, world.token, SHIPMENT)
    with logistics_app.app_context():
        create_ticket(type_key="logistics_inquiry", title="东湖店查件", fields={"waybill": "SJ20261201001"})
        create_ticket(type_key="logistics_complaint", title="别的查询", fields={"cause": "attitude"})
        db.session.commit()
    agent = signed_in("agent@shengjie.cn")
    for query in ("waybill:SJ20261201001", "consignee:华联超市东湖店", "phone:13900000099"):
        page = agent.get("/desk/search", query_string={"q": query}).get_data(as_text=True)
        assert "东湖店查件" in page and "别的查询" not in page, query


def test_merging_customers_moves_their_shipments_and_key_account(world, logistics_app):
    from core.customers.merge import merge_customers
    from plugins.logistics.models import KeyAccount

    push(logistics_app, world.token, {**SHIPMENT, "customer_id": world.hualian})
    with logistics_app.app_context():
        kept, duplicate = db.session.get(Customer, world.other), db.session.get(Customer, world.hualian)
        merge_customers(kept, duplicate, actor=db.session.get(User, world.manager))
        db.session.commit()
        assert db.session.scalar(select(Shipment.customer_id)) == world.other
        assert db.session.scalar(select(KeyAccount.customer_id)) == world.other
