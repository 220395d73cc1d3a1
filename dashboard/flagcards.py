"""Flag cards that speak to people: a plain label and one line of explanation per kind, the evidence in
words, the rule and the score only in a tooltip (issue 13). Every text here is in dashboard/i18n.py."""

from __future__ import annotations

from typing import Any

from dashboard.render import escape_md
from dashboard.state import Viewer

# kind → (label, one line of explanation)
KINDS: dict[str, tuple[str, str]] = {
    "unrouted": ("Official post nobody approved",
                 "One of our official accounts posted this, but no approved message says it."),
    "inconsistent": ("Contradicts the approved message",
                     "This post says something different from what was approved."),
    "rumour": ("Rumour", "An unconfirmed claim about the incident is spreading."),
    "missing_on_website": ("Not yet on the website",
                           "An approved message went out on social media, but the website has not carried it in time."),
    "impersonation": ("Look-alike account", "An account that is not ours speaks in the organisation's name."),
    "contradicts_partner": ("Contradicts a partner warning",
                            "Our text says something different from a national or partner warning in force for our area."),
}  # fmt: skip
STATUSES = ("open", "assigned", "escalated", "dismissed", "resolved")
# The English sentences the checks write in `why`, so that they can be shown in the person's language.
WHY = ("the name is the organisation's, with generic words", "the post speaks in the organisation's name")


def label(viewer: Viewer, kind: str) -> str:
    return viewer.t(KINDS[kind][0]) if kind in KINDS else kind


def explanation(viewer: Viewer, kind: str) -> str:
    return viewer.t(KINDS[kind][1]) if kind in KINDS else ""


def tooltip(viewer: Viewer, rule: str, score: float) -> str:
    """What the checks technically found, for whoever wants to know: the rule and the score."""
    return f"{viewer.t('Rule')} {rule} · {viewer.t('score')} {score:.2f}"


def evidence_lines(viewer: Viewer, evidence: dict[str, Any]) -> list[str]:
    """The evidence as sentences (escaped Markdown), never as keys and raw values."""
    t = viewer.t
    lines: list[str] = []
    if evidence.get("closest_message") is not None:
        lines.append(f"{t('Closest approved message')}: #{int(evidence['closest_message'])}")
    if evidence.get("shared_words") is not None:
        share = round(float(evidence["shared_words"]) * 100)
        lines.append(f"{t('Words shared with it')}: {share} %")
    if evidence.get("facts_changed"):
        changed = evidence["facts_changed"]
        shown = ", ".join(map(str, changed)) if isinstance(changed, list) else ""
        lines.append(t("Facts differ from the approved message") + (f": {shown}" if shown else ""))
    if evidence.get("revised_since"):
        lines.append(t("The approved message has been revised since"))
    if evidence.get("cues"):
        words = [c.split(": ", 1)[-1] for c in evidence["cues"]]
        lines.append(f"{t('Rumour cues')}: {', '.join(words)}")
    if evidence.get("ngrams"):
        lines.append(f"{t('Typical rumour phrasing')}: {', '.join(map(str, evidence['ngrams'][:5]))}")
    if evidence.get("account_name"):
        lines.append(f"{t('Account name')}: {evidence['account_name']}")
    if evidence.get("why"):
        why = str(evidence["why"])
        lines.append(t(why[:1].upper() + why[1:]) if why in WHY else why)
    if evidence.get("quote"):
        lines.append(f"{t('In the post')}: “{evidence['quote']}”")
    if evidence.get("waited_minutes") is not None:
        lines.append(f"{t('Waiting for the website copy for')} {int(evidence['waited_minutes'])} min")
    if "website_copy" in evidence:
        copy = evidence["website_copy"]
        lines.append(
            f"{t('Website copy came late, at')} {copy[11:16]}" if copy else t("The website has not carried it yet")
        )
    for conflict in evidence.get("conflicts", []):
        if conflict.get("superseded_by") is not None:
            lines.append(
                f"{t('Approved message')} #{conflict.get('approved')}: "
                f"{t('this value was replaced by message')} #{conflict['superseded_by']}"
            )
    if evidence.get("partner_headline"):
        sender = f" ({evidence['partner_sender']})" if evidence.get("partner_sender") else ""
        lines.append(f"{t('Partner warning')}: {evidence['partner_headline']}{sender}")
    if evidence.get("about"):
        lines.append(f"{t('Why it concerns the incident')}: {'; '.join(map(str, evidence['about']))}")
    return [escape_md(line) for line in lines]


def conflict_table(viewer: Viewer, evidence: dict[str, Any]) -> str | None:
    """The contradicting facts side by side: what the post says, what was approved."""
    if evidence.get("partner_conflicts"):
        return partner_table(viewer, evidence)
    conflicts = evidence.get("conflicts") or []
    if not conflicts:
        return None
    head = f"| {escape_md(viewer.t('The post says'))} | {escape_md(viewer.t('Approved'))} |"
    rows = [f"| {_cell(c.get('post_text', ''))} | {_cell(c.get('approved_text', ''))} |" for c in conflicts]
    return "\n".join([head, "| --- | --- |", *rows])


def partner_table(viewer: Viewer, evidence: dict[str, Any]) -> str:
    """Our text and the partner warning side by side (issue 14): the facts that differ, then the whole texts."""
    head = f"| {escape_md(viewer.t('We say'))} | {escape_md(viewer.t('The partner warning says'))} |"
    rows = [f"| {_cell(c.get('our_text', ''))} | {_cell(c.get('partner_text', ''))} |"
            for c in evidence.get("partner_conflicts", [])]  # fmt: skip
    whole = (
        f"| {_cell(str(evidence.get('our_text', ''))[:600])} | {_cell(str(evidence.get('partner_text', ''))[:600])} |"
    )
    return "\n".join([head, "| --- | --- |", *rows, whole])


def status_line(viewer: Viewer, status: str, assigned_to: str | None) -> str:
    parts = [viewer.t(status)]
    if assigned_to:
        parts.append(f"{viewer.t('assigned to')} {assigned_to}")
    return escape_md(" · ".join(parts))


def _cell(text: object) -> str:
    return escape_md(" ".join(str(text).split()))
