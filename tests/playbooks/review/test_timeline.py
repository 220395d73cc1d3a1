"""The timeline of an incident: each approved message with its first website copy, and activity per interval."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bench import scenarios
from playbooks.review import timeline
from tests.bench.test_scenarios import SMALL


def test_each_approved_message_with_the_website_copy_that_carried_it(engine) -> None:
    scenarios.drive(engine, SMALL)
    first, update = timeline.message_timeline(engine, 1)
    assert first.website_copy_at is not None and first.website_copy_at - first.approved_at == timedelta(minutes=10)
    assert update.website_copy_at is None  # the older copy says "until 8 pm": it does not carry "until 10 pm"


def test_activity_counts_posts_and_flags_per_interval_and_kind(engine) -> None:
    scenarios.drive(engine, SMALL)
    rows = timeline.activity(engine, datetime(2026, 5, 1, 6, 0, tzinfo=UTC), minutes=60)
    by_kind: dict[str, list[int]] = {}
    for row in rows:
        totals = by_kind.setdefault(str(row["kind"]), [0, 0])
        totals[0] += int(row["posts"])  # type: ignore[call-overload]
        totals[1] += int(row["flags"])  # type: ignore[call-overload]
    # Watched: the stale post, and the look-alike's impersonation and its contradiction (5 km against 2 km).
    assert by_kind == {"social": [2, 1], "website": [1, 0], "watch": [2, 3]}
