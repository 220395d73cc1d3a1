"""The load harness of `make stress`, run small: it must see what it claims to see, and fail when it should."""

from __future__ import annotations

import base64
import os
import shutil
from pathlib import Path

import pytest
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench.load import CRISIS_INTERVAL, POLL_TICK_S, Session, lag_report, run
from bench.loadfeeds import Schedule, guid

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def _frame(message: BackMsg | ForwardMsg, at: float) -> dict[str, object]:
    return {"timestamp": at, "response": {"opcode": 2, "payloadData": base64.b64encode(message.SerializeToString())}}


def _finished(status: int, *fragments: str) -> ForwardMsg:
    message = ForwardMsg(script_finished=status)  # type: ignore[arg-type]
    message.metadata.run.fragment_ids.extend(fragments)
    return message


def test_a_fragment_refresh_is_timed_from_the_browsers_request_to_the_runs_end() -> None:
    session = Session("anna", measuring=True)
    for fragment in ("flags", "stream"):
        request = BackMsg()
        request.rerun_script.fragment_id = fragment
        request.rerun_script.is_auto_rerun = True
        session.on_sent(_frame(request, 100.0))
    session.on_received(_frame(_finished(ForwardMsg.FINISHED_EARLY_FOR_RERUN, "flags"), 100.2))
    session.on_received(_frame(_finished(ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY, "stream"), 100.45))
    assert [round(ms) for ms in session.refresh_ms] == [200, 450]
    assert session.ended_early == 1 and not any(session.pending.values())


def test_errors_the_server_sends_are_counted() -> None:
    session = Session("anna", measuring=True)
    shown = ForwardMsg()
    shown.delta.new_element.alert.body = "Could not save: database is locked"
    shown.delta.new_element.alert.format = Alert.ERROR
    session.on_received(_frame(shown, 1.0))
    crashed = ForwardMsg()
    crashed.delta.new_element.exception.type = "OperationalError"
    crashed.delta.new_element.exception.message = "boom"
    session.on_received(_frame(crashed, 2.0))
    fine = ForwardMsg()
    fine.delta.new_element.markdown.body = "all well"
    session.on_received(_frame(fine, 3.0))
    assert len(session.errors) == 3  # 'database is locked' in the frame, the error alert, the exception
    assert any("OperationalError" in e for e in session.errors)


def test_lag_is_measured_per_entry_and_an_entry_never_stored_is_missing() -> None:
    schedule = Schedule(feeds=2, period=60, window=5, start=1_000_000)
    start, end = 1_000_000 + 600, 1_000_000 + 900
    seen = {}
    for feed in range(2):
        k = schedule.latest(feed, start) + 1
        while schedule.appears(feed, k) <= end:
            seen[guid(feed, k)] = schedule.appears(feed, k) + 12.0
            k += 1
    report = lag_report(schedule, seen, (start, end))
    assert report["missing"] == 0 and report["p50_s"] == 12.0 and report["entries"] == len(seen)
    dropped = guid(1, schedule.latest(1, start) + 1)  # appeared early in the window: had time to be stored
    del seen[dropped]
    assert lag_report(schedule, seen, (start, end))["missing_examples"] == [dropped]


# Its figures depend on how busy the machine is (a busy CI machine stored no entry in 40 s), so it runs in
# `make stress`, not in `make test`; the harness's logic is tested above without wall-clock expectations.
@pytest.mark.skipif(not os.environ.get("CRISISDESK_STRESS"), reason="a timed run: `make stress` runs it")
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (make test installs it)")
def test_a_short_load_run_signs_in_measures_and_finds_no_errors(db_url: str, tmp_path: Path) -> None:
    result = run(db_url, sessions=2, feeds=30, seconds=40, folder=tmp_path, say=lambda _m: None)
    assert result["errors"]["count"] == 0, result["errors"]["examples"]
    refresh = result["fragment_refresh"]
    assert refresh["per_session_min"] >= 7, "the live part every 5 s and the charts every 30 s, for 40 s"
    assert 0 < refresh["p50_ms"] <= refresh["p95_ms"] <= refresh["max_ms"]
    on_server = result["fragment_refresh_on_server"]
    assert on_server["count"] > 0, "the server-side probe loaded into the dashboard and saw the refreshes"
    assert on_server["p50_ms"] <= refresh["p50_ms"], "the server's share is part of what the browser sees"
    lag = result["poller_lag"]
    assert lag["entries"] > 0 and lag["missing"] == 0
    # One interval, a pass, storing and the 2 s sampling (73 s seen under full load); a missed poll is 120 s+.
    assert lag["max_s"] <= max(CRISIS_INTERVAL.values()) + POLL_TICK_S + 20
    memory = result["memory"]
    assert memory["dashboard_mb_per_session"] > 0 and memory["browser_tabs_pss_mb_per_session"] > 0
