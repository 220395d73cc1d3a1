"""Flags in the database: raised by the poller, re-checked by the sweep, triaged and audited (R6, R7)."""

from __future__ import annotations

import asyncio
import io
import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from core.clock import parse_instant
from crisisdesk.cli import main
from playbooks.workflow import audit, flags, incidents, messages
from sources import registry
from sources.poller import Poller
from tests.helpers.feedserver import FeedServer, Static
from tests.helpers.registry import account, write_registry
from tests.helpers.scenario import pin_clock, rss_at

T0 = parse_instant("2026-11-22T08:00:00+01:00")
APPROVED = (
    "Brand i Östmark. Håll dörrar och fönster stängda och stäng av ventilationen. Nästa information kommer kl. 09.00."
)


def at(monkeypatch: pytest.MonkeyPatch, minutes: float) -> datetime:
    return pin_clock(monkeypatch, T0, minutes)


def rss(items: list[tuple[str, float, str]]) -> Static:
    return rss_at(T0, items)


@pytest.fixture
def desk(engine, team, tmp_path: Path, feed_server: FeedServer, monkeypatch):
    at(monkeypatch, 0)
    for path in ("/web", "/fb", "/forum", "/fake"):
        feed_server.routes[path] = rss([])
    registry.import_registry(engine, registry.load(write_registry(tmp_path / "a.yaml", [
        account("web", feed_server.url("/web"), "website"),
        account("fb", feed_server.url("/fb"), "social", platform="facebook"),
        account("forum", feed_server.url("/forum"), "watch", name="Torsbyforum"),
        account("fake", feed_server.url("/fake"), "watch", name="Torsby Kommun Info"),
    ])))  # fmt: skip
    incident = incidents.open_incident(
        engine, title="Brand", by="lars", playbook_name="fire-smoke", keywords=["brand", "rök"]
    )
    at(monkeypatch, 2)
    message = messages.draft(engine, incident, APPROVED, by="anna")
    messages.submit(engine, message, by="anna")
    messages.approve(engine, message, by="lars")
    messages.publish(engine, message, by="anna")
    poller = Poller(engine, after_store=flags.after_store, after_pass=lambda: flags.sweep(engine))
    return incident, message, feed_server, poller


def test_the_poller_raises_each_kind_once(engine, desk, monkeypatch) -> None:
    _incident, message, server, poller = desk
    server.routes["/forum"] = rss([("f1", 5, "Jag hörde att röken är giftig och att kommunen tystar ner det!!! Sprid!"),
                                   ("f2", 6, "Vet någon om skolorna har öppet trots branden?")])  # fmt: skip
    server.routes["/fb"] = rss([("s1", 5, APPROVED), ("s2", 7, "Branden: nästa information kl. 10.00.")])
    server.routes["/fake"] = rss([("x1", 6, "Alla i centrum ska evakueras.")])
    at(monkeypatch, 8)
    asyncio.run(poller.run_once())
    raised = sorted((v.flag.kind, v.guid) for v in flags.list_flags(engine, incident=None))
    assert raised == [("impersonation", "x1"), ("inconsistent", "s2"), ("rumour", "f1"), ("unrouted", "s2")]
    at(monkeypatch, 30)  # the grace period (10 min in fire-smoke) passes without a website copy of s1
    asyncio.run(poller.run_once(include_all=True))
    missing = flags.list_flags(engine, kind="missing_on_website")
    assert [(v.guid, v.flag.message_id, v.flag.rule) for v in missing] == [("s1", message, "R4")]
    asyncio.run(poller.run_once(include_all=True))
    assert len(flags.list_flags(engine, status="all")) == 5, "re-running the checks raises nothing twice"


