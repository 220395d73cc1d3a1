"""Issue 13 on the desk (AppTest): flags without an incident reach every open incident's queue and its
review, cards that speak to people, drafting that keeps the text and blocks placeholders, repeats."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from core.clock import now
from core.db import write_session
from playbooks.review import scorecard
from playbooks.workflow import flags, incidents, messages
from playbooks.workflow.messages import WorkflowError
from playbooks.workflow.models import Flag
from sources.models import Post
from sources.poller import Poller
from tests.dashboard import test_app as base
from tests.dashboard.test_app import APPROVED, every_text, rss, signed_in

desk = base.desk  # the same desk as the other page tests

TEMPLATE_SV = "[Vad har hänt] …\n[Var] …\n[Vad ska du göra] …\nNästa information kommer kl. …\n"


def add_lookalike_flag(engine) -> int:  # type: ignore[no-untyped-def]
    """What the checks raise for a look-alike account: an impersonation flag that belongs to no incident."""
    with write_session(engine) as session:
        post_id = session.query(Post.id).order_by(Post.id).first()[0]
        flag = Flag(dedupe_key=f"impersonation:-:{post_id}", kind="impersonation", rule="R5", score=0.8,
                    status="open", incident_id=None, post_id=post_id, evidence={
                        "account_name": "Torsby kommun info", "organisation": "Torsby kommun",
                        "why": "the post speaks in the organisation's name", "quote": "evakuera centrum"},
                    created_at=now(), updated_at=now())  # fmt: skip
        session.add(flag)
        session.flush()
        return flag.id


def test_a_flag_without_an_incident_tops_every_open_incidents_queue(engine, desk) -> None:
    other = incidents.open_incident(engine, title="Vattenläcka", by="lars", keywords=["vatten"])
    flag_id = add_lookalike_flag(engine)
    for incident in (desk["incident"], other):
        shown = flags.list_flags(engine, incident=incident, unattached=True)
        assert shown[0].flag.id == flag_id, "first in the queue of every open incident"
    app = signed_in("anna")
    app.selectbox[0].set_value(desk["incident"]).run()
    body = every_text(app)
    assert body.index("Look\\-alike account") < body.index("Rumour"), "the look-alike flag is on top"
    assert "speaks in the organisation's name" in body.replace("\\", "")


def test_a_flag_without_an_incident_is_in_the_review(engine, desk) -> None:
    flag_id = add_lookalike_flag(engine)
    record = scorecard.load(engine, desk["incident"])
    assert flag_id in [f.id for f in record.flags]
    assert flag_id in [v.flag.id for v in flags.for_review(engine, desk["incident"])]


def test_flag_cards_speak_in_words_with_rule_and_score_in_a_tooltip(engine, desk) -> None:
    app = signed_in("anna")
    body = every_text(app).replace("\\", "")
    assert "Rumour" in body and "An unconfirmed claim about the incident is spreading." in body
    assert "Rumour cues: jag hörde" in body
    assert "R2 ·" not in body and "[cues:" not in body and "why:" not in body, (
        "no rule id or raw evidence keys in the card"
    )
    helps = [m.help for m in app.markdown if getattr(m, "help", None)]
    assert any(h.startswith("Rule R2 · score ") for h in helps)


def test_flag_cards_in_swedish(engine, desk) -> None:
    from playbooks.workflow import users

    users.set_preferences(engine, "anna", language="sv", timezone="Europe/Stockholm")
    body = every_text(signed_in("anna")).replace("\\", "")
    assert "Rykte" in body and "Ryktestecken: jag hörde" in body


def test_the_assignee_is_on_the_card(engine, desk) -> None:
    (view,) = flags.list_flags(engine)
    flags.triage(engine, view.flag.id, "assign", by="anna", to="lars")
    assert "assigned to lars" in every_text(signed_in("anna")).replace("\\", "")


def test_drafting_keeps_the_text_after_a_submit_and_blocks_placeholders(engine, desk) -> None:
    app = signed_in("anna", "drafting")
    key = f"draft-{desk['incident']}-sv"
    assert "…" in app.text_area(key=key).value
    assert app.button(key="draft-submit").disabled, "the bare template cannot be submitted"
    assert any("placeholders are still in the text" in w.value for w in app.warning)
    text = APPROVED.replace("09.00", "10.00")
    app.text_area(key=key).input(text).run()
    assert not app.button(key="draft-submit").disabled
    app.button(key="draft-submit").click().run()
    assert not app.exception
    assert app.text_area(key=key).value == text, "the text stays as written"
    assert app.button(key="draft-submit").disabled, "the same text is not submitted twice"
    app.text_area(key=key).input(text + " Ring 113 13.").run()
    assert app.text_area(key=key).value == text + " Ring 113 13.", "what is typed next is kept"
    app.button(key="draft-submit").click().run()
    submitted = [m.text for m in messages.list_messages(engine, desk["incident"]) if m.state == "submitted"]
    assert submitted == [text, text + " Ring 113 13."]


def test_the_service_refuses_a_text_with_template_placeholders(engine, desk) -> None:
    with pytest.raises(WorkflowError, match="placeholders"):
        messages.draft_and_submit(engine, desk["incident"], TEMPLATE_SV, by="anna", lang="sv")
    with pytest.raises(WorkflowError, match="placeholders"):
        messages.draft_and_submit(engine, desk["incident"], "[Var] Östmark. Stäng fönster.", by="anna", lang="sv")
    assert [m.state for m in messages.list_messages(engine, desk["incident"])] == ["published"]


@pytest.fixture
def website_carried(engine, desk, feed_server, monkeypatch) -> datetime:  # type: ignore[no-untyped-def]
    """The website carried the approved message; two hours later the next update is overdue."""
    feed_server.routes["/web"] = rss([("w1", APPROVED)])
    asyncio.run(Poller(engine, after_store=flags.after_store).run_once(include_all=True))
    later = datetime.now(UTC) + timedelta(hours=2)
    monkeypatch.setenv("CRISISDESK_NOW", later.isoformat())
    return later


def test_two_repeats_of_one_live_message_make_one(engine, desk, website_carried) -> None:
    first = messages.repeat(engine, desk["incident"], by="anna")
    with pytest.raises(WorkflowError, match=f"waits already: message {first}"):
        messages.repeat(engine, desk["incident"], by="lars")
    assert [m.kind for m in messages.list_messages(engine, desk["incident"])].count("repeat") == 1


def test_the_due_box_shows_the_text_and_after_a_repeat_what_happens_next(engine, desk, website_carried) -> None:
    app = signed_in("lars", "approvals")
    assert any(APPROVED in t.value for t in app.text), "the exact text a repeat sends again"
    assert "overdue" in every_text(app)
    app.button(key=f"repeat-{desk['incident']}").click().run()
    assert not app.exception
    assert any("A repeat waits for approval" in i.value for i in app.info)
    assert f"repeat-{desk['incident']}" not in [b.key for b in app.button], "one repeat, however many click"
    repeat = next(m for m in messages.list_messages(engine, desk["incident"]) if m.kind == "repeat")
    messages.approve(engine, repeat.id, by="lena")
    messages.publish(engine, repeat.id, by="anna")
    app.run()
    assert any("the website copy is still pending" in i.value for i in app.info)


# --- item 3: a reload keeps the session (a signed, expiring cookie); a bookmarked page opens after sign-in


def test_the_session_token_is_signed_expires_and_ends_with_the_password(engine, desk, monkeypatch) -> None:
    import time

    from dashboard import state
    from playbooks.workflow import users
    from tests.helpers.team import PASSWORD

    monkeypatch.setenv("CRISISDESK_SESSION_SECRET", "k" * 32)
    stamp = time.time()
    token = state.session_token("anna", stamp, stamp)
    assert state.read_token(token) == ("anna", float(int(stamp)))
    body, _, sig = token.partition(".")
    assert state.read_token(body.replace(body[2], "A" if body[2] != "A" else "B") + "." + sig) is None, "forged"
    assert state.read_token(state.session_token("anna", stamp - 13 * 3600, stamp)) is None, "12 hours at most"
    assert state.read_token(state.session_token("anna", stamp, stamp - 3 * 3600)) is None, "2 hours idle"
    monkeypatch.setenv("CRISISDESK_SESSION_SECRET", "other" * 8)
    assert state.read_token(token) is None, "another key"
    monkeypatch.setenv("CRISISDESK_SESSION_SECRET", "k" * 32)
    users.set_password(engine, "anna", PASSWORD + "x", by="admin")
    assert state.read_token(token) is None, "a new password ends the sessions before it"


def test_a_bookmarked_page_opens_after_sign_in(desk) -> None:
    from streamlit.testing.v1 import AppTest

    from tests.dashboard.test_app import APP, open_page
    from tests.helpers.team import PASSWORD

    app = AppTest.from_file(APP, default_timeout=30).run()
    open_page(app, "approvals")  # signed out, /approvals is the sign-in page at that address
    app.text_input[0].input("anna")
    app.text_input[1].input(PASSWORD)
    app.button[0].click().run()
    assert not app.exception and app.title[0].value == "Approvals"


# --- item 5: the reviewer downloads PDF and CSV on the Review page, and sees the look-alike flag ----------


def test_the_review_page_offers_pdf_and_csv_downloads_and_lists_the_lookalike(engine, desk, monkeypatch) -> None:
    from playbooks.review import exports

    monkeypatch.setattr(exports, "to_pdf", lambda doc, lang="en", zone="UTC": b"%PDF-1.4 review")
    add_lookalike_flag(engine)
    app = signed_in("rita", "review")
    assert "Look-alike account" in list(app.dataframe[-1].value["Flag"])
    app.button(key="prepare-exports").click().run()
    labels = {b.label for b in app.get("download_button")}
    assert {"PDF", "JSON", "Markdown", "Archive (zip)", "CSV: flags", "CSV: timeline"} <= labels
    assert not any("crisisdesk export" in c.value for c in app.caption), "no command to run"


def test_without_a_pdf_the_other_downloads_still_work(engine, desk, monkeypatch) -> None:
    from playbooks.review import exports

    def fail(doc, lang="en", zone="UTC"):  # type: ignore[no-untyped-def]
        raise exports.ExportError("no chromium (--format pdf)")

    monkeypatch.setattr(exports, "to_pdf", fail)
    app = signed_in("rita", "review")
    app.button(key="prepare-exports").click().run()
    assert "PDF" not in {b.label for b in app.get("download_button")}
    assert any("could not be made on this server" in w.value for w in app.warning)
    assert "--format" not in every_text(app)


# --- items 3 and 4: leads handle incidents and corrections, the administrator the users, in the browser ----


def test_a_lead_opens_an_incident_changes_its_phase_and_closes_it(engine, desk) -> None:
    app = signed_in("lars", "incidents")
    app.text_input(key="new-title").input("Vattenläcka i Norra")
    app.selectbox(key="new-playbook").set_value("drinking-water")
    app.text_input(key="new-keywords").input("vatten, läcka")
    app.number_input(key="new-cadence").set_value(30)
    app.checkbox(key="new-exercise").check()
    next(b for b in app.button if b.label == "Open the incident").click().run()
    assert not app.exception
    view = incidents.list_incidents(engine, open_only=True)[-1]
    assert (view.incident.title, view.incident.playbook, view.incident.keywords) == (
        "Vattenläcka i Norra", "drinking-water", ["vatten", "läcka"])  # fmt: skip
    assert view.incident.exercise and view.cadence_minutes == 30
    new = view.incident.id
    app.radio(key=f"phase-{new}").set_value("recovery").run()
    app.button(key=f"set-phase-{new}").click().run()
    assert incidents.get(engine, new).incident.phase == "recovery"
    app.checkbox(key=f"sure-{new}").check().run()
    app.button(key=f"close-{new}").click().run()
    assert not incidents.get(engine, new).incident.open
    assert f"close-{new}" not in [b.key for b in app.button]


def test_an_analyst_sees_the_incidents_page_but_cannot_open_or_close(desk) -> None:
    app = signed_in("anna", "incidents")
    assert "Open the incident" not in [b.label for b in app.button]
    assert f"close-{desk['incident']}" not in [b.key for b in app.button]


def test_a_correction_is_shown_as_such_with_the_original_struck_through(engine, desk) -> None:
    app = signed_in("anna", "incidents")
    fixed = APPROVED.replace("09.00", "09.30")
    app.text_area(key=f"fix-{desk['message']}").input(fixed)
    next(b for b in app.button if b.label == "Submit the correction for approval").click().run()
    assert not app.exception
    correction = next(m for m in messages.list_messages(engine, desk["incident"]) if m.kind == "correction")
    assert correction.state == "submitted" and correction.replaces_id == desk["message"]
    messages.approve(engine, correction.id, by="lars")
    messages.publish(engine, correction.id, by="anna")
    body = every_text(app.run())
    assert f"Correction \\#{correction.id}" in body
    assert "~~Brand i Östmark\\. Håll dörrar och fönster stängda\\. Nästa information kommer kl\\. 09\\.00\\.~~" in body
    assert f"corrected by #{correction.id}" in body


def test_the_administrator_adds_sets_the_role_resets_and_disables_a_user(engine, desk) -> None:
    from playbooks.workflow import users
    from tests.helpers.team import PASSWORD

    app = signed_in("admin", "users")
    app.text_input(key="add-name").input("nina")
    app.selectbox(key="add-role").set_value("analyst")
    app.text_input(key="add-password").input(PASSWORD)
    next(b for b in app.button if b.label == "Add").click().run()
    assert not app.exception and users.active(engine, "nina").role == "analyst"
    app.selectbox(key="edit-name").set_value("nina").run()
    app.selectbox(key="edit-role").set_value("lead")
    next(b for b in app.button if b.label == "Set the role").click().run()
    assert users.active(engine, "nina").role == "lead"
    app.selectbox(key="edit-name").set_value("nina").run()
    app.text_input(key="reset-password").input("Another9Horse")
    next(b for b in app.button if b.label == "Reset the password").click().run()
    assert users.authenticate(engine, "nina", "Another9Horse") is not None
    app.selectbox(key="edit-name").set_value("nina").run()
    app.checkbox(key="disable-sure-nina").check()
    next(b for b in app.button if b.label == "Disable").click().run()
    assert users.active(engine, "nina") is None
    app.text_input(key="add-name").input("x")
    app.selectbox(key="add-role").set_value("analyst")
    next(b for b in app.button if b.label == "Add").click().run()
    assert app.error and "--" not in app.error[0].value, "the refusal in words, without options"


def test_every_user_changes_their_own_password(engine, desk) -> None:
    from playbooks.workflow import users
    from tests.helpers.team import PASSWORD

    app = signed_in("anna", "account")
    app.text_input(key="pw-old").input("wrong")
    app.text_input(key="pw-new").input("Brand5Ny9Losen")
    app.text_input(key="pw-again").input("Brand5Ny9Losen")
    next(b for b in app.button if b.label == "Change my password").click().run()
    assert "The current password is wrong" in app.error[0].value
    app.text_input(key="pw-old").input(PASSWORD)
    app.text_input(key="pw-new").input("Brand5Ny9Losen")
    app.text_input(key="pw-again").input("Brand5Ny9Losen")
    next(b for b in app.button if b.label == "Change my password").click().run()
    assert not app.exception and users.authenticate(engine, "anna", "Brand5Ny9Losen") is not None
    assert "users" not in {p.get("url_pathname") for p in app._registered_pages.values()}, "not for analysts"


def test_an_empty_installation_shows_the_first_run_screen(engine, db_url, monkeypatch) -> None:
    from streamlit.testing.v1 import AppTest

    from playbooks.workflow import users
    from tests.dashboard.test_app import APP
    from tests.helpers.team import PASSWORD

    monkeypatch.setenv("CRISISDESK_DATABASE_URL", db_url)
    app = AppTest.from_file(APP, default_timeout=30).run()
    assert "this installation is empty" in app.subheader[0].value
    app.text_input(key="first-name").input("ada")
    app.text_input(key="first-password").input(PASSWORD)
    next(b for b in app.button if b.label == "Create the administrator").click().run()
    assert not app.exception and users.active(engine, "ada").role == "admin"
    assert app.title[0].value == "Live monitor"
