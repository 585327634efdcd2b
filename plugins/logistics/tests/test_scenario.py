"""The issue's scenario through HTTP: a key account's shipment arrives damaged → the customer reports 包裹破损
with the waybill and photos → the agent sees the shipment's history on the ticket → a ¥3,000 claim, above the
complaint officer's ¥2,000 limit, needs the manager → approved, paid ¥2,500 → the investigation report is filed
and the complaint is handled → follow-up and rating → the key account's monthly report shows the shipment,
the complaint and the claim, and is e-mailed to the account's contact."""
import io
import re
from datetime import date

from openpyxl import load_workbook
from sqlalchemy import select

from core.extensions import db
from core.models import Approval, Attachment, FollowUp, Ticket
from plugins.logistics.tests.conftest import SHIPMENT, push
from tests.helpers import post_form
from tests.portal.conftest import new_request
from tests.support.smtp import SmtpSink


def step(client, ticket_id, key, type_key, comment="", **fields):
    data = {"transition": key, "comment": comment, **{f"f_{type_key}_{k}": v for k, v in fields.items()}}
    return post_form(client, f"/desk/tickets/{ticket_id}/transition", data, form_url=f"/desk/tickets/{ticket_id}")


def pending(app, ticket_id):
    with app.app_context():
        return db.session.scalar(select(Approval).where(Approval.ticket_id == ticket_id, Approval.state == "pending"))


