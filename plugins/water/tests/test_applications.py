"""用水申请, 过户 and 销户: the counter checks the documents, the service-engineering department approves, and
only then does the account change."""
import re

from sqlalchemy import select

from core.extensions import db
from core.models import Approval, Customer, Ticket, TicketEvent
from plugins.water.models import Account, Meter
from tests.helpers import post_form


def file_application(client, type_key, title, **fields):
    data = {"type": type_key, "title": title, "channel": "walk_in",
            **{f"f_{type_key}_{key}": value for key, value in fields.items()}}
    response = post_form(client, "/desk/tickets/new", data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"/desk/tickets/(\d+)$", response.headers["Location"]).group(1))


def step(client, ticket_id, key, ticket_type, **fields):
    url = f"/desk/tickets/{ticket_id}"
    data = {"transition": key, **{f"f_{ticket_type}_{name}": value for name, value in fields.items()}}
    return post_form(client, f"{url}/transition", data, form_url=url)


def holder_of(app, number):
    with app.app_context():
        return db.session.scalar(select(Account).where(Account.number == number)).holder.name


def pending(app, ticket_id):
    with app.app_context():
        return db.session.scalar(select(Approval.id).where(Approval.ticket_id == ticket_id, Approval.state == "pending"))


def decide(client, app, ticket_id, decision, note=""):
    approval_id = pending(app, ticket_id)
    return post_form(client, f"/desk/approvals/{approval_id}", {"decision": decision, "note": note},
                     form_url=f"/desk/tickets/{ticket_id}")


def test_a_transfer_changes_the_holder_only_after_approval(world, water_app, signed_in):
    counter, engineering = signed_in("counter@water.cn"), signed_in("engineering@water.cn")
    ticket_id = file_application(counter, "water_transfer", "购房后办理过户", account="10010002",
                                 new_holder_name="陈晓明", new_holder_phone="13912345678",
                                 doc_old_holder_id="1", doc_new_holder_id="1")
    refused = step(counter, ticket_id, "submit", "water_transfer")
    assert refused.status_code == 409 and "房屋产权证明" in refused.get_data(as_text=True)  # a document is missing
    assert step(counter, ticket_id, "submit", "water_transfer", doc_property="1", doc_bill_settled="1").status_code == 302
    assert step(counter, ticket_id, "approve", "water_transfer").status_code == 302  # asks for the approval
    assert holder_of(water_app, "10010002") == "李秀英"
    assert pending(water_app, ticket_id) is not None
    assert post_form(counter, f"/desk/approvals/{pending(water_app, ticket_id)}", {"decision": "approve"},
                     form_url=f"/desk/tickets/{ticket_id}").status_code == 403  # the counter cannot approve itself
    decide(engineering, water_app, ticket_id, "refuse", "新户主电话需核实")
    assert holder_of(water_app, "10010002") == "李秀英"
    step(counter, ticket_id, "approve", "water_transfer")
    assert decide(engineering, water_app, ticket_id, "approve").status_code == 302
    assert holder_of(water_app, "10010002") == "陈晓明"
    with water_app.app_context():
        ticket = db.session.get(Ticket, ticket_id)
        assert ticket.status == "done" and ticket.status_category == "resolved"
        told = db.session.scalar(select(TicketEvent.body).where(TicketEvent.ticket_id == ticket_id,
                                                                 TicketEvent.kind == "reply"))
        assert "已过户，新户主为陈晓明" in told
        assert db.session.scalar(select(Customer.phone).where(Customer.name == "陈晓明")) == "13912345678"
    page = signed_in("wang@example.cn").get(f"/portal/tickets/{ticket_id}")
    assert page.status_code == 404  # not her ticket


def test_a_new_connection_opens_an_account_with_its_meter(world, water_app, signed_in):
    counter, engineering = signed_in("counter@water.cn"), signed_in("engineering@water.cn")
    ticket_id = file_application(counter, "water_connection", "新房用水申请", address="东湖路18号1栋101室",
                                 area=str(world.lake), usage="residential", doc_applicant_id="1", doc_property="1",
                                 doc_application="1", meter="2026990001")
    with water_app.app_context():
        db.session.get(Ticket, ticket_id).customer_id = world.holders[0]
        db.session.commit()
    step(counter, ticket_id, "submit", "water_connection")
    step(counter, ticket_id, "approve", "water_connection")
    decide(engineering, water_app, ticket_id, "approve")
    with water_app.app_context():
        ticket = db.session.get(Ticket, ticket_id)
        account = db.session.scalar(select(Account).where(Account.number == ticket.fields["account"]))
        assert (account.holder.name, account.area.name, account.status) == ("王建华", "东湖社区", "active")
        assert [meter.number for meter in account.meters] == ["2026990001"]
        assert account.number == "10020003"  # after the highest number in use


def test_an_application_without_a_customer_cannot_be_approved(world, water_app, signed_in):
    counter, engineering = signed_in("counter@water.cn"), signed_in("engineering@water.cn")
    ticket_id = file_application(counter, "water_connection", "用水申请", address="东湖路18号", area=str(world.lake),
                                 usage="residential", doc_applicant_id="1", doc_property="1", doc_application="1")
    step(counter, ticket_id, "submit", "water_connection")
    step(counter, ticket_id, "approve", "water_connection")
    page = engineering.get(decide(engineering, water_app, ticket_id, "approve").headers["Location"])
    assert "申请未关联客户，无法开户" in page.get_data(as_text=True)
    with water_app.app_context():
        assert db.session.get(Ticket, ticket_id).status == "review"
        assert db.session.scalar(select(Account).where(Account.address == "东湖路18号")) is None


def test_closing_an_account_takes_its_meters_out_with_the_final_reading(world, water_app, signed_in):
    counter, engineering = signed_in("counter@water.cn"), signed_in("engineering@water.cn")
    ticket_id = file_application(counter, "water_closure", "房屋出售销户", account="10010001", final_reading="1302.5",
                                 reason="房屋出售", doc_holder_id="1", doc_bill_settled="1")
    step(counter, ticket_id, "submit", "water_closure")
    step(counter, ticket_id, "approve", "water_closure")
    decide(engineering, water_app, ticket_id, "approve")
    with water_app.app_context():
        account = db.session.scalar(select(Account).where(Account.number == "10010001"))
        meter = db.session.scalar(select(Meter).where(Meter.number == "2019010001"))
        assert account.status == "closed" and account.closed_at is not None
        assert (meter.status, str(meter.last_reading)) == ("removed", "1302.50")


def test_a_checklist_item_is_ticked_or_left_out(world, water_app, signed_in):
    response = post_form(signed_in("counter@water.cn"), "/desk/tickets/new", {
        "type": "water_closure", "title": "销户", "channel": "walk_in", "f_water_closure_account": "10010001",
        "f_water_closure_doc_holder_id": "no"})
    assert response.status_code == 400 and "资料收到后再勾选" in response.get_data(as_text=True)
