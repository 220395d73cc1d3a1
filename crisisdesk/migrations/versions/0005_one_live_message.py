"""workflow: exactly one live message per incident and language

Before this revision a superseded approved version could still be published (issue 12), leaving two
`published` rows of one language. Such pairs are repaired first: the newest version (highest id) stays
live and each older one becomes `superseded` by it, as publishing does now. Then a partial unique index
makes the database refuse a second live version.

Revision ID: 0005_one_live
Revises: 0004_feed_churn
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_one_live"
down_revision = "0004_feed_churn"
branch_labels = None
depends_on = None

_messages = sa.table(
    "messages",
    sa.column("id", sa.Integer),
    sa.column("incident_id", sa.Integer),
    sa.column("language", sa.String),
    sa.column("state", sa.String),
    sa.column("superseded_by_id", sa.Integer),
)
_LIVE = sa.text("state = 'published'")


def upgrade() -> None:
    connection = op.get_bind()
    live = connection.execute(
        sa.select(_messages.c.id, _messages.c.incident_id, _messages.c.language)
        .where(_messages.c.state == "published")
        .order_by(_messages.c.id.desc())
    ).all()
    newest: dict[tuple[int, str], int] = {}
    for message_id, incident_id, language in live:
        keep = newest.setdefault((incident_id, language), message_id)
        if keep != message_id:
            connection.execute(
                sa.update(_messages)
                .where(_messages.c.id == message_id)
                .values(state="superseded", superseded_by_id=keep)
            )
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.create_index(
            "uq_messages_one_live", ["incident_id", "language"], unique=True, sqlite_where=_LIVE, postgresql_where=_LIVE
        )


def downgrade() -> None:
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_index("uq_messages_one_live")
