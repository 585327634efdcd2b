"""catering plugin: floor areas, tables, guests, reservations, orders, dishes, floor requests, dish returns

Revision ID: catering_0001_tables
Revises:
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

from core.models.types import UTCDateTime

revision = "catering_0001_tables"
down_revision = None
branch_labels = ("catering",)
depends_on = "core_0011_report_closed_loop"


def upgrade():
    op.create_table(
        "catering_area",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("sort_order", sa.Integer, nullable=False),
        sa.Column("created_at", UTCDateTime()),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "catering_table",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("area_id", sa.Integer, sa.ForeignKey("catering_area.id", ondelete="RESTRICT"), nullable=False),
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("seats", sa.Integer, nullable=False),
        sa.Column("sort_order", sa.Integer, nullable=False),
        sa.UniqueConstraint("name"),
    )
    op.create_index("ix_catering_table_area_id", "catering_table", ["area_id"])
    op.create_table(
        "catering_guest",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("customer_id", sa.Integer, sa.ForeignKey("customer.id", ondelete="CASCADE"), nullable=False),
        sa.Column("surname", sa.String(20)),
        sa.Column("preferences", sa.Text),
        sa.Column("allergies", sa.Text),
        sa.Column("vip", sa.Boolean, nullable=False),
        sa.Column("visits", sa.Integer, nullable=False),
        sa.Column("created_at", UTCDateTime()),
        sa.UniqueConstraint("customer_id"),
    )
    op.create_table(
        "catering_reservation",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("guest_id", sa.Integer, sa.ForeignKey("catering_guest.id", ondelete="SET NULL")),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("phone", sa.String(40), nullable=False),
        sa.Column("party_size", sa.Integer, nullable=False),
        sa.Column("reserved_for", UTCDateTime(), nullable=False),
        sa.Column("table_id", sa.Integer, sa.ForeignKey("catering_table.id", ondelete="SET NULL")),
        sa.Column("special_requests", sa.Text),
        sa.Column("created_by_id", sa.Integer, sa.ForeignKey("user.id", ondelete="SET NULL")),
        sa.Column("created_at", UTCDateTime()),
    )
    op.create_index("ix_catering_reservation_guest_id", "catering_reservation", ["guest_id"])
    op.create_index("ix_catering_reservation_phone", "catering_reservation", ["phone"])
    op.create_index("ix_catering_reservation_reserved_for", "catering_reservation", ["reserved_for"])
    op.create_table(
        "catering_order",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("number", sa.String(30), nullable=False),
        sa.Column("table_id", sa.Integer, sa.ForeignKey("catering_table.id", ondelete="RESTRICT"), nullable=False),
        sa.Column("reservation_id", sa.Integer, sa.ForeignKey("catering_reservation.id", ondelete="SET NULL")),
        sa.Column("covers", sa.Integer, nullable=False),
        sa.Column("ordered_at", UTCDateTime(), nullable=False),
        sa.Column("created_at", UTCDateTime()),
        sa.UniqueConstraint("number"),
    )
    op.create_index("ix_catering_order_table_id", "catering_order", ["table_id"])
    op.create_index("ix_catering_order_ordered_at", "catering_order", ["ordered_at"])
    op.create_table(
        "catering_dish",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("order_id", sa.Integer, sa.ForeignKey("catering_order.id", ondelete="CASCADE"), nullable=False),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("ordered_at", UTCDateTime(), nullable=False),
        sa.Column("served_at", UTCDateTime()),
        sa.Column("chased_at", UTCDateTime()),
        sa.Column("chase_ticket_id", sa.Integer, sa.ForeignKey("ticket.id", ondelete="SET NULL")),
    )
    op.create_index("ix_catering_dish_order_id", "catering_dish", ["order_id"])
    op.create_index("ix_catering_dish_waiting", "catering_dish", ["served_at", "chased_at", "ordered_at"])
    op.create_table(
        "catering_request",
        sa.Column("ticket_id", sa.Integer, sa.ForeignKey("ticket.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("table_id", sa.Integer, sa.ForeignKey("catering_table.id", ondelete="CASCADE"), nullable=False),
        sa.Column("dish_id", sa.Integer, sa.ForeignKey("catering_dish.id", ondelete="SET NULL")),
        sa.Column("created_at", UTCDateTime()),
    )
    op.create_index("ix_catering_request_table_id", "catering_request", ["table_id"])
    op.create_index("ix_catering_request_dish_id", "catering_request", ["dish_id"])
    op.create_table(
        "catering_return",
        sa.Column("ticket_id", sa.Integer, sa.ForeignKey("ticket.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("dish_id", sa.Integer, sa.ForeignKey("catering_dish.id", ondelete="SET NULL")),
        sa.Column("reason", sa.String(20), nullable=False),
        sa.Column("logged_at", UTCDateTime(), nullable=False),
        sa.Column("remade_at", UTCDateTime()),
        sa.Column("reserved_at", UTCDateTime()),
    )
    op.create_index("ix_catering_return_dish_id", "catering_return", ["dish_id"])
    op.create_index("ix_catering_return_logged_at", "catering_return", ["logged_at"])


def downgrade():
    for table in ("catering_return", "catering_request", "catering_dish", "catering_order", "catering_reservation",
                  "catering_guest", "catering_table", "catering_area"):
        op.drop_table(table)
