"""The Review page in words (issue 13): scorecard lines and timeline events in the person's language and
time zone, values as people read them (minutes, percentages, counts; '–' for nothing), no hashes."""

from __future__ import annotations

from typing import Any

from core.clock import ClockError, parse_instant
from dashboard.i18n import when
from dashboard.state import Viewer
from playbooks.review import words
from playbooks.review.words import EVENTS, LABELS


def scorecard_rows(viewer: Viewer, items: dict[str, dict[str, Any]]) -> list[dict[str, str]]:
    return [
        {viewer.t("Measure"): viewer.t(LABELS.get(key, item["label"])), viewer.t("Result"): words.value_text(key, item["value"], viewer.language),
         viewer.t("Requirement"): item["rule"]}
        for key, item in items.items()
    ]  # fmt: skip


def event_rows(viewer: Viewer, events: list[dict[str, Any]]) -> list[dict[str, str]]:
    rows = []
    for event in events:
        kind = str(event["type"])
        summary = words.event_summary(event, viewer.language)
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
