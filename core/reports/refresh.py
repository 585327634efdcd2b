"""Keeps the reports' stored contributions and daily sums equal to what the tickets say.

Every flush that touches a ticket, its events, its SLA clocks, follow-ups, surveys or quality inspections, or a
customer's grade, writes a ReportDirty
row in the same transaction (one session listener sees every path: services, merges, admin edits, the SLA
sweep, events recorded late with an earlier time). The worker's report job (``refresh_pending``) then works
out those tickets' contributions again and applies the difference to the daily sums, in one transaction per
batch; ``rebuild`` does the same for every ticket (after a bulk import, or a change of the site's time zone).
"""
import time
from itertools import chain

from flask import current_app
from sqlalchemy import delete, event, func, insert, inspect, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from core.extensions import db
from core.models import (
    Customer,
    FollowUp,
    QualityInspection,
    SlaClock,
    Survey,
    Ticket,
    TicketEvent,
    TicketType,
    utcnow,
)
from core.models.report import (
    BACKLOG_DELTAS,
    COHORT_COUNTERS,
    ReportDaily,
    ReportDirty,
    ReportOpenSpan,
    ReportTicketFact,
)
from core.reports.facts import ClosedLoop, WorkflowShape, contributions, ticket_fact
from core.reports.kpis import site_timezone

BATCH = 500  # tickets per transaction of the report job
REBUILD_BATCH = 5000
DAILY_COLUMNS = COHORT_COUNTERS + BACKLOG_DELTAS
FACT_COLUMNS = tuple(column.key for column in ReportTicketFact.__table__.columns if column.key != "refreshed_at")

# --- Marking changed tickets ------------------------------------------------------------------------------


def _changed_ticket_ids(session):
    ids, customers = set(), []
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, Ticket):
            ids.add(obj.id)
        elif isinstance(obj, (TicketEvent, SlaClock, FollowUp, Survey, QualityInspection)):
            ids.add(obj.ticket_id)
        elif isinstance(obj, Customer) and obj in session.dirty and inspect(obj).attrs.grade.history.has_changes():
            customers.append(obj.id)
    ids.discard(None)
    return ids, customers


@event.listens_for(db.session, "after_flush")
def _mark_dirty(session, _flush_context):
    ids, customers = _changed_ticket_ids(session)
    connection = session.connection()
    if ids:
        connection.execute(insert(ReportDirty.__table__), [{"ticket_id": ticket_id} for ticket_id in sorted(ids)])
    if customers:  # a new grade moves every ticket of the customer to another row of the grade dimension
        their_tickets = select(Ticket.id).where(Ticket.customer_id.in_(customers))
        connection.execute(insert(ReportDirty.__table__).from_select(["ticket_id"], their_tickets))


# --- Working out contributions ---------------------------------------------------------------------------


def _shapes():
    registry = current_app.extensions["kefu"].registry
    shapes = {key: WorkflowShape(registry.workflows.get(spec.workflow)) for key, spec in registry.ticket_types.items()}
    return lambda type_key: shapes.get(type_key) or WorkflowShape()


def _tickets(condition):
    query = (select(Ticket.id, TicketType.key.label("type_key"), Ticket.status, Ticket.status_category,
                    Ticket.category, Ticket.channel, Ticket.team_id, Ticket.assignee_id.label("agent_id"),
                    Customer.grade, Ticket.merged_into_id, Ticket.created_at, Ticket.updated_at,
                    Ticket.first_response_at, Ticket.resolved_at, Ticket.closed_at)
             .join(TicketType, TicketType.id == Ticket.type_id).outerjoin(Customer, Customer.id == Ticket.customer_id)
             .where(condition(Ticket.id)))
    return [row._asdict() for row in db.session.execute(query)]


def _grouped(query):
    grouped = {}
    for ticket_id, *rest in db.session.execute(query):
        grouped.setdefault(ticket_id, []).append(tuple(rest))
    return grouped


def _steps(condition):
    query = (select(TicketEvent.ticket_id, TicketEvent.created_at, TicketEvent.data)
             .where(condition(TicketEvent.ticket_id), TicketEvent.kind == "transition")
             .order_by(TicketEvent.ticket_id, TicketEvent.created_at, TicketEvent.id))
    return {ticket_id: [(at, (data or {}).get("to")) for at, data in rows] for ticket_id, rows in _grouped(query).items()}


def _closed_loops(condition):
    surveys = _grouped(select(Survey.ticket_id, Survey.answered_at, Survey.quality, Survey.attitude, Survey.speed)
                       .where(condition(Survey.ticket_id), Survey.state == "answered"))
    follow_ups = _grouped(select(FollowUp.ticket_id, FollowUp.created_at)
                          .where(condition(FollowUp.ticket_id), FollowUp.state == "done"))
    inspections = _grouped(select(QualityInspection.ticket_id, QualityInspection.score)
                           .where(condition(QualityInspection.ticket_id), QualityInspection.state == "done",
                                  QualityInspection.score.is_not(None)))
    return {ticket_id: ClosedLoop(surveys.get(ticket_id, ()), [created for (created,) in follow_ups.get(ticket_id, ())],
                                  [score for (score,) in inspections.get(ticket_id, ())])
            for ticket_id in set(surveys) | set(follow_ups) | set(inspections)}


