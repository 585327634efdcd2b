"""example plugin: its own table, on its own branch

Revision ID: example_0001
Revises:
Create Date: 2026-11-24
"""
import sqlalchemy as sa
from alembic import op

revision = "example_0001"
down_revision = None
branch_labels = ("example",)
depends_on = "core_0001"


def upgrade():
    op.create_table("example_thing", sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(80)))


def downgrade():
    op.drop_table("example_thing")
