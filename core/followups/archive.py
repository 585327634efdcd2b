"""归档: a resolved ticket is archived once the loop has nothing left for it (no follow-up to do, no
investigation open, the customer's rating in), or ARCHIVE_AFTER_DAYS after resolution whatever the rating.
Steps are taken through the workflow engine, as the system, where the ticket's workflow has them."""
import logging
from datetime import timedelta

from flask import current_app
from sqlalchemy import exists, select
from sqlalchemy.orm.exc import StaleDataError

from core.extensions import db
from core.models import FollowUp, Investigation, Survey, Ticket
from core.workflow.engine import TransitionError, transition, workflow_of

log = logging.getLogger("kefu.followups")
BATCH = 200


def step_if_possible(ticket, key, now, **data):
    """Take the workflow step ``key`` as the system when the ticket's state offers it; the event records
    ``data`` (what the loop did it for). Returns the event, or None when there is no such step."""
    if not any(step.key == key for step in workflow_of(ticket).transitions_from(ticket.status)):
        return None
    event = transition(ticket, key, actor=None, now=now)
    event.data = {**event.data, **data}
    return event


def _nothing_pending():
    """Conditions on Ticket: no pending follow-up and no open investigation."""
    return (~exists().where(FollowUp.ticket_id == Ticket.id, FollowUp.state == "pending"),
            ~exists().where(Investigation.ticket_id == Ticket.id, Investigation.state == "open"))


def loop_finished(ticket):
    if db.session.scalar(select(Ticket.id).where(Ticket.id == ticket.id, *_nothing_pending())) is None:
        return False
    latest = db.session.scalar(select(Survey.state).where(Survey.ticket_id == ticket.id)
                               .order_by(Survey.id.desc()).limit(1))
    return latest != "open"  # rated, or no survey (no customer to ask)


def archive_if_done(ticket, now):
    if ticket.status_category == "resolved" and loop_finished(ticket):
        return step_if_possible(ticket, "close", now, closed_loop="done")
    return None


def archive_due(now):
    """Scheduled job: archive tickets resolved ARCHIVE_AFTER_DAYS ago with nothing pending, each in its own
    transaction; a ticket changed meanwhile (another worker, an agent) is left for the next round."""
    cutoff = now - timedelta(days=current_app.config["ARCHIVE_AFTER_DAYS"])
    ids = db.session.scalars(select(Ticket.id).where(Ticket.status_category == "resolved", Ticket.resolved_at <= cutoff,
                                                     *_nothing_pending()).order_by(Ticket.resolved_at).limit(BATCH)).all()
    archived = 0
    for ticket_id in ids:
        ticket = db.session.get(Ticket, ticket_id, populate_existing=True)
        try:
            if ticket.status_category == "resolved" and step_if_possible(ticket, "close", now, closed_loop="expired"):
                archived += 1
            db.session.commit()
        except (StaleDataError, TransitionError):
            db.session.rollback()
            log.info("archive: ticket %s changed meanwhile; left for the next round", ticket_id)
    return archived
