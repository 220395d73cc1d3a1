"""The load run of `make stress`: the whole unit signed in on the live monitor while the poller ingests.

`crisisdesk up` (poller and dashboard, exactly as in production) runs on a fresh database with the
fire-smoke incident open; N headless Chromium sessions, each signed in as its own analyst, sit on the
live monitor while M feeds post on a schedule (bench/loadfeeds.py). Measured, for the run's duration:

- fragment refresh: from the browser sending a fragment's timed rerun to receiving that run's
  "finished" message, taken from Chromium's own WebSocket frame timestamps (DevTools protocol), so the
  harness's own speed does not enter the figure;
- errors: exceptions and error alerts the server sent, "database is locked" anywhere in any frame or
  page, dropped WebSocket connections, tracebacks in the services' logs, feeds left with a fetch error;
- poller lag: from an entry's appearance in its feed to its row being readable in the database
  (sampled every 2 s), and entries that should have been stored by the end but were not;
- memory: the dashboard server's RSS per signed-in session and its growth over the run, each
  browser tab's proportional set size (PSS) and its growth, the poller's RSS.

python -m bench.load --db sqlite|postgresql [--sessions 20] [--feeds 500] [--seconds 300] [--out FILE]
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Engine, select
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench.loadfeeds import Schedule
from core.db import make_engine, read_session
from crisisdesk import schema
from crisisdesk.demo import DEMO_PASSWORD, load_scenario, prepare
from playbooks.workflow import users
from sources import registry
from sources.models import Feed, Post

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
OFFICIAL = 10  # the organisation's own accounts; the rest are watched public feeds
CRISIS_INTERVAL = {"website": 30, "watch": 60}  # fire-smoke playbook while the incident is open (R13)
POLL_TICK_S = 5  # `crisisdesk up` passes over the due feeds every 5 s
LOCKED = b"database is locked"
PROBE = Path(__file__).resolve().parent / "serverprobe"
_GUID = re.compile(r"^load-(\d+)-(-?\d+)$")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


# --- processes and their memory, read from /proc (Linux) ---------------------------------------------


def _proc_field(pid: int, name: str, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/{name}").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def rss_mb(pid: int) -> float:
    return _proc_field(pid, "status", "VmRSS") / 1024


def pss_mb(pid: int) -> float:
    return _proc_field(pid, "smaps_rollup", "Pss") / 1024


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def descendants(root: int) -> dict[int, str]:
    """pid → command line of every process below `root`."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    found: dict[int, str] = {}
    frontier = [root]
    while frontier:
        pid = frontier.pop()
        for child, parent in parents.items():
            if parent == pid and child not in found:
                try:
                    found[child] = (Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ")).decode(
                        errors="replace"
                    )
                except OSError:
                    found[child] = ""
                frontier.append(child)
    return found


def cpu_times() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


# --- one signed-in browser session --------------------------------------------------------------------


