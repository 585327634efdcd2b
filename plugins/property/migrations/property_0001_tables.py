"""property plugin: estates, buildings, units, rooms, occupants, patrols, findings, monthly fees

Revision ID: property_0001_tables
Revises:
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

from core.models.types import UTCDateTime

revision = "property_0001_tables"
down_revision = None
branch_labels = ("property",)
depends_on = "core_0001"


def upgrade():
    op.create_table(
        "property_estate",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("address", sa.String(300)),
        sa.Column("created_at", UTCDateTime()),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "property_building",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("estate_id", sa.Integer, sa.ForeignKey("property_estate.id", ondelete="CASCADE"), nullable=False),
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("butler_id", sa.Integer, sa.ForeignKey("user.id", ondelete="SET NULL")),
        sa.UniqueConstraint("estate_id", "name", name="uq_property_building"),
    )
    op.create_index("ix_property_building_butler_id", "property_building", ["butler_id"])
    op.create_table(
        "property_unit",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("building_id", sa.Integer, sa.ForeignKey("property_building.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("name", sa.String(40), nullable=False),
        sa.UniqueConstraint("building_id", "name", name="uq_property_unit"),
    )
    op.create_table(
        "property_room",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("property_unit.id", ondelete="CASCADE"), nullable=False),
        sa.Column("number", sa.String(20), nullable=False),
        sa.Column("area_m2", sa.Numeric(8, 2)),
        sa.UniqueConstraint("unit_id", "number", name="uq_property_room"),
    )
    op.create_table(
        "property_occupant",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("room_id", sa.Integer, sa.ForeignKey("property_room.id", ondelete="CASCADE"), nullable=False),
        sa.Column("customer_id", sa.Integer, sa.ForeignKey("customer.id", ondelete="CASCADE"), nullable=False),
        sa.Column("relation", sa.String(10), nullable=False),
        sa.UniqueConstraint("room_id", "customer_id", "relation", name="uq_property_occupant"),
    )
    op.create_index("ix_property_occupant_customer_id", "property_occupant", ["customer_id"])
    op.create_table(
        "property_patrol",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("butler_id", sa.Integer, sa.ForeignKey("user.id", ondelete="CASCADE"), nullable=False),
        sa.Column("building_id", sa.Integer, sa.ForeignKey("property_building.id", ondelete="SET NULL")),
        sa.Column("shift", sa.String(10), nullable=False),
        sa.Column("diary", sa.Text, nullable=False),
        sa.Column("created_at", UTCDateTime()),
    )
    op.create_index("ix_property_patrol_butler_id", "property_patrol", ["butler_id"])
    op.create_index("ix_property_patrol_created_at", "property_patrol", ["created_at"])
    op.create_table(
        "property_finding",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("patrol_id", sa.Integer, sa.ForeignKey("property_patrol.id", ondelete="CASCADE"), nullable=False),
        sa.Column("description", sa.String(500), nullable=False),
        sa.Column("ticket_id", sa.Integer, sa.ForeignKey("ticket.id", ondelete="SET NULL")),
        sa.Column("created_at", UTCDateTime()),
    )
    op.create_index("ix_property_finding_patrol_id", "property_finding", ["patrol_id"])
    op.create_table(
        "property_monthly_fee",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("room_id", sa.Integer, sa.ForeignKey("property_room.id", ondelete="CASCADE"), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("amount_due", sa.Numeric(12, 2), nullable=False),
        sa.Column("amount_paid", sa.Numeric(12, 2), nullable=False),
        sa.UniqueConstraint("room_id", "month", name="uq_property_monthly_fee"),
    )
    op.create_index("ix_property_monthly_fee_month", "property_monthly_fee", ["month"])


def downgrade():
    for table in ("property_monthly_fee", "property_finding", "property_patrol", "property_occupant", "property_room",
                  "property_unit", "property_building", "property_estate"):
        op.drop_table(table)
