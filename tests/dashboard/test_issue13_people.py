"""Issue 13, what remained (AppTest): a lead withdraws an own draft and sees the drafts nobody submitted, the
approvals diff word by word; an analyst's own flags with their history, filters and a post search; the
reviewer checks the audit trail and an uploaded archive, the Review page in words."""

from __future__ import annotations

import io
import zipfile

import pytest

from dashboard.render import word_diff
from playbooks.review import bundlewriter
from playbooks.workflow import desk as queries
from playbooks.workflow import flags, messages, users
from playbooks.workflow.messages import WorkflowError
from tests.dashboard import test_app as base
from tests.dashboard.test_app import APPROVED, every_text, signed_in

desk = base.desk  # the same desk as the other page tests


def plain(elements) -> str:  # type: ignore[no-untyped-def]
    """What the elements say, without Markdown's escapes."""
    return "\n".join(str(e.value) for e in elements).replace("\\", "")


def test_only_the_author_withdraws_a_draft_and_it_can_never_go_live(engine, desk) -> None:
    draft = messages.draft(engine, desk["incident"], APPROVED.replace("09.00", "11.00"), by="anna")
    with pytest.raises(WorkflowError, match="only its author withdraws it"):
        messages.withdraw(engine, draft, by="lars")
    messages.submit(engine, draft, by="anna")
    messages.withdraw(engine, draft, by="anna")
    assert messages.get(engine, draft).state == "withdrawn"
    with pytest.raises(WorkflowError, match="its author withdrew it"):
        messages.approve(engine, draft, by="lars")
    with pytest.raises(WorkflowError, match="withdrawn: only a message that is draft or submitted"):
        messages.withdraw(engine, draft, by="anna")
    with pytest.raises(WorkflowError, match="published: only"):
        messages.withdraw(engine, desk["message"], by="anna")


def test_the_word_diff_strikes_out_what_goes_and_marks_what_comes() -> None:
    shown = word_diff("Håll fönster stängda. Nästa kl. 09.00.", "Håll fönster stängda. Nästa kl. 10.00 i dag.")
    assert shown.startswith("Håll fönster stängda\\. Nästa kl\\. ")
    assert ":red-background[~~09\\.00\\.~~] :green-background[10\\.00 i dag\\.]" in shown
    assert word_diff("a b c", "a c") == "a :red-background[~~b~~] c"
    assert word_diff("*x* [y](javascript:z)", "*x*").count("\\[") == 1, "escaped, never a link"


def test_a_lead_sees_unsubmitted_drafts_and_withdraws_their_own(engine, desk) -> None:
    own = messages.draft(engine, desk["incident"], APPROVED.replace("09.00", "11.00"), by="lars")
    other = messages.draft(engine, desk["incident"], APPROVED.replace("09.00", "12.00"), by="anna")
    submitted, _ = messages.draft_and_submit(engine, desk["incident"], APPROVED.replace("09.00", "10.00"), by="anna")
    app = signed_in("lars", "approvals")
    body = every_text(app)
    assert "Drafts never submitted" in [s.value for s in app.subheader]
    assert f"withdraw-{own}" in [b.key for b in app.button] and f"submit-{own}" in [b.key for b in app.button]
    assert f"withdraw-{other}" not in [b.key for b in app.button], "nobody withdraws another person's draft"
    assert ":red-background[~~09\\.00\\.~~] :green-background[10\\.00\\.]" in body, "the change, word by word"
    assert app.button(key=f"withdraw-{own}").disabled, "only after saying so"
    app.checkbox(key=f"withdraw-sure-{own}").check().run()
    app.button(key=f"withdraw-{own}").click().run()
    assert not app.exception
    assert messages.get(engine, own).state == "withdrawn"
    assert f"draft-{own}" not in every_text(app.run()) and messages.get(engine, submitted).state == "submitted"


