"""Consistency with partners, end to end (issue 14, item 4 and its Show): a NINA feed served from 127.0.0.1
issues a warning; the unit's draft contradicts it and is flagged before approval, as is a post on the
official website; the warning is cancelled and the flags are resolved by the desk, on record."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from core.clock import parse_instant
from core.db import read_session
from playbooks.review import scorecard
from playbooks.workflow import messages
from playbooks.workflow import partners as partner_flags
from playbooks.workflow.incidents import open_incident
from playbooks.workflow.models import AuditRecord, Flag
from sources import registry
from sources.fetch import FetchSettings
from sources.models import Feed
from sources.partnerstate import changed_since, partner_state
from sources.poller import Poller
from tests.helpers.feedserver import FeedServer, Static
from tests.helpers.registry import account, write_registry
from tests.helpers.team import make_team

NOW = "2026-12-02T08:00:00+00:00"
DASHBOARD = "/api31/dashboard/091620000000.json"


@pytest.fixture(autouse=True)
def pinned_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRISISDESK_NOW", NOW)


def advance(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    monkeypatch.setenv("CRISISDESK_NOW", (parse_instant(NOW) + timedelta(seconds=seconds)).isoformat())


def detail(identifier: str, msg_type: str, references: str = "") -> dict[str, Any]:
    """A MoWaS warning as NINA's /api31/warnings/{id}.json gives it (CAP 1.2 as JSON), in German and English."""
    words = {
        "de": ("Gefahrstoffaustritt in Musterstadt", "Ein Brand setzt Rauch frei.",
               "Halten Sie Fenster und Türen geschlossen. Schalten Sie Lüftungen aus."),
        "en": ("Hazardous substance release in Musterstadt", "A fire is releasing smoke.",
               "Keep windows and doors closed. Switch off ventilation."),
    }  # fmt: skip
    return {
        "identifier": identifier, "sender": "DE-BY-M-SE001", "sent": "2026-12-02T08:55:00+01:00",
        "status": "Actual", "msgType": msg_type, "scope": "Public", "references": references,
        "info": [
            {"language": lang, "event": "Gefahreninformation", "urgency": "Immediate", "severity": "Severe",
             "certainty": "Observed", "headline": headline, "description": description, "instruction": instruction,
             "expires": "2026-12-03T08:00:00+01:00",
             "parameter": [{"valueName": "sender_langname", "value": "Integrierte Leitstelle München"}],
             "area": [{"areaDesc": "Musterstadt", "geocode": [{"valueName": "AreaId", "value": "091620000000"}]}]}
            for lang, (headline, description, instruction) in words.items()
        ],
    }  # fmt: skip


def dashboard(identifier: str, msg_type: str) -> bytes:
    return json.dumps([{"id": identifier, "payload": {"version": 1, "type": "ALERT", "id": identifier,
                        "data": {"headline": "Gefahrstoffaustritt", "provider": "MOWAS", "severity": "Severe",
                                 "msgType": msg_type}}, "sent": "2026-12-02T08:55:00+01:00"}]).encode()  # fmt: skip


GEOJSON = json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {
    "type": "Polygon", "coordinates": [[[11.5, 48.1], [11.6, 48.1], [11.6, 48.2], [11.5, 48.1]]]}}]}).encode()  # fmt: skip
WEBSITE = """<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Stadt</title>
<item><guid>w1</guid><title>Rauch in Musterstadt</title><pubDate>Wed, 02 Dec 2026 07:58:00 GMT</pubDate>
<description>Der Rauch zieht ab. Bitte öffnen Sie jetzt die Fenster und lüften Sie.</description></item>
</channel></rss>""".encode()


def poll(engine) -> None:
    poller = Poller(engine, settings=FetchSettings(deadline_s=10), after_store=partner_flags.poller_after_store,
                    after_pass=lambda: partner_flags.poller_after_pass(engine))  # fmt: skip
    asyncio.run(poller.run_once())


def partner_flag_rows(engine) -> list[Flag]:
    with read_session(engine) as session:
        return list(session.scalars(select(Flag).where(Flag.kind == "contradicts_partner").order_by(Flag.id)))


