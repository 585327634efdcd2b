"""reports: the closed loop's counters (surveys, satisfaction, follow-ups, quality inspection)

Revision ID: core_0011_report_closed_loop
Revises: core_0010_reports
Create Date: 2026-12-02 05:55:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'core_0011_report_closed_loop'
down_revision = 'core_0010_reports'
branch_labels = None
depends_on = None

COUNTERS = ('surveyed', 'satisfied', 'followed_up', 'complaints_followed_up', 'inspected', 'quality_points')
TABLES = ('report_ticket_fact', 'report_daily')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name in COUNTERS:
                batch_op.add_column(sa.Column(name, sa.Integer(), nullable=False, server_default='0'))
    # Every ticket's contribution now has these counters: the worker's report job counts each one again.
    op.execute('INSERT INTO report_dirty (ticket_id) SELECT id FROM ticket')


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name in reversed(COUNTERS):
                batch_op.drop_column(name)
