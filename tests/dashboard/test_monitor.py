"""Triage on the live monitor as it happens in a browser (AppTest): the click may arrive in a run of the
whole page, not only of the refreshing part, and must work there too."""

from __future__ import annotations

from playbooks.workflow import flags
from tests.dashboard import test_app as base
from tests.dashboard.test_app import signed_in

desk = base.desk  # the same desk as the other page tests


def test_triage_in_a_run_of_the_whole_page_is_done_without_a_traceback(engine, desk) -> None:
    # A click inside the refreshing queue is run with the whole page when Streamlit folds it into a full
    # rerun (another click, a sidebar change at the same moment); st.rerun(scope="fragment") then raised
    # after the flag was already dismissed, and the person saw a traceback instead of "Done.".
    (view,) = flags.list_flags(engine)
    app = signed_in("anna")
    app.button(key=f"open-{view.flag.id}").click().run()
    app.selectbox(key=f"a{view.flag.id}").set_value("dismiss")
    app.text_input(key=f"r{view.flag.id}").input("Satir, inget att svara på")
    next(b for b in app.button if b.label == "Apply").click().run()
    assert not app.exception, app.exception
    assert flags.list_flags(engine) == []
    assert "Done." in [t.value for t in app.toast]
    assert f"open-{view.flag.id}" not in [b.key for b in app.button] and "triage_open" not in app.session_state
