"""The ticket page and everything done on it; creating a ticket at the desk."""
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select

from core.auth.permissions import requires
from core.customers.access import NoClearance, has_clearance
from core.customers.service import link_ticket as link_ticket_to_customer
from core.customers.service import possible_matches
from core.desk import bp, lookups
from core.extensions import db
from core.models import Approval, Attachment, CannedResponse, Customer, Team, Ticket, User
from core.tickets import attachments as files
from core.tickets.access import visible_ticket_or_404, visible_tickets
from core.tickets.assignment import (
    AssignmentError,
    assign,
    escalate,
    is_dispatched,
    request_reassign,
    suggestions,
)
from core.tickets.fields import fields_from_form, form_field_name
from core.tickets.relations import RelationError, link, links_of, merge, set_tags, watch
from core.tickets.service import StaleTicket, TicketInputError, add_comment, create_ticket, update_ticket
from core.tickets.timeline import timeline
from core.workflow.approvals import decide, pending_approvals, request_approval
from core.workflow.engine import TransitionError, available_transitions, transition, workflow_of

PLACEHOLDERS = ("customer_name", "ticket_id", "ticket_title", "agent_name")


def load_ticket(ticket_id):
    return visible_ticket_or_404(current_user, ticket_id)


def _back(ticket):
    return redirect(url_for("desk.ticket", ticket_id=ticket.id))


def fill_placeholders(text, ticket, agent):
    values = {"customer_name": ticket.customer.name if ticket.customer else "", "ticket_id": str(ticket.id),
              "ticket_title": ticket.title, "agent_name": agent.name}
    for key in PLACEHOLDERS:
        text = text.replace("{" + key + "}", values[key])
    return text


def _canned_for(ticket):
    query = (select(CannedResponse).where(or_(CannedResponse.owner_id.is_(None),
                                              CannedResponse.owner_id == current_user.id))
             .order_by(CannedResponse.title))
    return [(row.title, fill_placeholders(row.body, ticket, current_user)) for row in db.session.scalars(query)]


def _customer_panel(ticket):
    """What the ticket page may show of its customer: a protected record's name and level only; for a
    record made from the public form, the verified records it may belong to."""
    customer = ticket.customer
    if customer is None:
        return None
    matches = possible_matches(customer) if not customer.verified and current_user.can("customer.edit") else []
    return {"customer": customer, "details": not customer.protected, "matches": matches}


def render_ticket(ticket, status=200, draft=None, errors=None):
    registry = current_app.extensions["kefu"].registry
    spec = registry.ticket_types.get(ticket.type.key)
    approvals = pending_approvals(ticket)
    steps = available_transitions(ticket, current_user)
    # Whoever may assign, or take a step that names an assignee (a dispatch), is offered the suited people first.
    dispatching = current_user.can("ticket.assign") or any("assignee" in step.requires for step in steps)
    # A ticket may move to another type of the same workflow (the SLA clocks are re-evaluated).
    movable = [row for row in lookups.ticket_types()
               if spec and row.key in registry.ticket_types and registry.ticket_types[row.key].workflow == spec.workflow]
    return render_template(
        "desk/ticket.html", ticket=ticket, spec=spec, events=timeline(ticket, staff=True),
        transitions=steps, workflow=workflow_of(ticket),
        canned=_canned_for(ticket), links=links_of(ticket), staff=lookups.staff(), teams=lookups.teams(),
        suggestions=suggestions(ticket) if dispatching else [],
        dispatched=is_dispatched(ticket), approvals=approvals, movable_types=movable,
        waiting_steps={row.transition for row in approvals if row.kind == "transition"},
        pending_request=next((row for row in approvals if row.kind == "reassign"), None),
        draft=draft or {}, errors=errors or {},
        customer_panel=_customer_panel(ticket),
    ), status


@bp.get("/tickets/<int:ticket_id>")
@requires("desk.access")
def ticket(ticket_id):
    found = load_ticket(ticket_id)
    if found.merged_into_id is not None:
        flash(_("Ticket #%(old)s was merged into #%(new)s.", old=found.id, new=found.merged_into_id), "info")
        return redirect(url_for("desk.ticket", ticket_id=found.merged_into_id))
    return render_ticket(found)


@bp.post("/tickets/<int:ticket_id>/reply")
@requires("desk.access")
def reply(ticket_id):
    ticket = load_ticket(ticket_id)
    public = request.form.get("kind", "reply") == "reply"
    if not current_user.can("ticket.reply" if public else "ticket.note"):
        abort(403)
    body = request.form.get("body", "")
    try:
        checked = files.check_files(request.files.getlist("files"))
        event = add_comment(ticket, actor=current_user, body=body, public=public)
    except files.UploadError as exc:
        return render_ticket(ticket, 400, draft={"body": body, "kind": request.form.get("kind")},
                             errors={"files": str(exc)})
    except TicketInputError as exc:
        return render_ticket(ticket, 400, draft={"body": body, "kind": request.form.get("kind")}, errors=exc.errors)
    files.store(ticket, checked, uploader=current_user, event=event)
    if request.form.get("watch"):
        watch(ticket, current_user)
    db.session.commit()
    flash(_("Reply sent.") if public else _("Note added."), "info")
    return _back(ticket)


