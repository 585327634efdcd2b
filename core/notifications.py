"""Notifications: in the app (the bell) and through outside channels (e-mail, plugins' SMS/WeCom…). Written in
the caller's transaction, so a rolled-back change notifies no one; the worker sends the outside deliveries."""
import logging
import smtplib
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app
from flask_babel import force_locale, format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from core.extensions import db
from core.models import Notification, NotificationDelivery, utcnow


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


# --- Outside channels: e-mail and plugins' (SMS, WeCom…) ----------------------------------------------------
#
# notify() queues one NotificationDelivery per channel that accepts the user; the worker sends them with
# deliver_pending(). A channel is any object with `key`, `accepts(user)` and `send(user, notification)`
# (raise to report a failure); plugins return theirs from `kefu_notification_channels`.

log = logging.getLogger("kefu.notifications")
MAX_ATTEMPTS = 5
# A delivery claimed this long ago and still "sending" belongs to a worker that died: it is sent again, with
# the same Message-ID so that mail systems can drop the copy.
DELIVERY_LEASE = timedelta(minutes=10)

_TEXTS = {
    "mentioned": _l("%(who)s mentioned you"),
    "assigned": _l("%(who)s assigned a ticket to you"),
    "reassign_requested": _l("%(who)s asks for a reassignment"),
    "reassign_approved": _l("%(who)s approved your reassignment request"),
    "reassign_refused": _l("%(who)s refused your reassignment request"),
    "escalated": _l("%(who)s escalated a ticket to you"),
    "sla_at_risk": _l("The %(target)s target of a ticket is due at %(due)s"),
}


def describe(notification):
    """One line saying what happened, in the current locale."""
    from core.sla.policies import TARGET_LABELS

    data = notification.data or {}
    text = _TEXTS.get(notification.kind)
    if text is None:
        return notification.kind
    due = data.get("due")
    return str(text) % {
        "who": data.get("by") or _("System"),
        "target": str(TARGET_LABELS.get(data.get("target"), data.get("target"))).lower(),
        "due": format_datetime(datetime.fromisoformat(due), "short") if due else "",
    }


def send_email(to, subject, text, message_id=None):
    """Send a plain-text e-mail through the MAIL_* settings (smtplib)."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = message_id or make_msgid(domain=config["MAIL_FROM"].rpartition("@")[2] or None)
    message.set_content(text)
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"]) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)


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
        domain = current_app.config["MAIL_FROM"].rpartition("@")[2] or "kefu.local"
        send_email(user.email, f"[{_('Kefu')}] {subject}", body, f"<notification-{notification.id}@{domain}>")


def channels():
    """Channel adapters by key: the core's e-mail, then the plugins' (a plugin may replace "email")."""
    found = {"email": EmailChannel()}
    for adapters in current_app.extensions["kefu"].pm.hook.kefu_notification_channels():
        found.update((adapter.key, adapter) for adapter in adapters or ())
    return found


def _queue_deliveries(row, user):
    for channel in channels().values():
        if channel.accepts(user):
            db.session.add(NotificationDelivery(notification=row, channel=channel.key))


def _claim_delivery(delivery_id, now):
    statement = (update(NotificationDelivery)
                 .where(NotificationDelivery.id == delivery_id, NotificationDelivery.state == "queued")
                 .values(state="sending", claimed_at=now, attempts=NotificationDelivery.attempts + 1)
                 .execution_options(synchronize_session=False))
    claimed = db.session.execute(statement).rowcount == 1
    db.session.commit()  # the claim is visible to other workers before anything is sent
    return claimed


def _send(delivery, adapters):
    from core.models import User

    channel = adapters.get(delivery.channel)
    if channel is None:
        raise LookupError(f"channel {delivery.channel!r} is not available (is its plugin switched off?)")
    user = db.session.get(User, delivery.notification.user_id)
    with force_locale(user.locale or current_app.config["DEFAULT_LOCALE"]):
        channel.send(user, delivery.notification)


def deliver_pending(now=None, limit=100):
    """Send queued deliveries; returns how many went out. Each is claimed by a committed conditional UPDATE
    first, so two workers never send the same one; a failure is retried up to MAX_ATTEMPTS times."""
    now = now or utcnow()
    db.session.execute(update(NotificationDelivery)
                       .where(NotificationDelivery.state == "sending", NotificationDelivery.claimed_at < now - DELIVERY_LEASE)
                       .values(state="queued").execution_options(synchronize_session=False))
    db.session.commit()
    ids = db.session.scalars(select(NotificationDelivery.id).where(NotificationDelivery.state == "queued")
                             .order_by(NotificationDelivery.id).limit(limit)).all()
    adapters = channels()
    sent = 0
    for delivery_id in ids:
        if not _claim_delivery(delivery_id, now):
            continue
        delivery = db.session.get(NotificationDelivery, delivery_id, populate_existing=True)
        try:
            _send(delivery, adapters)
        except Exception as exc:  # a channel's failure is recorded and retried, never fatal to the worker
            delivery.state = "failed" if delivery.attempts >= MAX_ATTEMPTS else "queued"
            delivery.error = f"{type(exc).__name__}: {exc}"
            log.warning("delivery %s by %s failed: %s", delivery.id, delivery.channel, delivery.error)
        else:
            delivery.state, delivery.sent_at, delivery.error = "sent", utcnow(), None
            sent += 1
        db.session.commit()
    return sent
