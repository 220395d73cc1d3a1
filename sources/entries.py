"""The normalised shape of a feed entry, whatever format it came in."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


class FeedError(Exception):
    """A fetched document that cannot become posts; the message is what feed health shows."""


class HostileFeed(FeedError):
    """A document built to harm the reader (entity expansion, external entities)."""


@dataclass(slots=True)
class Entry:
    guid: str
    title: str
    text: str
    link: str | None
    author: str | None
    language: str | None
    published: datetime
    published_source: str  # "published", "updated" or "fetched"
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def content_hash(self) -> str:
        """What makes two versions of an entry the same: the visible content, not the fetch time."""
        extra = json.dumps(self.extra, ensure_ascii=False, sort_keys=True, default=str) if self.extra else ""
        parts = (self.title, self.text, self.link or "", self.author or "", self.published.isoformat(), extra)
        return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


@dataclass(slots=True)
class ParsedFeed:
    format: str  # feedparser's version string (rss20, atom10, rss10, ...) or "cap12"
    title: str
    entries: list[Entry]
    truncated: int = 0  # entries dropped over the per-fetch cap
    notes: list[str] = field(default_factory=list)
