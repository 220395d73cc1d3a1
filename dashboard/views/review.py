"""Review: the scorecard and timeline of an incident, every export as a download (R7, R14, R15, R20)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from dashboard.guard import page
from dashboard.state import Viewer, get_engine
from playbooks.review import exports, scorecard
from playbooks.workflow import audit, incidents

TIMELINE_ROWS = 1000


@st.cache_data(ttl=60, show_spinner="Computing the review…")
def _review(url: str, incident_id: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Scorecard and timeline, computed once a minute at most: for a large incident they take seconds
    (see docs/review.md), too much for every click on the page. `url` keys the cache per database."""
    engine = get_engine()
    record = scorecard.load(engine, incident_id)
    return scorecard.scorecard(engine, incident_id, record).items, scorecard.timeline(engine, incident_id, record)


@page("review.read")
def render(viewer: Viewer) -> None:
    engine = get_engine()
    st.title(viewer.t("Review"))
    result = audit.verify(engine)
    (st.success if result.ok else st.error)(  # only numbers and a hex digest: nothing from outside
        f"audit chain {'ok' if result.ok else 'BROKEN'}: {result.records} records, head {result.head[:16]}…"
    )
    views = incidents.list_incidents(engine)
    if not views:
        st.info(viewer.t("No open incident."))
        return
    labels = {v.incident.id: f"#{v.incident.id} {v.incident.title}" for v in views}
    options: list[int] = list(labels)
    incident_id = (
        st.selectbox(viewer.t("Incident"), options, index=len(options) - 1, format_func=lambda i: labels[i])
        or options[-1]
    )
    items, events = _review(str(engine.url), incident_id)
    st.dataframe(
        [{"": item["label"], "rule": item["rule"], "value": str(item["value"])} for item in items.values()],
        hide_index=True, width="stretch",
    )  # fmt: skip
    st.caption(
        f"{len(events)} events"
        + (f", the latest {TIMELINE_ROWS} shown (all in the exports)" if len(events) > TIMELINE_ROWS else "")
    )
    st.dataframe(events[-TIMELINE_ROWS:], hide_index=True, width="stretch", height=320)
    lang = viewer.language if viewer.language in exports.HEADINGS else "en"
    if st.button("Prepare exports", key="prepare-exports"):
        doc = exports.document(engine, incident_id)
        st.session_state["review-exports"] = {
            "json": exports.to_json(doc), "md": exports.to_markdown(doc, lang).encode("utf-8"),
            "zip": exports.bundle(engine, incident_id, lang, with_pdf=False),
        }  # fmt: skip
    ready = st.session_state.get("review-exports")
    if ready:
        cols = st.columns(3)
        cols[0].download_button("JSON", ready["json"], f"incident-{incident_id}.json", mime="application/json")
        cols[1].download_button("Markdown", ready["md"], f"incident-{incident_id}.md", mime="text/markdown")
        cols[2].download_button("Archive (zip)", ready["zip"], f"incident-{incident_id}.zip", mime="application/zip")
        st.caption("PDF: crisisdesk export ID --format pdf (printed by Chromium on the server)")
