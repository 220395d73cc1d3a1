"""The official crisis feed of an incident: Atom and CAP 1.2, what the website republishes.

Built from the database on demand and written to var/public/incident-<id>/ (an ignored runtime folder of
the checkout, or $CRISISDESK_PUBLIC_DIR) after every publication, so the files can always be regenerated
and never disagree with the record. Every text that reaches the XML passes `inputs.xml_safe`: a title or an
organisation name with control characters cannot make the feeds invalid.
"""

from __future__ import annotations

import os
import re
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree as ET

from sqlalchemy import Engine, select

from core.config import PROJECT_ROOT
from core.db import read_session
from playbooks.workflow.inputs import xml_safe
from playbooks.workflow.models import Incident, Message
from sources.models import Organisation

ATOM = "http://www.w3.org/2005/Atom"
CAP = "urn:oasis:names:tc:emergency:cap:1.2"
CAP_CATEGORY = {"fire-smoke": "Fire", "drinking-water": "Health", "power-outage": "Infra"}
_CORRECTION_LABEL = {"sv": "Rättelse", "fi": "Oikaisu", "de": "Korrektur", "nl": "Correctie", "en": "Correction"}


RUNTIME_DIR = PROJECT_ROOT / "var"  # generated while the desk runs; ignored by git (.gitignore)


def public_dir() -> Path:
    """Where the public feed files go: $CRISISDESK_PUBLIC_DIR, else var/public/ (never the tracked data/)."""
    return Path(os.environ.get("CRISISDESK_PUBLIC_DIR") or RUNTIME_DIR / "public")


def _load(engine: Engine, incident_id: int) -> tuple[Incident, list[Message], str]:
    with read_session(engine) as session:
        incident = session.get(Incident, incident_id)
        if incident is None:
            raise ValueError(f"no incident {incident_id}")
        published = list(
            session.scalars(
                select(Message)
                .where(Message.incident_id == incident_id, Message.published_at.is_not(None))
                .order_by(Message.published_at, Message.id)
            )
        )
        org = session.get(Organisation, 1)
    return incident, published, (xml_safe(org.name).strip() if org else "") or "crisisdesk"


def entry_id(incident_id: int, message_id: int) -> str:
    return f"urn:crisisdesk:incident:{incident_id}:message:{message_id}"


def atom(engine: Engine, incident_id: int) -> bytes:
    incident, published, organisation = _load(engine, incident_id)
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _sub(feed, "id", f"urn:crisisdesk:incident:{incident_id}")
    _sub(feed, "title", f"{organisation}: {incident.title}" + (" (EXERCISE)" if incident.exercise else ""))
    updated = max([m.published_at for m in published if m.published_at] + [incident.opened_at])
    _sub(feed, "updated", _iso(updated))
    author = _sub(feed, "author")
    _sub(author, "name", organisation)
    _sub(feed, "generator", "crisisdesk")
    for message in reversed(published):
        entry = _sub(feed, "entry")
        _sub(entry, "id", entry_id(incident_id, message.id))
        first_line = message.text.split("\n", 1)[0][:160]
        title = (
            f"{_CORRECTION_LABEL.get(message.language, 'Correction')}: {first_line}"
            if message.kind == "correction"
            else first_line
        )
        _sub(entry, "title", title)
        assert message.published_at is not None
        _sub(entry, "published", _iso(message.published_at))
        _sub(entry, "updated", _iso(message.published_at))
        content = _sub(entry, "content", message.text)
        content.set("type", "text")
        content.set("{http://www.w3.org/XML/1998/namespace}lang", message.language)
        if message.replaces_id:
            link = _sub(entry, "link")
            link.set("rel", "related")
            link.set("href", entry_id(incident_id, message.replaces_id))
            link.set("title", "correction of" if message.kind == "correction" else "replaces")
        if message.superseded_by_id:
            link = _sub(entry, "link")
            link.set("rel", "related")
            link.set("href", entry_id(incident_id, message.superseded_by_id))
            link.set("title", "superseded by")
        category = _sub(entry, "category")
        category.set("term", message.kind)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8")


