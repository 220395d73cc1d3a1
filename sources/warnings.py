"""Partner warnings in one normal form, whatever system sent them (NINA, Alertswiss, Krisinformation,
MeteoAlarm, any CAP): the fields of CAP 1.2 a crisis information unit reads, as plain JSON data kept in
a post's `extra["warning"]`.

The form (every key always present; None or [] when the source does not say):
    platform, identifier, sender, sent, status, msg_type, scope, references (identifiers it updates or
    cancels), category ("actual", "test", "exercise", "system"), headline, description, instruction,
    event, severity, urgency, certainty, language, sender_name, web, onset, effective, expires,
    areas [{desc, geocodes [[name, value]], polygons [[[lat, lon], ...]], circles [[lat, lon, km]]}],
    texts {language: {headline, description, instruction}} (every language the warning came in),
    version (the source's own revision counter, when it has one).
"""

from __future__ import annotations

import math
import re
from datetime import datetime
from typing import Any

from core.clock import ClockError, parse_instant
from sources import boundedjson as bj
from sources import language
from sources.entries import Entry, Normalised
from sources.text import html_to_text, one_line, safe_link

# The partner warning systems read (sources.partners), and what a partner account's platform may be.
PLATFORMS = ("nina", "alertswiss", "krisinformation", "meteoalarm", "cap")
SEVERITIES = ("Extreme", "Severe", "Moderate", "Minor", "Unknown")
MAX_AREAS = 200
MAX_POINTS = 5_000
# CAP statuses that are never a real warning to the public.
_NOT_ACTUAL = {"test": "test", "exercise": "exercise", "system": "system", "draft": "test"}
# The Alertswiss convention: a test under status Actual carries ***TEST*** in its headline and text.
_TEST_MARK = re.compile(r"\*{3}\s*test\s*\*{3}|\*{3}\s*test message\s*\*{3}", re.IGNORECASE)


def when(value: Any) -> str | None:
    """An ISO 8601 instant from a feed as UTC ISO text, or None when it is missing or unusable
    (NINA's test data carries the year 3021)."""
    raw = bj.text(value, max_chars=100)
    if not raw:
        return None
    try:
        return parse_instant(raw, what="time").isoformat()
    except ClockError:
        return None


def references(value: Any) -> list[str]:
    """The identifiers a CAP `references` field names: "sender,identifier,sent" triples, space-separated,
    or (BIWAPP via NINA, a real-world quirk) bare identifiers."""
    raw = bj.text(value, max_chars=20_000) or ""
    found = []
    for token in raw.split()[:MAX_AREAS]:
        parts = token.split(",")
        identifier = parts[1] if len(parts) == 3 else parts[0] if len(parts) == 1 else ""
        if identifier:
            found.append(identifier)
    return list(dict.fromkeys(found))


def category(status: str | None, *texts: str | None) -> str:
    """actual, test, exercise or system: the CAP status, and ***TEST*** in an Actual message's text."""
    found = _NOT_ACTUAL.get((status or "").strip().lower())
    if found:
        return found
    if any(t and _TEST_MARK.search(t) for t in texts):
        return "test"
    return "actual"


def polygon(value: Any) -> list[list[float]] | None:
    """A CAP polygon ("lat,lon lat,lon ...") as [[lat, lon], ...], or None when it is not one."""
    raw = bj.text(value, max_chars=400_000)
    if not raw:
        return None
    points = []
    for pair in raw.split()[:MAX_POINTS]:
        point = _point(pair)
        if point is None:
            return None
        points.append(point)
    return points if len(points) >= 3 else None


def circle(value: Any) -> list[float] | None:
    """A CAP circle ("lat,lon radius-km") as [lat, lon, km]."""
    raw = bj.text(value, max_chars=200)
    parts = (raw or "").split()
    if len(parts) != 2:
        return None
    point = _point(parts[0])
    try:
        radius = float(parts[1])
    except ValueError:
        return None
    if point is None or not 0 <= radius <= 20_000:
        return None
    return [point[0], point[1], radius]


def _point(pair: str) -> list[float] | None:
    try:
        lat, lon = (float(x) for x in pair.split(","))
    except ValueError:
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return [lat, lon]


def geojson_polygons(document: Any) -> list[list[list[float]]]:
    """The polygons of a GeoJSON FeatureCollection (NINA's /warnings/{id}.geojson) as [[lat, lon], ...]
    (GeoJSON says [lon, lat]); outer rings only, bounded."""
    found: list[list[list[float]]] = []
    for feature in bj.items(bj.mapping(document).get("features"), limit=MAX_AREAS):
        geometry = bj.mapping(bj.mapping(feature).get("geometry"))
        kind = geometry.get("type")
        rings = bj.items(geometry.get("coordinates"), limit=MAX_AREAS)
        shapes = [rings] if kind == "Polygon" else rings if kind == "MultiPolygon" else []
        for shape in shapes:
            outer = bj.items(shape, limit=1)
            points = []
            for xy in bj.items(outer[0] if outer else None, limit=MAX_POINTS):
                if isinstance(xy, list) and len(xy) >= 2:
                    lon, lat = _finite(xy[0]), _finite(xy[1])
                    if lon is not None and lat is not None and -90 <= lat <= 90 and -180 <= lon <= 180:
                        points.append([lat, lon])
            if len(points) >= 3:
                found.append(points)
    return found[:MAX_AREAS]


