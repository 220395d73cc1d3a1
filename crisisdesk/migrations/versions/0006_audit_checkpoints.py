"""workflow: signed checkpoints of the audit chain's head

With the append-only trigger dropped, records could be cut off the end of the chain, or a forged one
appended with a recomputed hash, and the chain still verified (issue 12, item 11). Each record now comes
with a checkpoint: its head signed with the desk's Ed25519 key, which lives outside the database.
Append-only like the chain. Existing records are covered by the first checkpoint written after this
revision (or by `crisisdesk audit checkpoint`).

Revision ID: 0006_audit_checkpoints
Revises: 0005_one_live
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_audit_checkpoints"
down_revision = "0005_one_live"
branch_labels = None
depends_on = None

_SQLITE_TRIGGERS = {
    "audit_checkpoints_no_update": "BEFORE UPDATE ON audit_checkpoints",
    "audit_checkpoints_no_delete": "BEFORE DELETE ON audit_checkpoints",
}


def upgrade() -> None:
    op.create_table(
        "audit_checkpoints",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("head", sa.String(length=64), nullable=False),
        sa.Column("key_id", sa.String(length=16), nullable=False),
        sa.Column("signature", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
    )
    if op.get_bind().dialect.name == "sqlite":
        for name, when in _SQLITE_TRIGGERS.items():
            op.execute(
                f"CREATE TRIGGER {name} {when} BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only (R15)'); END"
            )
        return
    op.execute(
        "CREATE FUNCTION audit_checkpoints_append_only() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'audit_checkpoints is append-only (R15)'; END $$"
    )
    op.execute(
        "CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_checkpoints "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_checkpoints_append_only()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in _SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_checkpoints_append_only ON audit_checkpoints")
        op.execute("DROP FUNCTION IF EXISTS audit_checkpoints_append_only()")
    op.drop_table("audit_checkpoints")
