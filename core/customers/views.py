"""The customer archive in the desk (客户档案): the list, a record's page with its contacts, people, tickets and
problem-customer flags, creating and editing, merging duplicates, the CSV export, and opening a protected
record with a stated reason (借阅), which lets the same person work on it for CUSTOMER_ACCESS_MINUTES."""
import time

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from core.auth.permissions import requires
from core.csvio import export_csv
from core.customers import flags, listing, transfer
from core.customers.access import (
    LEVEL_LABELS,
    NoClearance,
    ReasonRequired,
    cleared_levels,
    has_clearance,
    live_customers,
    log_opening,
    matching,
)
from core.customers.grades import grade_label, grades
from core.customers.merge import MergeError, merge_customers, resolve_merged
from core.customers.service import (
    CONTACT_LABELS,
    KIND_LABELS,
    CustomerInputError,
    add_contact,
    create_customer,
    mark_verified,
    remove_contact,
    update_customer,
)
from core.extensions import db
from core.models import CareTask, Customer, CustomerContact, CustomerFlag, Ticket
from core.tickets import queues

bp = Blueprint("customers", __name__, url_prefix="/desk/customers")
GRANTS = "kefu_customer_grants"
FORM_FIELDS = ("name", "kind", "organisation_id", "phone", "email", "address", "grade", "credit_grade", "birthday",
               "tags", "confidentiality", "notes")


@bp.app_context_processor
def _labels():
    return {"level_labels": LEVEL_LABELS, "kind_labels": KIND_LABELS, "contact_labels": CONTACT_LABELS,
            "grade_label": grade_label}


# Opening protected records ----------------------------------------------------------------------------------


def _grant_minutes():
    return current_app.config["CUSTOMER_ACCESS_MINUTES"]


def _granted(customer):
    grants = session.get(GRANTS) or {}
    return grants.get(str(customer.id), 0) > time.time()


def _grant(customer):
    now = time.time()
    grants = {key: until for key, until in (session.get(GRANTS) or {}).items() if until > now}
    grants[str(customer.id)] = now + 60 * _grant_minutes()
    session[GRANTS] = grants


def _found(customer_id):
    customer = db.session.get(Customer, customer_id)
    if customer is None:
        abort(404)
    return customer


def _refusal(customer):
    return render_template("customers/refused.html", customer_id=customer.id,
                           message=str(NoClearance(customer.confidentiality))), 403


def _record(customer_id):
    """The record for an action on it: a protected one needs clearance and an opening still in force."""
    customer = _found(customer_id)
    if customer.merged_into_id is not None:
        abort(404)
    if customer.protected and not (has_clearance(current_user, customer.confidentiality) and _granted(customer)):
        abort(403)
    return customer


def _back(customer):
    return redirect(url_for("customers.page", customer_id=customer.id))


# The list ---------------------------------------------------------------------------------------------------


def _filters():
    return {key: request.args.get(key, "").strip() for key in listing.FILTER_KEYS if request.args.get(key, "").strip()}


@bp.get("/")
@requires("customer.view")
def index():
    filters = _filters()
    status = 200
    try:
        result = listing.page(current_user, filters, request.args.get("cursor"))
    except listing.ListError as exc:
        flash(str(exc), "error")
        result, status = listing.Page([], None, 0, False), 400
    next_url = url_for("customers.index", **filters, cursor=result.next_cursor) if result.next_cursor else None
    return render_template("customers/list.html", page=result, filters=filters, next_url=next_url,
                           grades=grades("grade"), levels=LEVEL_LABELS), status


@bp.get("/search")
@requires("customer.view")
def search():
    """Records for the new-ticket form's picker: a protected one by name and level only."""
    term = (request.args.get("q") or "").strip()
    if not term:
        return jsonify(results=[])
    query = live_customers().where(matching(current_user, term)).order_by(Customer.name, Customer.id).limit(10)
    return jsonify(results=[{"id": c.id, "name": c.name, "level": c.confidentiality} if c.protected else
                            {"id": c.id, "name": c.name, "phone": c.phone, "email": c.email}
                            for c in db.session.scalars(query)])


