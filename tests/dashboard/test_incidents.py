"""The Incidents page as a clumsy lead would use it (AppTest): a second click on a form that already did
its work does not do it twice."""

from __future__ import annotations

from playbooks.workflow import incidents, messages
from tests.dashboard import test_app as base
from tests.dashboard.test_app import APPROVED, signed_in

desk = base.desk  # the same desk as the other page tests


def _click(app, label: str):  # type: ignore[no-untyped-def]
    next(b for b in app.button if b.label == label).click()
    return app.run()


def test_opening_the_same_incident_twice_opens_it_once(engine, desk) -> None:
    # The form keeps its values after opening (so that a refusal loses nothing): a second click on "Open
    # the incident" opened a second incident with the same title, its own cadence and its own alerts.
    app = signed_in("lars", "incidents")
    app.text_input(key="new-title").input("Vattenläcka i Kyrkbyn")
    app.text_input(key="new-keywords").input("vatten, läcka")
    _click(app, "Open the incident")
    _click(app, "Open the incident")
    assert not app.exception, app.exception
    titles = [v.incident.title for v in incidents.list_incidents(engine, open_only=True)]
    assert titles.count("Vattenläcka i Kyrkbyn") == 1
    (opened,) = [v.incident.id for v in incidents.list_incidents(engine) if v.incident.title == "Vattenläcka i Kyrkbyn"]
    assert [e.value.replace("\\", "") for e in app.error] == [f"This incident is open already: #{opened}"]
    app.text_input(key="new-title").input("Vattenläcka i Kyrkbyn, etapp 2")
    _click(app, "Open the incident")
    assert "Vattenläcka i Kyrkbyn, etapp 2" in [v.incident.title for v in incidents.list_incidents(engine)], (
        "other values open another incident"
    )


def test_an_incident_closed_since_can_be_opened_again_with_the_same_values(engine, desk) -> None:
    app = signed_in("lars", "incidents")
    app.text_input(key="new-title").input("Övning")
    _click(app, "Open the incident")
    (first,) = [v.incident.id for v in incidents.list_incidents(engine) if v.incident.title == "Övning"]
    incidents.close_incident(engine, first, by="lena")
    _click(app.run(), "Open the incident")
    assert not app.exception and not app.error, [e.value for e in app.error]
    assert len([v for v in incidents.list_incidents(engine) if v.incident.title == "Övning"]) == 2


def test_submitting_the_same_correction_twice_submits_it_once(engine, desk) -> None:
    app = signed_in("lars", "incidents")
    fixed = APPROVED.replace("Östmark", "Västmark")
    app.text_area(key=f"fix-{desk['message']}").input(fixed)
    _click(app, "Submit the correction for approval")
    _click(app, "Submit the correction for approval")
    assert not app.exception, app.exception
    corrections = [m for m in messages.list_messages(engine, desk["incident"]) if m.kind == "correction"]
    assert [(m.text, m.state) for m in corrections] == [(fixed, "submitted")]
    assert [e.value.replace("\\", "") for e in app.error] == [f"This correction was submitted as #{corrections[0].id}."]
    messages.reject(engine, corrections[0].id, by="lena", reason="Fel ort")
    _click(app.run(), "Submit the correction for approval")
    assert len([m for m in messages.list_messages(engine, desk["incident"]) if m.kind == "correction"]) == 2, (
        "once the first is rejected, the same text may be submitted again"
    )


def test_a_lost_signing_key_is_said_in_words_and_nothing_is_done(engine, desk, audit_key, monkeypatch) -> None:
    # Every action is audited with its head signed; with the key file gone the page showed a traceback.
    app = signed_in("lars", "incidents")
    monkeypatch.setenv("CRISISDESK_AUDIT_KEY", str(audit_key.with_name("gone.pem")))
    app.text_input(key="new-title").input("Gasläcka")
    _click(app, "Open the incident")
    assert not app.exception, app.exception
    (said,) = [e.value.replace("\\", "") for e in app.error]
    assert said.startswith("Nothing was done: the desk's signing key cannot be used. Tell the administrator:")
    assert "gone.pem" in said
    assert "Gasläcka" not in [v.incident.title for v in incidents.list_incidents(engine)]
