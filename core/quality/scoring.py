"""Scoring a drawn ticket on the admin's checklist: points per item (0 to its maximum) with a comment each and
one overall; the score is the weighted share of the maximum, in percent. Each item's maximum and weight are
copied into the score, so a checklist edited later leaves given scores as they were. The caller commits."""
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from core.extensions import db
from core.models import QualityChecklistItem, QualityInspection, QualityScore, utcnow
from core.sanitize import clean_html, to_text

COMMENT_MAX_LENGTH = 2000


class InspectionInputError(ValueError):
    """What was entered cannot be saved; `errors` maps a field to a message for the user."""

    def __init__(self, errors):
        super().__init__("; ".join(f"{key}: {message}" for key, message in errors.items()))
        self.errors = errors


def checklist():
    return db.session.scalars(select(QualityChecklistItem).where(QualityChecklistItem.active.is_(True))
                              .order_by(QualityChecklistItem.position, QualityChecklistItem.id)).all()


def _plain(text):
    return to_text(clean_html(text or ""))


def score_inspection(inspection, *, inspector, points, comments=None, comment="", now=None):
    """``points`` and ``comments`` map checklist item ids to what the inspector entered. Scoring again
    replaces the earlier scores. Raises InspectionInputError naming every problem; nothing changes then."""
    comments = comments or {}
    items = checklist()
    errors = {}
    if not inspector.can("quality.inspect"):
        errors["inspector"] = _("You do not have permission to inspect tickets.")
    if not items:
        errors["checklist"] = _("The checklist is empty: an admin defines its items in the admin panel first.")
    scores = []
    for item in items:
        given = points.get(item.id)
        raw = str(given).strip() if given is not None else ""
        if not raw.isdigit() or not 0 <= int(raw) <= item.max_points:
            errors[f"points_{item.id}"] = _("Give 0 to %(max)d points.", max=item.max_points)
            continue
        note = _plain(comments.get(item.id))
        scores.append(QualityScore(item=item, title=item.title, max_points=item.max_points, weight=item.weight,
                                   points=int(raw), comment=note[:COMMENT_MAX_LENGTH] or None))
    overall = _plain(comment)
    if len(overall) > COMMENT_MAX_LENGTH:
        errors["comment"] = _("The comment is longer than %(n)d characters.", n=COMMENT_MAX_LENGTH)
    if errors:
        raise InspectionInputError(errors)
    inspection.scores = scores
    weighted_max = sum(score.max_points * score.weight for score in scores)
    inspection.score = round(100 * sum(score.points * score.weight for score in scores) / weighted_max, 1)
    inspection.comment = overall or None
    inspection.state, inspection.inspector, inspection.done_at = "done", inspector, now or utcnow()
    return inspection


def week_inspections(monday):
    return db.session.scalars(select(QualityInspection).where(QualityInspection.week_start == monday)
                              .options(selectinload(QualityInspection.ticket), selectinload(QualityInspection.agent))
                              .order_by(QualityInspection.agent_id, QualityInspection.id)).all()


def scores_of(agent, limit=100):
    """An agent's scored inspections, newest first (what the agent sees of their own)."""
    return db.session.scalars(select(QualityInspection).where(QualityInspection.agent_id == agent.id,
                                                              QualityInspection.state == "done")
                              .options(selectinload(QualityInspection.scores), selectinload(QualityInspection.ticket))
                              .order_by(QualityInspection.done_at.desc()).limit(limit)).all()
