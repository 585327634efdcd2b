"""Workflow requirements (contract C2): "field:<key>" and "approval", through the service, the ticket page
and the API; bad input is refused with a clear message and nothing changes."""
import pytest
from flask_babel import force_locale
from sqlalchemy import select

from core.extensions import db
from core.i18n import Label
from core.models import Approval, Notification, Ticket, TicketEvent, User
from core.plugins import hookimpl
from core.plugins.registry import RegistryError
from core.plugins.specs import TicketTypeSpec
from core.workflow.approvals import decide, request_approval
from core.workflow.engine import TransitionError, transition
from core.workflow.spec import State, Transition, WorkflowSpec
from tests.helpers import create_user, login, post_form
from tests.workflow.conftest import ClaimsPlugin, new_claim


def _user(user_id):
    return db.session.get(User, user_id)


def _refusal(call):
    with pytest.raises(TransitionError) as error:
        call()
    return error.value


def _kinds(ticket_id, prefix):
    events = db.session.scalars(select(TicketEvent.kind).where(TicketEvent.ticket_id == ticket_id)).all()
    return [kind for kind in events if kind.startswith(prefix)]


def test_a_step_that_needs_a_field_takes_it_from_the_call_or_the_ticket(claims):
    app = claims.app
    ticket_id, with_waybill = new_claim(app), new_claim(app, waybill="SF0000000001")
    with app.app_context(), app.test_request_context(), force_locale("en"):
        ticket = db.session.get(Ticket, ticket_id)
        refused = _refusal(lambda: transition(ticket, "check", actor=_user(claims.agent)))
        assert (refused.code, refused.field, refused.allowed) == ("field_required", "waybill", ["check"])
        assert str(refused) == "This step needs Waybill number."
        wrong = _refusal(lambda: transition(ticket, "check", actor=_user(claims.agent), fields={"amount": "10"}))
        assert (wrong.code, wrong.field) == ("field_invalid", "amount")  # not a field of this step
        assert ticket.status == "open"

        event = transition(ticket, "check", actor=_user(claims.agent), fields={"waybill": " SF1234567890 "})
        assert ticket.fields == {"waybill": "SF1234567890"} and event.data["fields"] == {"waybill": "SF1234567890"}

        again = db.session.get(Ticket, with_waybill)
        transition(again, "check", actor=_user(claims.agent))  # already on the ticket
        assert again.status == "checking"


def test_a_step_that_needs_an_approval_waits_for_the_approver(claims):
    app = claims.app
    ticket_id = new_claim(app, "checking")
    with app.app_context(), app.test_request_context(), force_locale("en"):
        ticket = db.session.get(Ticket, ticket_id)
        agent, lead, boss = _user(claims.agent), _user(claims.lead), _user(claims.boss)
        direct = _refusal(lambda: transition(ticket, "pay", actor=agent, comment="同意赔付", fields={"amount": "5000"}))
        assert direct.code == "approval_required" and direct.allowed == ["pay", "refuse"]
        assert "needs the approval of someone who may “Approve large claims”" in str(direct)
        bad = _refusal(lambda: request_approval(ticket, "pay", actor=agent, comment="赔付", fields={"amount": "五千"}))
        assert (bad.code, bad.field) == ("field_invalid", "amount")
        assert _refusal(lambda: request_approval(ticket, "pay", actor=agent, fields={"amount": "5000"})).code == \
            "comment_required"
        assert _refusal(lambda: request_approval(ticket, "refuse", actor=agent, comment="x")).code == \
            "approval_not_needed"

        approval = request_approval(ticket, "pay", actor=agent, comment="外包装破损，照片已核实", fields={"amount": "5000"})
        db.session.commit()
        assert (approval.permission, approval.state, ticket.fields["amount"]) == ("claims.approve_large", "pending", "5000")
        asked = db.session.scalars(select(Notification.user_id).where(Notification.kind == "approval_requested")).all()
        assert asked == [claims.boss]  # the supervisor may not decide above ¥2,000, so is not asked
        assert _refusal(lambda: request_approval(ticket, "pay", actor=agent, comment="再次")).code == "approval_pending"

        forbidden = _refusal(lambda: decide(approval, actor=lead, approve=True))
        assert forbidden.code == "forbidden" and "Approve large claims" in str(forbidden)
        decide(approval, actor=boss, approve=True, comment="同意")
        db.session.commit()
        assert (ticket.status, approval.state, approval.decided_by_id) == ("paid", "approved", claims.boss)
        step = db.session.scalar(select(TicketEvent).where(TicketEvent.ticket_id == ticket_id,
                                                          TicketEvent.kind == "transition", TicketEvent.actor_id == claims.boss))
        assert step.data["approval"] == approval.id and step.body == "外包装破损，照片已核实"
        assert _kinds(ticket_id, "approval_") == ["approval_requested", "approval_granted"]
        assert db.session.scalar(select(Notification.user_id).where(Notification.kind == "approval_granted")) == claims.agent

        twice = _refusal(lambda: decide(approval, actor=boss, approve=False))
        assert twice.code == "already_decided" and "approved by boss" in str(twice)
        assert ticket.status == "paid"


