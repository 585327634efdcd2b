"""A parsed query, checked against the site and turned into what every backend executes: index terms (all
required), exact substrings to check, filters on columns, and the reader's permissions.

Words and phrases become the analyser's query terms (core.search.analysis.query_terms): a Chinese string
of three or more characters is the AND of its bigrams and must then contain the string itself (a
"needle" checked on the normalised text), a single Chinese character is a prefix term (every occurrence
starts an index term), anything else is an exact term.
"""
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from core.extensions import db
from core.models import Team, TicketType, User
from core.search.analysis import _HAN, needle, query_terms
from core.search.documents import keyword
from core.search.query import QueryError, Text
from core.tickets.access import Visibility, visibility
from core.tickets.display import CHANNEL_LABELS, PRIORITY_LABELS
from core.workflow.spec import STATE_CATEGORIES

SORTS = ("relevance", "date")
TICKET_ONLY = ("status", "type", "priority", "channel", "assignee", "team", "customer", "tag")
UNASSIGNED = ("none", "nobody", "无", "未分派", "没有")
ME = ("me", "我")


@dataclass(frozen=True)
class Term:
    text: str
    prefix: bool = False  # matches every index term that starts with `text`


@dataclass(frozen=True)
class Needle:
    text: str  # a substring of core.search.analysis.normalize output
    where: str  # "all" (what staff search), "public" (what the ticket's customer sees) or "customer"


@dataclass
class Plan:
    scope: str  # "ticket" or "kb"
    terms: tuple = ()  # every one must match
    needles: tuple = ()  # every one must be contained
    statuses: tuple | None = None  # status keys; with categories: either matches
    categories: tuple | None = None
    type_ids: tuple | None = None
    priorities: tuple | None = None
    channels: tuple | None = None
    assignee_ids: tuple | None = None  # None inside: unassigned
    team_ids: tuple | None = None
    tags: tuple | None = None  # any of them (keywords)
    fields: dict = field(default_factory=dict)  # plugin field key -> keywords (any of them)
    created: tuple | None = None  # [start, end) in UTC; either end may be None
    updated: tuple | None = None
    visibility: Visibility | None = None  # tickets: who may open what
    public_only: bool = False  # the reader is a customer: public text, public articles
    include_merged: bool = False  # staff find a merged ticket's text in the ticket it went into
    sort: str = "relevance"
    nothing: bool = False  # a filter that can match nothing (an unknown tag is fine; this is earlier)


_SPACE_IN_CHINESE = re.compile(f"(?<=[{_HAN}])\\s+(?=[{_HAN}])")


def _text_conditions(texts, where):
    terms, needles = [], []
    for item in texts:
        # Chinese is written without spaces: in a phrase, "包裹 破损" is 包裹破损.
        text = _SPACE_IN_CHINESE.sub("", item.text) if item.phrase else item.text
        segments = query_terms(text)
        if not segments:
            continue
        for segment in segments:
            if len(segment) == 1 and len(segment[0]) == 1 and _is_han(segment[0]):
                terms.append(Term(segment[0], prefix=True))
            else:
                terms.extend(Term(term) for term in segment)
        exact = len(segments) == 1 and (len(segments[0]) == 1)  # one word, one term: the term is the test
        if where != "all" or not exact:
            needles.append(Needle(needle(text), where))
    return terms, needles


_ONE_HAN = re.compile(f"[{_HAN}]")


def _is_han(char):
    return _ONE_HAN.fullmatch(char) is not None


def _one(filter_, name):
    if len(filter_.values) != 1:
        raise QueryError("bad_value", _("%(field)s: takes one value.", field=name))
    return filter_.values[0]


def _labels_match(value, key, label):
    folded = value.casefold()
    return folded == key.casefold() or folded in (label.zh.casefold(), label.en.casefold())


def _statuses(values):
    registry = current_app.extensions["kefu"].registry
    states = [state for workflow in registry.workflows.values() for state in workflow.states]
    statuses, categories = set(), set()
    for value in values:
        if value.casefold() in STATE_CATEGORIES:
            categories.add(value.casefold())
            continue
        found = {state.key for state in states if _labels_match(value, state.key, state.label)}
        if not found:
            known = ", ".join(sorted({state.key for state in states} | set(STATE_CATEGORIES)))
            raise QueryError("bad_value", _("Unknown status %(value)s. Statuses: %(known)s", value=value, known=known))
        statuses |= found
    return tuple(sorted(statuses)), tuple(sorted(categories))


def _types(values):
    rows = db.session.scalars(select(TicketType)).all()
    ids = set()
    for value in values:
        found = {row.id for row in rows if _labels_match(value, row.key, row.label)}
        if not found:
            known = ", ".join(sorted(row.key for row in rows))
            raise QueryError("bad_value", _("Unknown ticket type %(value)s. Types: %(known)s", value=value, known=known))
        ids |= found
    return tuple(sorted(ids))


def _labelled(values, labels, name):
    keys = set()
    for value in values:
        found = {key for key, label in labels.items() if _labels_match(value, key, label)}
        if not found:
            raise QueryError("bad_value", _("Unknown %(field)s %(value)s. Values: %(known)s", field=name, value=value,
                                            known=", ".join(labels)))
        keys |= found
    return tuple(sorted(keys))


