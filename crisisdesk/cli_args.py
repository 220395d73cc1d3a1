"""What the command-line faces share: bad-input errors, the acting user, the database of a command, and
argument types that turn bad values into one line (exit 2) instead of a traceback."""

from __future__ import annotations

import argparse
import math
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine

from crisisdesk.database import open_db
from playbooks.workflow.inputs import language_problem


class InputError(ValueError):
    """Bad input for a workflow command (exit 2)."""


def acting_user(args: argparse.Namespace) -> str:
    user = getattr(args, "by", None) or os.environ.get("CRISISDESK_USER")
    if not user:
        raise InputError("who is acting? give --by USER (or set CRISISDESK_USER)")
    return str(user)


MAX_ID = 2**31 - 1  # ids are INTEGER columns: beyond this no row can exist, and drivers overflow


def whole_number(text: str) -> int:
    """`text` as ASCII digits: int() also reads "1_0" as 10 and "١" or "１" as 1, so a typo or a look-alike
    digit acted on another row than the one the person saw."""
    if not re.fullmatch(r"\s*[+-]?[0-9]+\s*", text):
        raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a whole number")
    return int(text)


def decimal_number(text: str) -> float:
    """`text` as a finite decimal in ASCII digits (float() too reads "1_0", "١" and "nan")."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a number") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a finite number")
    if not re.fullmatch(r"\s*[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?\s*", text):
        raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a number")
    return value


def whole_in(low: int, high: int) -> Callable[[str], int]:
    """An argument type: a whole number from `low` to `high`."""

    def parse(text: str) -> int:
        value = whole_number(text)
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{text[:40]!r} must be from {low} to {high}")
        return value

    return parse


def ident(text: str) -> int:
    """A row id: a whole number from 1 to 2^31-1 (10^20 is bad input, not an overflow traceback)."""
    value = whole_number(text)
    if not 1 <= value <= MAX_ID:
        raise argparse.ArgumentTypeError(f"{text[:40]} is not an id (1 to {MAX_ID})")
    return value


count = whole_in(1, 1_000_000)


def out_path(text: str) -> Path:
    if not text.strip():
        raise argparse.ArgumentTypeError("an empty path")
    if "\x00" in text:
        raise argparse.ArgumentTypeError("a path with a NUL character")
    if text.strip() == "-":
        # Elsewhere "-" means standard output; writing a file named "-" would surprise everyone.
        raise argparse.ArgumentTypeError("'-' (standard output) is not supported: give a file path")
    return Path(text)


def language_code(code: str) -> str:
    if problem := language_problem(code):
        raise argparse.ArgumentTypeError(problem)
    return code


def warn(warnings: list[str]) -> None:
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)


def engine_of(args: argparse.Namespace, *, create: bool = False) -> Engine:
    return open_db(args, create=create)
