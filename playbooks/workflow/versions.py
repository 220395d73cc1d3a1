"""Which version of a message may go live: only the newest of its language, never one a newer version
(a revision, repeat or correction) replaced; and what can never go live once a version is published."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from playbooks.workflow.models import Message

# States of a version that has not gone live and never will once a newer one is published.
OBSOLETE = ("draft", "submitted", "approved")


def same_language(message: Message) -> Select[Message]:
    """The other messages of the incident in the message's language."""
    return select(Message).where(
        Message.incident_id == message.incident_id, Message.language == message.language, Message.id != message.id
    )


def stale_reason(session: Session, message: Message, step: str = "published") -> str | None:
    """Why the message can no longer be `step` (approved or published), or None. Only the newest version
    goes live: never a message older than one already published in its language, nor one with a newer
    version (a revision, repeat or correction of it) approved already."""
    newer = session.scalar(
        select(Message.id)
        .where(Message.incident_id == message.incident_id, Message.language == message.language,
               Message.id > message.id, Message.published_at.is_not(None))
        .order_by(Message.id.desc())
        .limit(1)
    )  # fmt: skip
    if newer is not None:
        return (
            f"message {message.id} cannot be {step}: the newer message {newer} was published in "
            f"{message.language!r} already (revise message {message.id} to publish its text as the newest version)"
        )
    for version in newer_versions(session, message.id):
        if version.state in ("approved", "published", "superseded"):
            return (
                f"message {message.id} cannot be {step}: its newer version {version.id} is {version.state} "
                f"(only the newest approved version can be published)"
            )
    return None


def newer_versions(session: Session, message_id: int) -> list[Message]:
    """Every revision, repeat or correction of the message, and theirs in turn."""
    found: list[Message] = []
    frontier = [message_id]
    while frontier:
        children = list(session.scalars(select(Message).where(Message.replaces_id.in_(frontier))))
        found.extend(children)
        frontier = [m.id for m in children]
    return found


def older_versions(session: Session, message: Message) -> list[Message]:
    """What can never go live once `message` is: the unpublished versions it replaces (however far back)
    and any approved message of its language older than it."""
    older: dict[int, Message] = {}
    replaced = message.replaces_id
    while replaced is not None:
        ancestor = session.get(Message, replaced)
        if ancestor is None:
            break
        if ancestor.state in OBSOLETE:
            older[ancestor.id] = ancestor
        replaced = ancestor.replaces_id
    for other in session.scalars(same_language(message).where(Message.id < message.id, Message.state == "approved")):
        older[other.id] = other
    return list(older.values())
