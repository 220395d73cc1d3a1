"""What the review reads about an incident: the small part (messages, approvals, flags, audit records) in
memory, the posts of its period as streams read in batches, so that a review of 1,000,000 posts does not
hold them all (issue 15)."""

from __future__ import annotations

import heapq
from array import array
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, String, and_, cast, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable

from core.clock import now
from playbooks.workflow.models import Approval, AuditRecord, Flag, Incident, Message
from sources.models import Account, Post, PostVersion

# Rows fetched per round trip: large enough to be quick, small enough that a batch stays a few MB.
BATCH = 2000
# The HTML review shows the first events of the timeline; the PDF and Markdown none of its posts.
HEAD = 500
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# Where a summary keeps what the written reviews show of the posts (a PostTimes); never part of review.json.
POST_TIMES = "_post_times"


class ReviewError(ValueError):
    pass


@dataclass
class Record:
    incident: Incident
    messages: list[Message]
    approvals: dict[int, Approval]
    flags: list[Flag]
    audit: list[AuditRecord]
    end: datetime

    def in_period(self) -> ColumnElement[bool]:
        """Posts published while the incident was open: the posts the review covers."""
        return and_(Post.published >= self.incident.opened_at, Post.published <= self.end)

    def its_flags(self) -> ColumnElement[bool]:
        # The incident's flags and those that belong to no incident (a look-alike account speaking in the
        # organisation's name) raised while it was open: they concern it too (issue 13).
        return or_(
            Flag.incident_id == self.incident.id,
            and_(Flag.incident_id.is_(None), Flag.created_at >= self.incident.opened_at, Flag.created_at <= self.end),
        )


def snapshot(session: Session) -> None:
    """Every query of `session` sees the same database, however long an export takes: on PostgreSQL one
    repeatable-read transaction; SQLite's read transaction (WAL) is a snapshot already."""
    if session.get_bind().dialect.name == "postgresql":
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})


def load(session: Session, incident_id: int) -> Record:
    incident = session.get(Incident, incident_id)
    if incident is None:
        raise ReviewError(f"no incident {incident_id}")
    end = incident.closed_at or now()
    msgs = list(session.scalars(select(Message).where(Message.incident_id == incident_id).order_by(Message.id)))
    approvals = {
        a.message_id: a for a in session.scalars(select(Approval).where(Approval.message_id.in_([m.id for m in msgs])))
    }
    record = Record(incident, msgs, approvals, [], [], end)
    record.flags = list(session.scalars(select(Flag).where(record.its_flags()).order_by(Flag.id)))
    # Only this incident's records, chosen by the database: the audit log spans every incident.
    message_ids = select(cast(Message.id, String)).where(Message.incident_id == incident_id)
    flag_ids = select(cast(Flag.id, String)).where(record.its_flags())
    record.audit = list(
        session.scalars(
            select(AuditRecord)
            .where(
                or_(
                    and_(AuditRecord.object_type == "incident", AuditRecord.object_id == str(incident_id)),
                    and_(AuditRecord.object_type == "message", AuditRecord.object_id.in_(message_ids)),
                    and_(AuditRecord.object_type == "flag", AuditRecord.object_id.in_(flag_ids)),
                )
            )
            .order_by(AuditRecord.seq)
        )
    )
    return record


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


_POST_COLUMNS = (Post.id, Post.account_id, Account.kind, Account.name, Post.guid, Post.link, Post.title, Post.text,
                 Post.author, Post.language, Post.published, Post.published_source, Post.fetched_at, Post.version,
                 Post.content_hash, Post.extra)  # fmt: skip


def _posts_query(record: Record) -> Select[Any]:
    return (
        select(*_POST_COLUMNS)
        .join(Account, Post.account_id == Account.id)
        .where(record.in_period())
        .order_by(Post.published, Post.id)
    )


def batched(session: Session, query: Executable) -> Iterator[Any]:
    """Rows in batches of BATCH (a server-side cursor on PostgreSQL): never the whole result at once."""
    result = session.execute(query.execution_options(yield_per=BATCH))
    try:
        yield from result
    finally:  # a reader that stops early (the timeline's head) frees the cursor now, not at collection
        result.close()


def post_dict(row: Any) -> dict[str, Any]:
    """A post as the JSON export, posts.csv and entries.jsonl give it."""
    return {"id": row.id, "account": row.account_id, "account_kind": row.kind, "account_name": row.name,
            "guid": row.guid, "link": row.link, "title": row.title, "text": row.text, "author": row.author,
            "language": row.language, "published": _iso(row.published), "published_source": row.published_source,
            "fetched": _iso(row.fetched_at), "version": row.version, "content_hash": row.content_hash,
            "extra": row.extra}  # fmt: skip


