"""Writing a fetch's outcome: posts and the feed's fetch state in one transaction, idempotently.

Idempotent because the poller may die anywhere: a re-run of the same fetch inserts nothing twice
(unique (account, guid), insert-or-ignore) and a concurrent poller's update is detected by version.

Bounded: a changed entry keeps its replaced version (R8, R14), but at most
MAX_VERSIONS_PER_ENTRY_PER_DAY of one entry and MAX_VERSIONS_PER_FEED_PER_DAY of one feed are kept in a
(UTC) day. A change past either bound is not stored at all, so that every text the desk showed stays
in the record; it is counted, shown in feed health, and stored when the next day's fetch sees it.
A feed flipping 1,000 entries between two texts used to add about 5 MB at every poll.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from sources.entries import Entry, FeedError, ParsedFeed, normalise
from sources.fetch import FetchResult
from sources.models import Feed, Post, PostVersion
from sources.redact import redact_text

MAX_BACKOFF = timedelta(hours=6)
DEAD_RECHECK = timedelta(hours=24)
MAX_RETRY_AFTER = timedelta(hours=24)
DEAD_AFTER_NOT_FOUND = 3
# Every delay the poller sets is at most a feed's own interval or this (a dead feed's daily re-check,
# the longest Retry-After honoured): a schedule further ahead comes from a clock that moved.
LONGEST_DELAY = max(MAX_BACKOFF, DEAD_RECHECK, MAX_RETRY_AFTER)
MAX_VERSIONS_PER_ENTRY_PER_DAY = 100
MAX_VERSIONS_PER_FEED_PER_DAY = 1_000
_CHUNK = 200


@dataclass
class StoreStats:
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    not_kept: int = 0  # changed entries past the day's bound on versions: not stored
    new_post_ids: list[int] = field(default_factory=list)
    changed_post_ids: list[int] = field(default_factory=list)


def longest_delay(feed: Feed) -> timedelta:
    """The furthest ahead the poller ever schedules this feed's next fetch."""
    return max(timedelta(seconds=feed.effective_interval_s), LONGEST_DELAY)


def churn_today(feed: Feed, day: date) -> tuple[int, int]:
    """(versions kept, changed entries not kept) of `feed` on `day`."""
    if feed.churn_day != day:
        return 0, 0
    return feed.versions_today, feed.changes_dropped_today


def body_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def insert_ignoring_conflicts(session: Session, model: Any, rows: list[dict[str, Any]], keys: list[str]) -> list[int]:
    """INSERT … ON CONFLICT DO NOTHING on both supported databases; the ids of the rows inserted."""
    inserted: list[int] = []
    if not rows:
        return inserted
    # Core executemany: one cached statement, batched by SQLAlchemy's insertmanyvalues; the ORM's
    # multi-VALUES path recompiles per batch size and costs more than feedparser's parse.
    statement = _insert_ignoring(session.get_bind().dialect.name == "postgresql", model.__table__, tuple(keys))
    inserted.extend(session.connection().execute(statement, rows).scalars())
    return inserted


@cache
def _insert_ignoring(postgres: bool, table: Any, keys: tuple[str, ...]) -> Any:
    module = postgresql if postgres else sqlite
    return module.insert(table).on_conflict_do_nothing(index_elements=list(keys)).returning(table.c.id)


# Built once: building the statement and its cache key anew cost twice its execution, for every feed.
_STORED = select(Post.guid, Post.id, Post.content_hash, Post.version).where(
    Post.account_id == bindparam("account_id"), Post.guid.in_(bindparam("guids", expanding=True))
)


def _stored(session: Session, account_id: str, guids: list[str]) -> dict[str, tuple[int, str, int]]:
    """guid → (post id, content hash, version) of the posts of `account_id` among `guids`."""
    existing: dict[str, tuple[int, str, int]] = {}
    for start in range(0, len(guids), _CHUNK):
        rows = session.execute(_STORED, {"account_id": account_id, "guids": guids[start : start + _CHUNK]})
        existing.update({guid: (pid, chash, version) for guid, pid, chash, version in rows})
    return existing


