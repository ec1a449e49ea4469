"""TBS occupational groups: runs, page versions, group snapshots

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import mysql

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('tbs_run',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('languages', sa.String(length=10), nullable=False),
    sa.Column('depth', sa.Integer(), nullable=False),
    sa.Column('base_url', sa.String(length=300), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('message', sa.Text(), nullable=True),
    sa.Column('pages_fetched', sa.Integer(), nullable=False),
    sa.Column('pages_changed', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tbs_run'))
    )
    op.create_table('tbs_page',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('url', sa.String(length=700), nullable=False),
    sa.Column('lang', sa.String(length=2), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('depth', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('fetched_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('parser_version', sa.String(length=20), nullable=False),
    sa.Column('extraction', sa.Text().with_variant(mysql.LONGTEXT(), 'mariadb').with_variant(mysql.LONGTEXT(), 'mysql'), nullable=False),
    sa.ForeignKeyConstraint(['run_id'], ['tbs_run.id'], name=op.f('fk_tbs_page_run_id_tbs_run')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tbs_page'))
    )
    with op.batch_alter_table('tbs_page', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tbs_page_url_id'), ['url', 'id'], unique=False)

    op.create_table('tbs_group',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('groups_page_id', sa.Integer(), nullable=False),
    sa.Column('definitions_page_id', sa.Integer(), nullable=True),
    sa.Column('lang', sa.String(length=2), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('abbreviation', sa.String(length=20), nullable=False),
    sa.Column('code', sa.String(length=10), nullable=True),
    sa.Column('occupational_group', sa.String(length=255), nullable=False),
    sa.Column('group_name', sa.String(length=255), nullable=True),
    sa.Column('subgroup', sa.String(length=255), nullable=True),
    sa.Column('definition_title', sa.String(length=500), nullable=True),
    sa.Column('definition_text', sa.Text().with_variant(mysql.LONGTEXT(), 'mariadb').with_variant(mysql.LONGTEXT(), 'mysql'), nullable=True),
    sa.Column('inclusions', sa.Text().with_variant(mysql.LONGTEXT(), 'mariadb').with_variant(mysql.LONGTEXT(), 'mysql'), nullable=False),
    sa.Column('exclusions', sa.Text().with_variant(mysql.LONGTEXT(), 'mariadb').with_variant(mysql.LONGTEXT(), 'mysql'), nullable=False),
    sa.Column('links', sa.Text().with_variant(mysql.LONGTEXT(), 'mariadb').with_variant(mysql.LONGTEXT(), 'mysql'), nullable=False),
    sa.ForeignKeyConstraint(['definitions_page_id'], ['tbs_page.id'], name=op.f('fk_tbs_group_definitions_page_id_tbs_page')),
    sa.ForeignKeyConstraint(['groups_page_id'], ['tbs_page.id'], name=op.f('fk_tbs_group_groups_page_id_tbs_page')),
    sa.ForeignKeyConstraint(['run_id'], ['tbs_run.id'], name=op.f('fk_tbs_group_run_id_tbs_run')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tbs_group'))
    )
    with op.batch_alter_table('tbs_group', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tbs_group_abbreviation'), ['abbreviation'], unique=False)
        batch_op.create_index(batch_op.f('ix_tbs_group_lang_run_id'), ['lang', 'run_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('tbs_group', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tbs_group_lang_run_id'))
        batch_op.drop_index(batch_op.f('ix_tbs_group_abbreviation'))

    op.drop_table('tbs_group')
    with op.batch_alter_table('tbs_page', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tbs_page_url_id'))

    op.drop_table('tbs_page')
    op.drop_table('tbs_run')
