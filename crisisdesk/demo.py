"""The demo: a local feed server that replays a scenario on an accelerated clock.

Each scenario post appears in its account's feed when its time comes, as a real RSS or Atom document
served on 127.0.0.1, so the poller and the desk see exactly what they would see in production. The
dashboard asks /_status when the scenario ends (and for the demo's logins, shown on its sign-in page)
and POSTs /_replay to play it again: the same posts, as new ones, from the start.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
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


def load_scenario(path: Path = DEMO_DIR / "scenario.yaml") -> tuple[dict[str, Any], list[ScenarioPost]]:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    posts = [
        ScenarioPost(float(p["at"]), p["account"], p["title"], p["text"], p.get("link"))
        for p in document.get("posts", [])
    ]
    return document, sorted(posts, key=lambda p: p.at_min)


class ScenarioServer:
    """Serves /<account>.rss or /<account>.atom with the posts whose time has come."""

    def __init__(self, posts: list[ScenarioPost], *, seconds_per_minute: float = SECONDS_PER_MINUTE,
                 port: int = 0) -> None:  # fmt: skip
        self.posts = posts
        self.seconds_per_minute = seconds_per_minute
        self.started = time.monotonic()
        self.started_at = datetime.now(UTC)
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
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), _Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def ends_at(self) -> datetime:
        last = self.posts[-1].at_min if self.posts else 0.0
        return self.started_at + timedelta(seconds=last * self.seconds_per_minute)

    def status(self) -> dict[str, Any]:
        """What the dashboard shows in demo mode: when the scenario ends (or ended), and the logins."""
        ends = self.ends_at()
        return {"round": self.round, "started": self.started_at.isoformat(), "ends": ends.isoformat(),
                "ended": datetime.now(UTC) >= ends, "users": DEMO_USERS, "password": DEMO_PASSWORD}  # fmt: skip

    def replay(self) -> None:
        """The scenario again from its start, its posts as new ones (a new round)."""
        with self._lock:
            self.round += 1
            self.started, self.started_at = time.monotonic(), datetime.now(UTC)

    def released(self, account: str) -> list[tuple[int, ScenarioPost, datetime]]:
        elapsed_min = (time.monotonic() - self.started) / self.seconds_per_minute
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

    @property
    def _round_tag(self) -> str:
        # The first round keeps the guids it always had (a demo database from before replays stays whole).
        return "" if self.round == 1 else f"r{self.round}-"

    def start(self) -> ScenarioServer:
        # The scenario clock starts with the serving, after the unit's first message is approved.
        self.started, self.started_at = time.monotonic(), datetime.now(UTC)
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