def test_the_rumours_of_the_hours_before_an_incident_opens_are_flagged_when_it_opens(
    engine, team, tmp_path: Path, feed_server: FeedServer, monkeypatch
) -> None:
    at(monkeypatch, 0)
    feed_server.routes["/forum"] = rss([
        ("early", -40, "Jag hörde att röken från branden i Östmark är giftig och att kommunen tystar ner det!!!"),
        ("stale", -300, "Jag hörde att röken från branden i Östmark är giftig och att kommunen tystar ner det!!!"),
        ("timing", -30, "Jag hörde att det är illa och att de tystar ner det!!! Sprid!"),
        ("vague", -90, "Jag hörde att det är illa och att de tystar ner det!!! Sprid!"),
    ])  # fmt: skip
    registry.import_registry(engine, registry.load(write_registry(tmp_path / "a.yaml", [
        account("forum", feed_server.url("/forum"), "watch", name="Torsbyforum")])))  # fmt: skip
    poller = Poller(engine, after_store=flags.after_store, after_pass=lambda: flags.sweep(engine))
    asyncio.run(poller.run_once())
    assert flags.list_flags(engine, incident=None) == []  # no incident open: nothing to weigh them against
    incident = incidents.open_incident(
        engine, title="Brand i Östmark", by="lars", playbook_name="fire-smoke", keywords=["brand", "rök"]
    )
    at(monkeypatch, 1)
    flags.sweep(engine)  # the first pass after the opening, before any approval
    raised = {v.guid: v for v in flags.list_flags(engine, incident=None)}
    # "stale" is older than the window; "vague" names nothing of the incident and came too long before it
    # for its timing to link it; "timing", half an hour before, is linked by its timing alone.
    assert sorted(raised) == ["early", "timing"]
    early, timing = raised["early"], raised["timing"]
    assert (early.guid, early.flag.kind, early.flag.incident_id) == ("early", "rumour", incident)
    assert "posted 40 min before the incident was opened" in early.flag.evidence["about"]
    assert timing.flag.evidence["about"] == ["only its timing: posted 30 min before the incident was opened"]
    assert timing.flag.score < early.flag.score


def test_a_timely_website_copy_raises_no_r4_flag(engine, desk, monkeypatch) -> None:
    _, _, server, poller = desk
    server.routes["/fb"] = rss([("s1", 5, APPROVED)])
    server.routes["/web"] = rss([("w1", 9, APPROVED)])
    at(monkeypatch, 40)
    asyncio.run(poller.run_once())
    assert flags.list_flags(engine) == []


def test_a_copy_with_one_fact_changed_is_unrouted_and_inconsistent(engine, desk, monkeypatch) -> None:
    _incident, _first, server, poller = desk
    server.routes["/fb"] = rss(
        [
            (
                "s9",
                20,
                "Brand i Östmark. Håll dörrar och fönster stängda och stäng av ventilationen. Nästa information kommer kl. 10.00.",
            )
        ]
    )
    at(monkeypatch, 21)
    asyncio.run(poller.run_once())
    assert {v.flag.kind for v in flags.list_flags(engine)} == {"inconsistent", "unrouted"}


def test_triage_is_audited_and_keeps_the_time_to_first_triage(engine, desk, monkeypatch) -> None:
    _incident, message, server, poller = desk
    server.routes["/forum"] = rss([("f1", 5, "Jag hörde att röken är giftig!!! Sprid!")])
    at(monkeypatch, 6)
    asyncio.run(poller.run_once())
    (view,) = flags.list_flags(engine)
    at(monkeypatch, 9)
    flags.triage(engine, view.flag.id, "assign", by="anna", to="arvid")
    with pytest.raises(flags.TriageError, match="points to the approved message"):
        flags.triage(engine, view.flag.id, "resolve", by="arvid")
    at(monkeypatch, 15)
    flag = flags.triage(engine, view.flag.id, "resolve", by="arvid", message=message)
    assert (flag.status, flag.answer_message_id, flag.assigned_to) == ("resolved", message, "arvid")
    assert flag.first_triage_at - flag.created_at == timedelta(minutes=3)
    steps = [(r.actor, r.action) for r in audit.records(engine, object_type="flag")]
    assert steps == [("anna", "flag.assign"), ("arvid", "flag.resolve")]
    with pytest.raises(flags.TriageError, match="resolved already"):
        flags.triage(engine, view.flag.id, "dismiss", by="anna", reason="x")


