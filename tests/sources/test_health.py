"""sources/health.py: one line per feed saying whether it is read on time, and if not, why."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, update

from sources import registry
from sources.health import FeedHealth, feed_health
from sources.models import Feed
from tests.helpers.registry import account, write_registry

NOW = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)


@pytest.fixture
def web(engine: Engine, tmp_path: Path) -> Engine:
    """One official feed (interval 60 s) on https://desk:pw@www.torsby.example/rss."""
    path = write_registry(tmp_path / "a.yaml", [account("web", "https://desk:pw@www.torsby.example/rss")])
    registry.import_registry(engine, registry.load(path))
    return engine


def health_of(engine: Engine, **state: Any) -> FeedHealth:
    with engine.begin() as conn:
        conn.execute(update(Feed).values(**state))
    (health,) = feed_health(engine, at=NOW)
    return health


def fetched(minutes_ago: float, **more: Any) -> dict[str, Any]:
    """The state of a feed last fetched successfully `minutes_ago`, next due one interval later."""
    at = NOW - timedelta(minutes=minutes_ago)
    return {"last_fetch_at": at, "last_success_at": at, "next_fetch_at": at + timedelta(seconds=60), **more}


def test_a_feed_read_on_schedule_is_ok(web: Engine) -> None:
    health = health_of(web, **fetched(0.5))
    assert (health.status, health.reason) == ("ok", None)
    assert health.url == "https://***@www.torsby.example/rss", "credentials are never shown"


def test_a_feed_never_fetched_yet_is_never(web: Engine) -> None:
    assert health_of(web, next_fetch_at=NOW).status == "never"


def test_a_failing_feed_says_so_with_its_error(web: Engine) -> None:
    health = health_of(web, **fetched(2), consecutive_failures=2, last_error="HTTP 500 at https://u:p@x/")
    assert (health.status, health.consecutive_failures) == ("failing", 2)
    assert health.last_error == "HTTP 500 at https://***@x/"


def test_a_dead_feed_is_dead_whatever_else(web: Engine) -> None:
    assert health_of(web, **fetched(600), dead=True, consecutive_failures=3).status == "dead"


def test_no_success_for_three_intervals_and_at_least_15_minutes_is_stale(web: Engine) -> None:
    health = health_of(web, **fetched(20, next_fetch_at=NOW + timedelta(seconds=30)))
    assert health.status == "stale" and health.reason == "no successful fetch since 2026-11-22T07:40:00+00:00"


def test_a_feed_due_but_not_polled_is_stale_and_asks_whether_the_poller_runs(web: Engine) -> None:
    health = health_of(web, **fetched(61))
    assert health.status == "stale"
    assert health.reason == "due since 2026-11-22T07:00:00+00:00, not polled for 1:00:00: is the poller running?"


def test_a_schedule_beyond_the_feed_s_longest_delay_is_reported_as_a_clock_step(web: Engine) -> None:
    health = health_of(web, **fetched(-30 * 24 * 60))  # stamped by a clock 30 days ahead
    assert health.status == "stale"
    assert (health.reason or "").startswith("next fetch scheduled 30 days, 0:01:00 ahead, beyond this feed's")


def test_a_fetch_stamped_in_the_future_is_reported(web: Engine) -> None:
    health = health_of(web, **fetched(-60, next_fetch_at=NOW + timedelta(minutes=1)))
    assert health.status == "stale" and health.reason == "last fetched 1:00:00 in the future: the clock moved"


def test_churn_of_the_day_is_shown_and_yesterday_s_is_not(web: Engine) -> None:
    today = health_of(web, **fetched(0.5), churn_day=date(2026, 11, 22), versions_today=40, changes_dropped_today=7)
    assert (today.versions_today, today.changes_not_kept_today) == (40, 7)
    yesterday = health_of(web, churn_day=date(2026, 11, 21))
    assert (yesterday.versions_today, yesterday.changes_not_kept_today) == (0, 0)
    assert {"reason", "versions_today", "changes_not_kept_today"} <= set(today.as_dict())
