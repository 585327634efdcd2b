"""What the portal does beyond the ticket services: accounts made by customers, signed links (single-use
sign-in links, tracking links of the public form), requests filed with a public type, customer replies and
reopening. Changes happen in the caller's transaction."""
import logging
import re
import smtplib
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy import select, update

from core.auth.service import find_user
from core.customers.service import CustomerInputError, create_customer
from core.extensions import db
from core.models import Attachment, Role, Ticket, TicketType, User, audit, utcnow
from core.notifications import send_email
from core.sanitize import clean_html
from core.tickets import attachments as files
from core.tickets.access import active_type_ids
from core.tickets.fields import fields_from_form
from core.tickets.relations import merged_ids
from core.tickets.service import TicketInputError, add_comment, create_ticket
from core.workflow.engine import transition, workflow_of

log = logging.getLogger("kefu.portal")

# Settings read with these defaults when the site's configuration does not name them.
DEFAULTS = {
    "PORTAL_REOPEN_DAYS": 7,  # a customer may reopen a request this many days after it was resolved or closed
    "PORTAL_LINK_MAX_AGE": 30 * 60,  # seconds a sign-in link works
    "PORTAL_TRACK_MAX_AGE": 90 * 24 * 3600,  # seconds a tracking link of the public form works
    "PUBLIC_FORM_RATE_LIMITS": ("5/hour",),  # public form submissions per address
    "PORTAL_ACCOUNT_RATE_LIMITS": ("10/hour",),  # sign-ups, and sign-in link requests per address and e-mail
}
SIGN_IN_SALT = "kefu.portal.sign-in"
TRACK_SALT = "kefu.portal.track"
REOPEN = "reopen"  # the workflow transition a customer may ask for


def setting(key):
    return current_app.config.get(key, DEFAULTS[key])


def _serializer(salt):
    return URLSafeTimedSerializer(current_app.secret_key, salt=salt)


def send_mail(to, subject, text):
    """Send a plain-text e-mail when the site has a mail server; returns whether it went out. A failure is
    logged, never shown: the pages that send mail answer the same whether or not it worked."""
    if not current_app.config.get("MAIL_SERVER"):
        return False
    try:
        send_email(to, f"[{_('Kefu')}] {subject}", text)
    except (OSError, smtplib.SMTPException) as exc:
        log.warning("mail to %s failed: %s", to, exc)
        return False
    return True


# Accounts ---------------------------------------------------------------------------------------------------


class EmailTaken(Exception):
    """An account (staff or customer) already uses the address; the page says so without saying whose."""


def sign_up(*, name, email, phone, password, locale=None):
    """A customer account with a customer record of its own (`email` is required). Never attached to an
    existing record found by e-mail: nothing proves the address belongs to whoever signs up. Raises
    CustomerInputError, or EmailTaken when any account, staff or customer, uses the address."""
    customer = create_customer({"name": name, "email": email, "phone": phone, "kind": "person"})
    if find_user(customer.email) is not None:
        raise EmailTaken()
    role = db.session.scalar(select(Role).where(Role.key == "customer"))
    user = User(email=customer.email, name=customer.name, phone=customer.phone, kind="customer", customer=customer,
                roles=[role], locale=locale)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record("portal.sign_up", actor=user, target=customer)
    return user


def sign_in_token(user):
    return _serializer(SIGN_IN_SALT).dumps({"user": user.id, "version": user.session_version})


def user_for_sign_in_token(token):
    """The customer a sign-in link names while it is fresh and unused (signing in bumps session_version,
    which the link carries), or None. Staff accounts never sign in by link."""
    try:
        data = _serializer(SIGN_IN_SALT).loads(token, max_age=setting("PORTAL_LINK_MAX_AGE"))
    except BadData:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("user"), int):
        return None
    user = db.session.get(User, data["user"])
    if user is None or user.kind != "customer" or not user.is_active or user.session_version != data.get("version"):
        return None
    return user


def use_sign_in_token(user, ip):
    """Spend the link by bumping session_version with a conditional UPDATE, so that of two uses at the same
    moment one wins; every link issued so far stops working (so do the account's other sessions). Returns
    False when the link was spent meanwhile."""
    spent = db.session.execute(
        update(User).where(User.id == user.id, User.session_version == user.session_version)
        .values(session_version=User.session_version + 1, last_login_at=utcnow())
        .execution_options(synchronize_session=False)).rowcount == 1
    if spent:
        db.session.refresh(user)
        audit.record("login", actor=user, ip=ip, method="link")
    return spent


def send_sign_in_link(email, url_for_token):
    """E-mail a sign-in link to a customer account with this address; nothing for staff or unknown ones."""
    user = find_user(email)
    if user is None or user.kind != "customer" or not user.is_active:
        return False
    url = url_for_token(sign_in_token(user))
    minutes = setting("PORTAL_LINK_MAX_AGE") // 60
    text = "\n\n".join([_("Open this link to sign in to the customer portal. It works once, within %(n)d minutes:",
                          n=minutes), url, _("If you did not ask for it, ignore this message.")])
    return send_mail(user.email, _("Your sign-in link"), text)


