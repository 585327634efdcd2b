"""Quality inspection pages in the desk: the week's sample with a button to draw it, scoring one ticket on the
checklist (inspectors), and an agent's own scores."""
from datetime import date, timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from core.auth.permissions import requires
from core.extensions import db
from core.models import QualityInspection, User, utcnow
from core.quality import sampling, scoring
from core.tickets.access import visible_ticket_or_404
from core.tickets.timeline import timeline

bp = Blueprint("quality", __name__, url_prefix="/desk/quality")


def _week():
    """The Monday of ?week=YYYY-MM-DD (any day of the week), else this week's."""
    try:
        return sampling.week_of_day(date.fromisoformat(request.values.get("week", "")))
    except ValueError:
        return sampling.week_of(utcnow())


@bp.get("/")
@requires("desk.access", "quality.inspect")
def index():
    monday = _week()
    inspections = scoring.week_inspections(monday)
    summary = sampling.week_summary(monday)
    agents = {user.id: user for user in db.session.query(User).filter(User.id.in_(summary)).all()} if summary else {}
    return render_template("quality/index.html", monday=monday, sunday=monday + timedelta(days=6),
                           previous=monday - timedelta(days=7), next=monday + timedelta(days=7),
                           this_week=sampling.week_of(utcnow()), inspections=inspections, summary=summary,
                           agents=agents, percent=current_app.config["QUALITY_SAMPLE_PERCENT"],
                           checklist_ready=bool(scoring.checklist()))


@bp.post("/draw")
@requires("desk.access", "quality.inspect")
def draw():
    monday = _week()
    value = request.form.get("percent", "").strip()
    if not value.isdigit() or not 1 <= int(value) <= 100:
        flash(_("The share to draw must be a whole number from 1 to 100."), "error")
        return redirect(url_for("quality.index", week=monday.isoformat()))
    try:
        added = sampling.draw_sample(monday, percent=int(value))
        db.session.commit()
    except IntegrityError:  # someone drew the same week at the same moment
        db.session.rollback()
        flash(_("The sample was being drawn at the same time by someone else; here it is."), "info")
        return redirect(url_for("quality.index", week=monday.isoformat()))
    flash(_("%(n)d tickets drawn for inspection.", n=len(added)) if added else
          _("Nothing new to draw: the sample of this week is complete."), "info")
    return redirect(url_for("quality.index", week=monday.isoformat()))


def _render_inspection(inspection, status=200, form=None, errors=None):
    ticket = visible_ticket_or_404(current_user, inspection.ticket_id)
    given = {score.item_id: score for score in inspection.scores}
    return render_template("quality/inspect.html", inspection=inspection, ticket=ticket,
                           events=timeline(ticket, staff=True), items=scoring.checklist(), given=given,
                           form=form, errors=errors or {}), status


@bp.route("/<int:inspection_id>", methods=["GET", "POST"])
@requires("desk.access", "quality.inspect")
def inspect(inspection_id):
    inspection = db.session.get(QualityInspection, inspection_id)
    if inspection is None:
        abort(404)
    if request.method == "GET":
        return _render_inspection(inspection)
    form = request.form
    items = scoring.checklist()
    try:
        scoring.score_inspection(inspection, inspector=current_user,
                                 points={item.id: form.get(f"points_{item.id}") for item in items},
                                 comments={item.id: form.get(f"comment_{item.id}") for item in items},
                                 comment=form.get("comment", ""))
    except scoring.InspectionInputError as exc:
        db.session.rollback()
        return _render_inspection(db.session.get(QualityInspection, inspection_id), 400, form, exc.errors)
    db.session.commit()
    flash(_("Inspection of #%(id)s saved: %(score)s points.", id=inspection.ticket_id, score=inspection.score), "info")
    return redirect(url_for("quality.index", week=inspection.week_start.isoformat()))


@bp.get("/mine")
@requires("desk.access")
def mine():
    return render_template("quality/mine.html", inspections=scoring.scores_of(current_user))
