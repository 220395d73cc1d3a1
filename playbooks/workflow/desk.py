"""What the desk's pages read, as queries the command line can run too: the post stream with its filters
done by the database, the approval queue with the checks each message stored when it was submitted, and
the approved messages that can answer a flag."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, exists, func, or_, select

from core.db import read_session
from playbooks.workflow import audit, cadence
from playbooks.workflow.flags import FlagView
from playbooks.workflow.messages import pending_repeat
from playbooks.workflow.models import Approval, Flag, Incident, Message
from playbooks.workflow.versions import stale_reason
from sources.models import Account, Post

STREAM_ROWS = 25
SEARCH_ROWS = 200


@dataclass(frozen=True)
class StreamPost:
    account: str
    kind: str
    language: str | None
    published: datetime
    title: str
    text: str


def stream(engine: Engine, *, kinds: Collection[str] = (), languages: Collection[str] = (),
           flagged_only: bool = False, limit: int = STREAM_ROWS) -> list[StreamPost]:  # fmt: skip
    """The newest posts, of the given account kinds and languages (any when empty), only flagged ones if
    asked."""
    query = (
        select(Post.account_id, Account.kind, Post.language, Post.published, Post.title, Post.text)
        .join(Account, Post.account_id == Account.id)
        .order_by(Post.published.desc(), Post.id.desc())
        .limit(limit)
    )
    if kinds:
        query = query.where(Account.kind.in_(list(kinds)))
    if languages:
        query = query.where(Post.language.in_(list(languages)))
    if flagged_only:
        query = query.where(exists().where(Flag.post_id == Post.id))
    with read_session(engine) as session:
        return [StreamPost(*row) for row in session.execute(query)]


@dataclass(frozen=True)
class Waiting:
    """A message waiting for a lead (submitted) or for publication (approved), with what a lead needs."""

    incident: Incident
    message: Message
    current: Message | None  # the live message of its language, to show what changes
    warnings: list[str]  # the pre-approval checks stored when it was submitted
    lix: float
    stale: str | None  # why it can no longer be approved or published, if so


def approval_queue(engine: Engine) -> list[Waiting]:
    """Submitted and approved messages of the open incidents, oldest first."""
    with read_session(engine) as session:
        rows = session.execute(
            select(Message, Incident)
            .join(Incident, Message.incident_id == Incident.id)
            .where(Incident.closed_at.is_(None), Message.state.in_(("submitted", "approved")))
            .order_by(Message.id)
        ).all()
        live = {
            (m.incident_id, m.language): m
            for m in session.scalars(
                select(Message).where(
                    Message.state == "published", Message.incident_id.in_({incident.id for _, incident in rows})
                )
            )
        }
        return [
            Waiting(
                incident=incident, message=message, current=live.get((message.incident_id, message.language)),
                warnings=list(message.checks.get("warnings", [])), lix=float(message.checks.get("lix", 0.0)),
                stale=stale_reason(session, message, "approved" if message.state == "submitted" else "published"),
            )
            for message, incident in rows
        ]  # fmt: skip


def unsubmitted(engine: Engine) -> list[tuple[Incident, Message]]:
    """Drafts of the open incidents that were never submitted (a revision or a correction started and
    left, a draft saved from the command line), oldest first: a lead sees them, their author can submit
    or withdraw them."""
    with read_session(engine) as session:
        rows = session.execute(
            select(Incident, Message)
            .join(Incident, Message.incident_id == Incident.id)
            .where(Incident.closed_at.is_(None), Message.state == "draft")
            .order_by(Message.id)
        ).all()
        return [(incident, message) for incident, message in rows]


def answers(engine: Engine, incident_id: int) -> list[Message]:
    """The incident's approved messages (approved, published or superseded since): what can answer a rumour."""
    with read_session(engine) as session:
        return list(
            session.scalars(
                select(Message)
                .join(Approval, Approval.message_id == Message.id)
                .where(Message.incident_id == incident_id, Message.state.in_(("approved", "published", "superseded")))
                .order_by(Message.id)
            )
        )


@dataclass(frozen=True)
class DueUpdate:
    """R3 for a lead: an incident's website update, what Repeat would submit again, and what is underway."""

    due: cadence.Due
    text: str | None  # the text a repeat submits again (the live message), exactly
    language: str | None
    published_at: datetime | None  # when that text went on the official crisis feed
    waiting_repeat: int | None  # a repeat of it already on its way to approval or publication
    copy_pending: bool  # published after the website's last update: the update counts once the website carries it


def due_updates(engine: Engine) -> list[DueUpdate]:
    """The open incidents whose website update is due or overdue, with the live message a repeat would
    send again, a repeat already underway, and whether the website copy of a newer publication is pending."""
    found = []
    for row in cadence.due(engine):
        if row.status == "ok":
            continue
        live: Message | None = None
        waiting = None
        with read_session(engine) as session:
            if row.repeat_candidate is not None:
                live = session.get(Message, row.repeat_candidate)
                waiting = pending_repeat(session, row.repeat_candidate)
            opened = session.scalar(select(Incident.opened_at).where(Incident.id == row.incident))
        published = live.published_at if live is not None else None
        since = row.last_website_update or opened
        pending = published is not None and since is not None and published > since
        found.append(DueUpdate(row, live.text if live else None, live.language if live else None, published,
                               waiting, pending))  # fmt: skip
    return found


