"""The stored shape of the workflow: users, incidents, messages, approvals, publications, the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from sources.models import Base

ROLES = ("analyst", "lead", "reviewer", "admin")
PHASES = ("acute", "recovery")
MESSAGE_KINDS = ("update", "repeat", "correction")
MESSAGE_STATES = ("draft", "submitted", "approved", "rejected", "published", "superseded", "withdrawn")
_LIVE = text("state = 'published'")


def _one_of(column: str, values: tuple[str, ...], name: str) -> CheckConstraint:
    """The database refuses any value the code does not know (one list, used by both)."""
    return CheckConstraint(f"{column} IN ({', '.join(repr(v) for v in values)})", name=name)


class User(Base):
    __tablename__ = "users"
    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str | None] = mapped_column(String(300))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    language: Mapped[str] = mapped_column(String(10), default="en")
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Stockholm")
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    __table_args__ = (_one_of("role", ROLES, "ck_users_role"),)


class Incident(Base):
    __tablename__ = "incidents"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    playbook: Mapped[str] = mapped_column(String(100))
    phase: Mapped[str] = mapped_column(String(20), default="acute")
    keywords: Mapped[list[str]] = mapped_column(default=list)
    # Minutes between website updates, overriding the playbook's cadence for every phase.
    cadence_override: Mapped[int | None] = mapped_column(Integer)
    exercise: Mapped[bool] = mapped_column(Boolean, default=False)
    opened_by: Mapped[str] = mapped_column(ForeignKey("users.name"))
    opened_at: Mapped[datetime]
    closed_by: Mapped[str | None] = mapped_column(ForeignKey("users.name"))
    closed_at: Mapped[datetime | None]

    __table_args__ = (_one_of("phase", PHASES, "ck_incidents_phase"),)

    @property
    def open(self) -> bool:
        return self.closed_at is None


class Message(Base):
    """One version of a crisis message. A revision or a correction is a new row linked to the one it
    replaces; nothing published is ever deleted (R8)."""

    __tablename__ = "messages"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="update")
    state: Mapped[str] = mapped_column(String(20), default="draft")
    language: Mapped[str] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(Text)
    text_hash: Mapped[str] = mapped_column(String(64))
    author: Mapped[str] = mapped_column(ForeignKey("users.name"))
    created_at: Mapped[datetime]
    submitted_at: Mapped[datetime | None]
    # The message this one replaces once published: a revision, a repeat or a correction of it.
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"))
    rejected_reason: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[datetime | None]
    published_by: Mapped[str | None] = mapped_column(ForeignKey("users.name"))
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"))
    checks: Mapped[dict[str, Any]] = mapped_column(default=dict)

    __table_args__ = (
        # Lets approvals reference (message, author) so the database itself can forbid self-approval.
        UniqueConstraint("id", "author", name="uq_messages_id_author"),
        _one_of("state", MESSAGE_STATES, "ck_messages_state"),
        _one_of("kind", MESSAGE_KINDS, "ck_messages_kind"),
        # Exactly one live version per incident and language: the database refuses a second, whatever
        # the service did (and two concurrent publications of one language give one).
        Index("uq_messages_one_live", "incident_id", "language", unique=True, sqlite_where=_LIVE,
              postgresql_where=_LIVE),
    )  # fmt: skip


class Approval(Base):
    """A lead's approval of the exact text of one message (four eyes: never the author's)."""

    __tablename__ = "approvals"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[int] = mapped_column(Integer, unique=True)
    author: Mapped[str] = mapped_column(String(100))
    approver: Mapped[str] = mapped_column(ForeignKey("users.name"))
    text_hash: Mapped[str] = mapped_column(String(64))
    approved_at: Mapped[datetime]

    __table_args__ = (
        ForeignKeyConstraint(
            ["message_id", "author"], ["messages.id", "messages.author"], name="fk_approvals_message_author"
        ),
        CheckConstraint("approver <> author", name="ck_approvals_four_eyes"),
    )


class AuditRecord(Base):
    """Append-only, hash-chained (R15). The database refuses UPDATE and DELETE on this table."""

    __tablename__ = "audit_log"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(50))
    object_type: Mapped[str] = mapped_column(String(50))
    object_id: Mapped[str] = mapped_column(String(200))
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditCheckpoint(Base):
    """The chain's head after a record, signed with the desk's key (kept outside the database).

    Written in the same transaction as the record it covers; append-only like the chain. A record
    appended without the key has no checkpoint; records cut off the end leave the newest checkpoint
    (here, and the copy beside the key) naming a head the chain no longer reaches.
    """

    __tablename__ = "audit_checkpoints"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    head: Mapped[str] = mapped_column(String(64))
    key_id: Mapped[str] = mapped_column(String(16))
    signature: Mapped[str] = mapped_column(String(100))


FLAG_KINDS = ("rumour", "inconsistent", "unrouted", "missing_on_website", "impersonation", "contradicts_partner")
FLAG_STATES = ("open", "assigned", "escalated", "dismissed", "resolved")


class Flag(Base):
    """What a check found, with the evidence a person can read (R1, R2, R4, R5) and its triage (R6, R7)."""

    __tablename__ = "flags"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # One flag per finding however often the checks re-run: kind, post, incident (and message for R4).
    dedupe_key: Mapped[str] = mapped_column(String(300), unique=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    rule: Mapped[str] = mapped_column(String(10))
    score: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id"), index=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"), index=True)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"))
    evidence: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(index=True)
    updated_at: Mapped[datetime]
    assigned_to: Mapped[str | None] = mapped_column(ForeignKey("users.name"))
    first_triage_at: Mapped[datetime | None]
    triaged_by: Mapped[str | None] = mapped_column(ForeignKey("users.name"))
    answer_message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"))
    reason: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        _one_of("kind", FLAG_KINDS, "ck_flags_kind"),
        _one_of("status", FLAG_STATES, "ck_flags_status"),
    )


class SweepQueue(Base):
    """Official social and website posts new or changed since the end-of-pass sweep last ran: written by the
    poller's hook in the transaction that stores them (an insert per post), read and deleted by the sweep,
    so that the sweep examines what changed, not the incident's history (issue 15)."""

    __tablename__ = "sweep_queue"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"))
    queued_at: Mapped[datetime]


class WebsiteCopy(Base):
    """A website post that carries an approved message (R4): worked out once per message and website post,
    when either is new (or the post changed), instead of comparing every pair on every sweep."""

    __tablename__ = "website_copies"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"))
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"), index=True)
    published: Mapped[datetime]

    __table_args__ = (
        UniqueConstraint("message_id", "post_id", name="uq_website_copies_message_post"),
        # The website's first copy of a message (at or after a moment) is one step of this index.
        Index("ix_website_copies_message_published", "message_id", "published"),
    )


class IncidentSweep(Base):
    """Where the sweep of one incident got to: when it last ran and which approvals it took into account."""

    __tablename__ = "incident_sweeps"
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), primary_key=True)
    swept_at: Mapped[datetime]
    approved_messages: Mapped[list[int]] = mapped_column(JSON, default=list)
