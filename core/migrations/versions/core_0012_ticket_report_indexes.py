"""ticket indexes for the KPIs that count one type's or one category's tickets of a period

Revision ID: core_0012_ticket_report_indexes
Revises: core_0011_report_closed_loop
Create Date: 2026-12-03 09:30:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'core_0012_ticket_report_indexes'
down_revision = 'core_0011_report_closed_loop'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.create_index('ix_ticket_type_created', ['type_id', 'created_at'], unique=False)
        batch_op.create_index('ix_ticket_type_resolved', ['type_id', 'resolved_at'], unique=False)
        batch_op.create_index('ix_ticket_category_created', ['category', 'created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.drop_index('ix_ticket_category_created')
        batch_op.drop_index('ix_ticket_type_resolved')
        batch_op.drop_index('ix_ticket_type_created')
