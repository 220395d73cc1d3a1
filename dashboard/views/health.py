"""Feed health (R13) and the registry's R12 warnings."""

from __future__ import annotations

import streamlit as st

from dashboard.state import get_engine
from sources.health import feed_health
from sources.registry import list_accounts, warnings_for

REFRESH_S = 10


def render() -> None:
    st.title("Sources")
    for warning in warnings_for(list_accounts(get_engine())):
        st.warning(warning)
    _health()


@st.fragment(run_every=REFRESH_S)
def _health() -> None:
    rows = [h.as_dict() for h in feed_health(get_engine())]
    failing = [r for r in rows if r["status"] in ("failing", "dead", "stale")]
    if failing:
        st.error(f"{len(failing)} feed(s) need attention: {', '.join(str(r['account']) for r in failing)}")
    st.dataframe(rows, hide_index=True, width="stretch")
