"""The customer-care pages of the desk: the tasks to work through (greetings and reminders, marked done with
what was said), and a month calendar of the occasions the site's rules cover."""
import base64
import calendar
from datetime import date, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select, tuple_
from sqlalchemy.orm import selectinload

from core.auth.permissions import requires
from core.care.service import RULE_LABELS, CareError, mark_done, occasions, rules, site_today
from core.extensions import db
from core.models import CareTask, Customer, utcnow

bp = Blueprint("care", __name__, url_prefix="/desk/care")
PAGE_SIZE = 50
NAMES_PER_DAY = 6
STATES = ("open", "done", "all")


def _cursor(task):
    return base64.urlsafe_b64encode(f"{task.on.isoformat()}|{task.id}".encode()).decode().rstrip("=")


def _position(cursor):
    try:
        day, ident = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode().split("|")
        return date.fromisoformat(day), int(ident)
    except (ValueError, UnicodeDecodeError):
        return None


@bp.get("/")
@requires("care.work")
def index():
    """The tasks, soonest first: open ones by default."""
    state = request.args.get("state", "open")
    state = state if state in STATES else "open"
    query = select(CareTask).options(selectinload(CareTask.customer), selectinload(CareTask.done_by))
    if state == "open":
        query = query.where(CareTask.done_at.is_(None))
    elif state == "done":
        query = query.where(CareTask.done_at.is_not(None))
    kind = request.args.get("kind", "")
    if kind:
        query = query.where(CareTask.kind == kind)
    day = request.args.get("day", "")
    try:
        if day:
            query = query.where(CareTask.on == date.fromisoformat(day))
    except ValueError:
        flash(_("Choose a day such as 2026-01-31."), "error")
    cursor = request.args.get("cursor")
    position = _position(cursor) if cursor else None
    if position:
        query = query.where(tuple_(CareTask.on, CareTask.id) > position)
    tasks = db.session.scalars(query.order_by(CareTask.on, CareTask.id).limit(PAGE_SIZE + 1)).all()
    next_url = None
    if len(tasks) > PAGE_SIZE:
        tasks = tasks[:PAGE_SIZE]
        next_url = url_for("care.index", state=state, kind=kind or None, day=day or None, cursor=_cursor(tasks[-1]))
    return render_template("care/tasks.html", tasks=tasks, state=state, kind=kind, day=day, next_url=next_url,
                           today=site_today(utcnow()), kinds=RULE_LABELS)


@bp.post("/tasks/<int:task_id>/done")
@requires("care.work")
def done(task_id):
    task = db.session.get(CareTask, task_id)
    if task is None:
        abort(404)
    try:
        mark_done(task, actor=current_user, outcome=request.form.get("outcome", ""))
    except CareError as exc:
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("Marked as done: %(name)s, %(occasion)s.", name=task.customer.name, occasion=task.label), "info")
    return redirect(request.form.get("next") if (request.form.get("next") or "").startswith("/desk/care")
                    else url_for("care.index"))


def _month(value, today):
    try:
        year, month = (int(part) for part in value.split("-"))
        return date(year, month, 1)
    except (ValueError, AttributeError):
        return today.replace(day=1)


@bp.get("/calendar")
@requires("care.work")
def month():
    """The occasions of one month, day by day, with the first names of the customers concerned."""
    today = site_today(utcnow())
    first = _month(request.args.get("month", ""), today)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    found = occasions(first, last, name_limit=NAMES_PER_DAY)
    ids = {customer_id for occasion in found for customer_id in occasion.customer_ids[:NAMES_PER_DAY]}
    names = {c.id: c for c in db.session.scalars(select(Customer).where(Customer.id.in_(ids)))} if ids else {}
    days = {}
    for occasion in found:
        days.setdefault(occasion.on, []).append(occasion)
    previous = (first - timedelta(days=1)).replace(day=1)
    following = last + timedelta(days=1)
    return render_template("care/calendar.html", first=first, days=sorted(days.items()), names=names, today=today,
                           site_rules=rules(), labels=RULE_LABELS, names_per_day=NAMES_PER_DAY,
                           previous=previous.strftime("%Y-%m"), following=following.strftime("%Y-%m"))
