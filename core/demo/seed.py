"""`kefu seed`: a fast bulk generator of realistic tickets, for load tests and for trying a large desk.

Customers, then tickets of every ticket type of the core and the enabled plugins, each walked along its
type's workflow the way the engine records it: the `created` event, assignments, replies, internal notes
and transitions, with the ticket's status, status category, `active` flag and timestamps (updated,
first response, resolved, closed) set exactly as the services would have set them. Tickets are spread
over the last twelve months, busier in office hours; old ones are mostly closed, recent ones often open.

Rows go in through SQLAlchemy Core executemany, one transaction per batch of tickets. Ids are allocated
here after reading max(id), so run it while the site is quiet. Running it again appends.
"""
import math
import random
import time
from bisect import bisect_right
from datetime import date, datetime, timedelta, timezone

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, insert, select, text

from core.database import refresh_planner_statistics
from core.demo.corpus import CATEGORIES, INDUSTRIES, Corpus
from core.extensions import db
from core.models import (
    Customer,
    Role,
    Tag,
    Team,
    Ticket,
    TicketEvent,
    TicketType,
    User,
    team_members,
    ticket_tags,
    user_roles,
    utcnow,
)
from core.reports.refresh import refresh_range
from core.sanitize import clean_html
from core.workflow.spec import ACTIVE_CATEGORIES

BATCH_SIZE = 5000  # tickets per transaction
EVENT_CHUNK = 20000  # rows per executemany
DAYS = 365
CUSTOMERS_PER_TICKET = 0.2
REPORT_SECONDS = 2

# Weights (percent-like); each becomes a draw table of repeated keys, picked with one random index.
CHANNEL_WEIGHTS = {"phone": 38, "wechat": 18, "web": 14, "email": 8, "walk_in": 8, "sms": 5, "api": 9}
STAFF_CHANNELS = {"phone", "walk_in"}  # an agent types these in; the others arrive without an actor
PRIORITY_WEIGHTS = {"urgent": 5, "high": 15, "normal": 65, "low": 15}
GRADE_WEIGHTS = {"strategic": 2, "key": 8, "ordinary": 90}
TYPE_WEIGHTS = {"inquiry": 22, "query": 15, "complaint": 15, "repair": 25, "suggestion": 6,
                "service_request": 12, "urgent": 5}  # by the type's category; other types weigh 10
TAGS = ("VIP", "回访", "加急", "重复投诉", "上门服务", "夜间", "English", "媒体关注", "退费", "批量故障",
        "表扬", "待回电")
# Tickets per hour of the day, Beijing time.
HOURLY = (1, 1, 1, 1, 1, 2, 3, 6, 9, 10, 10, 9, 6, 7, 9, 9, 8, 7, 5, 5, 5, 4, 3, 2)
LOCAL_OFFSET = 8 * 3600

# The walk along the workflow.
MAX_STEPS = 12
P_REOPEN = 0.03  # a closed ticket is opened again
P_LEFT_RESOLVED = 0.08  # a resolved ticket waits for closing (per resolved state passed)
P_STALL, P_STALL_RECENT, STALL_DAYS = 0.03, 0.4, 30  # tickets still open; more of them among recent ones
P_STALL_STOP = {"open": 0.4, "pending": 0.8}  # a stalled ticket stops at each state with this chance
P_FIRST_REPLY = 0.75  # the assignee answers the customer before the next step
P_REPLY, P_NOTE, P_REASSIGN = 0.06, 0.08, 0.03
P_ROUTED = 0.85  # tickets of a workflow without an assigning step are routed to an agent on creation
P_TEAM_ONLY = 0.1  # an unassigned ticket already sits in a team's queue
P_CUSTOMER = 0.95
P_TAG, P_SECOND_TAG = 0.15, 0.25
# Mean minutes before the next step: dispatching a new ticket, work, the customer's answer, closing.
MEAN_DISPATCH, MEAN_WORK, MEAN_CUSTOMER, MEAN_CLOSE = 60, 240, 1440, 2880


