"""The demo's partner warning: the scenario's VMA served as CAP 1.2 at /vma.cap, read by the product's own
CAP parser and partner state into the warning in force at the right scenario minutes, and end to end
through one poller pass into the database. Every clock is pinned: the scenario's and the desk's."""

from __future__ import annotations

import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from defusedxml.ElementTree import fromstring

from core.db import make_engine
from crisisdesk.demo import (
    CAP_NS,
    ScenarioServer,
    ScenarioWarning,
    load_scenario,
    prepare,
    registry_text,
    scenario_warnings,
)
from sources import registry
from sources.partners import parse_partner
from sources.partnerstate import PartnerWarning, in_area, state_of
from sources.text import one_line

T0 = datetime(2026, 11, 22, 7, 0, tzinfo=UTC)
SPM = 30.0  # real seconds per scenario minute, as `make run` plays it
AREA = ("Torsby", "Värmlands län", "1737")
SENDER = "vma@lansstyrelsen-varmland.example"


def _warning(at: float, msg_type: str, headline: str, expires: float | None = 60.0, **more: Any) -> ScenarioWarning:
    fields: dict[str, Any] = {
        "description": "Det brinner i Östmark.",
        "instruction": "Håll dörrar och fönster stängda och stäng av ventilationen.",
        "area": "Torsby kommun, Värmlands län",
        "geocodes": (("Kommunkod", "1737"),),
        **more,
    }
    return ScenarioWarning(at_min=at, account="vma", msg_type=msg_type, sender=SENDER, headline=headline,
                           sender_name="Räddningstjänsten Torsby / Länsstyrelsen Värmland", expires_min=expires,
                           **fields)  # fmt: skip


CHAIN = [
    _warning(1, "Alert", "VMA: brand i Östmark", expires=30),
    _warning(5, "Update", "VMA uppdaterat: brand i Östmark", expires=60),
    _warning(8, "Cancel", "VMA: faran över", expires=None),
]


