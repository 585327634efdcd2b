"""The sweep warns, marks breaches and escalates once; two workers at once, or a worker killed mid-sweep and
started again, never send the same escalation twice and lose none."""
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select

from core.extensions import db
from core.models import Notification, SlaClock, Team, TicketEvent, User, utcnow
from core.sla.sweep import sweep
from core.tickets.service import create_ticket
from core.worker import run_due_jobs
from tests.sla.conftest import add_policy, clock, sh, sla_events
from tests.support.worker import start_worker


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


def _each_escalated_once(app, ids, supervisor):
    with app.app_context():
        assert _escalations() == {(ticket_id, supervisor): 1 for ticket_id in ids}
        events = db.session.scalars(select(TicketEvent).where(TicketEvent.kind == "sla")).all()
        breaches = Counter(e.ticket_id for e in events if e.data["event"] == "breached")
        assert breaches == {ticket_id: 1 for ticket_id in ids}
        assert {c.state for c in db.session.scalars(select(SlaClock))} == {"breached"}


def _swept(output):
    """How many clocks a `kefu worker --once` handled in its SLA sweep: 0 when another worker held it, or had
    already run it (then it was not due, and the round does not list it)."""
    line = next((line for line in output.splitlines() if line.startswith("core.sla_sweep ")), "")
    return int(line.rpartition("done, ")[2]) if "done, " in line else 0


def test_two_workers_at_once_escalate_each_breach_once(app, staff, overdue, database_url, instance_path):
    workers = [start_worker(database_url, instance_path) for _ in range(2)]
    outputs = [worker.communicate(timeout=120)[0] for worker in workers]
    assert [worker.returncode for worker in workers] == [0, 0], outputs
    assert sum(_swept(output) for output in outputs) == len(overdue), outputs
    _each_escalated_once(app, overdue, staff["supervisor"])


def test_a_worker_killed_mid_sweep_loses_nothing_and_repeats_nothing(app, staff, overdue, database_url,
                                                                     instance_path):
    (instance_path / "config.py").write_text(
        "from tests.sla.kill_plugin import KillOnSecondBreach\n"
        "EXTRA_PLUGINS = [('killer', KillOnSecondBreach())]\n", encoding="utf-8")
    killed = start_worker(database_url, instance_path, plugins="killer")
    killed.communicate(timeout=120)
    assert killed.returncode == -9
    with app.app_context():
        assert sum(_escalations().values()) == 1  # the first breach committed, the second died with the process
        db.engine.dispose()

    restarted = start_worker(database_url, instance_path)  # takes over the dead worker's lease at once
    output = restarted.communicate(timeout=120)[0]
    assert restarted.returncode == 0 and _swept(output) == 11, output
    _each_escalated_once(app, overdue, staff["supervisor"])


def test_a_round_sweeps_then_delivers(app, staff):
    with app.app_context():
        add_policy(first_response_minutes=60, first_response_business=False)
        create_ticket(type_key="inquiry", title="逾期", team=db.session.get(Team, staff["team"]),
                      now=sh(2025, 3, 17, 9))
        db.session.commit()
        outcomes = run_due_jobs(now=sh(2025, 3, 18, 9))
        done = [(o.key, o.state, o.result) for o in outcomes if o.key in ("core.sla_sweep", "core.notifications")]
        assert done == [("core.sla_sweep", "done", 1), ("core.notifications", "done", 0)]  # no MAIL_SERVER: the bell only
        assert outcomes[0].key == "core.sla_sweep" and outcomes[-1].key == "core.notifications"
