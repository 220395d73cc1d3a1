"""R4 without the incident's history: which official social posts carry an approved message the website has
not carried within the grace period, worked out from what changed since the sweep last ran.

A social post's answer can change only when (a) it is new or changed, (b) its grace period ends, (c) a
message approved at or before its publication is new (it may carry that one instead), or (d) a website
post that carried its message changed. The sweep examines those posts and no others. Website copies of
each approved message are worked out once: for a new approval against the website's posts, for a new or
changed website post against the approved messages (`WebsiteCopy`). New website posts need no re-check
of decided social posts: a further copy never raises a flag.

Everything here reads; the sweep writes what it returns in one short transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from playbooks.checks.matching import Copy, website_copy
from playbooks.workflow import website
from playbooks.workflow.models import Approval, Message, SweepQueue, WebsiteCopy
from sources.models import Account, Post

_APPROVED: dict[tuple[int, datetime, str, str | None], website.Approved] = {}
_CHUNK = 500


def approved(session: Session, incident_id: int) -> list[website.Approved]:
    """The incident's approved messages, oldest approval first, each split into words and facts once per
    process. An approved text never changes, but one process may read several desks (the evaluation, the
    tests), where message 1 approved at 10:00 is another text: the text is part of the key."""
    found = []
    for mid, text, lang, at in session.execute(
        select(Message.id, Message.text, Message.language, Approval.approved_at)
        .join(Approval, Approval.message_id == Message.id)
        .where(Message.incident_id == incident_id)
        .order_by(Approval.approved_at, Message.id)
    ):
        key = (mid, at, text, lang)
        if key not in _APPROVED:
            if len(_APPROVED) > 10_000:
                _APPROVED.clear()
            _APPROVED[key] = website.Approved.of(mid, text, lang, at)
        found.append(_APPROVED[key])
    return website.in_order(found)


def website_copy_missing(
    social_published: datetime,
    message: website.Approved,
    website_copies: list[Copy],
    grace: timedelta,
    at: datetime,
) -> dict[str, Any] | None:
    """R4 for one social post carrying one approved message: the evidence if no website post carried the
    message within the grace period, else None."""
    if at - social_published <= grace:
        return None
    copy = website.first_website_copy(message, website_copies)
    if copy is not None and copy.published <= social_published + grace:
        return None
    late = website.first_website_copy(message, website_copies, not_before=social_published + grace)
    return evidence(social_published, grace, at, late.published if late else None)


def evidence(social_published: datetime, grace: timedelta, at: datetime, late: datetime | None) -> dict[str, Any]:
    """What an R4 flag shows: when the social post went out, the grace, the wait, any late website copy."""
    return {
        "social_post_published": social_published.isoformat(), "grace_minutes": int(grace.total_seconds() // 60),
        "waited_minutes": int((at - social_published).total_seconds() // 60),
        "website_copy": late.isoformat() if late else None,
    }  # fmt: skip


@dataclass
class Queued:
    """The queued posts of one sweep, by kind: id → published."""

    queue_ids: list[int] = field(default_factory=list)
    social: dict[int, datetime] = field(default_factory=dict)
    website: dict[int, datetime] = field(default_factory=dict)


def read_queue(session: Session) -> Queued:
    queued = Queued()
    rows = session.execute(
        select(SweepQueue.id, Post.id, Post.published, Account.kind)
        .join(Post, Post.id == SweepQueue.post_id)
        .join(Account, Account.id == Post.account_id)
    )
    for queue_id, post_id, published, kind in rows:
        queued.queue_ids.append(queue_id)
        (queued.social if kind == "social" else queued.website)[post_id] = published
    return queued


@dataclass
class IncidentParity:
    """What one incident's R4 sweep found: flags to raise and the index rows to replace."""

    findings: list[tuple[int, int, dict[str, Any]]] = field(default_factory=list)  # (post, message, evidence)
    messages: set[int] = field(default_factory=set)  # the incident's approved messages
    messages_reindexed: set[int] = field(default_factory=set)  # every row of these messages is replaced
    posts_reindexed: set[int] = field(default_factory=set)  # these website posts' rows are replaced
    copies_added: list[dict[str, Any]] = field(default_factory=list)
    examined: int = 0  # social posts compared (what the tests and the bench count)
    indexed: int = 0  # (message, website post) pairs compared


def _website_posts(session: Session, since: datetime, ids: Iterable[int] | None = None) -> list[tuple[int, Copy]]:
    query = (
        select(Post.id, Post.title, Post.text, Post.published)
        .join(Account, Post.account_id == Account.id)
        .where(Account.kind == "website", Post.published >= since)
    )
    if ids is None:
        return [(pid, _copy(title, text, published)) for pid, title, text, published in session.execute(query)]
    found: list[tuple[int, Copy]] = []
    wanted = list(ids)
    for start in range(0, len(wanted), _CHUNK):
        part = query.where(Post.id.in_(wanted[start : start + _CHUNK]))
        found.extend((pid, _copy(title, text, published)) for pid, title, text, published in session.execute(part))
    return found


def _copy(title: str, text: str, published: datetime) -> Copy:
    return website_copy(title, text, published)