@bp.get("/export.csv")
@requires("customer.export")
def export():
    """The list's records as CSV; protected ones only with a reason, each logged as opened."""
    rows = transfer.export_rows(current_user, _filters(), request.args.get("reason", ""))
    return export_csv(transfer.COLUMNS, rows, filename="customers.csv")


# A record ---------------------------------------------------------------------------------------------------


@bp.get("/<int:customer_id>")
@requires("customer.view")
def page(customer_id):
    customer = _found(customer_id)
    if customer.merged_into_id is not None:
        kept = resolve_merged(customer)
        flash(_("Record #%(old)s was merged into #%(new)s.", old=customer.id, new=kept.id), "info")
        return redirect(url_for("customers.page", customer_id=kept.id))
    if customer.protected and not has_clearance(current_user, customer.confidentiality):
        return _refusal(customer)
    if customer.protected and not _granted(customer):
        return render_template("customers/open.html", customer=customer, minutes=_grant_minutes())
    return _render_page(customer)


@bp.post("/<int:customer_id>/open")
@requires("customer.view")
def open_record(customer_id):
    customer = _found(customer_id)
    try:
        log_opening(current_user, customer, request.form.get("reason"), channel="desk", ip=request.remote_addr)
    except NoClearance:
        return _refusal(customer)
    except ReasonRequired as exc:
        return render_template("customers/open.html", customer=customer, minutes=_grant_minutes(),
                               error=str(exc)), 400
    db.session.commit()
    _grant(customer)
    return _back(customer)


def _render_page(customer, status=200, errors=None, form=None):
    args = request.args
    try:
        tickets = queues.page(current_user, "all", {"customer": str(customer.id)}, "created", args.get("cursor"),
                              options=(selectinload(Ticket.assignee),))
    except queues.FilterError as exc:
        flash(exc.message, "error")
        tickets = queues.Page([], None, 0, False)
    all_tickets = db.session.scalar(select(func.count(Ticket.id)).where(Ticket.customer_id == customer.id))
    people = db.session.scalars(live_customers().where(Customer.organisation_id == customer.id)
                                .order_by(Customer.name).limit(100)).all() if customer.kind == "organisation" else []
    care = db.session.scalars(select(CareTask).where(CareTask.customer_id == customer.id, CareTask.done_at.is_(None))
                              .order_by(CareTask.on).limit(10)).all()
    next_url = url_for("customers.page", customer_id=customer.id, cursor=tickets.next_cursor) \
        if tickets.next_cursor else None
    return render_template(
        "customers/page.html", customer=customer, tickets=tickets, hidden_tickets=max(0, all_tickets - tickets.count)
        if not tickets.count_capped else 0, next_url=next_url, people=people, care=care,
        open_flag=flags.open_flag(customer), flag_history=flags.history(customer), errors=errors or {},
        form=form or {}, grades=grades("grade"), credit_grades=grades("credit"),
    ), status


def _form_data():
    return {key: request.form.get(key, "") for key in FORM_FIELDS if key in request.form}


def _form(customer=None, status=200, errors=None, form=None):
    return render_template("customers/form.html", customer=customer, form=form or {}, errors=errors or {},
                           grades=grades("grade"), credit_grades=grades("credit"),
                           levels=[(key, LEVEL_LABELS[key]) for key in cleared_levels(current_user)],
                           organisations=_organisations(customer)), status


def _organisations(customer):
    query = live_customers().where(Customer.kind == "organisation").order_by(Customer.name).limit(500)
    return [row for row in db.session.scalars(query) if customer is None or row.id != customer.id]


@bp.route("/new", methods=("GET", "POST"))
@requires("customer.edit")
def new():
    if request.method == "GET":
        return _form()
    form = _form_data()
    try:
        customer = create_customer(form, actor=current_user)
    except CustomerInputError as exc:
        db.session.rollback()
        return _form(None, 400, exc.errors, form)
    db.session.commit()
    if customer.protected:
        _grant(customer)  # who made it does not have to state a reason to see it
    flash(_("Customer record #%(id)s created.", id=customer.id), "info")
    return _back(customer)


