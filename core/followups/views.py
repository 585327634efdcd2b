"""Pages of the closed loop: the desk's follow-up list and form and the investigation outcome (staff); the
survey behind a signed link (anyone holding it); the survey on the customer's own request (portal)."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from core.auth.permissions import public, requires
from core.extensions import db
from core.followups import investigations as inv
from core.followups import service
from core.followups.labels import METHOD_LABELS, QUESTION_LABELS, REASON_LABELS, SCORE_LABELS
from core.followups.links import survey_for_token
from core.followups.surveys import (
    SurveyClosed,
    SurveyInputError,
    latest_survey,
    link_problem,
    open_survey,
    submit_survey,
)
from core.models import FOLLOW_UP_METHODS, SURVEY_QUESTIONS, FollowUp, Investigation, User, utcnow
from core.tickets.access import visible_ticket_or_404
from core.workflow.engine import TransitionError

bp = Blueprint("followups", __name__)


@bp.record_once
def _labels(state):
    """Globals, so that the templates' macros (imported without their context) see them too."""
    state.app.jinja_env.globals.update(survey_questions=SURVEY_QUESTIONS, question_labels=QUESTION_LABELS,
                                       score_labels=SCORE_LABELS, method_labels=METHOD_LABELS,
                                       reason_labels=REASON_LABELS)


def _scores_from(form):
    return {name: form.get(f"score_{name}", "") for name in SURVEY_QUESTIONS}


# The desk ---------------------------------------------------------------------------------------------------


@bp.get("/desk/follow-ups/")
@requires("desk.access", "followup.do")
def index():
    view = request.args.get("view", "due")
    everyone = request.args.get("scope") == "all" and current_user.can("followup.manage")
    rows, counts = service.follow_up_list(current_user, view if view in service.VIEWS else "due", everyone=everyone)
    investigations = inv.investigation_list(current_user, everyone=everyone)
    if view not in (*service.VIEWS, "investigations"):
        view = "due"
    return render_template("followups/list.html", view=view, everyone=everyone, rows=rows, counts=counts,
                           investigations=investigations, now=utcnow())


def _follow_up_or_404(follow_up_id):
    found = db.session.scalar(service.visible_follow_ups(current_user).where(FollowUp.id == follow_up_id))
    if found is None:
        abort(404)
    return found


def _render_follow_up(follow_up, status=200, form=None, errors=None):
    ticket = follow_up.ticket
    return render_template(
        "followups/form.html", follow_up=follow_up, ticket=ticket, resolution=service.resolution_event(ticket),
        survey=latest_survey(ticket), methods=FOLLOW_UP_METHODS, form=form or {}, errors=errors or {},
        may_work=service.may_work_on(current_user, follow_up), staff=service.follow_up_staff(), now=utcnow(),
    ), status


@bp.route("/desk/follow-ups/<int:follow_up_id>", methods=["GET", "POST"])
@requires("desk.access", "followup.do")
def follow_up(follow_up_id):
    found = _follow_up_or_404(follow_up_id)
    if request.method == "GET":
        return _render_follow_up(found)
    form = request.form
    try:
        service.complete_follow_up(found, actor=current_user, method=form.get("method"), outcome=form.get("outcome"),
                                   scores=_scores_from(form), comment=form.get("comment", ""))
    except service.FollowUpInputError as exc:
        db.session.rollback()
        return _render_follow_up(_follow_up_or_404(follow_up_id), 400, form, exc.errors)
    except service.FollowUpError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return _render_follow_up(_follow_up_or_404(follow_up_id), 409, form)
    db.session.commit()
    flash(_("Follow-up of #%(id)s recorded.", id=found.ticket_id), "info")
    return redirect(url_for("followups.index"))


@bp.post("/desk/follow-ups/<int:follow_up_id>/assign")
@requires("desk.access", "followup.manage")
def assign(follow_up_id):
    found = _follow_up_or_404(follow_up_id)
    value = request.form.get("assignee", "")
    assignee = db.session.get(User, int(value)) if value.isdigit() else None
    try:
        service.reassign_follow_up(found, actor=current_user, assignee=assignee)
    except service.FollowUpInputError as exc:
        db.session.rollback()
        return _render_follow_up(_follow_up_or_404(follow_up_id), 400, errors=exc.errors)
    except service.FollowUpError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return _render_follow_up(_follow_up_or_404(follow_up_id), 409)
    db.session.commit()
    flash(_("The follow-up was handed to %(name)s.", name=assignee.name), "info")
    return redirect(url_for("followups.follow_up", follow_up_id=found.id))


@bp.post("/desk/investigations/<int:investigation_id>")
@requires("desk.access", "followup.do")
def investigation_outcome(investigation_id):
    found = db.session.get(Investigation, investigation_id)
    if found is None:
        abort(404)
    ticket = visible_ticket_or_404(current_user, found.ticket_id)
    try:
        inv.complete_investigation(found, actor=current_user, outcome=request.form.get("outcome", ""))
    except (inv.InvestigationError, TransitionError) as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("desk.ticket", ticket_id=ticket.id))
    db.session.commit()
    flash(_("The outcome was recorded and the customer is being told."), "info")
    return redirect(url_for("desk.ticket", ticket_id=ticket.id))


# The survey: behind a signed link, and in the portal ---------------------------------------------------------


@bp.route("/survey/<token>", methods=["GET", "POST"])
@public
def survey(token):
    found = survey_for_token(token)
    if found is None:
        return render_template("followups/survey.html", survey=None, problem=_("This survey link is not valid.")), 404
    problem = link_problem(found)
    if problem:
        return render_template("followups/survey.html", survey=found, problem=problem), 410
    if request.method == "GET":
        return render_template("followups/survey.html", survey=found, form={}, errors={})
    try:
        submit_survey(found, scores=_scores_from(request.form), comment=request.form.get("comment", ""),
                      channel="link")
    except SurveyInputError as exc:
        db.session.rollback()
        return render_template("followups/survey.html", survey=found, form=request.form, errors=exc.errors), 400
    except SurveyClosed as exc:
        db.session.rollback()
        return render_template("followups/survey.html", survey=found, problem=str(exc)), 410
    db.session.commit()
    return render_template("followups/survey.html", survey=found, thanks=True)


@bp.post("/portal/tickets/<int:ticket_id>/survey")
@requires("portal.access")
def portal_survey(ticket_id):
    ticket = visible_ticket_or_404(current_user, ticket_id)
    found = open_survey(ticket)
    if found is None:
        abort(404)
    try:
        submit_survey(found, scores=_scores_from(request.form), comment=request.form.get("comment", ""),
                      channel="portal", actor=current_user)
    except SurveyInputError as exc:
        db.session.rollback()
        for message in dict.fromkeys(exc.errors.values()):
            flash(message, "error")
        return redirect(url_for("portal.ticket", ticket_id=ticket.id) + "#survey")
    db.session.commit()
    flash(_("Thank you for rating our service."), "info")
    return redirect(url_for("portal.ticket", ticket_id=ticket.id))
