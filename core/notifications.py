"""Notifications: in the app (the bell) and through outside channels (e-mail, the SMS outbox, plugins' SMS/WeCom…)
to staff, and messages to customers (反馈, notices) through the same channels. Written in the caller's
transaction, so a rolled-back change notifies no one; the worker sends the outside deliveries."""
import logging
import smtplib
from collections import defaultdict
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for
from flask_babel import force_locale, format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from core import queue  # noqa: F401 - with REDIS_URL, committed deliveries go on the queue (its session hooks)
from core.extensions import db
from core.models import (
    CustomerMessage,
    Notification,
    NotificationDelivery,
    SmsMessage,
    TicketEvent,
    User,
    utcnow,
)
from core.plugins.specs import NotificationKind
from core.sanitize import clean_html


def notify(user, kind, ticket=None, **data):
    if user is None:
        return None
    row = Notification(user_id=user.id, kind=kind, ticket_id=getattr(ticket, "id", None), data=data)
    db.session.add(row)
    _queue_deliveries(row, user)
    return row


def unread_count(user):
    query = select(func.count(Notification.id)).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    return db.session.scalar(query)


def recent(user, limit=30):
    query = select(Notification).where(Notification.user_id == user.id).order_by(Notification.id.desc()).limit(limit)
    return db.session.scalars(query).all()


def mark_read(user, ids=None):
    statement = update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    if ids is not None:
        statement = statement.where(Notification.id.in_(ids))
    db.session.execute(statement.values(read_at=utcnow()))


# --- Outside channels: e-mail, the SMS outbox and plugins' (SMS, WeCom…) ------------------------------------
#
# notify() queues one NotificationDelivery per channel that accepts the user, notify_customer() one
# CustomerMessage per channel that accepts the customer; the worker sends both with deliver_pending() (and,
# with REDIS_URL set, each staff delivery as soon as it is committed: core.queue). A
# channel is any object with `key`, `accepts(user)` and `send(user, notification)`, and for customers also
# `accepts_customer(customer)` and `send_to_customer(customer, message)` (raise to report a failure);
# plugins return theirs from `kefu_notification_channels`.

log = logging.getLogger("kefu.notifications")
MAX_ATTEMPTS = 5
# A delivery claimed this long ago and still "sending" belongs to a worker that died: it is sent again, with
# the same Message-ID so that mail systems can drop the copy.
DELIVERY_LEASE = timedelta(minutes=10)

CORE_NOTIFICATION_KINDS = tuple(NotificationKind(key, text) for key, text in {
    "mentioned": _l("%(who)s mentioned you"),
    "assigned": _l("%(who)s assigned a ticket to you"),
    "reassign_requested": _l("%(who)s asks for a reassignment"),
    "reassign_approved": _l("%(who)s approved your reassignment request"),
    "reassign_refused": _l("%(who)s refused your reassignment request"),
    "approval_requested": _l("%(who)s asks for your approval"),
    "approval_granted": _l("%(who)s granted your approval request"),
    "approval_refused": _l("%(who)s refused your approval request"),
    "escalated": _l("%(who)s escalated a ticket to you"),
    "sla_at_risk": _l("The %(target)s target of a ticket is due at %(due)s"),
    "follow_up_assigned": _l("A follow-up call is yours, due %(due)s"),
    "follow_up_overdue": _l("A follow-up was due at %(due)s and is not done yet"),
    "investigation": _l("A customer rated a ticket %(lowest)s of 5: please look into it"),
    "problem_customer_proposed": _l("%(who)s proposes to flag a problem customer"),
}.items())


def describe(notification):
    """One line saying what happened, in the current locale (the kinds of the core and the plugins)."""
    from core.sla.policies import TARGET_LABELS

    kind = current_app.extensions["kefu"].registry.notification_kinds.get(notification.kind)
    if kind is None:
        return notification.kind
    data = notification.data or {}
    due = data.get("due")
    values = defaultdict(str, data)  # a placeholder the data lacks reads as nothing, never a KeyError
    values.update({
        "who": data.get("by") or _("System"),
        "target": str(TARGET_LABELS.get(data.get("target"), data.get("target"))).lower(),
        "due": format_datetime(datetime.fromisoformat(due), "short") if due else "",
        "lowest": data.get("lowest", ""),
    })
    if kind.values is not None:
        values.update(kind.values(data))
    return str(kind.text) % values


