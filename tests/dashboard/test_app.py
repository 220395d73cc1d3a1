"""The pages as Streamlit renders them (AppTest), on a database filled by a real poll."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from sources import registry
from sources.poller import Poller
from tests.helpers.feedserver import FeedServer, Static, status
from tests.helpers.registry import account, write_registry

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")


@pytest.fixture
def polled(engine, db_url: str, tmp_path: Path, feed_server: FeedServer, fixture_feed, monkeypatch) -> str:
    feed_server.routes["/web"] = Static(fixture_feed("rss20_sv.xml"))
    feed_server.routes["/broken"] = status(500)
    path = write_registry(
        tmp_path / "a.yaml",
        [
            account("web", feed_server.url("/web"), administrators=["one@x"]),
            account("broken", feed_server.url("/broken"), "watch"),
        ],
    )
    registry.import_registry(engine, registry.load(path))
    asyncio.run(Poller(engine).run_once())
    monkeypatch.setenv("CRISISDESK_DATABASE_URL", db_url)
    return db_url


def test_live_posts_page_lists_the_stored_posts_as_text(polled: str) -> None:
    app = AppTest.from_file(APP, default_timeout=30).run()
    assert not app.exception
    assert app.title[0].value == "Live posts"
    frame = app.dataframe[0].value
    assert list(frame["title"]) == ["Nästa lägesbild kl. 09.00", "Brand i industriområdet: håll fönster stängda"]
    assert all("<script" not in text for text in frame["text"])


def test_sources_page_shows_failing_feeds_and_r12_warnings(polled: str) -> None:
    app = AppTest.from_function(_sources_page, default_timeout=30).run()
    assert not app.exception
    assert any("R12" in w.value for w in app.warning)
    assert "broken" in app.error[0].value
    statuses = dict(zip(app.dataframe[0].value["account"], app.dataframe[0].value["status"], strict=True))
    assert statuses == {"web": "ok", "broken": "failing"}


def _sources_page() -> None:
    from dashboard.views import health

    health.render()
