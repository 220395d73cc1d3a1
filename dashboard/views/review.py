"""Review: the scorecard and timeline of an incident, every export as a download (R7, R14, R15, R20)."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import streamlit as st

from dashboard import flagcards, reviewwords
from dashboard.guard import page
from dashboard.i18n import when
from dashboard.render import escape_md
from dashboard.state import Viewer, get_engine
from playbooks.review import bundlewriter, exports, scorecard
from playbooks.workflow import audit, flags, incidents

TIMELINE_ROWS = 1000
# Above this many posts the downloads are not made in the dashboard's memory (tens of MB for each reader
# who asks); `crisisdesk export … --format zip` streams them to a file instead.
DOWNLOAD_MAX_POSTS = 100_000
CSV_TABLES = ("scorecard", "timeline", "messages", "flags", "posts", "audit")  # the order of the buttons


@st.cache_data(ttl=60, show_spinner="Computing the review…")
def _review(url: str, incident_id: int) -> tuple[dict[str, Any], int, list[dict[str, Any]]]:
    """Scorecard, the number of timeline events and the latest of them, computed once a minute at most: for
    a large incident they take seconds (see docs/review.md), too much for every click on the page; only
    the rows shown are kept. `url` keys the cache per database."""
    engine = get_engine()
    record = scorecard.load(engine, incident_id)
    count, latest = scorecard.timeline_tail(engine, incident_id, TIMELINE_ROWS, record)
    return scorecard.scorecard(engine, incident_id, record).items, count, latest


@page("review.read")
def render(viewer: Viewer) -> None:
    engine = get_engine()
    st.title(viewer.t("Review"))
    _audit(viewer)
    views = incidents.list_incidents(engine)
    if not views:
        st.info(viewer.t("No incident yet."))
        _check_archive(viewer)
        return
    labels = {v.incident.id: f"#{v.incident.id} {v.incident.title}" for v in views}
    options: list[int] = list(labels)
    incident_id = (
        st.selectbox(viewer.t("Incident"), options, index=len(options) - 1, format_func=lambda i: labels[i])
        or options[-1]
    )
    if next(v for v in views if v.incident.id == incident_id).incident.exercise:
        st.warning(viewer.t("Exercise: this incident was practice, not a real event."))
    items, count, events = _review(str(engine.url), incident_id)
    st.subheader(viewer.t("Scorecard"))
    st.dataframe(reviewwords.scorecard_rows(viewer, items), hide_index=True, width="stretch")
    st.subheader(viewer.t("Timeline"))
    st.caption(
        f"{count} {viewer.t('events')}"
        + (f" · {viewer.t('the latest shown, all in the exports')}: {TIMELINE_ROWS}" if count > TIMELINE_ROWS else "")
    )
    st.dataframe(reviewwords.event_rows(viewer, events), hide_index=True, width="stretch", height=320)
    _flags(viewer, incident_id)
    _exports(viewer, incident_id)
    _check_archive(viewer)


def _audit(viewer: Viewer) -> None:
    """The audit trail checked now, against the head signed with the desk's key (kept outside the database)."""
    result = audit.verify(get_engine())
    signed = result.checkpoint
    if result.ok:
        text = f"{viewer.t('The audit trail is intact')}: {result.records} {viewer.t('records')}"
        if signed:
            text += f"; {viewer.t('signed by the desk up to record')} {signed['seq']}"
        st.success(escape_md(text))
    else:
        st.error(escape_md(f"{viewer.t('The audit trail is broken')}: {result.records} {viewer.t('records')}"))
        st.markdown("\n".join(f"- {escape_md(problem)}" for problem in result.problems))
    with st.expander(viewer.t("The signed head (for specialists)")):
        st.text(f"head {result.head}")
        if signed:
            st.text(f"seq {signed['seq']} · key {signed['key_id']}\nsigned head {signed['head']}\n"
                    f"signature {signed['signature']}\npublic key {signed['public_key']}")  # fmt: skip
        else:
            st.caption(viewer.t("No signed head yet."))