class SeedError(Exception):
    """The database cannot be seeded; the message tells the operator what to do."""


def _draw_table(weights):
    return tuple(key for key, weight in weights.items() for _ in range(weight))


def _cumulative(weights):
    total, out = 0.0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out


_HOURLY_CDF = [0.0] + [c / sum(HOURLY) for c in _cumulative(HOURLY)]


def _office_hours(ts):
    """Move a uniformly spread moment within its (Beijing) day so that the day has HOURLY's shape; the
    order of moments is kept."""
    local = ts + LOCAL_OFFSET
    day = local - local % 86400
    fraction = (local - day) / 86400
    hour = min(bisect_right(_HOURLY_CDF, fraction) - 1, 23)
    within = (fraction - _HOURLY_CDF[hour]) / (_HOURLY_CDF[hour + 1] - _HOURLY_CDF[hour])
    return day + (hour + within) * 3600 - LOCAL_OFFSET


def _step_weight(source, target):
    """How likely a transition is, from the categories it connects: work moves forward; reopening,
    rejecting and waiting are the exceptions."""
    if target in ACTIVE_CATEGORIES and source not in ACTIVE_CATEGORIES:
        return 0.1
    if source in ACTIVE_CATEGORIES and target == "closed":
        return 0.06
    if target == "pending":
        return 0.3
    if target == source and target not in ACTIVE_CATEGORIES:
        return 0.5
    return 1.0


class _Flow:
    """A workflow compiled for the walk: per state, its transitions with cumulative weights."""

    def __init__(self, spec):
        self.initial = spec.initial
        self.category = {state.key: state.category for state in spec.states}
        self.steps = {}
        for state in spec.states:
            options = [(t.key, t.target, self.category[t.target], "comment" in t.requires, "assignee" in t.requires)
                       for t in spec.transitions_from(state.key)]
            weights = _cumulative(_step_weight(state.category, option[2]) for option in options)
            self.steps[state.key] = (options, weights)
        self.assigns = any("assignee" in t.requires for t in spec.transitions)

    def pick(self, state, r):
        options, weights = self.steps[state]
        x = r() * weights[-1]
        for option, bound in zip(options, weights, strict=True):
            if x < bound:
                return option
        return options[-1]


class _Type:
    def __init__(self, row_id, spec, owner, flow):
        self.id = row_id
        self.spec = spec
        self.flow = flow
        self.category = spec.category
        self.corpus_category = spec.category if spec.category in CATEGORIES else None
        self.industry = owner if owner in INDUSTRIES else None


def _field_value(field, r, corpus, created):
    kind = field.type
    if kind in ("text", "textarea"):
        return corpus.note_text()[: field.max_length]
    if kind in ("integer", "decimal"):
        low = field.min_value if field.min_value is not None else 1
        high = field.max_value if field.max_value is not None else max(low, 1) * 100
        value = low + r() * (high - low)
        return int(value) if kind == "integer" else f"{value:.2f}"
    if kind == "date":
        return created.date().isoformat()
    if kind == "datetime":
        return created.replace(microsecond=0, tzinfo=None).isoformat()
    if kind == "boolean":
        return r() < 0.5
    values = [choice.value for choice in field.choices]
    if kind == "choice":
        return values[int(r() * len(values))]
    return [value for value in values if r() < 0.5] or values[:1]


def _ticket_fields(spec, r, corpus, created):
    return {field.key: _field_value(field, r, corpus, created)
            for field in spec.fields if field.required or r() < 0.5}


def _utc(ts):
    return datetime.fromtimestamp(ts, timezone.utc)


