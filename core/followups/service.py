"""Follow-up tasks (回访): created on resolution for the agent who handled the ticket, listed in the desk, done
by recording the method, what the customer said and, when they answer, the satisfaction scores. Completing
one takes the workflow's 回访 step and, once nothing else is left, 归档. All in the caller's transaction."""
from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from core.extensions import db
from core.followups.archive import archive_if_done, step_if_possible
from core.followups.investigations import supervisor_for
from core.followups.rules import due_at
from core.followups.surveys import SurveyInputError, check_answers, create_survey, latest_survey, submit_survey
from core.models import FOLLOW_UP_METHODS, FollowUp, Ticket, TicketEvent, User, utcnow
from core.notifications import notify
from core.sanitize import clean_html, to_text
from core.sla import clocks
from core.tickets.access import visible_tickets
from core.workflow.engine import workflow_of

OUTCOME_MAX_LENGTH = 2000
VIEWS = ("due", "overdue", "done")


class FollowUpError(Exception):
    """A follow-up that cannot be changed now (already recorded, not yours); the message says why."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


class FollowUpInputError(ValueError):
    """What was entered cannot be saved; `errors` maps a field to a message for the user."""

    def __init__(self, errors):
        super().__init__("; ".join(f"{key}: {message}" for key, message in errors.items()))
        self.errors = errors


def _can_follow_up(user):
    return user is not None and user.is_staff and user.is_active and user.can("followup.do")


def assignee_for(ticket):
    """Who calls the customer: the agent who handled the ticket, else the team's supervisor."""
    return ticket.assignee if _can_follow_up(ticket.assignee) else supervisor_for(ticket)


def pending_follow_up(ticket):
    return db.session.scalar(select(FollowUp).where(FollowUp.ticket_id == ticket.id, FollowUp.state == "pending")
                             .limit(1))


def create_follow_up(ticket, reason, now, actor=None):
    """The ticket's follow-up task (one pending at a time); its assignee is told unless they resolved it."""
    existing = pending_follow_up(ticket)
    if existing is not None:
        return existing
    assignee = assignee_for(ticket)
    follow_up = FollowUp(ticket=ticket, assignee=assignee, state="pending", reason=reason, created_at=now,
                         due_at=due_at(ticket, now))
    db.session.add(follow_up)
    db.session.flush()
    db.session.add(TicketEvent(ticket=ticket, kind="follow_up_created", actor=None, public=False, created_at=now,
                               data={"follow_up": follow_up.id, "due": follow_up.due_at.isoformat(), "reason": reason,
                                     "to": getattr(assignee, "id", None)}))
    if assignee is not None and assignee != actor:
        notify(assignee, "follow_up_assigned", ticket, due=follow_up.due_at.isoformat())
    return follow_up


def cancel_pending(ticket, now):
    """The ticket was reopened: its follow-up waits for the next resolution."""
    for follow_up in db.session.scalars(select(FollowUp).where(FollowUp.ticket_id == ticket.id,
                                                               FollowUp.state == "pending")):
        follow_up.state, follow_up.done_at = "cancelled", now


def may_work_on(user, follow_up):
    """Its assignee (or anyone who may follow up, while it has none), and whoever manages follow-ups."""
    if not _can_follow_up(user):
        return False
    return follow_up.assignee_id in (None, user.id) or user.can("followup.manage")


def _answers_given(scores):
    return isinstance(scores, dict) and any(value not in (None, "") for value in scores.values())


def complete_follow_up(follow_up, *, actor, method, outcome, scores=None, comment="", now=None):
    """Record a follow-up: ``method`` (phone, sms, email, visit), ``outcome`` (what the customer said) and, when
    the customer answered the survey questions, ``scores`` ({"quality", "attitude", "speed"}: 1–5) with their
    ``comment``. Raises FollowUpError or FollowUpInputError; nothing is changed then."""
    if follow_up.state != "pending":
        raise FollowUpError("done", _("This follow-up was already recorded.") if follow_up.state == "done"
                            else _("This follow-up no longer applies: the request was reopened."))
    if not may_work_on(actor, follow_up):
        raise FollowUpError("forbidden", _("This follow-up is assigned to someone else."))
    now = now or utcnow()
    ticket = follow_up.ticket
    errors = {}
    if method not in FOLLOW_UP_METHODS:
        errors["method"] = _("Choose how you followed up: phone, SMS, e-mail or visit.")
    text = to_text(clean_html(outcome or ""))
    if not text:
        errors["outcome"] = _("Write down what the customer said.")
    elif len(text) > OUTCOME_MAX_LENGTH:
        errors["outcome"] = _("The outcome is longer than %(n)d characters.", n=OUTCOME_MAX_LENGTH)
    answered = _answers_given(scores)
    survey = latest_survey(ticket) if answered else None
    if survey is not None and survey.state == "answered":
        errors["scores"] = _("The customer already rated this request; their answers are kept.")
    if answered:
        try:
            check_answers(scores, comment)
        except SurveyInputError as exc:
            errors.update(exc.errors)
    if errors:
        raise FollowUpInputError(errors)

    follow_up.state, follow_up.method, follow_up.outcome = "done", method, text
    follow_up.done_at, follow_up.done_by = now, actor
    db.session.add(TicketEvent(ticket=ticket, kind="follow_up", actor=actor, public=False, body=clean_html(text),
                               created_at=now, data={"follow_up": follow_up.id, "method": method}))
    clocks.complete(ticket, ["follow_up"], now)
    step_if_possible(ticket, "follow_up", now, follow_up=follow_up.id, by=actor.id)
    if answered:
        if survey is None or survey.state != "open":
            survey = create_survey(ticket, now)  # none was sent: the request was resolved without a customer record
        submit_survey(survey, scores=scores, comment=comment, channel="follow_up", actor=actor, follow_up=follow_up,
                      now=now)
    else:
        archive_if_done(ticket, now)
    return follow_up


