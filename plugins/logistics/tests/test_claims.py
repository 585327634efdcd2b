"""Claims are approved by amount: up to LOGISTICS_CLAIM_LIMIT by the complaint officer, above it by the manager."""
import re

from sqlalchemy import select

from core.extensions import db
from core.models import Approval, Ticket
from plugins.logistics.tests.conftest import SHIPMENT, push
from plugins.logistics.tests.test_scenario import step
from tests.helpers import post_form


def open_claim(client, customer_id, amount):
    response = post_form(client, "/desk/tickets/new", {
        "type": "logistics_claim", "title": "丢失理赔", "channel": "phone", "customer_id": str(customer_id),
        "f_logistics_claim_waybill": "SJ20261201001", "f_logistics_claim_reason": "loss",
        "f_logistics_claim_claimed_amount": amount})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"/desk/tickets/(\d+)$", response.headers["Location"]).group(1))


def test_the_complaint_officer_approves_a_claim_within_the_limit(world, logistics_app, signed_in):
    push(logistics_app, world.token, SHIPMENT)
    officer = signed_in("officer@shengjie.cn")
    claim = open_claim(officer, world.hualian, "1500")
    assert step(officer, claim, "approve", "logistics_claim").status_code == 302
    with logistics_app.app_context():
        approval = db.session.scalar(select(Approval).where(Approval.ticket_id == claim))
        assert approval.permission == "logistics.claim_approve"
    other_officer = signed_in("manager@shengjie.cn")  # the manager may approve below the limit too
    assert post_form(other_officer, f"/desk/approvals/{approval.id}", {"decision": "approve"},
                     form_url=f"/desk/tickets/{claim}").status_code == 302
    with logistics_app.app_context():
        assert db.session.get(Ticket, claim).status == "approved"


def test_the_limit_is_a_setting(world, make_app, signed_in):
    app = make_app(PLUGINS=["logistics"], LOGISTICS_CLAIM_LIMIT=1000)
    push(app, world.token, SHIPMENT)
    client = app.test_client()
    from tests.helpers import login

    login(client, "officer@shengjie.cn")
    claim = open_claim(client, world.hualian, "1500")
    step(client, claim, "approve", "logistics_claim")
    with app.app_context():
        assert db.session.scalar(select(Approval.permission).where(Approval.ticket_id == claim)) == \
            "logistics.claim_approve_high"


def test_a_claim_without_a_known_waybill_or_with_a_bad_amount_is_refused(world, logistics_app, signed_in):
    officer = signed_in("officer@shengjie.cn")
    response = post_form(officer, "/desk/tickets/new", {
        "type": "logistics_claim", "title": "理赔", "channel": "phone", "f_logistics_claim_waybill": "SJ20261201001",
        "f_logistics_claim_reason": "loss", "f_logistics_claim_claimed_amount": "-5"})
    assert response.status_code == 400
    with logistics_app.app_context():
        assert db.session.scalar(select(Ticket.id)) is None


def test_raising_the_amount_after_asking_needs_the_managers_approval(world, logistics_app, signed_in):
    push(logistics_app, world.token, SHIPMENT)
    agent, officer = signed_in("keyagent@shengjie.cn"), signed_in("officer@shengjie.cn")
    claim = open_claim(agent, world.hualian, "1500")
    step(agent, claim, "approve", "logistics_claim")
    with logistics_app.app_context():
        ticket = db.session.get(Ticket, claim)
        ticket.fields = {**ticket.fields, "claimed_amount": "3000"}  # edited after the request
        db.session.commit()
        approval_id = db.session.scalar(select(Approval.id).where(Approval.ticket_id == claim))
    post_form(officer, f"/desk/approvals/{approval_id}", {"decision": "approve"}, form_url=f"/desk/tickets/{claim}")
    assert "索赔金额在申请审批后有变动" in officer.get(f"/desk/tickets/{claim}").get_data(as_text=True)
    with logistics_app.app_context():
        assert db.session.get(Ticket, claim).status == "new"
        assert db.session.get(Approval, approval_id).state == "pending"
