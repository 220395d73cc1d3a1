"""Opening the database a command names, with one clear error when that is not possible."""

from __future__ import annotations

import argparse

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from core.db import make_engine
from crisisdesk import schema


class CliError(Exception):
    """A command's failure: the message is the one line on stderr, `code` the exit code."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


def open_db(args: argparse.Namespace) -> Engine:
    """The engine for --db, with the schema created or upgraded first if needed."""
    try:
        engine = make_engine(args.db)
    except (ValueError, ImportError, SQLAlchemyError) as exc:
        raise CliError(f"--db {args.db!r}: not a usable database URL ({exc})", 2) from exc
    try:
        if not schema.is_current(engine):
            schema.upgrade(engine)
    except OperationalError as exc:
        raise CliError(f"cannot open the database {engine.url.render_as_string()}: {exc.orig}") from exc
    return engine
