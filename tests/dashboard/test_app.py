"""The desk as Streamlit renders it (AppTest): sign-in, what each role sees, each action's record."""

from __future__ import annotations

import asyncio
import io
import shutil
import time
import zipfile
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


def open_page(app: AppTest, url_path: str) -> AppTest:
    """Go to one of the desk's pages. They are functions (`st.Page(render, url_path=...)`), which
    `AppTest.switch_page` (file pages only) cannot open; Streamlit knows them by their url_path, as a
    browser does. Refuses a page the user's navigation does not offer."""
    registered = {info.get("url_pathname"): page_hash for page_hash, info in app._registered_pages.items()}
    if url_path not in registered:
        raise ValueError(f"{url_path!r} is not in this navigation: {sorted(map(str, registered))}")
    app._page_hash = registered[url_path]
    return app.run()


def signed_in(name: str, page: str | None = None) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=30)
    app.session_state["crisisdesk_user"] = {"name": name, "since": time.time(), "seen": time.time()}
    app.run()
    if page:
        open_page(app, page)
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
        open_page(app, "approvals")  # not in a reviewer's navigation


def test_a_lead_approves_a_draft_but_not_their_own(engine, desk) -> None:
    other = messages.draft(engine, desk["incident"], APPROVED.replace("09.00", "10.00"), by="anna")
    messages.submit(engine, other, by="anna")
    own = messages.draft(engine, desk["incident"], APPROVED.replace("09.00", "11.00"), by="lars")
    messages.submit(engine, own, by="lars")
    app = signed_in("lars", "approvals")
    assert any("Your own draft" in w.value for w in app.warning)
    assert app.button(key=f"ok-{own}").disabled
    # The change against the live message, word by word (issue 13: no unified diff).
    assert ":red-background[~~09\\.00\\.~~] :green-background[11\\.00\\.]" in every_text(app)
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
    app = signed_in("rita", "sources")
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
    assert app.success[0].value.startswith("The audit trail is intact\\: ")


def test_the_review_page_offers_the_scorecard_and_every_export(desk) -> None:
    app = signed_in("rita", "review")
    assert "Time from opening to the first approved message" in list(app.dataframe[0].value["Measure"])
    app.button(key="prepare-exports").click().run()
    assert {b.label for b in app.get("download_button")} >= {"JSON", "Markdown", "Archive (zip)"}
    with zipfile.ZipFile(io.BytesIO(app.session_state["review-exports"]["zip"])) as archive:
        assert archive.read("review.json") == app.session_state["review-exports"]["json"], "one build, not two"


def test_a_large_incident_is_exported_on_the_server_not_in_the_page(desk, monkeypatch) -> None:
    from dashboard.views import review

    monkeypatch.setattr(review, "DOWNLOAD_MAX_POSTS", 0)  # every incident is large
    app = signed_in("rita", "review")
    app.button(key="prepare-exports").click().run()
    assert not app.get("download_button")
    assert any("crisisdesk export" in i.value and "format zip" in i.value.replace("\\", "") for i in app.info)


# --- issue 12 item 4: nothing from a feed, a title or an identity becomes Markdown on any page ------------

EVIL_LINK = "https://evil.example/x)![s](https://tracker.example/p.png)"
EVIL_TITLE = "Brand [x](https://evil.example/t) ![i](https://tracker.example/i.png) :red[boo] <b>b</b> **c**"
# What must never reach a page as it is: each would be a link, an image, a directive, HTML or emphasis.
LIVE = [
    "](https://evil.example/t)",
    "](https://evil.example/x)",
    "](https://tracker.example",
    "![",
    ":red[",
    "<b>",
    "**c**",
]


def every_text(app: AppTest) -> str:
    """Everything on the page that Streamlit renders as Markdown."""
    kinds = ("markdown", "caption", "error", "warning", "info", "success", "title", "subheader", "header", "toast")
    return "\n".join(str(e.value) for kind in kinds for e in app.get(kind))


