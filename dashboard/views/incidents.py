"""Incidents (leads open, phase and close them; the unit corrects what was published, R8), in the browser."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from dashboard.guard import page
from dashboard.i18n import when
from dashboard.render import escape_md, plain_error
from dashboard.state import Viewer, get_engine, touch
from playbooks import playbook
from playbooks.workflow import desk, incidents, messages
from playbooks.workflow.incidents import IncidentError
from playbooks.workflow.messages import WorkflowError
from playbooks.workflow.models import PHASES
from playbooks.workflow.roles import PERMISSIONS, PermissionDenied

ERROR_KEY = "incidents-error"
DONE_KEY = "incidents-done"
# What this session last opened and corrected: the forms keep their values (a refusal loses nothing), so a
# second click on the same values would open the incident or submit the correction a second time.
OPENED_KEY = "incidents-opened"  # (the form's values, the incident opened with them)
CORRECTED_KEY = "incidents-corrected"  # message id → (the corrected text, the correction submitted)


@page("incident.open", "message.correct")
def render(viewer: Viewer) -> None:
    st.title(viewer.t("Incidents"))
    if st.session_state.pop(DONE_KEY, False):
        st.success(viewer.t("Done."))
    if error := st.session_state.get(ERROR_KEY):
        st.error(escape_md(error))
        st.button(viewer.t("Dismiss this message"), key="incidents-error-ok", on_click=st.session_state.pop,
                  args=(ERROR_KEY, None))  # fmt: skip
    lead = viewer.role in PERMISSIONS["incident.open"]
    if lead:
        _open_form(viewer)
    for view in incidents.list_incidents(get_engine(), open_only=True):
        incident = view.incident
        with st.container(border=True, key=f"incident-{incident.id}"):
            exercise = f" · {viewer.t('Exercise')}" if incident.exercise else ""
            st.subheader(escape_md(f"#{incident.id} {incident.title}{exercise}"))
            st.caption(escape_md(
                f"{viewer.t('Playbook')}: {incident.playbook} · {viewer.t('Phase')}: {viewer.t(incident.phase)} · "
                f"{viewer.t('Website update every')} {view.cadence_minutes} min · "
                f"{viewer.t('Keywords')}: {', '.join(incident.keywords)} · {viewer.t('Opened')} "
                f"{when(incident.opened_at, viewer.timezone)}"
            ))  # fmt: skip
            if lead:
                _phase_and_close(viewer, incident.id, incident.phase)
            _history(viewer, incident.id)


def _act(viewer: Viewer, action: Callable[[], object]) -> bool:
    touch()
    try:
        action()
    except (WorkflowError, IncidentError, PermissionDenied, ValueError) as exc:
        st.session_state[ERROR_KEY] = plain_error(str(exc))
        st.rerun()
    st.session_state.pop(ERROR_KEY, None)
    st.session_state[DONE_KEY] = True  # shown after the rerun (a toast would be lost with it)
    return True


def _open_form(viewer: Viewer) -> None:
    books = sorted(playbook.available())
    with st.expander(viewer.t("Open an incident")), st.form("open-incident"):
        title = st.text_input(viewer.t("Title"), key="new-title")
        book = st.selectbox(viewer.t("Playbook"), books, index=books.index("default") if "default" in books else 0,
                            key="new-playbook")  # fmt: skip
        keywords = st.text_input(viewer.t("Keywords (comma-separated; empty: the playbook's)"), key="new-keywords")
        cadence = st.number_input(viewer.t("Website update every (minutes; 0: the playbook's)"), min_value=0,
                                  max_value=10080, value=0, step=5, key="new-cadence")  # fmt: skip
        exercise = st.checkbox(viewer.t("Exercise"), key="new-exercise")
        if st.form_submit_button(viewer.t("Open the incident"), type="primary"):
            words = [w.strip() for w in keywords.split(",") if w.strip()]
            minutes = int(cadence) or None
            if minutes is not None and minutes < 5:
                st.session_state[ERROR_KEY] = viewer.t("A website update every 5 minutes at the most often.")
                st.rerun()
            asked = (title.strip(), str(book), tuple(words), minutes, bool(exercise))
            opened = st.session_state.get(OPENED_KEY)
            if opened and opened[0] == asked and _still_open(opened[1]):
                st.session_state[ERROR_KEY] = f"{viewer.t('This incident is open already')}: #{opened[1]}"
                st.rerun()

            def open_it() -> None:
                incident_id = incidents.open_incident(get_engine(), title=title, by=viewer.name,
                                                      playbook_name=str(book), keywords=words, cadence=minutes,
                                                      exercise=exercise)  # fmt: skip
                st.session_state[OPENED_KEY] = (asked, incident_id)

            if _act(viewer, open_it):
                st.rerun()


def _still_open(incident_id: int) -> bool:
    return any(v.incident.id == incident_id for v in incidents.list_incidents(get_engine(), open_only=True))


def _phase_and_close(viewer: Viewer, incident_id: int, phase: str) -> None:
    left, right = st.columns(2)
    with left:
        new = st.radio(viewer.t("Phase"), PHASES, index=PHASES.index(phase), format_func=viewer.t, horizontal=True,
                       key=f"phase-{incident_id}")  # fmt: skip
        if st.button(viewer.t("Change the phase"), key=f"set-phase-{incident_id}", disabled=new == phase):
            if _act(viewer, lambda: incidents.set_phase(get_engine(), incident_id, str(new), by=viewer.name)):
                st.rerun()
    with right:
        sure = st.checkbox(viewer.t("Yes, the incident is over"), key=f"sure-{incident_id}")
        if st.button(viewer.t("Close the incident"), key=f"close-{incident_id}", disabled=not sure):
            if _act(viewer, lambda: incidents.close_incident(get_engine(), incident_id, by=viewer.name)):
                st.rerun()


def _history(viewer: Viewer, incident_id: int) -> None:
    """What the public was told (R8): the live message to correct; corrected ones struck through, kept."""
    versions = desk.published_history(get_engine(), incident_id)
    if not versions:
        st.caption(viewer.t("Nothing is published yet."))
        return
    st.markdown(f"**{escape_md(viewer.t('Published messages'))}**")
    for version in versions:
        message = version.message
        label = viewer.t("Correction") if message.kind == "correction" else viewer.t("Message")
        head = f"{label} #{message.id} · {message.language} · {when(message.published_at, viewer.timezone)}"
        body = escape_md(" ".join(message.text.split()))
        if version.replaced_by is not None:
            how = "corrected by" if version.replaced_kind == "correction" else "replaced by"
            st.markdown(f":gray[{escape_md(head)} · {escape_md(viewer.t(how))} #{version.replaced_by}]\n\n~~{body}~~")
            continue
        st.markdown(f"**{escape_md(head)}**\n\n{body}")
        if viewer.role in PERMISSIONS["message.correct"]:
            with st.expander(viewer.t("Correct this message")), st.form(f"correct-{message.id}"):
                text = st.text_area(viewer.t("Corrected text"), value=message.text, key=f"fix-{message.id}",
                                    max_chars=messages.MAX_TEXT)  # fmt: skip
                if st.form_submit_button(viewer.t("Submit the correction for approval")):
                    _correct(viewer, message.id, text)


def _correct(viewer: Viewer, message_id: int, text: str) -> None:
    corrected: dict[int, tuple[str, int]] = st.session_state.setdefault(CORRECTED_KEY, {})
    earlier = corrected.get(message_id)
    if earlier and earlier[0] == text and messages.get(get_engine(), earlier[1]).state in ("submitted", "approved"):
        st.session_state[ERROR_KEY] = f"{viewer.t('This correction was submitted as')} #{earlier[1]}."
        st.rerun()

    def fix() -> None:
        corrected[message_id] = (text, messages.correct_and_submit(get_engine(), message_id, text, by=viewer.name))

    if _act(viewer, fix):
        st.rerun()