def test_an_analyst_withdraws_a_submitted_draft_on_the_approvals_page(engine, desk) -> None:
    submitted, _ = messages.draft_and_submit(engine, desk["incident"], APPROVED.replace("09.00", "10.00"), by="anna")
    app = signed_in("anna", "approvals")
    app.checkbox(key=f"withdraw-sure-{submitted}").check().run()
    app.button(key=f"withdraw-{submitted}").click().run()
    assert not app.exception and messages.get(engine, submitted).state == "withdrawn"


def test_my_flags_filters_shows_the_history_and_searches_posts(engine, desk) -> None:
    (rumour,) = flags.list_flags(engine)
    flags.triage(engine, rumour.flag.id, "escalate", by="lars", to="anna", reason="Ring räddningstjänsten")
    app = signed_in("anna", "flags")
    assert app.title[0].value == "My flags"
    assert "No flags match." in [c.value for c in app.caption], "nothing is assigned to anna (it is escalated)"
    app.radio(key="mine-relation").set_value("escalated").run()
    assert app.dataframe[0].value["#"].tolist() == [rumour.flag.id]
    body = every_text(app).replace("\\", "")
    assert "lars · escalated → anna · Reason: Ring räddningstjänsten" in body, "who did what, in words"
    app.multiselect(key="mine-statuses-en").set_value(["dismissed"]).run()
    assert "No flags match." in [c.value for c in app.caption]
    assert queries.find_flags(engine, person="anna", relation="escalated", kinds=["unrouted"]) == []
    app.text_input(key="find-account").input("FORUM").run()
    app.text_input(key="find-words").input("giftig").run()
    assert "Jag hörde att röken är giftig" in every_text(app).replace("\\", "")
    app.text_input(key="find-words").input("100%_").run()
    assert "No posts match." in [c.value for c in app.caption], "% and _ are searched as written"


def test_the_swedish_my_flags_page_has_no_english_left(engine, desk) -> None:
    users.set_preferences(engine, "anna", language="sv", timezone="Europe/Stockholm")
    app = signed_in("anna", "flags")
    assert app.title[0].value == "Mina flaggor"
    assert {"Tilldelade mig", "Eskalerade till mig", "Alla flaggor"} <= set(app.radio(key="mine-relation").options)


def _bundle(engine, incident: int) -> bytes:  # type: ignore[no-untyped-def]
    return bundlewriter.bundle(engine, incident, "en", with_pdf=False)


def test_the_reviewer_checks_the_audit_trail_and_an_uploaded_archive(engine, desk) -> None:
    app = signed_in("rita", "review")
    assert app.success[0].value.startswith("The audit trail is intact\\: ")
    assert "signed by the desk up to record" in app.success[0].value
    good = _bundle(engine, desk["incident"])
    app.file_uploader(key="verify-upload").set_value(("incident-1.zip", good, "application/zip")).run()
    assert not app.exception
    assert any("whole, unchanged and signed by this desk" in s.value.replace("\\", "") for s in app.success)
    forged = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as original, zipfile.ZipFile(forged, "w") as copy:
        for info in original.infolist():
            data = original.read(info)
            copy.writestr(info, data.replace(b"Brand", b"Bran ") if info.filename.endswith(".md") else data)
    app.file_uploader(key="verify-upload").set_value(("incident-1.zip", forged.getvalue(), "application/zip")).run()
    assert any("this archive does not check out" in e.value.replace("\\", "") for e in app.error)
    assert "differs from the manifest" in every_text(app)
    app.file_uploader(key="verify-upload").set_value(("notes.zip", b"not a zip", "application/zip")).run()
    assert any("notes.zip: not a readable zip archive" in m.value.replace("\\", "") for m in app.markdown)
    assert "/tmp" not in every_text(app), "the server's temporary path is not shown"