@dataclass
class Session:
    name: str
    page: Any = None
    pending: dict[str, deque[float]] = field(default_factory=dict)
    refresh_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    sockets_opened: int = 0
    sockets_closed: int = 0
    ended_early: int = 0
    measuring: bool = False

    def on_sent(self, params: dict[str, Any]) -> None:
        response = params.get("response", {})
        if response.get("opcode") != 2:
            return
        message = BackMsg.FromString(base64.b64decode(response.get("payloadData", "")))
        if message.WhichOneof("type") == "rerun_script" and message.rerun_script.fragment_id:
            self.pending.setdefault(message.rerun_script.fragment_id, deque()).append(float(params["timestamp"]))

    def on_received(self, params: dict[str, Any]) -> None:
        response = params.get("response", {})
        if response.get("opcode") != 2:
            return
        raw = base64.b64decode(response.get("payloadData", ""))
        if LOCKED in raw:
            self.errors.append("a message from the server says 'database is locked'")
        message = ForwardMsg.FromString(raw)
        kind = message.WhichOneof("type")
        if kind == "delta" and message.delta.WhichOneof("type") == "new_element":
            element = message.delta.new_element
            which = element.WhichOneof("type")
            if which == "exception":
                self.errors.append(f"exception shown: {element.exception.type}: {element.exception.message[:200]}")
            elif which == "alert" and element.alert.format == Alert.ERROR:
                self.errors.append(f"error shown: {element.alert.body[:200]}")
        elif kind == "script_finished" and message.metadata.run.fragment_ids:
            # A fragment run that Streamlit ends early for the next queued one still answered its request;
            # they are counted apart so the report shows how often that happens.
            if message.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN and self.measuring:
                self.ended_early += 1
            at = float(params["timestamp"])
            for fragment in message.metadata.run.fragment_ids:
                queue = self.pending.get(fragment)
                if queue:
                    started = queue.popleft()
                    if self.measuring:
                        self.refresh_ms.append((at - started) * 1000)

    def on_closed(self, params: dict[str, Any]) -> None:
        self.sockets_closed += 1
        if self.measuring:
            self.errors.append("the dashboard's WebSocket connection closed")


def open_session(browser: Any, url: str, name: str) -> Session:
    session = Session(name)
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, reduced_motion="reduce")
    page = context.new_page()
    page.set_default_timeout(120_000)  # signing in while everyone else's pages refresh takes a while
    devtools = context.new_cdp_session(page)
    devtools.send("Network.enable")
    devtools.on("Network.webSocketFrameSent", session.on_sent)
    devtools.on("Network.webSocketFrameReceived", session.on_received)
    devtools.on("Network.webSocketCreated", lambda _p: setattr(session, "sockets_opened", session.sockets_opened + 1))
    devtools.on("Network.webSocketClosed", session.on_closed)
    page.on("dialog", lambda d: (session.errors.append(f"dialog: {d.message}"), d.dismiss()))
    page.goto(url)
    yield_to_services()
    page.get_by_role("textbox", name="User name").fill(name)
    page.get_by_role("textbox", name="Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Live monitor").wait_for()
    session.page = page
    return session


def yield_to_services() -> None:
    """Run the browsers at the lowest CPU priority: on the unit's own machines they would not share the
    server's two cores, so here they get what the services leave instead of taking it from them."""
    for pid, command in descendants(os.getpid()).items():
        if "chromium" in command or "playwright" in command:
            try:
                os.setpriority(os.PRIO_PROCESS, pid, 19)
            except OSError:
                pass


def page_problems(session: Session) -> list[str]:
    problems = []
    text = session.page.inner_text("body")
    if "database is locked" in text:
        problems.append("the page shows 'database is locked'")
    if session.page.locator("[data-testid='stException']").count():
        problems.append("the page shows an exception")
    if "Connection error" in text or "Is Streamlit still running" in text:
        problems.append("the page shows Streamlit's connection error")
    return problems


# --- the database side --------------------------------------------------------------------------------


def prepare_database(engine: Engine, schedule: Schedule, feed_base: str, sessions: int, folder: Path) -> None:
    schema.upgrade(engine)
    accounts = []
    for i in range(schedule.feeds):
        official = i < OFFICIAL
        accounts.append({
            "id": f"load{i:04d}",
            "name": f"Torsby kommun {i}" if official else f"Forum thread {i}",
            "kind": "website" if official else "watch",
            "platform": "web" if official else "forum",
            "feed": f"{feed_base}/feed/{i}",
            "administrators": ["anna.lind@torsby.example", "erik.berg@torsby.example"] if official else [],
            "languages": ["sv"],
        })  # fmt: skip
    path = folder / "registry.yaml"
    document = {"organisation": "Torsby kommun", "allow_networks": ["127.0.0.0/8"], "accounts": accounts}
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    registry.import_registry(engine, registry.load(path))
    scenario, posts = load_scenario()
    prepare(engine, scenario, posts)  # users, the open fire-smoke incident, its first published message
    for n in range(1, sessions + 1):
        users.add(engine, f"load{n:02d}", "analyst", password=DEMO_PASSWORD, by="admin")


