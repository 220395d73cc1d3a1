"""`crisisdesk up` runs the poller and the dashboard as two processes and stops both on Ctrl-C."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pids: list[int]) -> list[int]:
    """Those of `pids` still running (a zombie has ended, it is only not yet waited for)."""
    running = []
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:  # gone, or reaped while we looked
            continue
        if state != "Z":
            running.append(pid)
    return running


def test_up_serves_the_dashboard_and_ctrl_c_stops_both(tmp_path: Path) -> None:
    port = _port()
    env = {k: v for k, v in os.environ.items() if k != "CRISISDESK_NOW"}
    # The output goes to a file: a pipe nobody reads fills up, and then `up` and its children block on
    # their next line of log (Ctrl-C included).
    log = (tmp_path / "up.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "crisisdesk", "up", "--port", str(port), "--db", f"sqlite:///{tmp_path / 'up.db'}"],
                            env=env, stdout=log, stderr=subprocess.STDOUT, text=True)  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2).status == 200:
                    break
            except OSError:
                time.sleep(0.5)
        else:
            raise AssertionError("the dashboard did not come up")
        children = _children(proc.pid)
        assert len(children) == 2, "a poller and a dashboard process"
        proc.send_signal(signal.SIGINT)
        try:
            assert proc.wait(timeout=90) == 0  # a liveness bound on a busy machine: `up` gives up after 10 s
        except subprocess.TimeoutExpired:
            raise AssertionError((tmp_path / "up.log").read_text()[-3000:]) from None
        # Waited for, not slept on: as long as a busy machine takes to end them, and no longer.
        deadline = time.monotonic() + 30
        while _alive(children) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _alive(children) == []
    finally:
        if proc.poll() is None:
            proc.kill()
        log.close()


def test_up_only_starts_just_the_one_asked_for(monkeypatch) -> None:
    """`up --only poller|dashboard`: N of each against one PostgreSQL (docs/deploy.md)."""
    from crisisdesk import services

    started: list[list[str]] = []

    class Recorded:
        def __init__(self, command: list[str], **_: object) -> None:
            started.append(command)

    monkeypatch.setattr(services.subprocess, "Popen", Recorded)
    monkeypatch.setattr(services, "_supervise", lambda processes: len(processes))
    assert services.run_services("sqlite:///x.db", port=8501, address="127.0.0.1", only="poller") == 1
    assert started[-1][2:4] == ["crisisdesk", "poll"]
    assert services.run_services("sqlite:///x.db", port=8501, address="127.0.0.1", only="dashboard") == 1
    assert started[-1][2:4] == ["streamlit", "run"]
    assert services.run_services("sqlite:///x.db", port=8501, address="127.0.0.1") == 2


def test_a_killed_up_leaves_no_poller_or_dashboard_behind(tmp_path: Path) -> None:
    port = _port()
    env = {k: v for k, v in os.environ.items() if k != "CRISISDESK_NOW"}
    proc = subprocess.Popen([sys.executable, "-m", "crisisdesk", "up", "--port", str(port), "--db", f"sqlite:///{tmp_path / 'up.db'}"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    children: list[int] = []
    try:
        deadline = time.monotonic() + 60
        while len(_children(proc.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        children = _children(proc.pid)
        assert len(children) == 2, "a poller and a dashboard process"
        proc.send_signal(signal.SIGKILL)  # no handler of ours runs
        proc.wait(timeout=10)
        deadline = time.monotonic() + 30
        while _alive(children) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _alive(children) == []
    finally:
        for c in children:  # on the old behaviour they were left running: do not leak them into the suite
            if Path(f"/proc/{c}").exists():
                os.kill(c, signal.SIGKILL)
        if proc.poll() is None:
            proc.kill()
