"""`make bench` / `python -m bench [--feeds N] [--only NAME]`: the sources benchmarks.

Each figure is measured in this run and, where the issue asks, set against a baseline measured in the
same run (a ratio, so that the machine's speed cancels out).
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

import feedparser
from sqlalchemy import select
from sqlalchemy.orm import Session

from bench.feedserver import Feeds
from core.db import make_engine, write_session
from crisisdesk import schema
from sources import registry
from sources.fetch import FetchSettings
from sources.models import Feed, Post
from sources.parse import parse_feed
from sources.poller import Poller
from sources.store import store_entries

RESULTS = Path(".bench/results.json")


def cpu() -> float:
    return time.process_time()


def fresh_engine(tmp: Path, name: str):
    engine = make_engine(f"sqlite:///{tmp / name}")
    schema.upgrade(engine)
    return engine


def register(engine, base: str, count: int) -> None:
    spec = {
        "organisation": "Bench kommun",
        "allow_networks": ["127.0.0.0/8"],
        "accounts": [
            {
                "id": f"f{i}",
                "name": f"Feed {i}",
                "kind": "website",
                "platform": "web",
                "feed": f"{base}/feed/{i}",
                "administrators": ["a@x", "b@x"],
            }
            for i in range(count)
        ],
    }
    registry.import_registry(engine, registry.parse(spec))


def bench_ingest_ratio(tmp: Path, rounds: int = 5) -> dict[str, float]:
    """Parse + normalise + store of changed 50-entry feeds over feedparser's own parse of the same bytes.

    Each round times feedparser and then crisisdesk on the same documents, back to back, and the ratio is
    taken per round; the median round is reported, so that a noisy neighbour on the machine cancels out.
    """
    feeds = Feeds(60)
    now = datetime.now(UTC)

    def feedparser_only(bodies: list[bytes]) -> float:
        started = cpu()
        for body in bodies:
            feedparser.parse(io.BytesIO(body), sanitize_html=False, resolve_relative_uris=False)
        return cpu() - started

    def ingest(engine, bodies: list[bytes], fast: bool = True) -> float:
        started = cpu()
        for i, body in enumerate(bodies):
            parsed = parse_feed(body, fetched_at=now, language_hint="sv", fast=fast)
            with write_session(engine) as session:
                feed = session.scalars(select(Feed).where(Feed.account_id == f"f{i}")).one()
                store_entries(session, feed, parsed.entries, now)
        return cpu() - started

    new_ratios, change_ratios, fp_rates, slow_new, slow_change = [], [], [], [], []
    for attempt in range(rounds):
        engine = fresh_engine(tmp, f"ingest{attempt}.db")
        slow = fresh_engine(tmp, f"ingest-feedparser{attempt}.db")  # the same, parsed by feedparser only
        for e in (engine, slow):
            register(e, "http://127.0.0.1:9", feeds.count)
        bodies = list(feeds.bodies)
        base = feedparser_only(bodies)
        fp_rates.append(feeds.count * 50 / base)
        new_ratios.append(ingest(engine, bodies) / base)
        slow_new.append(ingest(slow, bodies, fast=False) / base)
        # A typical change: one new entry on each feed, whose other 49 entries are known.
        feeds.bump(1.0, "content")
        bodies = list(feeds.bodies)
        base = feedparser_only(bodies)
        change_ratios.append(ingest(engine, bodies) / base)
        slow_change.append(ingest(slow, bodies, fast=False) / base)
        engine.dispose()
        slow.dispose()
    return {
        "feedparser_entries_per_s": statistics.median(fp_rates),
        "ratio_new_feed": statistics.median(new_ratios),
        "ratio_one_new_entry": statistics.median(change_ratios),
        "ratio_one_new_entry_best": min(change_ratios),
        "feedparser_path_ratio_new_feed": statistics.median(slow_new),
        "feedparser_path_ratio_one_new_entry": statistics.median(slow_change),
    }


class Server:
    def __init__(self, count: int) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bench.feedserver", str(count)], stdout=subprocess.PIPE, text=True
        )
        assert self.proc.stdout is not None
        self.base = f"http://127.0.0.1:{self.proc.stdout.readline().strip()}"

    def bump(self, fraction: float, mode: str) -> None:
        request = urllib.request.Request(f"{self.base}/bump?fraction={fraction}&mode={mode}", method="POST")
        urllib.request.urlopen(request, timeout=30).read()

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


def timed_pass(engine) -> tuple[float, float, object]:
    wall, started = time.perf_counter(), cpu()
    report = asyncio.run(Poller(engine, settings=FetchSettings(concurrency=64, per_host=64)).run_once(include_all=True))
    return time.perf_counter() - wall, cpu() - started, report


def bench_polling(tmp: Path, count: int, *, with_naive: bool = True) -> dict[str, float]:
    server = Server(count)
    try:
        engine = fresh_engine(tmp, "poll.db")
        register(engine, server.base, count)
        first_wall, _first_cpu, first = timed_pass(engine)
        assert not first.failures, list(first.failures.items())[:3]
        # Unchanged: every feed answers 304.
        wall_304, cpu_304, r304 = timed_pass(engine)
        # Same body under a new ETag: recognised by hash, not parsed.
        server.bump(1.0, "etag")
        _wall_etag, cpu_etag, retag = timed_pass(engine)
        # 10 % of the feeds gain an entry.
        server.bump(0.1, "content")
        wall_10, cpu_10, r10 = timed_pass(engine)
        latencies = sorted(r10.commit_latencies)
        p95 = latencies[int(0.95 * (len(latencies) - 1))] if latencies else float("nan")
        naive = (
            bench_naive(tmp, server, count)
            if with_naive
            else {"naive_10pct_wall_s": float("nan"), "naive_10pct_cpu_s": float("nan")}
        )
    finally:
        server.stop()
    return {
        "feeds": count,
        "first_pass_wall_s": first_wall,
        "first_pass_posts": first.new_posts,
        "unchanged_304_cpu_ms_per_feed": cpu_304 / count * 1000,
        "unchanged_304_wall_s": wall_304,
        "unchanged_304_count": r304.not_modified,
        "same_body_new_etag_cpu_ms_per_feed": cpu_etag / count * 1000,
        "same_body_count": retag.same_body,
        "changed_10pct_wall_s": wall_10,
        "changed_10pct_cpu_s": cpu_10,
        "changed_10pct_new_posts": r10.new_posts,
        "commit_latency_p50_s": statistics.median(latencies) if latencies else float("nan"),
        "commit_latency_p95_s": p95,
        **naive,
        "naive_over_ours_wall_10pct": naive["naive_10pct_wall_s"] / wall_10,
        "naive_over_ours_cpu_10pct": naive["naive_10pct_cpu_s"] / cpu_10,
    }


def bench_naive(tmp: Path, server: Server, count: int) -> dict[str, float]:
    """The naive path: feedparser fetches each URL itself, no conditional GET, one ORM insert per entry."""
    engine = fresh_engine(tmp, "naive.db")
    register(engine, server.base, count)

    def one_pass() -> None:
        with Session(engine) as session:
            for i in range(count):
                parsed = feedparser.parse(f"{server.base}/feed/{i}")
                for entry in parsed.entries:
                    exists = session.scalar(select(Post.id).where(Post.account_id == f"f{i}", Post.guid == entry.id))
                    if exists is None:
                        stamp = datetime.now(UTC)
                        session.add(
                            Post(
                                account_id=f"f{i}",
                                guid=entry.id,
                                link=entry.get("link"),
                                title=entry.get("title", ""),
                                text=entry.get("summary", ""),
                                published=stamp,
                                published_source="published",
                                fetched_at=stamp,
                                updated_at=stamp,
                                content_hash="",
                                version=1,
                                extra={},
                            )
                        )
                        session.flush()
                session.commit()

    one_pass()  # fill, like our first pass
    server.bump(0.1, "content")
    wall, started = time.perf_counter(), cpu()
    one_pass()
    return {"naive_10pct_wall_s": time.perf_counter() - wall, "naive_10pct_cpu_s": cpu() - started}


def bench_checks(message_counts: tuple[int, ...] = (1, 5, 20, 50, 100)) -> dict[str, float]:
    """Posts checked per second (all checks, one core) against incidents with N approved messages."""
    import yaml

    from bench.eval_checks import LABELLED
    from playbooks.checks import rumour
    from playbooks.checks.findings import ApprovedMessage, IncidentContext, PostView, evaluate

    data = yaml.safe_load(LABELLED.read_text(encoding="utf-8"))
    block = data["sv"]
    t0 = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)
    posts = [PostView(p["text"], t0, None if p["kind"] == "unknown" else p["kind"], p.get("name", ""), None)
             for b in data.values() for p in b["posts"]]  # fmt: skip
    results: dict[str, float] = {}
    warm = IncidentContext(1, tuple(block["keywords"]), t0, (ApprovedMessage.of(0, block["approved"], "sv", t0),))
    for post in posts:  # first use loads the language model, stemmers and word lists: not per-post cost
        evaluate(post, [warm], block["organisation"])
    for count in message_counts:
        messages = tuple(
            ApprovedMessage.of(
                i, block["approved"].replace("09.00", f"{9 + i % 10:02d}.00") + f" Uppdatering {i}.", "sv", t0
            )
            for i in range(count)
        )
        incident = IncidentContext(1, (*tuple(block["keywords"]), "kaasuvuoto", "Trinkwasser", "kookadvies", "flood"),
                                   t0, messages)  # fmt: skip
        batch = posts * max(1, 2000 // len(posts))
        started = cpu()
        for post in batch:
            evaluate(post, [incident], block["organisation"])
        results[f"posts_per_s_{count}_messages"] = len(batch) / (cpu() - started)
    lines = [p.text for p in posts] * (10_000 // len(posts) + 1)
    lines = lines[:10_000]
    started = cpu()
    for text in lines:
        rumour.score(text)
    results["check_command_10000_lines_s"] = cpu() - started
    return results


def _fill(engine, posts: int) -> None:
    """An incident database with `posts` posts over 30 days (1 % of them flagged), as fast as Core allows."""
    import random

    from playbooks.workflow import incidents, messages, users
    from playbooks.workflow.models import Flag
    from sources.models import Post

    register(engine, "http://127.0.0.1:9", 20)
    users.add(engine, "admin", "admin")
    users.add(engine, "anna", "analyst", by="admin")
    users.add(engine, "lars", "lead", by="admin")
    incident = incidents.open_incident(engine, title="Bench", by="lars", keywords=["brand"])
    message = messages.draft(
        engine, incident, "Brand i Östmark. Håll fönster stängda. Nästa information kl. 09.00.", by="anna"
    )
    messages.submit(engine, message, by="anna")
    messages.approve(engine, message, by="lars")
    messages.publish(engine, message, by="anna")
    rng = random.Random(1)
    end = datetime.now(UTC)
    chunk = 20_000
    post_table, flag_table = Post.__table__, Flag.__table__
    next_id = 1
    for start in range(0, posts, chunk):
        rows, flags_rows = [], []
        for i in range(start, min(posts, start + chunk)):
            when = end - timedelta(seconds=rng.randint(0, 30 * 86400))
            rows.append({"id": next_id, "account_id": f"f{i % 20}", "guid": f"g{i}", "link": f"https://x.example/{i}",
                         "title": f"Inlägg {i} om branden", "text": "Röken driver mot centrum. " * 4, "author": None,
                         "language": "sv", "published": when, "published_source": "published", "fetched_at": when,
                         "updated_at": when, "content_hash": f"{i:064d}", "version": 1, "extra": {}})  # fmt: skip
            if i % 100 == 0:
                flags_rows.append({"dedupe_key": f"rumour:1:{next_id}", "kind": "rumour", "rule": "R2", "score": 0.9,
                                   "status": "open", "incident_id": incident, "post_id": next_id, "message_id": None,
                                   "evidence": {"cues": ["hearsay: det sägs"]}, "created_at": when, "updated_at": when})  # fmt: skip
            next_id += 1
        with write_session(engine) as session:
            session.connection().execute(post_table.insert(), rows)
            if flags_rows:
                session.connection().execute(flag_table.insert(), flags_rows)


def bench_monitor(tmp: Path, sizes: tuple[int, ...] = (10_000, 1_000_000), runs: int = 5) -> dict[str, float]:
    """Server time to render the live monitor (all its fragments) for a signed-in analyst."""
    import tracemalloc

    import streamlit as st
    from streamlit.testing.v1 import AppTest

    app_path = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")
    results: dict[str, float] = {}
    for size in sizes:
        engine = fresh_engine(tmp, f"monitor-{size}.db")
        started = time.perf_counter()
        _fill(engine, size)
        results[f"fill_{size}_s"] = time.perf_counter() - started
        os.environ["CRISISDESK_DATABASE_URL"] = str(engine.url)

        def render(signed_in: str = "anna") -> AppTest:
            app = AppTest.from_file(app_path, default_timeout=120)
            app.session_state["crisisdesk_user"] = {"name": signed_in, "since": time.time(), "seen": time.time()}
            return app

        render().run()  # warm-up: first imports of the pages and plotly are not what a refresh costs
        timings, shared = [], []
        for _ in range(runs):
            # Cold: the data every session shares (cadence, charts) is computed, as once per interval.
            st.cache_data.clear()
            app = render()
            started = time.perf_counter()
            app.run()
            timings.append(time.perf_counter() - started)
            assert not app.exception, app.exception
            # Warm: what the other signed-in sessions pay within that interval.
            app = render()
            started = time.perf_counter()
            app.run()
            shared.append(time.perf_counter() - started)
        # Memory, in a separate run: tracemalloc slows everything it watches.
        tracemalloc.start()
        render().run()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        results[f"render_{size}_median_ms"] = statistics.median(timings) * 1000
        results[f"render_{size}_min_ms"] = min(timings) * 1000
        results[f"render_{size}_shared_cached_median_ms"] = statistics.median(shared) * 1000
        results[f"render_{size}_peak_alloc_mb"] = peak / 1e6
        engine.dispose()
    return results


def machine() -> dict[str, str]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": model, "cores": str(os.cpu_count()), "python": platform.python_version(),
        "feedparser": feedparser.__version__, "platform": platform.platform(),
    }  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--only", choices=["ingest", "poll", "checks", "monitor", "export", "history", "pollers"])
    parser.add_argument("--history-posts", type=int, default=1_000_000, help="posts of the long incident")
    parser.add_argument("--export-posts", type=int, default=1_000_000, help="posts of the exported incident")
    parser.add_argument("--monitor-posts", default="10000,1000000", help="database sizes for the monitor benchmark")
    parser.add_argument("--no-naive", action="store_true", help="skip the naive baseline (quicker)")
    args = parser.parse_args()
    results: dict[str, object] = {"machine": machine(), "when": datetime.now(UTC).isoformat()}
    with tempfile.TemporaryDirectory(prefix="crisisdesk-bench-") as tmp:
        if args.only in (None, "ingest"):
            results["ingest"] = bench_ingest_ratio(Path(tmp))
            print(json.dumps({"ingest": results["ingest"]}, indent=2), flush=True)
        if args.only in (None, "checks"):
            results["checks"] = bench_checks()
            print(json.dumps({"checks": results["checks"]}, indent=2), flush=True)
        if args.only in (None, "monitor"):
            sizes = tuple(int(n) for n in args.monitor_posts.split(","))
            results["monitor"] = bench_monitor(Path(tmp), sizes)
            print(json.dumps({"monitor": results["monitor"]}, indent=2), flush=True)
        if args.only in (None, "export"):
            from bench.export import bench_export

            results["export"] = bench_export(Path(tmp), args.export_posts)
            print(json.dumps({"export": results["export"]}, indent=2), flush=True)
        if args.only in (None, "history"):
            from bench.history import bench_history

            results["history"] = bench_history(Path(tmp), args.history_posts)
            print(json.dumps({"history": results["history"]}, indent=2), flush=True)
        if args.only in (None, "pollers"):
            from bench.pollers import bench_pollers

            try:
                results["pollers"] = bench_pollers()
            except Exception as exc:  # no PostgreSQL binaries here: say so, measure the rest
                results["pollers"] = {"skipped": f"{type(exc).__name__}: {exc}"}
            print(json.dumps({"pollers": results["pollers"]}, indent=2), flush=True)
        if args.only in (None, "poll"):
            results["poll"] = bench_polling(Path(tmp), args.feeds, with_naive=not args.no_naive)
            print(json.dumps({"poll": results["poll"]}, indent=2), flush=True)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2))
    print(f"written to {RESULTS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
