"""The demo: a local feed server that replays a scenario on an accelerated clock.

Each scenario post appears in its account's feed when its time comes, as a real RSS or Atom document
served on 127.0.0.1, so the poller and the desk see exactly what they would see in production. The
scenario's partner warnings (a VMA-style CAP alert, its Update, perhaps its Cancel) are served the same
way, as the CAP 1.2 document of the latest one released at /<account>.cap, or an empty CAP Atom index
before the first: a healthy feed with no warning in force. The dashboard asks /_status when the scenario
ends (and for the demo's logins, shown on its sign-in page) and POSTs /_replay to play it again: the same
posts and warnings, as new ones, from the start.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET
from xml.sax.saxutils import escape, quoteattr

import yaml
from sqlalchemy import Engine

from core.config import DATA_DIR
from playbooks.workflow import incidents, messages, users

DEMO_DIR = DATA_DIR / "demo"
# Real seconds per scenario minute: the 20 scenario minutes play over 10 minutes, time enough to triage,
# approve and publish as they come (issue 13; it was 2 s, 40 s in all).
SECONDS_PER_MINUTE = 30.0


@dataclass(frozen=True)
class ScenarioPost:
    at_min: float
    account: str
    title: str
    text: str
    link: str | None = None


CAP_NS = "urn:oasis:names:tc:emergency:cap:1.2"
ATOM_NS = "http://www.w3.org/2005/Atom"
MSG_TYPES = ("Alert", "Update", "Cancel")


@dataclass(frozen=True)
class ScenarioWarning:
    """A partner warning of the scenario: released at minute `at_min` in its account's CAP feed, in force
    until minute `expires_min`. An Update or Cancel refers to the account's warning before it."""

    at_min: float
    account: str
    msg_type: str
    sender: str  # the CAP <sender>: an address, no spaces or commas
    sender_name: str
    headline: str
    description: str = ""
    instruction: str = ""
    expires_min: float | None = None
    area: str = ""  # the CAP <areaDesc>, what the registry's area names are matched with
    geocodes: tuple[tuple[str, str], ...] = ()
    circle: str | None = None  # "lat,lon radius-km"
    event: str = ""
    severity: str = "Severe"
    urgency: str = "Immediate"
    certainty: str = "Observed"
    web: str | None = None
    language: str = "sv-SE"


def load_scenario(path: Path = DEMO_DIR / "scenario.yaml") -> tuple[dict[str, Any], list[ScenarioPost]]:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    posts = [
        ScenarioPost(float(p["at"]), p["account"], p["title"], p["text"], p.get("link"))
        for p in document.get("posts", [])
    ]
    return document, sorted(posts, key=lambda p: p.at_min)


def scenario_warnings(document: dict[str, Any]) -> list[ScenarioWarning]:
    """The scenario's `partner_warnings`, in time order. A ValueError names what is wrong: a message type
    other than Alert/Update/Cancel, an Update or Cancel with nothing before it to refer to, an expiry
    not after the release."""
    found = []
    for item in document.get("partner_warnings") or []:
        msg_type = str(item.get("msg_type", "Alert"))
        if msg_type not in MSG_TYPES:
            raise ValueError(f"partner warning at {item.get('at')}: msg_type {msg_type!r} is not one of {MSG_TYPES}")
        expires = item.get("expires")
        warning = ScenarioWarning(
            at_min=float(item["at"]), account=str(item["account"]), msg_type=msg_type, sender=str(item["sender"]),
            sender_name=str(item["sender_name"]), headline=str(item["headline"]),
            description=str(item.get("description", "")), instruction=str(item.get("instruction", "")),
            expires_min=None if expires is None else float(expires), area=str(item.get("area", "")),
            geocodes=tuple((str(k), str(v)) for k, v in (item.get("geocodes") or {}).items()),
            circle=item.get("circle"), event=str(item.get("event", "")),
            severity=str(item.get("severity", "Severe")), urgency=str(item.get("urgency", "Immediate")),
            certainty=str(item.get("certainty", "Observed")), web=item.get("web"),
            language=str(item.get("language", "sv-SE")),
        )  # fmt: skip
        if any(c in warning.sender for c in " ,<&"):
            raise ValueError(
                f"partner warning at {warning.at_min}: sender {warning.sender!r} has a space, comma, < or &"
            )
        if warning.expires_min is not None and warning.expires_min <= warning.at_min:
            raise ValueError(
                f"partner warning at {warning.at_min}: expires (minute {warning.expires_min}) before it is sent"
            )
        found.append(warning)
    found.sort(key=lambda w: w.at_min)
    for index, warning in enumerate(found):
        if warning.msg_type != "Alert" and not any(w.account == warning.account for w in found[:index]):
            raise ValueError(f"partner warning at {warning.at_min}: an {warning.msg_type} with no warning before it")
    return found


