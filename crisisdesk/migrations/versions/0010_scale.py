"""scale: the sweep's queue, its index of website copies and where it got to per incident; feed leases

The end-of-pass sweep compared every official social post with every website post on every tick while
holding the write lock (issue 15, item 1). It now reads what the poller queued since it last ran, keeps
the website copies of each approved message, and remembers per incident which approvals it has seen.
An incident without a row is swept in full once, as before this revision. Feeds get a lease (owner,
until) so that several pollers on one database split the due feeds (issue 15, item 2).

Revision ID: 0010_scale
Revises: 0008_alerts
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_scale"
down_revision = "0008_alerts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("feeds", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lease_owner", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "sweep_queue",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["post_id"], ["posts.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "website_copies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("published", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["message_id"], ["messages.id"]),
        sa.ForeignKeyConstraint(["post_id"], ["posts.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("message_id", "post_id", name="uq_website_copies_message_post"),
    )
    op.create_index("ix_website_copies_message_published", "website_copies", ["message_id", "published"])
    op.create_index("ix_website_copies_post_id", "website_copies", ["post_id"])
    op.create_table(
        "incident_sweeps",
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("swept_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("approved_messages", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"]),
        sa.PrimaryKeyConstraint("incident_id"),
    )


def downgrade() -> None:
    op.drop_table("incident_sweeps")
    op.drop_index("ix_website_copies_post_id", table_name="website_copies")
    op.drop_index("ix_website_copies_message_published", table_name="website_copies")
    op.drop_table("website_copies")
    op.drop_table("sweep_queue")
    with op.batch_alter_table("feeds", schema=None) as batch_op:
        batch_op.drop_column("lease_until")
        batch_op.drop_column("lease_owner")
