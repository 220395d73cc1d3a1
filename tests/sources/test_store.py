"""sources/store.py: posts and fetch state written idempotently, versions kept within the day's bounds,
and a schedule for the next fetch that is never further ahead than the feed's longest delay."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from core.db import read_session, write_session
from sources import registry
from sources.entries import Entry, FeedError, Normalised, ParsedFeed
from sources.fetch import FetchResult
from sources.models import Feed, Post, PostVersion
from sources.store import (
    MAX_VERSIONS_PER_ENTRY_PER_DAY,
    body_hash,
    churn_today,
    entries_to_write,
    longest_delay,
    record_failure,
    record_fetch,
    store_entries,
)
from tests.helpers.registry import account, write_registry

NOW = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)


def entry(guid: str, title: str) -> Entry:
    return Entry.ready(
        guid,
        Normalised(title=title, text=f"Text of {guid}", link=None, author=None, language="sv", published=NOW,
                   published_source="published"),
    )  # fmt: skip


@pytest.fixture
def feed_id(engine: Engine, tmp_path: Path) -> int:
    path = write_registry(tmp_path / "a.yaml", [account("web", "https://www.torsby.example/rss")])
    registry.import_registry(engine, registry.load(path))
    with read_session(engine) as session:
        return session.scalars(select(Feed.id)).one()


def store(engine: Engine, feed_id: int, entries: list[Entry], at: datetime = NOW):  # type: ignore[no-untyped-def]
    with write_session(engine) as session:
        feed = session.get(Feed, feed_id)
        assert feed is not None
        return store_entries(session, feed, entries, at)


def test_new_entries_become_posts_and_storing_them_again_changes_nothing(engine, feed_id: int) -> None:
    first = store(engine, feed_id, [entry("a", "A"), entry("b", "B")])
    assert (first.new, first.changed, first.unchanged) == (2, 0, 0) and len(first.new_post_ids) == 2
    again = store(engine, feed_id, [entry("a", "A"), entry("b", "B")])
    assert (again.new, again.changed, again.unchanged) == (0, 0, 2)


def test_a_changed_entry_updates_its_post_and_keeps_the_replaced_version(engine, feed_id: int) -> None:
    store(engine, feed_id, [entry("a", "Brand kl. 9")])
    stats = store(engine, feed_id, [entry("a", "Brand kl. 10")], NOW + timedelta(minutes=5))
    assert stats.changed == 1
    with read_session(engine) as session:
        post = session.scalars(select(Post)).one()
        (old,) = session.scalars(select(PostVersion)).all()
    assert (post.title, post.version, old.title, old.version) == ("Brand kl. 10", 2, "Brand kl. 9", 1)
    assert old.replaced_at == NOW + timedelta(minutes=5)


def test_only_new_and_changed_entries_are_to_be_written(engine, feed_id: int) -> None:
    store(engine, feed_id, [entry("a", "A"), entry("b", "B")])
    with read_session(engine) as session:
        todo = entries_to_write(session, "web", [entry("a", "A"), entry("b", "B2"), entry("c", "C")])
    assert [e.guid for e in todo] == ["b", "c"]


def test_versions_of_one_entry_are_bounded_per_day_and_counted(engine, feed_id: int) -> None:
    store(engine, feed_id, [entry("a", "v0")])
    for n in range(1, MAX_VERSIONS_PER_ENTRY_PER_DAY + 4):
        stats = store(engine, feed_id, [entry("a", f"v{n}")], NOW + timedelta(seconds=n))
    assert (stats.changed, stats.not_kept) == (0, 1)
    with read_session(engine) as session:
        feed = session.get(Feed, feed_id)
        assert feed is not None and churn_today(feed, NOW.date()) == (MAX_VERSIONS_PER_ENTRY_PER_DAY, 3)
        assert churn_today(feed, NOW.date() + timedelta(days=1)) == (0, 0)
        assert session.scalar(select(func.count(PostVersion.id))) == MAX_VERSIONS_PER_ENTRY_PER_DAY
    tomorrow = store(engine, feed_id, [entry("a", "next day")], NOW + timedelta(days=1))
    assert tomorrow.changed == 1


def record(engine: Engine, feed_id: int, result: FetchResult, **kwargs) -> Feed:  # type: ignore[no-untyped-def]
    with write_session(engine) as session:
        feed = session.get(Feed, feed_id)
        assert feed is not None
        record_fetch(session, feed, result, stamp=NOW, **kwargs)
    with read_session(engine) as session:
        feed = session.get(Feed, feed_id)
        assert feed is not None
        return feed


def test_a_success_adopts_validators_and_schedules_one_interval_ahead(engine, feed_id: int) -> None:
    body = b"<rss/>"
    ok = FetchResult(url="u", final_url="u", status=200, body=body, etag='"1"', last_modified="x")
    feed = record(engine, feed_id, ok, parsed=ParsedFeed(format="rss20", title="t", entries=[]))
    assert (feed.etag, feed.body_hash, feed.consecutive_failures) == ('"1"', body_hash(body), 0)
    assert feed.next_fetch_at == NOW + timedelta(seconds=60) and feed.last_success_at == NOW


@pytest.mark.parametrize(
    ("status", "retry_after", "failures_before", "delay"),
    [
        (500, None, 0, timedelta(seconds=60)),  # first failure: one interval
        (500, None, 3, timedelta(seconds=480)),  # doubling
        (500, None, 30, timedelta(hours=6)),  # capped
        (503, 600.0, 0, timedelta(seconds=600)),  # Retry-After honoured
        (503, 1e29, 0, timedelta(hours=24)),  # and bounded, whoever filled it in
        (503, float("inf"), 0, timedelta(seconds=60)),  # not a number of seconds: ignored
        (410, None, 0, timedelta(hours=24)),  # gone: dead, re-checked daily
    ],
)
def test_a_failure_backs_off_within_the_feed_s_longest_delay(
    engine, feed_id: int, status: int, retry_after: float | None, failures_before: int, delay: timedelta
) -> None:
    with write_session(engine) as session:
        feed = session.get(Feed, feed_id)
        assert feed is not None
        feed.consecutive_failures = failures_before
    failed = FetchResult(url="u", final_url="u", status=status, error=f"HTTP {status}", retry_after_s=retry_after)
    feed = record(engine, feed_id, failed)
    assert feed.next_fetch_at == NOW + delay <= NOW + longest_delay(feed)
    assert feed.last_error == f"HTTP {status}" and feed.dead == (status == 410)


def test_a_parse_error_forgets_validators_so_the_next_fetch_reads_afresh(engine, feed_id: int) -> None:
    ok = FetchResult(url="u", final_url="u", status=200, body=b"junk", etag='"1"')
    feed = record(engine, feed_id, ok, parse_error=FeedError("the response is an HTML page, not a feed"))
    assert (feed.etag, feed.body_hash, feed.consecutive_failures) == (None, None, 1)
    assert feed.last_error == "the response is an HTML page, not a feed"


def test_a_failure_that_could_not_be_stored_is_recorded_with_credentials_masked(engine, feed_id: int) -> None:
    result = FetchResult(url="u", final_url="u", status=200, body=b"<rss/>")
    with write_session(engine) as session:
        record_failure(
            session, feed_id, "store failure: ValueError: https://u:pw@x.example/rss", stamp=NOW, result=result
        )
    with read_session(engine) as session:
        feed = session.get(Feed, feed_id)
        assert feed is not None
    assert feed.last_error == "store failure: ValueError: https://***@x.example/rss"
    assert (feed.consecutive_failures, feed.next_fetch_at) == (1, NOW + timedelta(seconds=60))
