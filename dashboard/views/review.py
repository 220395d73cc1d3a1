"""Review: the record of the incident so far (the full post-incident review and exports come next)."""

from __future__ import annotations

from collections import Counter

import streamlit as st

from dashboard.state import current_user, get_engine
from playbooks import audit, flags, incidents


def render() -> None:
    viewer = current_user()
    if viewer is None:
        return
    engine = get_engine()
    st.title(viewer.t("Review"))
    result = audit.verify(engine)
    (st.success if result.ok else st.error)(
        f"audit chain {'ok' if result.ok else 'BROKEN'}: {result.records} records, head {result.head[:16]}…"
    )
    for view in incidents.list_incidents(engine):
        counts = Counter(v.flag.kind for v in flags.list_flags(engine, incident=view.incident.id, status="all"))
        st.markdown(f"**#{view.incident.id} {view.incident.title}** · {view.incident.phase} · "
                    + ", ".join(f"{k}: {n}" for k, n in sorted(counts.items())))  # fmt: skip
