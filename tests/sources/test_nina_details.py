"""NINA's warning details as the poller fetches them (issue 14 review, items 1, 6, 7): a hostile dashboard is
that feed's health record and the feed stays scheduled; details come from the registered host only; a
detail that failed is fetched again at the next pass."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from core.clock import parse_instant
from core.db import read_session
from sources import partners, registry
from sources.fetch import FetchSettings
from sources.models import Feed, Post
from sources.poller import Poller, PollReport
from tests.helpers.feedserver import FeedServer, Static, redirect, status
from tests.helpers.registry import account, write_registry

NOW = "2026-12-02T08:00:00+00:00"
DASHBOARD = "/api31/dashboard/091620000000.json"


@pytest.fixture(autouse=True)
def pinned_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRISISDESK_NOW", NOW)


def advance(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    monkeypatch.setenv("CRISISDESK_NOW", (parse_instant(NOW) + timedelta(seconds=seconds)).isoformat())


def dashboard(identifier: str = "mow.1") -> bytes:
    return json.dumps([{"id": identifier, "payload": {"version": 1, "type": "ALERT", "id": identifier,
                        "data": {"headline": "Hochwasser", "provider": "MOWAS", "msgType": "Alert"}},
                        "sent": "2026-12-02T08:55:00+01:00"}]).encode()  # fmt: skip


def detail(identifier: str = "mow.1") -> bytes:
    return json.dumps({"identifier": identifier, "sender": "DE-BY", "sent": "2026-12-02T08:55:00+01:00",
                       "status": "Actual", "msgType": "Alert", "scope": "Public",
                       "info": [{"language": "de", "headline": "Hochwasser an der Isar", "event": "Hochwasser",
                                 "area": [{"areaDesc": "München"}]}]}).encode()  # fmt: skip


def setup(engine, tmp_path: Path, url: str) -> None:
    accounts = [account("nina", url, "partner", platform="nina", area=["09162"])]
    registry.import_registry(engine, registry.load(write_registry(tmp_path / "accounts.yaml", accounts)))


def poll(engine) -> PollReport:
    return asyncio.run(Poller(engine, settings=FetchSettings(deadline_s=10)).run_once())


def nina_feed(engine) -> Feed:
    with read_session(engine) as session:
        return session.scalars(select(Feed)).one()


def test_a_dashboard_with_a_huge_number_is_a_health_record_and_the_feed_stays_scheduled(
    engine, tmp_path: Path, feed_server: FeedServer
) -> None:
    hostile = b'[{"id": "mow.1", "payload": {"version": ' + b"9" * 5000 + b"}}]"
    feed_server.routes[DASHBOARD] = Static(hostile, content_type="application/json")
    setup(engine, tmp_path, feed_server.url(DASHBOARD))
    before = nina_feed(engine).next_fetch_at
    poll(engine)
    feed = nina_feed(engine)
    assert feed.consecutive_failures == 1 and "5000-digit number" in (feed.last_error or "")
    assert feed.next_fetch_at > before and feed.last_fetch_at is not None


def test_a_failure_while_fetching_details_is_the_feed_s_note_not_the_pass_s_end(
    engine, tmp_path: Path, feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(data: bytes) -> list[str]:
        raise RuntimeError("parser bug")

    monkeypatch.setattr(partners, "nina_ids", broken)
    feed_server.routes[DASHBOARD] = Static(dashboard(), content_type="application/json")
    setup(engine, tmp_path, feed_server.url(DASHBOARD))
    before = nina_feed(engine).next_fetch_at
    report = poll(engine)
    feed = nina_feed(engine)
    assert report.new_posts == 1 and feed.next_fetch_at > before
    assert "warning details not fetched: RuntimeError: parser bug" in (feed.last_error or "")


def test_details_come_from_the_registered_host_never_from_a_redirect_s(
    engine, tmp_path: Path, feed_server: FeedServer
) -> None:
    with FeedServer() as other:
        # The dashboard redirects to another server, which serves its own "details".
        other.routes[DASHBOARD] = Static(dashboard(), content_type="application/json")
        other.routes["/api31/warnings/mow.1.json"] = Static(detail())
        feed_server.routes["/start" + DASHBOARD] = redirect(other.url(DASHBOARD))
        setup(engine, tmp_path, feed_server.url("/start" + DASHBOARD))
        # The registered host's details redirect elsewhere: refused before the other host is asked.
        feed_server.routes["/start/api31/warnings/mow.1.json"] = redirect(other.url("/api31/warnings/mow.1.json"))
        poll(engine)
        assert other.hits("/api31/warnings/mow.1.json") == 0 and other.hits("/api31/warnings/mow.1.geojson") == 0
        assert feed_server.hits("/start/api31/warnings/mow.1.json") == 1
        assert "redirected to another host" in (nina_feed(engine).last_error or "")


def test_a_detail_that_failed_is_fetched_again_at_the_next_pass(
    engine, tmp_path: Path, feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    feed_server.routes[DASHBOARD] = Static(dashboard(), content_type="application/json")
    feed_server.routes["/api31/warnings/mow.1.json"] = status(503)
    setup(engine, tmp_path, feed_server.url(DASHBOARD))
    poll(engine)
    assert "the dashboard's headline stands in" in (nina_feed(engine).last_error or "")
    feed_server.routes["/api31/warnings/mow.1.json"] = Static(detail())
    advance(monkeypatch, 600)
    poll(engine)
    assert feed_server.hits("/api31/warnings/mow.1.json") == 2
    with read_session(engine) as session:
        [post] = session.scalars(select(Post)).all()
        assert "Hochwasser an der Isar" in post.title + post.text
    # Once complete, an unchanged dashboard is not read again (304) and no detail is fetched again.
    advance(monkeypatch, 1200)
    poll(engine)
    assert feed_server.hits("/api31/warnings/mow.1.json") == 2 and nina_feed(engine).body_hash is not None
