"""Feed health (R13): is every account being read, and since when not?"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, select

from core.clock import now
from core.db import read_session
from sources.models import Account, Feed
from sources.redact import redact_text, redact_url

# A feed is stale once it has missed this many of its own intervals (and at least STALE_MIN).
STALE_INTERVALS = 3
STALE_MIN = timedelta(minutes=15)


@dataclass(frozen=True)
class FeedHealth:
    account: str
    kind: str
    url: str
    status: str  # ok | never | failing | stale | dead
    last_success: datetime | None
    last_error: str | None
    last_error_at: datetime | None
    consecutive_failures: int
    last_latency_ms: int | None
    next_fetch: datetime
    interval_s: int
    posts: int

    def as_dict(self) -> dict[str, object]:
        def iso(value: datetime | None) -> str | None:
            return value.isoformat() if value else None

        return {
            "account": self.account, "kind": self.kind, "url": self.url, "status": self.status,
            "last_success": iso(self.last_success), "last_error": self.last_error,
            "last_error_at": iso(self.last_error_at), "consecutive_failures": self.consecutive_failures,
            "last_latency_ms": self.last_latency_ms, "next_fetch": iso(self.next_fetch),
            "interval_s": self.interval_s, "posts": self.posts,
        }  # fmt: skip


def feed_health(engine: Engine, at: datetime | None = None) -> list[FeedHealth]:
    at = at or now()
    with read_session(engine) as session:
        rows = session.execute(select(Feed, Account.kind).join(Account).order_by(Account.kind, Account.id)).all()
        return [_health(feed, kind, at) for feed, kind in rows]


def _health(feed: Feed, kind: str, at: datetime) -> FeedHealth:
    interval = feed.effective_interval_s
    stale_after = max(timedelta(seconds=interval * STALE_INTERVALS), STALE_MIN)
    if feed.dead:
        status = "dead"
    elif feed.consecutive_failures:
        status = "failing"
    elif feed.last_success_at is None:
        status = "never"
    elif at - feed.last_success_at > stale_after:
        status = "stale"
    else:
        status = "ok"
    return FeedHealth(
        account=feed.account_id, kind=kind, url=redact_url(feed.url) or "", status=status,
        last_success=feed.last_success_at, last_error=redact_text(feed.last_error), last_error_at=feed.last_error_at,
        consecutive_failures=feed.consecutive_failures, last_latency_ms=feed.last_latency_ms,
        next_fetch=feed.next_fetch_at, interval_s=interval, posts=feed.entries_stored,
    )  # fmt: skip
