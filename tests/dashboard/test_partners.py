"""The partner panel and partner contradictions as Streamlit renders them (issue 14, items 3 and 4)."""

from __future__ import annotations

import asyncio
import html
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import partnerpanel
from dashboard.render import escape_md
from playbooks.workflow import incidents, messages
from playbooks.workflow import partners as partner_flags
from sources import registry
from sources.poller import Poller
from tests.helpers.feedserver import FeedServer, Static
from tests.helpers.registry import account, write_registry

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
NOW = "2026-12-02T08:00:00+00:00"


def cap(identifier: str, status: str = "Actual", headline: str = "Gasläcka i Östmark") -> bytes:
    return (f'<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>{identifier}</identifier>'
            f"<sender>msb</sender><sent>2026-12-02T08:50:00+01:00</sent><status>{status}</status>"
            f"<msgType>Alert</msgType><scope>Public</scope><info><language>sv-SE</language><event>Gas</event>"
            f"<urgency>Immediate</urgency><severity>Severe</severity><certainty>Observed</certainty>"
            f"<expires>2026-12-02T18:00:00+01:00</expires><senderName>Länsstyrelsen</senderName>"
            f"<headline>{headline}</headline><instruction>Håll fönster och dörrar stängda.</instruction>"
            f"<area><areaDesc>Torsby kommun</areaDesc><polygon>60.1,12.9 60.2,12.9 60.2,13.1 60.1,12.9</polygon>"
            f"<circle>60.13,13.0 3</circle></area></info></alert>").encode()  # fmt: skip


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_monitor_shows_partner_warnings_and_the_approver_sees_the_contradiction(
    engine, team, db_url: str, tmp_path: Path, feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CRISISDESK_NOW", NOW)
    feed_server.routes["/vma.xml"] = Static(cap("VMA-1"), content_type="application/cap+xml")
    registry.import_registry(engine, registry.load(write_registry(tmp_path / "a.yaml", [
        account("vma", feed_server.url("/vma.xml"), "partner", platform="cap", area=["Torsby"], name="VMA"),
    ])))  # fmt: skip
    asyncio.run(Poller(engine, after_store=partner_flags.poller_after_store,
                       after_pass=lambda: partner_flags.poller_after_pass(engine)).run_once())  # fmt: skip
    incident = incidents.open_incident(engine, title="Gasläcka", by="lars", keywords=["gas"])
    message, _ = messages.draft_and_submit(engine, incident, "Gasen är borta. Öppna fönstren och vädra.", by="anna",
                                           lang="sv")  # fmt: skip
    monkeypatch.setenv("CRISISDESK_DATABASE_URL", db_url)
    partnerpanel._state.clear()

    app = AppTest.from_file(APP, default_timeout=30)
    app.session_state["crisisdesk_user"] = {"name": "lars", "since": time.time(), "seen": time.time()}
    app.run()
    assert not app.exception, app.exception
    body = "\n".join(m.value for m in app.markdown)
    assert "Partner warnings" in [s.value for s in app.subheader]
    # Markdown-escaped; the expiry in the viewer's time zone (Europe/Stockholm).
    assert r":red-background[Severe] **Gasläcka i Östmark** · Länsstyrelsen · expires 2026\-12\-02 18\:00" in body
    assert "Contradicts a partner warning" in body and "| We say | The partner warning says |" in body
    assert app.get("plotly_chart"), "the map of the warning's areas"

    registered = {info.get("url_pathname"): h for h, info in app._registered_pages.items()}
    app._page_hash = registered["approvals"]
    app.run()
    assert not app.exception, app.exception
    assert any("Open contradictions of partner warnings" in w.value for w in app.warning)
    body = "\n".join(m.value for m in app.markdown)
    assert "öppna fönstren" in body.lower() and "håll fönster" in body.lower()
    assert str(message) in body


def test_a_new_or_updated_warning_is_announced_once_and_not_on_first_look(monkeypatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(partnerpanel.st, "toast", lambda text, icon=None: shown.append(text))
    monkeypatch.setattr(partnerpanel.st, "session_state", {})

    class Viewer:
        timezone = "UTC"

        def t(self, text: str) -> str:
            return text

    first = {"post": 1, "version": None, "updated_at": "a", "headline": "Sturm"}
    partnerpanel.announce(Viewer(), [first])  # type: ignore[arg-type]
    assert shown == []
    partnerpanel.announce(Viewer(), [first, {**first, "post": 2, "headline": "Hochwasser"}])  # type: ignore[arg-type]
    partnerpanel.announce(Viewer(), [first, {**first, "post": 2, "headline": "Hochwasser"}])  # type: ignore[arg-type]
    partnerpanel.announce(Viewer(), [{**first, "updated_at": "b"}])  # type: ignore[arg-type]
    assert shown == ["New or updated partner warning: Hochwasser", "New or updated partner warning: Sturm"]


def test_the_map_draws_polygons_and_circles_and_nothing_without_geometry() -> None:
    ring = partnerpanel.circle_ring(60.0, 13.0, 2.0)
    assert len(ring) == partnerpanel.CIRCLE_POINTS + 1 and ring[0] == pytest.approx(ring[-1])
    assert max(p[0] for p in ring) == pytest.approx(60.0 + 2.0 / 111.2)
    warning = {"headline": "x", "severity": "Severe", "areas": [{"polygons": [[[60, 12], [61, 12], [61, 13]]],
                                                                 "circles": [[60.5, 12.5, 1.0]]}]}  # fmt: skip
    figure = partnerpanel.area_map([warning])
    assert figure is not None and len(figure.data) == 2
    assert partnerpanel.area_map([{"areas": [{"desc": "Bern", "polygons": [], "circles": []}]}]) is None


def test_a_warning_headline_is_announced_as_text_not_markdown(monkeypatch) -> None:
    # A toast renders Markdown: a partner feed's headline made a link (or an image) in every session's toast.
    shown: list[str] = []
    monkeypatch.setattr(partnerpanel.st, "toast", lambda text, icon=None: shown.append(text))
    monkeypatch.setattr(partnerpanel.st, "session_state", {partnerpanel.SEEN_KEY: set()})

    class Viewer:
        timezone = "UTC"

        def t(self, text: str) -> str:
            return text

    headline = "**Evakuera** [här](javascript:alert(1)) ![x](https://evil.example/t.png) $x$ :red[y]"
    partnerpanel.announce(Viewer(), [{"post": 1, "version": None, "updated_at": "a", "headline": headline}])  # type: ignore[arg-type]
    assert shown == [f"New or updated partner warning: {escape_md(headline)}"]


def test_a_warning_headline_on_the_map_is_text_not_plotly_markup() -> None:
    # Plotly reads <a href>, <b>, <span style> and entities in a trace name: a feed's headline put a link
    # or styled text into the map's legend and hover label.
    headline = '<a href="https://evil.example/">Klicka</a> <b>x</b> &amp; <span style="font-size:99px">y</span>'
    warning = {"headline": headline, "severity": "Severe", "areas": [{"polygons": [[[60, 12], [61, 12], [61, 13]]]}]}
    figure = partnerpanel.area_map([warning])
    assert figure is not None
    name = figure.data[0].name
    assert "<" not in name and ">" not in name and "&amp;" not in name.replace("&amp;amp;", "")
    assert html.unescape(name) == headline[:60], "read as the headline's own characters"
