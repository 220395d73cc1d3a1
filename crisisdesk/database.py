"""Opening the database a command names, with one clear error when that is not possible."""

from __future__ import annotations

import argparse
import os
import re

from alembic.util import CommandError
from sqlalchemy import Engine, make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, SQLAlchemyError

from core.config import database_url
from core.db import make_engine
from crisisdesk import schema


class CliError(Exception):
    """A command's failure: the message is the one line on stderr, `code` the exit code."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


def engine_for(args: argparse.Namespace, *, create: bool = False) -> Engine:
    """The engine for --db without touching the schema: an empty URL or an impossible path is one line.

    Without `create`, an SQLite file that does not exist is refused rather than made: a mistyped path
    would otherwise become a new, empty database that answers "(none)" to every question."""
    url = getattr(args, "db", None)
    if url is not None and not url.strip():
        raise CliError("--db '': an empty database URL (leave --db out for the default)", 2)
    # Where the URL came from, as the message shows it: "--db None" said nothing when the environment gave
    # it, and the URL as given showed its password.
    given = database_url(url)
    if url:
        where = f"--db {_masked(given)!r}"
    elif os.environ.get("CRISISDESK_DATABASE_URL"):
        where = f"$CRISISDESK_DATABASE_URL {_masked(given)!r}"
    else:
        where = f"the default database {given}"
    if not create and (missing := _missing_sqlite_file(given)):
        raise CliError(
            f"{where}: there is no database at {missing}; make one with `crisisdesk init`, or name the desk's "
            "database with --db or $CRISISDESK_DATABASE_URL",
            2,
        )
    try:
        return make_engine(url)
    except (ValueError, ImportError, SQLAlchemyError) as exc:
        reason = str(exc).replace(given, _masked(given))
        raise CliError(f"{where}: not a usable database URL ({reason})", 2) from exc
    except OSError as exc:  # the SQLite file's folder cannot be created: under a regular file, read-only, …
        raise CliError(f"{where}: cannot create the database's folder: {exc.strerror or exc}") from exc


def _missing_sqlite_file(url: str) -> str | None:
    """The path of an SQLite database file `url` names that does not exist (None for other databases)."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):  # not a URL: make_engine says so in its own words
        return None
    path = parsed.database
    if parsed.get_backend_name() != "sqlite" or not path or path == ":memory:" or path.startswith("file:"):
        return None
    return None if os.path.exists(path) else path


_PASSWORD = re.compile(r"(://[^/?#@:]*:)[^/?#]+@")  # to the last @ of the host part: a raw "@" in it too


def shown_url(url: str | None) -> str:
    """The database a command uses (`--db`, else the environment's, else the default), its password masked."""
    return _masked(database_url(url))


def _masked(url: str) -> str:
    """`url` as a message shows it: the password, if it names one, as ***."""
    try:
        password = make_url(url).password
    except Exception:  # a URL SQLAlchemy cannot read is masked by the pattern alone
        password = None
    if password and any(c in password for c in "/?#"):
        # SQLAlchemy reads "/", "?" and "#" in a password raw, where the pattern stops at them.
        return make_url(url).render_as_string(hide_password=True)
    return _PASSWORD.sub(r"\1***@", url, count=1)


def upgrade(engine: Engine) -> str:
    """Create or upgrade the schema; a database from a newer crisisdesk, or one that cannot be opened, is one line."""
    name = engine.url.render_as_string()
    try:
        current = schema.current_revision(engine)
        if current is not None and not schema.knows(engine, current):
            raise CliError(
                f"the database {name} is at schema revision {current!r}, newer than this crisisdesk knows "
                f"({schema.head_revision(engine)}): use the crisisdesk that wrote it, or a newer one"
            )
        return schema.upgrade(engine)
    except DatabaseError as exc:  # not only OperationalError: a file that is no database is a DatabaseError
        raise CliError(f"cannot open the database {name}: {exc.orig}") from exc
    except CommandError as exc:
        raise CliError(f"cannot upgrade the database {name}: {str(exc)[:300]}") from exc


def open_db(args: argparse.Namespace, *, create: bool = False) -> Engine:
    """The engine for --db, with the schema created or upgraded first if needed; a missing SQLite file is
    made only when `create` (the commands that set a desk up or start work in one: init, accounts import,
    users add, incident open, poll, up, demo); the others read or act on what a desk already holds."""
    engine = engine_for(args, create=create)
    try:
        current = schema.is_current(engine)
    except DatabaseError as exc:  # unreachable, locked, or a file that is no database: say which database
        raise CliError(f"cannot open the database {engine.url.render_as_string()}: {exc.orig}") from exc
    if not current:
        upgrade(engine)
    return engine
