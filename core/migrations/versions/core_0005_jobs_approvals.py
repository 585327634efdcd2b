"""jobs and approvals: a lease per scheduled job; approvals of workflow steps and of reassignments (which
replace reassign_request, whose rows move over)

Revision ID: core_0005_jobs_approvals
Revises: core_0004
Create Date: 2026-11-25 09:00:00.000000

"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = 'core_0005_jobs_approvals'
down_revision = 'core_0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('job_lease',
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('leased_by', sa.String(length=200), nullable=True),
    sa.Column('leased_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_result', sa.Integer(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('runs', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_job_lease'))
    )
    op.create_table('approval',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('transition', sa.String(length=64), nullable=True),
    sa.Column('to_user_id', sa.Integer(), nullable=True),
    sa.Column('permission', sa.String(length=80), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('fields', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'], name=op.f('fk_approval_decided_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['requested_by_id'], ['user.id'], name=op.f('fk_approval_requested_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_approval_ticket_id_ticket'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['to_user_id'], ['user.id'], name=op.f('fk_approval_to_user_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_approval'))
    )
    with op.batch_alter_table('approval', schema=None) as batch_op:
        batch_op.create_index('ix_approval_state_permission', ['state', 'permission'], unique=False)
        batch_op.create_index('ix_approval_ticket_state', ['ticket_id', 'state'], unique=False)

    op.execute(
        "INSERT INTO approval (ticket_id, kind, transition, to_user_id, permission, state, requested_by_id, reason, "
        "fields, decided_by_id, decision_note, created_at, decided_at) "
        "SELECT ticket_id, 'reassign', NULL, to_user_id, 'ticket.approve_reassign', state, requested_by_id, reason, "
        "'{}', decided_by_id, decision_note, created_at, decided_at FROM reassign_request ORDER BY id")
    with op.batch_alter_table('reassign_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reassign_request_ticket_id'))
    op.drop_table('reassign_request')


def downgrade():
    op.create_table('reassign_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('from_user_id', sa.Integer(), nullable=True),
    sa.Column('to_user_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'], name=op.f('fk_reassign_request_decided_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['from_user_id'], ['user.id'], name=op.f('fk_reassign_request_from_user_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['requested_by_id'], ['user.id'], name=op.f('fk_reassign_request_requested_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_reassign_request_ticket_id_ticket'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['to_user_id'], ['user.id'], name=op.f('fk_reassign_request_to_user_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reassign_request'))
    )
    with op.batch_alter_table('reassign_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reassign_request_ticket_id'), ['ticket_id'], unique=False)
    op.execute(
        "INSERT INTO reassign_request (ticket_id, requested_by_id, to_user_id, reason, state, decided_by_id, "
        "decision_note, created_at, decided_at) "
        "SELECT ticket_id, requested_by_id, to_user_id, COALESCE(reason, ''), "
        "CASE WHEN state = 'cancelled' THEN 'refused' ELSE state END, decided_by_id, decision_note, created_at, "
        "decided_at FROM approval WHERE kind = 'reassign' ORDER BY id")
    with op.batch_alter_table('approval', schema=None) as batch_op:
        batch_op.drop_index('ix_approval_ticket_state')
        batch_op.drop_index('ix_approval_state_permission')
    op.drop_table('approval')
    op.drop_table('job_lease')
