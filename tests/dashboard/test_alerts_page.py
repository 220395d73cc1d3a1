"""The alerts page (issue 14, item 9): what was sent, Acknowledge (which stops the escalation), and one's
own alert settings, through Streamlit's AppTest on the pinned clock."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.clock import parse_instant
from core.db import make_engine
from dashboard import i18n
from playbooks.workflow import alertoutbox, alerts, alerttexts, audit, incidents
from playbooks.workflow.alertconfig import parse
from tests.helpers.scenario import pin_clock
from tests.helpers.teamdb import team_database

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
T0 = parse_instant("2026-11-22T08:00:00+01:00")


@pytest.fixture
def desk(tmp_path: Path, audit_key: Path, monkeypatch: pytest.MonkeyPatch):
    pin_clock(monkeypatch, T0, 0)
    url = team_database(tmp_path / "db", audit_key, T0)
    engine = make_engine(url)
    alerts.set_contact(engine, "lars", by="lars", email="lars@example.org", on_duty=True)
    incidents.open_incident(engine, title="Brand i Östmark", by="lars", cadence=30)
    pin_clock(monkeypatch, T0, 31)
    alerts.evaluate(engine, parse({}))
    alertoutbox.deliver(engine, parse({}, source="var/alerts.yaml"))  # no smtp: the page shows why
    monkeypatch.setenv("CRISISDESK_DATABASE_URL", url)
    yield engine
    engine.dispose()


def alerts_page(name: str) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=30)
    app.session_state["crisisdesk_user"] = {"name": name, "since": time.time(), "seen": time.time()}
    app.run()
    registered = {info.get("url_pathname"): page_hash for page_hash, info in app._registered_pages.items()}
    app._page_hash = registered["alerts"]
    app.run()
    assert not app.exception, app.exception
    return app


def test_a_lead_sees_what_was_sent_and_acknowledges(desk) -> None:
    app = alerts_page("lars")
    body = "\n".join(m.value for m in app.markdown)
    assert "Website update overdue" in body and "Brand i Östmark" in body
    [table] = [d for d in app.dataframe if "Channel" in d.value.columns]
    row = table.value.iloc[0]
    assert (row["Channel"], row["Recipients"], row["Status"]) == ("email", "lars", "failed")
    assert "no smtp section" in row["Error"]
    [alert] = alerts.list_alerts(desk, open_only=True)
    app.button(key=f"ack-{alert.id}").click().run()
    assert not app.exception
    assert alerts.list_alerts(desk, open_only=True) == []
    assert audit.records(desk, object_type="alert")[-1].action == "alert.acknowledged"
    assert any(i.value == "No open alerts." for i in app.info)


def test_a_person_chooses_their_own_alerts_in_their_language(desk) -> None:
    from playbooks.workflow import users

    users.set_preferences(desk, "anna", language="sv", timezone="Europe/Stockholm")
    app = alerts_page("anna")
    assert app.title[0].value == "Larm"
    app.text_input[0].input("anna@example.org")
    app.checkbox(key="pref-flag-email").check()
    next(b for b in app.button if b.label == "Spara").click().run()
    assert not app.exception
    settings = alerts.settings_of(desk, "anna")
    assert settings.contact is not None and settings.contact.email == "anna@example.org"
    assert settings.preferences == {("flag", "email"): True}
    assert any(s.value == "Sparat." for s in app.success)


def test_every_event_name_is_in_five_languages() -> None:
    for names in alerttexts.TITLES.values():
        assert set(names) == set(i18n.LANGUAGES)
        for lang in i18n.LANGUAGES:
            assert i18n.t(names["en"], lang) == names[lang]
    for status in ("sent", "pending", "failed"):
        assert all(lang in i18n._T[status] for lang in i18n.LANGUAGES if lang != "en")


def test_the_alerts_are_shown_in_the_viewer_s_language_and_time_zone(desk) -> None:
    """Review item 12: the stored subject is English with UTC times; the page renders each alert anew."""
    from playbooks.workflow import users

    users.set_preferences(desk, "lars", language="sv", timezone="Europe/Stockholm")
    app = alerts_page("lars")
    body = "\n".join(m.value for m in app.markdown).replace("\\", "")
    # Due at 08:30 Stockholm time (07:30 UTC): in Swedish, at the viewer's own clock.
    assert "webbuppdateringen skulle ha kommit kl. 2026-11-22 08:30" in body and "UTC" not in body
    [table] = [d for d in app.dataframe if "Kanal" in d.value.columns]
    subject = table.value.iloc[0]["Ämne"]
    assert "webbuppdateringen skulle ha kommit kl. 2026-11-22 08:30" in subject and "UTC" not in subject
