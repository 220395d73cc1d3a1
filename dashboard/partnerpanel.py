"""The partner panel of the live monitor (issue 14, item 3): the national and partner warnings in force for
the organisation's area, newest first, with severity colour and expiry, a map of their areas (CAP polygons
and circles, NINA's GeoJSON), the test and exercise messages apart, and a new or updated warning announced
like a flag. Every text here is in dashboard/i18n.py."""

from __future__ import annotations

import html
import math
from datetime import datetime
from typing import Any

import plotly.graph_objects as go
import streamlit as st

from core.config import database_url
from dashboard.i18n import when
from dashboard.render import escape_md
from dashboard.state import Viewer, get_engine
from playbooks.workflow import partners as partner_flags

REFRESH_S = 5
SHOWN = 10
# CAP severity → Streamlit's Markdown colours, most severe first.
SEVERITY_COLOURS = {"Extreme": "red", "Severe": "red", "Moderate": "orange", "Minor": "blue", "Unknown": "gray"}
MAP_COLOURS = {"Extreme": "#b71c1c", "Severe": "#e53935", "Moderate": "#fb8c00", "Minor": "#1e88e5"}
SEEN_KEY = "partner-warnings-seen"
CIRCLE_POINTS = 36


@st.cache_data(ttl=REFRESH_S, show_spinner=False)
def _state(database: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The warnings in force and the test/exercise messages, as plain data shared by every session."""
    state = partner_flags.active_warnings(get_engine())
    return [w.as_dict() for w in state.active], [w.as_dict() for w in state.tests]


def severity_badge(viewer: Viewer, severity: str | None) -> str:
    key = severity if severity in SEVERITY_COLOURS else "Unknown"
    return f":{SEVERITY_COLOURS[key]}-background[{escape_md(viewer.t(key))}]"


def line(viewer: Viewer, warning: dict[str, Any]) -> str:
    """One warning as one Markdown line: severity, headline, who sent it, until when."""
    expires = warning.get("expires")
    until = (f"{viewer.t('expires')} {when(_instant(expires), viewer.timezone)}" if expires
             else viewer.t("no expiry given"))  # fmt: skip
    sender = warning.get("sender_name") or warning.get("account_name") or ""
    update = f" · {viewer.t('update')}" if (warning.get("msg_type") or "").lower() == "update" else ""
    return (f"{severity_badge(viewer, warning.get('severity'))} **{escape_md(warning.get('headline') or '')}** · "
            f"{escape_md(sender)} · {escape_md(until)}{update}")  # fmt: skip


def _instant(value: str) -> datetime:
    return datetime.fromisoformat(value)


def circle_ring(lat: float, lon: float, km: float) -> list[list[float]]:
    """A CAP circle as a ring of points (for the map), at least 200 m across so that it can be seen."""
    km = max(km, 0.1)
    dlat = km / 111.2
    dlon = km / (111.2 * max(math.cos(math.radians(lat)), 0.01))
    return [
        [lat + dlat * math.sin(2 * math.pi * i / CIRCLE_POINTS), lon + dlon * math.cos(2 * math.pi * i / CIRCLE_POINTS)]
        for i in range(CIRCLE_POINTS + 1)
    ]


def shapes(warning: dict[str, Any]) -> list[list[list[float]]]:
    """Every area of a warning as rings of [lat, lon]: its polygons and its circles."""
    rings: list[list[list[float]]] = []
    for area in warning.get("areas") or []:
        rings.extend(area.get("polygons") or [])
        rings.extend(circle_ring(*circle) for circle in area.get("circles") or [])
    return rings


def area_map(warnings: list[dict[str, Any]]) -> go.Figure | None:
    """A map of the warnings' areas (plotly, MapLibre tiles), or None when no warning gives a geometry."""
    fig = go.Figure()
    lats: list[float] = []
    lons: list[float] = []
    for warning in warnings:
        colour = MAP_COLOURS.get(warning.get("severity") or "", "#757575")
        for index, ring in enumerate(shapes(warning)):
            lat, lon = [p[0] for p in ring], [p[1] for p in ring]
            lats.extend(lat)
            lons.extend(lon)
            # Plotly reads tags (<a href>, <b>) and entities in a name: the feed's headline is escaped, as text.
            fig.add_trace(go.Scattermap(lat=lat, lon=lon, mode="lines", fill="toself", line={"color": colour},
                                        name=html.escape(str(warning.get("headline") or "")[:60], quote=False),
                                        showlegend=index == 0,
                                        hoverinfo="name"))  # fmt: skip
    if not lats:
        return None
    centre = {"lat": (min(lats) + max(lats)) / 2, "lon": (min(lons) + max(lons)) / 2}
    span = max(max(lats) - min(lats), max(lons) - min(lons), 0.01)
    zoom = max(1.0, min(12.0, math.log2(360 / span) - 1))
    fig.update_layout(map={"style": "open-street-map", "center": centre, "zoom": zoom}, height=320,
                      margin={"t": 0, "b": 0, "l": 0, "r": 0}, legend={"orientation": "h"})  # fmt: skip
    return fig


def announce(viewer: Viewer, active: list[dict[str, Any]]) -> None:
    """A warning new or updated since this session last looked is announced (a toast, like a new flag);
    on the session's first look, what is already in force is simply shown."""
    current = {f"{w['post']}:{w.get('version')}:{w['updated_at']}": w for w in active}
    seen = st.session_state.get(SEEN_KEY)
    st.session_state[SEEN_KEY] = set(current)
    if seen is None:
        return
    for key, warning in current.items():
        if key not in seen:
            # A toast is Markdown: the headline is the feed's text, shown as text.
            headline = escape_md(str(warning.get("headline") or ""))
            st.toast(f"{viewer.t('New or updated partner warning')}: {headline}", icon="⚠️")


def render(viewer: Viewer) -> None:
    active, tests = _state(database_url())
    st.subheader(viewer.t("Partner warnings"))
    announce(viewer, active)
    if not active:
        st.caption(viewer.t("No active partner warnings for our area."))
    else:
        st.markdown("\n\n".join(line(viewer, w) for w in active[:SHOWN]))
        if len(active) > SHOWN:
            st.caption(f"+{len(active) - SHOWN} {viewer.t('more')}")
        figure = area_map(active)
        if figure is not None:
            st.plotly_chart(figure, width="stretch", key="partner-map")
    if tests:
        with st.expander(f"{viewer.t('Test and exercise messages (not warnings)')}: {len(tests)}"):
            st.markdown("\n\n".join(
                f"`{escape_md(viewer.t(w.get('category') or 'test'))}` {escape_md(w.get('headline') or '')}"
                for w in tests[:SHOWN]
            ))  # fmt: skip
