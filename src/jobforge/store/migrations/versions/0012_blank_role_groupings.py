"""A role's blank family, unit or level is none

A blank one typed was kept as '', a second way of saying none beside NULL, which a search for the
roles of a family told apart from the first. Roles now read a blank as none; the rows written
before are read alike here. Nothing is lost: '' said nothing that NULL does not.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04
"""

from alembic import op
import sqlalchemy as sa

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

GROUPINGS = ('family', 'unit', 'level')


def upgrade() -> None:
    role = sa.table('company_role', *(sa.column(name) for name in GROUPINGS))
    for name in GROUPINGS:
        op.execute(role.update().where(role.c[name] == '').values({name: None}))


def downgrade() -> None:
    """Nothing to undo: a none read as '' again would say the same."""
