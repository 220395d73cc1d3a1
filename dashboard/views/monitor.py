"""Live monitor (the unit during an incident): what needs attention first, everything refreshing itself."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

import plotly.graph_objects as go
import streamlit as st

from core.clock import now
from core.config import database_url
from dashboard import flagcards, partnerpanel
from dashboard.guard import live, page
from dashboard.i18n import clock, wall_clock
from dashboard.render import cue_words, escape_md, highlight, md_link, plain_error
from dashboard.state import Viewer, get_engine, touch
from playbooks.review import timeline
from playbooks.workflow import cadence, desk, flags, incidents, users
from playbooks.workflow.roles import PERMISSIONS, PermissionDenied
from sources.language import LANGUAGES
from sources.models import ACCOUNT_KINDS

LIVE_REFRESH_S = 5
FLAGS_PAGE = 15
CHARTS_REFRESH_S = 30
CHARTS_SHARED_S = 10  # a chart is at most this much older than its own refresh
COLOURS = {"ok": "green", "due": "orange", "overdue": "red"}


@page()
def render(viewer: Viewer) -> None:
    st.title(viewer.t("Live monitor"))
    views = incidents.list_incidents(get_engine(), open_only=True)
    incident_id = None
    if not views:
        st.info(viewer.t("No open incident."))
    else:
        labels = {v.incident.id: f"#{v.incident.id} {v.incident.title}" for v in views}
        incident_id = (
            st.selectbox(viewer.t("Incident"), list(labels), format_func=lambda i: labels[i])
            if len(views) > 1
            else views[0].incident.id
        )
    _live(incident_id)
    if incident_id is not None:
        _charts(incident_id)


@live(LIVE_REFRESH_S)
def _live(viewer: Viewer, incident_id: int | None) -> None:
    # One timer for everything that refreshes every few seconds, not one per part: Streamlit starts a
    # thread for every fragment run and its event loop waits for that start, which with 20 sessions and
    # three timers each held every session's refresh up for seconds (make stress, docs/reliability.md).
    if incident_id is not None:
        _banner(viewer, incident_id)
    left, right = st.columns([3, 2])
    with left:
        _flag_queue(viewer, incident_id)
    with right:
        # Issue 14: the national and partner warnings for our area, beside our own flags and posts.
        partnerpanel.render(viewer)
        _stream(viewer)


# What every signed-in session shows alike is computed once for all of them (`database` is part of the
# key so that two databases never share an entry); the timers' own intervals bound how stale it gets.
@st.cache_data(ttl=LIVE_REFRESH_S, show_spinner=False)
def _due(database: str, incident_id: int) -> list[cadence.Due]:
    return cadence.due(get_engine(), incident_id)


@st.cache_data(ttl=CHARTS_SHARED_S, show_spinner=False)
def _chart_data(database: str, incident_id: int) -> tuple[list[dict[str, object]], list[timeline.MessageEvent]]:
    engine = get_engine()
    view = incidents.get(engine, incident_id)
    since = max(view.incident.opened_at, now() - timedelta(hours=6))
    return timeline.activity(engine, since), timeline.message_timeline(engine, incident_id)


def _banner(viewer: Viewer, incident_id: int) -> None:
    view = incidents.get(get_engine(), incident_id)
    due = _due(database_url(), incident_id)
    status = due[0].status if due else "ok"
    minutes = int((due[0].next_due - now()).total_seconds() // 60) if due else 0
    phase = viewer.t(view.incident.phase) + (f" · {viewer.t('Exercise')}" if view.incident.exercise else "")
    st.markdown(
        f"### {escape_md(view.incident.title)} · {escape_md(phase)} · "
        f":{COLOURS[status]}-background[{escape_md(viewer.t('Next website update'))}: "
        f"{escape_md(clock(due[0].next_due, viewer.timezone) if due else '–')} "
        f"({minutes:+d} min, {escape_md(viewer.t(status))})]"
    )


def _flag_queue(viewer: Viewer, incident_id: int | None) -> None:
    engine = get_engine()
    shown = st.session_state.setdefault("flags_shown", FLAGS_PAGE)
    # Flags that belong to no incident (a look-alike account) first, in every open incident's queue; then
    # what needs me now: newest, then highest score (the service's order).
    views = flags.list_flags(engine, incident=incident_id, limit=shown + 1, unattached=True)
    more = len(views) > shown
    views = views[:shown]
    st.subheader(viewer.t("Flags"))
    if not views:
        st.caption(viewer.t("No open flags."))
        return
    can_triage = viewer.role in PERMISSIONS["flag.triage"]
    answers = (
        {m.id: f"#{m.id} {m.text[:60]}" for m in desk.answers(engine, incident_id)}
        if can_triage and incident_id
        else {}
    )
    people = users.assignees(engine) if can_triage else []
    for view in views:
        _flag_card(viewer, view, can_triage, answers, people)
    if more:
        st.button(viewer.t("Show more"), key="flags-more", on_click=_show_more, args=(shown + FLAGS_PAGE,))


def _flag_card(
    viewer: Viewer, view: flags.FlagView, can_triage: bool, answers: dict[int, str], people: list[str]
) -> None:
    flag, evidence = view.flag, view.flag.evidence
    with st.container(border=True, key=f"flag-{flag.id}"):
        # The whole card body is one Markdown element: every signed-in session redraws the queue every
        # few seconds, and the server's cost grows with the number of elements (docs/reliability.md).
        who = f"{view.account} ({viewer.t(view.account_kind)})"
        parts = [
            f"**{escape_md(flagcards.label(viewer, flag.kind))}** · {escape_md(who)} · "
            f"{escape_md(clock(view.published, viewer.timezone))} · "
            f"{flagcards.status_line(viewer, flag.status, flag.assigned_to)}",
            f":gray[{escape_md(flagcards.explanation(viewer, flag.kind))}]",
            highlight(f"{view.title}\n{view.text}".strip(), cue_words(evidence.get("cues", []))),
        ]
        if table := flagcards.conflict_table(viewer, evidence):
            parts.append(table)
        parts.extend(f":gray[{line}]" for line in flagcards.evidence_lines(viewer, evidence))
        if view.link:
            parts.append(md_link(view.link))  # http(s) only, percent-encoded: one link, never more
        # The rule and the score are for whoever wants them: in the tooltip, not in the way.
        st.markdown("\n\n".join(parts), help=flagcards.tooltip(viewer, flag.rule, flag.score))
        if can_triage:
            # One button per card, the form only for the flag being triaged: a queue of many flags
            # stays cheap to draw every few seconds.
            if st.session_state.get("triage_open") == flag.id:
                _triage_form(viewer, flag.id, answers, people)
            else:
                st.button(viewer.t("Triage"), key=f"open-{flag.id}", on_click=_open_triage, args=(flag.id,))


def _open_triage(flag_id: int) -> None:
    touch()
    st.session_state["triage_open"] = flag_id


def _show_more(count: int) -> None:
    touch()
    st.session_state["flags_shown"] = count


def _triage_form(viewer: Viewer, flag_id: int, answers: dict[int, str], people: list[str]) -> None:
    actions = {
        "assign": "assign",
        "escalate": "escalate",
        "resolve": "answer with an approved message",
        "dismiss": "dismiss",
    }
    with st.form(f"triage-{flag_id}", border=False):
        cols = st.columns([2, 2, 3])
        action = cols[0].selectbox(
            viewer.t("Action"), list(actions), format_func=lambda a: viewer.t(actions[a]), key=f"a{flag_id}"
        )
        to = cols[1].selectbox(
            viewer.t("To"), people, index=people.index(viewer.name) if viewer.name in people else 0, key=f"to{flag_id}"
        )
        reason = cols[2].text_input(viewer.t("Reason"), key=f"r{flag_id}")
        message = st.selectbox(viewer.t("Approved message"), [None, *answers], format_func=lambda m: "–" if m is None else answers[m],
                               key=f"m{flag_id}")  # fmt: skip
        if st.form_submit_button(viewer.t("Apply")):
            touch()
            try:
                flags.triage(get_engine(), flag_id, action, by=viewer.name, to=to if action in ("assign", "escalate") else None,
                             reason=reason or None, message=message)  # fmt: skip
                st.toast(viewer.t("Done."))
                st.session_state.pop("triage_open", None)
                st.rerun()  # the whole page: the click may have come in a run of the whole page
            except (flags.TriageError, PermissionDenied) as exc:
                # Kept until dismissed: the queue redraws itself every few seconds.
                st.session_state[f"triage-error-{flag_id}"] = plain_error(str(exc))
    if error := st.session_state.get(f"triage-error-{flag_id}"):
        st.error(escape_md(error))
        st.button(viewer.t("Dismiss this message"), key=f"error-ok-{flag_id}", on_click=_forget,
                  args=(f"triage-error-{flag_id}",))  # fmt: skip


def _forget(key: str) -> None:
    touch()
    st.session_state.pop(key, None)


def _stream(viewer: Viewer) -> None:
    st.subheader(viewer.t("Posts"))
    c1, c2, c3 = st.columns(3)
    kinds = c1.multiselect(viewer.t("Account kind"), list(ACCOUNT_KINDS), key="stream-kinds")
    langs = c2.multiselect(viewer.t("Language"), list(LANGUAGES), key="stream-langs")
    flagged_only = c3.checkbox(viewer.t("Only flagged posts"), key="stream-flagged")
    lines = [
        f"`{clock(post.published, viewer.timezone)}` **{escape_md(post.account)}** "
        f"({escape_md(post.kind)}, {escape_md(post.language or '?')}): {escape_md(post.title or post.text[:200])}"
        for post in desk.stream(get_engine(), kinds=kinds, languages=langs, flagged_only=flagged_only)
    ]
    # One element for the whole list: every session redraws it every few seconds, and one element costs
    # the server and each browser far less than 25 (measured by `make stress`, docs/reliability.md).
    if lines:
        st.markdown("\n\n".join(lines))


@live(CHARTS_REFRESH_S)
def _charts(viewer: Viewer, incident_id: int) -> None:
    rows, events = _chart_data(database_url(), incident_id)
    local = partial(wall_clock, zone=viewer.timezone)  # the person's time zone, not UTC (issue 13)
    axis = {"tickformat": "%H:%M", "hoverformat": "%Y-%m-%d %H:%M", "title": {"text": viewer.timezone}}
    left, right = st.columns(2)
    with left:
        fig = go.Figure()
        for kind in sorted({str(r["kind"]) for r in rows}):
            mine = [r for r in rows if r["kind"] == kind]
            fig.add_bar(x=[local(r["interval"]) for r in mine], y=[r["posts"] for r in mine], name=viewer.t(kind))
        flagged: dict[object, int] = {}
        for r in rows:
            flagged[r["interval"]] = flagged.get(r["interval"], 0) + int(str(r["flags"]))
        fig.add_scatter(x=[local(i) for i in flagged], y=list(flagged.values()), name=viewer.t("Flags"),
                        mode="lines+markers")  # fmt: skip
        fig.update_layout(
            barmode="stack", title=viewer.t("Posts and flags per 15 minutes"), height=320, margin={"t": 40, "b": 20}
        )
        fig.update_xaxes(**axis)
        st.plotly_chart(fig, width="stretch")
    with right:
        fig = go.Figure()
        approved, website = viewer.t("Approved"), viewer.t("website")
        fig.add_scatter(x=[local(e.approved_at) for e in events], y=[approved] * len(events), mode="markers",
                        name=approved, text=[f"#{e.message}" for e in events])  # fmt: skip
        copies = [e for e in events if e.website_copy_at]
        fig.add_scatter(x=[local(e.website_copy_at) for e in copies], y=[website] * len(copies), mode="markers",
                        name=website, text=[f"#{e.message}" for e in copies])  # fmt: skip
        fig.update_layout(title=viewer.t("Approved messages and website copies"), height=320, margin={"t": 40, "b": 20})
        fig.update_xaxes(**axis)
        st.plotly_chart(fig, width="stretch")
