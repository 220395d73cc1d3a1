"""The current time, which `CRISISDESK_NOW` may pin for replays, exercises and tests."""

from __future__ import annotations

import os
from datetime import UTC, datetime


class ClockError(ValueError):
    """CRISISDESK_NOW is set but is not an ISO 8601 time with an offset."""


# Instants outside these years are typing errors, and near year 1 or 9999 converting to UTC or adding a
# day overflows (a traceback instead of a message, a poller that dies on its first schedule).
FIRST_YEAR, LAST_YEAR = 1900, 2999


def parse_instant(text: str, *, what: str = "time") -> datetime:
    """Parse ISO 8601 with an offset ('Z' allowed) into an aware UTC datetime, years 1900 to 2999."""
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError as exc:
        if not str(exc).startswith("Invalid isoformat"):
            # Written right but naming no such moment ("2026-02-30"): say why, not "not ISO 8601".
            raise ClockError(f"{what} {text!r} names no such time: {exc}") from exc
        raise ClockError(f"{what} {text!r} is not ISO 8601 (e.g. 2026-11-22T08:00:00+01:00)") from exc
    if value.tzinfo is None:
        raise ClockError(f"{what} {text!r} has no UTC offset (add e.g. +01:00 or Z)")
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ClockError(f"{what} {text!r} is out of range (years {FIRST_YEAR} to {LAST_YEAR})")
    return value.astimezone(UTC)


def now() -> datetime:
    """Aware UTC now, or the pinned `CRISISDESK_NOW`."""
    pinned = os.environ.get("CRISISDESK_NOW")
    if pinned:
        return parse_instant(pinned, what="CRISISDESK_NOW")
    return datetime.now(UTC)
