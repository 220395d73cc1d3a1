"""Drafting (the unit): write from the playbook's template, see the checks as you write, submit."""

from __future__ import annotations

import streamlit as st

from dashboard.render import escape_md
from dashboard.state import current_user, get_engine
from playbooks.checks import drafts as prechecks
from playbooks.workflow import incidents, messages
from playbooks.workflow.incidents import IncidentError
from playbooks.workflow.messages import WorkflowError
from playbooks.workflow.roles import PERMISSIONS, PermissionDenied


def render() -> None:
    viewer = current_user()
    if viewer is None:
        return
    st.title(viewer.t("Drafting"))
    if viewer.role not in PERMISSIONS["message.draft"]:
        st.error(viewer.t("You may not open this page."))
        return
    engine = get_engine()
    views = incidents.list_incidents(engine, open_only=True)
    if not views:
        st.info(viewer.t("No open incident."))
        return
    labels = {v.incident.id: f"#{v.incident.id} {v.incident.title}" for v in views}
    options: list[int] = list(labels)
    incident_id = st.selectbox(viewer.t("Incident"), options, format_func=lambda i: labels[i]) or options[0]
    view = next(v for v in views if v.incident.id == incident_id)
    book = view.playbook
    lang = st.selectbox(viewer.t("Language"), list(book.languages), key="draft-lang")
    key = f"draft-{incident_id}-{lang}"
    if key not in st.session_state:
        st.session_state[key] = book.templates.get(lang, "")
    text = st.text_area(viewer.t("Message"), key=key, height=200)
    result = prechecks.check(text, lang, book, keywords=tuple(view.incident.keywords))
    st.caption(f"{viewer.t('Checks')} · LIX {result.lix} · {len(text)} characters")
    for warning in result.warnings or [viewer.t("No warnings.")]:
        st.markdown(f"- {escape_md(warning)}")
    for channel, limit in book.channels.items():
        if limit:
            st.caption(f"{channel}: {len(text)}/{limit}")
    if st.button(viewer.t("Save and submit for approval"), type="primary"):
        try:
            message_id = messages.draft(engine, incident_id, text, by=viewer.name, lang=lang)
            messages.submit(engine, message_id, by=viewer.name)
            st.session_state.pop(key, None)
            st.success(f"#{message_id}: {viewer.t('Done.')}")
        except (WorkflowError, IncidentError, PermissionDenied) as exc:
            st.error(str(exc))
