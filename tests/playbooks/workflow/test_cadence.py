"""R3 cadence, driven by CRISISDESK_NOW: next update due from what the website actually showed."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from core.clock import parse_instant
from playbooks.workflow import cadence, incidents, messages
from sources import registry
from sources.poller import Poller
from tests.helpers.feedserver import FeedServer, Static
from tests.helpers.registry import account, write_registry
from tests.helpers.scenario import pin_clock

T0 = parse_instant("2026-11-22T08:00:00+01:00")
TEXT = "Brand i industriområdet Östmark. Håll dörrar och fönster stängda. Nästa information kommer kl. 09.00."


def at(monkeypatch: pytest.MonkeyPatch, minutes: float) -> datetime:
    return pin_clock(monkeypatch, T0, minutes)


def website_rss(items: list[tuple[str, datetime, str]]) -> bytes:
    body = "".join(
        f"<item><guid>{guid}</guid><title>Lägesbild</title><pubDate>{when.strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate>"
        f"<description>{text}</description></item>"
        for guid, when, text in items
    )
    return f'<rss version="2.0"><channel><title>web</title>{body}</channel></rss>'.encode()


@pytest.fixture
def desk(engine, team, tmp_path: Path, feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch):
    at(monkeypatch, 0)
    feed_server.routes["/web"] = Static(website_rss([]))
    path = write_registry(tmp_path / "a.yaml", [account("web", feed_server.url("/web"))])
    registry.import_registry(engine, registry.load(path))
    incident = incidents.open_incident(engine, title="Brand", by="lars", playbook_name="fire-smoke")  # 30 min acute
    return incident, feed_server


def publish(engine, incident: int) -> int:
    message_id = messages.draft(engine, incident, TEXT, by="anna")
    messages.submit(engine, message_id, by="anna")
    messages.approve(engine, message_id, by="lars")
    messages.publish(engine, message_id, by="anna")
    return message_id


def test_before_any_website_update_the_clock_runs_from_the_opening(engine, desk, monkeypatch) -> None:
    _incident, _ = desk
    at(monkeypatch, 10)
    (row,) = cadence.due(engine)
    assert (row.status, row.next_due, row.last_website_update) == ("ok", T0 + timedelta(minutes=30), None)
    at(monkeypatch, 21)
    assert cadence.due(engine)[0].status == "due"
    at(monkeypatch, 31)
    assert cadence.due(engine)[0].status == "overdue"


def test_the_website_copy_restarts_the_clock_and_a_due_update_offers_a_repeat(engine, desk, monkeypatch) -> None:
    incident, server = desk
    at(monkeypatch, 5)
    message_id = publish(engine, incident)
    at(monkeypatch, 12)
    server.routes["/web"] = Static(
        website_rss(
            [("w1", T0 + timedelta(minutes=8), TEXT), ("old", T0 - timedelta(hours=2), "Gammal nyhet om vägarbeten")]
        )
    )
    asyncio.run(Poller(engine).run_once())
    (row,) = cadence.due(engine)
    assert row.last_website_update == T0 + timedelta(minutes=8) and row.last_post == "w1"
    assert (row.next_due, row.status, row.repeat_candidate) == (T0 + timedelta(minutes=38), "ok", None)
    at(monkeypatch, 30)
    assert (cadence.due(engine)[0].status, cadence.due(engine)[0].repeat_candidate) == ("due", message_id)
    incidents.set_phase(engine, incident, "recovery", by="lars")  # 120 min cadence
    assert cadence.due(engine)[0].next_due == T0 + timedelta(minutes=128)


def test_an_unrelated_website_post_is_not_an_update(engine, desk, monkeypatch) -> None:
    incident, server = desk
    at(monkeypatch, 5)
    publish(engine, incident)
    server.routes["/web"] = Static(
        website_rss([("x", T0 + timedelta(minutes=9), "Biblioteket har nya öppettider i december")])
    )
    at(monkeypatch, 10)
    asyncio.run(Poller(engine).run_once())
    assert cadence.due(engine)[0].last_website_update is None


def test_closed_incidents_are_not_due(engine, desk, monkeypatch) -> None:
    incident, _ = desk
    incidents.close_incident(engine, incident, by="lars")
    assert cadence.due(engine) == []
