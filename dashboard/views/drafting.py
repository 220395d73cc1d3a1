"""Drafting (the unit): write from the playbook's template, see the checks as you write, submit."""

from __future__ import annotations

import streamlit as st

from dashboard.guard import page
from dashboard.i18n import check_line
from dashboard.render import escape_md, plain_error
from dashboard.state import Viewer, get_engine
from playbooks.checks import drafts as prechecks
from playbooks.workflow import incidents, messages
from playbooks.workflow.incidents import IncidentError
from playbooks.workflow.messages import WorkflowError
from playbooks.workflow.roles import PermissionDenied

SUBMITTED_KEY = "drafting-submitted"
DONE_KEY = "drafting-done"
CHOSEN_KEY = "drafting-incident"  # the incident the page was last drawn for
CLOSED_KEY = "drafting-closed"  # an incident closed while someone wrote for it: its texts are shown to keep


@page("message.draft")
def render(viewer: Viewer) -> None:
    st.title(viewer.t("Drafting"))
    if (done := st.session_state.pop(DONE_KEY, None)) is not None:
        st.success(f"#{done}: {viewer.t('Submitted for approval.')}")
    engine = get_engine()
    views = incidents.list_incidents(engine, open_only=True)
    if (chosen := st.session_state.get(CHOSEN_KEY)) is not None and chosen not in {v.incident.id for v in views}:
        st.session_state.pop(CHOSEN_KEY)
        _keep_closed(chosen)
    _closed_meanwhile(viewer)
    if not views:
        st.info(viewer.t("No open incident."))
        return
    labels = {v.incident.id: f"#{v.incident.id} {v.incident.title}" for v in views}
    options: list[int] = list(labels)
    incident_id = st.selectbox(viewer.t("Incident"), options, format_func=lambda i: labels[i]) or options[0]
    st.session_state[CHOSEN_KEY] = incident_id
    view = next(v for v in views if v.incident.id == incident_id)
    book = view.playbook
    lang = st.selectbox(viewer.t("Language"), list(book.languages), key="draft-lang")
    key = f"draft-{incident_id}-{lang}"
    if key not in st.session_state:
        # Only the first time: after that the text is the person's own, kept across submits and reruns.
        st.session_state[key] = book.templates.get(lang, "")
    # The service refuses more than MAX_TEXT at submit; the browser stops it while typing, before every
    # keystroke of a megabyte paste runs the checks below.
    text = st.text_area(viewer.t("Message"), key=key, height=200, max_chars=messages.MAX_TEXT)
    # As you write: the same checks the service stores when the draft is submitted.
    result = prechecks.check(text, lang, book, keywords=tuple(view.incident.keywords))
    left = messages.placeholders(text, book.templates.get(lang, ""))
    st.caption(f"{viewer.t('Checks')} · LIX {result.lix} · {len(text)} {viewer.t('characters')}")
    if left:
        st.warning(escape_md(f"{viewer.t('Fill in the template first: these placeholders are still in the text')}: "
                             f"{' '.join(dict.fromkeys(left))}"))  # fmt: skip
    st.markdown("\n".join(f"- {escape_md(check_line(w, viewer.language))}"
                           for w in result.warnings or [viewer.t("No warnings.")]))  # fmt: skip
    for channel, limit in book.channels.items():
        if limit:
            st.caption(escape_md(f"{channel}: {len(text)}/{limit}"))
    submitted = st.session_state.get(SUBMITTED_KEY, {})
    again = submitted.get(key, {}).get("text") == text
    if again:
        st.info(escape_md(f"{viewer.t('This text was submitted as')} #{submitted[key]['id']}."))
    if st.button(viewer.t("Save and submit for approval"), type="primary", key="draft-submit",
                 disabled=bool(left) or again or not text.strip()):  # fmt: skip
        try:
            message_id, _ = messages.draft_and_submit(engine, incident_id, text, by=viewer.name, lang=lang)
            # The text stays as the person wrote it (to adapt for the next update); submitting it twice is
            # refused above until it changes.
            st.session_state[SUBMITTED_KEY] = {**submitted, key: {"id": message_id, "text": text}}
            st.session_state[DONE_KEY] = message_id
            st.rerun()
        except (WorkflowError, IncidentError, PermissionDenied) as exc:
            st.error(escape_md(plain_error(str(exc))))


def _keep_closed(incident_id: int) -> None:
    """The texts written for an incident a lead closed meanwhile, copied now: the list no longer offers it,
    and Streamlit forgets the text of a text area that is no longer drawn."""
    view = incidents.get(get_engine(), incident_id)
    submitted = st.session_state.get(SUBMITTED_KEY, {})
    texts = [
        text
        for lang in view.playbook.languages
        if isinstance(text := st.session_state.get(f"draft-{incident_id}-{lang}"), str)
        and text.strip() not in ("", view.playbook.templates.get(lang, "").strip())
        and submitted.get(f"draft-{incident_id}-{lang}", {}).get("text") != text
    ]
    if texts:
        st.session_state[CLOSED_KEY] = (incident_id, view.incident.title, texts)


def _closed_meanwhile(viewer: Viewer) -> None:
    """Those texts, shown as text to copy (never as Markdown), until dismissed."""
    closed = st.session_state.get(CLOSED_KEY)
    if closed is None:
        return
    incident_id, title, texts = closed
    st.warning(escape_md(f"#{incident_id} {title}: "
                         f"{viewer.t('this incident was closed meanwhile; your text was not submitted. Here it is, to keep:')}"))  # fmt: skip
    for text in texts:
        st.code(text, language=None, wrap_lines=True)
    st.button(viewer.t("Dismiss this message"), key="drafting-closed-ok", on_click=st.session_state.pop,
              args=(CLOSED_KEY, None))  # fmt: skip
