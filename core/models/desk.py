"""What staff keep for their daily work: saved queue filters, canned responses (常用语), notifications."""
from sqlalchemy import Boolean, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.models.types import JSONType, UTCDateTime, utcnow


class SavedFilter(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    query: Mapped[dict] = mapped_column(JSONType, default=dict)  # the queue's filter parameters
    shared: Mapped[bool] = mapped_column(Boolean, default=False)  # visible to every staff member
    created_at = mapped_column(UTCDateTime, default=utcnow)

    owner = relationship("User")


class CannedResponse(db.Model):
    """A reusable reply; placeholders such as {customer_name} are filled in when it is inserted."""

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))  # None: everyone's
    created_at = mapped_column(UTCDateTime, default=utcnow)

    owner = relationship("User")


class Notification(db.Model):
    """An in-app notification (the bell): a mention, an assignment, an approval to give, an SLA warning."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"))
    data: Mapped[dict] = mapped_column(JSONType, default=dict)
    created_at = mapped_column(UTCDateTime, default=utcnow)
    read_at = mapped_column(UTCDateTime)

    ticket = relationship("Ticket")

    __table_args__ = (Index("ix_notification_user_unread", "user_id", "read_at", "id"),)
