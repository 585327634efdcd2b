"""Messages to customers (反馈, notices, greetings): one row per channel that can reach the customer, queued in the
caller's transaction and sent by the worker like staff deliveries; and the SMS outbox, where the core's SMS
channel leaves texts for the site's SMS gateway to pick up."""
from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.models.types import DeliveryQueue, UTCDateTime, utcnow


class CustomerMessage(DeliveryQueue, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(String(40))  # feedback, investigation, greeting, outage…
    channel: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)  # plain text, as sent

    customer = relationship("Customer")
    ticket = relationship("Ticket")

    __table_args__ = (
        Index("ix_customer_message_state", "state", "id"),
        Index("ix_customer_message_customer", "customer_id", "created_at"),
    )


class SmsMessage(db.Model):
    """A text waiting for the site's SMS gateway. `source` names what it was sent for, once: a worker that
    sends the same customer message again after a crash finds the row already there."""

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customer.id", ondelete="SET NULL"))
    source: Mapped[str] = mapped_column(String(80), unique=True)
    created_at = mapped_column(UTCDateTime, default=utcnow)
    picked_up_at = mapped_column(UTCDateTime)

    customer = relationship("Customer")

    __table_args__ = (Index("ix_sms_message_waiting", "picked_up_at", "id"),)
