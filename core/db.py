"""Engines and sessions: SQLite (WAL, foreign keys, BEGIN IMMEDIATE for writes) or PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from core.config import database_url

_WRITE = "crisisdesk_write"
BUSY_TIMEOUT_MS = 30_000


def make_engine(url: str | None = None, **kwargs: Any) -> Engine:
    """An engine for `url` (default: config.database_url()) with the embedded-database settings."""
    resolved = make_url(database_url(url))
    if resolved.get_backend_name() == "sqlite":
        return _sqlite_engine(resolved.render_as_string(hide_password=False), resolved.database, **kwargs)
    if resolved.get_backend_name() == "postgresql" and resolved.drivername == "postgresql":
        resolved = resolved.set(drivername="postgresql+psycopg")
    return create_engine(resolved, pool_pre_ping=True, **kwargs)


def _sqlite_engine(url: str, path: str | None, **kwargs: Any) -> Engine:
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000}, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Take transaction control from the driver so that the "begin" hook below decides the mode.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        # WAL + NORMAL stays consistent after a process crash; only an OS crash may lose the last commit.
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # A deferred transaction that later writes can fail with SQLITE_BUSY on lock upgrade,
        # which busy_timeout does not retry; writers therefore take the write lock up front.
        if conn.get_execution_options().get(_WRITE):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")

    return engine


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """A session whose transaction holds the write lock from its start and commits on success."""
    with Session(engine.execution_options(**{_WRITE: True}), expire_on_commit=False) as session:
        with session.begin():
            yield session


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A connection whose transaction holds the write lock from its start: for schema changes, so that
    several processes opening a new database wait for each other instead of failing "database is locked"."""
    with engine.execution_options(**{_WRITE: True}).begin() as connection:
        yield connection


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """A session for reading; objects stay usable after it closes (closing rolls back, expiring nothing)."""
    with Session(engine, expire_on_commit=False) as session:
        yield session


@contextmanager
def exclusive(engine: Engine, key: int) -> Iterator[bool]:
    """Whether this process holds the database-wide lock `key` for the duration: on PostgreSQL a session
    advisory lock, tried and never waited for (another process holding it answers False); on SQLite
    always True, as one poller per database file is the rule there."""
    if engine.dialect.name != "postgresql":
        yield True
        return
    with engine.connect() as connection:
        held = bool(connection.scalar(select(func.pg_try_advisory_lock(key))))
        connection.commit()
        try:
            yield held
        finally:
            if held:
                connection.scalar(select(func.pg_advisory_unlock(key)))
                connection.commit()
