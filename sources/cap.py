"""CAP (Common Alerting Protocol 1.0–1.2) alerts, parsed with defusedxml."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from core.clock import ClockError, parse_instant
from sources import language
from sources.entries import Entry, FeedError, HostileFeed, Normalised, ParsedFeed
from sources.text import html_to_text, one_line, safe_link

CAP_NAMESPACES = (
    "urn:oasis:names:tc:emergency:cap:1.2",
    "urn:oasis:names:tc:emergency:cap:1.1",
    "urn:oasis:names:tc:emergency:cap:1.0",
)
_ROOT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?alert[\s>]")
_FIRST_ELEMENT = re.compile(rb"<[A-Za-z_]")
# Polygons, areas, parameters, info blocks read from one alert: more is a broken or hostile document.
MAX_LIST = 200
_INFO_FIELDS = (
    "language", "category", "event", "urgency", "severity", "certainty",
    "effective", "onset", "expires", "senderName", "headline", "description", "instruction", "web",
)  # fmt: skip


def looks_like_cap(data: bytes) -> bool:
    """A CAP namespace and, as the document's first element, an <alert> (an Atom feed carrying CAP alerts
    inside its entries is a feed, not an alert)."""
    head = data[:4096]
    if b"urn:oasis:names:tc:emergency:cap:" not in head:
        return False
    first = _FIRST_ELEMENT.search(head)
    return first is not None and _ROOT.match(head, first.start()) is not None


def _root(data: bytes | str) -> tuple[Element, str]:
    """The CAP <alert> element of `data` and its namespace, read with defusedxml."""
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise HostileFeed(f"CAP document refused: {type(exc).__name__} (DTD or entity declarations)") from exc
    except (ParseError, LookupError, ValueError) as exc:  # LookupError: an unknown declared encoding
        raise FeedError(f"CAP document is not well-formed XML: {exc}") from exc
    ns = _namespace(root)
    if ns not in CAP_NAMESPACES or _local(root.tag) != "alert":
        raise FeedError("document mentions CAP but its root is not a CAP <alert>")
    return root, ns


def read_alert(data: bytes | str) -> dict[str, Any]:
    """A whole CAP alert as plain data, in the shape of CAP-as-JSON (NINA, MeteoAlarm): the alert's
    fields, and per <info> its fields, parameters and areas with their polygons, circles and geocodes.
    Texts are raw (the caller cleans them); every list is bounded."""
    root, ns = _root(data)

    def text_of(parent: Element, name: str) -> str | None:
        node = parent.find(f"{{{ns}}}{name}")
        return node.text.strip() if node is not None and node.text else None

    def pairs(parent: Element, name: str) -> list[dict[str, str | None]]:
        return [
            {"valueName": text_of(node, "valueName"), "value": text_of(node, "value")}
            for node in parent.findall(f"{{{ns}}}{name}")[:MAX_LIST]
        ]

    alert: dict[str, Any] = {
        name: text_of(root, name)
        for name in ("identifier", "sender", "sent", "status", "msgType", "source", "scope", "restriction",
                     "references", "note")
    }  # fmt: skip
    alert["info"] = []
    for info in root.findall(f"{{{ns}}}info")[:MAX_LIST]:
        block: dict[str, Any] = {name: text_of(info, name) for name in (*_INFO_FIELDS, "contact")}
        block["responseType"] = [n.text.strip() for n in info.findall(f"{{{ns}}}responseType") if n.text][:MAX_LIST]
        block["parameter"] = pairs(info, "parameter")
        block["eventCode"] = pairs(info, "eventCode")
        block["area"] = [
            {
                "areaDesc": text_of(area, "areaDesc"),
                "polygon": [n.text.strip() for n in area.findall(f"{{{ns}}}polygon") if n.text][:MAX_LIST],
                "circle": [n.text.strip() for n in area.findall(f"{{{ns}}}circle") if n.text][:MAX_LIST],
                "geocode": pairs(area, "geocode"),
            }
            for area in info.findall(f"{{{ns}}}area")[:MAX_LIST]
        ]
        alert["info"].append(block)
    return alert


def parse_cap(data: bytes, *, fetched_at: datetime, language_hint: str | None = None) -> ParsedFeed:
    root, ns = _root(data)

    def text_of(parent: Element, name: str) -> str | None:
        node = parent.find(f"{{{ns}}}{name}")
        return node.text.strip() if node is not None and node.text else None

    alert: dict[str, Any] = {
        name: text_of(root, name)
        for name in ("identifier", "sender", "sent", "status", "msgType", "scope", "references", "note")
    }
    alert["version"] = ns.rsplit(":", 1)[-1]
    infos = []
    for info in root.findall(f"{{{ns}}}info"):
        block: dict[str, Any] = {name: text_of(info, name) for name in _INFO_FIELDS}
        block["areas"] = [one_line(text_of(area, "areaDesc"), max_chars=500) for area in info.findall(f"{{{ns}}}area")]
        for name in ("headline", "senderName", "event"):
            block[name] = one_line(block[name], max_chars=500) if block[name] else None
        for name in ("description", "instruction"):
            block[name] = html_to_text(block[name], max_chars=20_000) if block[name] else None
        block["web"] = safe_link(block["web"])
        infos.append(block)
    alert["infos"] = infos

    identifier = alert["identifier"]
    if not identifier:
        raise FeedError("CAP alert has no <identifier>")
    primary = _primary_info(infos, language_hint)
    published, source = fetched_at, "fetched"
    if alert["sent"]:
        try:
            published, source = parse_instant(alert["sent"], what="CAP <sent>"), "published"
        except ClockError:
            alert["sent_unparsed"] = alert["sent"]
    title = (primary.get("headline") or primary.get("event") or identifier) if primary else identifier
    parts = [primary.get(k) for k in ("description", "instruction")] if primary else []
    if primary and primary["areas"]:
        parts.append("; ".join(a for a in primary["areas"] if a))
    text = "\n".join(p for p in parts if p)
    normalised = Normalised(
        title=one_line(title, max_chars=1000),
        text=text,
        link=primary.get("web") if primary else None,
        author=one_line((primary or {}).get("senderName") or alert["sender"] or "", max_chars=500) or None,
        language=language.normalise(primary.get("language") if primary else None)
        or language.detect(text, language_hint),
        published=published,
        published_source=source,
        extra={"format": "cap", "cap": alert},
    )
    entry = Entry.ready(identifier[:2000], normalised)
    return ParsedFeed(format=f"cap{alert['version'].replace('.', '')}", title=normalised.title, entries=[entry])


def _primary_info(infos: list[dict[str, Any]], hint: str | None) -> dict[str, Any] | None:
    if not infos:
        return None
    wanted = language.normalise(hint)
    for block in infos:
        if wanted and language.normalise(block.get("language")) == wanted:
            return block
    return infos[0]


def _namespace(node: Element) -> str:
    return node.tag[1:].split("}", 1)[0] if node.tag.startswith("{") else ""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]