def _cap_time(moment: datetime) -> str:
    """CAP 1.2 dateTime: whole seconds with an explicit offset (no "Z", no fraction)."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def _sub(parent: ET.Element, name: str, text: str | None = None, ns: str = CAP_NS) -> ET.Element:
    node = ET.SubElement(parent, f"{{{ns}}}{name}")
    if text is not None:
        node.text = text  # ElementTree escapes it when it writes the document
    return node


def _utc_now() -> datetime:
    return datetime.now(UTC)


class ScenarioServer:
    """Serves /<account>.rss or /<account>.atom with the posts whose time has come, and /<account>.cap
    with the latest partner warning released (an empty CAP Atom index before the first).

    `clock` (seconds, for the scenario's progress) and `wall` (the instant the scenario starts at, for
    the feeds' dates) are time.monotonic and now, or pinned ones in tests."""

    def __init__(self, posts: list[ScenarioPost], *, seconds_per_minute: float = SECONDS_PER_MINUTE,
                 port: int = 0, warnings: Sequence[ScenarioWarning] = (),
                 clock: Callable[[], float] = time.monotonic, wall: Callable[[], datetime] = _utc_now) -> None:  # fmt: skip
        self.posts = posts
        self.warnings = sorted(warnings, key=lambda w: w.at_min)
        self.seconds_per_minute = seconds_per_minute
        self._clock, self._wall = clock, wall
        self.started = clock()
        self.started_at = wall()
        self.round = 1  # a replay is a new round: its posts have guids of their own, so they arrive anew
        self._lock = threading.Lock()
        self._serving = False
        server = self

        class _Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path == "/_status":
                    self._send(json.dumps(server.status()).encode(), "application/json")
                    return
                name, _, ext = self.path.lstrip("/").partition(".")
                if ext == "cap":
                    found = server.render_cap(name)
                    if found is None:
                        self.send_error(404)
                        return
                    self._send(*found)
                    return
                body = server.render(name, ext)
                if body is None:
                    self.send_error(404)
                    return
                self._send(body, "application/atom+xml" if ext == "atom" else "application/rss+xml")

            def do_POST(self) -> None:
                if self.path != "/_replay":
                    self.send_error(404)
                    return
                server.replay()
                self._send(json.dumps(server.status()).encode(), "application/json")

            def _send(self, body: bytes, kind: str) -> None:
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    # The poller went away mid-read (the demo is stopping): nothing to tell anyone, and a
                    # traceback in the terminal on Ctrl-C would read as a failure.
                    self.close_connection = True

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), _Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def ends_at(self) -> datetime:
        last = max([p.at_min for p in self.posts] + [w.at_min for w in self.warnings], default=0.0)
        return self.at_minute(last)

    def at_minute(self, minute: float) -> datetime:
        """The instant of a scenario minute in this round."""
        return self.started_at + timedelta(seconds=minute * self.seconds_per_minute)

    def status(self) -> dict[str, Any]:
        """What the dashboard shows in demo mode: when the scenario ends (or ended), and the logins."""
        ends = self.ends_at()
        return {"round": self.round, "started": self.started_at.isoformat(), "ends": ends.isoformat(),
                "ended": self._wall() >= ends, "users": DEMO_USERS, "password": DEMO_PASSWORD}  # fmt: skip

    def replay(self) -> None:
        """The scenario again from its start, its posts and warnings as new ones (a new round)."""
        with self._lock:
            self.round += 1
            self.started, self.started_at = self._clock(), self._wall()

    def _elapsed_min(self) -> float:
        return (self._clock() - self.started) / self.seconds_per_minute

    def released(self, account: str) -> list[tuple[int, ScenarioPost, datetime]]:
        elapsed_min = self._elapsed_min()
        return [
            (i, p, self.started_at + timedelta(seconds=p.at_min * self.seconds_per_minute))
            for i, p in enumerate(self.posts)
            if p.account == account and p.at_min <= elapsed_min
        ]

    def render(self, account: str, ext: str) -> bytes | None:
        if ext not in ("rss", "atom") or not any(p.account == account for p in self.posts):
            return None
        items = self.released(account)
        if ext == "atom":
            entries = "".join(
                f"<entry><id>urn:demo:{account}:{self._round_tag}{i}</id><title>{escape(p.title)}</title>"
                f"<link href={quoteattr(p.link or f'https://social.example/{account}/{i}')}/>"
                f'<updated>{when.isoformat()}</updated><content type="text">{escape(p.text)}</content></entry>'
                for i, p, when in items
            )
            document = (
                f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
                f"<id>urn:demo:{account}</id><title>{escape(account)}</title>"
                f"<updated>{self.started_at.isoformat()}</updated>{entries}</feed>"
            )
        else:
            entries = "".join(
                f'<item><guid isPermaLink="false">demo-{account}-{self._round_tag}{i}</guid><title>{escape(p.title)}</title>'
                f"<link>{escape(p.link or f'https://www.torsby.se/nyheter/{i}')}</link>"
                f"<pubDate>{format_datetime(when)}</pubDate><description>{escape(p.text)}</description></item>"
                for i, p, when in items
            )
            document = (
                f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
                f"<title>{escape(account)}</title><link>https://www.torsby.se</link>{entries}</channel></rss>"
            )
        return document.encode("utf-8")

    def warning_id(self, index: int) -> str:
        """The CAP identifier of the scenario's `index`th warning in this round (a replay's are new)."""
        return f"demo-{self.warnings[index].account}-{self._round_tag}{index}"

    def released_warnings(self, account: str) -> list[int]:
        """The indexes of the account's warnings whose time has come, in order."""
        elapsed_min = self._elapsed_min()
        return [i for i, w in enumerate(self.warnings) if w.account == account and w.at_min <= elapsed_min]

    def render_cap(self, account: str) -> tuple[bytes, str] | None:
        """(document, content type) of /<account>.cap: the CAP 1.2 alert of the latest warning released,
        or, before the first, a CAP Atom index without entries (no warning in force, and a healthy feed:
        a single CAP document cannot be empty). None for an account with no warnings."""
        if not any(w.account == account for w in self.warnings):
            return None
        released = self.released_warnings(account)
        if not released:
            return self._empty_index(account), "application/atom+xml"
        return self.cap_alert(released[-1]), "application/cap+xml"

    def _empty_index(self, account: str) -> bytes:
        feed = ET.Element(f"{{{ATOM_NS}}}feed")
        _sub(feed, "id", f"urn:demo:{account}", ATOM_NS)
        _sub(feed, "title", self.warnings[0].sender_name if self.warnings else account, ATOM_NS)
        _sub(feed, "updated", _cap_time(self.started_at), ATOM_NS)
        return ET.tostring(feed, encoding="utf-8", xml_declaration=True, default_namespace=ATOM_NS)

    def cap_alert(self, index: int) -> bytes:
        """The scenario's `index`th warning as a CAP 1.2 <alert>, its times from this round's clock; an
        Update or Cancel references the account's warning before it."""
        warning = self.warnings[index]
        sent = self.at_minute(warning.at_min)
        alert = ET.Element(f"{{{CAP_NS}}}alert")
        _sub(alert, "identifier", self.warning_id(index))
        _sub(alert, "sender", warning.sender)
        _sub(alert, "sent", _cap_time(sent))
        _sub(alert, "status", "Actual")
        _sub(alert, "msgType", warning.msg_type)
        _sub(alert, "scope", "Public")
        _sub(alert, "note", "crisisdesk demo: a fictitious warning of the demo scenario")
        if warning.msg_type != "Alert":
            before = max(i for i in range(index) if self.warnings[i].account == warning.account)
            earlier = self.warnings[before]
            _sub(alert, "references",
                 f"{earlier.sender},{self.warning_id(before)},{_cap_time(self.at_minute(earlier.at_min))}")  # fmt: skip
        info = _sub(alert, "info")
        _sub(info, "language", warning.language)
        _sub(info, "category", "Fire")
        _sub(info, "event", warning.event or warning.headline)
        _sub(info, "responseType", "AllClear" if warning.msg_type == "Cancel" else "Shelter")
        _sub(info, "urgency", "Past" if warning.msg_type == "Cancel" else warning.urgency)
        _sub(info, "severity", "Minor" if warning.msg_type == "Cancel" else warning.severity)
        _sub(info, "certainty", warning.certainty)
        _sub(info, "effective", _cap_time(sent))
        if warning.expires_min is not None:
            _sub(info, "expires", _cap_time(self.at_minute(warning.expires_min)))
        _sub(info, "senderName", warning.sender_name)
        _sub(info, "headline", warning.headline)
        if warning.description:
            _sub(info, "description", warning.description)
        if warning.instruction:
            _sub(info, "instruction", warning.instruction)
        if warning.web:
            _sub(info, "web", warning.web)
        if warning.area:
            area = _sub(info, "area")
            _sub(area, "areaDesc", warning.area)
            if warning.circle:
                _sub(area, "circle", warning.circle)
            for name, value in warning.geocodes:
                geocode = _sub(area, "geocode")
                _sub(geocode, "valueName", name)
                _sub(geocode, "value", value)
        return ET.tostring(alert, encoding="utf-8", xml_declaration=True, default_namespace=CAP_NS)

    @property
    def _round_tag(self) -> str:
        # The first round keeps the guids it always had (a demo database from before replays stays whole).
        return "" if self.round == 1 else f"r{self.round}-"

    def start(self) -> ScenarioServer:
        # The scenario clock starts with the serving, after the unit's first message is approved.
        self.started, self.started_at = self._clock(), self._wall()
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self._serving = True
        return self

    def stop(self) -> None:
        if self._serving:  # shutdown() waits for serve_forever to end: before start() it waited for ever
            self.httpd.shutdown()
        self.httpd.server_close()


