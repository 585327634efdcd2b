"""Customer care (客户关怀): the occasions to greet customers for (birthdays, festivals, and the plugins'
reminders through kefu_care_reminders), and the daily generation of greeting tasks from the site's rules.

Each rule says how many days ahead a task appears and for which customer grades. Generation is idempotent:
a task is unique per customer, occasion and day, so running it twice, or in two workers at once, adds each
task once (INSERT … ON CONFLICT DO NOTHING on SQLite and PostgreSQL alike).
"""
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Date, func, literal, select
from sqlalchemy.dialects import postgresql, sqlite

from core.care.festivals import FESTIVALS, festivals_between
from core.customers.access import live_customers
from core.extensions import db
from core.i18n import Label
from core.models import CareRule, CareTask, Customer, audit, utcnow
from core.models.types import UTCDateTime

BIRTHDAY = Label(zh="生日", en="Birthday")
REMINDERS = Label(zh="提醒（维保、续约、年检等）", en="Reminders (maintenance, renewal, inspection…)")
RULE_LABELS = {"birthday": BIRTHDAY, **{key: label for key, (label, _day) in FESTIVALS.items()},
               "reminders": REMINDERS}
# How many days ahead each rule may be set to: birthdays 2–7, festivals 1–3 (DOMAIN.md §4).
DAYS_AHEAD = {"birthday": (2, 7), **{key: (1, 3) for key in FESTIVALS}, "reminders": (1, 60)}


class CareError(ValueError):
    pass


@dataclass(frozen=True)
class Occasion:
    """What the calendar shows on one day: a festival, the birthdays, or one kind of reminder."""

    on: date
    kind: str
    label: Label
    customer_ids: tuple = ()  # empty for a festival, which concerns every customer of the rule's grades
    notes: tuple = ()
    count: int = 0  # customers concerned (customer_ids may list only the first few)


def site_today(now):
    """The date in the site's time zone at the UTC-aware moment `now`."""
    return now.astimezone(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).date()


def rules():
    return {rule.key: rule for rule in db.session.scalars(select(CareRule))}


def check_rule(key, days_ahead):
    """The message for a days-ahead value the rule does not allow, or None."""
    low, high = DAYS_AHEAD[key]
    if not isinstance(days_ahead, int) or not low <= days_ahead <= high:
        return _("%(occasion)s: between %(low)d and %(high)d days ahead.", occasion=RULE_LABELS[key], low=low,
                 high=high)
    return None


def _days(start, end):
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def _month_days(day):
    """The birthday_md values celebrated on `day`: 29 February is celebrated on the 28th in other years."""
    values = [day.month * 100 + day.day]
    if day.month == 2 and day.day == 28 and not _leap(day.year):
        values.append(229)
    return values


def _leap(year):
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _graded(rule):
    query = live_customers().with_only_columns(Customer.id)
    return query.where(Customer.grade.in_(rule.grades)) if rule.grades else query


def plugin_reminders(start, end):
    reminders = []
    for found in current_app.extensions["kefu"].pm.hook.kefu_care_reminders(start=start, end=end):
        reminders += [r for r in found or () if start <= r.on <= end]
    return reminders


def occasions(start, end, site_rules=None, name_limit=None):
    """The occasions from `start` to `end` as the site's active rules see them, in date order."""
    site_rules = rules() if site_rules is None else site_rules
    found = []
    birthday = site_rules.get("birthday")
    if birthday is not None and birthday.active:
        for day in _days(start, end):
            query = _graded(birthday).where(Customer.birthday_md.in_(_month_days(day)))
            ids = tuple(db.session.scalars(query.order_by(Customer.name, Customer.id).limit(name_limit)))
            if ids:
                count = len(ids) if name_limit is None or len(ids) < name_limit else \
                    db.session.scalar(select(func.count()).select_from(query.subquery()))
                found.append(Occasion(day, "birthday", BIRTHDAY, ids, count=count))
    for day, key in festivals_between(start, end):
        rule = site_rules.get(key)
        if rule is not None and rule.active:
            found.append(Occasion(day, key, FESTIVALS[key][0]))
    reminder_rule = site_rules.get("reminders")
    if reminder_rule is not None and reminder_rule.active:
        by_day_kind = {}
        for reminder in plugin_reminders(start, end):
            by_day_kind.setdefault((reminder.on, reminder.kind, reminder.label), []).append(reminder)
        for (day, kind, label), items in by_day_kind.items():
            found.append(Occasion(day, kind, label, tuple(r.customer_id for r in items), tuple(r.note for r in items),
                                  count=len(items)))
    return sorted(found, key=lambda occasion: (occasion.on, occasion.kind))


def _insert_ignoring_duplicates():
    dialect = db.engine.dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(CareTask)


def _insert_for(customers, kind, day, label, now):
    """One task per customer id of the `customers` SELECT; returns how many were new."""
    rows = customers.add_columns(literal(kind), literal(day, Date()), literal(label.zh), literal(label.en),
                                 literal(now, UTCDateTime()))
    statement = (_insert_ignoring_duplicates()
                 .from_select(["customer_id", "kind", "on", "label_zh", "label_en", "created_at"], rows)
                 .on_conflict_do_nothing(index_elements=["customer_id", "kind", "on"]).returning(CareTask.id))
    return len(db.session.execute(statement).all())  # only the new rows come back (rowcount is -1 on psycopg)


def generate_care_tasks(now):
    """Add the greeting and reminder tasks due by `now` (a UTC-aware moment) and commit; returns how many
    were added. Safe to run as often as one likes."""
    today = site_today(now)
    site_rules = rules()
    created = 0
    for key, rule in site_rules.items():
        if not rule.active:
            continue
        end = today + timedelta(days=rule.days_ahead)
        if key == "birthday":
            for day in _days(today, end):
                customers = _graded(rule).where(Customer.birthday_md.in_(_month_days(day)))
                created += _insert_for(customers, key, day, BIRTHDAY, now)
        elif key in FESTIVALS:
            for day, festival in festivals_between(today, end):
                if festival == key:
                    created += _insert_for(_graded(rule), key, day, FESTIVALS[key][0], now)
        elif key == "reminders":
            created += _insert_reminders(plugin_reminders(today, end), now)
    db.session.commit()
    return created


def _insert_reminders(reminders, now):
    """Reminders of records that exist and were not merged away (a plugin's data may lag behind)."""
    ids = {r.customer_id for r in reminders}
    live = set(db.session.scalars(live_customers().with_only_columns(Customer.id).where(Customer.id.in_(ids)))) \
        if ids else set()
    rows = {(r.customer_id, r.kind, r.on): {"customer_id": r.customer_id, "kind": r.kind, "on": r.on,
                                             "label_zh": r.label.zh, "label_en": r.label.en, "note": r.note or None,
                                             "created_at": now}
            for r in reminders if r.customer_id in live}
    if not rows:
        return 0
    statement = _insert_ignoring_duplicates().values(list(rows.values())).on_conflict_do_nothing(
        index_elements=["customer_id", "kind", "on"]).returning(CareTask.id)
    return len(db.session.execute(statement).all())


def mark_done(task, *, actor, outcome=""):
    if task.done_at is not None:
        raise CareError(_("This task was already done."))
    task.done_at, task.done_by_id = utcnow(), actor.id
    task.outcome = " ".join((outcome or "").split()) or None
    audit.record("care.done", actor=actor, target=task, customer=task.customer_id, kind=task.kind)


def open_count():
    return db.session.scalar(select(func.count(CareTask.id)).where(CareTask.done_at.is_(None)))
