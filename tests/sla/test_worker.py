"""The sweep warns, marks breaches and escalates once; two workers at once, or a worker killed mid-sweep and
started again, never send the same escalation twice and lose none."""
import os
import subprocess
import sys
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select

from core.extensions import db
from core.models import Notification, SlaClock, Team, TicketEvent, User, utcnow
from core.sla.sweep import sweep
from core.tickets.service import create_ticket
from core.worker import run_once
from tests.sla.conftest import add_policy, clock, sh, sla_events

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _escalations(kind="escalated"):
    rows = db.session.execute(select(Notification.ticket_id, Notification.user_id).where(Notification.kind == kind))
    return Counter(rows.all())


def test_at_risk_then_breach_then_managers(app, staff):
    with app.app_context():
        add_policy(first_response_minutes=100, first_response_business=False, manager_after_minutes=60)
        team = db.session.get(Team, staff["team"])
        ticket = create_ticket(type_key="inquiry", title="电梯异响", team=team,
                               assignee=db.session.get(User, staff["agent"]), now=sh(2025, 3, 17, 9))
        db.session.commit()
        assert clock(ticket, "first_response").at_risk_at == sh(2025, 3, 17, 10, 20)  # 80 % of 100 minutes

        assert sweep(now=sh(2025, 3, 17, 10, 19)).at_risk == 0
        assert sweep(now=sh(2025, 3, 17, 10, 20)).at_risk == 1
        assert sweep(now=sh(2025, 3, 17, 10, 30)).at_risk == 0  # warned once
        assert _escalations("sla_at_risk") == {(ticket.id, staff["agent"]): 1}

        result = sweep(now=sh(2025, 3, 17, 10, 40))
        assert (result.breached, result.escalated) == (1, 0)
        assert _escalations() == {(ticket.id, staff["supervisor"]): 1}
        assert sweep(now=sh(2025, 3, 17, 11, 39)).escalated == 0
        assert sweep(now=sh(2025, 3, 17, 11, 40)).escalated == 1
        assert sweep(now=sh(2025, 3, 17, 12)).escalated == 0
        assert _escalations() == {(ticket.id, staff["supervisor"]): 1, (ticket.id, staff["manager"]): 1}

        db.session.refresh(ticket)
        assert ticket.escalation_level == 2
        assert {staff["supervisor"], staff["manager"]} <= {user.id for user in ticket.watchers}
        assert sla_events(ticket) == [("started", "first_response"), ("at_risk", "first_response"),
                                      ("breached", "first_response")]
        assert [e.data["level"] for e in ticket.events if e.kind == "escalate"] == [1, 2]


def test_a_ticket_answered_in_time_is_not_escalated(app, staff):
    with app.app_context():
        add_policy(first_response_minutes=60, first_response_business=False)
        ticket = create_ticket(type_key="inquiry", title="已答复", now=sh(2025, 3, 17, 9))
        from core.tickets.service import add_comment

        add_comment(ticket, actor=db.session.get(User, staff["agent"]), body="您好", public=True,
                    now=sh(2025, 3, 17, 9, 30))
        db.session.commit()
        assert sweep(now=sh(2025, 3, 18, 9)).breached == 0
        assert clock(ticket, "first_response").state == "met"


@pytest.fixture
def overdue(app, staff):
    """Twelve tickets whose first response was due yesterday; the team has a supervisor."""
    with app.app_context():
        add_policy(first_response_minutes=60, first_response_business=False)
        team = db.session.get(Team, staff["team"])
        ids = [create_ticket(type_key="inquiry", title=f"逾期 {n}", team=team, now=utcnow() - timedelta(days=1)).id
               for n in range(12)]
        db.session.commit()
        db.engine.dispose()  # the workers below are other processes
    return ids


def _worker(database_url, instance_path, plugins=""):
    env = {**os.environ, "KEFU_INSTANCE_PATH": str(instance_path), "KEFU_SQLALCHEMY_DATABASE_URI": database_url,
           "KEFU_PLUGINS": plugins, "KEFU_SECRET_KEY": "test", "PYTHONPATH": ROOT}
    return subprocess.Popen([os.path.join(os.path.dirname(sys.executable), "kefu"), "worker", "--once"], env=env,
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _each_escalated_once(app, ids, supervisor):
    with app.app_context():
        assert _escalations() == {(ticket_id, supervisor): 1 for ticket_id in ids}
        events = db.session.scalars(select(TicketEvent).where(TicketEvent.kind == "sla")).all()
        breaches = Counter(e.ticket_id for e in events if e.data["event"] == "breached")
        assert breaches == {ticket_id: 1 for ticket_id in ids}
        assert {c.state for c in db.session.scalars(select(SlaClock))} == {"breached"}


def test_two_workers_at_once_escalate_each_breach_once(app, staff, overdue, database_url, instance_path):
    workers = [_worker(database_url, instance_path) for _ in range(2)]
    outputs = [worker.communicate(timeout=120)[0] for worker in workers]
    assert [worker.returncode for worker in workers] == [0, 0], outputs
    claimed = [int(output.split("breached: ")[1].split(",")[0]) for output in outputs]
    assert sum(claimed) == len(overdue)
    _each_escalated_once(app, overdue, staff["supervisor"])


def test_a_worker_killed_mid_sweep_loses_nothing_and_repeats_nothing(app, staff, overdue, database_url,
                                                                     instance_path):
    (instance_path / "config.py").write_text(
        "from tests.sla.kill_plugin import KillOnSecondBreach\n"
        "EXTRA_PLUGINS = [('killer', KillOnSecondBreach())]\n", encoding="utf-8")
    killed = _worker(database_url, instance_path, plugins="killer")
    killed.communicate(timeout=120)
    assert killed.returncode == -9
    with app.app_context():
        assert sum(_escalations().values()) == 1  # the first breach committed, the second died with the process
        db.engine.dispose()

    restarted = _worker(database_url, instance_path)
    output = restarted.communicate(timeout=120)[0]
    assert restarted.returncode == 0 and "breached: 11," in output, output
    _each_escalated_once(app, overdue, staff["supervisor"])


def test_run_once_sweeps_and_delivers(app, staff):
    with app.app_context():
        add_policy(first_response_minutes=60, first_response_business=False)
        create_ticket(type_key="inquiry", title="逾期", team=db.session.get(Team, staff["team"]),
                      now=sh(2025, 3, 17, 9))
        db.session.commit()
        result, sent = run_once(now=sh(2025, 3, 18, 9))
        assert (result.breached, sent) == (1, 0)  # no MAIL_SERVER: the bell only