def sweep_incident(
    session: Session,
    *,
    opened_at: datetime,
    grace: timedelta,
    messages: list[website.Approved],
    new_messages: set[int] | None,
    swept_at: datetime | None,
    queued: Queued,
    at: datetime,
) -> IncidentParity:
    """R4 for one incident. `new_messages` None (or `swept_at` None, or a clock gone back) means a full
    sweep: the incident has not been swept since this revision."""
    result = IncidentParity()
    if not messages:
        return result
    full = new_messages is None or swept_at is None or at < swept_at
    by_id = {m.id: m for m in messages}
    fresh = set(by_id) if full else (new_messages or set()) & set(by_id)
    result.messages, result.messages_reindexed = set(by_id), fresh
    result.posts_reindexed = set(queued.website)
    old = [mid for mid in by_id if mid not in fresh]
    # Index rows worked out in this sweep, by message: every row of a fresh message, and the rows of
    # the queued website posts for the others. The stored rows of those posts are replaced.
    added: dict[int, list[datetime]] = {mid: [] for mid in by_id}
    # (d) changed website posts: social posts that leaned on their old rows are examined again.
    changed_since: datetime | None = None
    queued_site = list(queued.website)
    for start in range(0, len(queued_site), _CHUNK):
        for published in session.scalars(
            select(WebsiteCopy.published).where(
                WebsiteCopy.post_id.in_(queued_site[start : start + _CHUNK]), WebsiteCopy.message_id.in_(old)
            )
        ):
            changed_since = published if changed_since is None else min(changed_since, published)
    texts: dict[int, Copy] = {}
    if fresh:  # new approvals against every website post of the incident
        texts.update(_website_posts(session, opened_at))
        for pid, copy in texts.items():
            for mid in fresh:
                result.indexed += 1
                if website.carries(copy, by_id[mid]):
                    added[mid].append(copy.published)
                    result.copies_added.append({"message_id": mid, "post_id": pid, "published": copy.published})
    if old and queued.website:  # new or changed website posts against the messages indexed before
        texts.update(_website_posts(session, opened_at, [pid for pid in queued.website if pid not in texts]))
        for pid in queued.website:
            site = texts.get(pid)
            if site is None:  # published before the incident opened: no copy of its messages
                continue
            for mid in old:
                result.indexed += 1
                if website.carries(site, by_id[mid]):
                    added[mid].append(site.published)
                    result.copies_added.append({"message_id": mid, "post_id": pid, "published": site.published})

    def earliest(mid: int, not_before: datetime | None = None) -> datetime | None:
        """When the website first carried the message (at or after `not_before`): the index as it will be."""
        found = [p for p in added[mid] if not_before is None or p >= not_before]
        if mid not in fresh:
            query = select(WebsiteCopy.published, WebsiteCopy.post_id).where(WebsiteCopy.message_id == mid)
            if not_before is not None:
                query = query.where(WebsiteCopy.published >= not_before)
            query = query.order_by(WebsiteCopy.published).limit(len(queued.website) + 1)
            found.extend([p for p, pid in session.execute(query) if pid not in queued.website][:1])
        return min(found, default=None)

    # The social posts whose answer can have changed (see the module's doc).
    query = (
        select(Post.id, Post.title, Post.text, Post.published)
        .join(Account, Post.account_id == Account.id)
        .where(Account.kind == "social", Post.published >= opened_at)
    )
    if full:
        rows = list(session.execute(query))
    else:
        assert swept_at is not None
        since = [swept_at - grace]  # (b) grace periods ending since the last sweep
        since += [by_id[mid].approved_at for mid in fresh]  # (c)
        if changed_since is not None:
            since.append(changed_since - grace)  # (d)
        rows = list(session.execute(query.where(Post.published >= min(since))))
        seen = {row[0] for row in rows}
        ids = [pid for pid in queued.social if pid not in seen]  # (a)
        for start in range(0, len(ids), _CHUNK):
            rows.extend(session.execute(query.where(Post.id.in_(ids[start : start + _CHUNK]))))
    rows.sort(key=lambda row: (row[3], row[0]))
    first_copy: dict[int, datetime | None] = {}
    for post_id, title, text, published in rows:
        result.examined += 1
        post = website.SocialPost.of(post_id, "", title, text, published)
        message = website.carried_message(post, messages)
        if message is None or at - published <= grace:
            continue
        if message.id not in first_copy:
            first_copy[message.id] = earliest(message.id)
        first = first_copy[message.id]
        if first is not None and first <= published + grace:
            continue
        late = earliest(message.id, published + grace)
        result.findings.append((post_id, message.id, evidence(published, grace, at, late)))
    return result


def enqueue(session: Session, account_kind: str | None, post_ids: list[int], at: datetime) -> None:
    """In the storing transaction: the official social and website posts the next sweep must look at."""
    if account_kind in ("social", "website") and post_ids:
        session.execute(insert(SweepQueue), [{"post_id": pid, "queued_at": at} for pid in post_ids])


def write(session: Session, found: IncidentParity) -> None:
    """Replace the index rows the sweep worked out again (in the sweep's short write transaction)."""
    if found.messages_reindexed:
        session.execute(delete(WebsiteCopy).where(WebsiteCopy.message_id.in_(list(found.messages_reindexed))))
    posts = list(found.posts_reindexed)
    for start in range(0, len(posts), _CHUNK):
        session.execute(
            delete(WebsiteCopy).where(
                WebsiteCopy.post_id.in_(posts[start : start + _CHUNK]), WebsiteCopy.message_id.in_(list(found.messages))
            )
        )
    if found.copies_added:
        session.execute(insert(WebsiteCopy), found.copies_added)


def consume(session: Session, queue_ids: list[int]) -> None:
    for start in range(0, len(queue_ids), _CHUNK):
        session.execute(delete(SweepQueue).where(SweepQueue.id.in_(queue_ids[start : start + _CHUNK])))
