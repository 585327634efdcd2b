"""The plugin's tables: shipments (运单) pushed or imported from the site's transport system with their status
history, key accounts (大客户) with owner, service plan and visit schedule, and the complaint officer's
investigation reports (internal: never shown to customers)."""
from sqlalchemy import Date, ForeignKey, Index, Integer, Numeric, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.models.types import UTCDateTime, utcnow

SHIPMENT_STATES = ("created", "picked_up", "in_transit", "out_for_delivery", "delivered", "exception", "returned")


class Shipment(db.Model):
    """A waybill (运单号) as the transport system knows it; the plugin is not a TMS and only keeps a copy."""

    __tablename__ = "logistics_shipment"

    id: Mapped[int] = mapped_column(primary_key=True)
    waybill: Mapped[str] = mapped_column(String(40), unique=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customer.id", ondelete="SET NULL"), index=True)
    shipper_name: Mapped[str] = mapped_column(String(200))
    shipper_phone: Mapped[str | None] = mapped_column(String(40), index=True)
    consignee_name: Mapped[str] = mapped_column(String(200))
    consignee_phone: Mapped[str | None] = mapped_column(String(40), index=True)
    origin: Mapped[str] = mapped_column(String(80))
    destination: Mapped[str] = mapped_column(String(80))
    weight_kg = mapped_column(Numeric(10, 2))
    declared_value = mapped_column(Numeric(12, 2))
    status: Mapped[str] = mapped_column(String(20), default="created")
    shipped_on = mapped_column(Date)
    promised_on = mapped_column(Date)
    delivered_at = mapped_column(UTCDateTime)
    created_at = mapped_column(UTCDateTime, default=utcnow)
    updated_at = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    customer = relationship("Customer")
    events = relationship("ShipmentEvent", back_populates="shipment", order_by="ShipmentEvent.at",
                          cascade="all, delete-orphan")

    __table_args__ = (Index("ix_logistics_shipment_customer_shipped", "customer_id", "shipped_on"),)

    @property
    def route(self):
        return f"{self.origin}→{self.destination}"

    @property
    def on_time(self):
        """Delivered by the promised day (None while not delivered or with no promise)."""
        if self.delivered_at is None or self.promised_on is None:
            return None
        from core.care.service import site_today

        return site_today(self.delivered_at) <= self.promised_on

    def __str__(self):
        return self.waybill


class ShipmentEvent(db.Model):
    """One line of a shipment's status history (揽收, 在途, 派送, 签收, 异常…)."""

    __tablename__ = "logistics_shipment_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("logistics_shipment.id", ondelete="CASCADE"))
    at = mapped_column(UTCDateTime, nullable=False)
    status: Mapped[str] = mapped_column(String(20))
    location: Mapped[str | None] = mapped_column(String(120))
    note: Mapped[str | None] = mapped_column(String(500))

    shipment = relationship(Shipment, back_populates="events")

    __table_args__ = (Index("ix_logistics_shipment_event_shipment_at", "shipment_id", "at"),)


class KeyAccount(db.Model):
    """A key account (大客户): the customer, who looks after it, its service plan and how often it is visited."""

    __tablename__ = "logistics_key_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"), unique=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    service_plan: Mapped[str] = mapped_column(Text, default="")
    visit_every_days: Mapped[int] = mapped_column(Integer, default=30)
    next_visit_on = mapped_column(Date)
    contact_email: Mapped[str | None] = mapped_column(String(254))
    reported_month: Mapped[str | None] = mapped_column(String(7))  # "2026-11": the last month e-mailed by the job
    created_at = mapped_column(UTCDateTime, default=utcnow)

    customer = relationship("Customer")
    owner = relationship("User")

    def __str__(self):
        return self.customer.name if self.customer else f"#{self.id}"

    @classmethod
    def of_customer(cls, customer_id):
        if customer_id is None:
            return None
        return db.session.scalar(select(cls).where(cls.customer_id == customer_id))


class InvestigationReport(db.Model):
    """The complaint officer's investigation of one complaint: cause, who was responsible, corrective action."""

    __tablename__ = "logistics_investigation"

    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), primary_key=True)
    cause: Mapped[str] = mapped_column(Text)
    responsibility: Mapped[str] = mapped_column(Text)
    corrective_action: Mapped[str] = mapped_column(Text)
    filed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    filed_at = mapped_column(UTCDateTime, default=utcnow)

    filed_by = relationship("User")