def _check_archive(viewer: Viewer) -> None:
    """A bundle someone hands back (from the council, an archive): is it whole and signed by this desk?"""
    st.subheader(viewer.t("Check an archive"))
    upload = st.file_uploader(viewer.t("An archive (zip) downloaded from this desk"), type=["zip"],
                              key="verify-upload")  # fmt: skip
    if upload is None:
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "archive.zip"
        path.write_bytes(upload.getvalue())
        problems = [p.replace(str(path), upload.name) for p in exports.verify_archive(path)]
    if not problems:
        st.success(escape_md(f"{upload.name}: {viewer.t('whole, unchanged and signed by this desk.')}"))
        return
    st.error(escape_md(f"{upload.name}: {viewer.t('this archive does not check out.')}"))
    st.markdown("\n".join(f"- {escape_md(problem)}" for problem in problems))


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


def _prepare(incident_id: int, lang: str, zone: str) -> dict[str, Any]:
    """The bundle, built once; every other download is one of its members (the same bytes as exported alone)."""
    engine = get_engine()
    posts = exports.post_count(engine, incident_id)
    if posts > DOWNLOAD_MAX_POSTS:
        return {"incident": incident_id, "posts": posts}
    try:  # the PDF is made here, without a browser, in the reader's language and time zone
        data = bundlewriter.bundle(engine, incident_id, lang, zone=zone)
    except exports.ExportError:
        data = bundlewriter.bundle(engine, incident_id, lang, with_pdf=False, zone=zone)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        return {
            "incident": incident_id, "zip": data, "json": archive.read("review.json"), "md": archive.read("review.md"),
            "pdf": archive.read("review.pdf") if "review.pdf" in names else None,
            "csv": {f"{table}.csv": archive.read(f"csv/{table}.csv") for table in CSV_TABLES},
        }  # fmt: skip


def _exports(viewer: Viewer, incident_id: int) -> None:
    """Every export as a download, made on the server: nothing to run in a terminal."""
    lang = viewer.language if viewer.language in exports.HEADINGS else "en"
    st.subheader(viewer.t("Downloads"))
    if st.button(viewer.t("Prepare exports"), key="prepare-exports"):
        st.session_state["review-exports"] = _prepare(incident_id, lang, viewer.timezone)
    ready = st.session_state.get("review-exports")
    if ready and ready.get("incident") == incident_id and "posts" in ready:
        # Too large to hold in this server's memory for every reader: the command writes it to a file.
        st.info(escape_md(f"{ready['posts']} {viewer.t('posts: too many to prepare here. On the server, run')} "
                          f"crisisdesk export {incident_id} --format zip --out incident-{incident_id}.zip"))  # fmt: skip
        return
    if not ready or ready.get("incident") != incident_id:
        return
    name = f"incident-{incident_id}"
    # on_click="ignore": a click downloads and nothing else; a rerun on the click could replace the file
    # while the browser still fetches it (seen as a cancelled download on a loaded machine).
    cols = st.columns(4)
    if ready["pdf"] is not None:
        cols[0].download_button(
            "PDF", ready["pdf"], f"{name}.pdf", mime="application/pdf", key="dl-pdf", on_click="ignore"
        )
    else:
        cols[0].warning(viewer.t("The PDF could not be made on this server; the other downloads work."))
    cols[1].download_button(
        "JSON", ready["json"], f"{name}.json", mime="application/json", key="dl-json", on_click="ignore"
    )
    cols[2].download_button("Markdown", ready["md"], f"{name}.md", mime="text/markdown", key="dl-md", on_click="ignore")
    cols[3].download_button(
        viewer.t("Archive (zip)"), ready["zip"], f"{name}.zip", mime="application/zip", key="dl-zip", on_click="ignore"
    )
    st.caption(viewer.t("Tables as CSV"))
    tables = st.columns(len(ready["csv"]))
    for col, (file, data) in zip(tables, ready["csv"].items(), strict=True):
        col.download_button(f"CSV: {viewer.t(file.removesuffix('.csv'))}", data, f"{name}-{file}", mime="text/csv",
                            key=f"dl-{file}", on_click="ignore")  # fmt: skip