def entries_to_write(session: Session, account_id: str, entries: list[Entry]) -> list[Entry]:
    """The entries that storing would write (new guids, changed content): the ones worth cleaning first,
    outside the write transaction. The others are already stored as they are."""
    existing = _stored(session, account_id, [e.guid for e in entries])
    return [e for e in entries if (found := existing.get(e.guid)) is None or found[1] != e.content_hash]


def store_entries(session: Session, feed: Feed, entries: list[Entry], fetched_at: datetime) -> StoreStats:
    """New guids become posts; a changed entry updates its post and keeps the replaced version, within
    the day's bounds on versions (see the module's doc). Counts the feed's churn of the day."""
    stats = StoreStats()
    account_id = feed.account_id
    by_guid = {e.guid: e for e in entries}
    existing = _stored(session, account_id, list(by_guid))
    fresh: list[Entry] = []
    changed: list[tuple[Entry, int, int]] = []
    for guid, entry in by_guid.items():
        found = existing.get(guid)
        if found is None:
            fresh.append(entry)
        elif found[1] == entry.content_hash:
            stats.unchanged += 1
        else:
            changed.append((entry, found[0], found[2]))
    normalise([*fresh, *(entry for entry, _, _ in changed)])
    if changed:
        _store_changes(session, feed, changed, fetched_at, stats)
    rows = [_post_row(account_id, entry, fetched_at) for entry in fresh]
    stats.new_post_ids = insert_ignoring_conflicts(session, Post, rows, ["account_id", "guid"])
    stats.new = len(stats.new_post_ids)
    return stats


def _store_changes(
    session: Session, feed: Feed, changed: list[tuple[Entry, int, int]], fetched_at: datetime, stats: StoreStats
) -> None:
    day = fetched_at.astimezone(UTC).date()
    if feed.churn_day != day:
        feed.churn_day, feed.versions_today, feed.changes_dropped_today = day, 0, 0
    kept_today = _versions_since(session, [post_id for _, post_id, _ in changed], datetime.combine(day, time(), UTC))
    for entry, post_id, version in changed:
        if (
            feed.versions_today >= MAX_VERSIONS_PER_FEED_PER_DAY
            or kept_today.get(post_id, 0) >= MAX_VERSIONS_PER_ENTRY_PER_DAY
        ):
            stats.not_kept += 1
            continue
        if _replace(session, post_id, version, entry, fetched_at):
            stats.changed += 1
            stats.changed_post_ids.append(post_id)
            feed.versions_today += 1
            kept_today[post_id] = kept_today.get(post_id, 0) + 1
    feed.changes_dropped_today += stats.not_kept


def _versions_since(session: Session, post_ids: list[int], since: datetime) -> dict[int, int]:
    """post id → versions of it replaced since `since` (index on post_versions.post_id)."""
    counts: dict[int, int] = {}
    for start in range(0, len(post_ids), _CHUNK):
        rows = session.execute(
            select(PostVersion.post_id, func.count(PostVersion.id))
            .where(PostVersion.post_id.in_(post_ids[start : start + _CHUNK]), PostVersion.replaced_at >= since)
            .group_by(PostVersion.post_id)
        )
        counts.update({post_id: count for post_id, count in rows})
    return counts


def _post_row(account_id: str, entry: Entry, fetched_at: datetime) -> dict[str, Any]:
    n = entry.normalised()
    return {
        "account_id": account_id, "guid": entry.guid, "link": n.link, "title": n.title,
        "text": n.text, "author": n.author, "language": n.language,
        "published": n.published, "published_source": n.published_source,
        "fetched_at": fetched_at, "updated_at": fetched_at, "content_hash": entry.content_hash,
        "version": 1, "extra": n.extra,
    }  # fmt: skip


