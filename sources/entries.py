"""The normalised shape of a feed entry, whatever format it came in."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sources import language


class FeedError(Exception):
    """A fetched document that cannot become posts; the message is what feed health shows."""


class HostileFeed(FeedError):
    """A document built to harm the reader (entity expansion, external entities)."""


@dataclass(frozen=True, slots=True)
class Normalised:
    """An entry as crisisdesk stores it: plain text, safe link, a date it can trust."""

    title: str
    text: str
    link: str | None
    author: str | None
    language: str | None
    published: datetime
    published_source: str  # "published", "updated" or "fetched"
    extra: dict[str, Any] = field(default_factory=dict)

    def digest(self) -> str:
        extra = json.dumps(self.extra, ensure_ascii=False, sort_keys=True, default=str) if self.extra else ""
        parts = (self.title, self.text, self.link or "", self.author or "", self.published.isoformat(), extra)
        return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Draft:
    """An entry normalised but for its language, with what decides that (`language.detect`'s arguments):
    languages are identified for a whole feed at once (`normalise`)."""

    normalised: Normalised  # its language not yet set
    text: str
    hint: str | None

    def identified(self, code: str | None) -> Normalised:
        n = self.normalised  # dataclasses.replace reads the fields anew each time: three times the cost
        return Normalised(n.title, n.text, n.link, n.author, code, n.published, n.published_source, n.extra)


class Entry:
    """One entry of a fetched document: its guid and a hash of it as received are known at once; the
    normalised form is built on first use. Most entries of a changed feed are ones already stored with
    the same hash, and normalising those would cost more than parsing them did."""

    __slots__ = ("_build", "_normalised", "content_hash", "guid")

    def __init__(self, guid: str, content_hash: str, build: Callable[[], Normalised | Draft]) -> None:
        self.guid = guid
        self.content_hash = content_hash
        self._build: Callable[[], Normalised | Draft] | None = build
        self._normalised: Normalised | None = None

    @classmethod
    def ready(cls, guid: str, normalised: Normalised) -> Entry:
        return cls(guid, normalised.digest(), lambda: normalised)

    def normalised(self) -> Normalised:
        if self._normalised is None:
            assert self._build is not None
            built = self._build()
            if isinstance(built, Draft):
                built = built.identified(language.detect(built.text, built.hint))
            self._normalised, self._build = built, None
        return self._normalised

    title = property(lambda self: self.normalised().title)
    text = property(lambda self: self.normalised().text)
    link = property(lambda self: self.normalised().link)
    author = property(lambda self: self.normalised().author)
    language = property(lambda self: self.normalised().language)
    published = property(lambda self: self.normalised().published)
    published_source = property(lambda self: self.normalised().published_source)
    extra = property(lambda self: self.normalised().extra)


def normalise(entries: Iterable[Entry]) -> None:
    """Build the normalised form of each entry not built yet, as `Entry.normalised` would, identifying
    their languages together (`language.detect_many`: the same answers at a fraction of the cost)."""
    drafts: list[tuple[Entry, Draft]] = []
    for entry in entries:
        if entry._normalised is not None:
            continue
        assert entry._build is not None
        built = entry._build()
        if isinstance(built, Draft):
            drafts.append((entry, built))
        else:
            entry._normalised, entry._build = built, None
    codes = language.detect_many([(draft.text, draft.hint) for _, draft in drafts])
    for (entry, draft), code in zip(drafts, codes, strict=True):
        entry._normalised, entry._build = draft.identified(code), None


@dataclass(slots=True)
class ParsedFeed:
    format: str  # feedparser's version string (rss20, atom10, rss10, ...) or "cap12"
    title: str
    entries: list[Entry]
    truncated: int = 0  # entries dropped over the per-fetch cap
    notes: list[str] = field(default_factory=list)
