"""Which poller fetches which feed: due feeds are claimed with a lease (`SELECT … FOR UPDATE SKIP LOCKED`
on PostgreSQL), so several pollers on one database share the work, none fetches a feed twice in its
interval, and a killed poller's feeds are taken over when its lease lapses (at once if it is known dead)."""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, or_, select, update

from core.db import write_session
from sources import store
from sources.models import OFFICIAL_KINDS, PARTNER_KIND, Account, Feed, Organisation
from sources.urlguard import AddressPolicy

log = logging.getLogger("crisisdesk.poller")


def _gone(owner: str) -> bool:
    """Whether the poller that claimed a feed is known to be dead: a process of this host that no longer
    runs (a poller killed and restarted here need not wait for its old claims to lapse)."""
    host, _, rest = owner.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:  # alive, another user's
        return False
    try:  # killed but not yet reaped by its parent: a zombie fetches nothing
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False


@dataclass(frozen=True)
class DueFeed:
    id: int
    account_id: str
    url: str
    etag: str | None
    last_modified: str | None
    body_hash: str | None
    language_hint: str | None
    official: bool = False  # an official, alert or partner account: its own connection slots
    kind: str = ""
    platform: str = ""


def claim_due(
    engine: Engine,
    stamp: datetime,
    owner: str,
    lease_s: float,
    *,
    claim_limit: int | None = None,
    include_all: bool = False,
) -> tuple[list[DueFeed], AddressPolicy]:
    """The feeds to fetch at `stamp`, official and alert accounts first, and the address policy. Each
    is claimed for `owner` until `stamp` + `lease_s` (or until its outcome is stored): another poller on
    the same database skips it, and takes it over once the lease has lapsed.

    Due means next_fetch_at has come, or lies further ahead than the feed's longest delay (its
    interval, a day's backoff or Retry-After): only a clock that jumped and came back sets that,
    and believing it stopped all polling for as long as the jump.
    """
    with write_session(engine) as session:
        org = session.get(Organisation, 1)
        policy = AddressPolicy.from_strings(org.allow_networks if org else [])
        holders = session.scalars(select(Feed.lease_owner).where(Feed.lease_until > stamp).distinct())
        lapsed = [owner for owner in holders if owner and _gone(owner)]
        query = (
            select(Feed, Account.languages, Account.kind, Account.platform)
            .join(Account, Feed.account_id == Account.id)
            .where(or_(Feed.lease_until.is_(None), Feed.lease_until <= stamp, Feed.lease_owner.in_(lapsed)))
            # PostgreSQL: rows another poller is claiming are passed over, not waited for.
            .with_for_update(skip_locked=True, of=Feed)
        )
        if claim_limit is not None:  # leave the rest to the other pollers
            query = query.order_by(Account.kind.in_(OFFICIAL_KINDS).desc(), Feed.next_fetch_at, Feed.id).limit(
                claim_limit
            )
        if not include_all:
            query = query.where(or_(Feed.next_fetch_at <= stamp, Feed.next_fetch_at > stamp + store.LONGEST_DELAY))
        rows = [
            (f, langs, kind, platform)
            for f, langs, kind, platform in session.execute(query)
            if include_all or f.next_fetch_at <= stamp or f.next_fetch_at > stamp + store.longest_delay(f)
        ]
        until = stamp + timedelta(seconds=lease_s)
        for f, _, _, _ in rows:
            f.lease_owner, f.lease_until = owner, until
        due = [
            DueFeed(
                f.id,
                f.account_id,
                f.url,
                f.etag,
                f.last_modified,
                f.body_hash,
                langs[0] if langs else None,
                official=kind in OFFICIAL_KINDS or kind == PARTNER_KIND,
                kind=kind,
                platform=platform,
            )
            for f, langs, kind, platform in rows
        ]
    due.sort(key=lambda f: not f.official)  # stable: by schedule within each class
    return due, policy


def release(engine: Engine, owner: str) -> None:
    """Give up `owner`'s claims on feeds it did not get to store (a stop, not a crash)."""
    try:
        with write_session(engine) as session:
            session.execute(update(Feed).where(Feed.lease_owner == owner).values(lease_owner=None, lease_until=None))
    except Exception:  # the claims lapse by themselves
        log.exception("releasing this poller's feeds failed")
