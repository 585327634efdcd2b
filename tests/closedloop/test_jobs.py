"""The closed loop's time-based work, with time passed in: overdue follow-ups warn their assignee once, and
resolved tickets with nothing left to do are archived after ARCHIVE_AFTER_DAYS."""
from datetime import timedelta

from sqlalchemy import select

from core.extensions import db
from core.followups.archive import archive_due
from core.followups.jobs import warn_overdue
from core.models import Notification, Ticket, utcnow
from core.worker import run_job
from tests.closedloop.conftest import follow_up_of, resolved


def test_an_overdue_follow_up_warns_its_assignee_once(loop_app, people):
    ticket_id = resolved(loop_app, people)
    with loop_app.app_context():
        due = follow_up_of(ticket_id).due_at
        assert warn_overdue(due - timedelta(minutes=1)) == 0
        assert run_job("core.follow_up_overdue", now=due + timedelta(minutes=1)).result == 1  # as the worker runs it
        assert warn_overdue(due + timedelta(minutes=2)) == 0
        (alert,) = db.session.scalars(select(Notification).where(Notification.kind == "follow_up_overdue")).all()
        assert (alert.user_id, alert.ticket_id) == (people.agent, ticket_id)


def test_finished_tickets_are_archived_after_the_waiting_time_but_not_with_a_follow_up_pending(loop_app, people):
    loop_app.config["FOLLOW_UP_SAMPLE_PERCENT"] = 0
    when = utcnow() - timedelta(days=8)
    waiting = resolved(loop_app, people, customer="plain", now=when)  # not sampled: nothing pending
    pending = resolved(loop_app, people, customer="vip", now=when)  # always followed up
    recent = resolved(loop_app, people, customer="plain")
    with loop_app.app_context():
        assert follow_up_of(waiting) is None and follow_up_of(pending).state == "pending"
        assert run_job("core.archive", now=utcnow()).result == 1
        assert archive_due(utcnow()) == 0
        states = {ticket_id: db.session.get(Ticket, ticket_id).status for ticket_id in (waiting, pending, recent)}
    assert states == {waiting: "closed", pending: "resolved", recent: "resolved"}
