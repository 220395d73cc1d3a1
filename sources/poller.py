"""The poller: fetch due feeds concurrently, store what changed, record health. Safe to kill anywhere.

Fetch state is committed in the same transaction as the posts it led to, so after a crash either both
are there or neither is, and the next pass fetches again (insert-or-ignore makes that harmless).
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from core.clock import now
from core.db import write_session
from sources.entries import FeedError, ParsedFeed
from sources.fetch import DEFAULT_DEADLINE_S, DEFAULT_MAX_BYTES, Fetcher, FetchResult
from sources.models import Account, Feed, Organisation
from sources.parse import parse_feed
from sources.store import StoreStats, body_hash, record_fetch, store_entries
from sources.urlguard import AddressPolicy

log = logging.getLogger("crisisdesk.poller")

# Called inside the storing transaction with the new and changed posts of one feed: how the
# playbooks' checks run on every new post without `sources` knowing about them.
AfterStore = Callable[[Session, str, StoreStats], None]


def crash_point(name: str) -> None:
    """Fault injection for the crash tests: CRISISDESK_CRASH_AT=NAME SIGKILLs the poller right here
    (after_fetch, mid_batch, before_commit, after_commit). Unset in production, it costs one lookup."""
    if os.environ.get("CRISISDESK_CRASH_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)


@dataclass(frozen=True)
class DueFeed:
    id: int
    account_id: str
    url: str
    etag: str | None
    last_modified: str | None
    body_hash: str | None
    language_hint: str | None


@dataclass
class PollReport:
    feeds: int = 0
    fetched: int = 0
    not_modified: int = 0
    same_body: int = 0
    new_posts: int = 0
    changed_posts: int = 0
    failures: dict[str, str] = field(default_factory=dict)
    # Seconds from a complete response to the commit of what it contained, per changed feed.
    commit_latencies: list[float] = field(default_factory=list)

    def add(self, other: PollReport) -> None:
        for name in ("feeds", "fetched", "not_modified", "same_body", "new_posts", "changed_posts"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.failures.update(other.failures)
        self.commit_latencies.extend(other.commit_latencies)


@dataclass
class _Outcome:
    feed: DueFeed
    result: FetchResult
    parsed: ParsedFeed | None = None
    parse_error: FeedError | None = None
    unchanged_body: bool = False


class Poller:
    def __init__(
        self,
        engine: Engine,
        *,
        concurrency: int = 32,
        per_host: int = 4,
        deadline_s: float = DEFAULT_DEADLINE_S,
        max_bytes: int = DEFAULT_MAX_BYTES,
        after_store: AfterStore | None = None,
        after_pass: Callable[[], object] | None = None,
    ) -> None:
        self.engine = engine
        self.concurrency = concurrency
        self.per_host = per_host
        self.deadline_s = deadline_s
        self.max_bytes = max_bytes
        self.after_store = after_store
        # Run at the end of every pass (e.g. time-based checks) without `sources` knowing what it does.
        self.after_pass = after_pass

    def due(self, stamp: datetime, *, include_all: bool = False) -> tuple[list[DueFeed], AddressPolicy]:
        with Session(self.engine) as session:
            org = session.get(Organisation, 1)
            policy = AddressPolicy.from_strings(org.allow_networks if org else [])
            query = (
                select(Feed, Account.languages)
                .join(Account, Feed.account_id == Account.id)
                .order_by(Feed.next_fetch_at)
            )
            if not include_all:
                query = query.where(Feed.next_fetch_at <= stamp)
            due = [
                DueFeed(f.id, f.account_id, f.url, f.etag, f.last_modified, f.body_hash, langs[0] if langs else None)
                for f, langs in session.execute(query)
            ]
        return due, policy

    async def run_once(self, *, include_all: bool = False) -> PollReport:
        """One pass over the feeds that are due (or all of them)."""
        feeds, policy = self.due(now(), include_all=include_all)
        report = PollReport(feeds=len(feeds))
        if not feeds:
            self._after_pass()
            return report
        async with Fetcher(
            policy,
            concurrency=self.concurrency,
            per_host=self.per_host,
            deadline_s=self.deadline_s,
            max_bytes=self.max_bytes,
        ) as fetcher:
            pending = {
                asyncio.create_task(self._fetch(fetcher, feed), name=f"fetch {feed.account_id}") for feed in feeds
            }
            while pending:
                done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
                # Everything that finished meanwhile is stored in one transaction: fewer commits under load.
                batch = [task.result() for task in done]
                # Inline, not in a thread: storing is what the fetched data waits for, and a thread
                # would compete for the GIL with hundreds of fetch callbacks (measured: p95
                # response-to-commit 1.5 s in a thread at 1,000 feeds, see docs/performance.md).
                report.add(self._ingest(batch))
        self._after_pass()
        return report

    def _after_pass(self) -> None:
        if self.after_pass is None:
            return
        try:
            self.after_pass()
        except Exception:  # a failing hook must not stop the polling
            log.exception("after-pass hook failed")

    async def run_forever(self, tick_s: float, *, stop: asyncio.Event | None = None, include_all: bool = False) -> None:
        stop = stop or asyncio.Event()
        while not stop.is_set():
            started = time.monotonic()
            try:
                report = await self.run_once(include_all=include_all)
                if report.feeds:
                    log.info(
                        "polled %d feeds: %d new, %d changed, %d not modified, %d failing",
                        report.feeds, report.new_posts, report.changed_posts,
                        report.not_modified + report.same_body, len(report.failures),
                    )  # fmt: skip
            except Exception:  # the poller must outlive any single bad pass
                log.exception("poll pass failed; retrying next tick")
            remaining = tick_s - (time.monotonic() - started)
            if remaining > 0:
                try:
                    await asyncio.wait_for(stop.wait(), timeout=remaining)
                except TimeoutError:
                    pass

    async def _fetch(self, fetcher: Fetcher, feed: DueFeed) -> _Outcome:
        result = await fetcher.fetch(feed.url, etag=feed.etag, last_modified=feed.last_modified)
        return _Outcome(feed=feed, result=result)

    def _ingest(self, batch: list[_Outcome]) -> PollReport:
        report = PollReport(fetched=len(batch))
        stamp = now()
        crash_point("after_fetch")
        for outcome in batch:  # parse outside the write transaction: it is the CPU-heavy part
            body = outcome.result.body
            if outcome.result.error or outcome.result.status != 200 or body is None:
                continue
            if outcome.feed.body_hash is not None and body_hash(body) == outcome.feed.body_hash:
                outcome.unchanged_body = True  # same document under a new ETag: nothing to parse
                continue
            try:
                outcome.parsed = parse_feed(body, fetched_at=stamp, language_hint=outcome.feed.language_hint)
            except FeedError as exc:
                outcome.parse_error = exc
            except Exception as exc:  # a parser bug must be a health record, not a dead poller
                log.exception("parser failed on %s", outcome.feed.url)
                outcome.parse_error = FeedError(f"parser failure: {type(exc).__name__}: {str(exc)[:200]}")
        with write_session(self.engine) as session:
            for index, outcome in enumerate(batch):
                self._store_one(session, outcome, stamp, report)
                if index == len(batch) // 2:
                    crash_point("mid_batch")
            crash_point("before_commit")
        crash_point("after_commit")
        committed = time.monotonic()
        report.commit_latencies.extend(
            committed - o.result.received_at for o in batch if o.parsed is not None and o.parsed.entries
        )
        return report

    def _store_one(self, session: Session, outcome: _Outcome, stamp: datetime, report: PollReport) -> None:
        feed = session.get(Feed, outcome.feed.id)
        if feed is None:  # removed while we fetched
            return
        result, stats = outcome.result, None
        try:
            with session.begin_nested():
                if outcome.parsed is not None:
                    stats = store_entries(session, feed.account_id, outcome.parsed.entries, stamp)
                    if self.after_store is not None and (stats.new_post_ids or stats.changed_post_ids):
                        self.after_store(session, feed.account_id, stats)
        except Exception as exc:  # one feed's bad data must not cost the others their batch
            log.exception("storing %s failed", feed.account_id)
            outcome.parse_error, stats = (
                FeedError(f"store failure: {type(exc).__name__}: {str(exc)[:200]}"),
                None,
            )
            outcome.parsed = None
        record_fetch(
            session,
            feed,
            result,
            stamp=stamp,
            parsed=outcome.parsed,
            parse_error=outcome.parse_error,
            stats=stats,
        )
        error = result.error or (str(outcome.parse_error) if outcome.parse_error else None)
        if error:
            report.failures[feed.account_id] = error
        elif result.not_modified:
            report.not_modified += 1
        elif outcome.unchanged_body:
            report.same_body += 1
        if stats:
            report.new_posts += stats.new
            report.changed_posts += stats.changed
