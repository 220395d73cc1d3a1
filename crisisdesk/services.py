"""Running the poller and the dashboard side by side as separate processes (`up`, `demo`)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "dashboard" / "app.py"


def run_services(db_url: str, *, port: int, address: str, poll_interval: float = 5.0, only: str | None = None) -> int:
    """Start both (or `only` one: "poller" or "dashboard"), wait; Ctrl-C (or either one dying) stops both.
    Returns the exit code to report."""
    env = {**os.environ, "CRISISDESK_DATABASE_URL": db_url}
    processes: dict[str, subprocess.Popen[bytes]] = {}
    if only in (None, "poller"):
        processes["poller"] = subprocess.Popen(
            [sys.executable, "-m", "crisisdesk", "poll", "--interval", str(poll_interval), "--db", db_url],
            env=env,
        )
    if only in (None, "dashboard"):
        processes["dashboard"] = _dashboard(env, port, address)
    return _supervise(processes)


def _dashboard(env: dict[str, str], port: int, address: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable, "-m", "streamlit", "run", str(APP),
            "--server.port", str(port), "--server.address", address, "--server.headless", "true",
            "--browser.gatherUsageStats", "false",
            # No developer chrome (Deploy, Rerun, Clear cache, Record screen) for the people of the unit.
            "--client.toolbarMode", "minimal",
            # A service, not a notebook: no per-session watching of the source files for changes, and no
            # full garbage collection after every fragment run (a quarter of the server's time with 20
            # sessions on the live monitor; Python's own collector still runs).
            "--server.fileWatcherType", "none", "--server.runOnSave", "false", "--runner.postScriptGC", "false",
        ],
        env=env,
    )  # fmt: skip


def _supervise(processes: dict[str, subprocess.Popen[bytes]]) -> int:
    code = 0

    def _stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _stop)  # a service manager's stop ends both children too
    try:
        while True:
            for name, proc in processes.items():
                if proc.poll() is not None:
                    print(f"crisisdesk: {name} exited with code {proc.returncode}; stopping", file=sys.stderr)
                    return proc.returncode or 1
            time.sleep(0.5)
    except KeyboardInterrupt:
        code = 0
    finally:
        for proc in processes.values():
            if proc.poll() is None:
                proc.terminate()
        for proc in processes.values():
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
    return code
