"""Indexes on the referencing columns a release replacement deletes through

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01

Replacing a release now DELETEs the old rows (TRUNCATE would lock readers out until the commit);
each deleted commodity, task, element or occupation makes PostgreSQL look for rows that still
refer to it, which without these indexes is a scan of the referencing table per deleted row.
"""

from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

INDEXES = [
    ("technology_skill", "commodity_code"),
    ("tool_used", "commodity_code"),
    ("related_occupation", "related_soc_code"),
    ("emerging_task", "original_task_id"),
    ("element_link", "to_element_id"),
]


def upgrade() -> None:
    for table, column in INDEXES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)


def downgrade() -> None:
    for table, column in reversed(INDEXES):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_{column}"))
