"""Long texts on MariaDB: the columns that hold what people type, and what is made of it

MariaDB's TEXT holds 65,535 bytes, so a role description, a text value or its rationale of up to
20,000 characters (the API's limit) did not fit when written in 4-byte characters, nor did a role
event's JSON of such a role. LONGTEXT there; the other backends' TEXT already holds them.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import mysql

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

COLUMNS = {  # table: [(column, nullable)]
    'company_role': [('description', False)],
    'code_suggestion': [('evidence', False), ('reason', True)],
    'role_override': [('upstream_value', True), ('reason', False)],
    'role_event': [('detail', False)],
    'attribute_value': [('value_text', True), ('rationale', True)],
    'override_event': [('old_value', False), ('new_value', True)],
    'job': [('payload', False), ('last_error', True), ('result', True)],
}


def _alter(old: sa.types.TypeEngine, new: sa.types.TypeEngine) -> None:
    if op.get_bind().dialect.name not in ('mysql', 'mariadb'):
        return
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table) as batch:
            for column, nullable in columns:
                batch.alter_column(column, type_=new, existing_type=old, existing_nullable=nullable)


def upgrade() -> None:
    _alter(sa.Text(), mysql.LONGTEXT())


def downgrade() -> None:
    _alter(mysql.LONGTEXT(), sa.Text())
