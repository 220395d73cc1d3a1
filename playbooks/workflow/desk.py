"""What the desk's pages read, as queries the command line can run too: the post stream with its filters
done by the database, the approval queue with the checks each message stored when it was submitted, and
the approved messages that can answer a flag."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, exists, select

from core.db import read_session
from playbooks.workflow.messages import stale_reason
from playbooks.workflow.models import Approval, Flag, Incident, Message
from sources.models import Account, Post

STREAM_ROWS = 25


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
