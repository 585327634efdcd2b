"""Who gets a follow-up (回访) after a resolution, and by when.

Customers of the grades the site always follows up (FOLLOW_UP_ALWAYS_GRADES: 会员/战略/重点) always get one; of
the others a share: the most specific active admin rule for the grade and the ticket type, else
FOLLOW_UP_SAMPLE_PERCENT. The draw is a hash of the ticket's id, so deciding again never changes the answer.
"""
import hashlib
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from core.extensions import db
from core.models import FollowUpRule
from core.sla import clocks


def matching_rule(ticket):
    """The active rule for the ticket's customer grade and type; one naming both beats one naming either,
    and a grade beats a type."""
    grade = ticket.customer.grade if ticket.customer is not None else None
    rules = db.session.scalars(select(FollowUpRule).where(FollowUpRule.active.is_(True)).order_by(FollowUpRule.id))
    matching = [rule for rule in rules
                if rule.customer_grade in (None, grade) and rule.ticket_type in (None, ticket.type.key)]
    return max(matching, default=None, key=lambda rule: (
        (rule.customer_grade is not None) + (rule.ticket_type is not None), rule.customer_grade is not None))


def decide(ticket):
    """(percent, reason): the share of such tickets followed up, and why ("always" or "sampled")."""
    grade = ticket.customer.grade if ticket.customer is not None else None
    if grade in current_app.config["FOLLOW_UP_ALWAYS_GRADES"]:
        return 100, "always"
    rule = matching_rule(ticket)
    return (rule.percent if rule is not None else current_app.config["FOLLOW_UP_SAMPLE_PERCENT"]), "sampled"


def draw(ticket_id):
    """The ticket's fixed place in 0–99: it is followed up when that is below the percent."""
    digest = hashlib.sha256(f"kefu.follow-up:{ticket_id}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % 100


def needs_follow_up(ticket):
    """The reason for a follow-up ("always", "sampled"), or None when the ticket gets none. Without a
    customer record there is nobody to call."""
    if ticket.customer is None:
        return None
    percent, reason = decide(ticket)
    return reason if draw(ticket.id) < percent else None


def due_at(ticket, now):
    """The SLA policy's follow-up target when it sets one (its clock counts from the resolution), else
    FOLLOW_UP_DAYS calendar days."""
    clock = clocks.start(ticket, "follow_up", now)
    if clock is not None:
        return clock.due_at
    return now + timedelta(days=current_app.config["FOLLOW_UP_DAYS"])
