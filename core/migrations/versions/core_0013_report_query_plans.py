"""the index of merged tickets holds only merged tickets; the index by category and date covers the requests' answer
and resolution times

Revision ID: core_0013_report_query_plans
Revises: core_0012_ticket_report_indexes
Create Date: 2026-12-03 13:40:00

"""
from alembic import op
from sqlalchemy import text

# revision identifiers, used by Alembic.
revision = 'core_0013_report_query_plans'
down_revision = 'core_0012_ticket_report_indexes'
branch_labels = None
depends_on = None

MERGED = text("merged_into_id IS NOT NULL")
CATEGORY_COLUMNS = ['category', 'created_at', 'merged_into_id', 'type_id', 'first_response_at', 'resolved_at']


def upgrade():
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.drop_index('ix_ticket_merged_into')
        batch_op.create_index('ix_ticket_merged_into', ['merged_into_id'], unique=False, sqlite_where=MERGED,
                              postgresql_where=MERGED)
        batch_op.drop_index('ix_ticket_category_created')
        batch_op.create_index('ix_ticket_category_created', CATEGORY_COLUMNS, unique=False)


def downgrade():
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.drop_index('ix_ticket_category_created')
        batch_op.create_index('ix_ticket_category_created', ['category', 'created_at'], unique=False)
        batch_op.drop_index('ix_ticket_merged_into')
        batch_op.create_index('ix_ticket_merged_into', ['merged_into_id'], unique=False)
