"""My flags (analysts and leads): the flags assigned or escalated to me, every flag by kind and status with
what was done with it, and a search of the posts by account, words and time (issue 13)."""

from __future__ import annotations

from datetime import date, datetime, time
from functools import partial
from zoneinfo import ZoneInfo

import streamlit as st

from dashboard import flagcards
from dashboard.guard import page
from dashboard.i18n import when
from dashboard.render import escape_md, plain_error
from dashboard.state import Viewer, get_engine, touch
from playbooks.workflow import desk, flags, incidents, users
from playbooks.workflow.flags import OPEN_STATES
from playbooks.workflow.roles import PermissionDenied

RELATIONS = {"assigned": "Assigned to me", "escalated": "Escalated to me", "all": "All flags"}
# What each triage action made of the flag: its status, which is translated already.
DONE_AS = {"assign": "assigned", "escalate": "escalated", "dismiss": "dismissed", "resolve": "resolved"}
ERROR_KEY = "mine-error"


@page("flag.triage")
def render(viewer: Viewer) -> None:
    st.title(viewer.t("My flags"))
    # The lists' keys carry the language: a list keeps the labels it was first drawn with under one key.
    engine = get_engine()
    left, middle, right, far = st.columns(4)
    relation = left.radio(viewer.t("Show"), list(RELATIONS), format_func=lambda r: viewer.t(RELATIONS[r]),
                          key="mine-relation")  # fmt: skip
    kinds = middle.multiselect(viewer.t("Kind"), list(flagcards.KINDS), format_func=partial(flagcards.label, viewer),
                               key=f"mine-kinds-{viewer.language}", placeholder=viewer.t("Any"))  # fmt: skip
    statuses = right.multiselect(viewer.t("Status"), list(flagcards.STATUSES), default=list(OPEN_STATES),
                                 format_func=viewer.t, key=f"mine-statuses-{viewer.language}",
                                 placeholder=viewer.t("Any"))  # fmt: skip
    titles = {v.incident.id: f"#{v.incident.id} {v.incident.title}" for v in incidents.list_incidents(engine)}
    incident = far.selectbox(viewer.t("Incident"), [None, *titles], key=f"mine-incident-{viewer.language}",
                             format_func=lambda i: viewer.t("Every incident") if i is None else titles[i])  # fmt: skip
    found = desk.find_flags(engine, person=viewer.name, relation=str(relation), kinds=kinds, statuses=statuses,
                            incident=incident)  # fmt: skip
    if not found:
        st.caption(viewer.t("No flags match."))
    else:
        st.dataframe(
            [{"#": v.flag.id, viewer.t("Flag"): flagcards.label(viewer, v.flag.kind), viewer.t("Account"): v.account,
              viewer.t("Time"): when(v.flag.created_at, viewer.timezone), viewer.t("Status"): viewer.t(v.flag.status),
              viewer.t("Assigned to"): v.flag.assigned_to or "–",
              viewer.t("Incident"): titles.get(v.flag.incident_id or 0, viewer.t("every open incident")),
              viewer.t("Post"): " ".join((v.title or v.text).split())[:120]} for v in found],
            hide_index=True, width="stretch",
        )  # fmt: skip
        shown = {v.flag.id: v for v in found}
        chosen = st.selectbox(viewer.t("Open a flag"), list(shown), key=f"mine-flag-{viewer.language}",
                              format_func=lambda i: f"#{i} {flagcards.label(viewer, shown[i].flag.kind)} · "
                                                    f"{shown[i].account}")  # fmt: skip
        if chosen is not None:
            _flag(viewer, shown[chosen])
    _search(viewer)


def _flag(viewer: Viewer, view: flags.FlagView) -> None:
    """One flag in words, what was done with it and by whom, and the triage form if it is still open."""
    flag = view.flag
    with st.container(border=True, key=f"mine-card-{flag.id}"):
        parts = [
            f"**{escape_md(flagcards.label(viewer, flag.kind))}** · {escape_md(view.account)} · "
            f"{escape_md(when(view.published, viewer.timezone))} · {flagcards.status_line(viewer, flag.status, flag.assigned_to)}",
            f":gray[{escape_md(flagcards.explanation(viewer, flag.kind))}]",
            escape_md(f"{view.title}\n{view.text}".strip()),
            *(f":gray[{line}]" for line in flagcards.evidence_lines(viewer, flag.evidence)),
        ]  # fmt: skip
        st.markdown("\n\n".join(parts), help=flagcards.tooltip(viewer, flag.rule, flag.score))
        st.markdown(f"**{escape_md(viewer.t('History'))}**")
        lines = [f"{when(flag.created_at, viewer.timezone)} · {viewer.t('raised by the checks')}"]
        for step in desk.flag_history(get_engine(), flag.id):
            line = f"{when(step.at, viewer.timezone)} · {step.by} · {viewer.t(DONE_AS.get(step.action, step.action))}"
            if step.to:
                line += f" → {step.to}"
            if step.message is not None:
                line += f" · {viewer.t('Approved message')} #{step.message}"
            if step.reason:
                line += f" · {viewer.t('Reason')}: {step.reason}"
            lines.append(line)
        st.markdown("\n".join(f"- {escape_md(line)}" for line in lines))
        if flag.status in OPEN_STATES:
            _triage(viewer, view)


