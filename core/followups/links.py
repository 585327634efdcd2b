"""Signed survey links: the token names the survey and nothing else. Its expiry is the survey's own, and
answering spends it (the survey's state), so a link works once and until then."""
from flask import current_app
from itsdangerous import BadData, URLSafeSerializer

from core.extensions import db
from core.models import Survey

LINK_SALT = "kefu.survey.link"


def link_token(survey):
    return URLSafeSerializer(current_app.secret_key, salt=LINK_SALT).dumps({"survey": survey.id})


def survey_for_token(token):
    """The survey a link names, or None for a link that was not made here (tampered, guessed)."""
    try:
        data = URLSafeSerializer(current_app.secret_key, salt=LINK_SALT).loads(token)
    except BadData:
        return None
    survey_id = data.get("survey") if isinstance(data, dict) else None
    return db.session.get(Survey, survey_id) if isinstance(survey_id, int) else None