class Clock:
    """The scenario's clocks, pinned: `seconds` real seconds since T0."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def mono(self) -> float:
        return self.seconds

    def wall(self) -> datetime:
        return T0 + timedelta(seconds=self.seconds)

    def minute(self, server: ScenarioServer, minute: float) -> datetime:
        """Move to a scenario minute of the server's current round; the desk's time then."""
        self.seconds = server.started + minute * server.seconds_per_minute
        return self.wall()


class Desk:
    """What the poller keeps of a partner feed, in memory: every warning seen, and the latest listing."""

    def __init__(self, area: tuple[str, ...] = AREA) -> None:
        self.seen: dict[str, dict[str, Any]] = {}
        self.listed: set[str] = set()
        self.area = area

    def fetch(self, server: ScenarioServer, at: datetime) -> list[str]:
        body, _ = server.render_cap("vma") or (b"", "")
        parsed = parse_partner("cap", body, fetched_at=at)  # raises FeedError on a document it cannot read
        assert parsed.notes == [], "a healthy fetch: nothing skipped or wrong"
        for entry in parsed.entries:
            self.seen[entry.guid] = entry.normalised().extra["warning"]
        self.listed = {entry.guid for entry in parsed.entries}
        return [entry.guid for entry in parsed.entries]

    def state(self, at: datetime) -> Any:
        every = [PartnerWarning(i, "vma", "VMA", at, at, 1, w, guid in self.listed, self.area)
                 for i, (guid, w) in enumerate(self.seen.items())]  # fmt: skip
        return state_of(every, at)


def _server(clock: Clock, warnings: list[ScenarioWarning] = CHAIN) -> ScenarioServer:
    return ScenarioServer([], warnings=warnings, seconds_per_minute=SPM, clock=clock.mono, wall=clock.wall)


def test_the_warning_is_in_force_from_its_minute_updated_then_cancelled() -> None:
    clock, desk = Clock(), Desk()
    server = _server(clock)

    at = clock.minute(server, 0.5)
    _, kind = server.render_cap("vma") or (b"", "")
    assert kind == "application/atom+xml" and desk.fetch(server, at) == [], "before: an empty CAP index, no warning"
    assert desk.state(at).active == []

    at = clock.minute(server, 1)
    assert desk.fetch(server, at) == ["demo-vma-0"]
    (active,) = desk.state(at).active
    assert active.identifier == "demo-vma-0" and active.msg_type == "Alert" and active.category == "actual"
    assert active.headline == "VMA: brand i Östmark" and active.severity == "Severe" and active.language == "sv"
    assert active.instruction == "Håll dörrar och fönster stängda och stäng av ventilationen."
    assert active.sent == (T0 + timedelta(seconds=1 * SPM)).isoformat()
    assert active.expires == (T0 + timedelta(seconds=30 * SPM)).isoformat(), "expiry from the scenario clock"
    assert active.sender_name == "Räddningstjänsten Torsby / Länsstyrelsen Värmland"

    at = clock.minute(server, 6)
    assert desk.fetch(server, at) == ["demo-vma-1"]
    state = desk.state(at)
    assert [w.identifier for w in state.active] == ["demo-vma-1"] and state.active[0].msg_type == "Update"
    assert state.active[0].expires == (T0 + timedelta(seconds=60 * SPM)).isoformat(), "the Update extends it"
    assert state.ended["demo-vma-0"] == "updated by demo-vma-1"

    at = clock.minute(server, 8)
    assert desk.fetch(server, at) == ["demo-vma-2"]
    state = desk.state(at)
    assert state.active == [] and state.ended["demo-vma-1"] == "cancelled by demo-vma-2"


def test_an_unrenewed_warning_expires_on_the_scenario_clock() -> None:
    clock, desk = Clock(), Desk()
    server = _server(clock, [CHAIN[0]])
    desk.fetch(server, clock.minute(server, 2))
    assert [w.identifier for w in desk.state(clock.minute(server, 29.9)).active] == ["demo-vma-0"]
    at = clock.minute(server, 30)
    desk.fetch(server, at)
    assert desk.state(at).active == [] and desk.state(at).ended["demo-vma-0"] == "expired"


def test_the_area_filter_decides_whether_it_is_ours() -> None:
    clock = Clock()
    server = _server(clock)
    at = clock.minute(server, 2)
    for area, ours in (((), True), (("Torsby",), True), (("Värmlands län",), True), (("1737",), True),
                       (("Karlstad",), False), (("1780",), False), (("Värmland",), False)):  # fmt: skip
        desk = Desk(area)
        desk.fetch(server, at)
        assert bool(desk.state(at).active) is ours, area
    # `Värmland` is not a whole word of "Värmlands län": the shipped registry names the county as written.


def test_a_replay_brings_the_warnings_anew_with_new_identifiers() -> None:
    clock, desk = Clock(), Desk()
    server = _server(clock)
    at = clock.minute(server, 6)
    desk.fetch(server, at)
    clock.seconds += 60
    server.replay()
    at = clock.minute(server, 0.5)
    assert desk.fetch(server, at) == [] and desk.state(at).active == [], "the last round's warning is no longer listed"
    assert desk.state(at).ended["demo-vma-1"] == "no longer listed by its feed"
    at = clock.minute(server, 1)
    assert desk.fetch(server, at) == ["demo-vma-r2-0"]
    assert [w.identifier for w in desk.state(at).active] == ["demo-vma-r2-0"]
    at = clock.minute(server, 5)
    desk.fetch(server, at)
    (update,) = desk.state(at).active
    assert update.identifier == "demo-vma-r2-1" and update.references == ["demo-vma-r2-0"]
    assert update.sent == server.at_minute(5).isoformat() and server.started_at > T0


def test_the_cap_document_is_cap_1_2_with_everything_escaped() -> None:
    clock = Clock()
    nasty = 'Rök & "gaser" <script>alert(1)</script> ]]> över Östmark'
    server = _server(clock, [_warning(0, "Alert", nasty, area=nasty)])
    clock.minute(server, 0)
    body, kind = server.render_cap("vma") or (b"", "")
    assert kind == "application/cap+xml" and b"<script>" not in body
    root = fromstring(body)
    ns = {"cap": CAP_NS}
    assert root.tag == f"{{{CAP_NS}}}alert"
    order = [child.tag.split("}")[1] for child in root]
    assert order == ["identifier", "sender", "sent", "status", "msgType", "scope", "note", "info"], "CAP's order"
    assert root.findtext("cap:info/cap:headline", namespaces=ns) == nasty
    assert root.findtext("cap:info/cap:area/cap:areaDesc", namespaces=ns) == nasty
    assert root.findtext("cap:sent", namespaces=ns) == "2026-11-22T07:00:00+00:00", "whole seconds, an offset"
    (warning,) = [e.normalised().extra["warning"] for e in parse_partner("cap", body, fetched_at=T0).entries]
    # The product's reader then cleans the text as it cleans every partner's (tags out, the rest kept).
    assert warning["headline"] == one_line(nasty, max_chars=1000) and warning["headline"].startswith('Rök & "gaser"')


def test_the_feed_answers_over_http(tmp_path: Path) -> None:
    clock = Clock()
    server = _server(clock).start()
    try:
        with urllib.request.urlopen(f"{server.base}/vma.cap", timeout=5) as response:
            assert response.status == 200 and response.headers["Content-Type"] == "application/atom+xml"
        clock.minute(server, 1)
        with urllib.request.urlopen(f"{server.base}/vma.cap", timeout=5) as response:
            assert response.headers["Content-Type"] == "application/cap+xml" and b"demo-vma-0" in response.read()
        for path in ("/web.cap", "/vma.rss"):
            with pytest.raises(urllib.error.HTTPError) as error:
                urllib.request.urlopen(f"{server.base}{path}", timeout=5)
            assert error.value.code == 404
    finally:
        server.stop()


@pytest.mark.parametrize(
    ("item", "problem"),
    [
        ({"msg_type": "Replace"}, "is not one of"),
        ({"msg_type": "Update"}, "an Update with no warning before it"),
        ({"expires": 1}, "expires (minute 1.0) before it is sent"),
        ({"sender": "Räddningstjänsten Torsby"}, "has a space, comma"),
    ],
)
def test_a_broken_scenario_warning_is_named(item: dict[str, Any], problem: str) -> None:
    base = {"at": 1, "account": "vma", "sender": SENDER, "sender_name": "R", "headline": "H"}
    with pytest.raises(ValueError, match=problem.replace("(", r"\(").replace(")", r"\)")):
        scenario_warnings({"partner_warnings": [{**base, **item}]})


def test_the_shipped_scenario_warns_within_its_own_time_for_the_registered_area() -> None:
    document, posts = load_scenario()
    warnings = scenario_warnings(document)
    assert [w.msg_type for w in warnings] == ["Alert", "Update"] and {w.account for w in warnings} == {"vma"}
    assert warnings[-1].at_min <= posts[-1].at_min, "released before the scenario ends"
    assert all(w.expires_min is not None and w.expires_min > posts[-1].at_min for w in warnings), "in force at its end"
    reg = registry.parse(yaml.safe_load(registry_text("http://127.0.0.1:1")), source="accounts.yaml")
    (vma,) = [a for a in reg.accounts if a.id == "vma"]
    assert (vma.kind, vma.platform, vma.feed) == ("partner", "cap", "http://127.0.0.1:1/vma.cap")
    clock = Clock()
    server = ScenarioServer(posts, warnings=warnings, seconds_per_minute=SPM, clock=clock.mono, wall=clock.wall)
    for minute in (w.at_min for w in warnings):
        clock.minute(server, minute)
        body, _ = server.render_cap("vma") or (b"", "")
        (entry,) = parse_partner("cap", body, fetched_at=T0).entries
        assert in_area(entry.normalised().extra["warning"], vma.area)


# --- end to end: the demo's server, its registry and one poller pass at a time ------------------------


def _poll(capsys: pytest.CaptureFixture[str], url: str, monkeypatch: pytest.MonkeyPatch, at: datetime) -> None:
    from crisisdesk.cli import main

    monkeypatch.setenv("CRISISDESK_NOW", at.isoformat())
    assert main(["poll", "--once", "--db", url]) == 0
    capsys.readouterr()


@pytest.mark.timeout(120)
def test_the_demo_shows_the_warning_in_force_after_a_poll(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from playbooks.workflow import flags
    from playbooks.workflow.partners import KIND
    from sources.health import feed_health
    from sources.partnerstate import changed_since, partner_state

    url = f"sqlite:///{tmp_path / 'demo.db'}"
    engine = make_engine(url)
    document, posts = load_scenario()
    clock = Clock()
    server = ScenarioServer(posts, warnings=scenario_warnings(document), seconds_per_minute=SPM,
                            clock=clock.mono, wall=clock.wall)  # fmt: skip
    monkeypatch.setenv("CRISISDESK_NOW", T0.isoformat())
    from crisisdesk.schema import upgrade

    upgrade(engine)
    registry.import_registry(engine, registry.parse(yaml.safe_load(registry_text(server.base)), source="demo"))
    prepare(engine, document, posts)
    server.start()
    try:
        _poll(capsys, url, monkeypatch, clock.minute(server, 0.5))
        (vma,) = [h for h in feed_health(engine) if h.account == "vma"]
        assert vma.status == "ok" and vma.last_error is None, "before the warning: a healthy, empty feed"
        assert partner_state(engine).active == []

        before = clock.wall()
        _poll(capsys, url, monkeypatch, clock.minute(server, 2))
        assert [w.identifier for w in partner_state(engine).active] == ["demo-vma-0"]
        assert [(c["identifier"], c["change"], c["active"]) for c in changed_since(engine, before)] == [
            ("demo-vma-0", "new", True)
        ], "what the Monitor's toast announces"

        _poll(capsys, url, monkeypatch, clock.minute(server, 21))  # the scenario's end: every post is in
        state = partner_state(engine)
        assert [w.identifier for w in state.active] == ["demo-vma-1"]
        assert state.ended["demo-vma-0"] == "updated by demo-vma-1"
        assert flags.list_flags(engine, kind=KIND, status="open") == [], "the warning agrees with the unit's words"
        assert all(h.status == "ok" for h in feed_health(engine)), "every demo feed healthy"

        clock.seconds += 60
        server.replay()
        _poll(capsys, url, monkeypatch, clock.minute(server, 2))
        assert [w.identifier for w in partner_state(engine).active] == ["demo-vma-r2-0"], "a replay warns anew"
    finally:
        server.stop()
        engine.dispose()
