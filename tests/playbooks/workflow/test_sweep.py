"""The end-of-pass sweep looks at what changed since it last ran, not at the incident's history (issue 15),
and flags exactly what comparing everything with everything flags."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from bench import scenarios
from core.clock import parse_instant
from playbooks.workflow import flags, incidents, messages
from sources import registry
from sources.poller import Poller
from tests.helpers.feedserver import FeedServer, Static
from tests.helpers.registry import account, write_registry
from tests.helpers.scenario import pin_clock, rss_at
from tests.playbooks.workflow.reference_sweep import full_sweep

T0 = parse_instant("2026-11-22T08:00:00+01:00")
APPROVED = (
    "Brand i Östmark. Håll dörrar och fönster stängda och stäng av ventilationen. Nästa information kommer kl. 09.00."
)
UNRELATED = "Vattenledningen på Sjövägen lagas under tisdagen, trafiken leds om via Skolgatan."
SCENARIOS = Path(__file__).parents[2] / "fixtures" / "checks" / "scenarios" / "dev"


def at(monkeypatch: pytest.MonkeyPatch, minutes: float) -> datetime:
    return pin_clock(monkeypatch, T0, minutes)


def rss(items: list[tuple[str, float, str]]) -> Static:
    return rss_at(T0, items)


@pytest.mark.parametrize("name", ["nl-venlo-afvalbrand", "de-bamberg-legionellen", "x-fi-kajaani-pato"])
def test_the_incremental_sweep_flags_what_the_full_sweep_flags(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Labelled incidents with revisions, late website copies and posts arriving over hours."""
    spec: dict[str, Any] = yaml.safe_load((SCENARIOS / f"{name}.yaml").read_text(encoding="utf-8"))
    incremental = {(o.post, tuple(sorted(o.found))) for o in scenarios.run(spec)}
    monkeypatch.setattr(flags, "sweep", full_sweep)
    reference = {(o.post, tuple(sorted(o.found))) for o in scenarios.run(spec)}
    assert incremental == reference
    assert any("missing_on_website" in found for _, found in incremental)


def test_the_sweep_examines_only_what_changed(
    engine, team, tmp_path: Path, feed_server: FeedServer, monkeypatch
) -> None:
    at(monkeypatch, 0)
    for path in ("/web", "/fb", "/forum"):
        feed_server.routes[path] = rss([])
    registry.import_registry(engine, registry.load(write_registry(tmp_path / "a.yaml", [
        account("web", feed_server.url("/web"), "website"),
        account("fb", feed_server.url("/fb"), "social", platform="facebook"),
        account("forum", feed_server.url("/forum"), "watch", name="Torsbyforum"),
    ])))  # fmt: skip
    incident = incidents.open_incident(
        engine, title="Brand", by="lars", playbook_name="fire-smoke", keywords=["brand", "rök"]
    )
    at(monkeypatch, 2)
    first = messages.draft(engine, incident, APPROVED, by="anna")
    messages.submit(engine, first, by="anna")
    messages.approve(engine, first, by="lars")
    poller = Poller(engine, after_store=flags.after_store)
    social = [(f"s{i}", 3 + i / 10, APPROVED) for i in range(20)]
    feed_server.routes["/fb"] = rss(social)
    feed_server.routes["/web"] = rss([("w1", 4, APPROVED)])
    feed_server.routes["/forum"] = rss([(f"f{i}", 3, UNRELATED + f" Del {i}.") for i in range(10)])
    at(monkeypatch, 5)
    asyncio.run(poller.run_once())
    report = flags.sweep_report(engine)
    assert report.examined == 20, "the first sweep since the revision looks at everything"
    at(monkeypatch, 30)  # every grace period (10 min) has ended: those posts are decided now
    assert flags.sweep_report(engine).examined == 20
    assert flags.sweep_report(engine).examined == 0, "nothing changed, nothing examined"

    feed_server.routes["/fb"] = rss([*social, ("s99", 29, APPROVED)])
    at(monkeypatch, 31)
    asyncio.run(poller.run_once(include_all=True))
    report = flags.sweep_report(engine)
    assert report.examined == 1 and report.indexed == 0 and report.rechecked == 0
    at(monkeypatch, 45)
    report = flags.sweep_report(engine)
    assert report.examined == 1, "the new post's grace period ended"
    assert flags.list_flags(engine, kind="missing_on_website") == []

    second = messages.draft(engine, incident, "Sjövägen är avstängd vid skolan tills vidare.", by="anna")
    messages.submit(engine, second, by="anna")
    messages.approve(engine, second, by="lars")
    at(monkeypatch, 46)
    report = flags.sweep_report(engine)
    assert not report.whole_window
    # The posts naming the new message's words are re-checked; the twenty copies of the first are not.
    assert 0 < report.rechecked <= 11
    assert report.indexed == 1, "the new message against the website's one post, once"
    assert flags.sweep_report(engine).indexed == 0


def test_a_changed_website_copy_is_indexed_again(
    engine, team, tmp_path: Path, feed_server: FeedServer, monkeypatch
) -> None:
    at(monkeypatch, 0)
    for path in ("/web", "/fb"):
        feed_server.routes[path] = rss([])
    registry.import_registry(engine, registry.load(write_registry(tmp_path / "a.yaml", [
        account("web", feed_server.url("/web"), "website"),
        account("fb", feed_server.url("/fb"), "social", platform="facebook"),
    ])))  # fmt: skip
    incident = incidents.open_incident(engine, title="Brand", by="lars", playbook_name="fire-smoke", keywords=["brand"])
    at(monkeypatch, 2)
    message = messages.draft(engine, incident, APPROVED, by="anna")
    messages.submit(engine, message, by="anna")
    messages.approve(engine, message, by="lars")
    poller = Poller(engine, after_store=flags.after_store, after_pass=lambda: flags.sweep(engine))
    feed_server.routes["/fb"] = rss([("s1", 5, APPROVED)])
    feed_server.routes["/web"] = rss([("w1", 9, APPROVED)])
    at(monkeypatch, 10)
    asyncio.run(poller.run_once())
    # Before the social post's grace period ends, the website's copy is edited into something else.
    feed_server.routes["/web"] = rss([("w1", 9, UNRELATED)])
    at(monkeypatch, 12)
    asyncio.run(poller.run_once(include_all=True))
    at(monkeypatch, 40)
    asyncio.run(poller.run_once(include_all=True))
    missing = flags.list_flags(engine, kind="missing_on_website")
    assert [(v.guid, v.flag.message_id) for v in missing] == [("s1", message)]
