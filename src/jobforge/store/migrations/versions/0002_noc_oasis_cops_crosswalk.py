"""NOC 2021, OaSIS, COPS and the NOC to O*NET-SOC crosswalk

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('cops_projection',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('measure', sa.String(length=80), nullable=False),
    sa.Column('field', sa.String(length=120), nullable=False),
    sa.Column('value', sa.Double(), nullable=True),
    sa.Column('text_value', sa.String(length=255), nullable=True),
    sa.Column('marker', sa.String(length=10), nullable=True),
    sa.Column('load_file_id', sa.Integer(), nullable=False),
    sa.Column('source_kind', sa.String(length=20), nullable=False),
    sa.Column('confidence', sa.Double(), nullable=False),
    sa.ForeignKeyConstraint(['load_file_id'], ['load_file.id'], name=op.f('fk_cops_projection_load_file_id_load_file')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cops_projection'))
    )
    with op.batch_alter_table('cops_projection', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cops_projection_code_measure'), ['code', 'measure'], unique=False)

    op.create_table('noc_group',
    sa.Column('code', sa.String(length=5), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('level_name', sa.String(length=30), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('definition', sa.Text(), nullable=True),
    sa.Column('parent_code', sa.String(length=5), nullable=True),
    sa.Column('load_file_id', sa.Integer(), nullable=False),
    sa.Column('source_kind', sa.String(length=20), nullable=False),
    sa.Column('confidence', sa.Double(), nullable=False),
    sa.ForeignKeyConstraint(['load_file_id'], ['load_file.id'], name=op.f('fk_noc_group_load_file_id_load_file')),
    sa.ForeignKeyConstraint(['parent_code'], ['noc_group.code'], name=op.f('fk_noc_group_parent_code_noc_group')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_noc_group'))
    )
    with op.batch_alter_table('noc_group', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_noc_group_parent_code'), ['parent_code'], unique=False)

    op.create_table('oasis_guide_entry',
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('structure_type', sa.String(length=40), nullable=False),
    sa.Column('category', sa.String(length=60), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('load_file_id', sa.Integer(), nullable=False),
    sa.Column('source_kind', sa.String(length=20), nullable=False),
    sa.Column('confidence', sa.Double(), nullable=False),
    sa.ForeignKeyConstraint(['load_file_id'], ['load_file.id'], name=op.f('fk_oasis_guide_entry_load_file_id_load_file')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_oasis_guide_entry'))
    )
    op.create_table('noc_soc_mapping',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('noc_code', sa.String(length=5), nullable=False),
    sa.Column('soc_code', sa.String(length=10), nullable=False),
    sa.Column('source_line', sa.Integer(), nullable=False),
    sa.Column('noc_title_in_source', sa.String(length=255), nullable=False),
    sa.Column('soc_title_in_source', sa.String(length=255), nullable=False),
    sa.Column('load_file_id', sa.Integer(), nullable=False),
    sa.Column('source_kind', sa.String(length=20), nullable=False),
    sa.Column('confidence', sa.Double(), nullable=False),
    sa.ForeignKeyConstraint(['load_file_id'], ['load_file.id'], name=op.f('fk_noc_soc_mapping_load_file_id_load_file')),
    sa.ForeignKeyConstraint(['noc_code'], ['noc_group.code'], name=op.f('fk_noc_soc_mapping_noc_code_noc_group')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_noc_soc_mapping'))
    )
    with op.batch_alter_table('noc_soc_mapping', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_noc_soc_mapping_noc_code'), ['noc_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_noc_soc_mapping_soc_code'), ['soc_code'], unique=False)

    op.create_table('oasis_profile',
    sa.Column('profile_code', sa.String(length=8), nullable=False),
    sa.Column('unit_group', sa.String(length=5), nullable=False),
    sa.Column('label', sa.String(length=255), nullable=False),
    sa.Column('load_file_id', sa.Integer(), nullable=False),
    sa.Column('source_kind', sa.String(length=20), nullable=False),
    sa.Column('confidence', sa.Double(), nullable=False),
    sa.ForeignKeyConstraint(['load_file_id'], ['load_file.id'], name=op.f('fk_oasis_profile_load_file_id_load_file')),
    sa.ForeignKeyConstraint(['unit_group'], ['noc_group.code'], name=op.f('fk_oasis_profile_unit_group_noc_group')),
    sa.PrimaryKeyConstraint('profile_code', name=op.f('pk_oasis_profile'))
    )
    with op.batch_alter_table('oasis_profile', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_oasis_profile_unit_group'), ['unit_group'], unique=False)

    op.create_table('oasis_interest',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('profile_code', sa.String(length=8), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('holland_code', sa.String(length=1), nullable=False),
    sa.Column('load_file_id', sa.Integer(), nullable=False),
    sa.Column('source_kind', sa.String(length=20), nullable=False),
    sa.Column('confidence', sa.Double(), nullable=False),
    sa.ForeignKeyConstraint(['load_file_id'], ['load_file.id'], name=op.f('fk_oasis_interest_load_file_id_load_file')),
    sa.ForeignKeyConstraint(['profile_code'], ['oasis_profile.profile_code'], name=op.f('fk_oasis_interest_profile_code_oasis_profile')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_oasis_interest'))
    )
    with op.batch_alter_table('oasis_interest', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_oasis_interest_profile_code'), ['profile_code'], unique=False)

    op.create_table('oasis_rating',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('profile_code', sa.String(length=8), nullable=False),
    sa.Column('category', sa.String(length=30), nullable=False),
    sa.Column('descriptor', sa.String(length=150), nullable=False),
    sa.Column('value', sa.Double(), nullable=False),
    sa.Column('load_file_id', sa.Integer(), nullable=False),
    sa.Column('source_kind', sa.String(length=20), nullable=False),
    sa.Column('confidence', sa.Double(), nullable=False),
    sa.ForeignKeyConstraint(['load_file_id'], ['load_file.id'], name=op.f('fk_oasis_rating_load_file_id_load_file')),
    sa.ForeignKeyConstraint(['profile_code'], ['oasis_profile.profile_code'], name=op.f('fk_oasis_rating_profile_code_oasis_profile')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_oasis_rating'))
    )
    with op.batch_alter_table('oasis_rating', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_oasis_rating_profile_code_category'), ['profile_code', 'category'], unique=False)

    op.create_table('oasis_statement',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('profile_code', sa.String(length=8), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('related_code', sa.String(length=8), nullable=True),
    sa.Column('title_type', sa.String(length=40), nullable=True),
    sa.Column('load_file_id', sa.Integer(), nullable=False),
    sa.Column('source_kind', sa.String(length=20), nullable=False),
    sa.Column('confidence', sa.Double(), nullable=False),
    sa.ForeignKeyConstraint(['load_file_id'], ['load_file.id'], name=op.f('fk_oasis_statement_load_file_id_load_file')),
    sa.ForeignKeyConstraint(['profile_code'], ['oasis_profile.profile_code'], name=op.f('fk_oasis_statement_profile_code_oasis_profile')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_oasis_statement'))
    )
    with op.batch_alter_table('oasis_statement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_oasis_statement_profile_code_kind'), ['profile_code', 'kind'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('oasis_statement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_oasis_statement_profile_code_kind'))

    op.drop_table('oasis_statement')
    with op.batch_alter_table('oasis_rating', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_oasis_rating_profile_code_category'))

    op.drop_table('oasis_rating')
    with op.batch_alter_table('oasis_interest', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_oasis_interest_profile_code'))

    op.drop_table('oasis_interest')
    with op.batch_alter_table('oasis_profile', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_oasis_profile_unit_group'))

    op.drop_table('oasis_profile')
    with op.batch_alter_table('noc_soc_mapping', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_noc_soc_mapping_soc_code'))
        batch_op.drop_index(batch_op.f('ix_noc_soc_mapping_noc_code'))

    op.drop_table('noc_soc_mapping')
    op.drop_table('oasis_guide_entry')
    with op.batch_alter_table('noc_group', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_noc_group_parent_code'))

    op.drop_table('noc_group')
    with op.batch_alter_table('cops_projection', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cops_projection_code_measure'))

    op.drop_table('cops_projection')
