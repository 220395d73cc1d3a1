"""Two pollers against one PostgreSQL (issue 15, item 2): throughput against one poller, feeds fetched
twice, and the takeover after one poller is SIGKILLed.

2,000 feeds on a local feed server that answers each request after 200 ms, spread over 50 loopback
addresses so that the per-host limit (4 connections) is not what is measured. Each poller is a
`crisisdesk poll` process (`--claim 64 --concurrency 32`). Every feed is fetched once first (untimed);
then each timed run makes every feed due and ends when every feed has been fetched again (304s: what a
running desk's passes mostly are, and I/O-bound, which is what a second poller adds capacity for).
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, text, update

from core.db import make_engine, write_session
from crisisdesk import schema
from sources import registry
from sources.models import Feed

FEEDS, DELAY_MS, HOSTS = 2000, 200, 50
STARTUP_S = 8.0


def _hits(base: str) -> list[int]:
    with urllib.request.urlopen(f"{base}/hits", timeout=30) as answer:
        return list(json.loads(answer.read()))


def _database(admin_url: str, name: str) -> str:
    engine = make_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))  # a fixed name of this benchmark's
    engine.dispose()
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


def _setup(url: str, port: str) -> None:
    engine = make_engine(url)
    schema.upgrade(engine)
    spec = {
        "organisation": "Bench", "allow_networks": ["127.0.0.0/8"],
        "accounts": [{"id": f"f{i}", "name": f"Feed {i}", "kind": "watch", "platform": "web",
                      "feed": f"http://127.0.0.{1 + i % HOSTS}:{port}/feed/{i}"} for i in range(FEEDS)],
    }  # fmt: skip
    registry.import_registry(engine, registry.parse(spec))
    engine.dispose()
    # Every feed fetched and stored once (untimed): the timed rounds are conditional GETs (304).
    subprocess.run([sys.executable, "-m", "crisisdesk", "poll", "--once", "--concurrency", "64", "--db", url],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip


def _run(url: str, pollers: int, *, kill_after_s: float | None = None) -> dict[str, Any]:
    """Make every feed due, start `pollers` pollers, time until every feed has been fetched again."""
    engine = make_engine(url)
    command = [sys.executable, "-m", "crisisdesk", "poll", "--interval", "0.2", "--claim", "64", "--concurrency",
               "32", "--db", url]  # fmt: skip
    procs = [subprocess.Popen(command, stderr=subprocess.DEVNULL) for _ in range(pollers)]
    time.sleep(STARTUP_S)  # started and idle (nothing due): their start-up is not what is measured
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    stamp = datetime.now(UTC)
    with write_session(engine) as session:
        session.execute(update(Feed).values(next_fetch_at=stamp))
    started = time.perf_counter()
    killed_at = None
    try:
        while True:
            with engine.connect() as connection:
                done = connection.scalar(select(func.count()).where(Feed.last_fetch_at >= stamp))
            if done == FEEDS:
                break
            if kill_after_s is not None and killed_at is None and time.perf_counter() - started >= kill_after_s:
                os.kill(procs[-1].pid, signal.SIGKILL)
                killed_at = time.perf_counter()
            if time.perf_counter() - started > 600:
                raise RuntimeError(f"only {done} of {FEEDS} feeds fetched in 10 minutes")
            time.sleep(0.05)
        elapsed = time.perf_counter() - started
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in procs:
            proc.wait(timeout=30)
    engine.dispose()
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    result: dict[str, Any] = {
        "pollers": pollers, "seconds": elapsed, "feeds_per_s": FEEDS / elapsed,
        # CPU seconds of the pollers together, and the machine's load: on a shared 2-vCPU machine a second
        # poller adds fetch slots but no CPU.
        "pollers_cpu_s": used.ru_utime + used.ru_stime - children.ru_utime - children.ru_stime,  # once exited
        "load_average_1min": os.getloadavg()[0],
    }  # fmt: skip
    if killed_at is not None:
        result["killed_after_s"] = killed_at - started
        result["all_fetched_after_kill_s"] = started + elapsed - killed_at
    return result


def bench_pollers() -> dict[str, Any]:
    from tests.helpers.postgres import PostgresServer

    pg = PostgresServer().start()
    server = subprocess.Popen(
        [sys.executable, "-m", "bench.feedserver", str(FEEDS), str(DELAY_MS), str(HOSTS), "1"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert server.stdout is not None
        port = server.stdout.readline().strip()
        base = f"http://127.0.0.1:{port}"
        results: dict[str, Any] = {"feeds": FEEDS, "delay_ms": DELAY_MS}
        url = _database(pg.url(), "pollers")
        _setup(url, port)
        before = _hits(base)
        results["one"] = _run(url, 1)
        middle = _hits(base)
        results["two"] = _run(url, 2)
        after = _hits(base)
        results["two"]["feeds_fetched_twice"] = sum(1 for a, b in zip(middle, after, strict=True) if b - a > 1)
        results["one"]["feeds_fetched_twice"] = sum(1 for a, b in zip(before, middle, strict=True) if b - a > 1)
        results["throughput_two_over_one"] = results["two"]["feeds_per_s"] / results["one"]["feeds_per_s"]
        results["killed"] = _run(url, 2, kill_after_s=3.0)
        results["killed"]["feeds_fetched_twice"] = sum(1 for a, b in zip(after, _hits(base), strict=True) if b - a > 1)
        results["lease_s"] = 120
    finally:
        server.terminate()
        server.wait(timeout=10)
        pg.stop()
    return results


if __name__ == "__main__":
    print(json.dumps(bench_pollers(), indent=2))
