"""The plugin's tables: floor areas and their rooms and tables (包间/台号), guest profiles linked to core
customers, reservations (订座), orders (单号) with their dishes, the floor requests raised at a table and the
dishes returned to the kitchen (退菜)."""
from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.models.types import UTCDateTime, utcnow

TABLE_KINDS = ("table", "room")  # 散台 / 包间
RETURN_REASONS = ("taste", "foreign_object", "temperature", "portion", "wrong_dish", "other")


class FloorArea(db.Model):
    """A floor area (楼面区域): one tablet shows its board."""

    __tablename__ = "catering_area"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=100)
    created_at = mapped_column(UTCDateTime, default=utcnow)

    tables = relationship("DiningTable", back_populates="area", order_by="DiningTable.sort_order, DiningTable.name")

    def __str__(self):
        return self.name


class DiningTable(db.Model):
    """A table (台号) or a private room (包间) and how many it seats."""

    __tablename__ = "catering_table"

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("catering_area.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(10), default="table")
    seats: Mapped[int] = mapped_column(Integer, default=4)
    sort_order: Mapped[int] = mapped_column(Integer, default=100)

    area = relationship(FloorArea, back_populates="tables")

    def __str__(self):
        return self.name


class Guest(db.Model):
    """A guest's profile (客户档案) beside the core customer: what the 咨客 greets them with."""

    __tablename__ = "catering_guest"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"), unique=True)
    surname: Mapped[str | None] = mapped_column(String(20))
    preferences: Mapped[str | None] = mapped_column(Text)
    allergies: Mapped[str | None] = mapped_column(Text)
    vip: Mapped[bool] = mapped_column(Boolean, default=False)
    visits: Mapped[int] = mapped_column(Integer, default=0)
    created_at = mapped_column(UTCDateTime, default=utcnow)

    customer = relationship("Customer")

    def __str__(self):
        return self.surname or str(self.customer_id)


class Reservation(db.Model):
    """A reservation (订座): who, how many, when, where, and what they asked for."""

    __tablename__ = "catering_reservation"

    id: Mapped[int] = mapped_column(primary_key=True)
    guest_id: Mapped[int | None] = mapped_column(ForeignKey("catering_guest.id", ondelete="SET NULL"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    phone: Mapped[str] = mapped_column(String(40), index=True)
    party_size: Mapped[int] = mapped_column(Integer)
    reserved_for = mapped_column(UTCDateTime, nullable=False, index=True)
    table_id: Mapped[int | None] = mapped_column(ForeignKey("catering_table.id", ondelete="SET NULL"))
    special_requests: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at = mapped_column(UTCDateTime, default=utcnow)

    guest = relationship(Guest)
    table = relationship(DiningTable)

    def __str__(self):
        return f"{self.name} {self.phone}"


class Order(db.Model):
    """An order (菜单/单号) of a table, entered by hand or imported: the plugin is not a POS."""

    __tablename__ = "catering_order"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    table_id: Mapped[int] = mapped_column(ForeignKey("catering_table.id", ondelete="RESTRICT"), index=True)
    reservation_id: Mapped[int | None] = mapped_column(ForeignKey("catering_reservation.id", ondelete="SET NULL"))
    covers: Mapped[int] = mapped_column(Integer, default=1)
    ordered_at = mapped_column(UTCDateTime, nullable=False, index=True)
    created_at = mapped_column(UTCDateTime, default=utcnow)

    table = relationship(DiningTable)
    reservation = relationship(Reservation)
    dishes = relationship("Dish", back_populates="order", order_by="Dish.id")

    def __str__(self):
        return self.number


class Dish(db.Model):
    """One dish of an order: when it was ordered and served, and the chase raised when it was late."""

    __tablename__ = "catering_dish"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("catering_order.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    ordered_at = mapped_column(UTCDateTime, nullable=False)
    served_at = mapped_column(UTCDateTime)
    chased_at = mapped_column(UTCDateTime)  # claimed by the dish-chase job
    chase_ticket_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id", ondelete="SET NULL"))

    order = relationship(Order, back_populates="dishes")

    __table_args__ = (Index("ix_catering_dish_waiting", "served_at", "chased_at", "ordered_at"),)

    def __str__(self):
        return self.name


class FloorRequest(db.Model):
    """A floor request (a ticket of the plugin) and the table it was raised at, for the board."""

    __tablename__ = "catering_request"

    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), primary_key=True)
    table_id: Mapped[int] = mapped_column(ForeignKey("catering_table.id", ondelete="CASCADE"), index=True)
    dish_id: Mapped[int | None] = mapped_column(ForeignKey("catering_dish.id", ondelete="SET NULL"), index=True)
    created_at = mapped_column(UTCDateTime, default=utcnow)

    ticket = relationship("Ticket")
    table = relationship(DiningTable)
    dish = relationship(Dish)


class DishReturn(db.Model):
    """A dish returned to the kitchen (退菜/出品不合格): logged with its reason, re-made, re-served."""

    __tablename__ = "catering_return"

    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), primary_key=True)
    dish_id: Mapped[int | None] = mapped_column(ForeignKey("catering_dish.id", ondelete="SET NULL"), index=True)
    reason: Mapped[str] = mapped_column(String(20))
    logged_at = mapped_column(UTCDateTime, nullable=False, index=True)
    remade_at = mapped_column(UTCDateTime)
    reserved_at = mapped_column(UTCDateTime)

    ticket = relationship("Ticket")
    dish = relationship(Dish)