@bp.route("/<int:customer_id>/edit", methods=("GET", "POST"))
@requires("customer.edit")
def edit(customer_id):
    customer = _record(customer_id)
    if request.method == "GET":
        return _form(customer)
    form = _form_data()
    try:
        update_customer(customer, form, actor=current_user)
    except CustomerInputError as exc:
        db.session.rollback()
        return _form(_record(customer_id), 400, exc.errors, form)
    db.session.commit()
    flash(_("Saved."), "info")
    return _back(customer)


@bp.post("/<int:customer_id>/contacts")
@requires("customer.edit")
def new_contact(customer_id):
    customer = _record(customer_id)
    try:
        add_contact(customer, kind=request.form.get("kind", ""), value=request.form.get("value"),
                    name=request.form.get("name"), note=request.form.get("note"), actor=current_user)
    except CustomerInputError as exc:
        db.session.rollback()
        return _render_page(_record(customer_id), 400, errors={f"contact_{k}": v for k, v in exc.errors.items()},
                            form=request.form)
    db.session.commit()
    return _back(customer)


@bp.post("/<int:customer_id>/contacts/<int:contact_id>/delete")
@requires("customer.edit")
def delete_contact(customer_id, contact_id):
    customer = _record(customer_id)
    contact = db.session.get(CustomerContact, contact_id)
    if contact is None or contact.customer_id != customer.id:
        abort(404)
    remove_contact(customer, contact, actor=current_user)
    db.session.commit()
    return _back(customer)


@bp.post("/<int:customer_id>/verify")
@requires("customer.edit")
def verify(customer_id):
    customer = _record(customer_id)
    mark_verified(customer, actor=current_user)
    db.session.commit()
    return _back(customer)


def _attempt(customer, action, done=None):
    try:
        action()
    except (flags.FlagError, MergeError) as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        if done:
            flash(done, "info")
    return _back(customer)


@bp.post("/<int:customer_id>/flag")
@requires("customer.edit")
def propose_flag(customer_id):
    customer = _record(customer_id)
    return _attempt(customer, lambda: flags.propose(customer, actor=current_user, reason=request.form.get("reason")),
                    _("Your proposal was sent to the supervisors."))


@bp.post("/<int:customer_id>/flag/<int:flag_id>")
@requires("customer.confirm_problem")
def decide_flag(customer_id, flag_id):
    customer = _record(customer_id)
    flag = db.session.get(CustomerFlag, flag_id)
    if flag is None or flag.customer_id != customer.id:
        abort(404)
    return _attempt(customer, lambda: flags.decide(flag, actor=current_user, note=request.form.get("note", ""),
                                                   confirm=request.form.get("decision") == "confirm"))


@bp.post("/<int:customer_id>/flag/lift")
@requires("customer.confirm_problem")
def lift_flag(customer_id):
    customer = _record(customer_id)
    return _attempt(customer, lambda: flags.lift(customer, actor=current_user, note=request.form.get("note", "")))


@bp.post("/<int:customer_id>/merge")
@requires("customer.merge")
def merge(customer_id):
    """Merge the record numbered in the form into this one. Its details then show here, so merging a
    protected record counts as opening it: the reason typed is logged."""
    customer = _record(customer_id)
    value = (request.form.get("other") or "").strip().lstrip("#")
    other = db.session.get(Customer, int(value)) if value.isdigit() else None
    if other is None:
        flash(_("No customer record with that number."), "error")
        return _back(customer)

    def merging():
        if other.protected and other.id != customer.id and other.merged_into_id is None:
            try:
                log_opening(current_user, other, request.form.get("reason"), channel="desk", ip=request.remote_addr)
            except (NoClearance, ReasonRequired) as exc:
                raise MergeError(str(exc)) from None
        merge_customers(customer, other, actor=current_user)

    return _attempt(customer, merging, _("Record #%(old)s was merged into this one.", old=other.id))