def _triage(viewer: Viewer, view: flags.FlagView) -> None:
    engine = get_engine()
    flag = view.flag
    actions = {"assign": "assign", "escalate": "escalate", "resolve": "answer with an approved message",
               "dismiss": "dismiss"}  # fmt: skip
    people = users.assignees(engine)
    answers = (
        {m.id: f"#{m.id} {m.text[:60]}" for m in desk.answers(engine, flag.incident_id)} if flag.incident_id else {}
    )
    if error := st.session_state.get(ERROR_KEY):
        st.error(escape_md(error))
        st.button(viewer.t("Dismiss this message"), key="mine-error-ok", on_click=st.session_state.pop,
                  args=(ERROR_KEY, None))  # fmt: skip
    with st.form(f"mine-triage-{flag.id}", border=False):
        cols = st.columns([2, 2, 3])
        action = cols[0].selectbox(viewer.t("Action"), list(actions), format_func=lambda a: viewer.t(actions[a]),
                                   key=f"mine-a{flag.id}")  # fmt: skip
        to = cols[1].selectbox(viewer.t("To"), people, index=people.index(viewer.name) if viewer.name in people else 0,
                               key=f"mine-to{flag.id}")  # fmt: skip
        reason = cols[2].text_input(viewer.t("Reason"), key=f"mine-r{flag.id}")
        message = st.selectbox(viewer.t("Approved message"), [None, *answers], key=f"mine-m{flag.id}",
                               format_func=lambda m: "–" if m is None else answers[m])  # fmt: skip
        if st.form_submit_button(viewer.t("Apply")):
            touch()
            try:
                flags.triage(engine, flag.id, str(action), by=viewer.name, reason=reason or None, message=message,
                             to=to if action in ("assign", "escalate") else None)  # fmt: skip
            except (flags.TriageError, PermissionDenied) as exc:
                st.session_state[ERROR_KEY] = plain_error(str(exc))  # kept until dismissed
            else:
                st.session_state.pop(ERROR_KEY, None)
                st.toast(viewer.t("Done."))
            st.rerun()


def _moment(day: date | None, hour: time | None, zone: str, *, end: bool) -> datetime | None:
    """A day and an hour the person picked, in their time zone; a day alone is its start (or its end)."""
    if day is None:
        return None
    hour = hour or (time(23, 59, 59) if end else time(0, 0))
    try:
        tz = ZoneInfo(zone)
    except (KeyError, ValueError):
        tz = ZoneInfo("UTC")
    return datetime.combine(day, hour, tzinfo=tz)


def _search(viewer: Viewer) -> None:
    """Posts by account, words and time, newest first."""
    st.subheader(viewer.t("Search the posts"))
    cols = st.columns(6)
    account = cols[0].text_input(viewer.t("Account"), key="find-account", max_chars=200)
    words = cols[1].text_input(viewer.t("Words in the post"), key="find-words", max_chars=200)
    since_day = cols[2].date_input(viewer.t("From"), value=None, key="find-from-day", format="YYYY-MM-DD")
    since_hour = cols[3].time_input(viewer.t("at"), value=None, key="find-from-hour", step=900)
    until_day = cols[4].date_input(viewer.t("Until"), value=None, key="find-until-day", format="YYYY-MM-DD")
    until_hour = cols[5].time_input(viewer.t("at"), value=None, key="find-until-hour", step=900)
    since = _moment(since_day, since_hour, viewer.timezone, end=False)  # type: ignore[arg-type]
    until = _moment(until_day, until_hour, viewer.timezone, end=True)  # type: ignore[arg-type]
    if since and until and since > until:
        st.warning(viewer.t("The start is after the end: nothing can match."))
        return
    if not (account.strip() or words.strip() or since or until):
        st.caption(viewer.t("Give an account, words or a time to search the posts."))
        return
    posts = desk.search_posts(get_engine(), account=account, text=words, since=since, until=until)
    if not posts:
        st.caption(viewer.t("No posts match."))
        return
    st.caption(f"{len(posts)} {viewer.t('posts, newest first')}")
    st.markdown("\n\n".join(
        f"`{when(post.published, viewer.timezone)}` **{escape_md(post.account)}** ({escape_md(viewer.t(post.kind))}, "
        f"{escape_md(post.language or '?')}): {escape_md(' '.join((post.text or post.title).split())[:300])}"
        for post in posts
    ))  # fmt: skip