# Requests ---------------------------------------------------------------------------------------------------


def public_types():
    """The ticket types customers may file, in the site's order, as (row, spec)."""
    registry = current_app.extensions["kefu"].registry
    rows = db.session.scalars(select(TicketType).where(TicketType.id.in_(active_type_ids()),
                                                       TicketType.active.is_(True), TicketType.public.is_(True))
                              .order_by(TicketType.sort_order, TicketType.id))
    return [(row, registry.ticket_types[row.key]) for row in rows if row.key in registry.ticket_types]


def submit_request(form, uploads, *, channel, customer, requester):
    """A ticket of a public type from a portal or public form (`form` holds type, title, body and the type's
    fields as the form names them), with its files. Raises TicketInputError with every problem found."""
    spec = {row.key: spec for row, spec in public_types()}.get(form.get("type", ""))
    errors = {} if spec else {"type": _("Choose a request type.")}
    try:
        checked = files.check_files(uploads)
    except files.UploadError as exc:
        errors["files"] = str(exc)
    if errors:  # before create_ticket, which tells the plugins about the new ticket
        raise TicketInputError(errors)
    ticket = create_ticket(type_key=spec.key, title=form.get("title", ""), body=form.get("body", ""),
                           actor=requester, customer=customer, requester=requester, channel=channel,
                           fields=fields_from_form(spec, form))
    files.store(ticket, checked, uploader=requester)
    return ticket


def contact_record(*, name, email, phone):
    """A new, unverified customer record for a public-form request. Never an existing record found by e-mail
    or phone: whoever types an address is not proven to own it, and a request attached to someone's record
    would show in their portal. Staff link the request to the right customer once they checked (the ticket
    page lists the records with the same e-mail or phone). Raises CustomerInputError."""
    if not (email or "").strip() and not re.sub(r"\s+", "", phone or ""):
        raise CustomerInputError({"email": _("Give an e-mail address or a phone number so that we can reply.")})
    customer = create_customer({"name": name, "email": email, "phone": phone, "kind": "person"})
    customer.verified = False
    return customer


def track_token(ticket):
    return _serializer(TRACK_SALT).dumps({"ticket": ticket.id})


def ticket_for_track_token(token):
    """The ticket a tracking link names while the link is valid, or None."""
    try:
        data = _serializer(TRACK_SALT).loads(token, max_age=setting("PORTAL_TRACK_MAX_AGE"))
    except BadData:
        return None
    ticket_id = data.get("ticket") if isinstance(data, dict) else None
    if not isinstance(ticket_id, int):
        return None
    return db.session.scalar(select(Ticket).where(Ticket.id == ticket_id, Ticket.type_id.in_(active_type_ids())))


def send_tracking_link(email, ticket, url):
    text = "\n\n".join([_("We received your request #%(id)s: %(title)s", id=ticket.id, title=ticket.title),
                        _("Follow it, and read our replies, at this address:"), url])
    return send_mail(email, _("We received your request #%(id)s", id=ticket.id), text)


def public_attachment(ticket, attachment_id):
    """A file the customer sees on the ticket's timeline: not one on an internal note, not another ticket's."""
    row = db.session.get(Attachment, attachment_id)
    if row is None or row.ticket_id not in merged_ids(ticket):
        return None
    if row.event is not None and not row.event.public:
        return None
    return row


# Replies and reopening --------------------------------------------------------------------------------------


class PortalRefused(Exception):
    """A step the customer may not take now; the message says why."""


def reply(ticket, *, user, body, uploads):
    """The customer's message with its files. Raises TicketInputError, UploadError or PortalRefused."""
    if ticket.status_category == "closed":
        raise PortalRefused(_("This request is closed. Reopen it or send a new request."))
    checked = files.check_files(uploads)
    event = add_comment(ticket, actor=user, body=body, public=True)
    files.store(ticket, checked, uploader=user, event=event)
    return event


def reopen_deadline(ticket):
    """Until when the customer may reopen the ticket, or None when it is not resolved or closed."""
    category = ticket.status_category
    done = ticket.closed_at if category == "closed" else ticket.resolved_at if category == "resolved" else None
    return done + timedelta(days=setting("PORTAL_REOPEN_DAYS")) if done is not None else None


def can_reopen(ticket, now=None):
    deadline = reopen_deadline(ticket)
    return (deadline is not None and (now or utcnow()) <= deadline
            and any(step.key == REOPEN for step in workflow_of(ticket).transitions_from(ticket.status)))


def reopen(ticket, *, user, reason, now=None):
    """Reopen on the customer's behalf: customers cannot take workflow steps, so the system takes the
    "reopen" step with their reason as its comment, and the event records who asked."""
    if not can_reopen(ticket, now):
        raise PortalRefused(_("This request can no longer be reopened. Please send a new request."))
    if not (reason or "").strip():
        raise PortalRefused(_("Tell us why you are reopening the request."))
    event = transition(ticket, REOPEN, actor=None, comment=clean_html(reason), now=now)
    event.data = {**event.data, "requested_by": user.id}
    return event