def registry_text(base: str, path: Path = DEMO_DIR / "accounts.yaml") -> str:
    return path.read_text(encoding="utf-8").replace("{base}", base)


DEMO_PASSWORD = "Torsby2026demo"  # noqa: S105 (the published demo login, printed by `make run`)
DEMO_USERS = {
    "admin": "admin",
    "anna": "analyst",
    "arvid": "analyst",
    "lars": "lead",
    "lena": "lead",
    "rita": "reviewer",
}


def prepare(engine: Engine, document: dict[str, Any], posts: list[ScenarioPost]) -> int:
    """Users, the open incident and its first approved message, as the unit would have them when the
    scenario's feeds start: idempotent, so `make run` can be started again on the same database."""
    if not users.list_users(engine):
        users.add(engine, "admin", "admin", password=DEMO_PASSWORD)
        for name, role in DEMO_USERS.items():
            if name != "admin":
                users.add(engine, name, role, password=DEMO_PASSWORD, by="admin")
    title = str(document.get("title", "Demo incident"))
    existing = [v for v in incidents.list_incidents(engine, open_only=True) if v.incident.title == title]
    if existing:
        return existing[0].incident.id
    incident = incidents.open_incident(engine, title=title, by="lars", playbook_name="fire-smoke",
                                       keywords=list(document.get("keywords", [])), exercise=True)  # fmt: skip
    first = next(p for p in posts if p.account == "web")
    message = messages.draft(engine, incident, first.text, by="anna", lang="sv")
    messages.submit(engine, message, by="anna")
    messages.approve(engine, message, by="lars")
    messages.publish(engine, message, by="anna")
    return incident
