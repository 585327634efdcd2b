"""A ticket's contribution to the measures, worked out from the ticket, its workflow steps and its SLA clocks.

Pure functions over plain values, so that one ticket (after a change) and a million (a rebuild) go the same way:
``ticket_fact`` gives the ticket's counters and the spans of time it was open; ``contributions`` spreads them
over the daily sums: the counters on the (local) day the ticket was received, for each of its dimensions, and
the changes of the backlog and of its ageing on the days they happen.
"""
from datetime import timedelta

from core.models.report import AGE_THRESHOLDS, COHORT_COUNTERS, NONE_VALUE, SATISFIED_SCORE
from core.workflow.spec import ACTIVE_CATEGORIES

DONE_CATEGORIES = ("resolved", "closed")
FACT_DIMENSIONS = ("type_key", "category", "channel", "team_id", "agent_id", "grade")


class WorkflowShape:
    """The categories of a workflow's states, and what counts as resolving a ticket in it: reaching a resolved
    state; in a workflow without resolved states (open → done), reaching a closed one."""

    def __init__(self, spec=None):
        self.categories = {state.key: state.category for state in spec.states} if spec else {}
        self.initial = spec.initial if spec else None
        self.has_resolved = "resolved" in self.categories.values() if spec else True

    def category(self, state, fallback="open"):
        return self.categories.get(state, fallback)

    def resolves(self, category):
        return category == "resolved" or (category == "closed" and not self.has_resolved)


def _spans_and_history(ticket, steps, shape):
    """Walk the workflow steps in order: the open spans, whether it was ever resolved, whether it was reopened."""
    category = shape.category(shape.initial) if shape.initial else "open"
    opened = ticket["created_at"] if category in ACTIVE_CATEGORIES else None
    spans, ever_resolved, reopened = [], shape.resolves(category), False
    for at, state in steps:
        fallback = ticket["status_category"] if state == ticket["status"] else "open"
        target = shape.category(state, fallback)
        if target in ACTIVE_CATEGORIES:
            if opened is None:
                opened = at
                reopened = reopened or (ever_resolved and category in DONE_CATEGORIES)
        elif opened is not None:
            spans.append((opened, at))
            opened = None
        ever_resolved = ever_resolved or shape.resolves(target)
        category = target
    if opened is not None:
        if ticket["status_category"] in ACTIVE_CATEGORIES:
            spans.append((opened, None))
        else:  # left the open states without a recorded step
            spans.append((opened, ticket["closed_at"] or ticket["resolved_at"] or ticket["updated_at"]))
    return [(a, b) for a, b in spans if b is None or b > a], ever_resolved, reopened


class ClosedLoop:
    """What the closed loop recorded for one ticket: its answered surveys' (answered_at, scores…), the moments
    its done follow-ups were created (at a resolution), and its scored quality inspections' scores."""

    def __init__(self, surveys=(), follow_ups=(), inspections=()):
        self.surveys, self.follow_ups, self.inspections = list(surveys), list(follow_ups), list(inspections)


def _closed_loop_counters(loop, resolved, resolved_at, complaint):
    counters = {}
    if loop.surveys:  # the latest answer is the customer's word on the request as it stands
        _answered_at, *scores = max(loop.surveys, key=lambda survey: survey[0])
        counters.update(surveyed=1, satisfied=int(min(scores) >= SATISFIED_SCORE))
    # A follow-up belongs to the resolution it was created at; one done before a reopening is not this one's.
    followed_up = resolved and any(resolved_at is None or created >= resolved_at for created in loop.follow_ups)
    counters.update(followed_up=int(followed_up), complaints_followed_up=int(followed_up and complaint))
    if loop.inspections:
        counters.update(inspected=len(loop.inspections),
                        quality_points=sum(round(score * 100) for score in loop.inspections))
    return counters


def ticket_fact(ticket, steps, clocks, shape, loop=None):
    """(fact, spans) for one ticket.

    ``ticket``: a mapping of the ticket's columns (with ``type_key`` and the customer's ``grade``); ``steps``:
    (moment, target state) of its transitions in order; ``clocks``: (kind, state) of its SLA clocks; ``loop``:
    its ClosedLoop. A ticket merged into another counts nowhere: its request is counted once, in the ticket it
    was merged into.
    """
    fact = {key: ticket[key] for key in FACT_DIMENSIONS}
    fact.update(ticket_id=ticket["id"], created_at=ticket["created_at"], first_response_seconds=None)
    fact.update(dict.fromkeys(COHORT_COUNTERS, 0))
    if ticket["merged_into_id"] is not None:
        return fact, []
    spans, ever_resolved, reopened = _spans_and_history(ticket, steps, shape)
    category = ticket["status_category"]
    resolved = category == "resolved" or (category == "closed" and (ticket["resolved_at"] is not None
                                                                    or not shape.has_resolved))
    complaint = ticket["category"] == "complaint"
    fact.update(received=1, complaints=int(complaint), resolved=int(resolved),
                complaints_resolved=int(complaint and resolved), ever_resolved=int(ever_resolved),
                reopened=int(reopened))
    fact.update(_closed_loop_counters(loop or ClosedLoop(), resolved, ticket["resolved_at"], complaint))
    if ticket["first_response_at"] is not None:
        fact["responded"] = 1
        fact["first_response_seconds"] = max(0, int((ticket["first_response_at"] - ticket["created_at"]).total_seconds()))
    for kind, state in clocks:
        decided, met = state in ("met", "breached"), state == "met"
        fact["sla_decided"] += decided
        fact["sla_met"] += met
        if kind == "resolution":
            fact["resolution_decided"] += decided
            fact["resolution_met"] += met
    return fact, spans


def dimension_values(fact):
    """The (dimension, value) pairs of the daily sums a ticket counts in."""
    def text(value):
        return NONE_VALUE if value is None or value == "" else str(value)

    return (("all", ""), ("agent", text(fact["agent_id"])), ("team", text(fact["team_id"])),
            ("type", text(fact["type_key"])), ("category", text(fact["category"])),
            ("channel", text(fact["channel"])), ("grade", text(fact["grade"])))


def backlog_changes(created_at, spans):
    """(moment, column, +1/-1): the ticket joins the backlog when a span opens and leaves it when the span
    closes; it counts as older than N days from N days after it was received, while the span lasts."""
    changes = []
    for opened, closed in spans:
        for column, days in (("backlog", 0), *AGE_THRESHOLDS.items()):
            start = max(opened, created_at + timedelta(days=days))
            if closed is not None and start >= closed:
                continue
            changes.append((start, column, 1))
            if closed is not None:
                changes.append((closed, column, -1))
    return changes


def contributions(fact, spans, zone, into=None, sign=1):
    """Add ``sign`` × the ticket's contribution to ``into``: {(day, dimension, value): {column: n}}."""
    into = {} if into is None else into
    counters = [(column, fact[column]) for column in COHORT_COUNTERS if fact[column]]
    received_day = fact["created_at"].astimezone(zone).date()
    changes = [(moment.astimezone(zone).date(), column, n) for moment, column, n in
               backlog_changes(fact["created_at"], spans)]
    for dimension, value in dimension_values(fact):
        if counters:
            bucket = into.setdefault((received_day, dimension, value), {})
            for column, n in counters:
                bucket[column] = bucket.get(column, 0) + sign * n
        for day, column, n in changes:
            bucket = into.setdefault((day, dimension, value), {})
            bucket[column] = bucket.get(column, 0) + sign * n
    return into