def send_email(to, subject, text, message_id=None, attachments=()):
    """Send a plain-text e-mail through the MAIL_* settings (smtplib); ``attachments`` are
    (file name, MIME type, bytes)."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = message_id or make_msgid(domain=config["MAIL_FROM"].rpartition("@")[2] or None)
    message.set_content(text)
    for filename, mime_type, data in attachments:
        maintype, _sep, subtype = mime_type.partition("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"]) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)


def _mail_domain():
    return current_app.config["MAIL_FROM"].rpartition("@")[2] or "kefu.local"


class EmailChannel:
    key = "email"

    def accepts(self, user):
        return bool(current_app.config.get("MAIL_SERVER") and user.email and user.is_active)

    def send(self, user, notification):
        line = describe(notification)
        ticket = notification.ticket
        subject = f"#{ticket.id} {ticket.title} · {line}" if ticket is not None else line
        body = "\n\n".join(filter(None, [line, f"#{ticket.id} {ticket.title}" if ticket is not None else None,
                                         _("Open the helpdesk to see it.")]))
        send_email(user.email, f"[{_('Kefu')}] {subject}", body, f"<notification-{notification.id}@{_mail_domain()}>")

    def accepts_customer(self, customer):
        return bool(current_app.config.get("MAIL_SERVER") and customer.email)

    def send_to_customer(self, customer, message):
        send_email(customer.email, f"[{_('Kefu')}] {message.subject}", message.body,
                   f"<customer-message-{message.id}@{_mail_domain()}>")


class SmsOutboxChannel:
    """Texts to customers kept in the SMS outbox (listed in the admin panel) for the site's SMS gateway to pick
    up, so that SMS works before a gateway plugin is installed. A plugin with a gateway replaces key "sms"."""

    key = "sms"

    def accepts(self, user):
        return False  # staff are told in the app and by e-mail, so it never has to send them anything

    def accepts_customer(self, customer):
        return bool(current_app.config.get("SMS_OUTBOX") and customer.phone)

    def send_to_customer(self, customer, message):
        source = f"customer_message:{message.id}"
        if db.session.scalar(select(SmsMessage.id).where(SmsMessage.source == source)) is None:  # sent before a crash
            db.session.add(SmsMessage(phone=customer.phone, customer_id=customer.id, source=source,
                                      text=f"【{_('Kefu')}】{message.subject}\n{message.body}"))


def channels():
    """Channel adapters by key: the core's e-mail and SMS outbox, then the plugins' (which may replace them)."""
    found = {"email": EmailChannel(), "sms": SmsOutboxChannel()}
    for adapters in current_app.extensions["kefu"].pm.hook.kefu_notification_channels():
        found.update((adapter.key, adapter) for adapter in adapters or ())
    return found


def _queue_deliveries(row, user):
    for channel in channels().values():
        if channel.accepts(user):
            db.session.add(NotificationDelivery(notification=row, channel=channel.key))


def _claim(model, row_id, now):
    statement = (update(model).where(model.id == row_id, model.state == "queued")
                 .values(state="sending", claimed_at=now, attempts=model.attempts + 1)
                 .execution_options(synchronize_session=False))
    claimed = db.session.execute(statement).rowcount == 1
    db.session.commit()  # the claim is visible to other workers before anything is sent
    return claimed


def _channel(adapters, key):
    channel = adapters.get(key)
    if channel is None:
        raise LookupError(f"channel {key!r} is not available (is its plugin switched off?)")
    return channel


def _send(delivery, adapters):
    channel = _channel(adapters, delivery.channel)
    user = db.session.get(User, delivery.notification.user_id)
    with force_locale(user.locale or current_app.config["DEFAULT_LOCALE"]):
        channel.send(user, delivery.notification)


def _send_to_customer(message, adapters):
    channel = _channel(adapters, message.channel)
    with force_locale(customer_locale(message.customer)):
        channel.send_to_customer(message.customer, message)


def _deliver_one(model, row_id, send, adapters, now):
    """Send one queued row of `model` if this worker claims it; returns whether it went out. A failure is
    recorded and retried up to MAX_ATTEMPTS times."""
    if not _claim(model, row_id, now):
        return False
    row = db.session.get(model, row_id, populate_existing=True)
    try:
        send(row, adapters)
    except Exception as exc:  # a channel's failure is recorded and retried, never fatal to the worker
        db.session.rollback()  # what the channel half wrote goes; the claim was committed before
        row = db.session.get(model, row_id, populate_existing=True)
        row.state = "failed" if row.attempts >= MAX_ATTEMPTS else "queued"
        row.error = f"{type(exc).__name__}: {exc}"
        log.warning("%s %s by %s failed: %s", model.__tablename__, row.id, row.channel, row.error)
        sent = False
    else:
        row.state, row.sent_at, row.error = "sent", utcnow(), None
        sent = True
    db.session.commit()
    return sent


def deliver(delivery_id, now=None, adapters=None):
    """Send one queued staff delivery (the Redis queue's task); two workers never send the same one."""
    return _deliver_one(NotificationDelivery, delivery_id, _send, adapters if adapters is not None else channels(),
                        now or utcnow())


def _deliver(model, send, adapters, now, limit):
    """Send the queued rows of `model` (a delivery queue: state, attempts, claimed_at, sent_at, error)."""
    db.session.execute(update(model).where(model.state == "sending", model.claimed_at < now - DELIVERY_LEASE)
                       .values(state="queued").execution_options(synchronize_session=False))
    db.session.commit()
    ids = db.session.scalars(select(model.id).where(model.state == "queued").order_by(model.id).limit(limit)).all()
    return sum(_deliver_one(model, row_id, send, adapters, now) for row_id in ids)


def deliver_pending(now=None, limit=100):
    """Send queued staff deliveries and customer messages; returns how many went out. Each is claimed by a
    committed conditional UPDATE first, so two workers never send the same one; a claim older than
    DELIVERY_LEASE belongs to a worker that died and is sent again; a failure is retried up to MAX_ATTEMPTS
    times."""
    now = now or utcnow()
    adapters = channels()
    return (_deliver(NotificationDelivery, _send, adapters, now, limit)
            + _deliver(CustomerMessage, _send_to_customer, adapters, now, limit))


# --- Customers: 反馈, notices, greetings ---------------------------------------------------------------------


def customer_locale(customer):
    """The language the customer reads: their portal account's choice, else the site's default."""
    if customer is None:
        return current_app.config["DEFAULT_LOCALE"]
    chosen = db.session.scalar(select(User.locale).where(User.customer_id == customer.id, User.kind == "customer",
                                                         User.locale.is_not(None)).order_by(User.id).limit(1))
    return chosen if chosen in current_app.config["LANGUAGES"] else current_app.config["DEFAULT_LOCALE"]


def external_url(endpoint, **values):
    """An absolute address for a link in a message: on SITE_URL when the site sets it, else the current
    request's; outside a request (the worker, the CLI) http://localhost:5000."""
    base = current_app.config.get("SITE_URL")
    if not base and has_request_context():
        return url_for(endpoint, _external=True, **values)
    parts = urlsplit(base or "http://localhost:5000")
    adapter = current_app.url_map.bind(parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme)
    return adapter.build(endpoint, values, force_external=True)


def _reaches(channel, customer):
    accepts = getattr(channel, "accepts_customer", None)
    return accepts is not None and hasattr(channel, "send_to_customer") and accepts(customer)


def notify_customer(customer, kind, *, subject, body, ticket=None, footer="", actor=None, now=None):
    """Queue one message to ``customer`` per channel that can reach them (e-mail, SMS, plugins'), sent by the
    worker; returns the CustomerMessage rows (empty when no channel reaches them).

    ``subject`` and ``body`` are plain text in the customer's language (see ``customer_locale``). With a
    ``ticket``, the message is on its timeline: a public "customer_notified" event, or an internal
    "customer_unreachable" one when nothing could be sent, so that staff know to call. ``footer`` goes out with
    the messages but not onto the timeline (a personal survey link). ``actor`` is who the timeline names.

    Example: ``notify_customer(account.customer, "outage", subject="计划停水通知", body="3月18日9:00至17:00…")``"""
    subject = " ".join((subject or "").split())[:200]
    text = "\n\n".join(part for part in ((body or "").strip(), (footer or "").strip()) if part)
    rows = [CustomerMessage(customer=customer, ticket=ticket, kind=kind, channel=key, subject=subject, body=text)
            for key, channel in channels().items() if customer is not None and _reaches(channel, customer)]
    db.session.add_all(rows)
    if ticket is not None:
        db.session.add(TicketEvent(
            ticket=ticket, kind="customer_notified" if rows else "customer_unreachable", actor=actor,
            public=bool(rows), body=clean_html(body) or None, created_at=now or utcnow(),
            data={"kind": kind, "subject": subject, "channels": [row.channel for row in rows]}))
    return rows
