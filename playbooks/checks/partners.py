"""Consistency with partners (issue 14, item 4): does our text contradict a national or partner warning
in force for our area? An instruction of opposite polarity ("open your windows" while the warning says
keep them closed), another time, another place.

The facts are read by the checks' own extraction (`facts.extract`) and weighed by `compare.conflicts`,
exactly as our posts are compared with our approved messages; the partner warning stands where the
approved message stands there. Plain statements (claims) are left out: a warning's long description
shares words with almost anything said about the same event without contradicting it. Pure: text in,
evidence out.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from playbooks.checks import compare, facts
from sources.language import LANGUAGES, detect

RULE = "R1"  # one coherent picture: the unit never contradicts the national warning
MAX_TEXT = 4_000  # characters of each text kept as evidence


@dataclass(frozen=True)
class PartnerText:
    """A partner warning as the check reads it: its words (in our language when it came in it)."""

    post_id: int
    identifier: str
    headline: str
    text: str
    language: str | None
    sender: str | None = None
    severity: str | None = None


@lru_cache(maxsize=1024)
def _facts(text: str, language: str) -> tuple[facts.Fact, ...]:
    return tuple(f for f in facts.extract(text, language) if f.slot != "claim")


def _language(text: str, language: str | None) -> str:
    short = (language or "").lower().split("-")[0]
    return short if short in LANGUAGES else (detect(text) or "en")


def contradictions(text: str, language: str | None, partner: PartnerText) -> list[compare.Conflict]:
    """The facts of `text` that contradict the partner warning's facts about the same thing."""
    ours = _facts(text, _language(text, language))
    theirs = _facts(partner.text, _language(partner.text, partner.language))
    if not ours or not theirs:
        return []
    return compare.conflicts(list(ours), list(theirs))


def evidence(text: str, partner: PartnerText, found: list[compare.Conflict]) -> dict[str, Any]:
    """What a person needs to judge it: both texts side by side and the facts that differ."""
    return {
        "partner_post": partner.post_id, "partner_identifier": partner.identifier,
        "partner_headline": partner.headline, "partner_sender": partner.sender,
        "partner_severity": partner.severity, "partner_text": partner.text[:MAX_TEXT], "our_text": text[:MAX_TEXT],
        "partner_conflicts": [
            {"kind": c.kind, "ours": c.post, "partner": c.approved, "our_text": c.post_text,
             "partner_text": c.approved_text}
            for c in found
        ],
    }  # fmt: skip


def score(found: list[compare.Conflict]) -> float:
    return round(min(0.99, 0.8 + 0.05 * len(found)), 4)
