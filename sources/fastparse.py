"""The fast path of `sources.parse`: plain RSS 2.0 and Atom 1.0 read with lxml, giving the very values
feedparser gives for the fields crisisdesk reads, or nothing at all.

Anything this reader is not sure to read as feedparser does (another format or version, a DOCTYPE, an
element or attribute that feedparser maps onto a field we read, inline markup, xml:base, a document
that is not well-formed) makes it return None, and feedparser parses the document as before. So the
stored posts, their hashes included, do not depend on which path read them
(tests/sources/test_fastparse.py holds both paths to that on every feed of the test corpora).
"""

from __future__ import annotations

import time
from typing import Any

from feedparser.datetimes import _date_handlers, _parse_date
from feedparser.datetimes.rfc822 import _parse_date_rfc822
from feedparser.datetimes.w3dtf import _parse_date_w3dtf
from lxml import etree

_PARSER_OPTIONS: dict[str, Any] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
}
_ATOM = "{http://www.w3.org/2005/Atom}"
_CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
_DC = "{http://purl.org/dc/elements/1.1/}"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
# Elements of an RSS item: what we read, and what feedparser reads into fields we do not.
_RSS_ITEM = {"title", "link", "description", "guid", "pubDate", "author", "category", "comments", "enclosure",
             _CONTENT, f"{_DC}creator"}  # fmt: skip
_RSS_CHANNEL = {"title", "link", "description", "language", "copyright", "managingEditor", "webMaster", "pubDate",
                "lastBuildDate", "category", "generator", "docs", "cloud", "ttl", "image", "rating", "skipHours",
                "skipDays", "item", f"{_ATOM}link"}  # fmt: skip
# feedparser's name for an RSS item element, where it is not the element's own.
_RSS_KEYS = {"description": "summary", _CONTENT: "content", "pubDate": "published", f"{_DC}creator": "author",
             "guid": "id"}  # fmt: skip
_ATOM_ENTRY = {f"{_ATOM}{n}" for n in ("id", "title", "link", "summary", "content", "author", "published",
                                       "updated", "category")}  # fmt: skip
_TEXT_TYPES = {None, "text", "html", "text/html", "text/plain"}


class _Unsure(Exception):
    """The document has something this reader does not read as feedparser does."""


def parse(data: bytes) -> dict[str, Any] | None:
    """feedparser's result for the fields `sources.parse` reads (version, feed title and language,
    entries; a parsed date as a `LazyDate`), or None where feedparser must read the document itself."""
    if b"<!DOCTYPE" in data[:2048] or b"<!doctype" in data[:2048]:
        return None
    try:
        root = etree.fromstring(data, etree.XMLParser(**_PARSER_OPTIONS))
    except (etree.XMLSyntaxError, ValueError):
        return None
    try:
        if root.tag == "rss" and root.get("version") == "2.0" and not root.nsmap.get(None):
            return _rss(root)
        if root.tag == f"{_ATOM}feed":
            return _atom(root)
    except _Unsure:
        return None
    return None


def _text(element: Any) -> str:
    if element is None:
        return ""
    if len(element) or element.get(_XML_BASE) is not None:
        raise _Unsure("markup inside a text element")
    return str(element.text or "").strip()


class LazyDate:
    """feedparser's parsed form of a date (`published_parsed` for `published`), worked out as feedparser
    works it out when first asked for: most entries of a changed feed are stored already and never read
    past their guid and hash, and parsing their dates was a fifth of reading them."""

    __slots__ = ("_parsed", "_text")

    def __init__(self, text: str) -> None:
        self._text: str | None = text
        self._parsed: time.struct_time | None = None

    def parsed(self) -> time.struct_time | None:
        if self._text is not None:
            self._parsed, self._text = parse_date(self._text), None
        return self._parsed


def parse_date(text: str) -> time.struct_time | None:
    """feedparser's `_parse_date(text)`, without its W3DTF attempt where that cannot succeed.

    feedparser tries its date formats in turn, W3DTF first and RFC 822 second, and answers with the first
    that reads the text. W3DTF reads no text that begins with an ASCII letter (its year is the first field
    before a "-", ending at a "t" or a space: a letter there is no year; an initial "t" leaves it empty),
    and an RSS date (RFC 822) begins with its day's name: such text goes to RFC 822 at once, and to
    feedparser's whole sequence where RFC 822 does not read it either."""
    first = text[:1]
    if (
        first.isascii()
        and first.isalpha()
        and _date_handlers[0] is _parse_date_w3dtf
        and _date_handlers[1] is _parse_date_rfc822
    ):
        try:
            parsed = _parse_date_rfc822(text)
        except (KeyError, OverflowError, ValueError, AttributeError):  # what feedparser's loop skips
            parsed = None
        if parsed and len(parsed) == 9:
            return parsed
    return _parse_date(text)


