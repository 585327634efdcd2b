"""With REDIS_URL set the scheduled jobs and the outside notifications go through RQ (a real redis-server):
the scheduler leases and queues the due jobs, the RQ workers run them and send each e-mail once, and two
workers at once still never send the same escalation twice."""
import signal
import time
from collections import Counter
from datetime import timedelta

import pytest
from rq import Queue
from sqlalchemy import func, select

from core import queue
from core.extensions import db
from core.models import JobLease, Notification, NotificationDelivery, Team, User, utcnow
from core.notifications import notify
from core.tickets.service import create_ticket
from core.worker import run_due_jobs
from tests.helpers import create_user
from tests.sla.conftest import add_policy
from tests.support.smtp import SmtpSink
from tests.support.worker import start_worker


@pytest.fixture
def sink():
    with SmtpSink() as server:
        yield server


def _overdue_tickets(app, count):
    """`count` tickets whose first response was due yesterday, in a team whose supervisor has an e-mail."""
    lead = create_user(app, "lead@example.cn", "supervisor", name="王主管", locale="zh")
    with app.app_context():
        add_policy(first_response_minutes=60, first_response_business=False)
        team = Team(name="客服一组", supervisor=db.session.get(User, lead))
        db.session.add(team)
        ids = [create_ticket(type_key="inquiry", title=f"逾期 {n}", team=team, now=utcnow() - timedelta(days=1)).id
               for n in range(count)]
        db.session.commit()
    return lead, ids


def test_jobs_and_deliveries_go_through_the_queue(make_app, redis_url, sink):
    app = make_app(REDIS_URL=redis_url, MAIL_SERVER=sink.host, MAIL_PORT=sink.port)
    lead, (ticket_id,) = _overdue_tickets(app, 1)
    with app.app_context():
        rq = Queue(queue.QUEUE, connection=queue.connection())
        outcomes = run_due_jobs()
        assert {o.state for o in outcomes} == {"queued"}
        assert outcomes[0].key == "core.sla_sweep" and outcomes[-1].key == "core.notifications"
        assert rq.count == len(outcomes) and db.session.scalar(select(func.count(Notification.id))) == 0  # nothing ran yet

        queue._worker().work(burst=True)  # runs both jobs, then the e-mail that the sweep's escalation queued
        assert rq.count == 0
        lease = db.session.get(JobLease, "core.sla_sweep")
        assert (lease.last_result, lease.leased_by, lease.runs) == (1, None, 1)
        assert db.session.scalars(select(NotificationDelivery.state)).all() == ["sent"]
        (mail,) = sink.wait_for(1)
        assert mail.rcpt_tos == ["lead@example.cn"] and f"#{ticket_id}" in mail.subject

        notify(db.session.get(User, lead), "assigned", by="李经理")
        db.session.rollback()  # a rolled-back notification queues nothing
        assert rq.count == 0
        notify(db.session.get(User, lead), "assigned", by="李经理")
        db.session.commit()
        assert rq.count == 1


def _wait(condition, timeout=120):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.2)


def test_two_rq_workers_never_send_the_same_escalation_twice(make_app, database_url, instance_path, redis_url,
                                                              sink):
    app = make_app()
    lead, ids = _overdue_tickets(app, 12)
    with app.app_context():
        db.engine.dispose()
    env = {"KEFU_REDIS_URL": redis_url, "KEFU_MAIL_SERVER": sink.host, "KEFU_MAIL_PORT": str(sink.port),
           "KEFU_WORKER_INTERVAL": "0.2"}
    workers = [start_worker(database_url, instance_path, "", "--interval", "0.2", **env) for _ in range(2)]
    try:
        def sweeps():
            with app.app_context():
                return db.session.scalar(select(JobLease.runs).where(JobLease.key == "core.sla_sweep")) or 0

        _wait(lambda: len(sink.messages) >= len(ids))
        settled = sweeps()
        _wait(lambda: sweeps() >= settled + 5)  # more rounds of both workers after the e-mails went out
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        outputs = [worker.communicate(timeout=120)[0] for worker in workers]
    assert [worker.returncode for worker in workers] == [0, 0], outputs
    assert all("RQ queue 'kefu'" in output for output in outputs), outputs
    subjects = Counter(message.subject for message in sink.messages)
    assert len(sink.messages) == len(ids) and set(subjects.values()) == {1}
    assert all(any(f"#{ticket_id} " in subject for subject in subjects) for ticket_id in ids)
    with app.app_context():
        escalations = Counter(db.session.execute(select(Notification.ticket_id, Notification.user_id)
                                                 .where(Notification.kind == "escalated")).all())
        assert escalations == {(ticket_id, lead): 1 for ticket_id in ids}
        assert set(db.session.scalars(select(NotificationDelivery.state))) == {"sent"}


def test_worker_once_with_redis_runs_the_queue_and_reports_each_job(make_app, database_url, instance_path,
                                                                     redis_url, sink):
    app = make_app()
    _lead, ids = _overdue_tickets(app, 3)
    with app.app_context():
        db.engine.dispose()
    worker = start_worker(database_url, instance_path, "", KEFU_REDIS_URL=redis_url, KEFU_MAIL_SERVER=sink.host,
                          KEFU_MAIL_PORT=str(sink.port))
    output = worker.communicate(timeout=120)[0]
    assert worker.returncode == 0, output
    assert "core.sla_sweep (SLA 巡检（预警、超时升级）): done, 3" in output
    assert "core.notifications (发送站外通知): done" in output
    assert len(sink.wait_for(len(ids))) == len(ids)  # sent by the same burst, right after the sweep committed
