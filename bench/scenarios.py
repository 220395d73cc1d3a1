"""Labelled incidents (tests/fixtures/checks/scenarios/, format in FORMAT.md) driven through the product.

Each scenario runs as a unit lives it, on its own database and clock: the registry is imported, the
incident opened, every message drafted, submitted, approved by a lead and published at its time, and
every post arrives in its account's feed at its time, as RSS parsed by the poller's parser, stored by
the poller's store with the checks' hook, followed by the poller's end-of-pass sweep. The flags the
desk then holds are compared with the labels. Nothing here decides a flag.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import yaml
from sqlalchemy import Engine, select

from core.db import make_engine, write_session
from crisisdesk import schema
from playbooks.workflow import flags, incidents, messages, users
from sources import registry
from sources.models import Feed
from sources.parse import parse_feed
from sources.store import store_entries

SCENARIOS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "checks" / "scenarios"
KINDS = ("rumour", "inconsistent", "unrouted", "missing_on_website", "impersonation")
ANALYST, LEAD, ADMIN = "anna", "lars", "admin"


@dataclass(frozen=True)
class Outcome:
    scenario: str
    language: str
    post: str
    account_kind: str
    expected: frozenset[str]
    found: frozenset[str]
    text: str
    evidence: tuple[tuple[str, dict[str, Any]], ...] = ()


def frozen_halves() -> list[str]:
    """The frozen test halves ("test", "test2", …), in the order they were written."""
    names = [p.name for p in SCENARIOS.iterdir() if p.is_dir() and re.fullmatch(r"test\d*", p.name)]
    return sorted(names, key=lambda n: int(n[4:] or 1))


def load(half: str) -> list[dict[str, Any]]:
    """The scenarios of one half ("dev" or "test"), in file-name order."""
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((SCENARIOS / half).glob("*.yaml"))]


def _instant(value: Any) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        raise ValueError(f"{value!r} has no UTC offset")
    return moment


@contextmanager
def _clock(moment: datetime) -> Iterator[None]:
    before = os.environ.get("CRISISDESK_NOW")
    os.environ["CRISISDESK_NOW"] = moment.isoformat()
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("CRISISDESK_NOW", None)
        else:
            os.environ["CRISISDESK_NOW"] = before


def _rss(entries: list[dict[str, Any]]) -> bytes:
    items = []
    for post in entries:
        parts = [f"<guid isPermaLink=\"false\">{escape(post['id'])}</guid>",
                 f"<pubDate>{format_datetime(_instant(post['published']))}</pubDate>",
                 f"<description>{escape(post['text'])}</description>"]  # fmt: skip
        if post.get("title"):
            parts.append(f"<title>{escape(post['title'])}</title>")
        if post.get("link"):
            parts.append(f"<link>{escape(post['link'])}</link>")
        if post.get("author"):
            parts.append(f"<dc:creator>{escape(post['author'])}</dc:creator>")
        items.append("<item>" + "".join(parts) + "</item>")
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<channel><title>feed</title>{''.join(items)}</channel></rss>"
    ).encode()


def _prepare(engine: Engine, scenario: dict[str, Any]) -> None:
    schema.upgrade(engine)
    accounts = [
        {"id": a["id"], "name": a["name"], "kind": a["kind"], "platform": a.get("platform", "web"),
         "feed": f"https://feeds.example.org/{a['id']}.xml", "languages": [scenario["language"]]}
        for a in scenario["accounts"]
    ]  # fmt: skip
    registry.import_registry(engine, registry.parse({"organisation": scenario["organisation"], "accounts": accounts}))
    users.add(engine, ADMIN, "admin")
    users.add(engine, ANALYST, "analyst", by=ADMIN)
    users.add(engine, LEAD, "lead", by=ADMIN)


def _empty_desk(path: Path) -> str:
    """A migrated, empty SQLite desk at `path`; its URL. Copied from one migrated once per process: every
    migration run again for each scenario cost a few seconds of each half (its 40 scenarios)."""
    shutil.copyfile(_migrated_desk(), path)
    return f"sqlite:///{path}"


@cache
def _migrated_desk() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="crisisdesk-scenario-template-"))
    atexit.register(shutil.rmtree, folder, True)
    engine = make_engine(f"sqlite:///{folder / 'desk.db'}")
    schema.upgrade(engine)
    engine.dispose()  # the last connection closed leaves the whole database in the file
    return folder / "desk.db"


def run(scenario: dict[str, Any], db_url: str | None = None) -> list[Outcome]:
    """Drive one scenario through the product; the flags found per post."""
    with tempfile.TemporaryDirectory(prefix="crisisdesk-scenario-") as folder:
        engine = make_engine(db_url or _empty_desk(Path(folder) / "desk.db"))
        try:
            return drive(engine, scenario)
        finally:
            engine.dispose()


def drive(engine: Engine, scenario: dict[str, Any]) -> list[Outcome]:
    """Drive one scenario through the product on this (empty) database; the flags found per post."""
    language = scenario["language"]
    incident_spec = scenario["incident"]
    with _clock(_instant(incident_spec["opened"])):
        _prepare(engine, scenario)
        incident = incidents.open_incident(
            engine,
            title=incident_spec["title"],
            by=LEAD,
            keywords=[str(k) for k in incident_spec.get("keywords") or []],
        )
    events = [(_instant(m["approved"]), 0, "message", m) for m in scenario.get("messages") or []]
    events += [(_instant(p["published"]), 1, "post", p) for p in scenario["posts"]]
    ids: dict[str, int] = {}
    published: dict[str, list[dict[str, Any]]] = {}
    for moment, _, what, item in sorted(events, key=lambda e: (e[0], e[1])):
        with _clock(moment):
            if what == "message":
                if item.get("revises"):
                    new = messages.revise(engine, ids[item["revises"]], item["text"], by=ANALYST)
                else:
                    new = messages.draft(engine, incident, item["text"], by=ANALYST, lang=language)
                messages.submit(engine, new, by=ANALYST)
                messages.approve(engine, new, by=LEAD)
                messages.publish(engine, new, by=LEAD)
                ids[item["id"]] = new
            else:
                feed = published.setdefault(item["account"], [])
                feed.append(item)
                _poll(engine, item["account"], feed, moment, language)
            flags.sweep(engine)
    with _clock(_instant(scenario["end"])):
        flags.sweep(engine)
    found: dict[str, set[str]] = {}
    evidence: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for view in flags.list_flags(engine, status="all"):
        found.setdefault(view.guid, set()).add(view.flag.kind)
        evidence.setdefault(view.guid, []).append((view.flag.kind, view.flag.evidence))
    kinds = {a["id"]: a["kind"] for a in scenario["accounts"]}
    return [
        Outcome(scenario["id"], language, p["id"], kinds[p["account"]], frozenset(p.get("expect") or []),
                frozenset(found.get(p["id"], set())), p["text"], tuple(evidence.get(p["id"], [])))
        for p in scenario["posts"]
    ]  # fmt: skip


def _poll(engine: Engine, account: str, entries: list[dict[str, Any]], moment: datetime, language: str) -> None:
    """What one poll of the account's feed does with its document: parse, store, check (the poller's hook)."""
    parsed = parse_feed(_rss(entries), fetched_at=moment, language_hint=language)
    with write_session(engine) as session:
        feed = session.scalars(select(Feed).where(Feed.account_id == account)).one()
        stats = store_entries(session, feed, parsed.entries, moment)
        if stats.new_post_ids or stats.changed_post_ids:
            flags.after_store(session, account, stats)
