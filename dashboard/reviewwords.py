"""The Review page in words (issue 13): scorecard lines and timeline events in the person's language and
time zone, values as people read them (minutes, percentages, counts; '–' for nothing), no hashes."""

from __future__ import annotations

import re
from typing import Any

from core.clock import ClockError, parse_instant
from dashboard import flagcards
from dashboard.i18n import when
from dashboard.state import Viewer

# scorecard key → what it measures (translated in dashboard/i18n.py)
LABELS = {
    "time_to_first_approved_message": "Time from opening to the first approved message",
    "time_to_first_website_copy": "Time from opening to the first website copy",
    "cadence_adherence": "Cadence intervals with a website update",
    "longest_gap_minutes": "Longest time without a website update",
    "website_parity": "Social media messages on the website in time",
    "unrouted_posts": "Official posts nobody approved",
    "contradictions": "Posts contradicting the approved messages",
    "rumours": "Rumours",
    "approval_latency_minutes": "Median time from submission to approval",
    "readability_lix": "Readability of the approved messages (LIX, lower is easier)",
    "account_activity": "Accounts that posted",
}
MINUTES = {"time_to_first_approved_message", "time_to_first_website_copy", "longest_gap_minutes",
           "approval_latency_minutes"}  # fmt: skip
SHARES = {"cadence_adherence", "website_parity"}
COUNTS = {"flagged": "flagged", "triaged": "triaged", "answered": "answered"}
# timeline event type → words
EVENTS = {
    "post": "Post", "flag": "Flag raised",
    "incident.open": "Incident opened", "incident.phase": "Phase changed", "incident.close": "Incident closed",
    "message.draft": "Message drafted", "message.submit": "Message submitted", "message.approve": "Message approved",
    "message.reject": "Message rejected", "message.publish": "Message published", "message.revise": "Message revised",
    "message.correct": "Correction written", "message.repeat": "Repeat written", "message.withdraw": "Draft withdrawn",
    "flag.assign": "Flag assigned", "flag.escalate": "Flag escalated", "flag.dismiss": "Flag dismissed",
    "flag.resolve": "Flag answered",
}  # fmt: skip
_HASHES = re.compile(r"(?:^|, )\w*hash\w*=[^,]*")
_FLAG = re.compile(r"^(\w+) \(")


def value_text(viewer: Viewer, key: str, value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, dict):
        return ", ".join(
            f"{value_text(viewer, '', v)} {viewer.t(COUNTS.get(str(k), str(k)))}" for k, v in value.items()
        )
    if key in MINUTES and isinstance(value, int | float):
        return f"{round(value)} min"
    if key in SHARES and isinstance(value, int | float):
        return f"{round(value * 100)} %"
    return str(value)


def scorecard_rows(viewer: Viewer, items: dict[str, dict[str, Any]]) -> list[dict[str, str]]:
    return [
        {viewer.t("Measure"): viewer.t(LABELS.get(key, item["label"])), viewer.t("Result"): value_text(viewer, key, item["value"]),
         viewer.t("Requirement"): item["rule"]}
        for key, item in items.items()
    ]  # fmt: skip


def event_rows(viewer: Viewer, events: list[dict[str, Any]]) -> list[dict[str, str]]:
    rows = []
    for event in events:
        kind = str(event["type"])
        summary = str(event.get("summary") or "")
        if kind == "flag" and (found := _FLAG.match(summary)):
            summary = flagcards.label(viewer, found.group(1))
        elif kind != "post":
            summary = _HASHES.sub("", summary).strip(", ")
        ref = str(event.get("ref") or "")
        rows.append({
            viewer.t("Time"): _local(str(event["at"]), viewer.timezone),
            viewer.t("Event"): viewer.t(EVENTS[kind]) if kind in EVENTS else kind,
            viewer.t("Who"): str(event.get("account") or "–"),
            viewer.t("What"): " ".join(summary.split()) or "–",
            viewer.t("Concerns"): "#" + ref.split(" ", 1)[1] if ref.startswith(("message ", "flag ", "incident ")) else "–",
        })  # fmt: skip
    return rows


def _local(at: str, zone: str) -> str:
    try:
        return when(parse_instant(at), zone)
    except ClockError:
        return at
