"""What a workflow step sets off in the closed loop. Resolution: the outcome of an open investigation is
recorded, a survey is made, a follow-up is created when the rules want one, and the customer is told the
result with their survey link (反馈). Reopening: the pending follow-up and the unanswered survey lapse."""
from core.followups.feedback import send_result
from core.followups.investigations import open_investigation_of, record_outcome
from core.followups.rules import needs_follow_up
from core.followups.service import cancel_pending, create_follow_up
from core.followups.surveys import cancel_open_surveys, create_survey
from core.sla import clocks
from core.workflow.engine import workflow_of

DONE = ("resolved", "closed")


def on_transition(ticket, event, from_state):
    before = workflow_of(ticket).state(from_state).category
    after = ticket.status_category
    if after == "resolved" and before not in DONE:
        on_resolved(ticket, event)
    elif after not in DONE and before in DONE:
        on_reopened(ticket, event)


def on_resolved(ticket, event):
    now = event.created_at
    investigation = open_investigation_of(ticket)
    if investigation is not None:
        record_outcome(investigation, actor=event.actor, outcome=event.body, now=now)
    survey = create_survey(ticket, now) if ticket.customer is not None else None
    reason = "investigation" if investigation is not None else needs_follow_up(ticket)
    if reason is not None:
        create_follow_up(ticket, reason, now, actor=event.actor)
    told = send_result(ticket, actor=event.actor, comment=event.body, now=now, survey=survey,
                       investigation=investigation)
    if told:
        clocks.complete(ticket, ["feedback"], now)


def on_reopened(ticket, event):
    cancel_pending(ticket, event.created_at)
    cancel_open_surveys(ticket)