class Visibility(threading.Thread):
    """Notes when each load entry becomes readable in the database, every 2 s, as the desk would see it."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(daemon=True)
        self.engine = engine
        self.seen: dict[str, float] = {}
        self.stop = threading.Event()
        self.failures: list[str] = []

    def run(self) -> None:
        last = 0
        while not self.stop.wait(2.0):
            try:
                with read_session(self.engine) as session:
                    rows = session.execute(select(Post.id, Post.guid).where(Post.id > last).order_by(Post.id)).all()
            except Exception as exc:  # reported as a failure of the run, not a crash of it
                self.failures.append(f"reading new posts failed: {exc}")
                continue
            stamp = time.time()
            for post_id, guid in rows:
                self.seen.setdefault(guid, stamp)
                last = max(last, post_id)


def lag_report(schedule: Schedule, seen: dict[str, float], window: tuple[float, float]) -> dict[str, Any]:
    """Lag of every entry that appeared during the window; 'missing' counts those that had a full poll
    interval (plus a pass) to be stored before the window closed and were not."""
    start, end = window
    lags: list[float] = []
    missing: list[str] = []
    for i in range(schedule.feeds):
        interval = CRISIS_INTERVAL["website" if i < OFFICIAL else "watch"]
        k = schedule.latest(i, start) + 1
        while (appears := schedule.appears(i, k)) <= end:
            guid = f"load-{i}-{k}"
            if guid in seen:
                lags.append(seen[guid] - appears)
            elif appears + interval + POLL_TICK_S + 10 <= end:
                missing.append(guid)
            k += 1
    return {
        "entries": len(lags),
        "missing": len(missing),
        "missing_examples": missing[:10],
        "p50_s": round(percentile(lags, 0.5), 1),
        "p95_s": round(percentile(lags, 0.95), 1),
        "max_s": round(max(lags), 1) if lags else None,
    }


# --- the run ------------------------------------------------------------------------------------------


def _wait_healthy(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"`crisisdesk up` exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).status == 200:
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"the dashboard did not answer within 120 s:\n{log.read_text()[-3000:]}")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def server_refresh_ms(probe_log: Path, window: tuple[float, float]) -> list[float]:
    """Server-side refresh times from the probe's log: request arrival to the end of the run answering it."""
    pending: dict[tuple[str, str], deque[float]] = {}
    times: list[float] = []
    if not probe_log.exists():  # the probe did not load: no server-side figures, said as a count of 0
        return times
    for line in probe_log.read_text(encoding="utf-8").splitlines():
        what, session, fragment, stamp = line.split()
        key, at = (session, fragment), float(stamp)
        if what == "asked":
            pending.setdefault(key, deque()).append(at)
        elif pending.get(key):
            asked = pending[key].popleft()
            if window[0] <= asked <= window[1]:
                times.append((at - asked) * 1000)
    return times


def log_problems(text: str) -> list[str]:
    problems = []
    for needle in ("Traceback", "database is locked", "OperationalError"):
        count = text.count(needle)
        if count:
            problems.append(f"{count}× {needle!r} in the services' log")
    return problems


