"""logistics plugin: shipments and their status history, key accounts, investigation reports

Revision ID: logistics_0001_tables
Revises:
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

from core.models.types import UTCDateTime

revision = "logistics_0001_tables"
down_revision = None
branch_labels = ("logistics",)
depends_on = "core_0001"  # not the latest core revision: depending on a head hides it from upgrade_schema's heads


def upgrade():
    op.create_table(
        "logistics_shipment",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("waybill", sa.String(40), nullable=False),
        sa.Column("customer_id", sa.Integer, sa.ForeignKey("customer.id", ondelete="SET NULL")),
        sa.Column("shipper_name", sa.String(200), nullable=False),
        sa.Column("shipper_phone", sa.String(40)),
        sa.Column("consignee_name", sa.String(200), nullable=False),
        sa.Column("consignee_phone", sa.String(40)),
        sa.Column("origin", sa.String(80), nullable=False),
        sa.Column("destination", sa.String(80), nullable=False),
        sa.Column("weight_kg", sa.Numeric(10, 2)),
        sa.Column("declared_value", sa.Numeric(12, 2)),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("shipped_on", sa.Date),
        sa.Column("promised_on", sa.Date),
        sa.Column("delivered_at", UTCDateTime()),
        sa.Column("created_at", UTCDateTime()),
        sa.Column("updated_at", UTCDateTime()),
        sa.UniqueConstraint("waybill"),
    )
    op.create_index("ix_logistics_shipment_customer_id", "logistics_shipment", ["customer_id"])
    op.create_index("ix_logistics_shipment_shipper_phone", "logistics_shipment", ["shipper_phone"])
    op.create_index("ix_logistics_shipment_consignee_phone", "logistics_shipment", ["consignee_phone"])
    op.create_index("ix_logistics_shipment_customer_shipped", "logistics_shipment", ["customer_id", "shipped_on"])
    op.create_table(
        "logistics_shipment_event",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("shipment_id", sa.Integer, sa.ForeignKey("logistics_shipment.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("location", sa.String(120)),
        sa.Column("note", sa.String(500)),
    )
    op.create_index("ix_logistics_shipment_event_shipment_at", "logistics_shipment_event", ["shipment_id", "at"])
    op.create_table(
        "logistics_key_account",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("customer_id", sa.Integer, sa.ForeignKey("customer.id", ondelete="CASCADE"), nullable=False),
        sa.Column("owner_id", sa.Integer, sa.ForeignKey("user.id", ondelete="SET NULL")),
        sa.Column("service_plan", sa.Text, nullable=False),
        sa.Column("visit_every_days", sa.Integer, nullable=False),
        sa.Column("next_visit_on", sa.Date),
        sa.Column("contact_email", sa.String(254)),
        sa.Column("reported_month", sa.String(7)),
        sa.Column("created_at", UTCDateTime()),
        sa.UniqueConstraint("customer_id"),
    )
    op.create_index("ix_logistics_key_account_owner_id", "logistics_key_account", ["owner_id"])
    op.create_table(
        "logistics_investigation",
        sa.Column("ticket_id", sa.Integer, sa.ForeignKey("ticket.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("cause", sa.Text, nullable=False),
        sa.Column("responsibility", sa.Text, nullable=False),
        sa.Column("corrective_action", sa.Text, nullable=False),
        sa.Column("filed_by_id", sa.Integer, sa.ForeignKey("user.id", ondelete="SET NULL")),
        sa.Column("filed_at", UTCDateTime()),
    )


def downgrade():
    for table in ("logistics_investigation", "logistics_key_account", "logistics_shipment_event",
                  "logistics_shipment"):
        op.drop_table(table)
