"""In-app notifications (the bell). Written in the caller's transaction, so a rolled-back change notifies no one."""
from sqlalchemy import func, select, update

from core.extensions import db
from core.models import Notification, utcnow


def notify(user, kind, ticket=None, **data):
    if user is None:
        return None
    row = Notification(user_id=user.id, kind=kind, ticket_id=getattr(ticket, "id", None), data=data)
    db.session.add(row)
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