def test_the_review_page_speaks_the_persons_language_without_hashes(engine, desk) -> None:
    from core.db import write_session
    from playbooks.workflow.models import Incident

    with write_session(engine) as session:
        session.get(Incident, desk["incident"]).exercise = True  # type: ignore[union-attr]
    users.set_preferences(engine, "rita", language="sv", timezone="Europe/Helsinki")
    app = signed_in("rita", "review")
    assert "Övning: händelsen var en övning" in plain(app.warning)
    card = app.dataframe[0].value
    assert list(card.columns) == ["Mått", "Utfall", "Krav"]
    assert "Tid från start till första godkända meddelande" in card["Mått"].tolist()
    assert not any(str(v) in ("None", "null") or "{" in str(v) for v in card["Utfall"].tolist())
    events = app.dataframe[1].value
    assert "Meddelande publicerat" in events["Händelse"].tolist()
    assert not any("hash" in str(v) for v in events["Vad"].tolist()), "no hashes in the timeline"
    published = messages.get(engine, desk["message"]).published_at
    assert published is not None
    local = published.astimezone(__import__("zoneinfo").ZoneInfo("Europe/Helsinki")).strftime("%Y-%m-%d %H:%M")
    assert local in events["Tid"].tolist(), "in the person's time zone"


# --- the administrator: the registry from a file, entry by entry; one account edited; retention ----------


def _yaml(accounts: list[dict[str, object]]) -> bytes:
    import yaml

    document = {"organisation": "Torsby kommun", "allow_networks": ["127.0.0.0/8"], "accounts": accounts}
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False).encode()


def test_the_administrator_imports_a_registry_seeing_each_entrys_problems(engine, desk) -> None:
    from sources.registry import list_accounts
    from tests.helpers.registry import account

    good = account("fb", "http://127.0.0.1:9/fb", "social", platform="facebook", administrators=["one@x"])
    bad = account("x", "ftp://example.org/feed", "official-ish")
    app = signed_in("admin", "administration")
    app.file_uploader(key="registry-upload").set_value(("reg.yaml", _yaml([good, bad]), "application/yaml")).run()
    assert not app.exception
    table = app.dataframe[0].value
    assert table["Check"].tolist()[0] == "OK"
    assert "field 'kind'" in table["Check"].tolist()[1] and "field 'feed'" in table["Check"].tolist()[1]
    assert "registry-import" not in [b.key for b in app.button], "nothing is imported while an entry is wrong"
    assert any("Nothing was imported" in e.value for e in app.error)
    assert any(
        "fb: an official account needs at least two administrators (R12)" in w.value.replace("\\", "")
        for w in app.warning
    )
    app.file_uploader(key="registry-upload").set_value(("reg.yaml", _yaml([good]), "application/yaml")).run()
    app.button(key="registry-import").click().run()
    assert not app.exception and "fb" in {a.id for a in list_accounts(engine)}
    assert "Imported: 1 new" in plain(app.success)
    app.file_uploader(key="registry-upload").set_value(("reg.yaml", b"accounts: [\n", "application/yaml")).run()
    assert "not valid YAML" in plain(app.error)


def test_the_administrator_edits_an_account_and_the_r12_warning_goes(engine, desk) -> None:
    from sources.registry import list_accounts

    app = signed_in("admin", "administration")
    assert any(w.value.startswith("web\\: an official account needs at least two") for w in app.warning)
    app.selectbox(key="edit-account").set_value("web").run()
    app.text_area(key="acct-admins-web").input("one@x\ntwo@x")
    app.text_input(key="acct-languages-web").input("sv, xx-!!")  # a language code that is not one
    next(b for b in app.button if b.label == "Save the account").click().run()
    assert "The account was not saved" in plain(app.error)
    assert "languages" in every_text(app)
    app.text_area(key="acct-admins-web").input("one@x\ntwo@x")
    app.text_input(key="acct-languages-web").input("sv")
    next(b for b in app.button if b.label == "Save the account").click().run()
    web = next(a for a in list_accounts(engine) if a.id == "web")
    assert web.administrators == ["one@x", "two@x"] and web.languages == ["sv"]
    assert not any("web\\: an official account" in w.value for w in app.warning)


