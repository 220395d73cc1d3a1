"""Running the poller and the dashboard side by side as separate processes (`up`, `demo`)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "dashboard" / "app.py"
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """In the child, before exec: the kernel sends SIGTERM when `up` dies, even by SIGKILL (which no
    handler of ours sees), so no poller or dashboard is left running on its own. Linux only: ctypes,
    because the standard library has no prctl."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def run_services(db_url: str, *, port: int, address: str, poll_interval: float = 5.0,
                 env: dict[str, str] | None = None, only: str | None = None) -> int:  # fmt: skip
    """Start both (or `only` one: "poller" or "dashboard"), wait; Ctrl-C (or either one dying) stops both.
    Returns the exit code to report."""
    env = {**os.environ, **(env or {}), "CRISISDESK_DATABASE_URL": db_url}
    processes: dict[str, subprocess.Popen[bytes]] = {}
    if only in (None, "poller"):
        processes["poller"] = subprocess.Popen(
            [sys.executable, "-m", "crisisdesk", "poll", "--interval", str(poll_interval), "--db", db_url],
            env=env,
            preexec_fn=_die_with_parent,  # only a prctl in the child: no locks taken
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
        preexec_fn=_die_with_parent,  # only a prctl in the child: no locks taken
    )  # fmt: skip


def _supervise(processes: dict[str, subprocess.Popen[bytes]]) -> int:
    code = 0

    def _stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _stop)  # a service manager's stop ends both children too
    # Ctrl-C stops both even when `up` was started from a script in the background, where the shell
    # hands it SIGINT ignored and Python then raises no KeyboardInterrupt.
    signal.signal(signal.SIGINT, _stop)
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
        deadline = time.monotonic() + 10  # for both together: a stop that takes 20 s looks hung
        for proc in processes.values():
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    return code
