"""Partner warning systems' documents → warnings (`sources.warnings`) → entries, one parser per format:

- NINA api31: the dashboard `/api31/dashboard/{ARS}.json` (and `/api31/{provider}/mapData.json`), each
  warning completed by its details `/api31/warnings/{id}.json` and area `/api31/warnings/{id}.geojson`
  when the poller could fetch them (else the dashboard's headline stands in);
- Alertswiss v2 `…/v2/alerts`: CAP 1.2 XML strings inside JSON;
- Krisinformation v3 `news` / `vmas` (a JSON array of items), and the CAP-like JSON of Sveriges Radio's
  VMA API v3 (`{"alerts": [...]}`);
- MeteoAlarm API v1 JSON (`{"warnings": [{"uuid", "alert": <CAP as JSON>}]}`), its Atom feeds and CAP
  documents;
- any CAP document, a zip of them (DWD's open data), or a CAP Atom index.

JSON is read by `sources.boundedjson` (bytes and depth bounded); unknown fields are ignored; an item
that cannot be read is skipped and named in the feed's health notes; a document that cannot be read
at all is a FeedError naming what was wrong.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import quote, urljoin

from sources import boundedjson as bj
from sources import cap, warnings
from sources.entries import Entry, FeedError, ParsedFeed
from sources.parse import parse_feed
from sources.text import html_to_text, one_line, safe_link

MAX_WARNINGS = 500
# NINA: details fetched per poll of one dashboard (the others keep the dashboard's own headline).
MAX_NINA_DETAILS = 50
MAX_ZIP_MEMBERS = 500
MAX_ZIP_BYTES = 32 * 1024 * 1024
# MeteoAlarm's Atom entries name their area's geocode only in a link: `?geocode=EMMA_ID:DE356`.
_GEOCODE_IN_LINK = re.compile(r"geocode=([A-Za-z_]{1,40}):([\w.-]{1,40})")


class _Reader:
    """Collects warnings and what was wrong with the items that could not be read."""

    def __init__(self, platform: str) -> None:
        self.platform = platform
        self.warnings: list[dict[str, Any]] = []
        self.notes: list[str] = []

    def add(self, warning: dict[str, Any] | None, where: str, problem: str = "no identifier") -> None:
        if warning is None:
            if len(self.notes) < 20:
                self.notes.append(f"{where}: {problem}; skipped")
            return
        self.warnings.append(warning)

    def feed(self, fmt: str, title: str, *, fetched_at: datetime) -> ParsedFeed:
        kept = self.warnings[:MAX_WARNINGS]
        notes = list(self.notes)
        if len(self.warnings) > MAX_WARNINGS:
            notes.append(f"{len(self.warnings) - MAX_WARNINGS} warnings over the cap of {MAX_WARNINGS} were not read")
        # One alert listed once per area (MeteoAlarm's Atom): one warning with all the areas.
        by_id: dict[str, dict[str, Any]] = {}
        for warning in kept:
            first = by_id.setdefault(warning["identifier"], warning)
            if first is not warning:
                known = {area["desc"] for area in first["areas"]}
                first["areas"].extend(a for a in warning["areas"] if a["desc"] not in known)
                del first["areas"][warnings.MAX_AREAS :]
        entries = [warnings.entry(w, fetched_at=fetched_at) for w in by_id.values()]
        return ParsedFeed(format=fmt, title=title, entries=entries, notes=notes)


# --- NINA ----------------------------------------------------------------------------------------------


def nina_ids(data: bytes) -> list[str]:
    """The warning ids of a NINA dashboard or mapData document, for fetching their details."""
    try:
        document = bj.loads(data, what="NINA dashboard")
    except FeedError:
        return []
    ids = []
    for item in bj.items(document, limit=MAX_NINA_DETAILS):
        item_id = bj.text(bj.mapping(item).get("id"), max_chars=300)
        if item_id and "/" not in item_id and ".." not in item_id:
            ids.append(item_id)
    return ids


def nina_detail_url(dashboard_url: str, warning_id: str, suffix: str = "json") -> str:
    """`…/api31/dashboard/{ARS}.json` → `…/api31/warnings/{id}.json` on the same host (NINA's documented layout)."""
    return urljoin(dashboard_url, f"../warnings/{quote(warning_id, safe='.-_')}.{suffix}")


def parse_nina(
    data: bytes, *, fetched_at: datetime, details: dict[str, bytes] | None = None, language_hint: str | None = None
) -> ParsedFeed:
    """A NINA dashboard (or mapData) list; `details` maps "json:{id}" and "geojson:{id}" to fetched bodies."""
    document = bj.loads(data, what="NINA dashboard")
    if not isinstance(document, list):
        raise FeedError("NINA dashboard: expected a JSON array of warnings")
    details = details or {}
    reader = _Reader("nina")
    for index, raw in enumerate(bj.items(document, limit=MAX_WARNINGS + 1)):
        item = bj.mapping(raw)
        warning = _nina_summary(item)
        if warning is None:
            reader.add(None, f"warning [{index}]")
            continue
        detail = details.get(f"json:{warning['identifier']}")
        if detail is not None:
            try:
                full = warnings.from_cap(bj.loads(detail, what="NINA warning"), "nina", language_hint=language_hint)
            except FeedError as exc:
                full = None
                reader.notes.append(f"details of {warning['identifier']}: {exc}; the dashboard's headline stands in")
            if full is not None:
                full["version"] = warning["version"]
                full["msg_type"] = full["msg_type"] or warning["msg_type"]
                warning = full
        shape = details.get(f"geojson:{warning['identifier']}")
        if shape is not None:
            try:
                polygons = warnings.geojson_polygons(bj.loads(shape, what="NINA GeoJSON"))
            except FeedError as exc:
                polygons = []
                reader.notes.append(f"area of {warning['identifier']}: {exc}")
            if polygons:
                if not warning["areas"]:
                    warning["areas"].append({"desc": None, "geocodes": [], "polygons": [], "circles": []})
                warning["areas"][0]["polygons"].extend(polygons)
        reader.add(warning, f"warning [{index}]")
    return reader.feed("nina", "NINA", fetched_at=fetched_at)


def _nina_summary(item: dict[str, Any]) -> dict[str, Any] | None:
    payload = bj.mapping(item.get("payload"))
    data = bj.mapping(payload.get("data"))
    identifier = one_line(bj.text(item.get("id") or payload.get("id"), max_chars=300), max_chars=300)
    if not identifier:
        return None
    titles = bj.mapping(item.get("i18nTitle"))
    warning = warnings.empty("nina", identifier)
    warning["headline"] = one_line(bj.text(data.get("headline") or titles.get("de") or titles.get("en")),
                                   max_chars=1000) or None  # fmt: skip
    warning["texts"] = {
        lang: {"headline": one_line(bj.text(title), max_chars=1000) or None, "description": None, "instruction": None}
        for lang, title in titles.items()
        if bj.text(title)
    }
    warning["severity"] = one_line(bj.text(data.get("severity") or item.get("severity")), max_chars=50) or None
    warning["urgency"] = one_line(bj.text(data.get("urgency") or item.get("urgency")), max_chars=50) or None
    warning["msg_type"] = one_line(bj.text(data.get("msgType") or item.get("type")), max_chars=50) or None
    warning["sender_name"] = one_line(bj.text(data.get("provider")), max_chars=100) or None
    warning["event"] = one_line(bj.text(bj.mapping(data.get("transKeys") or item.get("transKeys")).get("event")),
                                max_chars=100) or None  # fmt: skip
    warning["sent"] = warnings.when(item.get("sent") or item.get("startDate"))
    warning["onset"] = warnings.when(item.get("onset"))
    warning["effective"] = warnings.when(item.get("effective"))
    warning["expires"] = warnings.when(item.get("expires") or item.get("expiresDate"))
    version = payload.get("version", item.get("version"))
    warning["version"] = version if isinstance(version, int) and not isinstance(version, bool) else None
    warning["status"] = "Actual"
    warning["language"] = "de"
    return warning


# --- Alertswiss ----------------------------------------------------------------------------------------


def parse_alertswiss(data: bytes, *, fetched_at: datetime, language_hint: str | None = None) -> ParsedFeed:
    """Alertswiss v2: `{"body": {"alerts": [{"reference": …, "alert": "<CAP XML>"}]}}`."""
    document = bj.mapping(bj.loads(data, what="Alertswiss alerts"))
    alerts = bj.mapping(document.get("body")).get("alerts", document.get("alerts"))
    if not isinstance(alerts, list):
        raise FeedError("Alertswiss alerts: no list of alerts under body.alerts")
    reader = _Reader("alertswiss")
    for index, item in enumerate(alerts[: MAX_WARNINGS + 1]):
        xml = bj.text(bj.mapping(item).get("alert"), max_chars=2_000_000)
        if not xml:
            reader.add(None, f"alert [{index}]", "no CAP document in 'alert'")
            continue
        try:
            warning = warnings.from_cap(cap.read_alert(xml.encode("utf-8")), "alertswiss", language_hint=language_hint)
        except FeedError as exc:
            reader.add(None, f"alert [{index}]", str(exc))
            continue
        reader.add(warning, f"alert [{index}]")
    return reader.feed("alertswiss", "Alertswiss", fetched_at=fetched_at)


# --- Krisinformation -----------------------------------------------------------------------------------


def parse_krisinformation(data: bytes, *, fetched_at: datetime, language_hint: str | None = None) -> ParsedFeed:
    """Krisinformation v3 `news`/`vmas` (an array of items), or the VMA API's `{"alerts": [CAP-like]}`."""
    document = bj.loads(data, what="Krisinformation")
    reader = _Reader("krisinformation")
    if isinstance(document, dict) and isinstance(document.get("alerts"), list):
        for index, alert in enumerate(document["alerts"][: MAX_WARNINGS + 1]):
            reader.add(warnings.from_cap(alert, "krisinformation", language_hint=language_hint), f"alert [{index}]")
        return reader.feed("krisinformation-vma", "VMA", fetched_at=fetched_at)
    if not isinstance(document, list):
        raise FeedError("Krisinformation: expected a JSON array of items (v3 news or vmas)")
    for index, raw in enumerate(document[: MAX_WARNINGS + 1]):
        reader.add(_krisinformation_item(bj.mapping(raw)), f"item [{index}]")
    return reader.feed("krisinformation", "Krisinformation", fetched_at=fetched_at)


def _krisinformation_item(item: dict[str, Any]) -> dict[str, Any] | None:
    identifier = one_line(bj.text(item.get("Identifier") or item.get("ContentId"), max_chars=300), max_chars=300)
    if not identifier:
        return None
    warning = warnings.empty("krisinformation", identifier)
    preamble = html_to_text(bj.text(item.get("Preamble")) or bj.text(item.get("PushMessage")) or "", max_chars=5_000)
    body = html_to_text(bj.text(item.get("BodyText"), max_chars=80_000) or "", max_chars=20_000)
    warning["headline"] = html_to_text(bj.text(item.get("Headline")) or "", max_chars=1_000) or None
    warning["description"] = "\n".join(p for p in (preamble, body) if p) or None
    warning["sent"] = warnings.when(item.get("Published"))
    warning["effective"] = warnings.when(item.get("Updated"))
    warning["language"] = one_line(bj.text(item.get("Language")), max_chars=10).lower()[:2] or "sv"
    warning["sender_name"] = one_line(bj.text(item.get("SenderName")), max_chars=300) or None
    warning["web"] = bj.text(item.get("Web"), max_chars=2000)
    warning["event"] = one_line(bj.text(item.get("Event")), max_chars=100) or None
    warning["status"] = "Test" if item.get("IsTest") is True else "Actual"
    warning["msg_type"] = "Alert"
    for area in bj.items(item.get("Area"), limit=warnings.MAX_AREAS):
        area = bj.mapping(area)
        point = bj.mapping(area.get("CoordinateObject"))
        circles = []
        try:
            lat, lon = float(bj.text(point.get("Latitude")) or ""), float(bj.text(point.get("Longitude")) or "")
            if -90 <= lat <= 90 and -180 <= lon <= 180:
                circles.append([lat, lon, 0.0])
        except ValueError:
            pass
        kind = one_line(bj.text(area.get("Type")), max_chars=50)
        warning["areas"].append({"desc": one_line(bj.text(area.get("Description")), max_chars=500) or None,
                                 "geocodes": [["Type", kind]] if kind else [], "polygons": [], "circles": circles})  # fmt: skip
    warning["texts"] = {warning["language"]: {k: warning[k] for k in ("headline", "description", "instruction")}}
    warning["category"] = warnings.category(warning["status"], warning["headline"], warning["description"])
    warning["web"] = safe_link(warning["web"])
    return warning


# --- MeteoAlarm and CAP --------------------------------------------------------------------------------


def parse_meteoalarm_json(data: bytes, *, fetched_at: datetime, language_hint: str | None = None) -> ParsedFeed:
    """MeteoAlarm API v1: `{"warnings": [{"uuid": …, "alert": <CAP as JSON>}]}`."""
    document = bj.mapping(bj.loads(data, what="MeteoAlarm warnings"))
    items = document.get("warnings")
    if not isinstance(items, list):
        raise FeedError("MeteoAlarm warnings: no list under 'warnings'")
    reader = _Reader("meteoalarm")
    for index, item in enumerate(items[: MAX_WARNINGS + 1]):
        reader.add(warnings.from_cap(bj.mapping(item).get("alert"), "meteoalarm", language_hint=language_hint),
                   f"warning [{index}]")  # fmt: skip
    return reader.feed("meteoalarm", "MeteoAlarm", fetched_at=fetched_at)


def parse_cap_documents(
    data: bytes, platform: str, *, fetched_at: datetime, language_hint: str | None = None
) -> ParsedFeed:
    """A CAP document, a zip of CAP documents, or an Atom/RSS index of CAP alerts."""
    reader = _Reader(platform)
    if data[:4] == b"PK\x03\x04":
        for name, member in _zip_members(data):
            try:
                reader.add(warnings.from_cap(cap.read_alert(member), platform, language_hint=language_hint), name)
            except FeedError as exc:
                reader.add(None, name, str(exc))
        return reader.feed("cap-zip", platform, fetched_at=fetched_at)
    if cap.looks_like_cap(data):
        reader.add(warnings.from_cap(cap.read_alert(data), platform, language_hint=language_hint), "alert")
        return reader.feed("cap", platform, fetched_at=fetched_at)
    parsed = parse_feed(data, fetched_at=fetched_at, language_hint=language_hint)
    for index, item in enumerate(parsed.entries[: MAX_WARNINGS + 1]):
        reader.add(_from_index_entry(item, platform), f"entry [{index}]")
    reader.notes.extend(parsed.notes)
    return reader.feed(f"cap-index-{parsed.format}", parsed.title, fetched_at=fetched_at)


def _zip_members(data: bytes) -> list[tuple[str, bytes]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = [i for i in archive.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise FeedError(f"zip of CAP documents cannot be read: {exc}") from None
    if len(infos) > MAX_ZIP_MEMBERS:
        raise FeedError(f"zip holds {len(infos)} files, more than the {MAX_ZIP_MEMBERS} allowed")
    if sum(i.file_size for i in infos) > MAX_ZIP_BYTES:
        raise FeedError(f"zip expands beyond {MAX_ZIP_BYTES} bytes (compression bomb?)")
    members = []
    for info in infos:
        try:
            with archive.open(info) as handle:
                body = handle.read(info.file_size + 1)
        except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
            raise FeedError(f"zip member {info.filename[:100]!r} cannot be read: {exc}") from None
        if len(body) > info.file_size:
            raise FeedError(f"zip member {info.filename[:100]!r} is larger than it declares")
        members.append((info.filename[:200], body))
    return members


def _from_index_entry(item: Entry, platform: str) -> dict[str, Any] | None:
    """An Atom/RSS entry of a CAP index (MeteoAlarm's Atom, NWS): its cap:* summary, the entry's own
    title and text where the summary says nothing."""
    summary = item.extra.get("cap") or {}
    identifier = summary.get("identifier") or item.guid
    if not identifier:
        return None
    warning = warnings.empty(platform, one_line(identifier, max_chars=2000))
    warning["headline"] = item.title or summary.get("event")
    warning["description"] = item.text or None
    warning["event"] = summary.get("event") or None
    for key in ("severity", "urgency", "certainty", "status", "scope"):
        warning[key] = summary.get(key) or None
    warning["msg_type"] = summary.get("message_type") or summary.get("msgtype") or None
    warning["sent"] = warnings.when(summary.get("sent")) or item.published.isoformat()
    for key in ("onset", "effective", "expires"):
        warning[key] = warnings.when(summary.get(key))
    warning["references"] = warnings.references(summary.get("references"))
    warning["language"] = item.language
    warning["sender_name"] = item.author
    warning["web"] = item.link
    if summary.get("areadesc"):
        geocodes = [[m.group(1), m.group(2)] for m in _GEOCODE_IN_LINK.finditer(item.link or "")]
        warning["areas"].append({"desc": summary["areadesc"], "geocodes": geocodes, "polygons": [], "circles": []})
    warning["texts"] = {
        warning["language"] or "und": {"headline": warning["headline"], "description": warning["description"],
                                       "instruction": None}
    }  # fmt: skip
    warning["category"] = warnings.category(warning["status"], warning["headline"], warning["description"])
    return warning


# --- dispatch ------------------------------------------------------------------------------------------

Parser = Callable[..., ParsedFeed]


def parse_partner(
    platform: str,
    data: bytes,
    *,
    fetched_at: datetime,
    language_hint: str | None = None,
    details: dict[str, bytes] | None = None,
) -> ParsedFeed:
    """One fetched partner document (with NINA's fetched details) → entries holding warnings."""
    if not data.strip():
        raise FeedError("empty response body")
    head = data.lstrip()[:1]
    if platform == "nina":
        return parse_nina(data, fetched_at=fetched_at, details=details, language_hint=language_hint)
    if platform == "alertswiss":
        return parse_alertswiss(data, fetched_at=fetched_at, language_hint=language_hint)
    if platform == "krisinformation":
        return parse_krisinformation(data, fetched_at=fetched_at, language_hint=language_hint)
    if platform == "meteoalarm" and head == b"{":
        return parse_meteoalarm_json(data, fetched_at=fetched_at, language_hint=language_hint)
    return parse_cap_documents(data, platform, fetched_at=fetched_at, language_hint=language_hint)