def test_retention_is_a_dry_run_before_it_is_applied(engine, desk, monkeypatch) -> None:
    from datetime import UTC, datetime, timedelta

    from core.db import read_session
    from sources.models import Post

    monkeypatch.setenv("CRISISDESK_NOW", (datetime.now(UTC) + timedelta(days=400)).isoformat())
    app = signed_in("admin", "administration")
    assert "retention-apply" not in [b.key for b in app.button], "no apply before a dry run"
    app.button(key="retention-dry").click().run()
    assert "1 posts, 1 flags would be pruned" in plain(app.info)
    assert app.button(key="retention-apply").disabled
    app.checkbox(key="retention-sure").check().run()
    app.button(key="retention-apply").click().run()
    assert not app.exception and "Removed: 1 posts" in plain(app.success)
    with read_session(engine) as session:
        assert "giftig" not in " ".join(p.text for p in session.query(Post))


def test_the_charts_are_in_the_persons_time_zone_with_readable_ticks(engine, desk) -> None:
    import json
    from zoneinfo import ZoneInfo

    from playbooks.workflow.messages import approval_of

    users.set_preferences(engine, "anna", language="de", timezone="Europe/Helsinki")
    app = signed_in("anna")
    spec = json.loads(app.get("plotly_chart")[1].proto.spec)
    approval = approval_of(engine, desk["message"])
    assert approval is not None
    local = approval.approved_at.astimezone(ZoneInfo("Europe/Helsinki")).strftime("%Y-%m-%dT%H:%M")
    assert spec["data"][0]["x"][0].startswith(local) and spec["data"][0]["name"] == "Freigegeben"
    assert spec["layout"]["xaxis"]["tickformat"] == "%H:%M"
    assert spec["layout"]["xaxis"]["title"]["text"] == "Europe/Helsinki"


# --- the demo: logins on the sign-in page, the scenario's end and a replay, in demo mode only --------------


def test_demo_mode_shows_the_logins_the_end_and_a_replay(desk, monkeypatch) -> None:
    from streamlit.testing.v1 import AppTest

    from crisisdesk.demo import DEMO_PASSWORD, ScenarioPost, ScenarioServer
    from tests.dashboard.test_app import APP

    plain_app = AppTest.from_file(APP, default_timeout=30).run()
    assert DEMO_PASSWORD not in every_text(plain_app), "outside the demo, no logins"
    server = ScenarioServer([ScenarioPost(0, "web", "Brand", "Brand i Östmark.")], seconds_per_minute=0.001).start()
    try:
        monkeypatch.setenv("CRISISDESK_DEMO_URL", server.base)
        app = AppTest.from_file(APP, default_timeout=30).run()
        assert f"password {DEMO_PASSWORD}" in plain(app.info) and "anna (analyst)" in plain(app.info)
        app = signed_in("lars")
        assert "Demo scenario: ended at" in plain(app.caption)
        app.button(key="demo-replay").click().run()
        assert not app.exception and server.round == 2
    finally:
        server.stop()


def test_a_refusal_on_the_approvals_page_stays_until_dismissed(engine, desk) -> None:
    submitted, _ = messages.draft_and_submit(engine, desk["incident"], APPROVED.replace("09.00", "10.00"), by="anna")
    app = signed_in("lars", "approvals")
    next(b for b in app.button if b.label == "Reject").click().run()  # no reason given
    assert "a rejection needs a reason" in plain(app.error) and "--reason" not in plain(app.error)
    app.run()  # the queue redraws itself: the refusal stays
    assert "a rejection needs a reason" in plain(app.error)
    app.button(key="approvals-error-ok").click().run()
    assert not app.error and messages.get(engine, submitted).state == "submitted"
