"""Several pollers on one database (issue 15, item 2): due feeds are claimed, never fetched twice at once;
a dead poller's claims are taken over once they lapse; the end-of-pass work runs in one poller at a time."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from core.clock import parse_instant
from core.db import exclusive, make_engine, write_session
from sources.models import Feed
from sources.poller import END_OF_PASS_LOCK, Poller, PollReport
from tests.helpers.feedserver import FeedServer, Static
from tests.sources.test_poller import FIXTURES, setup

NOW = "2026-11-22T08:00:00+01:00"


def at(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    monkeypatch.setenv("CRISISDESK_NOW", (parse_instant(NOW) + timedelta(seconds=seconds)).isoformat())


class Slow(Static):
    """A feed that answers after a short wait, so that two pollers' passes overlap."""

    def __call__(self, req) -> None:  # type: ignore[no-untyped-def]
        time.sleep(0.05)
        super().__call__(req)


def test_two_pollers_share_the_due_feeds_and_fetch_none_twice(
    engine, db_url: str, tmp_path: Path, feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(monkeypatch, 0)
    body = (FIXTURES / "feeds" / "rss20_sv.xml").read_bytes()
    setup(engine, tmp_path, feed_server, {f"/f{i}": Slow(body) for i in range(30)})
    reports: dict[int, list[PollReport]] = {0: [], 1: []}

    def run(index: int) -> None:  # each poller its own process in production: its own engine and loop here
        own = make_engine(db_url)
        poller = Poller(own, claim_limit=4)
        try:
            while (report := asyncio.run(poller.run_once())).feeds:
                reports[index].append(report)
        finally:
            own.dispose()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(feed_server.hits(f"/f{i}") for i in range(30)) == [1] * 30
    done = [sum(r.feeds for r in reports[i]) for i in range(2)]
    assert sum(done) == 30 and all(done), done
    assert not any(r.failures for i in range(2) for r in reports[i])
    at(monkeypatch, 1)  # within the feeds' interval: nothing is due for anyone
    assert asyncio.run(Poller(engine).run_once()).feeds == 0


def test_a_dead_pollers_feeds_are_taken_over_when_its_lease_lapses(
    engine, tmp_path: Path, feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(monkeypatch, 0)
    body = (FIXTURES / "feeds" / "rss20_sv.xml").read_bytes()
    setup(engine, tmp_path, feed_server, {f"/f{i}": Static(body) for i in range(5)})
    dead, other = Poller(engine, lease_s=120), Poller(engine, lease_s=120)
    claimed, _ = dead.due(parse_instant(NOW))  # claimed, then the poller is killed: nothing is stored
    assert len(claimed) == 5
    at(monkeypatch, 119)
    assert asyncio.run(other.run_once()).feeds == 0, "the claims still hold"
    at(monkeypatch, 121)
    report = asyncio.run(other.run_once())
    assert report.feeds == 5 and report.new_posts > 0
    assert [feed_server.hits(f"/f{i}") for i in range(5)] == [1] * 5


def test_a_dead_process_of_this_host_holds_no_claims(
    engine, tmp_path: Path, feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(monkeypatch, 0)
    setup(engine, tmp_path, feed_server, {"/f": Static((FIXTURES / "feeds" / "rss20_sv.xml").read_bytes())})
    with write_session(engine) as session:  # a poller of this host killed mid-pass, restarted at once
        session.execute(update(Feed).values(lease_owner=f"{socket.gethostname()}:4194303:dead", lease_until=parse_instant(NOW) + timedelta(hours=1)))  # fmt: skip
    assert asyncio.run(Poller(engine).run_once()).feeds == 1


def test_the_end_of_pass_work_runs_in_one_poller_at_a_time(engine) -> None:
    calls: list[int] = []
    poller = Poller(engine, after_pass=lambda: calls.append(1))
    with exclusive(engine, END_OF_PASS_LOCK) as held:  # another poller is at it
        assert held
        poller._after_pass()
    # PostgreSQL: the advisory lock is taken, this poller leaves the work to its holder. SQLite: one poller.
    assert calls == ([] if engine.dialect.name == "postgresql" else [1])
    poller._after_pass()
    assert len(calls) == (1 if engine.dialect.name == "postgresql" else 2)


def _state(pid: int) -> str:
    """A process's state letter in /proc (Z: a zombie, dead and not yet waited for)."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]


def test_a_killed_but_unreaped_poller_holds_no_claims(
    engine, tmp_path: Path, feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    import subprocess
    import sys

    at(monkeypatch, 0)
    setup(engine, tmp_path, feed_server, {"/f": Static((FIXTURES / "feeds" / "rss20_sv.xml").read_bytes())})
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        child.kill()
        # Dead, and not waited for: a zombie once the kill has landed (waited for, not slept on: a busy
        # machine may take longer than any fixed pause).
        deadline = time.monotonic() + 30
        while _state(child.pid) != "Z" and time.monotonic() < deadline:
            time.sleep(0.01)
        assert _state(child.pid) == "Z"
        with write_session(engine) as session:
            session.execute(update(Feed).values(lease_owner=f"{socket.gethostname()}:{child.pid}:x", lease_until=parse_instant(NOW) + timedelta(hours=1)))  # fmt: skip
        assert asyncio.run(Poller(engine).run_once()).feeds == 1
    finally:
        child.wait()
