"""The poller SIGKILLed again and again mid-ingest: afterwards every served entry is stored exactly once."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from core.db import read_session
from playbooks.workflow import audit, incidents
from playbooks.workflow.models import Flag
from sources import registry
from sources.models import Post, PostVersion
from tests.helpers.feedserver import FeedServer
from tests.helpers.ledger import LedgerFeed
from tests.helpers.registry import account, write_registry
from tests.helpers.team import make_team

# `make stress` kills 200 times; the suite kills often enough to land at random points of a pass.
KILLS = int(os.environ.get("CRISISDESK_KILLS", "6"))


def test_sigkill_loses_nothing_and_duplicates_nothing(
    engine, db_url: str, tmp_path: Path, feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    feeds = [LedgerFeed(f"f{i}") for i in range(4)]
    for ledger in feeds:
        feed_server.routes[f"/{ledger.name}"] = ledger
    path = write_registry(tmp_path / "a.yaml", [account(f.name, feed_server.url(f"/{f.name}")) for f in feeds])
    registry.import_registry(engine, registry.load(path))
    # An incident open since before the ledger's first entry: every entry on these official accounts is
    # about it and routed through no approved message, so each stored post must carry one 'unrouted'
    # flag, written in the same transaction as the post.
    monkeypatch.setenv("CRISISDESK_NOW", "2026-11-22T05:00:00+00:00")
    make_team(engine)
    incidents.open_incident(engine, title="Kill test", by="lars", keywords=["entry"])
    monkeypatch.delenv("CRISISDESK_NOW")
    env = {k: v for k, v in os.environ.items() if k != "CRISISDESK_NOW"}
    command = [sys.executable, "-m", "crisisdesk", "poll", "--all", "--interval", "0.02", "--db", db_url]
    rng = random.Random(20261122)
    kills_mid_ingest = 0
    for _ in range(KILLS):
        before = sum(f.requests for f in feeds)
        proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # Wait until it is fetching, then kill at a random instant within the next passes.
        deadline = time.monotonic() + 30
        while sum(f.requests for f in feeds) == before and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.01)
        time.sleep(rng.uniform(0.0, 0.25))
        kills_mid_ingest += sum(f.requests for f in feeds) > before
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    assert kills_mid_ingest == KILLS, "every kill landed while the poller was fetching and storing"
    final = subprocess.run(
        [*command[:4], "--once", "--all", "--db", db_url], env=env, capture_output=True, text=True, timeout=60
    )
    assert final.returncode == 0, final.stderr

    with read_session(engine) as session:
        stored = list(session.execute(select(Post.account_id, Post.guid, Post.title, Post.version, Post.id)))
        versions = dict(session.execute(select(PostVersion.post_id, func.count()).group_by(PostVersion.post_id)).all())
        if engine.dialect.name == "sqlite":
            assert session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    served = {(f.name, g) for f in feeds for g in f.served}
    keys = [(account_id, guid) for account_id, guid, *_ in stored]
    assert len(keys) == len(set(keys)), "an entry was stored twice"
    assert set(keys) == served, f"missing: {sorted(served - set(keys))[:5]}"
    with read_session(engine) as session:
        flagged = dict(
            session.execute(
                select(Flag.post_id, func.count()).where(Flag.kind == "unrouted").group_by(Flag.post_id)
            ).all()
        )
    assert flagged == {post_id: 1 for *_, post_id in stored}, "every stored post was checked, exactly once"
    chain = audit.verify(engine)
    assert chain.ok and chain.records > 0, chain.problems
    titles = {(f.name, g): f.titles[g] for f in feeds for g in f.served}
    for account_id, guid, title, version, post_id in stored:
        assert title == titles[(account_id, guid)], "the newest version of each entry is the current post"
        assert version == 1 + versions.get(post_id, 0), "every replaced version is kept"


@pytest.mark.parametrize("point", ["after_fetch", "mid_batch", "before_commit", "after_commit"])
def test_a_kill_at_each_named_point_loses_nothing(
    engine, db_url: str, tmp_path: Path, feed_server: FeedServer, point: str
) -> None:
    feeds = [LedgerFeed(f"n{i}") for i in range(3)]
    for ledger in feeds:
        feed_server.routes[f"/{ledger.name}"] = ledger
    registry.import_registry(
        engine,
        registry.load(
            write_registry(tmp_path / "a.yaml", [account(f.name, feed_server.url(f"/{f.name}")) for f in feeds])
        ),
    )
    env = {k: v for k, v in os.environ.items() if k != "CRISISDESK_NOW"}
    command = [sys.executable, "-m", "crisisdesk", "poll", "--once", "--all", "--db", db_url]
    for _ in range(2):  # a second crash at the same point after the first one's recovery
        crashed = subprocess.run(command, env={**env, "CRISISDESK_CRASH_AT": point}, capture_output=True, timeout=60)
        assert crashed.returncode == -signal.SIGKILL, "the poller died at the named point"
    final = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert final.returncode == 0, final.stderr
    with read_session(engine) as session:
        keys = [(a, g) for a, g in session.execute(select(Post.account_id, Post.guid))]
    served = {(f.name, g) for f in feeds for g in f.served}
    assert len(keys) == len(set(keys)) and set(keys) == served
