"""search: the outbox of index changes, shared index state, the PostgreSQL backend's document tables

Revision ID: core_0009_search
Revises: core_0004
Create Date: 2026-12-02 02:10:00

"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = 'core_0009_search'
down_revision = 'core_0005_jobs_approvals'
branch_labels = None
depends_on = None

TERMS = sa.Text().with_variant(postgresql.TSVECTOR(), "postgresql")


def _document_table(name):
    op.create_table(name,
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=False),
    sa.Column('terms', TERMS, nullable=False),
    sa.Column('title_terms', TERMS, nullable=False),
    sa.Column('norm_all', sa.Text(), nullable=False),
    sa.Column('norm_public', sa.Text(), nullable=False),
    sa.Column('norm_customer', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=40), nullable=True),
    sa.Column('status_category', sa.String(length=20), nullable=True),
    sa.Column('type_id', sa.Integer(), nullable=True),
    sa.Column('priority', sa.String(length=10), nullable=True),
    sa.Column('channel', sa.String(length=20), nullable=True),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('requester_id', sa.Integer(), nullable=True),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('category_id', sa.Integer(), nullable=True),
    sa.Column('merged', sa.Boolean(), nullable=False),
    sa.Column('public', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('kind', 'object_id', name=op.f(f'pk_{name}'))
    )
    with op.batch_alter_table(name, schema=None) as batch_op:
        batch_op.create_index(f'ix_{name}_terms', ['terms'], unique=False, postgresql_using='gin')
        batch_op.create_index(f'ix_{name}_kind_updated', ['kind', 'updated_at', 'object_id'], unique=False)
        batch_op.create_index(f'ix_{name}_customer', ['customer_id'], unique=False)
        batch_op.create_index(f'ix_{name}_requester', ['requester_id'], unique=False)


def upgrade():
    op.create_table('search_outbox',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=False),
    sa.Column('applied', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_outbox'))
    )
    op.create_table('search_state',
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('value', sa.String(length=200), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_search_state'))
    )
    for suffix in ('a', 'b'):
        _document_table(f'search_document_{suffix}')


def downgrade():
    for suffix in ('b', 'a'):
        op.drop_table(f'search_document_{suffix}')
    op.drop_table('search_state')
    op.drop_table('search_outbox')
