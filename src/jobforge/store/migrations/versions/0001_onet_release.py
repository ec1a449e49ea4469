"""O*NET release tables and load records

Revision ID: 0001
Revises: 
Create Date: 2026-11-23
"""

from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('load_run',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('source', sa.String(length=40), nullable=False),
    sa.Column('release', sa.String(length=40), nullable=False),
    sa.Column('origin', sa.String(length=500), nullable=False),
    sa.Column('jobforge_version', sa.String(length=40), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_load_run'))
    )
    with op.batch_alter_table('load_run', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_load_run_source'), ['source'], unique=False)

    op.create_table('load_file',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('load_run_id', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=200), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('rows_read', sa.Integer(), nullable=False),
    sa.Column('rows_stored', sa.Integer(), nullable=False),
    sa.Column('seconds', sa.Double(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['load_run_id'], ['load_run.id'], name=op.f('fk_load_file_load_run_id_load_run')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_load_file'))
    )
    with op.batch_alter_table('load_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_load_file_load_run_id'), ['load_run_id'], unique=False)

    op.create_table('content_element',
    sa.Column('element_id', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=150), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('load_file_id', sa.Integer(), nullable=False),
    sa.Column('source_kind', sa.String(length=20), nullable=False),
    sa.Column('confidence', sa.Double(), nullable=False),
    sa.ForeignKeyConstraint(['load_file_id'], ['load_file.id'], name=op.f('fk_content_element_load_file_id_load_file')),
    sa.PrimaryKeyConstraint('element_id', name=op.f('pk_content_element'))
    )
    op.create_table('job_zone_reference',
    sa.Column('job_zone', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('experience', sa.Text(), nullable=False),
    sa.Column('education', sa.Text(), nullable=False),
    sa.Column('job_training', sa.Text(), nullable=False),
    sa.Column('examples', sa.Text(), nullable=False),
    sa.Column('svp_range', sa.String(length=50), nullable=False),
    sa.Column('load_file_id', sa.Integer(), nullable=False),
    sa.Column('source_kind', sa.String(length=20), nullable=False),
    sa.Column('confidence', sa.Double(), nullable=False),
    sa.ForeignKeyConstraint(['load_file_id'], ['load_file.id'], name=op.f('fk_job_zone_reference_load_file_id_load_file')),
    sa.PrimaryKeyConstraint('job_zone', name=op.f('pk_job_zone_reference'))
    )
    op.create_table('occupation',
    sa.Column('soc_code', sa.String(length=10), nullable=False),
    sa.Column('title', sa.String(length=150), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('load_file_id', sa.Integer(), nullable=False),
    sa.Column('source_kind', sa.String(length=20), nullable=False),
    sa.Column('confidence', sa.Double(), nullable=False),
    sa.ForeignKeyConstraint(['load_file_id'], ['load_file.id'], name=op.f('fk_occupation_load_file_id_load_file')),
    sa.PrimaryKeyConstraint('soc_code', name=op.f('pk_occupation'))
    )
    op.create_table('scale',
    sa.Column('scale_id', sa.String(length=3), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('minimum', sa.Integer(), nullable=False),
    sa.Column('maximum', sa.Integer(), nullable=False),
    sa.Column('load_file_id', sa.Integer(), nullable=False),
    sa.Column('source_kind', sa.String(length=20), nullable=False),
    sa.Column('confidence', sa.Double(), nullable=False),
    sa.ForeignKeyConstraint(['load_file_id'], ['load_file.id'], name=op.f('fk_scale_load_file_id_load_file')),
    sa.PrimaryKeyConstraint('scale_id', name=op.f('pk_scale'))
    )
    op.create_table('unspsc_commodity',
    sa.Column('commodity_code', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('commodity_title', sa.Text(), nullable=False),
    sa.Column('class_code', sa.Integer(), nullable=False),
    sa.Column('class_title', sa.Text(), nullable=False),
    sa.Column('family_code', sa.Integer(), nullable=False),
    sa.Column('family_title', sa.Text(), nullable=False),
    sa.Column('segment_code', sa.Integer(), nullable=False),
    sa.Column('segment_title', sa.Text(), nullable=False),
    sa.Column('load_file_id', sa.Integer(), nullable=False),
    sa.Column('source_kind', sa.String(length=20), nullable=False),
    sa.Column('confidence', sa.Double(), nullable=False),
    sa.ForeignKeyConstraint(['load_file_id'], ['load_file.id'], name=op.f('fk_unspsc_commodity_load_file_id_load_file')),
    sa.PrimaryKeyConstraint('commodity_code', name=op.f('pk_unspsc_commodity'))
    )
    op.create_table('alternate_title',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('soc_code', sa.String(length=10), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('short_title', sa.String(length=150), nullable=True),
    sa.Column('sources', sa.String(length=50), nullable=False),
    sa.Column('load_file_id', sa.Integer(), nullable=False),
    sa.Column('source_kind', sa.String(length=20), nullable=False),
    sa.Column('confidence', sa.Double(), nullable=False),
    sa.ForeignKeyConstraint(['load_file_id'], ['load_file.id'], name=op.f('fk_alternate_title_load_file_id_load_file')),
    sa.ForeignKeyConstraint(['soc_code'], ['occupation.soc_code'], name=op.f('fk_alternate_title_soc_code_occupation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alternate_title'))
    )
    with op.batch_alter_table('alternate_title', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alternate_title_soc_code'), ['soc_code'], unique=False)

    op.create_table('element_link',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('link_kind', sa.String(length=40), nullable=False),
    sa.Column('from_element_id', sa.String(length=20), nullable=False),
    sa.Column('to_element_id', sa.String(length=20), nullable=False),
    sa.Column('load_file_id', sa.Integer(), nullable=False),
    sa.Column('source_kind', sa.String(length=20), nullable=False),
    sa.Column('confidence', sa.Double(), nullable=False),
    sa.ForeignKeyConstraint(['from_element_id'], ['content_element.element_id'], name=op.f('fk_element_link_from_element_id_content_element')),
    sa.ForeignKeyConstraint(['load_file_id'], ['load_file.id'], name=op.f('fk_element_link_load_file_id_load_file')),
    sa.ForeignKeyConstraint(['to_element_id'], ['content_element.element_id'], name=op.f('fk_element_link_to_element_id_content_element')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_element_link'))
    )
    with op.batch_alter_table('element_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_element_link_from_element_id'), ['from_element_id'], unique=False)

    op.create_table('interest_activity',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('element_id', sa.String(length=20), nullable=False),
    sa.Column('interest_type', sa.String(length=20), nullable=False),
    sa.Column('activity', sa.Text(), nullable=False),
    sa.Column('load_file_id', sa.Integer(), nullable=False),
    sa.Column('source_kind', sa.String(length=20), nullable=False),
    sa.Column('confidence', sa.Double(), nullable=False),
    sa.ForeignKeyConstraint(['element_id'], ['content_element.element_id'], name=op.f('fk_interest_activity_element_id_content_element')),
    sa.ForeignKeyConstraint(['load_file_id'], ['load_file.id'], name=op.f('fk_interest_activity_load_file_id_load_file')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interest_activity'))
    )
    with op.batch_alter_table('interest_activity', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_interest_activity_element_id'), ['element_id'], unique=False)

    op.create_table('interest_occupation',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('element_id', sa.String(length=20), nullable=False),
    sa.Column('interest_type', sa.String(length=20), nullable=False),
    sa.Column('soc_code', sa.String(length=10), nullable=False),
    sa.Column('load_file_id', sa.Integer(), nullable=False),
    sa.Column('source_kind', sa.String(length=20), nullable=False),
    sa.Column('confidence', sa.Double(), nullable=False),
    sa.ForeignKeyConstraint(['element_id'], ['content_element.element_id'], name=op.f('fk_interest_occupation_element_id_content_element')),
    sa.ForeignKeyConstraint(['load_file_id'], ['load_file.id'], name=op.f('fk_interest_occupation_load_file_id_load_file')),
    sa.ForeignKeyConstraint(['soc_code'], ['occupation.soc_code'], name=op.f('fk_interest_occupation_soc_code_occupation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interest_occupation'))
    )
    with op.batch_alter_table('interest_occupation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_interest_occupation_element_id'), ['element_id'], unique=False)

    op.create_table('iwa',
    sa.Column('iwa_id', sa.String(length=20), nullable=False),
    sa.Column('element_id', sa.String(length=20), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('load_file_id', sa.Integer(), nullable=False),
    sa.Column('source_kind', sa.String(length=20), nullable=False),
    sa.Column('confidence', sa.Double(), nullable=False),
    sa.ForeignKeyConstraint(['element_id'], ['content_element.element_id'], name=op.f('fk_iwa_element_id_content_element')),
    sa.ForeignKeyConstraint(['load_file_id'], ['load_file.id'], name=op.f('fk_iwa_load_file_id_load_file')),
    sa.PrimaryKeyConstraint('iwa_id', name=op.f('pk_iwa'))
    )
    with op.batch_alter_table('iwa', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_iwa_element_id'), ['element_id'], unique=False)

    op.create_table('job_zone',
    sa.Column('soc_code', sa.String(length=10), nullable=False),
    sa.Column('job_zone', sa.Integer(), nullable=False),
    sa.Column('updated_on', sa.Date(), nullable=False),
    sa.Column('domain_source', sa.String(length=30), nullable=False),
    sa.Column('load_file_id', sa.Integer(), nullable=False),
    sa.Column('source_kind', sa.String(length=20), nullable=False),
    sa.Column('confidence', sa.Double(), nullable=False),
    sa.ForeignKeyConstraint(['job_zone'], ['job_zone_reference.job_zone'], name=op.f('fk_job_zone_job_zone_job_zone_reference')),
    sa.ForeignKeyConstraint(['load_file_id'], ['load_file.id'], name=op.f('fk_job_zone_load_file_id_load_file')),
    sa.ForeignKeyConstraint(['soc_code'], ['occupation.soc_code'], name=op.f('fk_job_zone_soc_code_occupation')),
    sa.PrimaryKeyConstraint('soc_code', name=op.f('pk_job_zone'))
    )
    op.create_table('occupation_metadata',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('soc_code', sa.String(length=10), nullable=False),
    sa.Column('item', sa.String(length=150), nullable=False),
    sa.Column('response', sa.String(length=150), nullable=True),
    sa.Column('sample_size', sa.Integer(), nullable=True),
    sa.Column('percent', sa.Double(), nullable=True),
    sa.Column('updated_on', sa.Date(), nullable=False),
    sa.Column('load_file_id', sa.Integer(), nullable=False),
    sa.Column('source_kind', sa.String(length=20), nullable=False),
    sa.Column('confidence', sa.Double(), nullable=False),
    sa.ForeignKeyConstraint(['load_file_id'], ['load_file.id'], name=op.f('fk_occupation_metadata_load_file_id_load_file')),
    sa.ForeignKeyConstraint(['soc_code'], ['occupation.soc_code'], name=op.f('fk_occupation_metadata_soc_code_occupation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_occupation_metadata'))
    )
    with op.batch_alter_table('occupation_metadata', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_occupation_metadata_soc_code'), ['soc_code'], unique=False)

    op.create_table('occupation_rating',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('soc_code', sa.String(length=10), nullable=False),
    sa.Column('domain', sa.String(length=40), nullable=False),
    sa.Column('element_id', sa.String(length=20), nullable=False),
    sa.Column('scale_id', sa.String(length=3), nullable=False),
    sa.Column('category', sa.Integer(), nullable=True),
    sa.Column('data_value', sa.Double(), nullable=False),
    sa.Column('sample_size', sa.Integer(), nullable=True),
    sa.Column('standard_error', sa.Double(), nullable=True),
    sa.Column('lower_ci_bound', sa.Double(), nullable=True),
    sa.Column('upper_ci_bound', sa.Double(), nullable=True),
    sa.Column('recommend_suppress', sa.Boolean(), nullable=True),
    sa.Column('not_relevant', sa.Boolean(), nullable=True),
    sa.Column('updated_on', sa.Date(), nullable=False),
    sa.Column('domain_source', sa.String(length=30), nullable=False),
    sa.Column('load_file_id', sa.Integer(), nullable=False),
    sa.Column('source_kind', sa.String(length=20), nullable=False),
    sa.Column('confidence', sa.Double(), nullable=False),
    sa.ForeignKeyConstraint(['element_id'], ['content_element.element_id'], name=op.f('fk_occupation_rating_element_id_content_element')),
    sa.ForeignKeyConstraint(['load_file_id'], ['load_file.id'], name=op.f('fk_occupation_rating_load_file_id_load_file')),
    sa.ForeignKeyConstraint(['scale_id'], ['scale.scale_id'], name=op.f('fk_occupation_rating_scale_id_scale')),
    sa.ForeignKeyConstraint(['soc_code'], ['occupation.soc_code'], name=op.f('fk_occupation_rating_soc_code_occupation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_occupation_rating'))
    )
    with op.batch_alter_table('occupation_rating', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_occupation_rating_element_id'), ['element_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_occupation_rating_soc_code_domain_scale_id'), ['soc_code', 'domain', 'scale_id'], unique=False)

    op.create_table('rating_category',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('element_id', sa.String(length=20), nullable=False),
    sa.Column('scale_id', sa.String(length=3), nullable=False),
    sa.Column('category', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('load_file_id', sa.Integer(), nullable=False),
    sa.Column('source_kind', sa.String(length=20), nullable=False),
    sa.Column('confidence', sa.Double(), nullable=False),
    sa.ForeignKeyConstraint(['element_id'], ['content_element.element_id'], name=op.f('fk_rating_category_element_id_content_element')),
    sa.ForeignKeyConstraint(['load_file_id'], ['load_file.id'], name=op.f('fk_rating_category_load_file_id_load_file')),
    sa.ForeignKeyConstraint(['scale_id'], ['scale.scale_id'], name=op.f('fk_rating_category_scale_id_scale')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rating_category'))
    )
    with op.batch_alter_table('rating_category', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rating_category_element_id'), ['element_id'], unique=False)

    op.create_table('related_occupation',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('soc_code', sa.String(length=10), nullable=False),
    sa.Column('related_soc_code', sa.String(length=10), nullable=False),
    sa.Column('relatedness_tier', sa.String(length=30), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('load_file_id', sa.Integer(), nullable=False),
    sa.Column('source_kind', sa.String(length=20), nullable=False),
    sa.Column('confidence', sa.Double(), nullable=False),
    sa.ForeignKeyConstraint(['load_file_id'], ['load_file.id'], name=op.f('fk_related_occupation_load_file_id_load_file')),
    sa.ForeignKeyConstraint(['related_soc_code'], ['occupation.soc_code'], name=op.f('fk_related_occupation_related_soc_code_occupation')),
    sa.ForeignKeyConstraint(['soc_code'], ['occupation.soc_code'], name=op.f('fk_related_occupation_soc_code_occupation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_related_occupation'))
    )
    with op.batch_alter_table('related_occupation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_related_occupation_soc_code'), ['soc_code'], unique=False)

    op.create_table('reported_title',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('soc_code', sa.String(length=10), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('shown_in_my_next_move', sa.Boolean(), nullable=False),
    sa.Column('load_file_id', sa.Integer(), nullable=False),
    sa.Column('source_kind', sa.String(length=20), nullable=False),
    sa.Column('confidence', sa.Double(), nullable=False),
    sa.ForeignKeyConstraint(['load_file_id'], ['load_file.id'], name=op.f('fk_reported_title_load_file_id_load_file')),
    sa.ForeignKeyConstraint(['soc_code'], ['occupation.soc_code'], name=op.f('fk_reported_title_soc_code_occupation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reported_title'))
    )
    with op.batch_alter_table('reported_title', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reported_title_soc_code'), ['soc_code'], unique=False)

    op.create_table('riasec_keyword',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('element_id', sa.String(length=20), nullable=False),
    sa.Column('keyword', sa.String(length=150), nullable=False),
    sa.Column('keyword_type', sa.String(length=20), nullable=False),
    sa.Column('load_file_id', sa.Integer(), nullable=False),
    sa.Column('source_kind', sa.String(length=20), nullable=False),
    sa.Column('confidence', sa.Double(), nullable=False),
    sa.ForeignKeyConstraint(['element_id'], ['content_element.element_id'], name=op.f('fk_riasec_keyword_element_id_content_element')),
    sa.ForeignKeyConstraint(['load_file_id'], ['load_file.id'], name=op.f('fk_riasec_keyword_load_file_id_load_file')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_riasec_keyword'))
    )
    with op.batch_alter_table('riasec_keyword', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_riasec_keyword_element_id'), ['element_id'], unique=False)

    op.create_table('scale_anchor',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('element_id', sa.String(length=20), nullable=False),
    sa.Column('scale_id', sa.String(length=3), nullable=False),
    sa.Column('anchor_value', sa.Integer(), nullable=False),
    sa.Column('anchor_description', sa.Text(), nullable=False),
    sa.Column('load_file_id', sa.Integer(), nullable=False),
    sa.Column('source_kind', sa.String(length=20), nullable=False),
    sa.Column('confidence', sa.Double(), nullable=False),
    sa.ForeignKeyConstraint(['element_id'], ['content_element.element_id'], name=op.f('fk_scale_anchor_element_id_content_element')),
    sa.ForeignKeyConstraint(['load_file_id'], ['load_file.id'], name=op.f('fk_scale_anchor_load_file_id_load_file')),
    sa.ForeignKeyConstraint(['scale_id'], ['scale.scale_id'], name=op.f('fk_scale_anchor_scale_id_scale')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scale_anchor'))
    )
    with op.batch_alter_table('scale_anchor', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scale_anchor_element_id'), ['element_id'], unique=False)

    op.create_table('survey_booklet_location',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('element_id', sa.String(length=20), nullable=False),
    sa.Column('survey_item_number', sa.String(length=20), nullable=False),
    sa.Column('scale_id', sa.String(length=3), nullable=False),
    sa.Column('load_file_id', sa.Integer(), nullable=False),
    sa.Column('source_kind', sa.String(length=20), nullable=False),
    sa.Column('confidence', sa.Double(), nullable=False),
    sa.ForeignKeyConstraint(['element_id'], ['content_element.element_id'], name=op.f('fk_survey_booklet_location_element_id_content_element')),
    sa.ForeignKeyConstraint(['load_file_id'], ['load_file.id'], name=op.f('fk_survey_booklet_location_load_file_id_load_file')),
    sa.ForeignKeyConstraint(['scale_id'], ['scale.scale_id'], name=op.f('fk_survey_booklet_location_scale_id_scale')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_booklet_location'))
    )
    with op.batch_alter_table('survey_booklet_location', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_booklet_location_element_id'), ['element_id'], unique=False)

    op.create_table('task_category',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('scale_id', sa.String(length=3), nullable=False),
    sa.Column('category', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('load_file_id', sa.Integer(), nullable=False),
    sa.Column('source_kind', sa.String(length=20), nullable=False),
    sa.Column('confidence', sa.Double(), nullable=False),
    sa.ForeignKeyConstraint(['load_file_id'], ['load_file.id'], name=op.f('fk_task_category_load_file_id_load_file')),
    sa.ForeignKeyConstraint(['scale_id'], ['scale.scale_id'], name=op.f('fk_task_category_scale_id_scale')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task_category'))
    )
    op.create_table('task_statement',
    sa.Column('task_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('soc_code', sa.String(length=10), nullable=False),
    sa.Column('task', sa.Text(), nullable=False),
    sa.Column('task_type', sa.String(length=12), nullable=True),
    sa.Column('incumbents_responding', sa.Integer(), nullable=True),
    sa.Column('updated_on', sa.Date(), nullable=False),
    sa.Column('domain_source', sa.String(length=30), nullable=False),
    sa.Column('load_file_id', sa.Integer(), nullable=False),
    sa.Column('source_kind', sa.String(length=20), nullable=False),
    sa.Column('confidence', sa.Double(), nullable=False),
    sa.ForeignKeyConstraint(['load_file_id'], ['load_file.id'], name=op.f('fk_task_statement_load_file_id_load_file')),
    sa.ForeignKeyConstraint(['soc_code'], ['occupation.soc_code'], name=op.f('fk_task_statement_soc_code_occupation')),
    sa.PrimaryKeyConstraint('task_id', name=op.f('pk_task_statement'))
    )
    with op.batch_alter_table('task_statement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_statement_soc_code'), ['soc_code'], unique=False)

    op.create_table('technology_skill',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('soc_code', sa.String(length=10), nullable=False),
    sa.Column('example', sa.String(length=255), nullable=False),
    sa.Column('commodity_code', sa.Integer(), nullable=False),
    sa.Column('hot_technology', sa.Boolean(), nullable=False),
    sa.Column('in_demand', sa.Boolean(), nullable=False),
    sa.Column('load_file_id', sa.Integer(), nullable=False),
    sa.Column('source_kind', sa.String(length=20), nullable=False),
    sa.Column('confidence', sa.Double(), nullable=False),
    sa.ForeignKeyConstraint(['commodity_code'], ['unspsc_commodity.commodity_code'], name=op.f('fk_technology_skill_commodity_code_unspsc_commodity')),
    sa.ForeignKeyConstraint(['load_file_id'], ['load_file.id'], name=op.f('fk_technology_skill_load_file_id_load_file')),
    sa.ForeignKeyConstraint(['soc_code'], ['occupation.soc_code'], name=op.f('fk_technology_skill_soc_code_occupation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_technology_skill'))
    )
    with op.batch_alter_table('technology_skill', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_technology_skill_soc_code'), ['soc_code'], unique=False)

    op.create_table('tool_used',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('soc_code', sa.String(length=10), nullable=False),
    sa.Column('example', sa.String(length=255), nullable=False),
    sa.Column('commodity_code', sa.Integer(), nullable=False),
    sa.Column('load_file_id', sa.Integer(), nullable=False),
    sa.Column('source_kind', sa.String(length=20), nullable=False),
    sa.Column('confidence', sa.Double(), nullable=False),
    sa.ForeignKeyConstraint(['commodity_code'], ['unspsc_commodity.commodity_code'], name=op.f('fk_tool_used_commodity_code_unspsc_commodity')),
    sa.ForeignKeyConstraint(['load_file_id'], ['load_file.id'], name=op.f('fk_tool_used_load_file_id_load_file')),
    sa.ForeignKeyConstraint(['soc_code'], ['occupation.soc_code'], name=op.f('fk_tool_used_soc_code_occupation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tool_used'))
    )
    with op.batch_alter_table('tool_used', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tool_used_soc_code'), ['soc_code'], unique=False)

    op.create_table('dwa',
    sa.Column('dwa_id', sa.String(length=25), nullable=False),
    sa.Column('iwa_id', sa.String(length=20), nullable=False),
    sa.Column('element_id', sa.String(length=20), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('load_file_id', sa.Integer(), nullable=False),
    sa.Column('source_kind', sa.String(length=20), nullable=False),
    sa.Column('confidence', sa.Double(), nullable=False),
    sa.ForeignKeyConstraint(['element_id'], ['content_element.element_id'], name=op.f('fk_dwa_element_id_content_element')),
    sa.ForeignKeyConstraint(['iwa_id'], ['iwa.iwa_id'], name=op.f('fk_dwa_iwa_id_iwa')),
    sa.ForeignKeyConstraint(['load_file_id'], ['load_file.id'], name=op.f('fk_dwa_load_file_id_load_file')),
    sa.PrimaryKeyConstraint('dwa_id', name=op.f('pk_dwa'))
    )
    with op.batch_alter_table('dwa', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dwa_iwa_id'), ['iwa_id'], unique=False)

    op.create_table('emerging_task',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('soc_code', sa.String(length=10), nullable=False),
    sa.Column('task', sa.Text(), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('original_task_id', sa.Integer(), nullable=True),
    sa.Column('original_task', sa.Text(), nullable=True),
    sa.Column('updated_on', sa.Date(), nullable=False),
    sa.Column('domain_source', sa.String(length=30), nullable=False),
    sa.Column('load_file_id', sa.Integer(), nullable=False),
    sa.Column('source_kind', sa.String(length=20), nullable=False),
    sa.Column('confidence', sa.Double(), nullable=False),
    sa.ForeignKeyConstraint(['load_file_id'], ['load_file.id'], name=op.f('fk_emerging_task_load_file_id_load_file')),
    sa.ForeignKeyConstraint(['original_task_id'], ['task_statement.task_id'], name=op.f('fk_emerging_task_original_task_id_task_statement')),
    sa.ForeignKeyConstraint(['soc_code'], ['occupation.soc_code'], name=op.f('fk_emerging_task_soc_code_occupation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_emerging_task'))
    )
    with op.batch_alter_table('emerging_task', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_emerging_task_soc_code'), ['soc_code'], unique=False)

    op.create_table('task_rating',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('soc_code', sa.String(length=10), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('scale_id', sa.String(length=3), nullable=False),
    sa.Column('category', sa.Integer(), nullable=True),
    sa.Column('data_value', sa.Double(), nullable=False),
    sa.Column('sample_size', sa.Integer(), nullable=True),
    sa.Column('standard_error', sa.Double(), nullable=True),
    sa.Column('lower_ci_bound', sa.Double(), nullable=True),
    sa.Column('upper_ci_bound', sa.Double(), nullable=True),
    sa.Column('recommend_suppress', sa.Boolean(), nullable=True),
    sa.Column('updated_on', sa.Date(), nullable=False),
    sa.Column('domain_source', sa.String(length=30), nullable=False),
    sa.Column('load_file_id', sa.Integer(), nullable=False),
    sa.Column('source_kind', sa.String(length=20), nullable=False),
    sa.Column('confidence', sa.Double(), nullable=False),
    sa.ForeignKeyConstraint(['load_file_id'], ['load_file.id'], name=op.f('fk_task_rating_load_file_id_load_file')),
    sa.ForeignKeyConstraint(['scale_id'], ['scale.scale_id'], name=op.f('fk_task_rating_scale_id_scale')),
    sa.ForeignKeyConstraint(['soc_code'], ['occupation.soc_code'], name=op.f('fk_task_rating_soc_code_occupation')),
    sa.ForeignKeyConstraint(['task_id'], ['task_statement.task_id'], name=op.f('fk_task_rating_task_id_task_statement')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task_rating'))
    )
    with op.batch_alter_table('task_rating', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_rating_soc_code'), ['soc_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_rating_task_id'), ['task_id'], unique=False)

    op.create_table('task_dwa',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('soc_code', sa.String(length=10), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('dwa_id', sa.String(length=25), nullable=False),
    sa.Column('updated_on', sa.Date(), nullable=False),
    sa.Column('domain_source', sa.String(length=30), nullable=False),
    sa.Column('load_file_id', sa.Integer(), nullable=False),
    sa.Column('source_kind', sa.String(length=20), nullable=False),
    sa.Column('confidence', sa.Double(), nullable=False),
    sa.ForeignKeyConstraint(['dwa_id'], ['dwa.dwa_id'], name=op.f('fk_task_dwa_dwa_id_dwa')),
    sa.ForeignKeyConstraint(['load_file_id'], ['load_file.id'], name=op.f('fk_task_dwa_load_file_id_load_file')),
    sa.ForeignKeyConstraint(['soc_code'], ['occupation.soc_code'], name=op.f('fk_task_dwa_soc_code_occupation')),
    sa.ForeignKeyConstraint(['task_id'], ['task_statement.task_id'], name=op.f('fk_task_dwa_task_id_task_statement')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task_dwa'))
    )
    with op.batch_alter_table('task_dwa', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_dwa_dwa_id'), ['dwa_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_dwa_soc_code'), ['soc_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_dwa_task_id'), ['task_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('task_dwa', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_dwa_task_id'))
        batch_op.drop_index(batch_op.f('ix_task_dwa_soc_code'))
        batch_op.drop_index(batch_op.f('ix_task_dwa_dwa_id'))

    op.drop_table('task_dwa')
    with op.batch_alter_table('task_rating', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_rating_task_id'))
        batch_op.drop_index(batch_op.f('ix_task_rating_soc_code'))

    op.drop_table('task_rating')
    with op.batch_alter_table('emerging_task', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_emerging_task_soc_code'))

    op.drop_table('emerging_task')
    with op.batch_alter_table('dwa', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dwa_iwa_id'))

    op.drop_table('dwa')
    with op.batch_alter_table('tool_used', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tool_used_soc_code'))

    op.drop_table('tool_used')
    with op.batch_alter_table('technology_skill', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_technology_skill_soc_code'))

    op.drop_table('technology_skill')
    with op.batch_alter_table('task_statement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_statement_soc_code'))

    op.drop_table('task_statement')
    op.drop_table('task_category')
    with op.batch_alter_table('survey_booklet_location', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_booklet_location_element_id'))

    op.drop_table('survey_booklet_location')
    with op.batch_alter_table('scale_anchor', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scale_anchor_element_id'))

    op.drop_table('scale_anchor')
    with op.batch_alter_table('riasec_keyword', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_riasec_keyword_element_id'))

    op.drop_table('riasec_keyword')
    with op.batch_alter_table('reported_title', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reported_title_soc_code'))

    op.drop_table('reported_title')
    with op.batch_alter_table('related_occupation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_related_occupation_soc_code'))

    op.drop_table('related_occupation')
    with op.batch_alter_table('rating_category', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rating_category_element_id'))

    op.drop_table('rating_category')
    with op.batch_alter_table('occupation_rating', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_occupation_rating_soc_code_domain_scale_id'))
        batch_op.drop_index(batch_op.f('ix_occupation_rating_element_id'))

    op.drop_table('occupation_rating')
    with op.batch_alter_table('occupation_metadata', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_occupation_metadata_soc_code'))

    op.drop_table('occupation_metadata')
    op.drop_table('job_zone')
    with op.batch_alter_table('iwa', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_iwa_element_id'))

    op.drop_table('iwa')
    with op.batch_alter_table('interest_occupation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_interest_occupation_element_id'))

    op.drop_table('interest_occupation')
    with op.batch_alter_table('interest_activity', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_interest_activity_element_id'))

    op.drop_table('interest_activity')
    with op.batch_alter_table('element_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_element_link_from_element_id'))

    op.drop_table('element_link')
    with op.batch_alter_table('alternate_title', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alternate_title_soc_code'))

    op.drop_table('alternate_title')
    op.drop_table('unspsc_commodity')
    op.drop_table('scale')
    op.drop_table('occupation')
    op.drop_table('job_zone_reference')
    op.drop_table('content_element')
    with op.batch_alter_table('load_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_load_file_load_run_id'))

    op.drop_table('load_file')
    with op.batch_alter_table('load_run', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_load_run_source'))

    op.drop_table('load_run')