def _date(raw: dict[str, Any], key: str, value: str) -> None:
    if key in raw:
        raise _Unsure(f"two {key} dates")
    raw[key] = value
    raw[f"{key}_parsed"] = LazyDate(value) if value else None


def _rss(root: Any) -> dict[str, Any]:
    channels = root.findall("channel")
    if len(channels) != 1 or len(root) != 1:
        raise _Unsure("not one channel")
    channel = channels[0]
    entries = []
    for item in channel.iterfind("item"):
        if item.attrib:
            raise _Unsure("item attributes")
        raw: dict[str, Any] = {}
        for child in item:
            tag = child.tag
            if tag not in _RSS_ITEM:
                raise _Unsure(f"item element {tag}")
            if child.get(_XML_LANG) is not None:
                raise _Unsure("xml:lang inside an item")
            if tag in ("category", "comments", "enclosure"):
                continue
            key = _RSS_KEYS.get(tag, tag)
            if key in raw:
                raise _Unsure(f"two {tag}")
            value = _text(child)
            if key == "published":
                _date(raw, "published", value)
            elif key == "content":
                raw["content"] = [{"value": value, "language": None}]
            elif key == "id":
                raw["id"] = value
                raw["_permalink"] = child.get("isPermaLink", "true") == "true"
            else:
                raw[key] = value
        if raw.pop("_permalink", False) and "link" not in raw and raw.get("id"):
            raise _Unsure("a permalink guid standing in for the link")
        if "published" in raw:
            raw["updated"] = raw["published"]  # feedparser answers `updated` with the publication date
        entries.append(raw)
    for child in channel:
        if child.tag not in _RSS_CHANNEL:
            raise _Unsure(f"channel element {child.tag}")
    language = _text(channel.find("language")) or None
    return {"version": "rss20", "feed": {"title": _text(channel.find("title")), "language": language},
            "entries": entries}  # fmt: skip


def _atom(root: Any) -> dict[str, Any]:
    if root.get(_XML_BASE) is not None:
        raise _Unsure("xml:base")
    feed_lang = root.get(_XML_LANG)
    entries = []
    for entry in root.iterfind(f"{_ATOM}entry"):
        if entry.get(_XML_BASE) is not None:
            raise _Unsure("xml:base")
        lang = entry.get(_XML_LANG, feed_lang)
        raw: dict[str, Any] = {}
        for child in entry:
            tag = child.tag
            if tag not in _ATOM_ENTRY:
                raise _Unsure(f"entry element {tag}")
            if child.get(_XML_BASE) is not None:
                raise _Unsure("xml:base inside an entry")
            name = tag[len(_ATOM) :]
            own = child.get(_XML_LANG, lang)
            if name == "category":
                continue
            if name == "link":
                if child.get("rel", "alternate") == "alternate" and child.get("href"):
                    if "link" in raw:
                        raise _Unsure("two alternate links")
                    raw["link"] = child.get("href").strip()
                continue
            if name == "author":
                if "author" in raw:
                    raise _Unsure("two authors")
                names = {c.tag: _text(c) for c in child}
                if set(names) - {f"{_ATOM}name", f"{_ATOM}email"} or not names.get(f"{_ATOM}name"):
                    raise _Unsure("an author without a name")
                email = names.get(f"{_ATOM}email")
                raw["author"] = f"{names[f'{_ATOM}name']} ({email})" if email else names[f"{_ATOM}name"]
                continue
            if name in ("title", "summary", "content") and child.get("type") not in _TEXT_TYPES:
                raise _Unsure(f"{name} of type {child.get('type')}")
            if name in raw or (name in ("published", "updated") and f"{name}_parsed" in raw):
                raise _Unsure(f"two {name}")
            value = _text(child)
            if name in ("published", "updated"):
                _date(raw, name, value)
            elif name == "content":
                raw["content"] = [{"value": value, "language": own}]
            elif name == "summary":
                raw["summary"] = value
                raw["summary_detail"] = {"language": own}
            else:
                raw[name] = value
        entries.append(raw)
    for child in root:
        if child.tag == f"{_ATOM}author":
            raise _Unsure("a feed-level author")
    title = root.find(f"{_ATOM}title")
    if title is not None and title.get("type") not in _TEXT_TYPES:
        raise _Unsure("feed title type")
    return {"version": "atom10", "feed": {"title": _text(title), "language": feed_lang}, "entries": entries}
