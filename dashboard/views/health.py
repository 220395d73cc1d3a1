"""Sources: the account registry with its R12 warnings, feed health (R13), the official crisis feeds."""

from __future__ import annotations

import streamlit as st

from dashboard.guard import live, page
from dashboard.i18n import when
from dashboard.render import escape_md
from dashboard.state import Viewer, get_engine
from playbooks.workflow import crisisfeed, incidents
from sources.health import feed_health
from sources.registry import list_accounts, warnings_for

REFRESH_S = 10


@page()
def render(viewer: Viewer) -> None:
    engine = get_engine()
    st.title(viewer.t("Sources"))
    st.subheader(viewer.t("Account registry"))
    accounts = list_accounts(engine)
    for warning in warnings_for(accounts):
        st.warning(escape_md(warning))  # names and ids come from the registry file: text, not Markdown
    st.dataframe(
        [
            {
                "id": a.id,
                "name": a.name,
                "kind": a.kind,
                "platform": a.platform,
                "owner": a.owner,
                "administrators": ", ".join(a.administrators),
                "feed": a.feed.url,
            }
            for a in accounts
        ],
        hide_index=True,
        width="stretch",
    )
    _health()
    st.subheader(viewer.t("Official crisis feed"))
    for view in incidents.list_incidents(engine):
        cols = st.columns([4, 1, 1])
        cols[0].markdown(escape_md(f"#{view.incident.id} {view.incident.title}"))
        cols[1].download_button("Atom", crisisfeed.atom(engine, view.incident.id), f"incident-{view.incident.id}.atom",
                                mime="application/atom+xml", key=f"atom-{view.incident.id}", on_click="ignore")  # fmt: skip
        try:
            cap = crisisfeed.cap(engine, view.incident.id)
            cols[2].download_button("CAP", cap, f"incident-{view.incident.id}.cap.xml", mime="application/xml",
                                    key=f"cap-{view.incident.id}", on_click="ignore")  # fmt: skip
        except ValueError:
            cols[2].caption("CAP –")


@live(REFRESH_S)
def _health(viewer: Viewer) -> None:
    zone = viewer.timezone
    st.subheader(viewer.t("Feed health"))
    rows = [h.as_dict() | {"last_success": when(h.last_success, zone), "next_fetch": when(h.next_fetch, zone)}
            for h in feed_health(get_engine())]  # fmt: skip
    failing = [r for r in rows if r["status"] in ("failing", "dead", "stale")]
    if failing:
        st.error(escape_md(f"{len(failing)} feed(s) need attention: {', '.join(str(r['account']) for r in failing)}"))
    st.dataframe(rows, hide_index=True, width="stretch",
                 column_order=["account", "kind", "status", "last_success", "last_error", "last_latency_ms",
                               "consecutive_failures", "next_fetch", "posts"])  # fmt: skip
