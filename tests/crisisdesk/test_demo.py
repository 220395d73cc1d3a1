"""The demo (issue 13): the scenario plays over about ten minutes, says when it ends, replays its posts as
new ones; the poller's log is a line a minute unless asked for every pass."""

from __future__ import annotations

import itertools
import json
import logging
import urllib.request
from datetime import UTC, datetime, timedelta

import pytest

from core.db import make_engine
from crisisdesk.demo import DEMO_PASSWORD, SECONDS_PER_MINUTE, ScenarioPost, ScenarioServer, load_scenario
from crisisdesk.quietlog import PerMinute

POSTS = [ScenarioPost(0, "web", "Brand", "Brand i Östmark."), ScenarioPost(0.5, "web", "Läget", "Läget kl. 10.")]
T0 = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)


def test_the_shipped_scenario_plays_over_about_ten_minutes() -> None:
    _, posts = load_scenario()
    assert 8 * 60 <= posts[-1].at_min * SECONDS_PER_MINUTE <= 12 * 60


def test_the_scenario_says_when_it_ends_and_a_replay_brings_its_posts_anew() -> None:
    # The wall clock pinned: the scenario starts at T0 and is asked about an hour later (a real clock, read
    # within the half millisecond the scenario lasts, said it had not ended on a busy machine).
    moments = itertools.chain([T0, T0], itertools.repeat(T0 + timedelta(hours=1)))
    server = ScenarioServer(POSTS, seconds_per_minute=0.001, wall=lambda: next(moments)).start()
    try:
        with urllib.request.urlopen(f"{server.base}/_status", timeout=5) as response:
            status = json.loads(response.read())
        assert status["round"] == 1 and status["password"] == DEMO_PASSWORD and status["users"]["anna"] == "analyst"
        assert status["ended"] is True and status["ends"] >= status["started"]
        first = server.render("web", "rss")
        assert first is not None and b'<guid isPermaLink="false">demo-web-0</guid>' in first
        request = urllib.request.Request(f"{server.base}/_replay", method="POST", data=b"")
        with urllib.request.urlopen(request, timeout=5) as response:
            assert json.loads(response.read())["round"] == 2
        again = server.render("web", "rss")
        assert again is not None and b"demo-web-r2-0" in again and b"demo-web-0<" not in again, "new posts"
    finally:
        server.stop()


def _line(*counts: int) -> logging.LogRecord:
    return logging.LogRecord("crisisdesk.poller", logging.INFO, __file__, 1,
                             "polled %d feeds: %d new, %d changed, %d not modified, %d failing", counts, None)  # fmt: skip


@pytest.mark.timeout(20)
def test_a_server_stopped_before_it_started_stops_at_once() -> None:
    # `demo` stops it when preparing the database fails: shutdown() then waited for a loop that never ran,
    # and the command hung silently.
    ScenarioServer(POSTS).stop()


def test_the_pollers_log_is_one_line_a_minute() -> None:
    moment = [0.0]
    folded = PerMinute(clock=lambda: moment[0])
    assert [folded.filter(_line(9, 2, 1, 6, 1)) for _ in range(30)] == [False] * 30, "quiet within the minute"
    warning = logging.LogRecord("crisisdesk.poller", logging.WARNING, __file__, 1, "feed x failing", (), None)
    assert folded.filter(warning), "warnings pass at once"
    moment[0] = 61.0
    record = _line(9, 2, 1, 6, 0)
    assert folded.filter(record)
    assert record.getMessage() == "31 passes in the last minute: 62 new posts, 31 changed, 0 feeds failing now"
    assert not folded.filter(_line(9, 0, 0, 9, 0)), "and quiet again"


@pytest.mark.timeout(60)
def test_the_demo_refuses_a_desk_database_of_its_own_and_changes_nothing(tmp_path, capsys) -> None:
    # It imported its registry (the organisation renamed, its accounts added), then failed for want of 'lars'.
    from crisisdesk.cli import main
    from sources import registry

    url = f"sqlite:///{tmp_path / 'desk.db'}"
    assert main(["users", "add", "chief", "--role", "admin", "--db", url]) == 0
    capsys.readouterr()
    assert main(["demo", "--db", url, "--port", "8599"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"crisisdesk: error: demo: the database {url} has users of its own, not the demo's")
    engine = make_engine(url)
    assert registry.list_accounts(engine) == [] and registry.organisation(engine) is None
    engine.dispose()


def test_a_poller_gone_mid_read_is_no_error_of_the_demo_s_feed_server() -> None:
    # Stopping `make run` with Ctrl-C stopped the poller while it read a feed: the server printed a
    # BrokenPipeError traceback to the terminal.
    class Gone:
        def write(self, _: bytes) -> None:
            raise BrokenPipeError(32, "Broken pipe")

    server = ScenarioServer(POSTS)
    try:
        handler_class = server.httpd.RequestHandlerClass
        handler = handler_class.__new__(handler_class)
        handler.send_response = handler.send_header = handler.end_headers = lambda *a: None  # type: ignore[method-assign]
        handler.wfile = Gone()  # type: ignore[assignment]
        handler.close_connection = False
        handler._send(b"<rss/>", "application/rss+xml")  # type: ignore[attr-defined]
        assert handler.close_connection is True
    finally:
        server.stop()