def _step_fields(ticket, key):
    """The values the form gives for the ticket fields that step `key` requires."""
    step = next((t for t in workflow_of(ticket).transitions if t.key == key), None)
    spec = current_app.extensions["kefu"].registry.ticket_types[ticket.type.key]
    given = fields_from_form(spec, request.form)
    return {name: given[name] for name in (step.field_keys if step else ())
            if form_field_name(spec.key, next(f for f in spec.fields if f.key == name)) in request.form}


@bp.post("/tickets/<int:ticket_id>/transition")
@requires("desk.access")
def change_state(ticket_id):
    """Take a step, or request its approval when it requires one."""
    ticket = load_ticket(ticket_id)
    assignee = db.session.get(User, int(request.form["assignee"])) if request.form.get("assignee", "").isdigit() else None
    key, comment = request.form.get("transition", ""), request.form.get("comment", "")
    step = next((t for t in workflow_of(ticket).transitions_from(ticket.status) if t.key == key), None)
    take = request_approval if step is not None and "approval" in step.requires else transition
    try:
        take(ticket, key, actor=current_user, comment=comment, assignee=assignee, fields=_step_fields(ticket, key))
    except (TransitionError, AssignmentError) as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return render_ticket(load_ticket(ticket_id), 409, draft={"comment": comment})
    db.session.commit()
    if take is request_approval:
        flash(_("Your request for approval was sent."), "info")
    return _back(ticket)


@bp.post("/tickets/<int:ticket_id>/fields")
@requires("ticket.transition")
def edit_fields(ticket_id):
    ticket = load_ticket(ticket_id)
    spec = current_app.extensions["kefu"].registry.ticket_types[ticket.type.key]
    changes = {"title": request.form.get("title", ticket.title), "priority": request.form.get("priority", ticket.priority),
               "type": request.form.get("type", ticket.type.key),
               "fields": {field.key: request.form.get("f_" + field.key) for field in spec.fields}}
    try:
        update_ticket(ticket, actor=current_user, changes=changes, expected_version=request.form.get("version"))
        db.session.commit()
    except StaleTicket:
        db.session.rollback()
        flash(_("Someone else changed this ticket while you were editing it. Your changes were not saved; "
                "here is the current version."), "error")
        return render_ticket(load_ticket(ticket_id), 409)
    except TicketInputError as exc:
        db.session.rollback()
        return render_ticket(load_ticket(ticket_id), 400, errors=exc.errors)
    flash(_("Saved."), "info")
    return _back(ticket)


def _user_from_form(name):
    value = request.form.get(name, "")
    return db.session.get(User, int(value)) if value.isdigit() else None


def _attempt(ticket, action, done_message=None):
    """Run a service call and commit; a refusal rolls back and is shown to the user. Back to the ticket."""
    try:
        result = action()
        db.session.commit()
    except (AssignmentError, RelationError, TransitionError) as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        message = done_message(result) if callable(done_message) else done_message
        if message:
            flash(message, "info")
    return _back(ticket)


@bp.post("/tickets/<int:ticket_id>/assign")
@requires("desk.access")
def assign_ticket(ticket_id):
    ticket = load_ticket(ticket_id)
    assignee = current_user if request.form.get("take") else _user_from_form("assignee")
    return _attempt(ticket, lambda: assign(ticket, actor=current_user, assignee=assignee))


@bp.post("/tickets/<int:ticket_id>/reassign")
@requires("desk.access")
def ask_reassign(ticket_id):
    ticket = load_ticket(ticket_id)
    return _attempt(ticket, lambda: request_reassign(ticket, actor=current_user, to_user=_user_from_form("assignee"),
                                                     reason=request.form.get("reason", "")),
                    _("Your request was sent to the supervisor."))


@bp.post("/approvals/<int:approval_id>")
@requires("desk.access")
def decide_approval(approval_id):
    """Approve or refuse: only those holding the approval's permission (403 for the others)."""
    row = db.session.get(Approval, approval_id)
    if row is None:
        abort(404)
    ticket = load_ticket(row.ticket_id)
    if not current_user.can(row.permission):
        abort(403)
    approve = request.form.get("decision") == "approve"
    return _attempt(ticket, lambda: decide(row, actor=current_user, approve=approve, comment=request.form.get("note", "")),
                    _("Approved.") if approve else _("Refused."))


@bp.post("/tickets/<int:ticket_id>/escalate")
@requires("desk.access")
def escalate_ticket(ticket_id):
    ticket = load_ticket(ticket_id)
    return _attempt(ticket, lambda: escalate(ticket, actor=current_user, reason=request.form.get("reason", "")),
                    lambda level: _("Escalated to the supervisor.") if level == 1 else _("Escalated to the managers."))


