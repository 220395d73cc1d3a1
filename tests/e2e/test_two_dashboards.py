"""Issue 15 (Show): two dashboard processes and two pollers on one PostgreSQL, as docs/deploy.md runs them.
A person signed in on one dashboard process is signed in on the other; what they do on one shows on the
other at its next refresh; the two pollers share the feeds and fetch none twice within its interval."""

from __future__ import annotations

import itertools
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import Engine, select

from core.db import read_session
from playbooks.workflow import incidents, messages, users
from playbooks.workflow.models import Message
from sources import registry
from sources.models import Post
from tests.conftest import FIXTURES
from tests.e2e import test_desk as base
from tests.e2e.test_desk import _local_only, _port
from tests.helpers.feedserver import FeedServer, Handler, Static
from tests.helpers.registry import account, write_registry

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Dialog

pytestmark = base.pytestmark  # the same skip as the other end-to-end tests: no chromium, no browser
browser = base.browser  # the same fixture (a browser of this module's own)

PASSWORD = "Correct7Horse"
FEEDS = 4
FEED_INTERVAL_S = 10  # the shortest a registry allows: several rounds of fetches within the test
POLL_TICK_S = 1.0
TEXT = "Brand i Östmark: röken har minskat. Håll fönster stängda till kl. 12.00. Nästa information kommer kl. 12.00."
# Liveness bounds only (a busy machine may be slow): nothing here measures speed.
START_S = 90
SEEN_S = 60
POLLED = re.compile(r"polled ([1-9]\d*) feeds")


@dataclass
class Desk:
    a: str  # dashboard A's address
    b: str  # dashboard B's address
    message: int  # a submitted draft, waiting for a lead's approval
    pollers: list[Path]  # each poller's log
    hits: list[tuple[str, float]]  # every feed request the feed server answered: path, monotonic time
    engine: Engine


def _timed(handler: Static, path: str, hits: list[tuple[str, float]]) -> Handler:
    """The feed, and when each request for it arrived (the feed server records only that it did)."""

    def handle(req: BaseHTTPRequestHandler) -> None:
        hits.append((path, time.monotonic()))
        handler(req)

    return handle


def _seed(engine: Engine, tmp_path: Path, feed_server: FeedServer, hits: list[tuple[str, float]]) -> int:
    """A team, a registry of local feeds, an open incident and a draft an analyst submitted; the message id."""
    users.add(engine, "admin", "admin", password=PASSWORD)
    users.add(engine, "anna", "analyst", by="admin")
    users.add(engine, "lena", "lead", password=PASSWORD, by="admin")
    body = (FIXTURES / "feeds" / "rss20_sv.xml").read_bytes()
    accounts = []
    for i in range(FEEDS):
        path = f"/f{i}"
        feed_server.routes[path] = _timed(Static(body), path, hits)
        accounts.append(account(f"f{i}", feed_server.url(path), "website", interval=FEED_INTERVAL_S))
    registry.import_registry(engine, registry.load(write_registry(tmp_path / "accounts.yaml", accounts)))
    incident = incidents.open_incident(engine, title="Brand i Östmark", by="lena")
    message, _ = messages.draft_and_submit(engine, incident, TEXT, by="anna")
    return message


@contextmanager
def _services(commands: list[tuple[list[str], Path]], env: dict[str, str]) -> Iterator[list[subprocess.Popen[bytes]]]:
    """Each `crisisdesk` command its own process, its output in a file (a pipe nobody drains fills and
    blocks it). Always stopped, all at once (one after the other, each dashboard's shutdown adds up):
    SIGTERM, then SIGKILL for any that has not ended."""
    procs: list[subprocess.Popen[bytes]] = []
    with ExitStack() as files:
        try:
            for args, log in commands:
                out = files.enter_context(log.open("wb"))
                procs.append(subprocess.Popen([sys.executable, "-m", "crisisdesk", *args], env=env, stdout=out,
                                              stderr=subprocess.STDOUT))  # fmt: skip
            yield procs
        finally:
            for proc in procs:
                if proc.poll() is None:
                    proc.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + 20
            for proc in procs:
                try:
                    proc.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()


def _healthy(url: str) -> bool:
    try:
        return bool(urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).status == 200)
    except OSError:
        return False


def _wait(predicate: Callable[[], bool], seconds: float, procs: list[subprocess.Popen[bytes]]) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        if any(proc.poll() is not None for proc in procs):
            return False  # a service died: no use waiting for it
        time.sleep(0.5)
    return False


def _logs(paths: list[Path]) -> str:
    return "\n".join(f"--- {path.name}\n{path.read_text(errors='replace')[-3000:]}" for path in paths)