@pytest.fixture
def hostile_desk(engine, team, db_url: str, tmp_path: Path, feed_server: FeedServer, monkeypatch) -> dict[str, int]:
    item = (f"<item><guid>e1</guid><title>Sprid detta!!! Jag hörde att röken är giftig</title>"
            f"<link>{EVIL_LINK.replace('&', '&amp;')}</link><description>{EVIL_TITLE.replace('<', '&lt;')}"
            f"</description></item>")  # fmt: skip
    feed_server.routes["/forum"] = Static(
        f'<rss version="2.0"><channel><title>x</title>{item}</channel></rss>'.encode()
    )
    monkeypatch.setenv("CRISISDESK_NOW", "2026-11-22T07:00:00Z")
    registry.import_registry(engine, registry.load(write_registry(tmp_path / "a.yaml", [
        account("forum", feed_server.url("/forum"), "watch"),
    ])))  # fmt: skip
    incident = incidents.open_incident(engine, title=EVIL_TITLE, by="lars", keywords=["brand", "rök"])
    message = messages.draft(engine, incident, APPROVED, by="anna")
    messages.submit(engine, message, by="anna")
    messages.approve(engine, message, by="lars")
    messages.publish(engine, message, by="anna")
    asyncio.run(Poller(engine, after_store=flags.after_store).run_once())
    monkeypatch.setenv("CRISISDESK_NOW", "2026-11-22T12:00:00Z")  # the website update is overdue
    monkeypatch.setenv("CRISISDESK_DATABASE_URL", db_url)
    return {"incident": incident}


@pytest.mark.parametrize(("user", "page", "titled"), [("anna", None, True), ("lars", "approvals", True),
                                                      ("anna", "drafting", False), ("rita", "sources", True),
                                                      ("rita", "review", False)])  # fmt: skip
def test_no_page_renders_markup_from_a_feed_a_title_or_a_link(hostile_desk, user: str, page: str | None,
                                                              titled: bool) -> None:  # fmt: skip
    app = signed_in(user, page)
    shown = every_text(app)
    assert ("Brand" in shown) is titled, "where the title is shown in Markdown, it is there as text"
    assert [live for live in LIVE if live in shown] == []


def test_a_post_link_is_one_percent_encoded_link_on_the_monitor(hostile_desk) -> None:
    from tests.dashboard.test_render import ONE_LINK

    shown = every_text(signed_in("anna"))
    links = [m.group(2) for m in ONE_LINK.finditer(shown)]
    assert links == ["https://evil.example/x%29!%5Bs%5D%28https://tracker.example/p.png%29"]


# --- issue 12 item 5, issue 11 item 3: one guard, re-checked on every run of every live part ------------


def _live_part() -> None:
    import streamlit as st

    from dashboard.guard import live

    @live(5)
    def part(viewer, label: str) -> None:  # type: ignore[no-untyped-def]
        st.markdown(f"{label}: {viewer.name} is {viewer.role}")

    part("live")


def live_part(name: str, *, since: float | None = None) -> AppTest:
    app = AppTest.from_function(_live_part, default_timeout=30)
    stamp = time.time() if since is None else since
    app.session_state["crisisdesk_user"] = {"name": name, "since": stamp, "seen": stamp, "sso": False}
    return app.run()


def test_a_live_part_gets_the_user_as_the_database_has_them_on_each_run(engine, desk) -> None:
    app = live_part("anna")
    assert [m.value for m in app.markdown] == ["live: anna is analyst"]
    users.set_role(engine, "anna", "lead", by="admin")
    assert [m.value for m in app.run().markdown] == ["live: anna is lead"], "not the user of the first run"


def test_a_live_part_stops_when_the_user_is_disabled(engine, desk) -> None:
    app = live_part("anna")
    users.disable(engine, "anna", by="admin")
    app.run()
    assert not app.exception and app.markdown.len == 0 and "crisisdesk_user" not in app.session_state


def test_a_live_part_stops_when_the_session_expires(desk) -> None:
    app = live_part("anna", since=time.time() - 13 * 3600)
    assert not app.exception and app.markdown.len == 0 and app.session_state["crisisdesk_expired"] is True


def test_timed_runs_do_not_keep_an_idle_session_alive(desk) -> None:
    app = live_part("anna", since=time.time() - 600)
    assert app.markdown.len == 1
    assert app.session_state["crisisdesk_user"]["seen"] < time.time() - 500, "a timer is not a click"


def test_every_live_part_and_every_page_goes_through_the_guard() -> None:
    """No st.fragment outside dashboard/guard.py, and every page function is a guard.page."""
    import ast

    root = Path(APP).parent
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr == "fragment" and path.name != "guard.py":
                raise AssertionError(f"{path.relative_to(root)}:{node.lineno}: st.fragment outside the guard")
            if isinstance(node, ast.FunctionDef) and node.name == "render" and path.parent.name == "views":
                decorators = [ast.unparse(d) for d in node.decorator_list]
                assert any(d.startswith("page(") for d in decorators), f"{path.name}: render is not a guard.page"
    assert not (root / "pages").exists(), "pages are st.Page(function): no one-line shims"


# --- issue 12 item 5: single sign-on ------------------------------------------------------------------