def cap_sender(organisation: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", organisation.lower()).strip("-") or "organisation"
    return f"crisisdesk@{slug}"


def cap(engine: Engine, incident_id: int) -> bytes:
    """The incident's current CAP alert: Alert, then Update with references, Cancel once closed."""
    incident, published, organisation = _load(engine, incident_id)
    sender = cap_sender(organisation)
    # One alert per publication (and one for the closing); each references all before it.
    moments = [m.published_at for m in published if m.published_at]
    if incident.closed_at is not None:
        moments.append(incident.closed_at)
    if not moments:
        raise ValueError(f"incident {incident_id} has published nothing yet: no CAP alert")
    identifiers = [f"crisisdesk-{incident_id}-{n}" for n in range(1, len(moments) + 1)]
    ET.register_namespace("", CAP)
    alert = ET.Element(f"{{{CAP}}}alert")
    _cap(alert, "identifier", identifiers[-1])
    _cap(alert, "sender", sender)
    _cap(alert, "sent", _cap_time(moments[-1]))
    _cap(alert, "status", "Exercise" if incident.exercise else "Actual")
    msg_type = "Cancel" if incident.closed_at is not None else ("Alert" if len(moments) == 1 else "Update")
    _cap(alert, "msgType", msg_type)
    _cap(alert, "scope", "Public")
    if len(moments) > 1:
        _cap(
            alert,
            "references",
            " ".join(f"{sender},{i},{_cap_time(t)}" for i, t in zip(identifiers[:-1], moments[:-1], strict=True)),
        )
    current: dict[str, Message] = {}
    for message in published:
        if message.state == "published":
            current[message.language] = message
    for language, message in sorted(current.items()):
        info = _cap(alert, "info")
        _cap(info, "language", language)
        _cap(info, "category", CAP_CATEGORY.get(incident.playbook, "Other"))
        _cap(info, "event", incident.title[:200])
        _cap(info, "urgency", "Past" if incident.closed_at else "Immediate")
        _cap(info, "severity", "Unknown")
        _cap(info, "certainty", "Observed")
        _cap(info, "senderName", organisation)
        _cap(info, "headline", message.text.split("\n", 1)[0][:160])
        _cap(info, "description", message.text)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(alert, encoding="utf-8")


def write_public(engine: Engine, incident_id: int, directory: Path | None = None) -> list[Path]:
    """Rewrite the incident's public files (atomically: a reader never sees half a file)."""
    target = (directory or public_dir()) / f"incident-{incident_id}"
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, render in (("feed.atom", atom), ("alert.cap.xml", cap)):
        try:
            data = render(engine, incident_id)
        except ValueError:
            continue
        # A temporary name of its own: two processes publishing at once never write into one file.
        handle, tmp_name = tempfile.mkstemp(dir=target, prefix=f".{name}.", suffix=".tmp")
        tmp = Path(tmp_name)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            tmp.chmod(0o644)  # mkstemp makes it private; the website's server reads these files
            tmp.replace(target / name)
        finally:
            tmp.unlink(missing_ok=True)
        written.append(target / name)
    return written


def refresh_public(engine: Engine, incident_id: int) -> str | None:
    """`write_public` after a committed change: None, or what went wrong as one line for a warning.

    The change stands whatever happens here (the files are regenerated from the record by the next
    publication or `crisisdesk feed`), so a full disk is reported, not raised as a failed action."""
    try:
        write_public(engine, incident_id)
    except OSError as exc:
        return (
            f"the public feed files of incident {incident_id} could not be written ({exc.strerror or exc}: "
            f"{exc.filename or public_dir()}); they are rewritten by the next publication, and "
            f"`crisisdesk feed {incident_id}` prints them meanwhile"
        )
    return None


def _sub(parent: ET.Element, name: str, text: str | None = None) -> ET.Element:
    node = ET.SubElement(parent, f"{{{ATOM}}}{name}")
    if text is not None:
        node.text = xml_safe(text)
    return node


def _cap(parent: ET.Element, name: str, text: str | None = None) -> ET.Element:
    node = ET.SubElement(parent, f"{{{CAP}}}{name}")
    if text is not None:
        node.text = xml_safe(text)
    return node


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _cap_time(value: datetime) -> str:
    # CAP 1.2 requires an explicit offset and no fractional seconds ("Z" is not allowed).
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")
