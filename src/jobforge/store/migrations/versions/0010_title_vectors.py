"""Kept name embeddings of the title coder (the embeddings extra)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

from alembic import op
import sqlalchemy as sa

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('title_vector',
    sa.Column('model', sa.String(length=100), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('vector', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('model', 'digest', name=op.f('pk_title_vector'))
    )


def downgrade() -> None:
    op.drop_table('title_vector')
