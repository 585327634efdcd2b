"""The periodic SLA sweep: warns at risk, marks breaches and escalates (一线 → 主管 → 经理).

Each clock is handled in its own transaction that begins with a conditional UPDATE claiming it
(``… WHERE state = 'running' AND breached_notified_at IS NULL``); only the worker whose UPDATE changed the row
goes on to notify, so two workers never send the same warning or escalation. The claim, the notifications
(and their queued e-mails) and the timeline events commit together: a worker killed mid-sweep leaves the clock
unclaimed, and the next sweep does it once.
"""
import logging
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update

from core.extensions import db
from core.models import SlaClock, TicketEvent, utcnow
from core.notifications import notify
from core.sla.clocks import record
from core.tickets.assignment import escalation_contacts

log = logging.getLogger("kefu.sla")
BATCH = 500  # clocks per scan and sweep; the rest wait for the next sweep


@dataclass
class SweepResult:
    at_risk: int = 0
    breached: int = 0
    escalated: int = 0


def _claim(clock_id, conditions, values):
    statement = (update(SlaClock).where(SlaClock.id == clock_id, *conditions).values(**values)
                 .execution_options(synchronize_session=False))
    return db.session.execute(statement).rowcount == 1


def _each(clock_ids, handle, now):
    """Handle each clock in its own transaction; a failure rolls back that clock only (retried next sweep)."""
    done = 0
    for clock_id in clock_ids:
        try:
            done += handle(clock_id, now)
            db.session.commit()
        except Exception:  # one bad ticket must not stop the sweep of the others
            db.session.rollback()
            log.exception("SLA sweep: clock %s failed; the next sweep retries it", clock_id)
    return done


def _clock(clock_id):
    return db.session.get(SlaClock, clock_id, populate_existing=True)


def _warn(clock_id, now):
    if not _claim(clock_id, (SlaClock.state == "running", SlaClock.at_risk_notified_at.is_(None)),
                  {"at_risk_notified_at": now}):
        return False
    clock = _clock(clock_id)
    ticket = clock.ticket
    supervisor = ticket.team.supervisor if ticket.team is not None else None
    notify(ticket.assignee or supervisor, "sla_at_risk", ticket, target=clock.kind, due=clock.due_at.isoformat())
    record(ticket, clock, "at_risk", now)
    return True


def _escalate(ticket, clock, level, now):
    """Level 1 reaches the team's supervisor (the managers when the team has none), level 2 the managers."""
    reached = escalation_contacts(ticket, level)
    for person in reached:
        if person not in ticket.watchers:
            ticket.watchers.append(person)
        notify(person, "escalated", ticket, level=level, sla=clock.kind)
    ticket.escalation_level = max(ticket.escalation_level, level)
    db.session.add(TicketEvent(ticket=ticket, kind="escalate", actor=None, public=False, created_at=now,
                               data={"level": level, "to": [p.id for p in reached], "sla": clock.kind}))


def _breach(clock_id, now):
    if not _claim(clock_id, (SlaClock.state == "running", SlaClock.breached_notified_at.is_(None),
                             SlaClock.due_at <= now),
                  {"state": "breached", "breached_notified_at": now, "escalated_level": 1, "escalated_at": now}):
        return False
    clock = _clock(clock_id)
    record(clock.ticket, clock, "breached", now)
    _escalate(clock.ticket, clock, 1, now)
    current_app.extensions["kefu"].pm.hook.kefu_sla_breached(ticket=clock.ticket, clock=clock)
    return True


def _to_managers(clock_id, now):
    if not _claim(clock_id, (SlaClock.escalated_level == 1, SlaClock.completed_at.is_(None)),
                  {"escalated_level": 2, "escalated_at": now}):
        return False
    clock = _clock(clock_id)
    _escalate(clock.ticket, clock, 2, now)
    return True


def sweep_job(now):
    """The worker's scheduled job "core.sla_sweep": one sweep; returns how many clocks it handled."""
    result = sweep(now)
    if result.at_risk or result.breached or result.escalated:
        log.info("SLA sweep: at risk %s, breached %s, to managers %s", result.at_risk, result.breached,
                 result.escalated)
    return result.at_risk + result.breached + result.escalated


def sweep(now=None):
    """One pass over the clocks; safe to run in several workers at once."""
    now = now or utcnow()
    result = SweepResult()
    running = SlaClock.state == "running"
    result.breached = _each(db.session.scalars(
        select(SlaClock.id).where(running, SlaClock.breached_notified_at.is_(None), SlaClock.due_at <= now)
        .order_by(SlaClock.due_at).limit(BATCH)).all(), _breach, now)
    result.at_risk = _each(db.session.scalars(
        select(SlaClock.id).where(running, SlaClock.at_risk_notified_at.is_(None), SlaClock.at_risk_at <= now,
                                  SlaClock.due_at > now).order_by(SlaClock.at_risk_at).limit(BATCH)).all(), _warn, now)
    waiting = db.session.execute(
        select(SlaClock.id, SlaClock.escalated_at, SlaClock.manager_after_minutes)
        .where(SlaClock.state == "breached", SlaClock.escalated_level == 1, SlaClock.completed_at.is_(None),
               SlaClock.manager_after_minutes.is_not(None)).order_by(SlaClock.escalated_at).limit(BATCH)).all()
    due = [row.id for row in waiting if row.escalated_at + timedelta(minutes=row.manager_after_minutes) <= now]
    result.escalated = _each(due, _to_managers, now)
    db.session.commit()
    return result
