"""water plugin: settings, service areas, accounts, meters, planned outages, their notices and answered reports

Revision ID: water_0001
Revises:
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

from core.models.types import UTCDateTime

revision = "water_0001"
down_revision = None
branch_labels = ("water",)
depends_on = "core_0001"


def upgrade():
    op.create_table(
        "water_settings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("utility_kind", sa.String(10), nullable=False),
        sa.Column("hotline", sa.String(40)),
        sa.Column("updated_at", UTCDateTime()),
    )
    op.create_table(
        "water_area",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("parent_id", sa.Integer, sa.ForeignKey("water_area.id", ondelete="RESTRICT")),
        sa.Column("crew_team_id", sa.Integer, sa.ForeignKey("team.id", ondelete="SET NULL")),
        sa.Column("created_at", UTCDateTime()),
        sa.UniqueConstraint("name"),
    )
    op.create_index("ix_water_area_parent_id", "water_area", ["parent_id"])
    op.create_table(
        "water_account",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("number", sa.String(30), nullable=False),
        sa.Column("customer_id", sa.Integer, sa.ForeignKey("customer.id", ondelete="SET NULL")),
        sa.Column("address", sa.String(300), nullable=False),
        sa.Column("area_id", sa.Integer, sa.ForeignKey("water_area.id", ondelete="RESTRICT"), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("opened_on", sa.Date),
        sa.Column("closed_at", UTCDateTime()),
        sa.Column("created_at", UTCDateTime()),
        sa.Column("updated_at", UTCDateTime()),
        sa.UniqueConstraint("number"),
    )
    op.create_index("ix_water_account_customer_id", "water_account", ["customer_id"])
    op.create_index("ix_water_account_area_status", "water_account", ["area_id", "status"])
    op.create_table(
        "water_meter",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("number", sa.String(30), nullable=False),
        sa.Column("account_id", sa.Integer, sa.ForeignKey("water_account.id", ondelete="SET NULL")),
        sa.Column("last_reading", sa.Numeric(12, 2)),
        sa.Column("last_read_on", sa.Date),
        sa.Column("installed_on", sa.Date),
        sa.Column("status", sa.String(12), nullable=False),
        sa.UniqueConstraint("number"),
    )
    op.create_index("ix_water_meter_account_id", "water_meter", ["account_id"])
    op.create_table(
        "water_outage",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("starts_at", UTCDateTime(), nullable=False),
        sa.Column("ends_at", UTCDateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer, sa.ForeignKey("user.id", ondelete="SET NULL")),
        sa.Column("created_at", UTCDateTime()),
        sa.Column("cancelled_at", UTCDateTime()),
    )
    op.create_index("ix_water_outage_window", "water_outage", ["ends_at", "starts_at"])
    op.create_table(
        "water_outage_area",
        sa.Column("outage_id", sa.Integer, sa.ForeignKey("water_outage.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("area_id", sa.Integer, sa.ForeignKey("water_area.id", ondelete="CASCADE"), primary_key=True),
    )
    op.create_index("ix_water_outage_area_area_id", "water_outage_area", ["area_id"])
    op.create_table(
        "water_outage_notice",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("outage_id", sa.Integer, sa.ForeignKey("water_outage.id", ondelete="CASCADE"), nullable=False),
        sa.Column("account_id", sa.Integer, sa.ForeignKey("water_account.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("channels", sa.Integer, nullable=False),
        sa.Column("created_at", UTCDateTime()),
        sa.UniqueConstraint("outage_id", "account_id", "kind", name="uq_water_outage_notice"),
    )
    op.create_index("ix_water_outage_notice_created", "water_outage_notice", ["created_at"])
    op.create_table(
        "water_outage_report",
        sa.Column("ticket_id", sa.Integer, sa.ForeignKey("ticket.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("outage_id", sa.Integer, sa.ForeignKey("water_outage.id", ondelete="CASCADE"), nullable=False),
        sa.Column("created_at", UTCDateTime()),
    )
    op.create_index("ix_water_outage_report_outage_id", "water_outage_report", ["outage_id"])


def downgrade():
    for table in ("water_outage_report", "water_outage_notice", "water_outage_area", "water_outage", "water_meter",
                  "water_account", "water_area", "water_settings"):
        op.drop_table(table)
