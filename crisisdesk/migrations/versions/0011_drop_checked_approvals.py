"""incidents: drop checked_approvals

Since issue 15 the sweep remembers per incident which approvals it has seen in its own table (0010);
the counter on the incident was written by nothing and read by nothing any more.

Revision ID: 0011_drop_checked_approvals
Revises: 0010_scale
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_drop_checked_approvals"
down_revision = "0010_scale"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # In place, not by copying the table (SQLite 3.35 drops a column itself): a copy would drop the table
    # that messages and flags refer to, which SQLite's foreign keys refuse.
    with op.batch_alter_table("incidents", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("checked_approvals")


def downgrade() -> None:
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("checked_approvals", sa.Integer(), server_default="0", nullable=False))
