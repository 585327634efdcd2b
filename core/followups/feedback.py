"""反馈: what the customer is told when their request is resolved, or when the supervisor has looked into a bad
rating, in their own language, with their personal survey link (which stays off the timeline)."""
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from core.extensions import db
from core.followups.links import link_token
from core.models import User
from core.notifications import customer_locale, external_url, notify_customer
from core.sanitize import to_text


def _portal_link(ticket):
    has_account = db.session.scalar(select(User.id).where(User.customer_id == ticket.customer_id,
                                                         User.kind == "customer").limit(1))
    return external_url("portal.ticket", ticket_id=ticket.id) if has_account else None


def send_result(ticket, *, actor, comment, now, survey, investigation=None):
    """Queue the result to the customer (every channel that reaches them); returns the messages queued."""
    customer = ticket.customer
    if customer is None:
        return []
    with force_locale(customer_locale(customer)):
        if investigation is not None:
            kind = "investigation"
            subject = _("Request #%(id)s: what we found about your rating", id=ticket.id)
            opening = _("Thank you for telling us you were not satisfied with \"%(title)s\". Our supervisor looked "
                        "into it:", title=ticket.title)
        else:
            kind = "feedback"
            subject = _("Your request #%(id)s has been dealt with", id=ticket.id)
            opening = _("Your request \"%(title)s\" has been dealt with:", title=ticket.title)
        portal = _portal_link(ticket)
        body = "\n\n".join(filter(None, [
            _("Dear %(name)s,", name=customer.name), opening, to_text(comment),
            _("See the request in the customer portal: %(url)s", url=portal) if portal else None]))
        footer = ""
        if survey is not None:
            footer = "\n".join([_("How did we do? Please rate our service (the link works once, for %(days)d days):",
                                  days=(survey.expires_at - survey.created_at).days),
                                external_url("followups.survey", token=link_token(survey))])
        return notify_customer(customer, kind, subject=subject, body=body, ticket=ticket, footer=footer, actor=actor,
                               now=now)
