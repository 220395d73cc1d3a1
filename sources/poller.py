"""The poller: fetch due feeds concurrently, store what changed, record health. Safe to kill anywhere.

Fetch state is committed in the same transaction as the posts it led to, so after a crash either both
are there or neither is, and the next pass fetches again (insert-or-ignore makes that harmless).
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from core.clock import now
from core.db import exclusive, read_session, write_session
from sources import leases, ninadetails, partners
from sources.entries import FeedError, ParsedFeed, normalise
from sources.fetch import Fetcher, FetchResult, FetchSettings, FetchSlots
from sources.leases import DueFeed
from sources.models import PARTNER_KIND, Feed
from sources.parse import parse_feed
from sources.redact import redact_text
from sources.store import StoreStats, body_hash, entries_to_write, record_failure, record_fetch, store_entries
from sources.urlguard import AddressPolicy

log = logging.getLogger("crisisdesk.poller")

# Seconds a claimed feed stays this poller's at least (see Poller.lease_s).
LEASE_S = 120.0
# The advisory lock under which one poller at a time runs the end-of-pass work.
END_OF_PASS_LOCK = 0x63726973  # "cris"

# Called inside the storing transaction with the new and changed posts of one feed: how the
# playbooks' checks run on every new post without `sources` knowing about them.
AfterStore = Callable[[Session, str, StoreStats], None]


def crash_point(name: str) -> None:
    """Fault injection for the crash tests: CRISISDESK_CRASH_AT=NAME SIGKILLs the poller right here
    (after_fetch, mid_batch, before_commit, after_commit). Unset in production, it costs one lookup."""
    if os.environ.get("CRISISDESK_CRASH_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)


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
    # A partner feed's further documents (NINA: each warning's details and area), by "json:{id}" / "geojson:{id}".
    details: dict[str, bytes] = field(default_factory=dict)
    detail_notes: list[str] = field(default_factory=list)
    # A detail could not be fetched: the dashboard's validators and hash are not kept, so that the next
    # pass reads it afresh and fetches the missing details again instead of waiting for the dashboard to change.
    details_missing: bool = False


def describe(exc: BaseException) -> str:
    """An exception as one line for feed health: its type and the start of its message."""
    message = (redact_text(" ".join(str(exc).split())) or "")[:200]
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


class Poller:
    """Fetches due feeds and stores what they say. Every failure of one feed, whatever its type and
    wherever it happens (fetch, parse, normalise, store, checks, fetch state), becomes that feed's
    health record; the other feeds of the pass are stored and the pass completes."""

    def __init__(
        self,
        engine: Engine,
        *,
        settings: FetchSettings | None = None,
        after_store: AfterStore | None = None,
        after_pass: Callable[[], object] | None = None,
        lease_s: float | None = None,
        claim_limit: int | None = None,
    ) -> None:
        self.engine = engine
        self.settings = settings or FetchSettings()
        self.after_store = after_store
        # Run at the end of every pass (e.g. time-based checks) without `sources` knowing what it does;
        # by one poller at a time of those sharing the database.
        self.after_pass = after_pass
        # A claimed feed is this poller's until its outcome is stored or this many seconds have passed:
        # longer than a fetch may take (its deadline) and the storing after it.
        self.lease_s = lease_s if lease_s is not None else max(LEASE_S, 3 * self.settings.deadline_s)
        # At most this many feeds claimed per look for due feeds (None: all that are due), so that several
        # pollers on one database share the work rather than the first one taking it all.
        self.claim_limit = claim_limit
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"

    def due(self, stamp: datetime, *, include_all: bool = False) -> tuple[list[DueFeed], AddressPolicy]:
        """The feeds to fetch at `stamp`, claimed for this poller (see `leases.claim_due`)."""
        return leases.claim_due(
            self.engine, stamp, self.owner, self.lease_s, claim_limit=self.claim_limit, include_all=include_all
        )

    async def run_once(self, *, include_all: bool = False) -> PollReport:
        """One pass over the feeds that are due (or all of them)."""
        feeds, policy = self.due(now(), include_all=include_all)
        report = PollReport(feeds=len(feeds))
        try:
            if feeds:
                await self._pass(feeds, policy, report, FetchSlots(self.settings))
        finally:
            self._after_pass()
        return report

    async def _pass(
        self,
        feeds: list[DueFeed],
        policy: AddressPolicy,
        report: PollReport,
        slots: FetchSlots,
        busy: set[int] | None = None,
    ) -> None:
        """Fetch `feeds` and store each batch of responses as it arrives. `busy` holds the ids of feeds
        in flight; each leaves it once its outcome is stored (or the pass is cancelled)."""
        pending: set[asyncio.Task[_Outcome]] = set()
        try:
            async with Fetcher(policy, self.settings, slots=slots) as fetcher:
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
                    if busy is not None:
                        busy.difference_update(o.feed.id for o in batch)
        finally:
            for task in pending:  # cancelled (stop, Ctrl-C): what was not stored stays due
                task.cancel()
            if busy is not None:
                busy.difference_update(f.id for f in feeds)

    def _after_pass(self) -> None:
        if self.after_pass is None:
            return
        try:
            with exclusive(self.engine, END_OF_PASS_LOCK) as mine:
                if mine:  # else another poller is doing it right now
                    self.after_pass()
        except Exception:  # a failing hook must not stop the polling
            log.exception("after-pass hook failed")

    def release(self) -> None:
        """Give up this poller's claims on feeds it did not get to store (a stop, not a crash)."""
        leases.release(self.engine, self.owner)

    async def run_forever(self, tick_s: float, *, stop: asyncio.Event | None = None, include_all: bool = False) -> None:
        """Every `tick_s`, start a pass over the feeds that are due and not already in flight.

        Passes overlap: a pass waiting for a hanging feed holds back nobody else, and the feeds it
        waits for are not fetched twice at once. All passes share one set of connection slots, so
        the per-host and overall limits hold across them.
        """
        stop = stop or asyncio.Event()
        slots = FetchSlots(self.settings)
        busy: set[int] = set()
        passes: set[asyncio.Task[None]] = set()
        try:
            while not stop.is_set():
                started = time.monotonic()
                try:
                    feeds, policy = self.due(now(), include_all=include_all)
                    feeds = [feed for feed in feeds if feed.id not in busy]
                    if feeds:
                        busy.update(feed.id for feed in feeds)
                        task = asyncio.create_task(self._logged_pass(feeds, policy, slots, busy), name="poll pass")
                        passes.add(task)
                        task.add_done_callback(passes.discard)
                    else:
                        self._after_pass()  # time-based checks run on every quiet tick too
                except Exception:  # the poller must outlive any single bad tick
                    log.exception("looking for due feeds failed; retrying next tick")
                remaining = tick_s - (time.monotonic() - started)
                if remaining > 0:
                    try:
                        await asyncio.wait_for(stop.wait(), timeout=remaining)
                    except TimeoutError:
                        pass
        finally:
            for task in passes:
                task.cancel()
            await asyncio.gather(*passes, return_exceptions=True)
            self.release()

    async def _logged_pass(
        self, feeds: list[DueFeed], policy: AddressPolicy, slots: FetchSlots, busy: set[int]
    ) -> None:
        report = PollReport(feeds=len(feeds))
        try:
            await self._pass(feeds, policy, report, slots, busy)
            log.info(
                "polled %d feeds: %d new, %d changed, %d not modified, %d failing",
                report.feeds, report.new_posts, report.changed_posts,
                report.not_modified + report.same_body, len(report.failures),
            )  # fmt: skip
        except asyncio.CancelledError:
            raise
        except Exception:  # the poller must outlive any single bad pass
            log.exception("poll pass failed; its feeds are due again")
        finally:
            self._after_pass()

    async def _fetch(self, fetcher: Fetcher, feed: DueFeed) -> _Outcome:
        try:
            result = await fetcher.fetch(
                feed.url, etag=feed.etag, last_modified=feed.last_modified, official=feed.official
            )
        except Exception as exc:  # Fetcher.fetch promises not to raise; should it, it is still this feed's
            log.exception("fetching %s failed", feed.account_id)
            result = FetchResult(url=feed.url, final_url=feed.url, error=f"fetch failure: {describe(exc)}")
            result.received_at = time.monotonic()
        outcome = _Outcome(feed=feed, result=result)
        if feed.kind == PARTNER_KIND and feed.platform == "nina":
            try:
                details = await ninadetails.fetch_details(fetcher, feed.url, outcome.result, feed.body_hash)
                outcome.details, outcome.detail_notes = details.bodies, details.notes
                outcome.details_missing = details.missing
            except Exception as exc:  # a hostile dashboard is this feed's health record, never the pass's end
                log.exception("fetching the warning details of %s failed", feed.account_id)
                outcome.details.clear()
                outcome.details_missing = True
                outcome.detail_notes.append(f"warning details not fetched: {describe(exc)}")
        return outcome

    def _ingest(self, batch: list[_Outcome]) -> PollReport:
        stamp = now()
        crash_point("after_fetch")
        # Parse and clean outside the write transaction: it is the CPU-heavy part, and the database
        # is locked for every other writer while that transaction is open.
        for outcome in batch:
            self._prepare(outcome, stamp)
        report = PollReport(fetched=len(batch))
        try:
            with write_session(self.engine) as session:
                # One look-up for the batch's feeds, not one per feed: each is a round trip during which
                # the event loop (and every fetch in flight) waits.
                feeds = {f.id: f for f in session.scalars(select(Feed).where(Feed.id.in_([o.feed.id for o in batch])))}
                for index, outcome in enumerate(batch):
                    self._store_one(session, outcome, stamp, report, feeds.get(outcome.feed.id))
                    if index == len(batch) // 2:
                        crash_point("mid_batch")
                crash_point("before_commit")
        except Exception:
            # The batch's transaction itself failed (a lost connection, a failed commit): nothing of it
            # was stored. Each feed then gets a transaction of its own, so that one cannot cost the others.
            log.exception("storing a batch of %d feeds failed; storing them one by one", len(batch))
            report = PollReport(fetched=len(batch))
            for outcome in batch:
                self._store_alone(outcome, stamp, report)
        crash_point("after_commit")
        committed = time.monotonic()
        report.commit_latencies.extend(
            committed - o.result.received_at for o in batch if o.parsed is not None and o.parsed.entries
        )
        return report

    def _prepare(self, outcome: _Outcome, stamp: datetime) -> None:
        """Parse the body and clean every entry that will be written. Never raises."""
        body = outcome.result.body
        if outcome.result.error or outcome.result.status != 200 or body is None:
            return
        try:
            if outcome.feed.body_hash is not None and body_hash(body) == outcome.feed.body_hash:
                outcome.unchanged_body = True  # same document under a new ETag: nothing to parse
                return
            if outcome.feed.kind == PARTNER_KIND:
                parsed = partners.parse_partner(
                    outcome.feed.platform,
                    body,
                    fetched_at=stamp,
                    language_hint=outcome.feed.language_hint,
                    details=outcome.details,
                )
                parsed.notes[:0] = outcome.detail_notes
                outcome.details = {}  # parsed: the bodies need not stay in memory
            else:
                parsed = parse_feed(body, fetched_at=stamp, language_hint=outcome.feed.language_hint)
            # Entries already stored with the same hash are not cleaned at all; the others are cleaned here.
            with read_session(self.engine) as session:
                normalise(entries_to_write(session, outcome.feed.account_id, parsed.entries))
            outcome.parsed = parsed
        except FeedError as exc:
            outcome.parse_error = exc
        except Exception as exc:  # a parser bug must be a health record, not a dead poller
            log.exception("parsing %s failed", outcome.feed.account_id)
            outcome.parse_error = FeedError(f"parser failure: {describe(exc)}")

    def _store_one(
        self, session: Session, outcome: _Outcome, stamp: datetime, report: PollReport, loaded: Feed | None = None
    ) -> None:
        """Store one feed's outcome (its row `loaded` already, or looked up here) in a savepoint of the
        batch's transaction. Never raises for the feed's own faults: they roll back its savepoint and
        become its health record."""
        account_id = outcome.feed.account_id
        if outcome.parsed is None:
            # Nothing of the feed's own to write (not modified, the same body, or a failure): only its
            # fetch state, which cannot fail on the feed's data, so no savepoint (two round trips) for it.
            # Should the batch's commit fail all the same, every feed is stored again on its own.
            feed = loaded or session.get(Feed, outcome.feed.id)
            if feed is not None:  # else removed while we fetched
                record_fetch(session, feed, outcome.result, stamp=stamp, parse_error=outcome.parse_error)
                if outcome.details_missing:
                    feed.etag = feed.last_modified = feed.body_hash = None
                self._count(outcome, None, report)
            return
        try:
            with session.begin_nested():
                feed = loaded or session.get(Feed, outcome.feed.id)
                if feed is None:  # removed while we fetched
                    return
                stats = store_entries(session, feed, outcome.parsed.entries, stamp)
                if outcome.feed.kind == PARTNER_KIND:
                    feed.listed = [entry.guid for entry in outcome.parsed.entries]
                if self.after_store is not None and (stats.new_post_ids or stats.changed_post_ids):
                    self.after_store(session, account_id, stats)
                record_fetch(
                    session,
                    feed,
                    outcome.result,
                    stamp=stamp,
                    parsed=outcome.parsed,
                    parse_error=outcome.parse_error,
                    stats=stats,
                )
                if outcome.details_missing:
                    feed.etag = feed.last_modified = feed.body_hash = None
                session.flush()
        except Exception as exc:  # one feed's bad data must not cost the others their batch
            log.exception("storing %s failed", account_id)
            self._record_failure(session, outcome, f"store failure: {describe(exc)}", stamp, report)
            return
        self._count(outcome, stats, report)

    def _record_failure(
        self, session: Session, outcome: _Outcome, error: str, stamp: datetime, report: PollReport
    ) -> None:
        outcome.parsed, outcome.parse_error = None, FeedError(error)
        report.failures[outcome.feed.account_id] = error
        try:
            with session.begin_nested():
                record_failure(session, outcome.feed.id, error, stamp=stamp, result=outcome.result)
        except Exception:  # not even the failure could be written: the feed stays due, the pass goes on
            log.exception("recording the failure of %s failed", outcome.feed.account_id)

    def _store_alone(self, outcome: _Outcome, stamp: datetime, report: PollReport) -> None:
        try:
            with write_session(self.engine) as session:
                self._store_one(session, outcome, stamp, report)
        except Exception as exc:  # the database itself refuses: say so for this feed and go on
            log.exception("storing %s failed", outcome.feed.account_id)
            report.failures[outcome.feed.account_id] = f"store failure: {describe(exc)}"

    @staticmethod
    def _count(outcome: _Outcome, stats: StoreStats | None, report: PollReport) -> None:
        result = outcome.result
        error = result.error or (str(outcome.parse_error) if outcome.parse_error else None)
        if error:
            report.failures[outcome.feed.account_id] = error
        elif result.not_modified:
            report.not_modified += 1
        elif outcome.unchanged_body:
            report.same_body += 1
        if stats:
            report.new_posts += stats.new
            report.changed_posts += stats.changed
