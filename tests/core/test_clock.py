"""core/clock.py: the current time, pinned by CRISISDESK_NOW, and instants read from users."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.clock import ClockError, now, parse_instant


def test_an_instant_with_an_offset_is_read_as_utc() -> None:
    assert parse_instant("2026-11-22T09:00:00+01:00") == datetime(2026, 11, 22, 8, 0, tzinfo=UTC)
    assert parse_instant(" 2026-11-22T08:00:00Z ") == datetime(2026, 11, 22, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("yesterday", "--since 'yesterday' is not ISO 8601"),
        ("2026-11-22T08:00:00", "has no UTC offset"),
        ("0001-01-01T00:00:00+01:00", "is out of range (years 1900 to 2999)"),
        ("9999-12-31T23:59:59-01:00", "is out of range (years 1900 to 2999)"),
        ("1066-10-14T09:00:00+00:00", "is out of range (years 1900 to 2999)"),
        ("2026-02-30T08:00:00+01:00", "names no such time: day is out of range for month"),
    ],
)
def test_instants_that_cannot_be_used_are_clock_errors(text: str, message: str) -> None:
    with pytest.raises(ClockError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_instant(text, what="--since")


def test_crisisdesk_now_pins_the_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRISISDESK_NOW", "2026-11-22T08:00:00+00:00")
    assert now() == datetime(2026, 11, 22, 8, 0, tzinfo=UTC)
    monkeypatch.setenv("CRISISDESK_NOW", "9999-12-31T23:59:59-01:00")
    with pytest.raises(ClockError, match="CRISISDESK_NOW"):
        now()
