"""The stored shape of the sources: organisation, accounts, feeds (fetch state), posts and their history."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeEngine

ACCOUNT_KINDS = ("website", "social", "alert", "watch", "partner")
OFFICIAL_KINDS = ("website", "social", "alert")
# National and partner warning systems (NINA, Alertswiss, Krisinformation, MeteoAlarm, CAP): read, never
# checked as posts; the unit's own messages are checked against them (issue 14).
PARTNER_KIND = "partner"


class _SQLiteDateTime(sqlite.DATETIME):
    """SQLite's DATETIME, its usual text written by `isoformat` where SQLAlchemy's dict formatting took
    four times as long: three of them on every post stored. Same text for every value: the storage format
    is `isoformat(" ", "microseconds")` of a naive datetime; anything else is SQLAlchemy's to write."""

    def bind_processor(self, dialect: Dialect) -> Callable[[Any], Any] | None:
        stock = super().bind_processor(dialect)
        if stock is None or self._storage_format != sqlite.DATETIME._storage_format:
            return stock

        def process(value: Any) -> Any:
            if type(value) is datetime and value.tzinfo is None:
                return value.isoformat(" ", "microseconds")
            return stock(value)

        return process


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, on SQLite (which stores no zone) and PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return _SQLiteDateTime(timezone=True)
        return super().load_dialect_impl(dialect)

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: every stored time must carry its offset")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime, dict[str, Any]: JSON, list[str]: JSON}


class Organisation(Base):
    """The one body the registry describes; its name is what impersonators borrow (R5)."""

    __tablename__ = "organisation"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    allow_networks: Mapped[list[str]] = mapped_column(default=list)
    updated_at: Mapped[datetime]


class Account(Base):
    """One entry of the account registry (R11)."""

    __tablename__ = "accounts"
    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20))
    platform: Mapped[str] = mapped_column(String(50))
    homepage: Mapped[str | None] = mapped_column(String(2000))
    owner: Mapped[str | None] = mapped_column(String(300))
    administrators: Mapped[list[str]] = mapped_column(default=list)
    languages: Mapped[list[str]] = mapped_column(default=list)
    # A partner account's area filter: ARS/AGS codes, cantons, counties, CAP geocodes or areaDesc words.
    area: Mapped[list[str]] = mapped_column(default=list, server_default="[]")
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    feed: Mapped[Feed] = relationship(back_populates="account", uselist=False)

    @property
    def official(self) -> bool:
        return self.kind in OFFICIAL_KINDS


class Feed(Base):
    """An account's feed and its fetch state (R13: health)."""

    __tablename__ = "feeds"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), unique=True)
    url: Mapped[str] = mapped_column(String(2000))
    interval_s: Mapped[int] = mapped_column(Integer)
    # Set by the workflow while an incident is open (tighter polling); None means interval_s.
    crisis_interval_s: Mapped[int | None] = mapped_column(Integer)
    etag: Mapped[str | None] = mapped_column(String(500))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    body_hash: Mapped[str | None] = mapped_column(String(64))
    last_fetch_at: Mapped[datetime | None]
    last_success_at: Mapped[datetime | None]
    last_status: Mapped[int | None] = mapped_column(Integer)
    last_latency_ms: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_at: Mapped[datetime | None]
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    next_fetch_at: Mapped[datetime]
    dead: Mapped[bool] = mapped_column(Boolean, default=False)
    entries_stored: Mapped[int] = mapped_column(Integer, default=0)
    # Churn on `churn_day` (UTC): versions kept and changed entries not kept, both bounded per day.
    churn_day: Mapped[date | None] = mapped_column(Date)
    versions_today: Mapped[int] = mapped_column(Integer, default=0)
    changes_dropped_today: Mapped[int] = mapped_column(Integer, default=0)
    # Partner feeds: the guids the last document read listed. NINA, Alertswiss, Krisinformation and CAP
    # indexes list what is current; a warning that left the list has ended even without a Cancel.
    listed: Mapped[list[str] | None] = mapped_column(JSON)
    # Which poller fetches the feed now, and until when: several pollers on one database split the due
    # feeds by claiming them; a killed poller's claims lapse (issue 15, item 2).
    lease_owner: Mapped[str | None] = mapped_column(String(200))
    lease_until: Mapped[datetime | None]

    account: Mapped[Account] = relationship(back_populates="feed")

    @property
    def effective_interval_s(self) -> int:
        return self.crisis_interval_s or self.interval_s


class Post(Base):
    """The current version of one feed entry; unique per (account, guid)."""

    __tablename__ = "posts"
    __table_args__ = (UniqueConstraint("account_id", "guid", name="uq_posts_account_guid"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    guid: Mapped[str] = mapped_column(String(2000))
    link: Mapped[str | None] = mapped_column(String(2000))
    title: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str | None] = mapped_column(String(500))
    language: Mapped[str | None] = mapped_column(String(10))
    published: Mapped[datetime] = mapped_column(index=True)
    # Where `published` came from: "published", "updated" or "fetched" (the entry had no date).
    published_source: Mapped[str] = mapped_column(String(20))
    fetched_at: Mapped[datetime] = mapped_column(index=True)
    updated_at: Mapped[datetime]
    content_hash: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Format-specific fields, e.g. CAP: msgType, references, per-language info blocks.
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)

    versions: Mapped[list[PostVersion]] = relationship(
        back_populates="post", order_by="PostVersion.version", cascade="all, delete-orphan"
    )


class PostVersion(Base):
    """A version of a post that a later fetch replaced: kept, never overwritten (R8, R14)."""

    __tablename__ = "post_versions"
    __table_args__ = (UniqueConstraint("post_id", "version", name="uq_post_versions_post_version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    link: Mapped[str | None] = mapped_column(String(2000))
    title: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(String(500))
    published: Mapped[datetime]
    content_hash: Mapped[str] = mapped_column(String(64))
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)
    replaced_at: Mapped[datetime]

    post: Mapped[Post] = relationship(back_populates="versions")


def column_length(model: Any, column: str) -> int:
    """The length a model's string column holds: what a check of a value's length is held to."""
    length = model.__table__.c[column].type.length
    assert isinstance(length, int)
    return length