def _strings(value: Any) -> list[Any]:
    """A CAP field that may occur more than once: a list of values in CAP-as-JSON, or one value."""
    return [value] if isinstance(value, str) else bj.items(value, limit=MAX_AREAS)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _finite(value: Any) -> float | None:
    """A JSON number as a finite float, or None (a 400-digit integer does not fit a float)."""
    if not _number(value):
        return None
    try:
        number = float(value)
    except (OverflowError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _clean(value: Any, *, html: bool = False, max_chars: int = 20_000) -> str | None:
    raw = bj.text(value, max_chars=max_chars * 4)
    if not raw:
        return None
    cleaned = html_to_text(raw, max_chars=max_chars) if html else one_line(raw, max_chars=max_chars)
    return cleaned or None


def _pairs(value: Any) -> list[list[str]]:
    out = []
    for pair in bj.items(value, limit=MAX_AREAS):
        pair = bj.mapping(pair)
        name, val = bj.text(pair.get("valueName"), max_chars=100), bj.text(pair.get("value"), max_chars=500)
        if name and val:
            out.append([name, val])
    return out


def empty(platform: str, identifier: str) -> dict[str, Any]:
    return {
        "platform": platform, "identifier": identifier, "sender": None, "sent": None, "status": None,
        "msg_type": None, "scope": None, "references": [], "category": "actual", "headline": None,
        "description": None, "instruction": None, "event": None, "severity": None, "urgency": None,
        "certainty": None, "language": None, "sender_name": None, "web": None, "onset": None, "effective": None,
        "expires": None, "areas": [], "texts": {}, "version": None,
    }  # fmt: skip


def from_cap(alert: Any, platform: str, *, language_hint: str | None = None) -> dict[str, Any] | None:
    """A CAP alert in its JSON shape (NINA's warning details, MeteoAlarm's API, `cap.read_alert`), or None
    when it has no identifier."""
    alert = bj.mapping(alert)
    identifier = one_line(bj.text(alert.get("identifier"), max_chars=2000), max_chars=2000)
    if not identifier:
        return None
    warning = empty(platform, identifier)
    warning["sender"] = _clean(alert.get("sender"), max_chars=500)
    warning["sent"] = when(alert.get("sent"))
    warning["status"] = _clean(alert.get("status"), max_chars=50)
    warning["msg_type"] = _clean(alert.get("msgType"), max_chars=50)
    warning["scope"] = _clean(alert.get("scope"), max_chars=50)
    warning["references"] = references(alert.get("references"))
    infos = [bj.mapping(i) for i in bj.items(alert.get("info"), limit=MAX_AREAS)]
    wanted = language.normalise(language_hint)
    primary = next((i for i in infos if wanted and language.normalise(bj.text(i.get("language"))) == wanted), None)
    primary = primary or (infos[0] if infos else {})
    for info in infos:
        lang = (bj.text(info.get("language"), max_chars=20) or "und").strip()
        text = {
            "headline": _clean(info.get("headline"), max_chars=1000),
            "description": _clean(info.get("description"), html=True),
            "instruction": _clean(info.get("instruction"), html=True),
        }
        warning["texts"].setdefault(lang, text)
    texts = warning["texts"].get((bj.text(primary.get("language"), max_chars=20) or "und").strip(), {})
    warning.update({k: texts.get(k) for k in ("headline", "description", "instruction")})
    for key, name in (("event", "event"), ("severity", "severity"), ("urgency", "urgency"),
                      ("certainty", "certainty"), ("sender_name", "senderName")):  # fmt: skip
        warning[key] = _clean(primary.get(name), max_chars=500)
    params = dict(reversed(_pairs(primary.get("parameter"))))
    warning["sender_name"] = warning["sender_name"] or params.get("sender_langname")
    warning["language"] = language.normalise(bj.text(primary.get("language"), max_chars=20))
    warning["web"] = safe_link(bj.text(primary.get("web"), max_chars=2000))
    for key in ("onset", "effective", "expires"):
        warning[key] = when(primary.get(key))
    for area in bj.items(primary.get("area"), limit=MAX_AREAS):
        area = bj.mapping(area)
        warning["areas"].append({
            "desc": _clean(area.get("areaDesc"), max_chars=500),
            "geocodes": _pairs(area.get("geocode")),
            "polygons": [p for p in (polygon(v) for v in _strings(area.get("polygon"))) if p],
            "circles": [c for c in (circle(v) for v in _strings(area.get("circle"))) if c],
        })  # fmt: skip
    all_texts = [t for block in warning["texts"].values() for t in (block["headline"], block["description"])]
    warning["category"] = category(warning["status"], *all_texts)
    return warning


def entry(warning: dict[str, Any], *, fetched_at: datetime) -> Entry:
    """The post a warning is stored as: its headline, texts and area, and the whole warning in `extra`."""
    sent = warning.get("sent")
    published, source = (datetime.fromisoformat(sent), "published") if sent else (fetched_at, "fetched")
    areas = "; ".join(a["desc"] for a in warning["areas"] if a.get("desc"))
    text = "\n".join(p for p in (warning["description"], warning["instruction"], areas) if p)
    normalised = Normalised(
        title=one_line(warning["headline"] or warning["event"] or warning["identifier"], max_chars=1000),
        text=text,
        link=warning["web"],
        author=warning["sender_name"] or warning["sender"],
        language=warning["language"] or language.detect(text),
        published=published,
        published_source=source,
        extra={"format": "partner", "warning": warning},
    )
    return Entry.ready(warning["identifier"][:2000], normalised)


def severity_rank(severity: str | None) -> int:
    """Extreme 0 … Unknown 4 (and anything else 5): for sorting, most severe first."""
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)