def posts(session: Session, record: Record) -> Iterator[dict[str, Any]]:
    """The posts of the period, oldest first (ties by id)."""
    for row in batched(session, _posts_query(record)):
        yield post_dict(row)


def flagged_posts(session: Session, record: Record) -> list[dict[str, Any]]:
    """Only the posts the incident's flags point at: what the PDF quotes beside each flag."""
    flagged = select(Flag.post_id).where(record.its_flags(), Flag.post_id.is_not(None))
    return [post_dict(row) for row in batched(session, _posts_query(record).where(Post.id.in_(flagged)))]


def post_versions(session: Session, record: Record) -> Iterator[dict[str, Any]]:
    """Earlier versions of the period's posts, by post and version."""
    query = (
        select(PostVersion.post_id, PostVersion.version, PostVersion.title, PostVersion.text, PostVersion.link,
               PostVersion.published, PostVersion.replaced_at)
        .join(Post, PostVersion.post_id == Post.id)
        .where(record.in_period())
        .order_by(PostVersion.post_id, PostVersion.version)
    )  # fmt: skip
    for v in batched(session, query):
        yield {"post_id": v.post_id, "version": v.version, "title": v.title, "text": v.text, "link": v.link,
               "published": _iso(v.published), "replaced_at": _iso(v.replaced_at)}  # fmt: skip


def other_events(record: Record) -> list[dict[str, Any]]:
    """Flags, triage, drafts, approvals and publications, in time order (kept as datetimes)."""
    events: list[dict[str, Any]] = []
    for flag in record.flags:
        events.append({"at": flag.created_at, "type": "flag", "account": None, "account_kind": None,
                       "summary": f"{flag.kind} ({flag.rule}) score {flag.score:.2f}", "ref": f"flag {flag.id}"})  # fmt: skip
    for r in record.audit:
        events.append({"at": r.at, "type": r.action, "account": r.actor, "account_kind": "user",
                       "summary": ", ".join(f"{k}={v}" for k, v in sorted(r.details.items()) if v is not None)[:200],
                       "ref": f"{r.object_type} {r.object_id}"})  # fmt: skip
    events.sort(key=lambda e: (e["at"], e["type"]))
    return events


def _post_events(session: Session, record: Record) -> Iterator[dict[str, Any]]:
    query = (
        select(Post.published, Post.account_id, Account.kind, Post.title, Post.text, Post.guid)
        .join(Account, Post.account_id == Account.id)
        .where(record.in_period())
        .order_by(Post.published, Post.id)
    )
    for published, account, kind, title, text, guid in batched(session, query):
        yield {"at": published, "type": "post", "account": account, "account_kind": kind,
               "summary": (title or text)[:200], "ref": guid}  # fmt: skip


def timeline(session: Session, record: Record) -> Generator[dict[str, Any]]:
    """Every post, flag, triage, draft, approval and publication, in time order: the posts come sorted from
    the database and are merged with the rest, the same order as sorting them all by (time, type) would
    give (heapq.merge is stable: for equal keys the posts, first argument, come first)."""
    for event in heapq.merge(_post_events(session, record), other_events(record), key=lambda e: (e["at"], e["type"])):
        event["at"] = event["at"].isoformat()
        yield event


def micros(moment: datetime) -> int:
    return (moment - EPOCH) // timedelta(microseconds=1)


def iso_of(value: int) -> str:
    """The instant `micros` made of an aware UTC datetime, written as that datetime's isoformat() was."""
    return (EPOCH + timedelta(microseconds=value)).isoformat()


@dataclass
class PostTimes:
    """What the written reviews show of the posts, without the posts: how many, when (microseconds since
    the epoch, 8 bytes a post), when the website ones, and the first events of the timeline."""

    count: int = 0
    at: array[int] = field(default_factory=lambda: array("q"))
    website: array[int] = field(default_factory=lambda: array("q"))
    head: list[dict[str, Any]] = field(default_factory=list)


def post_times(session: Session, record: Record) -> PostTimes:
    times = PostTimes()
    query = (
        select(Post.published, Account.kind)
        .join(Account, Post.account_id == Account.id)
        .where(record.in_period())
        .order_by(Post.published, Post.id)
    )
    for published, kind in batched(session, query):
        moment = micros(published)
        times.at.append(moment)
        if kind == "website":
            times.website.append(moment)
    times.count = len(times.at)
    stream = timeline(session, record)
    times.head = [event for _, event in zip(range(HEAD), stream, strict=False)]
    stream.close()
    return times


def post_count(session: Session, record: Record) -> int:
    return session.scalar(select(func.count(Post.id)).where(record.in_period())) or 0
