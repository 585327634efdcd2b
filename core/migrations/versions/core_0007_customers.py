"""customer archive and care: grades as site data, credit grade, tags, birthday, contacts, confidentiality
with an access log, problem-customer flags, merges, unverified public-form records; care rules and tasks

Revision ID: core_0007_customers
Revises: core_0008_closed_loop
Create Date: 2026-12-02 02:08:51.665055

"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = 'core_0007_customers'
down_revision = 'core_0008_closed_loop'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('care_rule',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('days_ahead', sa.Integer(), nullable=False),
    sa.Column('grades', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_care_rule')),
    sa.UniqueConstraint('key', name=op.f('uq_care_rule_key'))
    )
    op.create_table('customer_grade',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scheme', sa.String(length=10), nullable=False),
    sa.Column('key', sa.String(length=20), nullable=False),
    sa.Column('label_zh', sa.String(length=60), nullable=False),
    sa.Column('label_en', sa.String(length=60), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customer_grade')),
    sa.UniqueConstraint('scheme', 'key', name='uq_customer_grade_scheme_key')
    )
    op.create_table('customer_contact',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('value', sa.String(length=300), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=True),
    sa.Column('note', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_customer_contact_customer_id_customer'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customer_contact'))
    )
    with op.batch_alter_table('customer_contact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customer_contact_customer_id'), ['customer_id'], unique=False)

    op.create_table('customer_tag',
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('tag_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_customer_tag_customer_id_customer'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tag_id'], ['tag.id'], name=op.f('fk_customer_tag_tag_id_tag'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('customer_id', 'tag_id', name=op.f('pk_customer_tag'))
    )
    with op.batch_alter_table('customer_tag', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customer_tag_tag_id'), ['tag_id'], unique=False)

    op.create_table('care_task',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=60), nullable=False),
    sa.Column('on', sa.Date(), nullable=False),
    sa.Column('label_zh', sa.String(length=120), nullable=False),
    sa.Column('label_en', sa.String(length=120), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('done_by_id', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_care_task_customer_id_customer'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['done_by_id'], ['user.id'], name=op.f('fk_care_task_done_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_care_task')),
    sa.UniqueConstraint('customer_id', 'kind', 'on', name='uq_care_task_customer_kind_on')
    )
    with op.batch_alter_table('care_task', schema=None) as batch_op:
        batch_op.create_index('ix_care_task_on', ['on', 'id'], unique=False)
        batch_op.create_index('ix_care_task_open', ['done_at', 'on', 'id'], unique=False)

    op.create_table('customer_access',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('customer_name', sa.String(length=200), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('level', sa.String(length=12), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('ip', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_customer_access_customer_id_customer'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_customer_access_user_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customer_access'))
    )
    with op.batch_alter_table('customer_access', schema=None) as batch_op:
        batch_op.create_index('ix_customer_access_created', ['created_at'], unique=False)
        batch_op.create_index('ix_customer_access_customer', ['customer_id', 'created_at'], unique=False)

    op.create_table('customer_flag',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('proposed_by_id', sa.Integer(), nullable=True),
    sa.Column('proposed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=True),
    sa.Column('lifted_by_id', sa.Integer(), nullable=True),
    sa.Column('lifted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('lift_note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_customer_flag_customer_id_customer'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'], name=op.f('fk_customer_flag_decided_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['lifted_by_id'], ['user.id'], name=op.f('fk_customer_flag_lifted_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['user.id'], name=op.f('fk_customer_flag_proposed_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customer_flag'))
    )
    with op.batch_alter_table('customer_flag', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customer_flag_customer_id'), ['customer_id'], unique=False)

    with op.batch_alter_table('customer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('credit_grade', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('birthday', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('birthday_md', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('confidentiality', sa.String(length=12), nullable=False, server_default='normal'))
        batch_op.add_column(sa.Column('problem', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('verified', sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column('merged_into_id', sa.Integer(), nullable=True))
        batch_op.drop_index(batch_op.f('ix_customer_name'))
        batch_op.create_index(batch_op.f('ix_customer_birthday_md'), ['birthday_md'], unique=False)
        batch_op.create_index('ix_customer_live_name', ['merged_into_id', 'name', 'id'], unique=False)
        batch_op.create_index('ix_customer_organisation', ['organisation_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_customer_merged_into_id_customer'), 'customer', ['merged_into_id'], ['id'], ondelete='SET NULL')
    _defaults()


# The site's starting lists; the admin changes them in the admin panel.
GRADES = [
    ("grade", "strategic", "战略客户", "Strategic customer", 10),
    ("grade", "key", "重点客户", "Key customer", 20),
    ("grade", "ordinary", "普通客户", "Ordinary customer", 30),
    ("credit", "A", "A 级（信用优良）", "A (excellent credit)", 10),
    ("credit", "B", "B 级（信用良好）", "B (good credit)", 20),
    ("credit", "C", "C 级（信用一般）", "C (fair credit)", 30),
    ("credit", "D", "D 级（信用较差）", "D (poor credit)", 40),
]
# Birthdays 2–7 days ahead, festivals 1–3 days ahead (DOMAIN.md §4), for strategic and key customers.
CARE_RULES = [("birthday", 3), ("spring_festival", 2), ("lantern_festival", 2), ("qingming", 2),
              ("dragon_boat", 2), ("mid_autumn", 2), ("reminders", 7)]


def _defaults():
    grade = sa.table('customer_grade', sa.column('scheme'), sa.column('key'), sa.column('label_zh'),
                     sa.column('label_en'), sa.column('sort_order'))
    op.bulk_insert(grade, [dict(zip(('scheme', 'key', 'label_zh', 'label_en', 'sort_order'), row, strict=True))
                           for row in GRADES])
    rule = sa.table('care_rule', sa.column('key'), sa.column('active', sa.Boolean()), sa.column('days_ahead'),
                    sa.column('grades', sa.JSON()))
    op.bulk_insert(rule, [{'key': key, 'active': True, 'days_ahead': days, 'grades': ['strategic', 'key']}
                          for key, days in CARE_RULES])



def downgrade():
    with op.batch_alter_table('customer', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_customer_merged_into_id_customer'), type_='foreignkey')
        batch_op.drop_index('ix_customer_organisation')
        batch_op.drop_index('ix_customer_live_name')
        batch_op.drop_index(batch_op.f('ix_customer_birthday_md'))
        batch_op.create_index(batch_op.f('ix_customer_name'), ['name'], unique=False)
        batch_op.drop_column('merged_into_id')
        batch_op.drop_column('verified')
        batch_op.drop_column('problem')
        batch_op.drop_column('confidentiality')
        batch_op.drop_column('birthday_md')
        batch_op.drop_column('birthday')
        batch_op.drop_column('credit_grade')

    with op.batch_alter_table('customer_flag', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customer_flag_customer_id'))

    op.drop_table('customer_flag')
    with op.batch_alter_table('customer_access', schema=None) as batch_op:
        batch_op.drop_index('ix_customer_access_customer')
        batch_op.drop_index('ix_customer_access_created')

    op.drop_table('customer_access')
    with op.batch_alter_table('care_task', schema=None) as batch_op:
        batch_op.drop_index('ix_care_task_open')
        batch_op.drop_index('ix_care_task_on')

    op.drop_table('care_task')
    with op.batch_alter_table('customer_tag', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customer_tag_tag_id'))

    op.drop_table('customer_tag')
    with op.batch_alter_table('customer_contact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customer_contact_customer_id'))

    op.drop_table('customer_contact')
    op.drop_table('customer_grade')
    op.drop_table('care_rule')
