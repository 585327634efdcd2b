"""The plugin's tables: the estate structure (小区 / 楼栋 / 单元 / 房号), who owns or lives in each room (core
customers), the butler of each building, the butlers' patrols with their findings, and the monthly management
fee figure per room (imported; the plugin does not bill)."""
from sqlalchemy import ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.models.types import UTCDateTime, utcnow

RELATIONS = ("owner", "resident")  # 业主 / 住户
SHIFTS = ("morning", "afternoon")  # twice a day


class Estate(db.Model):
    """A residential estate (小区)."""

    __tablename__ = "property_estate"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    address: Mapped[str | None] = mapped_column(String(300))
    created_at = mapped_column(UTCDateTime, default=utcnow)

    buildings = relationship("Building", back_populates="estate", order_by="Building.name")

    def __str__(self):
        return self.name


class Building(db.Model):
    """A building (楼栋) of an estate, looked after by one property butler (物业管家)."""

    __tablename__ = "property_building"

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("property_estate.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(40))
    butler_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)

    estate = relationship(Estate, back_populates="buildings")
    butler = relationship("User")
    units = relationship("Unit", back_populates="building", order_by="Unit.name")

    __table_args__ = (UniqueConstraint("estate_id", "name", name="uq_property_building"),)

    def __str__(self):
        return f"{self.estate.name} {self.name}" if self.estate else self.name


class Unit(db.Model):
    """A unit (单元, one staircase) of a building."""

    __tablename__ = "property_unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    building_id: Mapped[int] = mapped_column(ForeignKey("property_building.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(40))

    building = relationship(Building, back_populates="units")
    rooms = relationship("Room", back_populates="unit", order_by="Room.number")

    __table_args__ = (UniqueConstraint("building_id", "name", name="uq_property_unit"),)

    def __str__(self):
        return f"{self.building} {self.name}" if self.building else self.name


class Room(db.Model):
    """A room (房号), one household."""

    __tablename__ = "property_room"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("property_unit.id", ondelete="CASCADE"))
    number: Mapped[str] = mapped_column(String(20))
    area_m2 = mapped_column(Numeric(8, 2))

    unit = relationship(Unit, back_populates="rooms")
    occupants = relationship("Occupant", back_populates="room", cascade="all, delete-orphan")

    __table_args__ = (UniqueConstraint("unit_id", "number", name="uq_property_room"),)

    @property
    def building(self):
        return self.unit.building

    def __str__(self):
        return f"{self.unit}{self.number}" if self.unit else self.number


class Occupant(db.Model):
    """A customer who owns (业主) or lives in (住户) a room: one person may own several rooms, a room may have
    several residents."""

    __tablename__ = "property_occupant"

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("property_room.id", ondelete="CASCADE"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"), index=True)
    relation: Mapped[str] = mapped_column(String(10), default="owner")

    room = relationship(Room, back_populates="occupants")
    customer = relationship("Customer")

    __table_args__ = (UniqueConstraint("room_id", "customer_id", "relation", name="uq_property_occupant"),)


class Patrol(db.Model):
    """One of a butler's twice-daily patrols (巡查) with its work diary."""

    __tablename__ = "property_patrol"

    id: Mapped[int] = mapped_column(primary_key=True)
    butler_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    building_id: Mapped[int | None] = mapped_column(ForeignKey("property_building.id", ondelete="SET NULL"))
    shift: Mapped[str] = mapped_column(String(10))
    diary: Mapped[str] = mapped_column(Text, default="")
    created_at = mapped_column(UTCDateTime, default=utcnow, index=True)

    butler = relationship("User")
    building = relationship(Building)
    findings = relationship("Finding", back_populates="patrol", order_by="Finding.id")


class Finding(db.Model):
    """Something a patrol found; it may become a repair ticket."""

    __tablename__ = "property_finding"

    id: Mapped[int] = mapped_column(primary_key=True)
    patrol_id: Mapped[int] = mapped_column(ForeignKey("property_patrol.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(String(500))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id", ondelete="SET NULL"))
    created_at = mapped_column(UTCDateTime, default=utcnow)

    patrol = relationship(Patrol, back_populates="findings")
    ticket = relationship("Ticket")


class MonthlyFee(db.Model):
    """A room's management fee for one month: what was due and what was paid (imported by CSV)."""

    __tablename__ = "property_monthly_fee"

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("property_room.id", ondelete="CASCADE"))
    month: Mapped[str] = mapped_column(String(7))  # "2026-05"
    amount_due = mapped_column(Numeric(12, 2), nullable=False)
    amount_paid = mapped_column(Numeric(12, 2), nullable=False)

    room = relationship(Room)

    __table_args__ = (UniqueConstraint("room_id", "month", name="uq_property_monthly_fee"),
                      Index("ix_property_monthly_fee_month", "month"))