@bp.post("/tickets/<int:ticket_id>/tags")
@requires("ticket.transition")
def edit_tags(ticket_id):
    ticket = load_ticket(ticket_id)
    names = (request.form.get("tags") or "").replace("，", ",").split(",")
    return _attempt(ticket, lambda: set_tags(ticket, names, actor=current_user))


@bp.post("/tickets/<int:ticket_id>/watch")
@requires("desk.access")
def toggle_watch(ticket_id):
    ticket = load_ticket(ticket_id)
    watch(ticket, current_user, watching=request.form.get("watch") == "1")
    db.session.commit()
    return _back(ticket)


def _other_ticket():
    value = (request.form.get("other") or "").strip().lstrip("#")
    if not value.isdigit():
        return None
    return db.session.scalar(visible_tickets(current_user).where(Ticket.id == int(value)))


@bp.post("/tickets/<int:ticket_id>/link")
@requires("ticket.transition")
def link_ticket(ticket_id):
    ticket, other = load_ticket(ticket_id), _other_ticket()
    if other is None:
        flash(_("No ticket with that number that you can see."), "error")
        return _back(ticket)
    merging = bool(request.form.get("merge"))
    try:
        (merge if merging else link)(ticket, other, actor=current_user)
        db.session.commit()
    except RelationError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return _back(ticket)
    if merging:
        flash(_("Ticket #%(old)s was merged into #%(new)s.", old=ticket.id, new=other.id), "info")
        return _back(other)
    return _back(ticket)


@bp.post("/tickets/<int:ticket_id>/customer")
@requires("customer.edit")
def link_customer(ticket_id):
    """Link the ticket to an existing record (e.g. a public-form request, once staff checked who sent it)."""
    ticket = load_ticket(ticket_id)
    value = request.form.get("customer_id", "")
    customer = db.session.get(Customer, int(value)) if value.isdigit() else None
    if customer is None or customer.merged_into_id is not None:
        flash(_("No customer record with that number."), "error")
        return _back(ticket)
    if not has_clearance(current_user, customer.confidentiality):
        flash(str(NoClearance(customer.confidentiality)), "error")
        return _back(ticket)
    link_ticket_to_customer(ticket, customer, actor=current_user)
    db.session.commit()
    flash(_("The ticket now belongs to %(name)s.", name=customer.name), "info")
    return _back(ticket)


@bp.get("/tickets/<int:ticket_id>/files/<int:attachment_id>")
@requires("desk.access")
def download(ticket_id, attachment_id):
    from core.tickets.relations import merged_ids

    ticket = load_ticket(ticket_id)
    row = db.session.get(Attachment, attachment_id)
    if row is None or row.ticket_id not in merged_ids(ticket):
        abort(404)
    return files.send(row)


def _new_ticket_form(status=200, form=None, errors=None):
    registry = current_app.extensions["kefu"].registry
    types = [(row, registry.ticket_types[row.key]) for row in lookups.ticket_types() if row.key in registry.ticket_types]
    return render_template("desk/new_ticket.html", types=types, form=form or {}, errors=errors or {},
                           teams=lookups.teams()), status


@bp.route("/tickets/new", methods=["GET", "POST"])
@requires("ticket.create")
def new_ticket():
    if request.method == "GET":
        return _new_ticket_form()
    form = request.form
    type_key = form.get("type", "")
    errors = {}
    customer = None
    if form.get("customer_id", "").isdigit():
        customer = db.session.get(Customer, int(form["customer_id"]))
    elif form.get("new_customer_name", "").strip():
        from core.customers.service import CustomerInputError, create_customer

        try:
            customer = create_customer({"name": form["new_customer_name"], "phone": form.get("new_customer_phone"),
                                        "kind": "person"}, actor=current_user)
        except CustomerInputError as exc:
            errors.update({f"customer_{key}": message for key, message in exc.errors.items()})
    try:
        checked = files.check_files(request.files.getlist("files"))
    except files.UploadError as exc:
        errors["files"] = str(exc)
    if errors:
        db.session.rollback()
        return _new_ticket_form(400, form, errors)
    spec = current_app.extensions["kefu"].registry.ticket_types.get(type_key)
    fields = fields_from_form(spec, form) if spec else {}
    team = db.session.get(Team, int(form["team"])) if form.get("team", "").isdigit() else None
    try:
        created = create_ticket(type_key=type_key, title=form.get("title", ""), body=form.get("body", ""),
                                actor=current_user, customer=customer, channel=form.get("channel", "phone"),
                                priority=form.get("priority", "normal"), fields=fields, team=team)
    except TicketInputError as exc:
        db.session.rollback()
        return _new_ticket_form(400, form, exc.errors)
    files.store(created, checked, uploader=current_user)
    db.session.commit()
    flash(_("Ticket #%(id)s created.", id=created.id), "info")
    return redirect(url_for("desk.ticket", ticket_id=created.id))

