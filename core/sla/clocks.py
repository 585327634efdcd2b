"""The clocks of a ticket: started, paused, resumed, met, re-evaluated. Every change is an "sla" TicketEvent on
the ticket's timeline (internal), written in the caller's transaction.

A clock keeps the time it has used (``consumed_seconds``) up to its last pause. On start and on resume its due
time is the remaining target added to that instant, in the team's service hours for business-time targets or
in plain time otherwise; ``explanation`` records the policy, the calendar, the pauses and the calendar's steps.
"""
from datetime import timedelta

from core.extensions import db
from core.models import SlaClock, TicketEvent
from core.sla.policies import matching_policy
from core.sla.service_hours import calendar_for

ACTIVE = ("running", "paused")


def clocks_of(ticket, kinds=None, states=ACTIVE):
    clocks = db.session.query(SlaClock).filter(SlaClock.ticket_id == ticket.id, SlaClock.state.in_(states))
    if kinds is not None:
        clocks = clocks.filter(SlaClock.kind.in_(kinds))
    return clocks.order_by(SlaClock.id).all()


def record(ticket, clock, what, now, **data):
    """An SLA event on the ticket's timeline: started, paused, resumed, at_risk, breached, met, …"""
    event = TicketEvent(ticket=ticket, kind="sla", actor=None, public=False, created_at=now,
                        data={"event": what, "target": clock.kind, "policy": clock.policy_name,
                              "due": clock.due_at.isoformat() if clock.due_at else None, **data})
    db.session.add(event)
    return event


class _Counter:
    """Adds and measures target time: in the team's service hours, or in plain time."""

    def __init__(self, clock, ticket):
        self.business = clock.business
        self.calendar, self.calendar_name = calendar_for(ticket.team_id) if clock.business else (None, None)

    def add(self, start, seconds):
        delta = timedelta(seconds=max(seconds, 0))
        return self.calendar.add_business_time(start, delta) if self.business else start + delta

    def between(self, a, b):
        return int((self.calendar.business_time_between(a, b) if self.business else max(b - a, timedelta(0)))
                   .total_seconds())

    def steps(self, start, seconds):
        if self.business:
            return self.calendar.explain(start, timedelta(seconds=max(seconds, 0)))
        return []

    def days(self, start, seconds):
        if self.business:
            return self.calendar.explain_days(start, timedelta(seconds=max(seconds, 0)))
        return []


def _schedule(clock, ticket, now):
    """Due and at-risk instants from ``now`` for the time the clock has left, and how they were computed."""
    counter = _Counter(clock, ticket)
    target = clock.target_minutes * 60
    remaining = target - clock.consumed_seconds
    clock.running_since = now
    clock.due_at = counter.add(now, remaining)
    clock.at_risk_at = counter.add(now, target * clock.at_risk_percent // 100 - clock.consumed_seconds)
    clock.calendar_name = counter.calendar_name
    clock.explanation = {
        "policy": clock.policy_name, "match": clock.explanation.get("match", {}) if clock.explanation else {},
        "target_minutes": clock.target_minutes, "business": clock.business, "calendar": counter.calendar_name,
        "started": clock.started_at.isoformat(), "counted_from": now.isoformat(),
        "consumed_seconds": clock.consumed_seconds, "paused_seconds": clock.paused_total_seconds,
        "remaining_seconds": remaining, "due": clock.due_at.isoformat(),
        "steps": counter.steps(now, remaining),  # in English, for logs and the API
        "days": counter.days(now, remaining),  # the same, as data for the ticket page in the reader's language
    }


def _apply_policy(clock, policy, target):
    clock.policy_id = policy.policy_id
    clock.policy_name = str(policy.name)
    clock.target_minutes = target.minutes
    clock.business = target.business
    clock.at_risk_percent = policy.at_risk_percent
    clock.manager_after_minutes = policy.manager_after_minutes
    clock.explanation = {"match": policy.describe_match()}


def start(ticket, kind, now, policy=None):
    """Start the ``kind`` clock if the ticket's policy sets that target and it is not already counting.
    A clock that finished before (the next response after an earlier one) starts over."""
    policy = policy or matching_policy(ticket)
    target = policy.targets.get(kind) if policy else None
    if target is None:
        return None
    clock = db.session.query(SlaClock).filter_by(ticket_id=ticket.id, kind=kind).one_or_none()
    if clock is not None and clock.state in ACTIVE:
        return clock
    if clock is None:
        clock = SlaClock(ticket_id=ticket.id, kind=kind)
        db.session.add(clock)
    _apply_policy(clock, policy, target)
    clock.state, clock.started_at, clock.consumed_seconds, clock.paused_at = "running", now, 0, None
    clock.paused_total_seconds, clock.completed_at, clock.escalated_level = 0, None, 0
    clock.at_risk_notified_at = clock.breached_notified_at = clock.escalated_at = None
    _schedule(clock, ticket, now)
    record(ticket, clock, "started", now)
    return clock


def pause(ticket, now):
    """Waiting for the customer: running clocks stop counting."""
    for clock in clocks_of(ticket, states=("running",)):
        clock.consumed_seconds += _Counter(clock, ticket).between(clock.running_since, now)
        clock.state, clock.paused_at = "paused", now
        record(ticket, clock, "paused", now)


def resume(ticket, now):
    """The customer answered (or work goes on): paused clocks count again, their due times moved by the pause."""
    for clock in clocks_of(ticket, states=("paused",)):
        clock.paused_total_seconds += int((now - clock.paused_at).total_seconds())
        clock.state, clock.paused_at = "running", None
        _schedule(clock, ticket, now)
        record(ticket, clock, "resumed", now, paused_seconds=clock.paused_total_seconds)


def complete(ticket, kinds, now):
    """The targets ``kinds`` are reached: met if on time, else kept as breached with the time it happened."""
    for clock in clocks_of(ticket, kinds, states=(*ACTIVE, "breached")):
        if clock.completed_at is not None:
            continue
        clock.completed_at = now
        if _late(clock, now):
            clock.state = "breached"
            record(ticket, clock, "completed_late", now)
        else:
            clock.state = "met"
            record(ticket, clock, "met", now)


def _late(clock, now):
    if clock.state == "paused":
        return clock.consumed_seconds > clock.target_minutes * 60
    return clock.state == "breached" or now > clock.due_at


def cancel(ticket, kinds, now):
    for clock in clocks_of(ticket, kinds):
        clock.state, clock.completed_at = "cancelled", now
        record(ticket, clock, "cancelled", now)


def reevaluate(ticket, now):
    """The ticket's type, priority, customer or team changed: every counting clock takes the target of the
    policy that now matches, keeping the time already used; a target the new policy lacks is cancelled."""
    policy = matching_policy(ticket)
    for clock in clocks_of(ticket):
        target = policy.targets.get(clock.kind) if policy else None
        if target is None:
            cancel(ticket, [clock.kind], now)
            continue
        before = (clock.policy_name, clock.target_minutes, clock.business, clock.due_at)
        if clock.state == "running":
            clock.consumed_seconds += _Counter(clock, ticket).between(clock.running_since, now)
        _apply_policy(clock, policy, target)
        if clock.state == "running":
            _schedule(clock, ticket, now)
            if clock.at_risk_at > now:
                clock.at_risk_notified_at = None  # a longer target: the warning may be due again later
        if (clock.policy_name, clock.target_minutes, clock.business, clock.due_at) != before:
            record(ticket, clock, "recomputed", now)
