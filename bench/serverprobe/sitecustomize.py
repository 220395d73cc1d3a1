"""Loaded only into the load run's dashboard process (the run puts this folder on PYTHONPATH).

It notes, on the server, when each timed fragment rerun request arrives and when the run that answers
it finishes, so the load run can tell the server's share of a refresh from the browsers' share (the
browsers share the machine with the server there, which they do not in production).
"""

import os
import sys
import time

_LOG = os.environ.get("CRISISDESK_PROBE_LOG")

if _LOG and "run" in sys.argv and any(arg.endswith("app.py") for arg in sys.argv):
    from streamlit.runtime import app_session

    _sink = open(_LOG, "a", buffering=1, encoding="utf-8")  # open for the life of the process
    _handle = app_session.AppSession.handle_backmsg
    _finished = app_session.AppSession._create_script_finished_message

    def handle_backmsg(self, msg):  # type: ignore[no-untyped-def]
        if msg.WhichOneof("type") == "rerun_script" and msg.rerun_script.fragment_id:
            _sink.write(f"asked {self.id} {msg.rerun_script.fragment_id} {time.time():.4f}\n")
        return _handle(self, msg)

    def create_script_finished_message(self, status, run_descriptor=None):  # type: ignore[no-untyped-def]
        msg = _finished(self, status, run_descriptor)
        for fragment in msg.metadata.run.fragment_ids:
            _sink.write(f"done {self.id} {fragment} {time.time():.4f}\n")
        return msg

    app_session.AppSession.handle_backmsg = handle_backmsg
    app_session.AppSession._create_script_finished_message = create_script_finished_message
