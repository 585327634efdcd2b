"""closed loop: customer messages and SMS outbox, follow-up rules and tasks, surveys, investigations, quality inspection

Revision ID: core_0008_closed_loop
Revises: core_0009_search
Create Date: 2026-12-02 02:01:53.371933

Self-contained: the tables of the closed loop (core/models/messages.py, followup.py, quality.py) only.

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'core_0008_closed_loop'
down_revision = 'core_0009_search'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('follow_up_rule',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_grade', sa.String(length=20), nullable=True),
    sa.Column('ticket_type', sa.String(length=64), nullable=True),
    sa.Column('percent', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('percent >= 0 AND percent <= 100', name=op.f('ck_follow_up_rule_percent_range')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_up_rule'))
    )
    op.create_table('quality_checklist_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('max_points', sa.Integer(), nullable=False),
    sa.Column('weight', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('max_points > 0', name=op.f('ck_quality_checklist_item_max_points_positive')),
    sa.CheckConstraint('weight > 0', name=op.f('ck_quality_checklist_item_weight_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quality_checklist_item'))
    )
    op.create_table('sms_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=80), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('picked_up_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_sms_message_customer_id_customer'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sms_message')),
    sa.UniqueConstraint('source', name=op.f('uq_sms_message_source'))
    )
    with op.batch_alter_table('sms_message', schema=None) as batch_op:
        batch_op.create_index('ix_sms_message_waiting', ['picked_up_at', 'id'], unique=False)

    op.create_table('customer_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('channel', sa.String(length=40), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_customer_message_customer_id_customer'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_customer_message_ticket_id_ticket'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customer_message'))
    )
    with op.batch_alter_table('customer_message', schema=None) as batch_op:
        batch_op.create_index('ix_customer_message_customer', ['customer_id', 'created_at'], unique=False)
        batch_op.create_index('ix_customer_message_state', ['state', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_customer_message_ticket_id'), ['ticket_id'], unique=False)

    op.create_table('follow_up',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('method', sa.String(length=10), nullable=True),
    sa.Column('outcome', sa.Text(), nullable=True),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('done_by_id', sa.Integer(), nullable=True),
    sa.Column('overdue_notified_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['assignee_id'], ['user.id'], name=op.f('fk_follow_up_assignee_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['done_by_id'], ['user.id'], name=op.f('fk_follow_up_done_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_follow_up_ticket_id_ticket'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_up'))
    )
    with op.batch_alter_table('follow_up', schema=None) as batch_op:
        batch_op.create_index('ix_follow_up_assignee_state_due', ['assignee_id', 'state', 'due_at'], unique=False)
        batch_op.create_index('ix_follow_up_done', ['done_at'], unique=False)
        batch_op.create_index('ix_follow_up_state_due', ['state', 'due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_follow_up_ticket_id'), ['ticket_id'], unique=False)

    op.create_table('quality_inspection',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('agent_id', sa.Integer(), nullable=True),
    sa.Column('week_start', sa.Date(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('drawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('inspector_id', sa.Integer(), nullable=True),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['agent_id'], ['user.id'], name=op.f('fk_quality_inspection_agent_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['inspector_id'], ['user.id'], name=op.f('fk_quality_inspection_inspector_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_quality_inspection_ticket_id_ticket'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quality_inspection')),
    sa.UniqueConstraint('ticket_id', name=op.f('uq_quality_inspection_ticket_id'))
    )
    with op.batch_alter_table('quality_inspection', schema=None) as batch_op:
        batch_op.create_index('ix_quality_inspection_agent_done', ['agent_id', 'done_at'], unique=False)
        batch_op.create_index('ix_quality_inspection_week_agent', ['week_start', 'agent_id'], unique=False)

    op.create_table('quality_score',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('inspection_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('max_points', sa.Integer(), nullable=False),
    sa.Column('weight', sa.Integer(), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.CheckConstraint('points >= 0 AND points <= max_points', name=op.f('ck_quality_score_points_range')),
    sa.ForeignKeyConstraint(['inspection_id'], ['quality_inspection.id'], name=op.f('fk_quality_score_inspection_id_quality_inspection'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['item_id'], ['quality_checklist_item.id'], name=op.f('fk_quality_score_item_id_quality_checklist_item'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quality_score')),
    sa.UniqueConstraint('inspection_id', 'item_id', name='uq_quality_score_item')
    )
    op.create_table('survey',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('follow_up_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('channel', sa.String(length=10), nullable=True),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('quality', sa.Integer(), nullable=True),
    sa.Column('attitude', sa.Integer(), nullable=True),
    sa.Column('speed', sa.Integer(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.CheckConstraint('attitude IS NULL OR (attitude >= 1 AND attitude <= 5)', name=op.f('ck_survey_attitude_range')),
    sa.CheckConstraint('quality IS NULL OR (quality >= 1 AND quality <= 5)', name=op.f('ck_survey_quality_range')),
    sa.CheckConstraint('speed IS NULL OR (speed >= 1 AND speed <= 5)', name=op.f('ck_survey_speed_range')),
    sa.ForeignKeyConstraint(['answered_by_id'], ['user.id'], name=op.f('fk_survey_answered_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_survey_customer_id_customer'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['follow_up_id'], ['follow_up.id'], name=op.f('fk_survey_follow_up_id_follow_up'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_survey_ticket_id_ticket'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey'))
    )
    with op.batch_alter_table('survey', schema=None) as batch_op:
        batch_op.create_index('ix_survey_answered', ['answered_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_ticket_id'), ['ticket_id'], unique=False)

    op.create_table('investigation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('outcome', sa.Text(), nullable=True),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('done_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['assignee_id'], ['user.id'], name=op.f('fk_investigation_assignee_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['done_by_id'], ['user.id'], name=op.f('fk_investigation_done_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_investigation_survey_id_survey'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_investigation_ticket_id_ticket'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_investigation')),
    sa.UniqueConstraint('survey_id', name=op.f('uq_investigation_survey_id'))
    )
    with op.batch_alter_table('investigation', schema=None) as batch_op:
        batch_op.create_index('ix_investigation_assignee_state', ['assignee_id', 'state'], unique=False)
        batch_op.create_index(batch_op.f('ix_investigation_ticket_id'), ['ticket_id'], unique=False)



def downgrade():
    with op.batch_alter_table('investigation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_investigation_ticket_id'))
        batch_op.drop_index('ix_investigation_assignee_state')

    op.drop_table('investigation')
    with op.batch_alter_table('survey', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_ticket_id'))
        batch_op.drop_index('ix_survey_answered')

    op.drop_table('survey')
    op.drop_table('quality_score')
    with op.batch_alter_table('quality_inspection', schema=None) as batch_op:
        batch_op.drop_index('ix_quality_inspection_week_agent')
        batch_op.drop_index('ix_quality_inspection_agent_done')

    op.drop_table('quality_inspection')
    with op.batch_alter_table('follow_up', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_follow_up_ticket_id'))
        batch_op.drop_index('ix_follow_up_state_due')
        batch_op.drop_index('ix_follow_up_done')
        batch_op.drop_index('ix_follow_up_assignee_state_due')

    op.drop_table('follow_up')
    with op.batch_alter_table('customer_message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customer_message_ticket_id'))
        batch_op.drop_index('ix_customer_message_state')
        batch_op.drop_index('ix_customer_message_customer')

    op.drop_table('customer_message')
    with op.batch_alter_table('sms_message', schema=None) as batch_op:
        batch_op.drop_index('ix_sms_message_waiting')

    op.drop_table('sms_message')
    op.drop_table('quality_checklist_item')
    op.drop_table('follow_up_rule')