def test_whoever_asked_cannot_grant_their_own_approval(claims, api):
    """Four eyes: the manager who asks for a large claim's payment needs another manager to grant it."""
    app = claims.app
    ticket_id = new_claim(app, "checking")
    with app.app_context(), app.test_request_context(), force_locale("en"):
        ticket, boss = db.session.get(Ticket, ticket_id), _user(claims.boss)
        own = request_approval(ticket, "pay", actor=boss, comment="大额赔付", fields={"amount": "4000"})
        db.session.commit()
        mine = _refusal(lambda: decide(own, actor=boss, approve=True))
        assert mine.code == "own_request" and "someone else" in str(mine)
        db.session.rollback()
        approval_id = own.id
    answer = api["boss"].post(f"/api/v1/approvals/{approval_id}/decision", json={"approve": True})
    assert answer.status_code == 409 and answer.get_json()["error"]["code"] == "own_request"
    with app.app_context():
        assert (db.session.get(Ticket, ticket_id).status, db.session.get(Approval, approval_id).state) == (
            "checking", "pending")
        withdrawn = decide(db.session.get(Approval, approval_id), actor=_user(claims.boss), approve=False)
        assert withdrawn.state == "refused"  # refusing one's own request withdraws it


def test_a_small_claim_is_decided_by_a_supervisor_and_a_refusal_changes_nothing(claims):
    app = claims.app
    ticket_id = new_claim(app, "checking")
    with app.app_context():
        ticket = db.session.get(Ticket, ticket_id)
        approval = request_approval(ticket, "pay", actor=_user(claims.agent), comment="赔付", fields={"amount": "300"})
        assert approval.permission == "ticket.assign"
        decide(approval, actor=_user(claims.lead), approve=False, comment="金额需重新核定")
        db.session.commit()
        assert (ticket.status, approval.state, approval.decision_note) == ("checking", "refused", "金额需重新核定")
        assert db.session.scalar(select(Notification.user_id).where(Notification.kind == "approval_refused")) == claims.agent
        assert request_approval(ticket, "pay", actor=_user(claims.agent), comment="重新申请").state == "pending"


def test_a_pending_approval_lapses_when_the_ticket_moves_on(claims):
    app = claims.app
    ticket_id = new_claim(app, "checking")
    with app.app_context():
        ticket = db.session.get(Ticket, ticket_id)
        approval = request_approval(ticket, "pay", actor=_user(claims.agent), comment="赔付", fields={"amount": "300"})
        transition(ticket, "refuse", actor=_user(claims.agent), comment="客户撤回")
        db.session.commit()
        assert approval.state == "cancelled"
        assert _kinds(ticket_id, "approval_") == ["approval_requested", "approval_cancelled"]
        assert _refusal(lambda: decide(approval, actor=_user(claims.lead), approve=True)).code == "already_decided"


