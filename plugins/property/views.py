"""The plugin's pages: the technician's phone-sized job list, the butlers' patrols (a finding becomes a repair
in one click), the emergency plan's steps, the resident's confirmation in the portal and the estate list."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from core.auth.permissions import requires
from core.desk.ticket_views import load_ticket
from core.extensions import db
from core.models import Ticket, TicketType
from core.tickets.fields import FieldError, clean_field
from core.tickets.service import TicketInputError, create_ticket
from core.workflow.engine import TransitionError, transition
from plugins.property import emergency
from plugins.property.location import describe, location_fields
from plugins.property.models import SHIFTS, Building, Estate, Finding, Patrol
from plugins.property.ticket_types import TICKET_TYPES

TICKET_TYPES_BY_KEY = {spec.key: spec for spec in TICKET_TYPES}

bp = Blueprint("property", __name__, url_prefix="/property", template_folder="templates")

JOB_STEPS = ("accept", "arrive", "complete")
JOB_TYPES = ("property_repair", "property_paid_service")


def _my_jobs():
    query = (select(Ticket).join(TicketType).where(TicketType.key.in_(JOB_TYPES), Ticket.assignee_id == current_user.id,
                                                   Ticket.active.is_(True))
             .order_by(Ticket.created_at))
    return db.session.scalars(query).all()


@bp.get("/jobs")
@requires("property.repair_work")
def jobs():
    return render_template("property/jobs.html", jobs=_my_jobs(), describe=describe)


@bp.post("/jobs/<int:ticket_id>/<step>")
@requires("property.repair_work")
def job_step(ticket_id, step):
    ticket = load_ticket(ticket_id)
    if step not in JOB_STEPS or ticket.type.key not in JOB_TYPES or ticket.assignee_id != current_user.id:
        abort(404)
    fields = {"work_done": request.form.get("work_done", "")} if step == "complete" else {}
    try:
        transition(ticket, step, actor=current_user, comment=request.form.get("comment", ""), fields=fields)
        if step == "complete":
            record_materials(ticket, request.form.get("materials", ""))
    except (TransitionError, FieldError) as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return render_template("property/jobs.html", jobs=_my_jobs(), describe=describe), 409
    db.session.commit()
    flash(_("Saved."), "info")
    return redirect(url_for("property.jobs"))


def record_materials(ticket, text):
    """The materials the technician used (optional, so not a requirement of the step)."""
    spec = next(field for field in TICKET_TYPES_BY_KEY[ticket.type.key].fields if field.key == "materials")
    value = clean_field(spec, text)
    if value not in (None, ""):
        ticket.fields = {**(ticket.fields or {}), "materials": value}


@bp.post("/tickets/<int:ticket_id>/plan/<step>")
@requires("property.emergency")
def plan_step(ticket_id, step):
    ticket = load_ticket(ticket_id)
    if ticket.type.key != "property_emergency":
        abort(404)
    try:
        emergency.tick(ticket, step, current_user)
    except KeyError:
        abort(404)
    db.session.commit()
    return redirect(url_for("desk.ticket", ticket_id=ticket.id))


@bp.post("/portal/tickets/<int:ticket_id>/confirm")
@requires("portal.access")
def resident_confirm(ticket_id):
    ticket = load_ticket(ticket_id)  # the customer's own tickets only: any other answers 404
    try:
        transition(ticket, "resident_confirm", actor=current_user, comment=request.form.get("comment", ""))
    except TransitionError as exc:
        db.session.rollback()
        flash(str(exc), "error")  # shown on the request's page, which the resident is sent back to
        return redirect(url_for("portal.ticket", ticket_id=ticket.id), 303)
    db.session.commit()
    flash(_("Thank you: you confirmed the work is done."), "info")
    return redirect(url_for("portal.ticket", ticket_id=ticket.id))


def _buildings():
    return db.session.scalars(select(Building).join(Estate).order_by(Estate.name, Building.name)).all()


def _patrols():
    query = select(Patrol).order_by(Patrol.created_at.desc(), Patrol.id.desc()).limit(60)
    if not current_user.can("ticket.view_all"):
        query = query.where(Patrol.butler_id == current_user.id)
    return db.session.scalars(query).all()


@bp.route("/patrols", methods=["GET", "POST"])
@requires("property.patrol")
def patrols():
    errors = {}
    if request.method == "POST":
        form = request.form
        building = db.session.get(Building, int(form["building"])) if form.get("building", "").isdigit() else None
        shift, diary = form.get("shift"), (form.get("diary") or "").strip()
        if building is None:
            errors["building"] = _("Choose the building you patrolled.")
        if shift not in SHIFTS:
            errors["shift"] = _("Choose the morning or the afternoon round.")
        if len(diary) > 5000:
            errors["diary"] = _("The diary is longer than %(n)d characters.", n=5000)
        if not errors:
            patrol = Patrol(butler=current_user, building=building, shift=shift, diary=diary)
            db.session.add(patrol)
            db.session.commit()
            return redirect(url_for("property.patrol", patrol_id=patrol.id))
    return render_template("property/patrols.html", patrols=_patrols(), buildings=_buildings(), errors=errors,
                           form=request.form), 400 if errors else 200


def _patrol_or_404(patrol_id):
    patrol = db.session.get(Patrol, patrol_id)
    if patrol is None or (patrol.butler_id != current_user.id and not current_user.can("ticket.view_all")):
        abort(404)
    return patrol


@bp.get("/patrols/<int:patrol_id>")
@requires("property.patrol")
def patrol(patrol_id):
    return render_template("property/patrol.html", patrol=_patrol_or_404(patrol_id), errors={})


@bp.post("/patrols/<int:patrol_id>/findings")
@requires("property.patrol")
def add_finding(patrol_id):
    patrol = _patrol_or_404(patrol_id)
    text = (request.form.get("description") or "").strip()
    if not text or len(text) > 500:
        error = _("Describe what you found, in at most %(n)d characters.", n=500)
        return render_template("property/patrol.html", patrol=patrol, errors={"description": error}), 400
    db.session.add(Finding(patrol=patrol, description=text))
    db.session.commit()
    return redirect(url_for("property.patrol", patrol_id=patrol.id))


@bp.post("/findings/<int:finding_id>/repair")
@requires("property.patrol")
def finding_to_repair(finding_id):
    finding = db.session.get(Finding, finding_id)
    if finding is None:
        abort(404)
    _patrol_or_404(finding.patrol_id)
    if finding.ticket_id is not None:
        return redirect(url_for("desk.ticket", ticket_id=finding.ticket_id))
    try:
        ticket = create_ticket(type_key="property_repair", title=finding.description[:200],
                               body=_("Found on the patrol of %(date)s.", date=finding.patrol.created_at.date()),
                               actor=current_user, requester=current_user, channel="web",
                               fields={**location_fields(building=finding.patrol.building), "place": "public"})
    except TicketInputError as exc:
        db.session.rollback()
        flash(" ".join(str(message) for message in exc.errors.values()), "error")
        return render_template("property/patrol.html", patrol=finding.patrol, errors={}), 400
    finding.ticket = ticket
    db.session.commit()
    flash(_("Repair #%(id)s was created from the finding.", id=ticket.id), "info")
    return redirect(url_for("desk.ticket", ticket_id=ticket.id))


@bp.get("/estates")
@requires("property.estate_view")
def estates():
    return render_template("property/estates.html",
                           estates=db.session.scalars(select(Estate).order_by(Estate.name)).all())