def test_dismissing_needs_a_reason_and_reviewers_cannot_triage(engine, desk, monkeypatch) -> None:
    from playbooks.workflow.roles import PermissionDenied

    _, _, server, poller = desk
    server.routes["/forum"] = rss([("f1", 5, "Det sägs att branden var anlagd!!!")])
    at(monkeypatch, 6)
    asyncio.run(poller.run_once())
    (view,) = flags.list_flags(engine)
    with pytest.raises(flags.TriageError, match="needs a reason"):
        flags.triage(engine, view.flag.id, "dismiss", by="anna")
    with pytest.raises(PermissionDenied):
        flags.triage(engine, view.flag.id, "escalate", by="rita")
    flags.triage(engine, view.flag.id, "dismiss", by="anna", reason="Satir-konto, inget att svara på")
    assert flags.list_flags(engine) == [] and len(flags.list_flags(engine, status="all")) == 1


def test_flags_json_has_the_documented_shape(engine, db_url: str, desk, monkeypatch, capsys) -> None:
    _, _, server, poller = desk
    server.routes["/forum"] = rss([("f1", 5, "Jag hörde att röken är giftig!!! Sprid!")])
    at(monkeypatch, 6)
    asyncio.run(poller.run_once())
    assert main(["flags", "--format", "json", "--db", db_url]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert {"id", "kind", "rule", "score", "status", "incident", "account", "post", "message", "evidence"} <= set(row)
    assert set(row["post"]) >= {"guid", "link", "published"} and row["account"] == "forum"
    assert main(["flag", "escalate", str(row["id"]), "--by", "anna", "--to", "lars", "--db", db_url]) == 0
    assert capsys.readouterr().out.strip() == f"flag {row['id']} escalated"


def test_check_scores_pasted_posts(capsys, monkeypatch) -> None:
    lines = [
        {"id": "a", "text": "Kuulemma kaupunki salaa kaasuvuodon!!!"},
        {"id": "b", "text": "Enligt kommunen ska fönstren hållas stängda.", "lang": "sv"},
        "not json",
        {"text": 42},
        {"id": "c", "text": "Det sägs att bron är stängd.", "lang": "zz"},
    ]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines)))
    assert main(["check", "-"]) == 2
    out, err = capsys.readouterr()
    results = [json.loads(line) for line in out.splitlines()]
    assert [(r["id"], r["lang"], r["is_rumour"]) for r in results] == [("a", "fi", True), ("b", "sv", False)]
    assert {"hearsay: kuulemma", "coverup: salaa"} <= set(results[0]["cues"]) and results[0]["flags"] == []
    assert "line 3" in err and "line 4: each line is a JSON object with a 'text' string" in err
    assert "line 5: 'lang' is one of sv, fi, de, nl, en, not 'zz'" in err  # not scored in the wrong words


def test_check_with_an_incident_returns_what_the_poller_would_flag(engine, desk, db_url, capsys, monkeypatch) -> None:
    incident, message, _server, _poller = desk
    at(monkeypatch, 30)
    lines = [
        {"id": "stale", "text": "Branden: nästa information kommer kl. 11.00", "kind": "watch"},
        {"id": "copy", "text": APPROVED, "kind": "social", "time": (T0 + timedelta(minutes=20)).isoformat()},
        {"id": "own", "text": "Vi stänger skolan i Östmark på grund av branden.", "kind": "social"},
    ]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(json.dumps(x) for x in lines)))
    assert main(["check", "-", "--incident", str(incident), "--db", db_url]) == 0
    results = {r["id"]: r for r in map(json.loads, capsys.readouterr().out.splitlines())}
    (stale,) = [f for f in results["stale"]["flags"] if f["kind"] == "inconsistent"]
    assert stale["message"] == message and stale["evidence"]["conflicts"][0]["post"] == "11:00"
    assert results["copy"]["flags"] == []
    assert [f["kind"] for f in results["own"]["flags"]] == ["unrouted"]
    assert main(["check", "-", "--incident", "999", "--db", db_url]) == 2
    assert "no incident 999" in capsys.readouterr().err