def test_workflows_that_cannot_work_stop_start_up_with_a_message(make_app):
    with pytest.raises(ValueError, match="names its approver"):
        Transition("pay", Label(zh="赔付", en="Pay"), ("a",), "b", "ticket.transition", requires=("approval",))
    with pytest.raises(ValueError, match="unknown requirement 'photo'"):
        Transition("pay", Label(zh="赔付", en="Pay"), ("a",), "b", "ticket.transition", requires=("photo",))

    class MissingField(ClaimsPlugin):
        @hookimpl
        def kefu_ticket_types(self):
            return [TicketTypeSpec("claim", Label(zh="理赔", en="Claim"), workflow="claim")]

    with pytest.raises(RegistryError, match="requires the field 'waybill', which ticket type 'claim' does not declare"):
        make_app(EXTRA_PLUGINS=[("claims", MissingField())], PLUGINS=["claims"])

    class UnknownApprover(ClaimsPlugin):
        @hookimpl
        def kefu_workflows(self):
            states = (State("a", Label(zh="甲", en="A"), "open"), State("b", Label(zh="乙", en="B"), "closed"))
            return [WorkflowSpec("claim", Label(zh="理赔", en="Claims"), "a", states, (
                Transition("go", Label(zh="走", en="Go"), ("a",), "b", "ticket.transition", requires=("approval",),
                           approver="claims.nobody"),))]

    with pytest.raises(RegistryError, match="unknown approver permission 'claims.nobody'"):
        make_app(EXTRA_PLUGINS=[("claims", UnknownApprover())], PLUGINS=["claims"])


# The ticket page ---------------------------------------------------------------------------------------------


@pytest.fixture
def desk_claims(make_app):
    app = make_app(EXTRA_PLUGINS=[("claims", ClaimsPlugin())], PLUGINS=["claims"])
    users = {name: create_user(app, f"{name}@example.cn", role, name=display, locale="zh")
             for name, role, display in (("agent", "agent", "张晓燕"), ("lead", "supervisor", "王主管"),
                                         ("boss", "claims_manager", "李经理"))}
    clients = {}
    for name in users:
        clients[name] = app.test_client()
        login(clients[name], f"{name}@example.cn")
    return app, users, clients


def test_the_ticket_page_shows_the_fields_a_step_needs_and_the_approval_to_decide(desk_claims):
    app, users, clients = desk_claims
    ticket_id = new_claim(app)
    url = f"/desk/tickets/{ticket_id}"
    page = clients["agent"].get(url).get_data(as_text=True)
    check_form = page.split('data-step="check"')[1].split("</form>")[0]
    assert 'name="f_claim_waybill"' in check_form and "required" in check_form and "运单号" in check_form
    refused = post_form(clients["agent"], f"{url}/transition", {"transition": "check"}, form_url=url)
    assert refused.status_code == 409 and "此步骤需要填写运单号" in refused.get_data(as_text=True)
    post_form(clients["agent"], f"{url}/transition", {"transition": "check", "f_claim_waybill": "SF1234567890"},
              form_url=url)

    page = clients["agent"].get(url).get_data(as_text=True)
    assert "申请审批：赔付" in page and 'name="f_claim_amount"' in page
    post_form(clients["agent"], f"{url}/transition", {"transition": "pay", "comment": "外包装破损",
                                                      "f_claim_amount": "5000"}, form_url=url)
    with app.app_context():
        approval = db.session.scalar(select(Approval))
        assert (approval.transition, approval.state, approval.fields) == ("pay", "pending", {"amount": "5000"})
    agent_page = clients["agent"].get(url).get_data(as_text=True)
    boss_page = clients["boss"].get(url).get_data(as_text=True)
    for page in (agent_page, boss_page):
        assert "张晓燕 申请审批“赔付”" in page and "审批大额理赔" in page and "等待审批" in page
    assert f'/desk/approvals/{approval.id}' not in agent_page
    assert f'/desk/approvals/{approval.id}' in boss_page and "批准" in boss_page

    decision = f"/desk/approvals/{approval.id}"
    assert post_form(clients["lead"], decision, {"decision": "approve"}, form_url=url).status_code == 403
    post_form(clients["boss"], decision, {"decision": "approve", "note": "同意"}, form_url=url)
    with app.app_context():
        assert db.session.get(Ticket, ticket_id).status == "paid"
    again = post_form(clients["boss"], decision, {"decision": "refuse"}, form_url=url, follow_redirects=True)
    assert "此申请已有决定" in again.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Ticket, ticket_id).status == "paid"


