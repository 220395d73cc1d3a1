"""JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1), for websites that publish one (issue 14, item 5).

Read defensively like every JSON document (`sources.boundedjson`): unknown fields are ignored, an item
without an id is skipped and named in the feed's notes, dates in RFC 3339 or (a WordPress plugin's
quirk) RFC 822 are both read.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

from core.clock import ClockError, parse_instant
from sources import boundedjson as bj
from sources import language
from sources.entries import Entry, FeedError, Normalised, ParsedFeed
from sources.text import html_to_text, one_line, safe_link

MAX_ITEMS = 1_000
FUTURE_TOLERANCE = timedelta(hours=26)
_VERSION = re.compile(rb'"version"\s*:\s*"https?://jsonfeed\.org/version/1(?:\.\d+)?/?"')


def looks_like_json_feed(data: bytes) -> bool:
    head = data[:8192]
    return head.lstrip()[:1] == b"{" and _VERSION.search(head) is not None


def _date(value: Any) -> datetime | None:
    raw = bj.text(value, max_chars=100)
    if not raw:
        return None
    try:
        return parse_instant(raw, what="date")
    except ClockError:
        pass
    try:
        parsed = parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return parsed.astimezone(UTC) if parsed.tzinfo else None


def _author(item: dict[str, Any], feed: dict[str, Any]) -> str | None:
    for source in (item, feed):
        authors = [bj.mapping(a) for a in bj.items(source.get("authors"), limit=20)]
        authors = authors or [bj.mapping(source.get("author"))]
        names = [one_line(bj.text(a.get("name")), max_chars=200) for a in authors if bj.text(a.get("name"))]
        if names:
            return ", ".join(names)[:500]
    return None


def parse_json_feed(data: bytes, *, fetched_at: datetime, language_hint: str | None = None) -> ParsedFeed:
    feed = bj.loads(data, what="JSON Feed")
    if not isinstance(feed, dict):
        raise FeedError("JSON Feed: the document is not a JSON object")
    version = bj.text(feed.get("version"), max_chars=100) or ""
    items = feed.get("items")
    if not isinstance(items, list):
        raise FeedError("JSON Feed: 'items' is missing or not a list")
    feed_language = bj.text(feed.get("language"), max_chars=20) or language_hint
    notes: list[str] = []
    entries: dict[str, Entry] = {}
    for index, raw in enumerate(items[:MAX_ITEMS]):
        item = bj.mapping(raw)
        guid = one_line(bj.text(item.get("id"), max_chars=2000), max_chars=2000) or safe_link(bj.text(item.get("url")))
        if not guid:
            if len(notes) < 20:
                notes.append(f"item [{index}]: no 'id'; skipped")
            continue
        title = one_line(bj.text(item.get("title")), max_chars=1000)
        html = bj.text(item.get("content_html"), max_chars=400_000)
        body = html_to_text(html) if html else (bj.text(item.get("content_text"), max_chars=100_000) or "")
        if not body:
            body = bj.text(item.get("summary"), max_chars=100_000) or ""
        published, source = fetched_at, "fetched"
        for key, label in (("date_published", "published"), ("date_modified", "updated")):
            value = _date(item.get(key))
            if value is not None and value <= fetched_at + FUTURE_TOLERANCE:
                published, source = value, label
                break
        extra: dict[str, Any] = {"format": "jsonfeed"}
        if source == "fetched":
            extra["date_note"] = "the entry had no usable date; the fetch time stands in"
        hint = bj.text(item.get("language"), max_chars=20) or feed_language
        normalised = Normalised(
            title=title,
            text=body,
            link=safe_link(bj.text(item.get("url"), max_chars=2000)),
            author=_author(item, feed),
            language=language.detect(f"{title}\n{body}", hint),
            published=published,
            published_source=source,
            extra=extra,
        )
        entries.pop(guid, None)
        entries[guid] = Entry.ready(guid[:2000], normalised)
    truncated = max(0, len(items) - MAX_ITEMS)
    if truncated:
        notes.append(f"{truncated} entries over the cap of {MAX_ITEMS} were not read")
    fmt = "json11" if version.rstrip("/").endswith("1.1") else "json10"
    return ParsedFeed(format=fmt, title=one_line(bj.text(feed.get("title")), max_chars=500),
                      entries=list(entries.values()), truncated=truncated, notes=notes)  # fmt: skip