SSO_SECRETS = {"auth": {"redirect_uri": "http://127.0.0.1:8501/oauth2callback", "cookie_secret": "s" * 32,
                        "client_id": "desk", "client_secret": "x",
                        "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}}  # fmt: skip


def sso_app(email: str, verified: object) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=30)
    app.secrets.update(SSO_SECRETS)
    app.user = {"is_logged_in": True, "email": email, "email_verified": verified}
    return app.run()


@pytest.fixture
def sso_user(engine, desk) -> str:
    users.add(engine, "anna@torsby.example", "analyst", by="admin")
    return "anna@torsby.example"


@pytest.mark.parametrize("verified", [False, None, "false"])
def test_single_sign_on_needs_a_verified_email(sso_user: str, verified: object) -> None:
    app = sso_app(sso_user, verified)
    assert not app.exception and "crisisdesk_user" not in app.session_state
    assert any("has not verified this e\\-mail address" in e.value for e in app.error)


def test_single_sign_on_signs_in_a_verified_known_identity(sso_user: str) -> None:
    app = sso_app(sso_user.upper(), True)
    assert not app.exception and app.title[0].value == "Live monitor"


def test_signing_out_of_single_sign_on_ends_the_identity_too(sso_user: str) -> None:
    app = sso_app(sso_user, True)
    app.button(key="sign-out").click().run()
    assert app.user.get("is_logged_in") is False, "st.logout() was called"
    assert not app.exception and "crisisdesk_user" not in app.session_state
    assert "Live monitor" not in [t.value for t in app.title], "not signed straight back in"


def test_a_disabled_single_sign_on_user_is_signed_out_of_the_identity(engine, sso_user: str) -> None:
    app = sso_app(sso_user, True)
    users.disable(engine, sso_user, by="admin")
    app.run()
    assert app.user.get("is_logged_in") is False and "crisisdesk_user" not in app.session_state


def test_an_unknown_identity_is_shown_as_text(desk) -> None:
    app = sso_app("[x](https://evil.example)@torsby.example", True)
    assert any("no active crisisdesk user" in e.value for e in app.error)
    assert "](https://evil.example" not in every_text(app)


# --- issue 11 item 4: the dashboard reads what the services compute -----------------------------------


def test_the_approval_queue_shows_the_checks_stored_at_submission(engine, desk, monkeypatch) -> None:
    other = messages.draft(engine, desk["incident"], APPROVED.replace("09.00", "kanske 10.00"), by="anna")
    messages.submit(engine, other, by="anna")

    def recompute(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("the approval queue recomputed the checks")

    monkeypatch.setattr("playbooks.checks.drafts.check", recompute)
    app = signed_in("lars", "approvals")
    assert any("R10" in m.value for m in app.markdown), "the stored warning is shown"


def test_a_message_that_can_no_longer_go_live_says_why_and_offers_no_button(engine, desk) -> None:
    older = messages.draft(engine, desk["incident"], APPROVED.replace("09.00", "10.00"), by="anna")
    messages.submit(engine, older, by="anna")
    newer = messages.draft(engine, desk["incident"], APPROVED.replace("09.00", "11.00"), by="anna")
    messages.submit(engine, newer, by="anna")
    messages.approve(engine, newer, by="lena")
    messages.publish(engine, newer, by="anna")
    app = signed_in("lars", "approvals")
    assert any(f"the newer message {newer} was published" in w.value for w in app.warning)
    assert f"ok-{older}" not in [b.key for b in app.button]


def test_drafting_submits_in_one_step_and_a_refusal_is_one_clear_line(engine, desk) -> None:
    app = signed_in("anna", "drafting")
    key = f"draft-{desk['incident']}-sv"
    app.text_area(key=key).input("\u00ad").run()
    next(b for b in app.button if b.label == "Save and submit for approval").click().run()
    assert [e.value for e in app.error] == ["a message needs visible text"] and not app.exception
    assert [m.state for m in messages.list_messages(engine, desk["incident"])] == ["published"], "nothing half-done"


def test_a_disk_error_after_publishing_is_a_warning_on_the_page(engine, desk, public_dir) -> None:
    other = messages.draft(engine, desk["incident"], APPROVED.replace("09.00", "10.00"), by="anna")
    messages.submit(engine, other, by="anna")
    messages.approve(engine, other, by="lena")
    shutil.rmtree(public_dir)
    public_dir.write_text("not a folder")  # the public files cannot be written
    app = signed_in("lars", "approvals")
    app.button(key=f"pub-{other}").click().run()
    assert messages.get(engine, other).state == "published" and not app.exception and not app.error
    assert any(f"message {other} is published, but the public feed files" in w.value for w in app.warning)
