"""Schema revisions that repair data on the way: a database from before the revision upgrades cleanly."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from sqlalchemy import insert, select

from core.db import make_engine, read_session
from crisisdesk import schema
from playbooks.workflow.models import Incident, Message, User


def test_0004_leaves_one_live_message_per_language_the_newest(tmp_path) -> None:
    """Before 0004 a superseded approved version could be published again (issue 12 item 3): two live rows."""
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    cfg = schema.alembic_config(engine)
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "0003")
    stamp = datetime(2026, 11, 22, 7, 0, tzinfo=UTC)
    with engine.begin() as connection:
        connection.execute(insert(User.__table__).values(name="lars", role="lead", disabled=False, language="en",
                                                         timezone="UTC", created_at=stamp, updated_at=stamp))  # fmt: skip
        connection.execute(insert(Incident.__table__).values(id=1, title="Brand", playbook="default", phase="acute",
                                                             keywords=[], exercise=False, opened_by="lars",
                                                             opened_at=stamp, checked_approvals=0))  # fmt: skip
        for message_id, language in ((1, "sv"), (2, "sv"), (3, "en"), (4, "sv")):
            connection.execute(insert(Message.__table__).values(
                id=message_id, incident_id=1, kind="update", state="published" if message_id != 4 else "draft",
                language=language, text="x", text_hash="x", author="lars", created_at=stamp, published_at=stamp,
                checks={},
            ))  # fmt: skip
    schema.upgrade(engine)
    with read_session(engine) as session:
        rows = {m.id: (m.state, m.superseded_by_id) for m in session.scalars(select(Message))}
    assert rows == {1: ("superseded", 2), 2: ("published", None), 3: ("published", None), 4: ("draft", None)}
    assert schema.is_current(engine)
    engine.dispose()