def _assignees(values, user):
    ids = set()
    for value in values:
        folded = value.casefold()
        if folded in ME:
            ids.add(user.id)
            continue
        if folded in UNASSIGNED:
            ids.add(None)
            continue
        query = select(User.id).where(User.kind == "staff")
        if value.isdigit():
            query = query.where(User.id == int(value))
        else:
            query = query.where(or_(func.lower(User.name) == folded, func.lower(User.email) == folded,
                                    func.lower(User.email).startswith(folded + "@", autoescape=True)))
        found = set(db.session.scalars(query))
        if not found:
            raise QueryError("bad_value", _("No staff member %(value)s (give a name, an e-mail address, me or none).",
                                            value=value))
        ids |= found
    return tuple(sorted(ids, key=lambda i: (i is not None, i or 0)))


def _teams(values):
    ids = set()
    for value in values:
        query = select(Team.id).where(Team.id == int(value) if value.isdigit() else func.lower(Team.name) == value.casefold())
        found = set(db.session.scalars(query))
        if not found:
            raise QueryError("bad_value", _("No team %(value)s.", value=value))
        ids |= found
    return tuple(sorted(ids))


def _day(text, field_name):
    parts = text.split("-")
    try:
        numbers = [int(part) for part in parts]
        if len(parts) == 3:
            start = date(*numbers)
            return start, start + timedelta(days=1)
        if len(parts) == 2:
            start = date(numbers[0], numbers[1], 1)
            return start, date(start.year + start.month // 12, start.month % 12 + 1, 1)
        if len(parts) == 1 and len(parts[0]) == 4:
            return date(numbers[0], 1, 1), date(numbers[0] + 1, 1, 1)
    except ValueError:
        pass
    raise QueryError("bad_value", _("%(field)s: %(value)s is not a date; write 2026-03-31, 2026-03 or 2026.",
                                    field=field_name, value=text))


def date_range(value, field_name):
    """[start, end) in UTC for a date value: a day, month or year, ``a..b``, or ``>``, ``>=``, ``<``, ``<=``
    a date; days are the site's (Asia/Shanghai by default)."""
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    value = value.strip()
    if ".." in value:
        low, _sep, high = value.partition("..")
        start = _day(low, field_name)[0] if low else None
        end = _day(high, field_name)[1] if high else None
    elif value[:2] in (">=", "<="):
        span = _day(value[2:], field_name)
        start, end = (span[0], None) if value[0] == ">" else (None, span[1])
    elif value[:1] in (">", "<"):
        span = _day(value[1:], field_name)
        start, end = (span[1], None) if value[0] == ">" else (None, span[0])
    else:
        start, end = _day(value, field_name)
    if start is not None and end is not None and start >= end:
        raise QueryError("bad_value", _("%(field)s: the range %(value)s is empty.", field=field_name, value=value))

    def moment(day):
        return None if day is None else datetime.combine(day, time.min, tzinfo=zone).astimezone(ZoneInfo("UTC"))

    return moment(start), moment(end)


def make_plan(parsed, user, scope="ticket", sort=None):
    """The Plan of `parsed` for `user` in `scope` ("ticket" or "kb"); raises QueryError."""
    if parsed.empty:
        raise QueryError("empty", _("Type something to search for."))
    if sort is not None and sort not in SORTS:
        raise QueryError("bad_sort", _("Unknown sort order %(value)s: use relevance or date.", value=sort))
    customer = user.is_authenticated and not user.is_staff
    where = "public" if customer and scope == "ticket" else "all"
    terms, needles = _text_conditions(parsed.texts, where)
    plan = Plan(scope=scope, public_only=customer, include_merged=customer)
    plugin_fields = current_app.extensions["kefu"].registry.search_fields
    for item in parsed.filters:
        name = item.raw.split(":")[0].split("：")[0]
        if scope == "kb" and item.field not in ("created", "updated"):
            plan.nothing = True  # ticket filters: no article matches them
        elif item.field == "status":
            plan.statuses, plan.categories = _statuses(item.values)
        elif item.field == "type":
            plan.type_ids = _types(item.values)
        elif item.field == "priority":
            plan.priorities = _labelled(item.values, PRIORITY_LABELS, name)
        elif item.field == "channel":
            plan.channels = _labelled(item.values, CHANNEL_LABELS, name)
        elif item.field == "assignee":
            plan.assignee_ids = _assignees(item.values, user)
        elif item.field == "team":
            plan.team_ids = _teams(item.values)
        elif item.field == "customer":
            more_terms, more_needles = _text_conditions([Text(_one(item, name), True)], "customer")
            terms += more_terms
            needles += more_needles
        elif item.field == "tag":
            plan.tags = tuple(sorted({keyword(value) for value in item.values}))
        elif item.field in ("created", "updated"):
            setattr(plan, item.field, date_range(_one(item, name), name))
        elif item.field in plugin_fields:
            plan.fields[item.field] = tuple(sorted({keyword(value) for value in item.values}))
    if not terms and not needles and not parsed.filters:
        raise QueryError("empty", _("Type something to search for: letters, digits or Chinese characters."))
    plan.terms, plan.needles = tuple(dict.fromkeys(terms)), tuple(dict.fromkeys(needles))
    plan.sort = sort or ("relevance" if plan.terms else "date")
    if scope == "ticket":
        plan.visibility = visibility(user)
    return plan
