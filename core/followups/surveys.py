"""Satisfaction surveys (评价): 服务质量, 服务态度, 响应速度 scored 1–5 and a comment, answered once, through a
signed link (it expires and works once), in the portal, over the API, or by the agent during the follow-up.
A score of 2 or less opens an investigation; plugins hear of every answer (``kefu_survey_submitted``)."""
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from core.extensions import db
from core.followups.archive import archive_if_done
from core.followups.investigations import open_investigation
from core.models import SURVEY_QUESTIONS, Survey, TicketEvent, utcnow
from core.sanitize import clean_html, to_text

COMMENT_MAX_LENGTH = 2000


class SurveyInputError(ValueError):
    """Answers that cannot be saved; `errors` maps a question (or "comment") to a message for the user."""

    def __init__(self, errors):
        super().__init__("; ".join(f"{key}: {message}" for key, message in errors.items()))
        self.errors = errors


class SurveyClosed(Exception):
    """The survey was answered already, no longer applies (the request was reopened), or its link expired."""


def create_survey(ticket, now):
    survey = Survey(ticket=ticket, customer=ticket.customer, state="open", created_at=now,
                    expires_at=now + timedelta(days=current_app.config["SURVEY_LINK_DAYS"]))
    db.session.add(survey)
    db.session.flush()
    return survey


def open_survey(ticket):
    return db.session.scalar(select(Survey).where(Survey.ticket_id == ticket.id, Survey.state == "open")
                             .order_by(Survey.id.desc()).limit(1))


def latest_survey(ticket):
    return db.session.scalar(select(Survey).where(Survey.ticket_id == ticket.id).order_by(Survey.id.desc()).limit(1))


def cancel_open_surveys(ticket):
    for survey in db.session.scalars(select(Survey).where(Survey.ticket_id == ticket.id, Survey.state == "open")):
        survey.state = "cancelled"


def link_problem(survey, now=None):
    """Why the link no longer works (a message for the customer), or None while it does."""
    if survey.state == "answered":
        return _("Thank you, this survey was already answered.")
    if survey.state == "cancelled":
        return _("This survey no longer applies: the request was reopened. We will ask you again when it is done.")
    if (now or utcnow()) >= survey.expires_at:
        return _("This survey link has expired.")
    return None


# Answers


def _whole_number(raw):
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.strip().isdigit():
        return int(raw.strip())
    return None


def check_answers(scores, comment):
    """The three scores as integers 1–5 and the comment as plain text; SurveyInputError names every problem."""
    scores = scores if isinstance(scores, dict) else {}
    values, errors = {}, {}
    for name in SURVEY_QUESTIONS:
        raw = scores.get(name)
        value = _whole_number(raw)
        if raw is None or raw == "":
            errors[name] = _("Choose a score from 1 to 5.")
        elif value is None or not 1 <= value <= 5:
            errors[name] = _("The score must be a whole number from 1 to 5.")
        else:
            values[name] = value
    text = to_text(clean_html(comment or ""))
    if len(text) > COMMENT_MAX_LENGTH:
        errors["comment"] = _("The comment is longer than %(n)d characters.", n=COMMENT_MAX_LENGTH)
    if errors:
        raise SurveyInputError(errors)
    return values, text


def submit_survey(survey, *, scores, comment="", channel="link", actor=None, follow_up=None, now=None):
    """Record the answers once. ``channel`` is how they came (link, portal, follow_up, api); ``actor`` who gave
    them (None for a link). A score of 2 or less opens an investigation for the supervisor; otherwise the
    ticket is archived when nothing else is left. Raises SurveyInputError or SurveyClosed."""
    now = now or utcnow()
    if survey.state != "open" or (channel == "link" and now >= survey.expires_at):  # only the link expires
        raise SurveyClosed(link_problem(survey, now))
    values, text = check_answers(scores, comment)
    for name, value in values.items():
        setattr(survey, name, value)
    survey.comment = text or None
    survey.state, survey.answered_at, survey.channel = "answered", now, channel
    survey.answered_by_id = getattr(actor, "id", None)
    if follow_up is not None:
        survey.follow_up = follow_up
    ticket = survey.ticket
    db.session.add(TicketEvent(ticket=ticket, kind="survey", actor=actor, public=True,
                               body=clean_html(text) or None, created_at=now,
                               data={"survey": survey.id, "channel": channel, **values}))
    db.session.flush()
    if survey.is_bad:
        open_investigation(survey, now)
    else:
        archive_if_done(ticket, now)
    current_app.extensions["kefu"].pm.hook.kefu_survey_submitted(ticket=ticket, survey=survey)
    return survey
