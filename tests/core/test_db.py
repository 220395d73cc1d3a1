"""The storage layer's promises: migrations equal the models, SQLite's settings, writers that never get SQLITE_BUSY."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text
from sqlalchemy.dialects import sqlite

from core.db import make_engine, read_session, write_session
from crisisdesk import schema
from sources.models import Base, Organisation, UTCDateTime


def test_the_migrations_produce_exactly_the_models(engine) -> None:
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []
    assert schema.is_current(engine)


def test_sqlite_runs_in_wal_with_foreign_keys_and_a_busy_timeout(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 30_000


def test_times_come_back_aware_and_in_utc(engine) -> None:
    stockholm = timezone(timedelta(hours=1))
    with write_session(engine) as session:
        session.add(
            Organisation(id=1, name="X", allow_networks=[], updated_at=datetime(2026, 11, 22, 9, 0, tzinfo=stockholm))
        )
    with read_session(engine) as session:
        org = session.get(Organisation, 1)
    assert org is not None and org.updated_at == datetime(2026, 11, 22, 8, 0, tzinfo=UTC)
    assert org.updated_at.utcoffset() == timedelta(0)


_OFFSETS = st.integers(min_value=-24 * 60 + 1, max_value=24 * 60 - 1).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)


@given(st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=_OFFSETS | st.just(UTC)))
@settings(max_examples=2000, deadline=None, database=None)
def test_sqlite_stores_a_time_as_sqlalchemys_own_datetime_text(value: datetime) -> None:
    """The faster writer of SQLite's DATETIME text (`_SQLiteDateTime`) writes what SQLAlchemy's would."""
    assert _STORED(value) == _STOCK(value.astimezone(UTC).replace(tzinfo=None))


_STORED = UTCDateTime().dialect_impl(sqlite.dialect()).bind_processor(sqlite.dialect())
_STOCK = sqlite.DATETIME().bind_processor(sqlite.dialect())


def test_naive_times_are_refused(engine) -> None:
    with pytest.raises(Exception, match="naive datetime"), write_session(engine) as session:
        session.add(Organisation(id=1, name="X", allow_networks=[], updated_at=datetime(2026, 11, 22, 9, 0)))


def test_concurrent_read_then_write_transactions_do_not_fail_with_busy(tmp_path: Path) -> None:
    """Each writer reads then writes; with deferred transactions one would fail on lock upgrade."""
    engine = make_engine(f"sqlite:///{tmp_path / 'busy.db'}")
    schema.upgrade(engine)
    with write_session(engine) as session:
        session.add(Organisation(id=1, name="0", allow_networks=[], updated_at=datetime.now(UTC)))
    errors: list[BaseException] = []

    def bump() -> None:
        try:
            for _ in range(25):
                with write_session(engine) as session:
                    org = session.scalars(select(Organisation)).one()
                    org.name = str(int(org.name) + 1)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=bump) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with read_session(engine) as session:
        assert session.scalars(select(Organisation.name)).one() == "100", "no lost update either"
