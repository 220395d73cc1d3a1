"""Feed health (R13): is every account being read, on time, and since when not?"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select

from core.clock import now
from core.db import read_session
from sources.models import Account, Feed
from sources.redact import redact_text, redact_url
from sources.store import churn_today, longest_delay

# A feed is stale once it has missed this many of its own intervals (and at least STALE_MIN).
STALE_INTERVALS = 3
STALE_MIN = timedelta(minutes=15)
# A fetch recorded further ahead than this was stamped by a clock that has since moved back.
CLOCK_TOLERANCE = timedelta(minutes=5)


@dataclass(frozen=True)
class FeedHealth:
    account: str
    kind: str
    url: str  # credentials masked
    status: str  # ok | never | failing | stale | dead
    last_success: datetime | None
    last_error: str | None
    last_error_at: datetime | None
    consecutive_failures: int
    last_latency_ms: int | None
    next_fetch: datetime
    interval_s: int
    posts: int
    # Why the feed is stale: not polled in time, or a schedule or fetch time that only a clock step explains.
    reason: str | None = None
    versions_today: int = 0  # churn: versions of this feed's posts kept today (UTC), bounded per day
    changes_not_kept_today: int = 0  # changed entries past that bound, not stored today

    def as_dict(self) -> dict[str, object]:
        def iso(value: datetime | None) -> str | None:
            return value.isoformat() if value else None

        return {
            "account": self.account, "kind": self.kind, "url": self.url, "status": self.status,
            "reason": self.reason, "last_success": iso(self.last_success), "last_error": self.last_error,
            "last_error_at": iso(self.last_error_at), "consecutive_failures": self.consecutive_failures,
            "last_latency_ms": self.last_latency_ms, "next_fetch": iso(self.next_fetch),
            "interval_s": self.interval_s, "posts": self.posts, "versions_today": self.versions_today,
            "changes_not_kept_today": self.changes_not_kept_today,
        }  # fmt: skip


def feed_health(engine: Engine, at: datetime | None = None) -> list[FeedHealth]:
    at = at or now()
    with read_session(engine) as session:
        rows = session.execute(select(Feed, Account.kind).join(Account).order_by(Account.kind, Account.id)).all()
        return [_health(feed, kind, at) for feed, kind in rows]


def lateness(feed: Feed, at: datetime) -> str | None:
    """Why `feed` is not being polled in time at `at`, or None when it is."""
    interval = feed.effective_interval_s
    grace = max(timedelta(seconds=interval * STALE_INTERVALS), STALE_MIN)
    ahead = feed.next_fetch_at - at
    if ahead > longest_delay(feed):
        return (
            f"next fetch scheduled {_span(ahead)} ahead, beyond this feed's longest delay of "
            f"{_span(longest_delay(feed))}: the clock moved; the poller fetches it at its next pass"
        )
    if feed.last_fetch_at is not None and feed.last_fetch_at - at > CLOCK_TOLERANCE:
        return f"last fetched {_span(feed.last_fetch_at - at)} in the future: the clock moved"
    if at - feed.next_fetch_at > grace:
        return (
            f"due since {feed.next_fetch_at.isoformat()}, not polled for {_span(at - feed.next_fetch_at)}: "
            "is the poller running?"
        )
    return None


def _health(feed: Feed, kind: str, at: datetime) -> FeedHealth:
    interval = feed.effective_interval_s
    stale_after = max(timedelta(seconds=interval * STALE_INTERVALS), STALE_MIN)
    reason = lateness(feed, at)
    if feed.dead:
        status, reason = "dead", None
    elif reason is not None:
        status = "stale"
    elif feed.consecutive_failures:
        status = "failing"
    elif feed.last_success_at is None:
        status = "never"
    elif at - feed.last_success_at > stale_after:
        status, reason = "stale", f"no successful fetch since {feed.last_success_at.isoformat()}"
    else:
        status = "ok"
    versions, not_kept = churn_today(feed, at.astimezone(UTC).date())
    return FeedHealth(
        account=feed.account_id, kind=kind, url=redact_url(feed.url) or "", status=status,
        last_success=feed.last_success_at, last_error=redact_text(feed.last_error), last_error_at=feed.last_error_at,
        consecutive_failures=feed.consecutive_failures, last_latency_ms=feed.last_latency_ms,
        next_fetch=feed.next_fetch_at, interval_s=interval, posts=feed.entries_stored, reason=reason,
        versions_today=versions, changes_not_kept_today=not_kept,
    )  # fmt: skip


def _span(delta: timedelta) -> str:
    """A duration as h:mm:ss, with days when there are any ("30 days, 0:01:00")."""
    return str(timedelta(seconds=int(delta.total_seconds())))
