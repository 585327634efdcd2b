"""The closed loop through the API, with exactly the web interface's permissions: staff list and record
follow-ups (desk.access and followup.do; everyone's with followup.manage); surveys are read by whoever sees
their ticket, and answered by the customer account it belongs to (staff record answers with a follow-up)."""
from flask import abort
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from core.api import bp
from core.api.errors import ApiError, invalid
from core.api.openapi import operation
from core.api.pages import body as page_body
from core.api.pages import by_id
from core.api.schemas import (
    FollowUpCompletionSchema,
    FollowUpPageSchema,
    FollowUpQuerySchema,
    FollowUpSchema,
    SurveyAnswerSchema,
    SurveySchema,
)
from core.api.tickets import desk_or_portal
from core.extensions import db
from core.followups import service
from core.followups.surveys import SurveyClosed, SurveyInputError, submit_survey
from core.models import FollowUp, Survey
from core.tickets.access import visible_ticket_or_404

FOLLOW_UP = FollowUpSchema()
SURVEY = SurveySchema()


def customer_account(user):
    """Customer accounts with portal.access, on their own tickets; staff record answers with a follow-up."""
    return not user.is_staff and user.can("portal.access")


def _follow_up_or_404(follow_up_id):
    found = db.session.scalar(service.visible_follow_ups(current_user).where(FollowUp.id == follow_up_id))
    if found is None:
        abort(404)
    return found


def _survey_or_404(survey_id):
    found = db.session.get(Survey, survey_id)
    if found is None:
        abort(404)
    visible_ticket_or_404(current_user, found.ticket_id)  # the same 404 for another customer's survey
    return found


def _follow_up_input_error(errors):
    paths = {"quality": "scores.quality", "attitude": "scores.attitude", "speed": "scores.speed"}
    return invalid({paths.get(key, key): message for key, message in errors.items()})


@bp.get("/follow-ups")
@operation("follow-ups", query=FollowUpQuerySchema, response=FollowUpPageSchema, errors=(400, 403),
           permissions=("desk.access", "followup.do"))
def list_follow_ups(query):
    """Your follow-ups: pending (`view=due`), past their due time (`overdue`) or recorded (`done`).

    `scope=all` lists everyone's for those who manage follow-ups."""
    view = query.get("view", "due")
    if view not in service.VIEWS:
        raise ApiError(400, "bad_request", _("Unknown list."), "view")
    rows, cursor = by_id(service.follow_up_query(current_user, view, everyone=query.get("scope") == "all"),
                         FollowUp.id, query)
    return FollowUpPageSchema().dump(page_body(rows, cursor))


@bp.get("/follow-ups/<int:follow_up_id>")
@operation("follow-ups", response=FollowUpSchema, errors=(403, 404), permissions=("desk.access", "followup.do"))
def get_follow_up(follow_up_id):
    """A follow-up task: its ticket, customer, due time and, once done, how it went."""
    return FOLLOW_UP.dump(_follow_up_or_404(follow_up_id))


@bp.post("/follow-ups/<int:follow_up_id>/completion")
@operation("follow-ups", body=FollowUpCompletionSchema, response=FollowUpSchema, errors=(400, 403, 404, 409, 422),
           permissions=("desk.access", "followup.do"))
def complete_follow_up(follow_up_id, body):
    """Record a follow-up: the method, what the customer said and, when they answered, the three scores.

    A score of 2 or less opens an investigation for the supervisor. A follow-up already recorded, or one of a
    reopened request, is a 409; someone else's is a 403."""
    found = _follow_up_or_404(follow_up_id)
    try:
        service.complete_follow_up(found, actor=current_user, method=body["method"], outcome=body["outcome"],
                                   scores=body.get("scores"), comment=body.get("comment", ""))
    except service.FollowUpInputError as exc:
        raise _follow_up_input_error(exc.errors) from None
    except service.FollowUpError as exc:
        raise ApiError(403 if exc.code == "forbidden" else 409, exc.code if exc.code == "forbidden" else "conflict",
                       str(exc)) from None
    db.session.commit()
    return FOLLOW_UP.dump(found)


@bp.get("/tickets/<int:ticket_id>/surveys")
@operation("surveys", response=SurveySchema(many=True), errors=(403, 404), access=desk_or_portal)
def ticket_surveys(ticket_id):
    """The satisfaction surveys of a ticket, one per resolution, newest first."""
    ticket = visible_ticket_or_404(current_user, ticket_id)
    rows = db.session.scalars(select(Survey).where(Survey.ticket_id == ticket.id).order_by(Survey.id.desc())).all()
    return SurveySchema(many=True).dump(rows)


@bp.get("/surveys/<int:survey_id>")
@operation("surveys", response=SurveySchema, errors=(403, 404), access=desk_or_portal)
def get_survey(survey_id):
    """A satisfaction survey. Customer accounts see those of their own tickets only (others are a 404)."""
    return SURVEY.dump(_survey_or_404(survey_id))


@bp.post("/surveys/<int:survey_id>/answer")
@operation("surveys", body=SurveyAnswerSchema, response=SurveySchema, errors=(400, 403, 404, 409, 422),
           access=customer_account)
def answer_survey(survey_id, body):
    """Answer a survey: 服务质量, 服务态度, 响应速度 from 1 to 5, and a comment. Once only.

    A score outside 1–5 is a 422 naming it; a survey already answered, or of a reopened request, is a 409."""
    found = _survey_or_404(survey_id)
    try:
        submit_survey(found, scores=body["scores"], comment=body.get("comment", ""), channel="api",
                      actor=current_user)
    except SurveyInputError as exc:
        raise _follow_up_input_error(exc.errors) from None
    except SurveyClosed as exc:
        raise ApiError(409, "conflict", str(exc)) from None
    db.session.commit()
    return SURVEY.dump(found)