# The API ------------------------------------------------------------------------------------------------------


def test_the_api_requests_and_decides_approvals(claims, api):
    ticket_id = new_claim(claims.app, "checking")
    direct = api["agent"].post(f"/api/v1/tickets/{ticket_id}/transitions",
                               json={"to": "paid", "comment": "赔付", "fields": {"amount": "5000"}})
    error = direct.get_json()["error"]
    assert direct.status_code == 409 and error["code"] == "approval_required"
    assert [step["key"] for step in error["allowed"]] == ["pay", "refuse"] and "approval" in error["allowed"][0]["requires"]

    missing = api["agent"].post(f"/api/v1/tickets/{ticket_id}/approvals", json={"transition": "pay", "comment": "赔付"})
    assert missing.status_code == 422 and missing.get_json()["error"]["field"] == "fields.amount"
    asked = api["agent"].post(f"/api/v1/tickets/{ticket_id}/approvals",
                              json={"transition": "pay", "comment": "赔付", "fields": {"amount": "5000"}})
    assert asked.status_code == 201
    approval = asked.get_json()
    assert (approval["state"], approval["permission"], approval["ticket_status"]) == ("pending", "claims.approve_large",
                                                                                      "checking")
    detail = api["boss"].get(f"/api/v1/tickets/{ticket_id}").get_json()
    assert [row["id"] for row in detail["approvals"]] == [approval["id"]]
    pending = api["agent"].post(f"/api/v1/tickets/{ticket_id}/approvals",
                                json={"transition": "pay", "comment": "再次", "fields": {"amount": "5000"}})
    assert pending.status_code == 409 and pending.get_json()["error"]["code"] == "approval_pending"

    decision = f"/api/v1/approvals/{approval['id']}/decision"
    forbidden = api["lead"].post(decision, json={"approve": True})
    assert forbidden.status_code == 403 and forbidden.get_json()["error"]["code"] == "forbidden"
    assert api["boss"].post(decision, json={"approve": "maybe"}).status_code == 422
    granted = api["boss"].post(decision, json={"approve": True, "comment": "同意"})
    assert granted.status_code == 200 and granted.get_json()["ticket_status"] == "paid"
    twice = api["boss"].post(decision, json={"approve": False})
    assert twice.status_code == 409 and twice.get_json()["error"]["code"] == "already_decided"
    assert api["boss"].post("/api/v1/approvals/999999/decision", json={"approve": True}).status_code == 404


def test_a_ticket_moves_only_to_a_type_with_the_same_workflow(claims):
    from core.tickets.service import TicketInputError, update_ticket

    ticket_id = new_claim(claims.app)
    with claims.app.app_context(), claims.app.test_request_context(), force_locale("en"):
        ticket = db.session.get(Ticket, ticket_id)
        with pytest.raises(TicketInputError) as error:
            update_ticket(ticket, actor=_user(claims.agent), changes={"type": "inquiry"})
        assert "only move to a type with the same workflow" in error.value.errors["type"]
        assert ticket.type.key == "claim"
