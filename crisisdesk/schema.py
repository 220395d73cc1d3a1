"""Create or upgrade the schema with Alembic (`crisisdesk init`)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, func, select

from core.db import write_transaction

# Any constant that names "crisisdesk schema upgrade" among the advisory locks of one PostgreSQL database.
MIGRATION_LOCK = 0x63726973  # "cris"


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", "crisisdesk:migrations")
    # ConfigParser interpolates "%": a percent-encoded password (p%40ss) was a traceback on every command.
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return cfg


def upgrade(engine: Engine) -> str:
    """Bring the schema to the newest revision; returns that revision."""
    cfg = alembic_config(engine)
    with write_transaction(engine) as connection:
        if connection.dialect.name == "postgresql":
            # One upgrader at a time across processes; the others then find the schema current.
            connection.execute(select(func.pg_advisory_xact_lock(MIGRATION_LOCK)))
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")
    return head_revision(engine)


def head_revision(engine: Engine) -> str:
    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head() or ""


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def is_current(engine: Engine) -> bool:
    return current_revision(engine) == head_revision(engine)


def knows(engine: Engine, revision: str) -> bool:
    """Whether `revision` is one of this code's migrations (a newer crisisdesk's is not)."""
    from alembic.util import CommandError

    try:
        return ScriptDirectory.from_config(alembic_config(engine)).get_revision(revision) is not None
    except CommandError:
        return False
