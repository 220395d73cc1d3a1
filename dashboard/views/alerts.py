"""Alerts (issue 14, item 9): the open alerts with Acknowledge (which stops their escalation), what was
sent to whom over which channel, and the signed-in person's own alert settings."""

from __future__ import annotations

import streamlit as st

from dashboard.guard import live, page
from dashboard.i18n import when
from dashboard.render import escape_md, plain_error
from dashboard.state import Viewer, get_engine
from playbooks.workflow import alertconfig, alerts, alerttexts
from playbooks.workflow.alertmodels import DUTY_EVENTS, EVENTS, Alert

REFRESH_S = 15
SAVED_KEY = "alerts-saved"


@page()
def render(viewer: Viewer) -> None:
    st.title(viewer.t("Alerts"))
    _open_alerts()
    _sent()
    _settings(viewer)


@live(REFRESH_S)
def _open_alerts(viewer: Viewer) -> None:
    engine = get_engine()
    st.subheader(viewer.t("Open alerts"))
    pending = alerts.list_alerts(engine, open_only=True)
    if not pending:
        st.info(viewer.t("No open alerts."))
        return
    st.caption(viewer.t("Acknowledging stops the escalation to the next lead."))
    for alert in pending:
        cols = st.columns([6, 1])
        name = viewer.t(alerttexts.title(alert.event))
        cols[0].markdown(f"**{escape_md(name)}** · {escape_md(_line(alert, viewer))}")
        level = f" · {viewer.t('Escalation level')} {alert.escalation_level}" if alert.escalation_level else ""
        cols[0].caption(escape_md(f"{when(alert.created_at, viewer.timezone)}{level}"))
        if cols[1].button(viewer.t("Acknowledge"), key=f"ack-{alert.id}"):
            try:
                alerts.acknowledge(engine, alert.id, by=viewer.name)
            except alerts.AlertError as exc:
                st.error(escape_md(plain_error(str(exc))))
                return
            st.rerun()


@live(REFRESH_S)
def _sent(viewer: Viewer) -> None:
    st.subheader(viewer.t("Notifications"))
    rows = [
        {
            viewer.t("When"): when(d.sent_at or d.created_at, viewer.timezone),
            viewer.t("Event"): viewer.t(alerttexts.title(a.event)),
            viewer.t("Subject"): _line(a, viewer),
            viewer.t("Channel"): d.channel,
            viewer.t("Recipients"): ", ".join(d.recipients),
            viewer.t("Status"): viewer.t(d.status),
            viewer.t("Attempts"): d.attempts,
            viewer.t("Escalation level"): d.escalation_level,
            viewer.t("Error"): d.last_error or "",
        }
        for d, a in alerts.list_deliveries(get_engine(), limit=300)
    ]
    if not rows:
        st.info(viewer.t("Nothing sent yet."))
        return
    st.dataframe(rows, hide_index=True, width="stretch")


def _line(alert: Alert, viewer: Viewer) -> str:
    """The alert's facts in the viewer's language and time zone (the stored subject is English, UTC)."""
    line, _body = alerttexts.render_alert(alert.id, alert.event, alert.details, alert.subject, alert.body,
                                          viewer.language, viewer.timezone)  # fmt: skip
    return line


def _settings(viewer: Viewer) -> None:
    engine = get_engine()
    st.subheader(viewer.t("My alert settings"))
    if st.session_state.pop(SAVED_KEY, False):
        st.success(viewer.t("Saved."))
    try:
        config: alertconfig.AlertConfig | None = alertconfig.load()
    except alertconfig.AlertConfigError as exc:
        config = None
        st.error(escape_md(f"{viewer.t('The alerts configuration has a problem')}: {exc}"))
    mine = alerts.settings_of(engine, viewer.name)
    contact = mine.contact
    hooks = sorted(config.webhooks) if config else []
    choices = ["", *hooks]
    current_hook = contact.webhook if contact and contact.webhook in hooks else ""
    with st.form("alert-settings"):
        email = st.text_input(viewer.t("E-mail address"), value=(contact.email if contact else None) or "")
        hook = st.selectbox(viewer.t("Webhook"), choices, index=choices.index(current_hook),
                            format_func=lambda name: name or viewer.t("none"))  # fmt: skip
        on_duty = contact.on_duty if contact else False
        if viewer.role == "lead":
            on_duty = st.checkbox(viewer.t("On duty (due and overdue updates reach me by default)"), value=on_duty)
        wanted: dict[tuple[str, str], bool] = {}
        shown: dict[tuple[str, str], bool] = {}
        head = st.columns([3, 1, 1])
        head[1].caption(viewer.t("E-mail"))
        head[2].caption(viewer.t("Webhook"))
        for event in EVENTS:
            cols = st.columns([3, 1, 1])
            cols[0].markdown(escape_md(viewer.t(alerttexts.title(event))))
            for col, channel in zip(cols[1:], alerts.CHANNELS, strict=True):
                default = event in DUTY_EVENTS and on_duty and viewer.role == "lead"
                value = mine.preferences.get((event, channel), default and channel == "email")
                shown[(event, channel)] = value
                wanted[(event, channel)] = col.checkbox(f"{event} {channel}", value=value, key=f"pref-{event}-{channel}",
                                                        label_visibility="collapsed")  # fmt: skip
        if not st.form_submit_button(viewer.t("Save")):
            return
    try:
        clear = tuple(name for name, value in (("email", email.strip()), ("webhook", hook)) if not value)
        alerts.set_contact(engine, viewer.name, by=viewer.name, email=email.strip() or None, webhook=hook or None,
                           on_duty=on_duty, clear=clear, config=config)  # fmt: skip
        for (event, channel), value in wanted.items():
            if shown[(event, channel)] != value:  # only what the person changed becomes their own choice
                alerts.set_preference(engine, viewer.name, event, channel, value, by=viewer.name)
    except (alerts.AlertError, alertconfig.AlertConfigError) as exc:
        st.error(escape_md(plain_error(str(exc))))
        return
    st.session_state[SAVED_KEY] = True
    st.rerun()
