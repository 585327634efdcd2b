"""The closed loop end to end, through the real HTTP routes, the real worker command and a real SMTP server:
a ticket resolved at the desk → the customer is e-mailed the result with a survey link → a follow-up is in the
agent's list → the agent records a phone follow-up with scores → (another ticket) the customer rates 2 through
the link → an investigation is opened for the supervisor → the supervisor records the outcome → the customer is
told."""
import re
import time

from sqlalchemy import select

from core.extensions import db
from core.models import FollowUp, Investigation, JobLease, SmsMessage, Survey, Ticket, utcnow
from core.worker import worker_command
from tests.closedloop.conftest import SITE, signed_in
from tests.helpers import post_form

SURVEY_LINK = re.compile(re.escape(SITE) + r"(/survey/[\w.\-]+)")


def _worker(app):
    """One round of `kefu worker --once`, run on this app, once the delivery job is due again (it runs every
    second, so two rounds within one second would find nothing due)."""
    with app.app_context():
        due = db.session.scalar(select(JobLease.due_at).where(JobLease.key == "core.notifications"))
    if due is not None:
        time.sleep(max(0.0, (due - utcnow()).total_seconds()))
    result = app.test_cli_runner().invoke(worker_command, ["--once"])
    assert result.exit_code == 0, result.output
    return result.output


def _to_customer(sink, count):
    """The first ``count`` mails to the customer (staff get their own notifications too)."""
    deadline = time.monotonic() + 10
    while True:
        mails = [mail for mail in sink.messages if mail.rcpt_tos == ["xu@example.cn"]]
        if len(mails) >= count or time.monotonic() > deadline:
            assert len(mails) >= count, [mail.subject for mail in sink.messages]
            return mails


def _step(client, ticket_id, transition, **fields):
    response = post_form(client, f"/desk/tickets/{ticket_id}/transition", {"transition": transition, **fields},
                         form_url=f"/desk/tickets/{ticket_id}")
    assert response.status_code == 302, response.get_data(as_text=True)


def _handle_at_the_desk(app, people, lead, agent, title, resolution):
    created = post_form(agent, "/desk/tickets/new", {"channel": "phone", "type": "fault", "customer_id": str(people.vip),
                                                     "title": title, "body": "客户来电", "team": str(people.team)})
    assert created.status_code == 302
    ticket_id = int(created.headers["Location"].rsplit("/", 1)[1])
    _step(lead, ticket_id, "triage")
    _step(lead, ticket_id, "assign", assignee=str(people.agent))
    _step(agent, ticket_id, "start")
    _step(agent, ticket_id, "resolve", comment=resolution)
    return ticket_id


def test_the_closed_loop_from_resolution_to_the_investigations_outcome(loop_app, people, sink):
    lead, agent = signed_in(loop_app, "lead@example.cn"), signed_in(loop_app, "agent@example.cn")

    # 1. Resolved at the desk: the worker e-mails the customer the result with their survey link.
    first = _handle_at_the_desk(loop_app, people, lead, agent, "卫生间漏水", "已更换角阀，漏水已止住。")
    _worker(loop_app)
    (mail,) = _to_customer(sink, 1)
    assert f"#{first}" in mail.subject
    assert "已更换角阀" in mail.text and SURVEY_LINK.search(mail.text)
    timeline = agent.get(f"/desk/tickets/{first}").get_data(as_text=True)
    assert "已通过电子邮件, 短信告知客户" in timeline and "/survey/" not in timeline
    with loop_app.app_context():
        assert "/survey/" in db.session.scalar(select(SmsMessage.text))

    # 2. The follow-up is in the agent's list; a phone follow-up with the customer's scores closes the loop.
    listed = agent.get("/desk/follow-ups/").get_data(as_text=True)
    follow_up_id = int(re.search(r'href="/desk/follow-ups/(\d+)"', listed).group(1))
    assert "卫生间漏水" in listed
    recorded = post_form(agent, f"/desk/follow-ups/{follow_up_id}", {
        "method": "phone", "outcome": "客户确认不再漏水", "score_quality": "5", "score_attitude": "5",
        "score_speed": "4", "comment": "师傅很及时"})
    assert recorded.status_code == 302
    with loop_app.app_context():
        assert db.session.get(FollowUp, follow_up_id).state == "done"
        assert db.session.get(Ticket, first).status == "closed"  # 反馈 → 回访 → 归档

    # 3. Another ticket: the customer rates it 2 through the link in the e-mail.
    second = _handle_at_the_desk(loop_app, people, lead, agent, "热水器不出热水", "已重启热水器。")
    _worker(loop_app)
    mail = _to_customer(sink, 2)[1]
    assert f"#{second}" in mail.subject
    link = SURVEY_LINK.search(mail.text).group(1)
    visitor = loop_app.test_client()
    rated = post_form(visitor, link, {"score_quality": "2", "score_attitude": "3", "score_speed": "2",
                                      "comment": "第二天又坏了"})
    assert rated.status_code == 200 and "主管将调查原因" in rated.get_data(as_text=True)
    assert visitor.get(link).status_code == 410  # the link worked once

    # 4. An investigation is open for the supervisor, who now has the ticket.
    with loop_app.app_context():
        investigation = db.session.scalar(select(Investigation).where(Investigation.ticket_id == second))
        assert (investigation.state, investigation.assignee_id) == ("open", people.lead)
        ticket = db.session.get(Ticket, second)
        assert (ticket.status, ticket.assignee_id) == ("in_progress", people.lead)
        investigation_id = investigation.id
    assert "热水器不出热水" in lead.get("/desk/follow-ups/?view=investigations").get_data(as_text=True)
    assert "热水器不出热水" in lead.get("/desk/").get_data(as_text=True)  # in the supervisor's own queue

    # 5. The supervisor records the outcome; the worker tells the customer.
    outcome = post_form(lead, f"/desk/investigations/{investigation_id}",
                        {"outcome": "经查是温控器故障，已免费更换，并向您致歉。"}, form_url=f"/desk/tickets/{second}")
    assert outcome.status_code == 302
    _worker(loop_app)
    told = _to_customer(sink, 3)[2]
    assert "关于您的评价的调查结果" in told.subject
    assert "温控器故障" in told.text and SURVEY_LINK.search(told.text)  # and asked again
    with loop_app.app_context():
        assert db.session.get(Investigation, investigation_id).state == "done"
        assert db.session.get(Ticket, second).status == "resolved"
        surveys = db.session.scalars(select(Survey.state).where(Survey.ticket_id == second).order_by(Survey.id)).all()
        assert surveys == ["answered", "open"]
        again = db.session.scalar(select(FollowUp).where(FollowUp.ticket_id == second, FollowUp.state == "pending"))
        assert again.reason == "investigation"
