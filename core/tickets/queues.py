"""Ticket queues and filters, shared by the desk and the API: one place that turns a queue name and filter
parameters into a query, pages it by keyset and counts it cheaply.

Counting stops at COUNT_CAP: a queue of a million tickets shows "1000+" instead of scanning them all.
"""
import base64
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from flask_babel import gettext as _
from sqlalchemy import and_, false, func, or_, select, tuple_

from core.extensions import db
from core.i18n import Label
from core.models import CHANNELS, PRIORITIES, SlaClock, Tag, Ticket, TicketType, team_members, ticket_tags, utcnow
from core.tickets.access import visible_tickets
from core.workflow.spec import STATE_CATEGORIES

COUNT_CAP = 1000
PAGE_SIZE = 50
MAX_PAGE_SIZE = 200

QUEUES = {
    "mine": Label(zh="我的工单", en="My tickets"),
    "team": Label(zh="本组工单", en="My team"),
    "unassigned": Label(zh="未分派", en="Unassigned"),
    "at_risk": Label(zh="即将超时/已超时", en="At risk / overdue"),
    "all": Label(zh="全部工单", en="All tickets"),
}
SORTS = {
    "updated": Label(zh="最近更新", en="Recently updated"),
    "created": Label(zh="最新创建", en="Newest"),
    "oldest": Label(zh="最早创建", en="Oldest"),
}
FILTER_KEYS = ("status", "category", "type", "priority", "team", "assignee", "customer", "channel", "tag",
               "created_from", "created_to", "updated_from", "updated_to")


class FilterError(ValueError):
    def __init__(self, field, message):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass
class Page:
    tickets: list
    next_cursor: str | None
    count: int
    count_capped: bool


def _my_teams(user):
    """The user's team ids, read first: `team_id = ?` (or a short IN list) lets the team index give the order."""
    return db.session.scalars(select(team_members.c.team_id).where(team_members.c.user_id == user.id)).all()


def _at_risk_or_overdue():
    """Tickets with a counting SLA clock past its warning point, or a breached clock not yet satisfied."""
    now = utcnow()
    return select(SlaClock.ticket_id).where(or_(
        and_(SlaClock.state == "running", SlaClock.at_risk_at <= now),
        and_(SlaClock.state == "breached", SlaClock.completed_at.is_(None)),
    ))


def _queue_condition(queue, user):
    if queue == "mine":
        return [Ticket.assignee_id == user.id, Ticket.active.is_(True)]
    if queue == "team":
        teams = _my_teams(user)
        return [Ticket.team_id.in_(teams) if teams else false(), Ticket.active.is_(True)]
    if queue == "unassigned":
        return [Ticket.assignee_id.is_(None), Ticket.active.is_(True)]
    if queue == "at_risk":
        return [Ticket.active.is_(True), Ticket.id.in_(_at_risk_or_overdue())]
    if queue == "all":
        return []
    raise FilterError("queue", _("Unknown queue."))


def _int(field, raw):
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise FilterError(field, _("%(field)s must be a number.", field=field)) from None


def _day(field, raw, end=False):
    try:
        day = date.fromisoformat(str(raw))
    except ValueError:
        raise FilterError(field, _("%(field)s must be a date like 2026-01-31.", field=field)) from None
    moment = datetime.combine(day, time.min, tzinfo=timezone.utc)
    return moment + timedelta(days=1) if end else moment


def _values(raw):
    if isinstance(raw, (list, tuple)):
        return [str(v) for v in raw if str(v).strip()]
    return [part.strip() for part in str(raw).split(",") if part.strip()]


