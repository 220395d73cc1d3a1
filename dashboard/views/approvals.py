"""Approval desk (communication leads): submitted drafts with their checks and the change they make,
approved messages waiting for publication, and repeats that fall due (R3)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import streamlit as st

from core.clock import now
from dashboard import flagcards
from dashboard.guard import live, page
from dashboard.i18n import check_line, when
from dashboard.render import escape_md, plain_error, word_diff
from dashboard.state import Viewer, get_engine, touch
from playbooks.workflow import desk, messages
from playbooks.workflow import partners as partner_flags
from playbooks.workflow.incidents import IncidentError
from playbooks.workflow.messages import Publication, WorkflowError
from playbooks.workflow.roles import PERMISSIONS, PermissionDenied

QUEUE_REFRESH_S = 10
WARNINGS_KEY = "approvals-warnings"
ERROR_KEY = "approvals-error"


@page("message.approve", "message.publish")
def render(viewer: Viewer) -> None:
    st.title(viewer.t("Approvals"))
    # What went wrong after a publication was committed (it stands): kept until the person has seen it.
    for warning in st.session_state.pop(WARNINGS_KEY, []):
        st.warning(escape_md(warning))
    # A refusal stays until dismissed: the parts below redraw themselves every few seconds.
    if error := st.session_state.get(ERROR_KEY):
        st.error(escape_md(error))
        st.button(viewer.t("Dismiss this message"), key="approvals-error-ok", on_click=st.session_state.pop,
                  args=(ERROR_KEY, None))  # fmt: skip
    _due_updates()
    _queue()


@live(QUEUE_REFRESH_S)
def _due_updates(viewer: Viewer) -> None:
    """R3: what falls due, refreshed on its own: the exact text a repeat sends again, a repeat already
    underway (one per live message, however many leads click), and after a publication that the update
    counts once the website carries it."""
    engine = get_engine()
    for item in desk.due_updates(engine):
        row = item.due
        with st.container(border=True, key=f"due-{row.incident}"):
            minutes = int((row.next_due - now()).total_seconds() // 60)
            colour = "red" if row.status == "overdue" else "orange"
            st.markdown(
                f":{colour}-background[{escape_md(viewer.t('Update due'))}: #{row.incident} {escape_md(row.title)} · "
                f"{escape_md(viewer.t(row.status))} ({minutes:+d} min)]"
            )
            if item.text is None:
                st.caption(viewer.t("Nothing is published yet: there is no message to repeat."))
                continue
            st.caption(
                escape_md(f"{viewer.t('The live message')} ({item.language}, {viewer.t('published')} "
                          f"{when(item.published_at, viewer.timezone)}):")
            )  # fmt: skip
            st.text(item.text)
            if item.copy_pending:
                st.info(
                    escape_md(f"{viewer.t('Published on the official crisis feed at')} "
                              f"{when(item.published_at, viewer.timezone)}. "
                              f"{viewer.t('The update counts once the website carries it: the website copy is still pending.')}")
                )  # fmt: skip
            elif item.waiting_repeat is not None:
                st.info(escape_md(f"{viewer.t('A repeat waits for approval')}: #{item.waiting_repeat}"))
            else:
                st.markdown(viewer.t("Repeat the current message now?"))
                if st.button(viewer.t("Repeat"), key=f"repeat-{row.incident}"):
                    _act(viewer, partial(messages.repeat, engine, row.incident, by=viewer.name,
                                         lang=item.language))  # fmt: skip


def _act(viewer: Viewer, action: Callable[[], object]) -> None:
    touch()
    try:
        result = action()
    except (WorkflowError, IncidentError, PermissionDenied) as exc:
        st.session_state[ERROR_KEY] = plain_error(str(exc))
        st.rerun()
    st.session_state.pop(ERROR_KEY, None)
    if isinstance(result, Publication) and result.warnings:
        st.session_state[WARNINGS_KEY] = result.warnings
    st.toast(viewer.t("Done."))
    st.rerun()


@live(QUEUE_REFRESH_S)
def _queue(viewer: Viewer) -> None:
    engine = get_engine()
    queue = desk.approval_queue(engine)
    # Approved messages are not drafts: they wait for publication, under a heading of their own.
    submitted = [item for item in queue if item.message.state == "submitted"]
    approved = [item for item in queue if item.message.state != "submitted"]
    st.subheader(viewer.t("Submitted drafts"))
    if not submitted:
        st.caption(viewer.t("Nothing waits for approval."))
    _cards(viewer, submitted)
    if approved:
        st.subheader(viewer.t("Approved, waiting for publication"))
        st.caption(viewer.t("Publish writes the official crisis feed; the update counts once the website carries it."))
        _cards(viewer, approved)
    _unsubmitted(viewer)


def _unsubmitted(viewer: Viewer) -> None:
    """Drafts that were never submitted: nobody approves them until their author submits them, and only
    their author may withdraw them."""
    drafts = desk.unsubmitted(get_engine())
    if not drafts:
        return
    st.subheader(viewer.t("Drafts never submitted"))
    st.caption(viewer.t("Nobody can approve these until their author submits them."))
    for incident, message in drafts:
        with st.container(border=True, key=f"draft-{message.id}"):
            st.markdown(f"**#{message.id}** · {escape_md(viewer.t(message.kind))} · {escape_md(message.language)} · "
                        f"{escape_md(message.author)} · {escape_md(incident.title)} · "
                        f"{escape_md(when(message.created_at, viewer.timezone))}")  # fmt: skip
            st.text(message.text)
            if message.author != viewer.name:
                continue
            left, right = st.columns(2)
            if left.button(viewer.t("Submit for approval"), key=f"submit-{message.id}", type="primary"):
                _act(viewer, partial(messages.submit, get_engine(), message.id, by=viewer.name))
            with right:
                _withdraw_button(viewer, message.id)


def _withdraw_button(viewer: Viewer, message_id: int) -> None:
    """The author takes back their own draft (kept on record as withdrawn), after saying so."""
    sure = st.checkbox(viewer.t("Yes, withdraw my draft"), key=f"withdraw-sure-{message_id}")
    if st.button(viewer.t("Withdraw"), key=f"withdraw-{message_id}", disabled=not sure):
        _act(viewer, partial(messages.withdraw, get_engine(), message_id, by=viewer.name))


def _cards(viewer: Viewer, items: list[desk.Waiting]) -> None:
    engine = get_engine()
    for item in items:
        message, current = item.message, item.current
        with st.container(border=True, key=f"message-{message.id}"):
            st.markdown(f"**#{message.id}** · {escape_md(viewer.t(message.kind))} · {escape_md(message.language)} · "
                        f"{escape_md(message.author)} · {escape_md(item.incident.title)}")  # fmt: skip
            st.text(message.text)
            # The checks stored when it was submitted: the text cannot have changed since (its hash is approved).
            st.caption(viewer.t("Checks"))
            st.markdown("\n".join(f"- {escape_md(check_line(w, viewer.language))}"
                                   for w in item.warnings or [viewer.t("No warnings.")]))  # fmt: skip
            st.caption(f"LIX {item.lix}")
            # Issue 14: a partner warning this text contradicts, also one that arrived after submission.
            for flag in partner_flags.for_message(engine, message.id):
                st.warning(viewer.t("Open contradictions of partner warnings"))
                st.markdown("\n\n".join([*flagcards.evidence_lines(viewer, flag.evidence),
                                           flagcards.partner_table(viewer, flag.evidence)]))  # fmt: skip
            if current is not None and current.id != message.id:
                # Word by word, in the text as it reads: struck through on red what goes, on green what comes.
                st.caption(viewer.t("Changes against the current message"))
                if current.text == message.text:
                    st.markdown(f":gray[{escape_md(viewer.t('The same text as the current message.'))}]")
                else:
                    st.markdown(word_diff(current.text, message.text))
            if item.stale:
                st.warning(escape_md(item.stale))
            elif message.state == "submitted":
                _approval_controls(viewer, message.id, message.author)
            if message.state == "submitted" and message.author == viewer.name:
                _withdraw_button(viewer, message.id)
            if message.state != "submitted" and not item.stale:
                st.info(viewer.t("Approved, not yet published"))
                if viewer.role in PERMISSIONS["message.publish"] and st.button(
                    viewer.t("Publish"), key=f"pub-{message.id}"
                ):
                    _act(viewer, partial(messages.publish, engine, message.id, by=viewer.name))


def _approval_controls(viewer: Viewer, message_id: int, author: str) -> None:
    engine = get_engine()
    if viewer.role not in PERMISSIONS["message.approve"]:
        return
    own = author == viewer.name
    if own:
        st.warning(viewer.t("Your own draft: another lead must approve it."))
    left, right = st.columns([1, 3])
    if left.button(viewer.t("Approve"), key=f"ok-{message_id}", disabled=own, type="primary"):
        _act(viewer, lambda: messages.approve(engine, message_id, by=viewer.name))
    with right.form(f"reject-{message_id}", border=False):
        reason = st.text_input(viewer.t("Reason"), key=f"why-{message_id}")
        if st.form_submit_button(viewer.t("Reject"), disabled=own):
            _act(viewer, lambda: messages.reject(engine, message_id, by=viewer.name, reason=reason))
