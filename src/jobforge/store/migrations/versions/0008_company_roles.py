"""Company roles: organisations, roles, code suggestions, overrides' baselines, role events, API tokens

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from alembic import op
import sqlalchemy as sa

from jobforge.store.types import UtcDateTime

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('organisation',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('slug', sa.String(length=60), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('created_at', UtcDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation')),
    sa.UniqueConstraint('slug', name=op.f('uq_organisation_slug'))
    )
    op.create_table('company_role',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('family', sa.String(length=120), nullable=True),
    sa.Column('unit', sa.String(length=120), nullable=True),
    sa.Column('level', sa.String(length=60), nullable=True),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('initial_code', sa.String(length=40), nullable=True),
    sa.Column('approved_code', sa.String(length=40), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', UtcDateTime(), nullable=False),
    sa.Column('updated_at', UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_company_role_organisation_id_organisation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_company_role'))
    )
    op.create_index(op.f('ix_company_role_organisation_id'), 'company_role', ['organisation_id'], unique=False)
    op.create_index(op.f('ix_company_role_organisation_id_status_id'), 'company_role', ['organisation_id', 'status', 'id'], unique=False)
    op.create_table('code_suggestion',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('role_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('score', sa.Double(), nullable=True),
    sa.Column('method', sa.String(length=40), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('created_at', UtcDateTime(), nullable=False),
    sa.Column('decided_by', sa.String(length=120), nullable=True),
    sa.Column('decided_at', UtcDateTime(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['role_id'], ['company_role.id'], name=op.f('fk_code_suggestion_role_id_company_role')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_code_suggestion'))
    )
    op.create_index(op.f('ix_code_suggestion_role_id'), 'code_suggestion', ['role_id'], unique=False)
    op.create_table('role_override',
    sa.Column('role_id', sa.Integer(), nullable=False),
    sa.Column('attribute', sa.String(length=120), nullable=False),
    sa.Column('upstream_code', sa.String(length=40), nullable=True),
    sa.Column('upstream_value', sa.Text(), nullable=True),
    sa.Column('upstream_source', sa.String(length=200), nullable=True),
    sa.Column('author', sa.String(length=120), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_at', UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['role_id'], ['company_role.id'], name=op.f('fk_role_override_role_id_company_role')),
    sa.PrimaryKeyConstraint('role_id', 'attribute', name=op.f('pk_role_override'))
    )
    op.create_table('role_event',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('role_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('actor', sa.String(length=120), nullable=False),
    sa.Column('occurred_at', UtcDateTime(), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_role_event_organisation_id_organisation')),
    sa.ForeignKeyConstraint(['role_id'], ['company_role.id'], name=op.f('fk_role_event_role_id_company_role')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_role_event'))
    )
    op.create_index(op.f('ix_role_event_organisation_id_role_id_id'), 'role_event', ['organisation_id', 'role_id', 'id'], unique=False)
    op.create_table('api_token',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('access', sa.String(length=10), nullable=False),
    sa.Column('created_by', sa.String(length=120), nullable=False),
    sa.Column('created_at', UtcDateTime(), nullable=False),
    sa.Column('revoked_at', UtcDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_api_token_organisation_id_organisation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_token')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_token_token_hash'))
    )
    op.create_index(op.f('ix_api_token_organisation_id'), 'api_token', ['organisation_id'], unique=False)


def downgrade() -> None:
    for table in ('api_token', 'role_event', 'role_override', 'code_suggestion', 'company_role', 'organisation'):
        op.drop_table(table)