def test_a_contradicting_draft_is_flagged_before_approval_and_resolved_when_the_warning_is_cancelled(
    engine, tmp_path: Path, feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    feed_server.routes[DASHBOARD] = Static(dashboard("mow.TEST-1", "Alert"), content_type="application/json")
    feed_server.routes["/api31/warnings/mow.TEST-1.json"] = Static(json.dumps(detail("mow.TEST-1", "Alert")).encode())
    feed_server.routes["/api31/warnings/mow.TEST-1.geojson"] = Static(GEOJSON)
    feed_server.routes["/website.xml"] = Static(WEBSITE)
    accounts = [
        account("nina", feed_server.url(DASHBOARD), "partner", platform="nina", area=["09162"], name="NINA München"),
        account("website", feed_server.url("/website.xml"), "website", languages=["de"]),
    ]
    registry.import_registry(engine, registry.load(write_registry(tmp_path / "accounts.yaml", accounts)))
    make_team(engine)
    incident = open_incident(engine, title="Brand Musterstadt", by="lars", keywords=["Rauch", "Brand"])

    poll(engine)

    # The warning is active, with its texts, its area from the GeoJSON, and announced to whoever asks.
    state = partner_state(engine)
    [warning] = state.active
    assert warning.identifier == "mow.TEST-1" and warning.headline == "Gefahrstoffaustritt in Musterstadt"
    assert warning.areas[0]["polygons"] == [[[48.1, 11.5], [48.1, 11.6], [48.2, 11.6], [48.1, 11.5]]]
    assert feed_server.hits("/api31/warnings/mow.TEST-1.json") == 1
    [announced] = changed_since(engine, parse_instant(NOW) - timedelta(minutes=1))
    assert (announced["identifier"], announced["change"], announced["active"]) == ("mow.TEST-1", "new", True)
    # The official website's post says the opposite of the warning: flagged, both texts side by side.
    [on_website] = partner_flag_rows(engine)
    assert on_website.message_id is None and on_website.rule == "R1"
    assert on_website.evidence["partner_identifier"] == "mow.TEST-1"
    assert on_website.evidence["partner_conflicts"][0]["kind"] == "windows"
    assert "öffnen Sie jetzt die Fenster" in on_website.evidence["our_text"]
    assert "Fenster und Türen geschlossen" in on_website.evidence["partner_text"]

    # The unit's draft contradicts it: the flag exists before any lead approves, and the checks say so.
    message_id, precheck = messages.draft_and_submit(
        engine, incident, "Smoke over Musterstadt has cleared. Open your windows now and air your homes.",
        by="anna", lang="en",
    )  # fmt: skip
    assert any("contradicts the partner warning" in w and "Hazardous substance release" in w for w in precheck.warnings)
    [flag] = partner_flag_rows(engine)[1:]
    assert flag.message_id == message_id and flag.status == "open" and flag.incident_id == incident
    assert flag.evidence["partner_conflicts"][0]["ours"] == "open"
    assert flag.evidence["partner_conflicts"][0]["partner"] == "closed"
    assert "Keep windows and doors closed" in flag.evidence["partner_text"]  # compared in the draft's language
    assert [f.id for f in partner_flags.for_message(engine, message_id)] == [flag.id]

    # The warning is cancelled: NINA lists the all-clear, whose details reference the warning.
    feed_server.routes[DASHBOARD] = Static(dashboard("mow.TEST-2", "Cancel"), content_type="application/json")
    cancel = detail("mow.TEST-2", "Cancel", "DE-BY-M-SE001,mow.TEST-1,2026-12-02T08:55:00+01:00")
    feed_server.routes["/api31/warnings/mow.TEST-2.json"] = Static(json.dumps(cancel).encode())
    advance(monkeypatch, 180)
    poll(engine)

    assert partner_state(engine).active == []
    assert partner_state(engine).ended["mow.TEST-1"] == "cancelled by mow.TEST-2"
    flags_now = partner_flag_rows(engine)
    assert [f.status for f in flags_now] == ["resolved", "resolved"]
    assert all("cancelled by mow.TEST-2" in (f.reason or "") for f in flags_now)
    assert partner_flags.for_message(engine, message_id) == []
    with read_session(engine) as session:
        records = list(session.scalars(select(AuditRecord).where(AuditRecord.action == "flag.resolve")))
    assert {r.object_id for r in records} == {str(f.id) for f in flags_now} and records[0].actor == "crisisdesk"
    changes = changed_since(engine, parse_instant(NOW) + timedelta(minutes=1))
    assert [(c["identifier"], c["change"]) for c in changes] == [("mow.TEST-2", "cancelled")]
    with read_session(engine) as session:
        assert session.scalars(select(Feed.listed).where(Feed.account_id == "nina")).one() == ["mow.TEST-2"]
    # The review counts both, the website's post and the unit's draft, resolved or not.
    card = scorecard.scorecard(engine, incident).items["partner_contradictions"]
    assert card["value"] == 2
    assert card["evidence"] == {"posts": [on_website.post_id], "messages": [message_id]}


def test_a_broken_partner_document_is_a_health_record(engine, tmp_path: Path, feed_server: FeedServer) -> None:
    feed_server.routes["/alerts"] = Static(b'{"body": {"alerts": [' + b"[" * 200 + b"]" * 200 + b"]}}",
                                           content_type="application/json")  # fmt: skip
    accounts = [account("alertswiss", feed_server.url("/alerts"), "partner", platform="alertswiss", area=["BE"])]
    registry.import_registry(engine, registry.load(write_registry(tmp_path / "accounts.yaml", accounts)))
    poll(engine)
    with read_session(engine) as session:
        feed = session.scalars(select(Feed)).one()
    assert feed.consecutive_failures == 1
    assert feed.last_error == "Alertswiss alerts: nested 203 levels deep, more than the 32 allowed"


def test_a_warning_that_arrives_after_submission_flags_the_waiting_draft(
    engine, tmp_path: Path, feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    feed_server.routes[DASHBOARD] = Static(b"[]", content_type="application/json")
    accounts = [account("nina", feed_server.url(DASHBOARD), "partner", platform="nina", area=["09162"])]
    registry.import_registry(engine, registry.load(write_registry(tmp_path / "accounts.yaml", accounts)))
    make_team(engine)
    incident = open_incident(engine, title="Brand Musterstadt", by="lars", keywords=["Rauch"])
    poll(engine)
    message_id, precheck = messages.draft_and_submit(engine, incident, "Öffnen Sie die Fenster und lüften Sie.",
                                                     by="anna", lang="de")  # fmt: skip
    assert not any("partner" in w for w in precheck.warnings) and partner_flag_rows(engine) == []

    feed_server.routes[DASHBOARD] = Static(dashboard("mow.TEST-1", "Alert"), content_type="application/json")
    feed_server.routes["/api31/warnings/mow.TEST-1.json"] = Static(json.dumps(detail("mow.TEST-1", "Alert")).encode())
    advance(monkeypatch, 180)  # the partner feed is due again
    poll(engine)

    [flag] = partner_flag_rows(engine)
    assert flag.message_id == message_id and flag.evidence["partner_conflicts"][0]["partner"] == "closed"
    assert "Fenster und Türen geschlossen" in flag.evidence["partner_text"]  # the German text for a German draft


def test_a_flag_the_desk_resolved_is_reopened_when_the_warning_is_in_force_again_one_a_person_dismissed_is_not(
    engine, tmp_path: Path, feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from playbooks.workflow import flags

    listed = Static(dashboard("mow.TEST-1", "Alert"), content_type="application/json")
    feed_server.routes[DASHBOARD] = listed
    feed_server.routes["/api31/warnings/mow.TEST-1.json"] = Static(json.dumps(detail("mow.TEST-1", "Alert")).encode())
    accounts = [account("nina", feed_server.url(DASHBOARD), "partner", platform="nina", area=["09162"])]
    registry.import_registry(engine, registry.load(write_registry(tmp_path / "accounts.yaml", accounts)))
    make_team(engine)
    incident = open_incident(engine, title="Brand Musterstadt", by="lars", keywords=["Rauch"])
    poll(engine)
    messages.draft_and_submit(engine, incident, "Öffnen Sie die Fenster und lüften Sie.", by="anna", lang="de")
    [flag] = partner_flag_rows(engine)
    assert flag.status == "open"

    def relist(minutes: int, body: Static) -> None:
        feed_server.routes[DASHBOARD] = body
        advance(monkeypatch, minutes * 60)
        poll(engine)

    relist(3, Static(b"[]", content_type="application/json"))  # no longer listed: the desk resolves the flag
    assert [f.status for f in partner_flag_rows(engine)] == ["resolved"]
    relist(6, listed)  # listed again: the same warning is in force, the flag is open again, on record
    [flag] = partner_flag_rows(engine)
    assert flag.status == "open" and flag.reason is None
    with read_session(engine) as session:
        actions = [r.action for r in session.scalars(select(AuditRecord).where(AuditRecord.object_id == str(flag.id)))]
    assert actions[-2:] == ["flag.resolve", "flag.reopen"]

    flags.triage(engine, flag.id, "dismiss", by="lars", reason="the draft speaks of another street")
    relist(9, Static(b"[]", content_type="application/json"))
    relist(12, listed)
    assert [f.status for f in partner_flag_rows(engine)] == ["dismissed"]