def filter_conditions(filters, user):
    """SQL conditions for the filter parameters (a dict of strings or lists); raises FilterError."""
    conditions = []
    for key, raw in filters.items():
        if raw in (None, "", []):
            continue
        if key not in FILTER_KEYS:
            raise FilterError(key, _("Unknown filter %(name)s.", name=key))
        values = _values(raw)
        if key == "status":
            conditions.append(Ticket.status.in_(values))
        elif key == "category":
            if set(values) - set(STATE_CATEGORIES):
                raise FilterError(key, _("Unknown state category."))
            conditions.append(Ticket.status_category.in_(values))
        elif key == "type":
            conditions.append(Ticket.type_id.in_(select(TicketType.id).where(TicketType.key.in_(values))))
        elif key == "priority":
            if set(values) - set(PRIORITIES):
                raise FilterError(key, _("Unknown priority."))
            conditions.append(Ticket.priority.in_(values))
        elif key == "channel":
            if set(values) - set(CHANNELS):
                raise FilterError(key, _("Unknown channel."))
            conditions.append(Ticket.channel.in_(values))
        elif key == "assignee":
            if values == ["none"]:
                conditions.append(Ticket.assignee_id.is_(None))
            else:
                ids = [user.id if v == "me" else _int(key, v) for v in values]
                conditions.append(Ticket.assignee_id.in_(ids))
        elif key in ("team", "customer"):
            column = Ticket.team_id if key == "team" else Ticket.customer_id
            conditions.append(column.in_([_int(key, v) for v in values]))
        elif key == "tag":
            tagged = select(ticket_tags.c.ticket_id).join(Tag).where(Tag.name.in_(values))
            conditions.append(Ticket.id.in_(tagged))
        else:
            column = Ticket.created_at if key.startswith("created") else Ticket.updated_at
            if key.endswith("_from"):
                conditions.append(column >= _day(key, values[0]))
            else:
                conditions.append(column < _day(key, values[0], end=True))
    return conditions


def _encode(moment, ident):
    return base64.urlsafe_b64encode(f"{moment.isoformat()}|{ident}".encode()).decode().rstrip("=")


def _decode(cursor):
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        moment, ident = raw.split("|")
        return datetime.fromisoformat(moment), int(ident)
    except (ValueError, UnicodeDecodeError):
        raise FilterError("cursor", _("This page link is no longer valid; start from the first page.")) from None


def queue_query(user, queue="all", filters=None):
    """The tickets of a queue for `user`, filtered; access rules already applied."""
    return visible_tickets(user).where(*_queue_condition(queue, user), *filter_conditions(filters or {}, user))


def _capped(query):
    limited = query.with_only_columns(Ticket.id).order_by(None).limit(COUNT_CAP + 1).subquery()
    return select(func.count()).select_from(limited)


def _count_pair(count):
    return min(count, COUNT_CAP), count > COUNT_CAP


def capped_count(query):
    """(count, capped): the exact number up to COUNT_CAP, so large queues never cost a full scan."""
    return _count_pair(db.session.scalar(_capped(query)))


def queue_counts(user):
    """{queue: (count, capped)} of every queue for `user`, in one statement (the desk shows them on every page)."""
    columns = [_capped(queue_query(user, key)).scalar_subquery().label(f"q_{key}") for key in QUEUES]
    row = db.session.execute(select(*columns)).one()
    return {key: _count_pair(count) for key, count in zip(QUEUES, row, strict=True)}


def page(user, queue="all", filters=None, sort="updated", cursor=None, limit=PAGE_SIZE, options=()):
    if sort not in SORTS:
        raise FilterError("sort", _("Unknown sort order."))
    limit = max(1, min(_int("limit", limit), MAX_PAGE_SIZE))
    query = queue_query(user, queue, filters)
    count, capped = capped_count(query)
    column = Ticket.updated_at if sort == "updated" else Ticket.created_at
    key = tuple_(column, Ticket.id)
    if cursor:
        position = _decode(cursor)
        query = query.where(key > position if sort == "oldest" else key < position)
    order = (column.asc(), Ticket.id.asc()) if sort == "oldest" else (column.desc(), Ticket.id.desc())
    rows = db.session.scalars(query.order_by(*order).limit(limit + 1).options(*options)).all()
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = _encode(last.updated_at if sort == "updated" else last.created_at, last.id)
    return Page(rows, next_cursor, count, capped)
