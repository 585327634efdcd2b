"""What the plugin does as tickets move: a 停水 report inside a planned outage is answered with its notice (no
crew goes out), and an approved application changes the account."""
from flask_babel import gettext as _

from core.sanitize import clean_html
from core.tickets.service import add_comment
from core.workflow.engine import TransitionError, transition, workflow_of
from plugins.water import accounts, outages
from plugins.water.accounts import AccountChangeRefused

OUTAGE_STEP = "outage_notice"
DONE = "done"
# What an approved application does to the account, and what the customer is told.
APPLICATIONS = {
    "water_connection": accounts.open_account,
    "water_transfer": accounts.transfer_account,
    "water_closure": accounts.close_account,
}


def answer_from_outage(ticket):
    """A new 停水 report from an area in a planned outage: take the outage step at once, as the system."""
    if ticket.type.key != "water_repair" or (ticket.fields or {}).get("fault") != "no_supply":
        return None
    if outages.covering(accounts.ticket_area(ticket), ticket.created_at) is None:
        return None
    return transition(ticket, OUTAGE_STEP, actor=None, now=ticket.created_at)


def _refuse(ticket, from_state, message):
    raise TransitionError(message, [t.key for t in workflow_of(ticket).transitions_from(from_state)])


def link_to_outage(ticket, event, from_state):
    """The outage step links the report to the outage that covers it and tells the customer the outage's
    notice (unless the agent wrote the answer). Refused when no outage covers the report."""
    area = accounts.ticket_area(ticket)
    outage = outages.covering(area, ticket.created_at) or outages.covering(area, event.created_at)
    if outage is None:
        _refuse(ticket, from_state, _("No planned outage covers the area of this report at this time."))
    outages.link_report(ticket, outage, event.created_at)
    if not event.body:
        _subject, text = outages.notice(outage)
        event.body = clean_html(text)
    if ticket.first_response_at is None:
        ticket.first_response_at = event.created_at  # the customer has had the answer


def _told(ticket, details):
    if "account" in details:
        return _("Your account is open. Account number: %(account)s.", **details)
    if "new_holder" in details:
        return _("The account was transferred to %(new_holder)s.", **details)
    return _("Account %(closed)s is closed.", **details)


def apply_application(ticket, event, from_state):
    """An approved 用水申请 / 过户 / 销户 changes the account now, and the customer is told what changed."""
    change = APPLICATIONS.get(ticket.type.key)
    if change is None:
        return
    try:
        _account, details = change(ticket, event.actor, event.created_at)
    except AccountChangeRefused as exc:
        _refuse(ticket, from_state, str(exc))
    event.data = {**event.data, "account_change": details}
    add_comment(ticket, actor=None, body=_told(ticket, details), public=True, now=event.created_at)


def on_transition(ticket, event, from_state, to_state):
    if ticket.type.key == "water_repair" and to_state == OUTAGE_STEP:
        link_to_outage(ticket, event, from_state)
    elif to_state == DONE:
        apply_application(ticket, event, from_state)