class Seeder:
    """Reads the staff, teams, types and tags of the site, then writes customers and tickets in batches."""

    def __init__(self, engine, registry, seed=0, batch_size=BATCH_SIZE, progress=None):
        self.engine = engine
        self.registry = registry
        self.corpus = Corpus(seed)
        self.r = random.Random(seed).random  # the shape of the data; the corpus draws the words
        self.batch_size = batch_size
        self.progress = progress or (lambda message: None)
        self.now = utcnow().timestamp()
        self.rows = 0
        self.started = self.reported = time.monotonic()
        self.channels = _draw_table(CHANNEL_WEIGHTS)
        self.priorities = _draw_table(PRIORITY_WEIGHTS)
        self.grades = _draw_table(GRADE_WEIGHTS)
        with engine.connect() as conn:
            self._load(conn)

    # -- what the site has ------------------------------------------------------------------------------

    def _staff_at(self, conn, levels):
        query = (select(User.id).join(user_roles, user_roles.c.user_id == User.id)
                 .join(Role, Role.id == user_roles.c.role_id)
                 .where(Role.level.in_(levels), User.kind == "staff", User.is_active_account.is_(True))
                 .distinct().order_by(User.id))
        return list(conn.scalars(query))

    def _load(self, conn):
        self.workers = self._staff_at(conn, ("agent", "supervisor"))
        if not self.workers:
            raise SeedError("this database has no agents or supervisors to work on tickets; run `kefu init` and "
                            "`kefu demo` first (or create staff with `kefu user create`)")
        self.dispatchers = self._staff_at(conn, ("supervisor", "manager")) or self.workers
        teams = conn.execute(select(Team.id, Team.supervisor_id).where(Team.active.is_(True)).order_by(Team.id)).all()
        self.teams = [team_id for team_id, _supervisor in teams]
        self.supervisor = {team_id: supervisor for team_id, supervisor in teams if supervisor is not None}
        membership = select(team_members.c.user_id, func.min(team_members.c.team_id)).where(
            team_members.c.team_id.in_(self.teams)).group_by(team_members.c.user_id)
        self.team_of = dict(conn.execute(membership).all()) if self.teams else {}

        rows = conn.execute(select(TicketType.id, TicketType.key).where(TicketType.active.is_(True))).all()
        types = {key: row_id for row_id, key in rows}
        flows = {key: _Flow(spec) for key, spec in self.registry.workflows.items()}
        self.types = [_Type(types[key], spec, self.registry.ticket_type_owner.get(key), flows[spec.workflow])
                      for key, spec in self.registry.ticket_types.items() if key in types]
        if not self.types:
            raise SeedError("this database has no active ticket types; run `kefu init` first")
        self.type_draw = tuple(t for t in self.types for _ in range(TYPE_WEIGHTS.get(t.category, 10)))

        self.customer_ids = list(conn.scalars(select(Customer.id).order_by(Customer.id)))
        self.next_id = {table: (conn.scalar(select(func.max(table.c.id))) or 0) + 1
                        for table in (Customer.__table__, Ticket.__table__, TicketEvent.__table__)}

    def _tags(self):
        with self.engine.begin() as conn:
            existing = set(conn.scalars(select(Tag.name).where(Tag.name.in_(TAGS))))
            missing = [{"name": name} for name in TAGS if name not in existing]
            if missing:
                conn.execute(insert(Tag.__table__), missing)
            return list(conn.scalars(select(Tag.id).where(Tag.name.in_(TAGS)).order_by(Tag.id)))

    # -- writing --------------------------------------------------------------------------------------

    def _take_ids(self, table, count):
        first = self.next_id[table]
        self.next_id[table] = first + count
        return first

    def _write(self, conn, table, rows):
        for start in range(0, len(rows), EVENT_CHUNK):
            conn.execute(insert(table), rows[start:start + EVENT_CHUNK])
        if rows and "id" in rows[0] and conn.dialect.name == "postgresql":
            # Explicit ids do not move PostgreSQL's sequence; move it past them for the site's own inserts.
            conn.execute(text("SELECT setval(pg_get_serial_sequence(:table, 'id'), :last)"),
                         {"table": table.name, "last": rows[-1]["id"]})
        self.rows += len(rows)

    def _report(self, what, done, total, extra=""):
        """A progress line every few seconds, and at the end of each part."""
        moment = time.monotonic()
        if done < total and moment - self.reported < REPORT_SECONDS:
            return
        self.reported = moment
        elapsed = max(moment - self.started, 1e-6)
        self.progress(f"{what} {done:>10,} / {total:,}{extra}   {elapsed:7.1f} s   {self.rows / elapsed:9,.0f} rows/s")

    # -- customers ------------------------------------------------------------------------------------

    def _customer(self, customer_id, organisations):
        r, corpus = self.r, self.corpus
        created = _utc(self.now - (DAYS + r() * 2 * DAYS) * 86400)
        if r() < 0.1:
            organisations.append(customer_id)
            return {"id": customer_id, "kind": "organisation", "name": corpus.company(), "organisation_id": None,
                    "phone": corpus.phone(), "email": None, "address": corpus.address(),
                    "grade": self.grades[int(r() * len(self.grades))], "notes": None,
                    "birthday": None, "birthday_md": None, "confidentiality": "normal",
                    "created_at": created, "updated_at": created}
        name = corpus.person_name()
        organisation = organisations[int(r() * len(organisations))] if organisations and r() < 0.15 else None
        birthday = date(1950, 1, 1) + timedelta(days=int(r() * 55 * 365)) if r() < 0.7 else None
        return {"id": customer_id, "kind": "person", "name": name, "organisation_id": organisation,
                "phone": corpus.phone() if r() < 0.9 else None, "email": corpus.email(name) if r() < 0.6 else None,
                "address": corpus.address() if r() < 0.8 else None,
                "grade": self.grades[int(r() * len(self.grades))], "notes": None,
                "birthday": birthday, "birthday_md": birthday.month * 100 + birthday.day if birthday else None,
                # A few records are protected, as in the archives the documents describe.
                "confidentiality": "secret" if r() < 0.03 else "normal",
                "created_at": created, "updated_at": created}

    def customers(self, count):
        table, organisations, done = Customer.__table__, [], 0
        while done < count:
            size = min(self.batch_size, count - done)
            first = self._take_ids(table, size)
            rows = [self._customer(first + i, organisations) for i in range(size)]
            with self.engine.begin() as conn:
                self._write(conn, table, rows)
            self.customer_ids.extend(row["id"] for row in rows)
            done += size
            self._report("customers", done, count)

    # -- tickets --------------------------------------------------------------------------------------

    def _assign_event(self, events, ticket_id, actor, before, after, team_before, team_after, reason, ts):
        events.append((ticket_id, "assign", actor, False, None,
                       {"from": before, "to": after, "team_from": team_before, "team_to": team_after,
                        "reason": reason}, ts))

    def _ticket(self, ticket_id, created_ts, events, tag_rows):
        """One ticket row; its events go to `events` as tuples (ticket, kind, actor, public, body, data, ts)."""
        r, corpus, now = self.r, self.corpus, self.now
        kind = self.type_draw[int(r() * len(self.type_draw))]
        flow = kind.flow
        content = corpus.ticket_text(category=kind.corpus_category, industry=kind.industry)
        category = kind.category or content.category
        reply_category, industry = content.category, content.industry
        channel = self.channels[int(r() * len(self.channels))]
        workers, dispatchers = self.workers, self.dispatchers
        created_by = workers[int(r() * len(workers))] if channel in STAFF_CHANNELS else None
        body = clean_html(content.body)
        created = _utc(created_ts)
        state = flow.initial
        category_now = flow.category[state]
        events.append((ticket_id, "created", created_by, True, body, {"state": state, "channel": channel}, created_ts))

        assignee = team = None
        if not flow.assigns and r() < P_ROUTED:
            assignee = workers[int(r() * len(workers))]
            team = self.team_of.get(assignee)
            self._assign_event(events, ticket_id, None, None, assignee, None, team, "rule", created_ts)
        elif self.teams and r() < P_TEAM_ONLY:
            team = self.teams[int(r() * len(self.teams))]

        first_response = resolved = closed = None
        age_days = (now - created_ts) / 86400
        stalled = r() < P_STALL + P_STALL_RECENT * math.exp(-age_days / STALL_DAYS)
        reopened = False
        ts = created_ts
        for _ in range(MAX_STEPS):
            if not flow.steps[state][0]:
                break
            if category_now == "closed":
                if reopened or r() >= P_REOPEN:
                    break
            elif category_now == "resolved":
                if r() < P_LEFT_RESOLVED:
                    break
            elif stalled and r() < P_STALL_STOP[category_now]:
                break
            key, target, target_category, needs_comment, needs_assignee = flow.pick(state, r)
            mean = (MEAN_CUSTOMER if category_now == "pending" else MEAN_CLOSE if category_now == "resolved"
                    else MEAN_DISPATCH if state == flow.initial else MEAN_WORK)
            next_ts = ts + 60 * (1 + mean * -math.log(1.0 - r()))
            if next_ts > now:
                break  # the rest has not happened yet
            ts = next_ts
            dispatcher = self.supervisor.get(team) or dispatchers[int(r() * len(dispatchers))]
            if needs_assignee:
                chosen = workers[int(r() * len(workers))]
                if chosen != assignee:
                    new_team = team if team is not None else self.team_of.get(chosen)
                    self._assign_event(events, ticket_id, dispatcher, assignee, chosen, team, new_team, key, ts)
                    assignee, team = chosen, new_team
            elif assignee is not None and category_now in ACTIVE_CATEGORIES and r() < P_REASSIGN:
                chosen = workers[int(r() * len(workers))]
                if chosen != assignee:
                    self._assign_event(events, ticket_id, dispatcher, assignee, chosen, team, team, "manual", ts)
                    assignee = chosen
            actor = dispatcher if needs_assignee else assignee or dispatcher
            first_answer = first_response is None and assignee is not None and not needs_assignee
            if (first_answer and r() < P_FIRST_REPLY) or r() < P_REPLY:
                reply = clean_html(corpus.reply_text(reply_category, industry))
                events.append((ticket_id, "reply", assignee or dispatcher, True, reply, {}, ts))
                if first_response is None:
                    first_response = ts
            if r() < P_NOTE:
                events.append((ticket_id, "note", actor, False, clean_html(corpus.note_text(industry)), {}, ts))
            comment = clean_html(corpus.reply_text(reply_category, industry)) if needs_comment else None
            events.append((ticket_id, "transition", actor, True, comment,
                           {"from": state, "to": target, "transition": key}, ts))
            if category_now not in ACTIVE_CATEGORIES and target_category in ACTIVE_CATEGORIES:
                reopened = True
            state, category_now = target, target_category
            if category_now == "resolved" and resolved is None:
                resolved = ts
            elif category_now == "open":
                resolved = None
            if category_now == "closed":
                closed = ts

        if r() < P_TAG:
            tags = self.tag_ids
            first_tag = tags[int(r() * len(tags))]
            tag_rows.append({"ticket_id": ticket_id, "tag_id": first_tag})
            second_tag = tags[int(r() * len(tags))]
            if second_tag != first_tag and r() < P_SECOND_TAG:
                tag_rows.append({"ticket_id": ticket_id, "tag_id": second_tag})
        customers = self.customer_ids
        customer = customers[int(r() ** 1.5 * len(customers))] if customers and r() < P_CUSTOMER else None
        return {
            "id": ticket_id, "type_id": kind.id, "title": content.title.strip()[:200], "body": body,
            "status": state, "status_category": category_now, "active": category_now in ACTIVE_CATEGORIES,
            "priority": self.priorities[int(r() * len(self.priorities))], "channel": channel,
            "category": category, "fields": _ticket_fields(kind.spec, r, corpus, created),
            "customer_id": customer, "requester_id": None, "created_by_id": created_by, "assignee_id": assignee,
            "team_id": team, "merged_into_id": None, "escalation_level": 0,
            "created_at": created, "updated_at": _utc(ts),
            "first_response_at": _utc(first_response) if first_response is not None else None,
            "resolved_at": _utc(resolved) if resolved is not None else None,
            "closed_at": _utc(closed) if closed is not None else None,
        }

    def tickets(self, count):
        self.tag_ids = self._tags()
        tickets_table, events_table = Ticket.__table__, TicketEvent.__table__
        start, span = self.now - DAYS * 86400, DAYS * 86400
        r, done, event_total = self.r, 0, 0
        while done < count:
            size = min(self.batch_size, count - done)
            first = self._take_ids(tickets_table, size)
            tickets, events, tag_rows = [], [], []
            for i in range(size):
                ordinal = done + i  # moments rise with the ids, as on a real desk
                created_ts = min(_office_hours(start + span * (ordinal + r()) / count), self.now - 60)
                before = len(events)
                ticket = self._ticket(first + i, created_ts, events, tag_rows)
                ticket["version"] = len(events) - before
                tickets.append(ticket)
            event_id = self._take_ids(events_table, len(events))
            event_rows = [{"id": event_id + n, "ticket_id": ticket_id, "kind": kind, "actor_id": actor,
                           "public": public, "body": body, "data": data, "created_at": _utc(ts)}
                          for n, (ticket_id, kind, actor, public, body, data, ts) in enumerate(events)]
            with self.engine.begin() as conn:
                self._write(conn, tickets_table, tickets)
                self._write(conn, events_table, event_rows)
                self._write(conn, ticket_tags, tag_rows)
            done += size
            event_total += len(events)
            self._report("tickets  ", done, count, f"   {event_total:>11,} events")
        return event_total


