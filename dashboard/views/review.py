"""Review: the scorecard and timeline of an incident, every export as a download (R7, R14, R15, R20)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from dashboard import flagcards
from dashboard.guard import page
from dashboard.i18n import when
from dashboard.state import Viewer, get_engine
from playbooks.review import exports, scorecard
from playbooks.workflow import audit, flags, incidents

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
    _flags(viewer, incident_id)
    _exports(viewer, incident_id)


def _flags(viewer: Viewer, incident_id: int) -> None:
    """The incident's flags, with those of no incident raised while it was open (a look-alike account)."""
    st.subheader(viewer.t("Flags"))
    rows = [
        {viewer.t("Flag"): flagcards.label(viewer, v.flag.kind), viewer.t("Account"): v.account,
         viewer.t("Time"): when(v.flag.created_at, viewer.timezone), viewer.t("Status"): viewer.t(v.flag.status),
         viewer.t("Post"): (v.title or v.text)[:120]}
        for v in flags.for_review(get_engine(), incident_id)
    ]  # fmt: skip
    if rows:
        st.dataframe(rows, hide_index=True, width="stretch")
    else:
        st.caption(viewer.t("No flags."))


def _exports(viewer: Viewer, incident_id: int) -> None:
    """Every export as a download, made on the server: nothing to run in a terminal."""
    engine = get_engine()
    lang = viewer.language if viewer.language in exports.HEADINGS else "en"
    st.subheader(viewer.t("Downloads"))
    if st.button(viewer.t("Prepare exports"), key="prepare-exports"):
        doc = exports.document(engine, incident_id)
        made: dict[str, Any] = {
            "incident": incident_id, "json": exports.to_json(doc), "md": exports.to_markdown(doc, lang).encode("utf-8"),
            "csv": exports.csv_tables(doc), "zip": exports.bundle(engine, incident_id, lang, with_pdf=False),
        }  # fmt: skip
        try:
            made["pdf"] = exports.to_pdf(doc, lang)
        except exports.ExportError:
            made["pdf"] = None
        st.session_state["review-exports"] = made
    ready = st.session_state.get("review-exports")
    if not ready or ready.get("incident") != incident_id:
        return
    name = f"incident-{incident_id}"
    cols = st.columns(4)
    if ready["pdf"] is not None:
        cols[0].download_button("PDF", ready["pdf"], f"{name}.pdf", mime="application/pdf", key="dl-pdf")
    else:
        cols[0].warning(viewer.t("The PDF could not be made on this server; the other downloads work."))
    cols[1].download_button("JSON", ready["json"], f"{name}.json", mime="application/json", key="dl-json")
    cols[2].download_button("Markdown", ready["md"], f"{name}.md", mime="text/markdown", key="dl-md")
    cols[3].download_button(
        viewer.t("Archive (zip)"), ready["zip"], f"{name}.zip", mime="application/zip", key="dl-zip"
    )
    st.caption(viewer.t("Tables as CSV"))
    tables = st.columns(len(ready["csv"]))
    for col, (file, data) in zip(tables, ready["csv"].items(), strict=True):
        col.download_button(f"CSV: {viewer.t(file.removesuffix('.csv'))}", data, f"{name}-{file}", mime="text/csv",
                            key=f"dl-{file}")  # fmt: skip
