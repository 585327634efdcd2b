from datetime import timedelta

from sqlalchemy import select

from core.extensions import db
from core.models import Approval, AssignmentRule, DutyShift, Notification, Ticket, User, utcnow
from tests.desk.conftest import make_ticket
from tests.helpers import post_form


def _rule(app, team_id, strategy="workload", skill=None, **match):
    with app.app_context():
        db.session.add(AssignmentRule(team_id=team_id, strategy=strategy, skill=skill, **match))
        db.session.commit()


def _assignee(app, ticket_id):
    with app.app_context():
        return db.session.get(Ticket, ticket_id).assignee_id


def test_a_rule_routes_to_the_team_member_with_the_fewest_open_tickets(app, desk):
    _rule(app, desk.team_a, type_key="complaint")
    make_ticket(app, "已有工单", assignee=desk.agent1, team=desk.team_a)
    make_ticket(app, "已有工单", assignee=desk.lead, team=desk.team_a)
    routed = make_ticket(app, "投诉服务态度", type_key="complaint")
    assert _assignee(app, routed) == desk.agent2
    unrouted = make_ticket(app, "咨询")  # the rule is for complaints only
    assert _assignee(app, unrouted) is None


def test_round_robin_takes_turns_and_skips_who_is_off_duty(app, desk):
    _rule(app, desk.team_a, strategy="round_robin")
    now = utcnow()
    with app.app_context():  # a rota: the supervisor and agent1 on shift, agent2 off
        for user in (desk.lead, desk.agent1):
            db.session.add(DutyShift(team_id=desk.team_a, user_id=user, starts_at=now - timedelta(hours=1),
                                     ends_at=now + timedelta(hours=8)))
        db.session.add(DutyShift(team_id=desk.team_a, user_id=desk.agent2, starts_at=now + timedelta(hours=8),
                                 ends_at=now + timedelta(hours=16)))
        db.session.commit()
    turns = [_assignee(app, make_ticket(app, f"工单{i}")) for i in range(4)]
    assert turns == [desk.lead, desk.agent1, desk.lead, desk.agent1]
    assert desk.agent2 not in turns


def test_a_rule_with_a_skill_picks_only_members_who_have_it(app, desk):
    with app.app_context():
        db.session.get(User, desk.agent2).skills = ["英语"]
        db.session.commit()
    _rule(app, desk.team_a, skill="英语", category="inquiry")
    assert _assignee(app, make_ticket(app, "English please")) == desk.agent2


def test_an_agent_takes_an_unassigned_ticket_but_cannot_assign_others(app, desk, as_user):
    ticket_id = make_ticket(app, "未分派", team=desk.team_a)
    agent = as_user("agent1@example.cn")
    post_form(agent, f"/desk/tickets/{ticket_id}/assign", {"assignee": str(desk.agent2)},
              form_url=f"/desk/tickets/{ticket_id}")
    assert _assignee(app, ticket_id) is None
    post_form(agent, f"/desk/tickets/{ticket_id}/assign", {"take": "1"}, form_url=f"/desk/tickets/{ticket_id}")
    assert _assignee(app, ticket_id) == desk.agent1


def test_reassigning_a_dispatched_ticket_needs_the_supervisors_approval(app, desk, as_user):
    ticket_id = make_ticket(app, "已派工单", team=desk.team_a)
    lead, agent = as_user("lead@example.cn"), as_user("agent1@example.cn")
    post_form(lead, f"/desk/tickets/{ticket_id}/transition", {"transition": "assign", "assignee": str(desk.agent1)},
              form_url=f"/desk/tickets/{ticket_id}")
    asked = post_form(agent, f"/desk/tickets/{ticket_id}/reassign",
                      {"assignee": str(desk.agent2), "reason": "我明天休假"}, form_url=f"/desk/tickets/{ticket_id}")
    assert asked.status_code == 302 and _assignee(app, ticket_id) == desk.agent1  # not yet
    with app.app_context():
        request = db.session.scalar(select(Approval))
        assert (request.kind, request.state, request.to_user_id) == ("reassign", "pending", desk.agent2)
        assert db.session.scalar(select(Notification.user_id).where(Notification.kind == "reassign_requested")) == desk.lead
        request_id = request.id
    assert post_form(agent, f"/desk/approvals/{request_id}", {"decision": "approve"},
                     form_url=f"/desk/tickets/{ticket_id}").status_code == 403
    page = lead.get(f"/desk/tickets/{ticket_id}").get_data(as_text=True)
    assert "我明天休假" in page
    post_form(lead, f"/desk/approvals/{request_id}", {"decision": "approve", "note": "同意"},
              form_url=f"/desk/tickets/{ticket_id}")
    assert _assignee(app, ticket_id) == desk.agent2
    with app.app_context():
        assert db.session.get(Approval, request_id).state == "approved"
        kinds = [e.kind for e in db.session.get(Ticket, ticket_id).events]
        assert kinds.count("reassign_requested") == kinds.count("reassign_approved") == 1


def test_a_refused_reassignment_leaves_the_ticket_where_it_is(app, desk, as_user):
    ticket_id = make_ticket(app, "已派工单", team=desk.team_a)
    lead, agent = as_user("lead@example.cn"), as_user("agent1@example.cn")
    post_form(lead, f"/desk/tickets/{ticket_id}/transition", {"transition": "assign", "assignee": str(desk.agent1)},
              form_url=f"/desk/tickets/{ticket_id}")
    post_form(agent, f"/desk/tickets/{ticket_id}/reassign", {"assignee": str(desk.agent2), "reason": "太忙"},
              form_url=f"/desk/tickets/{ticket_id}")
    with app.app_context():
        request_id = db.session.scalar(select(Approval.id))
    post_form(lead, f"/desk/approvals/{request_id}", {"decision": "refuse"}, form_url=f"/desk/tickets/{ticket_id}")
    assert _assignee(app, ticket_id) == desk.agent1
    with app.app_context():
        assert db.session.scalar(select(Notification.user_id).where(Notification.kind == "reassign_refused")) == desk.agent1


def test_escalation_goes_to_the_supervisor_then_to_the_managers(app, desk, as_user):
    ticket_id = make_ticket(app, "重大投诉", team=desk.team_a, assignee=desk.agent1)
    agent = as_user("agent1@example.cn")
    no_reason = post_form(agent, f"/desk/tickets/{ticket_id}/escalate", {"reason": " "},
                          form_url=f"/desk/tickets/{ticket_id}", follow_redirects=True)
    assert "请填写原因" in no_reason.get_data(as_text=True)
    post_form(agent, f"/desk/tickets/{ticket_id}/escalate", {"reason": "客户要求主管处理"},
              form_url=f"/desk/tickets/{ticket_id}")
    with app.app_context():
        ticket = db.session.get(Ticket, ticket_id)
        assert (ticket.escalation_level, ticket.assignee_id) == (1, desk.lead)
    lead = as_user("lead@example.cn")
    post_form(lead, f"/desk/tickets/{ticket_id}/escalate", {"reason": "涉及赔偿"}, form_url=f"/desk/tickets/{ticket_id}")
    with app.app_context():
        ticket = db.session.get(Ticket, ticket_id)
        assert ticket.escalation_level == 2 and desk.manager in [w.id for w in ticket.watchers]
        notified = db.session.scalars(select(Notification.user_id).where(Notification.kind == "escalated")).all()
        assert desk.lead in notified and desk.manager in notified