def _replace(session: Session, post_id: int, version: int, entry: Entry, fetched_at: datetime) -> bool:
    old = session.get(Post, post_id)
    if old is None:
        return False
    snapshot = {
        "post_id": post_id, "version": version, "link": old.link, "title": old.title, "text": old.text,
        "author": old.author, "published": old.published, "content_hash": old.content_hash,
        "extra": old.extra, "replaced_at": fetched_at,
    }  # fmt: skip
    # Compare-and-set on version: a concurrent poller that already replaced this post wins.
    result = session.execute(
        update(Post)
        .where(Post.id == post_id, Post.version == version)
        .values(
            link=entry.link,
            title=entry.title,
            text=entry.text,
            author=entry.author,
            language=entry.language,
            published=entry.published,
            published_source=entry.published_source,
            content_hash=entry.content_hash,
            version=version + 1,
            extra=entry.extra,
            updated_at=fetched_at,
        )
        .execution_options(synchronize_session=False)
    )
    if getattr(result, "rowcount", 0) != 1:
        return False
    insert_ignoring_conflicts(session, PostVersion, [snapshot], ["post_id", "version"])
    session.expire(old)
    return True


def record_fetch(
    session: Session,
    feed: Feed,
    result: FetchResult,
    *,
    stamp: datetime,
    parsed: ParsedFeed | None = None,
    parse_error: FeedError | None = None,
    stats: StoreStats | None = None,
) -> None:
    """Fetch state and health after one attempt; schedules the next one (and ends the poller's lease)."""
    feed.lease_owner = feed.lease_until = None
    feed.last_fetch_at = stamp
    feed.last_status = result.status
    feed.last_latency_ms = result.latency_ms
    interval = timedelta(seconds=feed.effective_interval_s)
    error = result.error or (str(parse_error) if parse_error else None)
    if error is None:
        feed.last_success_at = stamp
        feed.consecutive_failures = 0
        feed.dead = False
        feed.next_fetch_at = stamp + interval
        if stats and stats.not_kept:
            # Changes were left unstored: the document must be read again in full (no 304, no "same
            # body"), so that they are stored once the day's bound allows.
            feed.etag = feed.last_modified = feed.body_hash = None
        elif result.status == 200 and result.body is not None:
            feed.etag, feed.last_modified = result.etag, result.last_modified
            feed.body_hash = body_hash(result.body)
        notes = list(parsed.notes) if parsed else []
        if stats and stats.not_kept:
            notes.append(
                f"churn: {feed.changes_dropped_today} changed entries not kept today; at most "
                f"{MAX_VERSIONS_PER_ENTRY_PER_DAY} versions of an entry and {MAX_VERSIONS_PER_FEED_PER_DAY} of "
                "a feed are kept a day"
            )
        if notes:
            feed.last_error, feed.last_error_at = "; ".join(notes), stamp
        if stats:
            feed.entries_stored += stats.new
        return
    _schedule_failure(feed, error, stamp, result)
    if parse_error is not None:
        # Forget validators and hash so the next attempt reads the document afresh, never "unchanged".
        feed.etag = feed.last_modified = feed.body_hash = None


def record_failure(session: Session, feed_id: int, error: str, *, stamp: datetime, result: FetchResult) -> None:
    """The failure of a feed whose outcome could not be stored: its error, a backoff, and validators
    forgotten so that the next attempt reads the document afresh."""
    feed = session.get(Feed, feed_id)
    if feed is None:
        return
    feed.lease_owner = feed.lease_until = None
    feed.last_fetch_at = stamp
    feed.last_status = result.status
    feed.last_latency_ms = result.latency_ms
    _schedule_failure(feed, error, stamp, result)
    feed.etag = feed.last_modified = feed.body_hash = None


def _schedule_failure(feed: Feed, error: str, stamp: datetime, result: FetchResult) -> None:
    feed.last_error, feed.last_error_at = (redact_text(error) or "")[:2000], stamp
    feed.consecutive_failures += 1
    if result.status == 410 or (result.status == 404 and feed.consecutive_failures >= DEAD_AFTER_NOT_FOUND):
        feed.dead = True  # kept with its posts and shown in health; re-checked daily
        feed.next_fetch_at = stamp + DEAD_RECHECK
        return
    interval = timedelta(seconds=feed.effective_interval_s)
    backoff = min(interval * (2 ** min(feed.consecutive_failures - 1, 10)), max(MAX_BACKOFF, interval))
    wait = result.retry_after_s
    if wait is not None and math.isfinite(wait) and wait > 0:  # bounded here too, whoever filled it in
        backoff = max(backoff, timedelta(seconds=min(wait, MAX_RETRY_AFTER.total_seconds())))
    feed.next_fetch_at = stamp + backoff
