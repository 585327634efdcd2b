"""ticket indexes for the all queue and merged tickets

Revision ID: core_0004
Revises: core_0003
Create Date: 2026-11-24 11:10:10.227081

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'core_0004'
down_revision = 'core_0003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.create_index('ix_ticket_merged_into', ['merged_into_id'], unique=False)
        batch_op.create_index('ix_ticket_updated', ['updated_at', 'id'], unique=False)



def downgrade():
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.drop_index('ix_ticket_updated')
        batch_op.drop_index('ix_ticket_merged_into')