@dataclass(frozen=True)
class Version:
    """A message that reached the public, as a lead reads its history (R8): what replaced it, if anything."""

    message: Message
    replaced_by: int | None  # the message published in its place (a correction, revision or repeat)
    replaced_kind: str | None  # "correction" when it was corrected


def published_history(engine: Engine, incident_id: int) -> list[Version]:
    """Every message of the incident that was published, newest first; a corrected one stays on record,
    linked to its correction (R8: shown struck through, never deleted)."""
    with read_session(engine) as session:
        rows = list(
            session.scalars(
                select(Message)
                .where(Message.incident_id == incident_id, Message.published_at.is_not(None))
                .order_by(Message.published_at.desc(), Message.id.desc())
            )
        )
        kinds = {m.id: m.kind for m in rows}
        return [
            Version(m, m.superseded_by_id, kinds.get(m.superseded_by_id) if m.superseded_by_id else None) for m in rows
        ]


# --- an analyst's own flags, their history, and the post search (issue 13) ----------------------------


def find_flags(engine: Engine, *, person: str | None = None, relation: str = "all", kinds: Collection[str] = (),
               statuses: Collection[str] = (), incident: int | None = None,
               limit: int = SEARCH_ROWS) -> list[FlagView]:  # fmt: skip
    """Flags newest first, filtered in the database: `relation` "assigned" (assigned to `person`, whatever
    became of them since, unless escalated), "escalated" (escalated to `person`) or "all"; of the given kinds and statuses (any when empty); of one
    incident, with the flags that belong to none (a look-alike account), or of every incident."""
    query = (
        select(Flag, Post.account_id, Account.kind, Post.guid, Post.link, Post.published, Post.title, Post.text)
        .join(Post, Flag.post_id == Post.id)
        .join(Account, Post.account_id == Account.id)
        .order_by(Flag.created_at.desc(), Flag.id.desc())
        .limit(limit)
    )
    if relation in ("assigned", "escalated"):
        query = query.where(Flag.assigned_to == person)
    if relation == "escalated":
        query = query.where(Flag.status == "escalated")
    elif relation == "assigned":
        query = query.where(Flag.status != "escalated")
    if kinds:
        query = query.where(Flag.kind.in_(list(kinds)))
    if statuses:
        query = query.where(Flag.status.in_(list(statuses)))
    if incident is not None:
        query = query.where(or_(Flag.incident_id == incident, Flag.incident_id.is_(None)))
    with read_session(engine) as session:
        return [FlagView(*row) for row in session.execute(query)]


@dataclass(frozen=True)
class Step:
    """One thing a person did with a flag, from the audit trail."""

    at: datetime
    by: str
    action: str  # assign, escalate, dismiss, resolve
    to: str | None
    reason: str | None
    message: int | None


def flag_history(engine: Engine, flag_id: int) -> list[Step]:
    """Who did what with the flag and when, oldest first (the audit trail is the record)."""
    return [
        Step(r.at, r.actor, r.action.removeprefix("flag."), r.details.get("to"), r.details.get("reason"),
             r.details.get("message"))
        for r in audit.records(engine, object_type="flag", object_id=str(flag_id))
    ]  # fmt: skip


def _contains(column: Any, words: str) -> Any:
    """Case-insensitive 'contains', with the search's own % and _ taken literally. SQLite lowers ASCII
    only: the words as typed match too, so 'Östmark' finds 'Östmark' on both databases."""
    literal = words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return or_(func.lower(column).like(f"%{literal.lower()}%", escape="\\"), column.like(f"%{literal}%", escape="\\"))


def search_posts(engine: Engine, *, account: str = "", text: str = "", since: datetime | None = None,
                 until: datetime | None = None, limit: int = SEARCH_ROWS) -> list[StreamPost]:  # fmt: skip
    """Posts newest first whose account (id or name) and text (or title) contain the words given, published
    between `since` and `until` (either may be open). A NUL typed into the words is dropped: no stored text
    holds one, and PostgreSQL refuses it in a parameter."""
    account, text = account.replace("\x00", ""), text.replace("\x00", "")
    query = (
        select(Post.account_id, Account.kind, Post.language, Post.published, Post.title, Post.text)
        .join(Account, Post.account_id == Account.id)
        .order_by(Post.published.desc(), Post.id.desc())
        .limit(limit)
    )
    if account.strip():
        query = query.where(or_(_contains(Post.account_id, account.strip()), _contains(Account.name, account.strip())))
    if text.strip():
        query = query.where(or_(_contains(Post.text, text.strip()), _contains(Post.title, text.strip())))
    if since is not None:
        query = query.where(Post.published >= since)
    if until is not None:
        query = query.where(Post.published <= until)
    with read_session(engine) as session:
        return [StreamPost(*row) for row in session.execute(query)]