def _stored(condition):
    facts = db.session.execute(select(*(ReportTicketFact.__table__.c[key] for key in FACT_COLUMNS))
                               .where(condition(ReportTicketFact.ticket_id)).with_for_update())
    spans = _grouped(select(ReportOpenSpan.ticket_id, ReportOpenSpan.opened_at, ReportOpenSpan.closed_at)
                     .where(condition(ReportOpenSpan.ticket_id)).order_by(ReportOpenSpan.id))
    return {row.ticket_id: (row._asdict(), spans.get(row.ticket_id, [])) for row in facts}


def _upsert_daily(deltas):
    rows = []
    for (day, dimension, value), columns in sorted(deltas.items()):
        if any(columns.values()):
            rows.append({"day": day, "dimension": dimension, "value": value,
                         **{column: columns.get(column, 0) for column in DAILY_COLUMNS}})
    if not rows:
        return
    dialect_insert = postgresql_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    statement = dialect_insert(ReportDaily.__table__)
    table = ReportDaily.__table__.c
    statement = statement.on_conflict_do_update(
        index_elements=["day", "dimension", "value"],
        set_={column: table[column] + statement.excluded[column] for column in DAILY_COLUMNS})
    db.session.execute(statement, rows)


def _refresh(condition, now):
    """Work out the contributions of the tickets ``condition`` selects again and apply the differences.
    Returns how many stored contributions changed. The caller commits."""
    zone, shape_of = site_timezone(), _shapes()
    tickets, steps, stored = _tickets(condition), _steps(condition), _stored(condition)
    clocks = _grouped(select(SlaClock.ticket_id, SlaClock.kind, SlaClock.state).where(condition(SlaClock.ticket_id)))
    loops = _closed_loops(condition)
    deltas, changed, new_facts, new_spans = {}, [], [], []
    fresh = {}
    for ticket in tickets:
        fresh[ticket["id"]] = ticket_fact(ticket, steps.get(ticket["id"], []), clocks.get(ticket["id"], []),
                                          shape_of(ticket["type_key"]), loops.get(ticket["id"]))
    for ticket_id in set(fresh) | set(stored):
        before, after = stored.get(ticket_id), fresh.get(ticket_id)
        if before == after:
            continue
        changed.append(ticket_id)
        if before is not None:
            contributions(*before, zone, deltas, sign=-1)
        if after is not None:
            contributions(*after, zone, deltas)
            new_facts.append({**after[0], "refreshed_at": now})
            new_spans += [{"ticket_id": ticket_id, "opened_at": a, "closed_at": b} for a, b in after[1]]
    if changed:
        for table in (ReportTicketFact.__table__, ReportOpenSpan.__table__):
            db.session.execute(delete(table).where(table.c.ticket_id.in_(changed)))
        if new_facts:
            db.session.execute(insert(ReportTicketFact.__table__), new_facts)
        if new_spans:
            db.session.execute(insert(ReportOpenSpan.__table__), new_spans)
        _upsert_daily(deltas)
    return len(changed)


def refresh_tickets(ticket_ids, now=None):
    """Count these tickets again (in the caller's transaction)."""
    ids = sorted(set(ticket_ids))
    return _refresh(lambda column: column.in_(ids), now or utcnow()) if ids else 0


def refresh_pending(now=None, max_seconds=20.0, batch=BATCH):
    """The report job: count the marked tickets again, a batch per transaction, for up to ``max_seconds``.
    Returns how many contributions changed. Markers written while a batch runs stay for the next round."""
    now, started, changed = now or utcnow(), time.monotonic(), 0
    while time.monotonic() - started < max_seconds:
        markers = db.session.execute(select(ReportDirty.id, ReportDirty.ticket_id)
                                     .order_by(ReportDirty.id).limit(batch * 4)).all()
        if not markers:
            break
        ids = sorted({ticket_id for _id, ticket_id in markers})[:batch]
        last = max(marker_id for marker_id, ticket_id in markers if ticket_id in set(ids))
        db.session.execute(delete(ReportDirty.__table__).where(ReportDirty.ticket_id.in_(ids), ReportDirty.id <= last))
        changed += refresh_tickets(ids, now)
        db.session.commit()
    return changed


def refresh_range(first_id, last_id, now=None, batch=REBUILD_BATCH, progress=None):
    """Count the tickets with ids from ``first_id`` to ``last_id`` again, a batch per transaction."""
    now, changed = now or utcnow(), 0
    for low in range(first_id, last_id + 1, batch):
        high = min(low + batch - 1, last_id)
        changed += _refresh(lambda column, low=low, high=high: column.between(low, high), now)
        db.session.commit()
        if progress:
            progress(high)
    return changed


def rebuild(progress=None):
    """Throw the stored contributions away and count every ticket again."""
    last_marker = db.session.scalar(select(func.max(ReportDirty.id))) or 0
    for model in (ReportTicketFact, ReportOpenSpan, ReportDaily):
        db.session.execute(delete(model.__table__))
    db.session.execute(delete(ReportDirty.__table__).where(ReportDirty.id <= last_marker))
    db.session.commit()
    last = db.session.scalar(select(func.max(Ticket.id)))
    return refresh_range(1, last, progress=progress) if last else 0
