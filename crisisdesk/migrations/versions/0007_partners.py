"""sources: partner accounts' area filter; flags: contradicts_partner (issue 14)

A partner feed keeps the guids its last document listed (what is current);
a partner account (NINA, Alertswiss, Krisinformation, MeteoAlarm, CAP) carries the area it watches;
a message or an official post that contradicts an active partner warning is flagged
`contradicts_partner`, which the flags' kind constraint must allow.

Revision ID: 0007_partners
Revises: 0006_audit_checkpoints
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_partners"
down_revision = "0006_audit_checkpoints"
branch_labels = None
depends_on = None

_OLD_KINDS = ("rumour", "inconsistent", "unrouted", "missing_on_website", "impersonation")
_NEW_KINDS = (*_OLD_KINDS, "contradicts_partner")


def _kinds(kinds: tuple[str, ...]) -> str:
    return f"kind IN ({', '.join(repr(k) for k in kinds)})"


def upgrade() -> None:
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("area", sa.JSON(), server_default="[]", nullable=False))
    with op.batch_alter_table("feeds", schema=None) as batch_op:
        batch_op.add_column(sa.Column("listed", sa.JSON(), nullable=True))
    with op.batch_alter_table("flags", schema=None) as batch_op:
        batch_op.drop_constraint("ck_flags_kind", type_="check")
        batch_op.create_check_constraint("ck_flags_kind", _kinds(_NEW_KINDS))


def downgrade() -> None:
    flags = sa.table("flags", sa.column("kind", sa.String()))
    op.execute(flags.delete().where(flags.c.kind == "contradicts_partner"))
    with op.batch_alter_table("flags", schema=None) as batch_op:
        batch_op.drop_constraint("ck_flags_kind", type_="check")
        batch_op.create_check_constraint("ck_flags_kind", _kinds(_OLD_KINDS))
    # ALTER TABLE … DROP COLUMN, never a copy of the table: other tables' foreign keys point at both.
    with op.batch_alter_table("feeds", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("listed")
    with op.batch_alter_table("accounts", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("area")
