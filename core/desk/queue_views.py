"""Queues: My tickets, My team, Unassigned, All; filters, saved filters, sorting, keyset pages, bulk actions."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from core.auth.permissions import requires
from core.desk import bp, lookups
from core.extensions import db
from core.models import SavedFilter, Ticket, User
from core.tickets import queues
from core.tickets.access import visible_tickets
from core.tickets.assignment import AssignmentError, assign
from core.tickets.relations import RelationError, add_tags
from core.workflow.engine import TransitionError, transition

LIST_OPTIONS = (selectinload(Ticket.customer), selectinload(Ticket.assignee))


def _filters_from(args):
    return {key: ",".join(args.getlist(key)) for key in queues.FILTER_KEYS if any(v.strip() for v in args.getlist(key))}


def _saved_filters():
    query = (select(SavedFilter).where(or_(SavedFilter.owner_id == current_user.id, SavedFilter.shared.is_(True)))
             .order_by(SavedFilter.name))
    return db.session.scalars(query).all()


@bp.get("/")
@requires("desk.access")
def index():
    queue = request.args.get("queue", "mine")
    if queue not in queues.QUEUES:
        queue = "mine"
    filters = _filters_from(request.args)
    sort = request.args.get("sort", "updated")
    status = 200
    try:
        result = queues.page(current_user, queue, filters, sort, request.args.get("cursor"),
                             request.args.get("limit", queues.PAGE_SIZE), options=LIST_OPTIONS)
    except queues.FilterError as exc:
        flash(exc.message, "error")
        result, status = queues.Page([], None, 0, False), 400
    counts = queues.queue_counts(current_user)
    next_url = None
    if result.next_cursor:
        args = request.args.to_dict(flat=False)
        args["cursor"] = [result.next_cursor]
        next_url = url_for("desk.index", **args)
    return render_template(
        "desk/queue.html", queue=queue, filters=filters, sort=sort, page=result, counts=counts, next_url=next_url,
        saved_filters=_saved_filters(), types=lookups.ticket_types(), teams=lookups.teams(),
        staff=lookups.staff(), states=lookups.states(), queue_labels=queues.QUEUES, sort_labels=queues.SORTS,
    ), status


@bp.post("/filters")
@requires("desk.access")
def save_filter():
    name = (request.form.get("name") or "").strip()[:80]
    if not name:
        flash(_("Give the filter a name."), "error")
        return redirect(request.referrer or url_for("desk.index"))
    query = {key: value for key, value in request.form.items() if key in (*queues.FILTER_KEYS, "queue", "sort") and value}
    shared = bool(request.form.get("shared")) and current_user.can("ticket.assign")
    db.session.add(SavedFilter(owner_id=current_user.id, name=name, query=query, shared=shared))
    db.session.commit()
    flash(_("Filter saved."), "info")
    return redirect(url_for("desk.index", **query))


@bp.post("/filters/<int:filter_id>/delete")
@requires("desk.access")
def delete_filter(filter_id):
    row = db.session.get(SavedFilter, filter_id)
    if row is None or row.owner_id != current_user.id:
        abort(404)
    db.session.delete(row)
    db.session.commit()
    return redirect(url_for("desk.index"))


def _bulk_apply(tickets, action):
    """Apply one action to each ticket; returns the failures as (ticket id, message)."""
    failures = []
    for ticket in tickets:
        try:
            with db.session.begin_nested():
                action(ticket)
        except (TransitionError, AssignmentError, RelationError) as exc:
            failures.append((ticket.id, str(exc)))
    return failures


@bp.post("/bulk")
@requires("desk.access")
def bulk():
    ids = [int(v) for v in request.form.getlist("ticket") if v.isdigit()][:queues.MAX_PAGE_SIZE]
    tickets = db.session.scalars(visible_tickets(current_user).where(Ticket.id.in_(ids))).all() if ids else []
    action = request.form.get("action")
    if not tickets:
        flash(_("Select at least one ticket."), "error")
        return redirect(request.referrer or url_for("desk.index"))
    if action == "assign":
        assignee = db.session.get(User, int(request.form.get("assignee") or 0))
        if assignee is None:
            flash(_("Choose who to assign to."), "error")
            return redirect(request.referrer or url_for("desk.index"))
        failures = _bulk_apply(tickets, lambda t: assign(t, actor=current_user, assignee=assignee))
    elif action == "transition":
        key = request.form.get("transition", "")
        comment = request.form.get("comment", "")
        failures = _bulk_apply(tickets, lambda t: transition(t, key, actor=current_user, comment=comment))
    elif action == "tag":
        names = [n for n in (request.form.get("tags") or "").replace("，", ",").split(",") if n.strip()]
        failures = _bulk_apply(tickets, lambda t: add_tags([t], names, actor=current_user))
    else:
        abort(400)
    db.session.commit()
    done = len(tickets) - len(failures)
    flash(ngettext("%(num)d ticket updated.", "%(num)d tickets updated.", done), "info")
    for ticket_id, message in failures:
        flash(_("#%(id)s was not changed: %(reason)s", id=ticket_id, reason=message), "error")
    return redirect(request.referrer or url_for("desk.index"))
