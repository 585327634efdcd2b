"""The stored contributions follow every change (late events, reassignment, a customer's new grade) and always
equal a rebuild from scratch."""
from sqlalchemy import func, select

from core.extensions import db
from core.models import Customer, ReportDaily, ReportDirty, Ticket, User
from core.reports.kpis import Period, Scope
from core.reports.refresh import rebuild, refresh_pending
from core.tickets.assignment import assign
from core.tickets.service import create_ticket
from core.workflow.engine import transition
from tests.reports.conftest import sh, walk


def daily_rows():
    rows = db.session.execute(select(ReportDaily)).scalars()
    return {(r.day, r.dimension, r.value): tuple(getattr(r, c.key) for c in ReportDaily.__table__.columns)
            for r in rows if any(getattr(r, c.key) for c in ReportDaily.__table__.columns[3:])}


def kpi(key, period=None, scope=None):
    from flask import current_app

    return current_app.extensions["kefu"].registry.kpis[key].compute(period or Period.month(2025, 3), scope or Scope())


def test_every_change_leaves_a_marker_in_its_own_transaction(app, people):
    with app.app_context():
        ticket = create_ticket(type_key="inquiry", title="咨询", now=sh(2025, 3, 2, 9))
        db.session.rollback()  # nothing was committed: no ticket, no marker
        assert db.session.scalar(select(func.count(ReportDirty.id))) == 0
        ticket = create_ticket(type_key="inquiry", title="咨询", now=sh(2025, 3, 2, 9))
        db.session.commit()
        assert set(db.session.scalars(select(ReportDirty.ticket_id))) == {ticket.id}
        assert kpi("received").value == 0  # not counted until the report job runs
        assert refresh_pending() == 1 and refresh_pending() == 0
        assert db.session.scalar(select(func.count(ReportDirty.id))) == 0
        assert kpi("received").value == 1


def test_a_late_event_corrects_the_past(app, march):
    """T5 turns out to have been resolved on 20 March; the agent records it in April with that time."""
    with app.app_context():
        before = daily_rows()
        t5, lead = db.session.get(Ticket, march["t5"]), db.session.get(User, march["lead"])
        assign(t5, actor=lead, assignee=lead, now=sh(2025, 3, 20, 9))
        walk(t5, lead, lead, [(sh(2025, 3, 20, 9), "triage", ""), (sh(2025, 3, 20, 9, 1), "assign", ""),
                              (sh(2025, 3, 20, 9, 2), "start", ""), (sh(2025, 3, 20, 10), "resolve", "已解决")])
        db.session.commit()
        refresh_pending()
        assert kpi("backlog").value == 2  # T3 and T7
        assert kpi("resolution_rate").value == 4 * 100 / 6
        assert kpi("first_response_p90").value == 27930.0  # T5 answered with the resolution, 19 days 9.5 hours on
        assert kpi("backlog", Period.day(sh(2025, 3, 19).date())).value == 2  # T5 was still open then (and T3)
        assert kpi("backlog", Period.day(sh(2025, 3, 20).date())).value == 1
        after = daily_rows()
        assert after != before
        rebuild()
        assert daily_rows() == after


def test_reassignment_and_a_new_customer_grade_move_the_tickets(app, march):
    with app.app_context():
        t2 = db.session.get(Ticket, march["t2"])
        assign(t2, actor=db.session.get(User, march["lead"]), assignee=db.session.get(User, march["b"]),
               now=sh(2025, 4, 10, 9))
        db.session.get(Customer, march["key_customer"]).grade = "strategic"  # T1 and T3
        db.session.commit()
        refresh_pending()
        assert kpi("received", scope=Scope(agent_id=march["a"])).value == 1
        assert kpi("received", scope=Scope(agent_id=march["b"])).value == 3
        assert kpi("received", scope=Scope(customer_grade="key")).value == 0
        assert kpi("received", scope=Scope(customer_grade="strategic")).value == 2
        after = daily_rows()
        rebuild()
        assert daily_rows() == after


def test_the_report_job_is_idempotent(app, march):
    with app.app_context():
        rows = daily_rows()
        t1 = db.session.get(Ticket, march["t1"])
        db.session.add_all([ReportDirty(ticket_id=t1.id), ReportDirty(ticket_id=t1.id)])
        db.session.commit()
        assert refresh_pending() == 0  # counted again, nothing changed
        assert daily_rows() == rows


def test_work_in_a_plugin_workflow_without_a_resolved_state_counts_as_resolved_when_done(plugin_app):
    from tests.helpers import create_user

    runner = create_user(plugin_app, "runner@example.cn", "example_runner")
    with plugin_app.app_context():
        chase = create_ticket(type_key="example_chase", title="8号台催菜", fields={"table": 8}, now=sh(2025, 3, 2, 12))
        transition(chase, "finish", actor=db.session.get(User, runner), now=sh(2025, 3, 2, 12, 10))
        create_ticket(type_key="example_chase", title="9号台催菜", fields={"table": 9}, now=sh(2025, 3, 2, 12))
        db.session.commit()
        refresh_pending()
        assert kpi("resolution_rate").value == 50.0
        assert kpi("backlog", Period.day(sh(2025, 3, 2).date())).value == 1
