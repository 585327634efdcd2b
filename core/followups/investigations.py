"""A score of 2 or less reopens the work as an investigation assigned to the team's supervisor (else a
manager). Resolving the ticket again records the supervisor's outcome, which is told to the customer."""
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from core.extensions import db
from core.followups.feedback import send_result
from core.followups.labels import scores_text
from core.models import Investigation, TicketEvent, utcnow
from core.notifications import customer_locale, notify
from core.sanitize import clean_html
from core.tickets.assignment import managers, set_assignee
from core.workflow.engine import TransitionError, transition, workflow_of
from core.workflow.spec import ACTIVE_CATEGORIES


class InvestigationError(Exception):
    def __init__(self, code, message, field=None):
        super().__init__(message)
        self.code, self.field = code, field


def supervisor_for(ticket):
    """The supervisor of the ticket's team (or of its assignee's first team), else the first manager."""
    team = ticket.team or (ticket.assignee.teams[0] if ticket.assignee is not None and ticket.assignee.teams else None)
    if team is not None and team.supervisor is not None and team.supervisor.is_active:
        return team.supervisor
    return next(iter(managers()), None)


def open_investigation_of(ticket):
    return db.session.scalar(select(Investigation).where(Investigation.ticket_id == ticket.id,
                                                         Investigation.state == "open").limit(1))


def _step(ticket, categories):
    """The ticket's step into a state of one of ``categories``, preferring the general workflow's own key."""
    workflow = workflow_of(ticket)
    steps = [t for t in workflow.transitions_from(ticket.status) if workflow.state(t.target).category in categories]
    preferred = {"reopen", "resolve"}
    return next((t for t in steps if t.key in preferred), steps[0] if steps else None)


def open_investigation(survey, now):
    """Reopen the work for the supervisor (through the workflow, where a step back into work exists) and tell
    them; the customer reads on the timeline that their rating is being looked into."""
    ticket = survey.ticket
    supervisor = supervisor_for(ticket)
    investigation = Investigation(ticket=ticket, survey=survey, assignee=supervisor, state="open", opened_at=now)
    db.session.add(investigation)
    db.session.flush()
    with force_locale(customer_locale(ticket.customer)):
        reason = _("You rated our service: %(scores)s. A supervisor is looking into what went wrong and will get "
                   "back to you.", scores=scores_text(survey.scores))
    step = _step(ticket, ACTIVE_CATEGORIES)
    event = None
    if step is not None:
        try:
            event = transition(ticket, step.key, actor=None, comment=reason, assignee=supervisor, now=now)
        except TransitionError:  # the step needs what the system cannot give (an approval, a field)
            event = None
    if event is None:
        if supervisor is not None and ticket.assignee_id != supervisor.id:
            set_assignee(ticket, None, supervisor, None, reason="investigation", now=now)
        event = TicketEvent(ticket=ticket, kind="investigation_opened", actor=None, public=True, body=reason,
                            created_at=now, data={})
        db.session.add(event)
    event.data = {**event.data, "investigation": investigation.id}
    notify(supervisor, "investigation", ticket, survey=survey.id, lowest=min(survey.scores.values()))
    return investigation


def may_decide(user, investigation):
    return investigation.assignee_id == user.id or user.can("followup.manage")


def record_outcome(investigation, *, actor, outcome, now):
    investigation.state, investigation.outcome, investigation.done_at = "done", outcome, now
    investigation.done_by = actor
    db.session.add(TicketEvent(ticket=investigation.ticket, kind="investigation_done", actor=actor, public=False,
                               created_at=now, data={"investigation": investigation.id}))


def complete_investigation(investigation, *, actor, outcome, now=None):
    """The supervisor's outcome: the ticket is resolved again with it as the comment, which tells the
    customer (the loop's feedback) and records it here. Raises InvestigationError or TransitionError."""
    if investigation.state != "open":
        raise InvestigationError("done", _("The outcome of this investigation was already recorded."))
    if not may_decide(actor, investigation):
        raise InvestigationError("forbidden", _("Only the supervisor it is assigned to can record the outcome."))
    outcome = clean_html(outcome)
    if not outcome:
        raise InvestigationError("invalid", _("Write down what you found and what was done."), "outcome")
    now = now or utcnow()
    ticket = investigation.ticket
    step = _step(ticket, ("resolved",))
    if step is not None:
        transition(ticket, step.key, actor=actor, comment=outcome, now=now)  # the loop records the outcome
    else:  # the rating came in on a ticket its workflow could not reopen
        record_outcome(investigation, actor=actor, outcome=outcome, now=now)
        send_result(ticket, actor=actor, comment=outcome, now=now, survey=None, investigation=investigation)
    return investigation


def investigation_list(user, *, everyone=False, limit=200):
    """Open investigations assigned to ``user`` (or, for those who manage follow-ups, everyone's)."""
    query = select(Investigation).where(Investigation.state == "open")
    if not (everyone and user.can("followup.manage")):
        query = query.where(Investigation.assignee_id == user.id)
    return db.session.scalars(query.order_by(Investigation.opened_at, Investigation.id).limit(limit)).all()