def seed_database(tickets, customers=None, seed=0, batch_size=BATCH_SIZE, progress=None):
    """Append `customers` customers (default: one per five tickets), then `tickets` tickets with their events,
    to the app's database. Returns counts and the time it took."""
    customers = max(1, int(tickets * CUSTOMERS_PER_TICKET)) if customers is None else customers
    seeder = Seeder(db.engine, current_app.extensions["kefu"].registry, seed, batch_size, progress)
    seeder.customers(customers)
    first_ticket = seeder.next_id[Ticket.__table__]
    events = seeder.tickets(tickets)
    seconds = time.monotonic() - seeder.started
    # Bulk rows bypass the session that marks tickets for the reports: count the new tickets here.
    last_ticket = seeder.next_id[Ticket.__table__] - 1
    refresh_range(first_ticket, last_ticket,
                  progress=lambda last: seeder._report("reports  ", last - first_ticket + 1, tickets))
    refresh_planner_statistics()
    return {"customers": customers, "tickets": tickets, "events": events, "rows": seeder.rows,
            "seconds": seconds, "report_seconds": time.monotonic() - seeder.started - seconds}


@click.command("seed", help="Add N realistic tickets, their events and customers (bulk, for load tests). "
                            "Needs staff: run `kefu init` and `kefu demo` first. Running it again appends.")
@click.option("--tickets", type=click.IntRange(min=1), required=True, help="Number of tickets to add.")
@click.option("--customers", type=click.IntRange(min=0), default=None,
              help="Number of customers to add  [default: one per five tickets].")
@click.option("--seed", "seed_value", default=2026, show_default=True, help="Random seed, for repeatable data.")
@click.option("--batch-size", default=BATCH_SIZE, show_default=True, type=click.IntRange(min=1),
              help="Tickets per transaction.")
@with_appcontext
def seed_command(tickets, customers, seed_value, batch_size):
    try:
        result = seed_database(tickets, customers, seed_value, batch_size, progress=click.echo)
    except SeedError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Added {result['customers']:,} customers, {result['tickets']:,} tickets and {result['events']:,} "
               f"events ({result['rows']:,} rows) in {result['seconds']:.1f} s "
               f"({result['rows'] / max(result['seconds'], 1e-6):,.0f} rows/s); the reports counted them in "
               f"{result['report_seconds']:.1f} s.")
    click.echo("They were written in bulk, past the search outbox: run `kefu reindex` to make them searchable.")
