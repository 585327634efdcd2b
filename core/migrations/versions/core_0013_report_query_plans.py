"""the index of merged tickets holds only merged tickets

Revision ID: core_0013_partial_merged_index
Revises: core_0012_ticket_report_indexes
Create Date: 2026-12-03 13:40:00

"""
from alembic import op
from sqlalchemy import text

# revision identifiers, used by Alembic.
revision = 'core_0013_partial_merged_index'
down_revision = 'core_0012_ticket_report_indexes'
branch_labels = None
depends_on = None

MERGED = text("merged_into_id IS NOT NULL")


def upgrade():
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.drop_index('ix_ticket_merged_into')
        batch_op.create_index('ix_ticket_merged_into', ['merged_into_id'], unique=False, sqlite_where=MERGED,
                              postgresql_where=MERGED)


def downgrade():
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.drop_index('ix_ticket_merged_into')
        batch_op.create_index('ix_ticket_merged_into', ['merged_into_id'], unique=False)
