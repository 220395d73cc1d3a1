"""0007_partners: a database from before it upgrades cleanly and back (issue 14)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import column, insert, select, table
from sqlalchemy.exc import IntegrityError

from core.db import make_engine, read_session
from crisisdesk import schema
from sources.models import Account, Feed


def test_0007_gives_existing_accounts_an_empty_area_and_allows_partner_flags(tmp_path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    cfg = schema.alembic_config(engine)
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "0006_audit_checkpoints")
    stamp = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    # The tables as 0006 left them: only the columns they had then.
    old_accounts = table("accounts", *(column(n) for n in ("id", "name", "kind", "platform", "administrators",
                                                              "languages", "created_at", "updated_at")))  # fmt: skip
    with engine.begin() as connection:
        connection.execute(insert(old_accounts).values(
            id="web", name="Web", kind="website", platform="web", administrators="[]", languages="[]",
            created_at="2026-12-01 08:00:00.000000", updated_at="2026-12-01 08:00:00.000000"))  # fmt: skip
        connection.execute(insert(Feed.__table__).values(
            account_id="web", url="https://example.org/rss", interval_s=60, next_fetch_at=stamp,
            consecutive_failures=0, dead=False, entries_stored=0, versions_today=0, changes_dropped_today=0))  # fmt: skip
    schema.upgrade(engine)
    assert schema.is_current(engine)
    with read_session(engine) as session:
        account = session.get(Account, "web")
        assert account is not None and account.area == []
        assert session.scalars(select(Feed.listed)).one() is None
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, "0006_audit_checkpoints")
    flags = table("flags", *(column(n) for n in ("dedupe_key", "kind", "rule", "score", "status", "post_id",
                                                   "evidence", "created_at", "updated_at")))  # fmt: skip
    with engine.begin() as connection, pytest.raises(IntegrityError, match=r"ck_flags_kind|CHECK"):
        connection.execute(insert(flags).values(dedupe_key="k", kind="contradicts_partner", rule="R1", score=1.0,
                                                status="open", post_id=1, evidence="{}", created_at="2026-12-01",
                                                updated_at="2026-12-01"))  # fmt: skip
    engine.dispose()