def test_a_damaged_parcel_of_a_key_account_from_report_to_monthly_statistics(world, logistics_app, signed_in):
    app = logistics_app
    today = date.today()
    month = today.strftime("%Y-%m")
    shipped = {**SHIPMENT, "customer_id": world.hualian, "shipped_on": today.isoformat(),
               "promised_on": today.isoformat()}
    created = push(app, world.token, shipped)
    assert created.status_code == 201, created.get_json()
    assert [e["status"] for e in created.get_json()["events"]] == ["picked_up", "in_transit", "delivered"]

    # The customer reports the damaged parcel in the portal with the waybill number and photos.
    customer = signed_in("buyer@hualian.cn")
    complaint = new_request(customer, "包裹破损", type_key="logistics_complaint",
                            files=[("破损1.jpg", b"\xff\xd8\xff photo one"), ("破损2.jpg", b"\xff\xd8\xff photo two")],
                            body="纸箱压扁，里面的饮料漏了一半",
                            f_logistics_complaint_waybill="SJ20261201001", f_logistics_complaint_cause="damage")
    with app.app_context():
        assert db.session.get(Ticket, complaint).customer_id == world.hualian
        assert len(db.session.scalars(select(Attachment).where(Attachment.ticket_id == complaint)).all()) == 2
    portal_page = customer.get(f"/portal/tickets/{complaint}").get_data(as_text=True)
    assert "合肥中转场" in portal_page  # her own shipment's history

    # The agent sees the shipment's history on the ticket.
    agent = signed_in("agent@shengjie.cn")
    page = agent.get(f"/desk/tickets/{complaint}").get_data(as_text=True)
    assert "上海浦东分拨中心" in page and "合肥中转场" in page and "外包装破损" in page
    assert "陈思远" in page  # the key account's owner

    # A ¥3,000 claim: above the complaint officer's ¥2,000 limit, it needs the manager.
    officer, manager = signed_in("officer@shengjie.cn"), signed_in("manager@shengjie.cn")
    response = post_form(officer, "/desk/tickets/new", {
        "type": "logistics_claim", "title": "破损理赔", "channel": "phone", "customer_id": str(world.hualian),
        "body": "破损饮料理赔", "f_logistics_claim_waybill": "SJ20261201001", "f_logistics_claim_reason": "damage",
        "f_logistics_claim_claimed_amount": "3000", "f_logistics_claim_complaint": str(complaint)})
    assert response.status_code == 302, response.get_data(as_text=True)
    claim = int(re.search(r"/desk/tickets/(\d+)$", response.headers["Location"]).group(1))
    assert "¥2000" in officer.get(f"/desk/tickets/{claim}").get_data(as_text=True)
    assert step(officer, claim, "approve", "logistics_claim").status_code == 302  # asks for the approval
    approval = pending(app, claim)
    assert approval.permission == "logistics.claim_approve_high"
    assert post_form(officer, f"/desk/approvals/{approval.id}", {"decision": "approve"},
                     form_url=f"/desk/tickets/{claim}").status_code == 403  # above her limit
    assert post_form(manager, f"/desk/approvals/{approval.id}", {"decision": "approve", "note": "同意"},
                     form_url=f"/desk/tickets/{claim}").status_code == 302
    with app.app_context():
        assert db.session.get(Ticket, claim).status == "approved"

    # Paid ¥2,500 (never more than was claimed).
    assert step(officer, claim, "pay", "logistics_claim", paid_amount="3500").status_code == 409
    assert step(officer, claim, "pay", "logistics_claim", paid_amount="2500").status_code == 302
    with app.app_context():
        ticket = db.session.get(Ticket, claim)
        assert (ticket.status, ticket.fields["paid_amount"]) == ("paid", "2500")

    # The complaint is handled only once the investigation report is filed; the report stays internal.
    refused = step(officer, complaint, "handle", "logistics_complaint", comment="已赔付2500元")
    assert refused.status_code == 409 and "调查报告" in refused.get_data(as_text=True)
    filed = post_form(officer, f"/logistics/tickets/{complaint}/investigation", {
        "cause": "装车时重货压轻货", "responsibility": "上海浦东分拨中心装卸班组",
        "corrective_action": "重货下置，饮料类加固包装"}, form_url=f"/desk/tickets/{complaint}")
    assert filed.status_code == 302
    assert step(officer, complaint, "handle", "logistics_complaint", comment="已赔付2500元").status_code == 302
    with app.app_context():
        assert db.session.get(Ticket, complaint).status == "handled"
    portal_page = customer.get(f"/portal/tickets/{complaint}").get_data(as_text=True)
    assert "重货压轻货" not in portal_page and "装卸班组" not in portal_page

    # Follow-up and rating close the complaint.
    with app.app_context():
        follow_up = db.session.scalar(select(FollowUp).where(FollowUp.ticket_id == complaint))
        assert follow_up is not None
        follow_up_id = follow_up.id
    recorded = post_form(manager, f"/desk/follow-ups/{follow_up_id}", {
        "method": "phone", "outcome": "客户认可赔付结果", "score_quality": "4", "score_attitude": "5",
        "score_speed": "4", "comment": "处理及时"})
    assert recorded.status_code == 302, recorded.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Ticket, complaint).status == "closed"

    # The key account's monthly report shows the shipment, the complaint and the claim.
    key_agent = signed_in("keyagent@shengjie.cn")
    listing = key_agent.get("/logistics/key-accounts").get_data(as_text=True)
    account_id = int(re.search(r'data-account="(\d+)"', listing).group(1))
    xlsx = key_agent.get(f"/logistics/key-accounts/{account_id}/report.xlsx?month={month}")
    assert xlsx.status_code == 200
    book = load_workbook(io.BytesIO(xlsx.data))
    cells = {str(cell.value) for sheet in book for row in sheet.iter_rows() for cell in row}
    assert {"SJ20261201001", f"#{complaint}", f"#{claim}", "3000", "2500", "破损"} <= cells
    summary = {row[0].value: row[1].value for row in book["汇总"].iter_rows(min_row=3)}
    assert (summary["运单数"], summary["投诉"], summary["理赔"], summary["准时率"]) == ("1", "1", "1", "100.0%")
    pdf = key_agent.get(f"/logistics/key-accounts/{account_id}/report.pdf?month={month}")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")

    with SmtpSink() as sink:
        app.config.update(MAIL_SERVER=sink.host, MAIL_PORT=sink.port)
        sent = post_form(key_agent, f"/logistics/key-accounts/{account_id}/report/send", {"month": month},
                         form_url="/logistics/key-accounts")
        assert sent.status_code == 302
        (mail,) = sink.wait_for(1)
    assert mail.rcpt_tos == ["logistics@hualian.cn"]
    names = sorted(part.get_filename() for part in mail.message.iter_attachments())
    assert names == [f"monthly-{month}.pdf", f"monthly-{month}.xlsx"]
    assert "1" in mail.text and "华联超市" in mail.subject