@pytest.fixture
def desk(
    engine: Engine, db_url: str, tmp_path: Path, feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Desk]:
    monkeypatch.delenv("CRISISDESK_NOW", raising=False)  # real time: the services run on the wall clock
    hits: list[tuple[str, float]] = []
    message = _seed(engine, tmp_path, feed_server, hits)
    # Deployed on several hosts, the dashboards share nothing but this key (docs/deploy.md); given here so
    # they do not rely on the checkout's var/session.key, which two processes of one checkout would share.
    env = {**os.environ, "CRISISDESK_DATABASE_URL": db_url, "CRISISDESK_SESSION_SECRET": secrets.token_hex(32)}
    ports = [_port(), _port()]
    logs = [tmp_path / "dashboard-a.log", tmp_path / "dashboard-b.log", tmp_path / "poller-1.log",
            tmp_path / "poller-2.log"]  # fmt: skip
    commands = [(["up", "--only", "dashboard", "--port", str(port), "--db", db_url], log)
                for port, log in zip(ports, logs[:2], strict=True)]  # fmt: skip
    # `--claim 1`: each look for due feeds takes one, so that both pollers get some (deploy.md's
    # `poll --claim N`); `--verbose`: a log line per pass, which shows that each of them did.
    commands += [(["poll", "--interval", str(POLL_TICK_S), "--claim", "1", "--verbose", "--db", db_url], log)
                 for log in logs[2:]]  # fmt: skip
    with _services(commands, env) as procs:
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        if not _wait(lambda: all(_healthy(url) for url in urls), START_S, procs):
            pytest.fail(f"the dashboards did not start:\n{_logs(logs)}")
        yield Desk(a=urls[0], b=urls[1], message=message, pollers=logs[2:], hits=hits, engine=engine)
        if any(proc.poll() is not None for proc in procs):
            pytest.fail(f"a service exited during the test:\n{_logs(logs)}")


def _state(engine: Engine, message_id: int) -> str:
    with read_session(engine) as session:
        return session.scalars(select(Message.state).where(Message.id == message_id)).one()


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)  # several processes of each: PostgreSQL only
def test_a_sign_in_and_an_action_on_one_dashboard_show_on_the_other(browser: Browser, desk: Desk) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    blocked: list[str] = []
    context.route("**/*", _local_only(blocked))
    dialogs: list[str] = []

    def refuse(dialog: Dialog) -> None:  # nothing in the desk opens one: a dialog is a script that ran
        dialogs.append(dialog.message)
        dialog.dismiss()

    context.on("page", lambda page: page.on("dialog", refuse))
    try:
        # Signed in on A.
        a = context.new_page()
        a.goto(desk.a)
        a.get_by_role("textbox", name="User name").fill("lena")
        a.get_by_role("textbox", name="Password").fill(PASSWORD)
        a.get_by_role("button", name="Sign in").click()
        a.get_by_role("heading", name="Live monitor").wait_for(timeout=SEEN_S * 1000)
        a.wait_for_function("document.cookie.includes('crisisdesk_session=')", timeout=SEEN_S * 1000)
        # Cookies belong to a host, not to a port: the browser presents A's cookie to B as it would to any
        # dashboard process behind one host name (docs/deploy.md), with nothing copied by hand.
        assert any(c["name"] == "crisisdesk_session" for c in context.cookies(desk.b))
        # B, another process with its own memory, signs the person in from that cookie alone.
        b = context.new_page()
        b.goto(f"{desk.b}/approvals")
        b.get_by_role("heading", name="Approvals").wait_for(timeout=SEEN_S * 1000)
        assert b.get_by_role("textbox", name="User name").count() == 0, "no sign-in form on B"
        b_card = b.locator(f".st-key-message-{desk.message}")
        b_card.get_by_role("button", name="Approve").wait_for(timeout=SEEN_S * 1000)

        # The lead approves on A ...
        a.get_by_role("link", name="Approvals").click()
        a_card = a.locator(f".st-key-message-{desk.message}")
        a_card.get_by_role("button", name="Approve").click()
        a_card.get_by_text("Approved, not yet published").wait_for(timeout=SEEN_S * 1000)
        assert _state(desk.engine, desk.message) == "approved"
        # ... and B shows it at the next run of its live queue, without a click or a reload there.
        b_card.get_by_text("Approved, not yet published").wait_for(timeout=SEEN_S * 1000)
        assert b_card.get_by_role("button", name="Approve").count() == 0
        b.reload()  # a new Streamlit session on B: still signed in, still the same state
        b_card.get_by_role("button", name="Publish").wait_for(timeout=SEEN_S * 1000)
        assert b.get_by_role("textbox", name="User name").count() == 0

        # The other way: published on B, the message leaves A's queue at A's next refresh.
        b_card.get_by_role("button", name="Publish").click()
        a_card.wait_for(state="detached", timeout=SEEN_S * 1000)
        assert _state(desk.engine, desk.message) == "published"
        assert dialogs == [] and blocked == []
    finally:
        context.close()

    # Both pollers worked on the same database: each logged passes that fetched feeds, and what they
    # fetched is stored in the database this test reads.
    assert _wait(lambda: all(_polled(log) for log in desk.pollers), SEEN_S, []), _logs(desk.pollers)
    with read_session(desk.engine) as session:
        stored = set(session.scalars(select(Post.account_id).distinct()))
    assert stored == {f"f{i}" for i in range(FEEDS)}
    # No feed fetched twice within its interval. A poller schedules the next fetch an interval after the
    # response came in, so the next request cannot arrive sooner (0.5 s for the two clocks: the pollers'
    # wall clock, the feed server's monotonic one). Every feed fetched twice at least, or there is
    # nothing to compare.
    assert _wait(lambda: all(len(_times(desk.hits, i)) >= 2 for i in range(FEEDS)), SEEN_S, []), desk.hits
    for i in range(FEEDS):
        gaps = [later - earlier for earlier, later in itertools.pairwise(_times(desk.hits, i))]
        assert all(gap >= FEED_INTERVAL_S - 0.5 for gap in gaps), (f"/f{i}", gaps)


def _polled(log: Path) -> bool:
    return POLLED.search(log.read_text(errors="replace")) is not None


def _times(hits: list[tuple[str, float]], feed: int) -> list[float]:
    return [t for path, t in list(hits) if path == f"/f{feed}"]