def run(db_url: str, *, sessions: int, feeds: int, seconds: int, folder: Path, say: Any = print) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    engine = make_engine(db_url)
    # Entries started appearing a window's worth of periods ago, so the first pass meets full feeds.
    schedule = Schedule(feeds, 60, 20, int(time.time()) - 20 * 60)
    server = subprocess.Popen(
        [sys.executable, "-m", "bench.loadfeeds", "--feeds", str(feeds), "--period", str(schedule.period),
         "--window", str(schedule.window), "--start", str(schedule.start)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert server.stdout is not None
    feed_base = f"http://127.0.0.1:{server.stdout.readline().strip()}"
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = folder / "services.log"
    up: subprocess.Popen[bytes] | None = None
    visibility = Visibility(engine)
    try:
        say(f"preparing the database: {feeds} feeds, {sessions} analysts, the fire-smoke incident open")
        prepare_database(engine, schedule, feed_base, sessions, folder)
        probe_log = folder / "probe.log"
        env = {
            **os.environ,
            "CRISISDESK_PUBLIC_DIR": str(folder / "public"),
            "CRISISDESK_PROBE_LOG": str(probe_log),
            "PYTHONPATH": os.pathsep.join(filter(None, [str(PROBE), os.environ.get("PYTHONPATH")])),
        }
        env.pop("CRISISDESK_NOW", None)
        with log.open("wb") as sink:
            up = subprocess.Popen(
                [sys.executable, "-m", "crisisdesk", "up", "--db", db_url, "--port", str(port)],
                env=env, stdout=sink, stderr=subprocess.STDOUT,
            )  # fmt: skip
        _wait_healthy(url, up, log)
        visibility.start()
        services = descendants(up.pid)
        poller = next(p for p, cmd in services.items() if " poll " in cmd)
        dashboard = next(p for p, cmd in services.items() if "streamlit" in cmd)
        dashboard_before = rss_mb(dashboard)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM,
                headless=True,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                      "--disable-sync", "--no-first-run", "--disable-quic"],
            )  # fmt: skip
            signed_in: list[Session] = []
            for n in range(1, sessions + 1):
                signed_in.append(open_session(browser, url, f"load{n:02d}"))
                say(f"signed in {n}/{sessions}")
            pump = signed_in[0].page
            pump.wait_for_timeout(5000)  # let every page draw its first fragments before measuring
            dashboard_signed_in = rss_mb(dashboard)

            def renderers() -> dict[int, float]:
                return {p: pss_mb(p) for p, cmd in descendants(os.getpid()).items() if "--type=renderer" in cmd}

            tabs_start = renderers()
            for s in signed_in:
                s.measuring = True
            busy0, total0 = cpu_times()

            def cpu_split() -> dict[str, float]:
                browsers = sum(cpu_seconds(p) for p, cmd in descendants(os.getpid()).items() if "chromium" in cmd)
                return {"dashboard": cpu_seconds(dashboard), "poller": cpu_seconds(poller), "browsers": browsers}

            cpu_start = cpu_split()
            started = time.time()
            samples: list[dict[str, float]] = []
            problems: list[str] = []
            next_sample = next_check = time.monotonic()
            say(f"measuring for {seconds} s")
            while time.time() - started < seconds:
                pump.wait_for_timeout(500)  # hands the queued DevTools events to the sessions
                if time.monotonic() >= next_sample:
                    tabs = renderers()
                    samples.append({
                        "t": round(time.time() - started, 1), "dashboard_rss_mb": round(rss_mb(dashboard), 1),
                        "poller_rss_mb": round(rss_mb(poller), 1), "tabs_pss_mb": round(sum(tabs.values()), 1),
                    })  # fmt: skip
                    next_sample += 15
                if time.monotonic() >= next_check:
                    for s in signed_in:
                        problems.extend(f"{s.name}: {p}" for p in page_problems(s))
                    next_check += 30
                    elapsed = int(time.time() - started)
                    done = sum(len(s.refresh_ms) for s in signed_in)
                    say(f"{elapsed:>4} s: {done} fragment refreshes, {len(visibility.seen)} posts readable")
            ended = time.time()
            busy1, total1 = cpu_times()
            cpu_end = cpu_split()
            for s in signed_in:
                s.measuring = False
                problems.extend(f"{s.name}: {p}" for p in page_problems(s))
            tabs_end = renderers()
            browser.close()
        visibility.stop.set()
        visibility.join()
        with read_session(engine) as session:
            failing = session.execute(select(Feed.url, Feed.last_error).where(Feed.last_error.is_not(None))).all()
    finally:
        visibility.stop.set()
        if up is not None:
            _stop(up)
        server.terminate()
        server.wait(timeout=10)
        engine.dispose()

    refresh = [ms for s in signed_in for ms in s.refresh_ms]
    on_server = server_refresh_ms(probe_log, (started, ended))
    errors = [f"{s.name}: {e}" for s in signed_in for e in s.errors] + problems
    errors += log_problems(log.read_text(errors="replace")) + visibility.failures
    errors += [f"feed {u} left with error: {e}" for u, e in failing]
    return {
        "database": engine.dialect.name,
        "sessions": sessions,
        "feeds": feeds,
        "seconds": round(ended - started),
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "fragment_refresh": {
            "count": len(refresh),
            "p50_ms": round(percentile(refresh, 0.5)),
            "p95_ms": round(percentile(refresh, 0.95)),
            "max_ms": round(max(refresh)) if refresh else None,
            "per_session_min": min(len(s.refresh_ms) for s in signed_in),
            "runs_ended_early": sum(s.ended_early for s in signed_in),
            "unanswered": sum(len(q) for s in signed_in for q in s.pending.values()),
        },
        "fragment_refresh_on_server": {
            "count": len(on_server),
            "p50_ms": round(percentile(on_server, 0.5)),
            "p95_ms": round(percentile(on_server, 0.95)),
            "max_ms": round(max(on_server)) if on_server else None,
        },
        "errors": {"count": len(errors), "examples": errors[:20]},
        "reconnects": sum(max(0, s.sockets_opened - 1) for s in signed_in),
        "poller_lag": lag_report(schedule, visibility.seen, (started, ended)),
        "memory": {
            "dashboard_rss_mb": {
                "before_sign_in": round(dashboard_before, 1),
                "signed_in": round(dashboard_signed_in, 1),
                "end": samples[-1]["dashboard_rss_mb"] if samples else None,
            },
            "dashboard_mb_per_session": round((dashboard_signed_in - dashboard_before) / sessions, 1),
            "dashboard_growth_mb": round(samples[-1]["dashboard_rss_mb"] - samples[0]["dashboard_rss_mb"], 1),
            "browser_tabs_pss_mb_per_session": round(sum(tabs_end.values()) / sessions, 1),
            "tabs_growth_mb": round(sum(tabs_end.values()) - sum(tabs_start.values()), 1),
            "poller_rss_mb": samples[-1]["poller_rss_mb"] if samples else None,
            "samples": samples,
        },
        "cpu_busy_pct": round(100 * (busy1 - busy0) / max(1, total1 - total0)),
        # Share of one core each part used during the run: the browsers share this machine with the
        # services here, which they would not in production.
        "cpu_pct_of_one_core": {
            part: round(100 * (cpu_end[part] - cpu_start[part]) / (ended - started)) for part in cpu_start
        },
        "cpus": os.cpu_count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--feeds", type=int, default=500)
    parser.add_argument("--seconds", type=int, default=300)
    parser.add_argument("--out", type=Path, help="write the result as JSON here too")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        sys.exit("load run: Debian's chromium is not installed (`make system-deps` installs it)")
    folder = Path(tempfile.mkdtemp(prefix="crisisdesk-load-"))
    pg = None
    try:
        if args.db == "postgresql":
            from tests.helpers.postgres import PostgresServer

            pg = PostgresServer().start()
            db_url = pg.url()
        else:
            db_url = f"sqlite:///{folder / 'load.db'}"
        result = run(db_url, sessions=args.sessions, feeds=args.feeds, seconds=args.seconds, folder=folder,
                     say=lambda m: print(f"[load {args.db}] {m}", file=sys.stderr, flush=True))  # fmt: skip
    finally:
        if pg is not None:
            pg.stop()
    text = json.dumps(result, indent=2, ensure_ascii=False)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")
    shutil.rmtree(folder, ignore_errors=True)
    sys.exit(1 if result["errors"]["count"] or result["poller_lag"]["missing"] else 0)


if __name__ == "__main__":
    main()
