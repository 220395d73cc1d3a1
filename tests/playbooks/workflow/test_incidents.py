"""Incidents: opening tightens polling to the playbook's crisis interval; closing restores it."""

from __future__ import annotations

from pathlib import Path

import pytest

from playbooks.workflow import incidents
from playbooks.workflow.roles import PermissionDenied
from sources import registry
from sources.health import feed_health
from tests.helpers.registry import account, write_registry


def intervals(engine) -> dict[str, int]:
    return {h.account: h.interval_s for h in feed_health(engine)}


def test_polling_is_tightened_while_an_incident_is_open(engine, team, tmp_path: Path) -> None:
    path = write_registry(tmp_path / "a.yaml", [account("web", "https://w.example/rss", interval=300),
                                                account("forum", "https://f.example/rss", "watch")])  # fmt: skip
    registry.import_registry(engine, registry.load(path))
    assert intervals(engine) == {"web": 300, "forum": 300}
    fire = incidents.open_incident(engine, title="Brand", by="lars", playbook_name="fire-smoke")  # 30 s / 60 s
    assert intervals(engine) == {"web": 30, "forum": 60}
    water = incidents.open_incident(engine, title="Vatten", by="lars", playbook_name="drinking-water")
    incidents.close_incident(engine, fire, by="lars")
    assert intervals(engine) == {"web": 60, "forum": 120}, "the other open incident's playbook still applies"
    incidents.close_incident(engine, water, by="lars")
    assert intervals(engine) == {"web": 300, "forum": 300}


def test_only_leads_open_and_close(engine, team) -> None:
    with pytest.raises(PermissionDenied):
        incidents.open_incident(engine, title="x", by="anna")
    incident = incidents.open_incident(engine, title="x", by="lena", keywords=["rök"], cadence=45)
    view = incidents.get(engine, incident)
    assert (view.incident.keywords, view.cadence_minutes) == (["rök"], 45)
    with pytest.raises(PermissionDenied):
        incidents.close_incident(engine, incident, by="rita")
    incidents.close_incident(engine, incident, by="lena")
    with pytest.raises(incidents.IncidentError, match="is closed"):
        incidents.set_phase(engine, incident, "recovery", by="lena")


def test_keywords_keep_no_invisible_characters(engine, team) -> None:
    words = ["rö\u200bk", "\u200b", " ", "\u202egas\n"]
    incident = incidents.open_incident(engine, title="x", by="lena", keywords=words)
    assert incidents.get(engine, incident).incident.keywords == ["rök", "gas"]


def test_playbook_keywords_are_the_default(engine, team) -> None:
    incident = incidents.open_incident(engine, title="Vatten", by="lars", playbook_name="drinking-water")
    assert "kookadvies" in incidents.get(engine, incident).incident.keywords


@pytest.mark.parametrize("title", ["\u00ad", " \u200b\u2060 ", "\ufeff\x00\x07"])
def test_a_title_needs_visible_text(engine, team, title: str) -> None:
    with pytest.raises(incidents.IncidentError, match="an incident needs a title"):
        incidents.open_incident(engine, title=title, by="lars")


def test_titles_are_length_limited(engine, team) -> None:
    with pytest.raises(incidents.IncidentError, match=r"at most 200 characters \(this one has 201\)"):
        incidents.open_incident(engine, title="B" * 201, by="lars")
    incident = incidents.open_incident(engine, title="  Brand  i\n Östmark " + "x" * 180, by="lars")
    assert incidents.get(engine, incident).incident.title == "Brand i Östmark " + "x" * 180
