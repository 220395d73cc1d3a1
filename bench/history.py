"""A poll pass in a long incident against the same pass in an empty one (issue 15, item 1).

Both databases hold the same registry (100 polled feeds, half of them official social accounts, half
the website) and the same approved messages; the long incident also holds `history` posts, `official` of
them official social and website posts carrying the messages. Each round, every polled feed gains one
entry (100 new posts) and both databases poll it: store, check, and the end-of-pass sweep. The ratio is
taken per round, the median reported.
"""

from __future__ import annotations

import os
import statistics
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, delete, insert

from bench.feedserver import TEXT
from core.db import write_session
from playbooks.workflow import flags, incidents, messages, users
from playbooks.workflow.models import IncidentSweep
from sources import registry
from sources.fetch import FetchSettings
from sources.models import Account, Post
from sources.poller import Poller

POLLED = 100


def _setup(engine: Engine, base: str, opened: datetime) -> None:
    spec: dict[str, Any] = {
        "organisation": "Bench kommun",
        "allow_networks": ["127.0.0.0/8"],
        "accounts": [
            {"id": f"f{i}", "name": f"Feed {i}", "kind": "social" if i % 2 else "website",
             "platform": "facebook" if i % 2 else "web", "feed": f"{base}/feed/{i}", "administrators": ["a@x", "b@x"]}
            for i in range(POLLED)
        ],
    }  # fmt: skip
    registry.import_registry(engine, registry.parse(spec))
    os.environ["CRISISDESK_NOW"] = opened.isoformat()
    try:
        users.add(engine, "admin", "admin")
        users.add(engine, "anna", "analyst", by="admin")
        users.add(engine, "lars", "lead", by="admin")
        incident = incidents.open_incident(engine, title="Brand i industriområdet", by="lars", keywords=["brand"])
        for hour in (8, 9, 10):
            message = messages.draft(engine, incident, TEXT.format(h=hour), by="anna")
            messages.submit(engine, message, by="anna")
            messages.approve(engine, message, by="lars")
    finally:
        del os.environ["CRISISDESK_NOW"]


def _fill_history(engine: Engine, posts: int, official: int, opened: datetime) -> None:
    """`posts` posts since the incident opened, `official` of them on official social and website accounts
    (copies of the approved messages), the rest on watched accounts. Accounts without feeds: not polled."""
    stamp = datetime.now(UTC)
    kinds = [("hs", "social"), ("hw", "website"), ("w", "watch")]
    with write_session(engine) as session:
        session.execute(insert(Account), [
            {"id": f"{prefix}{i}", "name": f"{prefix} {i}", "kind": kind, "platform": "web", "administrators": [],
             "languages": ["sv"], "created_at": stamp, "updated_at": stamp}
            for prefix, kind in kinds for i in range(20)
        ])  # fmt: skip
    chunk, span = 20_000, (stamp - opened).total_seconds()
    for start in range(0, posts, chunk):
        rows = []
        for i in range(start, min(posts, start + chunk)):
            prefix = ("hs" if i % 2 else "hw") if i < official else "w"
            when = opened + timedelta(seconds=span * i / posts)
            text = TEXT.format(h=8 + i % 3) if i < official else f"Röken driver mot centrum, inlägg {i}. " * 3
            rows.append({"account_id": f"{prefix}{i % 20}", "guid": f"h{i}", "link": None, "title": "", "text": text,
                         "author": None, "language": "sv", "published": when, "published_source": "published",
                         "fetched_at": when, "updated_at": when, "content_hash": f"{i:064d}", "version": 1,
                         "extra": {}})  # fmt: skip
        with write_session(engine) as session:
            session.connection().execute(Post.__table__.insert(), rows)


def _pass(engine: Engine) -> tuple[float, float, int]:
    """One pass over every polled feed, with the checks and the end-of-pass sweep; wall, CPU, new posts."""
    poller = Poller(
        engine,
        settings=FetchSettings(concurrency=64, per_host=64),
        after_store=flags.after_store,
        after_pass=lambda: flags.sweep(engine),
    )
    import asyncio

    wall, cpu = time.perf_counter(), time.process_time()
    report = asyncio.run(poller.run_once(include_all=True))
    if report.failures:
        print(f"bench history: {len(report.failures)} feeds failed, e.g. {next(iter(report.failures.items()))}")
    return time.perf_counter() - wall, time.process_time() - cpu, report.new_posts


def bench_history(tmp: Path, posts: int = 1_000_000, official: int = 10_000, rounds: int = 5) -> dict[str, float]:
    from bench.__main__ import Server, fresh_engine

    server = Server(POLLED)
    opened = datetime.now(UTC) - timedelta(days=30)
    results: dict[str, float] = {"history_posts": posts, "history_official_posts": official}
    try:
        empty, long = fresh_engine(tmp, "history-empty.db"), fresh_engine(tmp, "history-long.db")
        for engine in (empty, long):
            _setup(engine, server.base, opened)
            flags.sweep(engine)  # the approvals are taken into account before the history arrives
        started = time.perf_counter()
        _fill_history(long, posts, official, opened)
        results["fill_s"] = time.perf_counter() - started
        # Once, for the record: R4 over the whole history, as the first sweep after revision 0010 does it
        # (website copies indexed, every official social post examined).
        with write_session(long) as session:
            session.execute(delete(IncidentSweep))
        started = time.perf_counter()
        results["full_r4_examined"] = flags.sweep_report(long).examined
        results["full_r4_s"] = time.perf_counter() - started
        for engine in (empty, long):
            _pass(engine)  # the feeds' first 50 entries each: not what a pass costs later
            _pass(engine)
        walls, cpus, empty_walls, long_walls = [], [], [], []
        for _ in range(rounds):
            server.bump(1.0, "content")
            e_wall, e_cpu, e_new = _pass(empty)
            l_wall, l_cpu, l_new = _pass(long)
            assert e_new == l_new == POLLED, (e_new, l_new)
            walls.append(l_wall / e_wall)
            cpus.append(l_cpu / e_cpu)
            empty_walls.append(e_wall)
            long_walls.append(l_wall)
        steady = flags.sweep_report(long)
        results.update({
            "pass_empty_wall_ms": statistics.median(empty_walls) * 1000,
            "pass_long_wall_ms": statistics.median(long_walls) * 1000,
            "ratio_wall": statistics.median(walls),
            "ratio_cpu": statistics.median(cpus),
            "sweep_examined_after_quiet_tick": steady.examined,
        })  # fmt: skip
        empty.dispose()
        long.dispose()
    finally:
        server.stop()
    return results