def reassign_follow_up(follow_up, *, actor, assignee, now=None):
    if not actor.can("followup.manage"):
        raise FollowUpError("forbidden", _("You do not have permission to hand follow-ups to others."))
    if follow_up.state != "pending":
        raise FollowUpError("done", _("This follow-up was already recorded."))
    if not _can_follow_up(assignee):
        raise FollowUpInputError({"assignee": _("Choose a colleague who does follow-ups.")})
    now = now or utcnow()
    before = follow_up.assignee_id
    follow_up.assignee = assignee
    db.session.add(TicketEvent(ticket=follow_up.ticket, kind="follow_up_assigned", actor=actor, public=False,
                               created_at=now, data={"follow_up": follow_up.id, "from": before, "to": assignee.id}))
    if assignee != actor:
        notify(assignee, "follow_up_assigned", follow_up.ticket, due=follow_up.due_at.isoformat(), by=actor.name)
    return follow_up


def resolution_event(ticket):
    """The step that last resolved the ticket (its comment is what the customer was told), or None."""
    workflow = workflow_of(ticket)
    steps = db.session.scalars(select(TicketEvent).where(TicketEvent.ticket_id == ticket.id,
                                                         TicketEvent.kind == "transition")
                               .order_by(TicketEvent.id.desc()).limit(20))
    for event in steps:
        try:
            if workflow.state(event.data.get("to")).category == "resolved" and event.body:
                return event
        except KeyError:
            continue
    return None


# Lists ----------------------------------------------------------------------------------------------------


def visible_follow_ups(user):
    """Follow-ups ``user`` may open: their own, and those of tickets they see when they manage follow-ups."""
    query = select(FollowUp).join(FollowUp.ticket)
    if user.can("followup.manage"):
        seen = visible_tickets(user).with_only_columns(Ticket.id)
        return query.where(or_(FollowUp.assignee_id == user.id, FollowUp.ticket_id.in_(seen)))
    return query.where(FollowUp.assignee_id == user.id)


def _view_conditions(view, now):
    return {"due": (FollowUp.state == "pending",),
            "overdue": (FollowUp.state == "pending", FollowUp.due_at < now),
            "done": (FollowUp.state == "done",)}[view]


def follow_up_query(user, view, *, everyone=False, now=None):
    """A SELECT of the follow-ups in ``view``: pending (``due``), pending past their due time (``overdue``) or
    recorded (``done``); one's own, or with ``everyone`` the whole desk's for those who manage follow-ups."""
    query = visible_follow_ups(user)
    if not (everyone and user.can("followup.manage")):
        query = query.where(FollowUp.assignee_id == user.id)
    return query.where(*_view_conditions(view, now or utcnow()))


def follow_up_list(user, view, *, everyone=False, now=None, limit=200):
    """(rows, counts of the due and overdue views): the soonest due first, or the last ones done."""
    now = now or utcnow()
    order = FollowUp.done_at.desc() if view == "done" else FollowUp.due_at
    query = follow_up_query(user, view, everyone=everyone, now=now).order_by(order, FollowUp.id).limit(limit)
    rows = db.session.scalars(query.options(selectinload(FollowUp.ticket).selectinload(Ticket.customer),
                                            selectinload(FollowUp.assignee))).all()
    counts = {key: db.session.scalar(follow_up_query(user, key, everyone=everyone, now=now)
                                     .with_only_columns(func.count(FollowUp.id))) for key in ("due", "overdue")}
    return rows, counts


def follow_up_staff():
    """Active staff who may do follow-ups (to hand one to)."""
    staff = db.session.scalars(select(User).where(User.kind == "staff", User.is_active_account.is_(True))
                               .order_by(User.name)).all()
    return [user for user in staff if user.can("followup.do")]
