"""Fetched bytes → normalised entries. feedparser is the parser of record; CAP goes to `sources.cap`."""

from __future__ import annotations

import calendar
import hashlib
import io
import re
import time
from datetime import UTC, datetime, timedelta
from typing import Any
from xml.etree.ElementTree import ParseError

import feedparser
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as defused_fromstring

from sources import fastparse, jsonfeed
from sources.cap import looks_like_cap, parse_cap
from sources.entries import Draft, Entry, FeedError, HostileFeed, Normalised, ParsedFeed
from sources.text import html_to_text, one_line, safe_link

MAX_ENTRIES = 1_000
# A date further ahead than this is a broken or hostile clock, not a scheduled post.
FUTURE_TOLERANCE = timedelta(hours=26)
_ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)
_UTF16_HINTS = (b"\xff\xfe", b"\xfe\xff")


def parse_feed(data: bytes, *, fetched_at: datetime, language_hint: str | None = None, fast: bool = True) -> ParsedFeed:
    """Parse one fetched document. Raises FeedError (HostileFeed) with a message for feed health.

    Plain RSS 2.0 and Atom 1.0 are read by `sources.fastparse` (lxml), which gives feedparser's values or
    declines; feedparser reads everything else (and everything, with `fast=False`)."""
    if not data.strip():
        raise FeedError("empty response body")
    if looks_like_cap(data):
        return parse_cap(data, fetched_at=fetched_at, language_hint=language_hint)
    if jsonfeed.looks_like_json_feed(data):
        return jsonfeed.parse_json_feed(data, fetched_at=fetched_at, language_hint=language_hint)
    _refuse_entity_declarations(data)
    quick = fastparse.parse(data) if fast else None
    if quick is not None:
        return _parsed(quick["version"], quick["feed"], quick["entries"], fetched_at, language_hint)
    # A stream, never bytes or str: feedparser treats those as a URL or a file path to open.
    try:
        parsed = feedparser.parse(io.BytesIO(data), sanitize_html=False, resolve_relative_uris=False)
    except (UnicodeError, LookupError, ValueError) as exc:  # found by fuzzing: a hostile encoding declaration
        raise FeedError(f"the document could not be read: {type(exc).__name__}: {str(exc)[:200]}") from exc
    if not parsed.get("version") and not parsed.entries:
        problem = parsed.get("bozo_exception")
        detail = f": {type(problem).__name__}: {str(problem)[:200]}" if problem else ""
        if re.search(rb"<html[\s>]", data[:4096], re.IGNORECASE):
            raise FeedError("the response is an HTML page, not a feed")
        raise FeedError(f"the response is not an RSS, Atom, RDF or CAP document{detail}")
    return _parsed(parsed.get("version"), parsed.feed, parsed.entries, fetched_at, language_hint)


def _parsed(
    version: str | None, feed: Any, raw_entries: list[Any], fetched_at: datetime, language_hint: str | None
) -> ParsedFeed:
    feed_language = feed.get("language") or language_hint
    entries: list[Entry] = []
    notes: list[str] = []
    for raw in raw_entries[:MAX_ENTRIES]:
        entries.append(_entry(raw, fetched_at=fetched_at, language_hint=feed_language))
    truncated = max(0, len(raw_entries) - MAX_ENTRIES)
    if truncated:
        notes.append(f"{truncated} entries over the cap of {MAX_ENTRIES} were not read")
    return ParsedFeed(
        format=version or "unknown",
        title=one_line(feed.get("title"), max_chars=500),
        entries=_dedupe(entries),
        truncated=truncated,
        notes=notes,
    )


