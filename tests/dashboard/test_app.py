"""The desk as Streamlit renders it (AppTest): sign-in, what each role sees, each action's record."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from playbooks.workflow import audit, flags, incidents, messages, users
from sources import registry
from sources.poller import Poller
from tests.helpers.feedserver import FeedServer, Static, status
from tests.helpers.registry import account, write_registry
from tests.helpers.team import PASSWORD

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
APPROVED = "Brand i Östmark. Håll dörrar och fönster stängda. Nästa information kommer kl. 09.00."
HOSTILE = "Jag hörde att röken är giftig!!! <script>alert(1)</script> <img src=x onerror=alert(2)> [klicka](javascript:alert(3))"


def rss(items: list[tuple[str, str]]) -> Static:
    body = "".join(
        f"<item><guid>{g}</guid><title>{t[:30]}</title><description><![CDATA[{t}]]></description></item>"
        for g, t in items
    )
    return Static(f'<rss version="2.0"><channel><title>x</title>{body}</channel></rss>'.encode())


@pytest.fixture
def desk(engine, team, db_url: str, tmp_path: Path, feed_server: FeedServer, monkeypatch) -> dict[str, int]:
    feed_server.routes["/web"] = rss([])
    feed_server.routes["/forum"] = rss([("f1", HOSTILE)])
    feed_server.routes["/broken"] = status(500)
    registry.import_registry(engine, registry.load(write_registry(tmp_path / "a.yaml", [
        account("web", feed_server.url("/web"), administrators=["one@x"]),
        account("forum", feed_server.url("/forum"), "watch"),
        account("broken", feed_server.url("/broken"), "watch"),
    ])))  # fmt: skip
    incident = incidents.open_incident(engine, title="Brand i Östmark", by="lars", keywords=["brand", "rök"])
    message = messages.draft(engine, incident, APPROVED, by="anna")
    messages.submit(engine, message, by="anna")
    messages.approve(engine, message, by="lars")
    messages.publish(engine, message, by="anna")
    asyncio.run(Poller(engine, after_store=flags.after_store).run_once())
    users.set_password(engine, "anna", PASSWORD, by="admin")
    monkeypatch.setenv("CRISISDESK_DATABASE_URL", db_url)
    return {"incident": incident, "message": message}


def signed_in(name: str, page: str | None = None) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=30)
    app.session_state["crisisdesk_user"] = {"name": name, "since": time.time(), "seen": time.time()}
    app.run()
    if page:
        app.switch_page(f"pages/{page}.py").run()
    assert not app.exception, app.exception
    return app


def texts(app: AppTest) -> str:
    return "\n".join(m.value for m in app.markdown) + "\n".join(e.value for e in app.error)


def test_sign_in_with_the_wrong_then_the_right_password(desk) -> None:
    app = AppTest.from_file(APP, default_timeout=30).run()
    assert [field.label for field in app.text_input] == ["User name", "Password"]
    app.text_input[0].input("anna")
    app.text_input[1].input("wrong")
    app.button[0].click().run()
    assert app.error[0].value == "Wrong user name or password."
    app.text_input[1].input(PASSWORD)
    app.button[0].click().run()
    assert not app.exception and app.title[0].value == "Live monitor"


def test_an_expired_session_asks_to_sign_in_again(desk) -> None:
    app = AppTest.from_file(APP, default_timeout=30)
    app.session_state["crisisdesk_user"] = {"name": "anna", "since": time.time() - 13 * 3600, "seen": time.time()}
    app.run()
    assert app.info[0].value == "Your session has expired: please sign in again."


def test_the_monitor_shows_the_flag_with_its_cues_as_text(desk) -> None:
    app = signed_in("anna")
    body = texts(app)
    assert "rumour" in body and ":orange-background[jag hörde]" in body.lower()
    assert "<script" not in body and "onerror" not in body, "ingest kept only the text"
    assert "\\[klicka\\]\\(javascript" in body, "Markdown link syntax from a feed stays text"
    assert "Next website update" in body


def test_triage_from_the_monitor_writes_the_flag_and_the_audit(engine, desk) -> None:
    app = signed_in("anna")
    (view,) = flags.list_flags(engine)
    app.button(key=f"open-{view.flag.id}").click().run()
    form_action = app.selectbox(key=f"a{view.flag.id}")
    form_action.set_value("dismiss")
    app.text_input(key=f"r{view.flag.id}").input("Satir, inget att svara på")
    next(b for b in app.button if b.label == "Apply").click().run()
    assert flags.list_flags(engine) == []
    assert audit.records(engine, object_type="flag")[-1].action == "flag.dismiss"


def test_reviewers_see_but_cannot_triage_or_approve(desk) -> None:
    app = signed_in("rita")
    assert not any(b.label in ("Apply", "Triage") for b in app.button)
    with pytest.raises(ValueError):
        app.switch_page("pages/approvals.py")  # not in a reviewer's navigation


def test_a_lead_approves_a_draft_but_not_their_own(engine, desk) -> None:
    other = messages.draft(engine, desk["incident"], APPROVED.replace("09.00", "10.00"), by="anna")
    messages.submit(engine, other, by="anna")
    own = messages.draft(engine, desk["incident"], APPROVED.replace("09.00", "11.00"), by="lars")
    messages.submit(engine, own, by="lars")
    app = signed_in("lars", "approvals")
    assert any("Your own draft" in w.value for w in app.warning)
    assert app.button(key=f"ok-{own}").disabled
    assert "-Brand i Östmark. Håll dörrar och fönster stängda. Nästa information kommer kl. 09.00." in "\n".join(
        c.value for c in app.code
    )
    app.button(key=f"ok-{other}").click().run()
    approval = messages.approval_of(engine, other)
    assert approval is not None and approval.approver == "lars"
    assert messages.approval_of(engine, own) is None


def test_drafting_shows_the_checks_and_submits(engine, desk) -> None:
    app = signed_in("anna", "drafting")
    key = f"draft-{desk['incident']}-sv"
    app.text_area(key=key).input("Det brinner kanske i Östmark. Ring 070-123 45 67.").run()
    warnings = "\n".join(m.value for m in app.markdown)
    assert "R10" in warnings and "R16" in warnings
    next(b for b in app.button if b.label == "Save and submit for approval").click().run()
    submitted = [m for m in messages.list_messages(engine, desk["incident"]) if m.state == "submitted"]
    assert [m.author for m in submitted] == ["anna"]


def test_sources_shows_r12_warnings_failing_feeds_and_the_crisis_feed(desk) -> None:
    app = signed_in("rita", "health")
    assert any("R12" in w.value for w in app.warning)
    assert any("broken" in e.value for e in app.error)
    assert {b.label for b in app.get("download_button")} >= {"Atom", "CAP"}


def test_the_interface_speaks_the_users_language(engine, desk) -> None:
    from core.db import write_session
    from playbooks.workflow.models import User

    with write_session(engine) as session:
        session.get(User, "anna").language = "sv"  # type: ignore[union-attr]
    app = signed_in("anna")
    assert app.title[0].value == "Läget nu"


def test_a_user_switches_the_interface_language_and_it_is_kept(engine, desk) -> None:
    app = signed_in("anna")
    app.selectbox(key="pref-language").set_value("fi").run()
    assert app.title[0].value == "Tilannekuva"
    assert signed_in("anna").title[0].value == "Tilannekuva", "kept for the next session"
    assert audit.records(engine, object_type="user")[-1].action == "user.preferences"


def test_the_review_page_verifies_the_audit_chain(desk) -> None:
    app = signed_in("rita", "review")
    assert app.success[0].value.startswith("audit chain ok: ")


def test_the_review_page_offers_the_scorecard_and_every_export(desk) -> None:
    app = signed_in("rita", "review")
    assert "minutes from opening to the first approved message" in list(app.dataframe[0].value[""])
    app.button(key="prepare-exports").click().run()
    assert {b.label for b in app.get("download_button")} >= {"JSON", "Markdown", "Archive (zip)"}
