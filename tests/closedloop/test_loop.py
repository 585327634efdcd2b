"""C6 through the services: on resolution the customer is told the result with a survey link (反馈), a
follow-up task appears for the agent (回访), the follow-up or the survey records the rating (评价), the
workflow moves to 回访 and 归档 through the engine, and a score of 2 or less reopens the work for the
supervisor, whose outcome is told to the customer."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from core.extensions import db
from core.followups import rules
from core.followups.investigations import complete_investigation, open_investigation_of
from core.followups.links import link_token, survey_for_token
from core.followups.service import FollowUpError, FollowUpInputError, complete_follow_up
from core.followups.surveys import SurveyClosed, SurveyInputError, submit_survey
from core.models import (
    CustomerMessage,
    FollowUpRule,
    Investigation,
    Notification,
    SlaClock,
    SlaPolicy,
    Ticket,
    TicketEvent,
    User,
    utcnow,
)
from core.workflow.engine import transition
from tests.closedloop.conftest import SITE, follow_up_of, new_ticket, resolved, survey_of

GOOD = {"quality": 5, "attitude": 4, "speed": 5}


def _steps(ticket_id):
    return [(e.data["from"], e.data["to"]) for e in db.session.scalars(
        select(TicketEvent).where(TicketEvent.ticket_id == ticket_id, TicketEvent.kind == "transition")
        .order_by(TicketEvent.id))]


def test_resolution_tells_the_customer_and_creates_the_follow_up_and_survey(loop_app, people):
    when = utcnow() - timedelta(hours=1)
    ticket_id = resolved(loop_app, people, now=when)
    with loop_app.app_context():
        follow_up, survey = follow_up_of(ticket_id), survey_of(ticket_id)
        assert (follow_up.state, follow_up.assignee_id, follow_up.reason) == ("pending", people.agent, "always")
        assert follow_up.due_at == when + timedelta(days=3)  # no SLA policy: FOLLOW_UP_DAYS
        assert (survey.state, survey.customer_id, survey.expires_at) == ("open", people.vip, when + timedelta(days=14))
        messages = db.session.scalars(select(CustomerMessage).where(CustomerMessage.ticket_id == ticket_id)).all()
        assert sorted(m.channel for m in messages) == ["email", "sms"] and {m.kind for m in messages} == {"feedback"}
        text = messages[0].body
        assert "许天佑" in text and "师傅已上门更换水龙头" in text
        assert f"{SITE}/survey/{link_token(survey)}" in text
        notified = db.session.scalar(select(TicketEvent).where(TicketEvent.ticket_id == ticket_id,
                                                               TicketEvent.kind == "customer_notified"))
        assert notified.public and notified.actor_id == people.agent and "/survey/" not in notified.body
        # The agent resolved it, so the bell does not tell them about their own follow-up.
        assert db.session.scalar(select(Notification).where(Notification.kind == "follow_up_assigned")) is None


def test_the_follow_up_is_due_when_the_sla_policy_says(loop_app, people):
    with loop_app.app_context():
        db.session.add(SlaPolicy(name="回访一天", follow_up_minutes=24 * 60, follow_up_business=False))
        db.session.commit()
    when = utcnow() - timedelta(hours=1)
    ticket_id = resolved(loop_app, people, now=when)
    with loop_app.app_context():
        clock = db.session.scalar(select(SlaClock).where(SlaClock.ticket_id == ticket_id, SlaClock.kind == "follow_up"))
        assert follow_up_of(ticket_id).due_at == clock.due_at == when + timedelta(days=1)


def test_ordinary_customers_are_sampled_the_same_way_every_time(loop_app, people):
    loop_app.config["FOLLOW_UP_SAMPLE_PERCENT"] = 50
    ids = [new_ticket(loop_app, people, customer="plain", title=f"咨询{i}") for i in range(30)]
    inquiry = new_ticket(loop_app, people, customer="plain", type_key="inquiry")
    vip_inquiry = new_ticket(loop_app, people, customer="vip", type_key="inquiry")
    anonymous = new_ticket(loop_app, people, customer=None)
    with loop_app.app_context():
        tickets = [db.session.get(Ticket, i) for i in ids]
        first = [rules.needs_follow_up(t) for t in tickets]
        assert first == [rules.needs_follow_up(t) for t in tickets]
        assert first == ["sampled" if rules.draw(t.id) < 50 else None for t in tickets]
        assert 0 < first.count("sampled") < 30
        db.session.add(FollowUpRule(ticket_type="fault", percent=100))  # every repair of an ordinary customer
        db.session.add(FollowUpRule(ticket_type="inquiry", percent=100))
        db.session.add(FollowUpRule(customer_grade="ordinary", ticket_type="inquiry", percent=0))  # more specific
        db.session.add(FollowUpRule(customer_grade="strategic", ticket_type="inquiry", percent=0))
        db.session.flush()
        assert all(rules.needs_follow_up(t) == "sampled" for t in tickets)
        assert rules.needs_follow_up(db.session.get(Ticket, inquiry)) is None
        # The always-followed grades win over any rule; a ticket without a customer has nobody to call.
        assert rules.needs_follow_up(db.session.get(Ticket, vip_inquiry)) == "always"
        assert rules.needs_follow_up(db.session.get(Ticket, anonymous)) is None


def test_a_phone_follow_up_with_scores_closes_the_loop(loop_app, people):
    ticket_id = resolved(loop_app, people)
    with loop_app.app_context():
        agent = db.session.get(User, people.agent)
        follow_up = complete_follow_up(follow_up_of(ticket_id), actor=agent, method="phone",
                                       outcome="客户表示已修好，很满意", scores=GOOD, comment="师傅很专业")
        db.session.commit()
        assert (follow_up.state, follow_up.method, follow_up.done_by_id) == ("done", "phone", people.agent)
        survey = survey_of(ticket_id)
        assert (survey.state, survey.channel, survey.answered_by_id, survey.follow_up_id) == (
            "answered", "follow_up", people.agent, follow_up.id)
        assert survey.scores == GOOD and survey.comment == "师傅很专业"
        assert _steps(ticket_id)[-2:] == [("resolved", "follow_up"), ("follow_up", "closed")]
        assert db.session.get(Ticket, ticket_id).status == "closed"
        with pytest.raises(FollowUpError):
            complete_follow_up(follow_up, actor=agent, method="phone", outcome="again")


def test_a_follow_up_without_answers_waits_for_the_customers_rating(loop_app, people):
    ticket_id = resolved(loop_app, people)
    with loop_app.app_context():
        complete_follow_up(follow_up_of(ticket_id), actor=db.session.get(User, people.agent), method="sms",
                           outcome="已发短信回访，客户未回复评价")
        db.session.commit()
        assert db.session.get(Ticket, ticket_id).status == "follow_up"
        submit_survey(survey_of(ticket_id), scores={"quality": "4", "attitude": "4", "speed": "3"})
        db.session.commit()
        assert db.session.get(Ticket, ticket_id).status == "closed"


def test_bad_follow_up_input_is_refused_with_every_problem_and_nothing_changes(loop_app, people):
    ticket_id = resolved(loop_app, people)
    with loop_app.app_context():
        follow_up = follow_up_of(ticket_id)
        with pytest.raises(FollowUpInputError) as refused:
            complete_follow_up(follow_up, actor=db.session.get(User, people.agent), method="fax", outcome="  ",
                               scores={"quality": "6", "attitude": "", "speed": "x"})
        assert set(refused.value.errors) == {"method", "outcome", "quality", "attitude", "speed"}
        db.session.rollback()
        assert follow_up_of(ticket_id).state == "pending" and survey_of(ticket_id).state == "open"
        with pytest.raises(FollowUpError) as other:
            complete_follow_up(follow_up_of(ticket_id), actor=db.session.get(User, people.agent2), method="phone",
                               outcome="不是我的回访")
        assert other.value.code == "forbidden"


def test_survey_answers_outside_one_to_five_are_refused(loop_app, people):
    ticket_id = resolved(loop_app, people)
    with loop_app.app_context():
        survey = survey_of(ticket_id)
        for bad in ({"quality": 0, "attitude": 3, "speed": 3}, {"quality": 6, "attitude": 3, "speed": 3},
                    {"quality": 3.5, "attitude": 3, "speed": 3}, {"quality": True, "attitude": 3, "speed": 3},
                    {"quality": "-1", "attitude": 3, "speed": 3}, {"attitude": 3, "speed": 3}, None):
            with pytest.raises(SurveyInputError) as refused:
                submit_survey(survey, scores=bad)
            assert "quality" in refused.value.errors, bad
        with pytest.raises(SurveyInputError) as long_comment:
            submit_survey(survey, scores=GOOD, comment="太" * 2001)
        assert set(long_comment.value.errors) == {"comment"}
        assert survey_of(ticket_id).state == "open"


def test_a_survey_link_works_once_and_expires(loop_app, people):
    ticket_id = resolved(loop_app, people)
    with loop_app.app_context():
        survey = survey_of(ticket_id)
        token = link_token(survey)
        assert survey_for_token(token) == survey
        assert survey_for_token(token[:-2] + "xx") is None and survey_for_token("garbage") is None
        with pytest.raises(SurveyClosed):
            submit_survey(survey, scores=GOOD, now=survey.expires_at)  # the link's last moment has passed
        submit_survey(survey, scores=GOOD)
        db.session.commit()
        with pytest.raises(SurveyClosed):
            submit_survey(survey, scores={"quality": 1, "attitude": 1, "speed": 1})
        assert survey_of(ticket_id).scores == GOOD


def test_a_bad_rating_reopens_the_work_for_the_supervisor_whose_outcome_reaches_the_customer(loop_app, people):
    ticket_id = resolved(loop_app, people)
    with loop_app.app_context():
        submit_survey(survey_of(ticket_id), scores={"quality": 2, "attitude": 4, "speed": 3}, comment="水龙头又漏了")
        db.session.commit()
        ticket = db.session.get(Ticket, ticket_id)
        investigation = open_investigation_of(ticket)
        assert investigation.assignee_id == people.lead
        assert (ticket.status, ticket.assignee_id) == ("in_progress", people.lead)
        assert _steps(ticket_id)[-1] == ("resolved", "in_progress")
        assert follow_up_of(ticket_id).state == "cancelled"  # the work is not done any more
        alert = db.session.scalar(select(Notification).where(Notification.kind == "investigation"))
        assert (alert.user_id, alert.data["lowest"]) == (people.lead, 2)

        complete_investigation(investigation, actor=db.session.get(User, people.lead),
                               outcome="查明配件批次有问题，已免费更换新龙头并致歉。")
        db.session.commit()
        investigation = db.session.get(Investigation, investigation.id)
        assert (investigation.state, investigation.done_by_id) == ("done", people.lead)
        assert "免费更换" in investigation.outcome
        told = db.session.scalars(select(CustomerMessage).where(CustomerMessage.kind == "investigation")).all()
        assert {m.channel for m in told} == {"email", "sms"} and "免费更换" in told[0].body
        again = follow_up_of(ticket_id)  # after an investigation the customer is always called back
        assert (again.state, again.reason, again.assignee_id) == ("pending", "investigation", people.lead)
        assert survey_of(ticket_id).state == "open"


def test_reopening_lapses_the_follow_up_and_the_unanswered_survey(loop_app, people):
    ticket_id = resolved(loop_app, people)
    with loop_app.app_context():
        transition(db.session.get(Ticket, ticket_id), "reopen", actor=db.session.get(User, people.agent),
                   comment="客户来电说还在漏")
        db.session.commit()
        assert follow_up_of(ticket_id).state == "cancelled" and survey_of(ticket_id).state == "cancelled"
        transition(db.session.get(Ticket, ticket_id), "resolve", actor=db.session.get(User, people.agent),
                   comment="换了密封圈")
        db.session.commit()
        # Resolved again: a new follow-up and a new survey.
        assert follow_up_of(ticket_id).state == "pending" and survey_of(ticket_id).state == "open"


def test_a_customer_without_contact_details_is_flagged_but_still_followed_up(loop_app, people):
    ticket_id = resolved(loop_app, people, customer="silent")
    with loop_app.app_context():
        kinds = db.session.scalars(select(TicketEvent.kind).where(TicketEvent.ticket_id == ticket_id)).all()
        assert "customer_unreachable" in kinds and "customer_notified" not in kinds
        assert follow_up_of(ticket_id).state == "pending"
        clock_kinds = db.session.scalars(select(SlaClock.kind).where(SlaClock.ticket_id == ticket_id)).all()
        assert "feedback" not in clock_kinds  # no policy here; with one, the feedback target keeps counting