def _refuse_entity_declarations(data: bytes) -> None:
    """Entity declarations have no business in a feed; they are how XML bombs and XXE work."""
    utf16 = data[:2] in _UTF16_HINTS or b"\x00" in data[:64]
    suspicious = _ENTITY_DECL.search(data) is not None
    if not suspicious and utf16:
        for codec in ("utf-16", "utf-16-le", "utf-16-be"):
            try:
                suspicious = "<!entity" in data.decode(codec).lower()
                break
            except UnicodeDecodeError:
                continue
    if not suspicious:
        return
    try:
        defused_fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise HostileFeed(f"feed refused: it declares XML entities ({type(exc).__name__})") from exc
    except (ParseError, LookupError, ValueError):  # LookupError: an unknown declared encoding (fuzzing)
        # Not well-formed: feedparser's loose parser does not expand declared entities.
        if re.search(rb"<!DOCTYPE[^>]*\[", data, re.IGNORECASE):
            raise HostileFeed("feed refused: a DOCTYPE with an internal subset declaring entities") from None


def _entry(raw: Any, *, fetched_at: datetime, language_hint: str | None) -> Entry:
    content = raw.get("content") or []
    # Any of these may be missing or None in a broken entry (found by fuzzing).
    body = str((content[0].get("value") if content else None) or raw.get("summary") or raw.get("description") or "")
    raw_date = raw.get("published") or raw.get("updated")
    guid = (raw.get("id") or "").strip() or safe_link(raw.get("link"))
    if not guid:
        digest = hashlib.sha256(f"{raw.get('title', '')}\x1f{raw_date or ''}\x1f{body[:500]}".encode()).hexdigest()
        guid = f"sha256:{digest[:32]}"
    cap_keys = sorted(k for k in raw if k.startswith("cap_"))
    # The entry as received: equal for equal input, so an entry already stored is recognised unparsed.
    received = "\x1f".join(
        str(v)
        for v in (
            raw.get("title"), body, raw.get("link"), raw.get("author"), raw.get("published"), raw.get("updated"),
            language_hint, *(f"{k}={raw[k]}" for k in cap_keys),
        )
    )  # fmt: skip
    source_hash = hashlib.sha256(received.encode("utf-8", "surrogatepass")).hexdigest()

    def build() -> Draft:
        title = one_line(raw.get("title"), max_chars=1000)
        text = html_to_text(body)
        published, source = _published(raw, fetched_at)
        extra: dict[str, Any] = {}
        if source == "fetched":
            extra["date_note"] = "the entry had no usable date; the fetch time stands in"
            if raw_date:
                extra["date_unusable"] = raw_date[:100]
        if cap_keys:
            extra["format"] = "cap-index"
            extra["cap"] = {k[4:]: one_line(str(raw[k]), max_chars=500) for k in cap_keys}
        entry_lang = content[0].get("language") if content else None
        hint = entry_lang or (raw.get("summary_detail") or {}).get("language") or language_hint
        normalised = Normalised(
            title=title,
            text=text,
            link=safe_link(raw.get("link")),
            author=one_line(raw.get("author"), max_chars=500) or None,
            language=None,
            published=published,
            published_source=source,
            extra=extra,
        )
        return Draft(normalised, f"{title}\n{text}", hint)

    return Entry(guid[:2000], source_hash, build)


def _published(raw: Any, fetched_at: datetime) -> tuple[datetime, str]:
    for key, source in (("published_parsed", "published"), ("updated_parsed", "updated")):
        parsed = raw.get(key)
        value = _to_datetime(parsed.parsed() if isinstance(parsed, fastparse.LazyDate) else parsed)
        if value is not None and value <= fetched_at + FUTURE_TOLERANCE:
            return value, source
    return fetched_at, "fetched"


def _to_datetime(value: time.struct_time | None) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), UTC)
    except (OverflowError, ValueError, OSError):
        return None


def _dedupe(entries: list[Entry]) -> list[Entry]:
    """A guid repeated within one document: the last occurrence wins (it is the one a reader sees last)."""
    by_guid: dict[str, Entry] = {}
    for entry in entries:
        by_guid.pop(entry.guid, None)
        by_guid[entry.guid] = entry
    return list(by_guid.values())
