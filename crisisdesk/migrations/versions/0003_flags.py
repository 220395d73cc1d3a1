"""checks: flags

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("checked_approvals", sa.Integer(), server_default="0", nullable=False))
    op.create_table(
        "flags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dedupe_key", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("rule", sa.String(length=10), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=True),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=True),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("assigned_to", sa.String(length=100), nullable=True),
        sa.Column("first_triage_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("triaged_by", sa.String(length=100), nullable=True),
        sa.Column("answer_message_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('rumour', 'inconsistent', 'unrouted', 'missing_on_website', 'impersonation')",
            name="ck_flags_kind",
        ),
        sa.CheckConstraint(
            "status IN ('open', 'assigned', 'escalated', 'dismissed', 'resolved')", name="ck_flags_status"
        ),
        sa.ForeignKeyConstraint(
            ["answer_message_id"],
            ["messages.id"],
        ),
        sa.ForeignKeyConstraint(
            ["assigned_to"],
            ["users.name"],
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
        ),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["messages.id"],
        ),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["posts.id"],
        ),
        sa.ForeignKeyConstraint(
            ["triaged_by"],
            ["users.name"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("dedupe_key"),
    )
    with op.batch_alter_table("flags", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_flags_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_flags_incident_id"), ["incident_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_flags_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_flags_post_id"), ["post_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_flags_status"), ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.drop_column("checked_approvals")
    with op.batch_alter_table("flags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_flags_status"))
        batch_op.drop_index(batch_op.f("ix_flags_post_id"))
        batch_op.drop_index(batch_op.f("ix_flags_kind"))
        batch_op.drop_index(batch_op.f("ix_flags_incident_id"))
        batch_op.drop_index(batch_op.f("ix_flags_created_at"))

    op.drop_table("flags")
