"""The plugin's tables: the site's setting, service areas (片区, nested), accounts (用户编号) and their meters
(水表号), planned outages with the areas they cover, the notices sent for them and the reports they answered."""
from sqlalchemy import (
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.models.types import UTCDateTime, utcnow

ACCOUNT_STATES = ("active", "suspended", "closed")  # 正常 / 暂停供应 / 已销户
METER_STATES = ("in_service", "removed")
NOTICE_KINDS = ("planned", "cancelled")


class WaterSettings(db.Model):
    """One row: which utility this site is (water, gas or power) and its service hotline."""

    __tablename__ = "water_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    utility_kind: Mapped[str] = mapped_column(String(10), default="water")
    hotline: Mapped[str | None] = mapped_column(String(40))
    updated_at = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    @classmethod
    def current(cls):
        """The site's row, or an unsaved one with the defaults."""
        return db.session.scalar(select(cls).order_by(cls.id).limit(1)) or cls(utility_kind="water")


class Area(db.Model):
    """A service area (片区); areas nest (a district and its communities). The repair crew of an area serves
    its sub-areas too, unless one has a crew of its own."""

    __tablename__ = "water_area"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("water_area.id", ondelete="RESTRICT"), index=True)
    crew_team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="SET NULL"))
    created_at = mapped_column(UTCDateTime, default=utcnow)

    parent = relationship("Area", remote_side=[id], back_populates="children")
    children = relationship("Area", back_populates="parent", order_by="Area.name")
    crew_team = relationship("Team")

    def __str__(self):
        return self.name


class Account(db.Model):
    """A customer account (用户编号): its holder (a customer record), where it is supplied and its state."""

    __tablename__ = "water_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customer.id", ondelete="SET NULL"), index=True)
    address: Mapped[str] = mapped_column(String(300))
    area_id: Mapped[int] = mapped_column(ForeignKey("water_area.id", ondelete="RESTRICT"))
    status: Mapped[str] = mapped_column(String(10), default="active")
    opened_on = mapped_column(Date)
    closed_at = mapped_column(UTCDateTime)
    created_at = mapped_column(UTCDateTime, default=utcnow)
    updated_at = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    holder = relationship("Customer")
    area = relationship(Area)
    meters = relationship("Meter", back_populates="account", order_by="Meter.number")

    __table_args__ = (Index("ix_water_account_area_status", "area_id", "status"),)

    def __str__(self):
        return self.number


class Meter(db.Model):
    """A meter (水表号) and its last reading."""

    __tablename__ = "water_meter"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("water_account.id", ondelete="SET NULL"), index=True)
    last_reading = mapped_column(Numeric(12, 2))
    last_read_on = mapped_column(Date)
    installed_on = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default="in_service")

    account = relationship(Account, back_populates="meters")

    def __str__(self):
        return self.number


outage_areas = Table(
    "water_outage_area",
    db.metadata,
    Column("outage_id", ForeignKey("water_outage.id", ondelete="CASCADE"), primary_key=True),
    Column("area_id", ForeignKey("water_area.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Outage(db.Model):
    """A planned outage (计划停水) of one or more areas (and their sub-areas) between two instants."""

    __tablename__ = "water_outage"

    id: Mapped[int] = mapped_column(primary_key=True)
    reason: Mapped[str] = mapped_column(Text)
    starts_at = mapped_column(UTCDateTime, nullable=False)
    ends_at = mapped_column(UTCDateTime, nullable=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at = mapped_column(UTCDateTime, default=utcnow)
    cancelled_at = mapped_column(UTCDateTime)

    areas = relationship(Area, secondary=outage_areas, order_by=Area.name)
    created_by = relationship("User")

    __table_args__ = (Index("ix_water_outage_window", "ends_at", "starts_at"),)

    def __str__(self):
        return f"#{self.id} {', '.join(area.name for area in self.areas)}"


class OutageNotice(db.Model):
    """One account told about an outage (or about its cancellation); at most once each."""

    __tablename__ = "water_outage_notice"

    id: Mapped[int] = mapped_column(primary_key=True)
    outage_id: Mapped[int] = mapped_column(ForeignKey("water_outage.id", ondelete="CASCADE"))
    account_id: Mapped[int] = mapped_column(ForeignKey("water_account.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10), default="planned")
    channels: Mapped[int] = mapped_column(Integer, default=0)  # how many messages were queued
    created_at = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("outage_id", "account_id", "kind", name="uq_water_outage_notice"),
                      Index("ix_water_outage_notice_created", "created_at"))


class OutageReport(db.Model):
    """A report (停水报修) answered with an outage's notice instead of a crew."""

    __tablename__ = "water_outage_report"

    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), primary_key=True)
    outage_id: Mapped[int] = mapped_column(ForeignKey("water_outage.id", ondelete="CASCADE"), index=True)
    created_at = mapped_column(UTCDateTime, default=utcnow)

    outage = relationship(Outage)
    ticket = relationship("Ticket")
