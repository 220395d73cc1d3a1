"""sources: churn counters per feed (versions kept and changes not kept per day)

A feed flipping 1,000 entries between two texts added ~5 MB of versions per poll (issue 12, item 13):
versions are now bounded per entry and per feed per day, and these counters say how many were kept
and how many changes were not, for feed health.

Revision ID: 0004_feed_churn
Revises: 0003
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_feed_churn"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("feeds", schema=None) as batch_op:
        batch_op.add_column(sa.Column("churn_day", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("versions_today", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("changes_dropped_today", sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("feeds", schema=None) as batch_op:
        batch_op.drop_column("changes_dropped_today")
        batch_op.drop_column("versions_today")
        batch_op.drop_column("churn_day")
