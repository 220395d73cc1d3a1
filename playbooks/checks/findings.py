"""The checks (R1, R2, R4, R5): what a post is about, and what is wrong with it, explained.

`evaluate` is pure (text in, findings out) so that the poller, `crisisdesk check` and the evaluation
share one implementation; `playbooks.workflow.flags` stores its findings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from playbooks.checks import facts, rumour
from playbooks.checks.matching import CARRY_SHARE, share_of, tokens
from playbooks.checks.terms import matched_keywords, words

OFFICIAL = ("website", "social", "alert")
RULE = {"rumour": "R2", "inconsistent": "R1", "unrouted": "R1", "missing_on_website": "R4", "impersonation": "R5"}
CLAIM_VERBS = (
    "informerar", "meddelar", "uppmanar", "varnar", "tiedottaa", "ilmoittaa", "kehottaa", "informiert", "teilt mit",
    "warnt", "meldt", "informeert", "waarschuwt", "informs", "announces", "warns", "officiell", "virallinen",
    "offiziell", "officieel", "official",
)  # fmt: skip
RELAY = ("enligt", "according to", "laut", "volgens", "mukaan", "citing", "via")


@dataclass(frozen=True)
class ApprovedMessage:
    id: int
    text: str
    language: str
    approved_at: datetime
    replaced_at: datetime | None = None  # when a newer approved version took its place
    facts: tuple[facts.Fact, ...] = ()
    words: frozenset[str] = frozenset()

    @classmethod
    def of(
        cls, id: int, text: str, language: str, approved_at: datetime, replaced_at: datetime | None = None
    ) -> ApprovedMessage:
        return cls(id, text, language, approved_at, replaced_at, tuple(facts.extract(text)), frozenset(tokens(text)))

    def live_at(self, moment: datetime) -> bool:
        return self.approved_at <= moment and (self.replaced_at is None or self.replaced_at > moment)


@dataclass(frozen=True)
class IncidentContext:
    id: int
    keywords: tuple[str, ...]
    opened_at: datetime
    messages: tuple[ApprovedMessage, ...]


@dataclass
class Finding:
    kind: str
    score: float
    incident: int | None
    message: int | None = None
    evidence: dict[str, Any] = field(default_factory=dict)

    @property
    def rule(self) -> str:
        return RULE[self.kind]


@dataclass(frozen=True)
class PostView:
    text: str
    published: datetime
    account_kind: str | None  # None: an account the registry does not know
    account_name: str = ""
    language: str | None = None


def about(post: PostView, incident: IncidentContext) -> list[str]:
    """Why the post is about the incident: the keywords it uses, or the approved message it carries."""
    reasons = matched_keywords(post.text, incident.keywords)
    if not reasons:
        post_words = tokens(post.text)
        for message in incident.messages:
            if share_of(post_words, message.words) >= CARRY_SHARE:
                reasons.append(f"message {message.id}")
                break
    return reasons


def evaluate(post: PostView, incidents: list[IncidentContext], organisation: str) -> list[Finding]:
    findings: list[Finding] = []
    scored = rumour.score(post.text, post.language)
    first_about: int | None = None
    for incident in incidents:
        if post.published < incident.opened_at:
            continue
        reasons = about(post, incident)
        if not reasons:
            continue
        first_about = first_about or incident.id
        if scored.is_rumour:
            findings.append(Finding("rumour", scored.score, incident.id, evidence={
                "cues": scored.cues, "language": scored.language, "about": reasons}))  # fmt: skip
        live = [m for m in incident.messages if m.live_at(post.published)]
        conflicts = _conflicts(post.text, live)
        if conflicts:
            message_id, found = conflicts
            findings.append(Finding("inconsistent", min(0.99, 0.75 + 0.1 * len(found)), incident.id, message_id,
                                    evidence={"conflicts": [c.as_dict() for c in found], "about": reasons}))  # fmt: skip
        if post.account_kind in OFFICIAL:
            approved_before = [m for m in incident.messages if m.approved_at <= post.published]
            post_words = tokens(post.text)
            best = max(approved_before, key=lambda m: share_of(post_words, m.words), default=None)
            overlap = share_of(post_words, best.words) if best else 0.0
            # Routed: a faithful version of an approved message, i.e. its words and none of its facts changed.
            altered = bool(best and facts.conflicts(facts.extract(post.text), list(best.facts)))
            if overlap < CARRY_SHARE or altered:
                findings.append(Finding("unrouted", round(1 - overlap, 3) if not altered else 0.9, incident.id,
                                        best.id if best else None,
                                        evidence={"closest_message": best.id if best else None,
                                                  "shared_words": round(overlap, 3), "facts_changed": altered,
                                                  "about": reasons}))  # fmt: skip
    if post.account_kind not in OFFICIAL:
        claim = impersonation(post, organisation)
        if claim:
            findings.append(Finding("impersonation", claim[0], first_about, evidence=claim[1]))
    return findings


def _conflicts(text: str, messages: list[ApprovedMessage]) -> tuple[int, list[facts.Conflict]] | None:
    post_facts = facts.extract(text)
    if not post_facts:
        return None
    for message in sorted(messages, key=lambda m: m.approved_at, reverse=True):
        found = facts.conflicts(post_facts, list(message.facts))
        if found:
            return message.id, found
    return None


def _normal(text: str) -> list[str]:
    return words(re.sub(r"[-_.]", " ", text))


def _close(a: str, b: str) -> bool:
    if a == b:
        return True
    if min(len(a), len(b)) < 4 or abs(len(a) - len(b)) > 1:
        return False
    # One substitution, insertion or deletion: "Torsbv", "Torsbyy".
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def impersonation(post: PostView, organisation: str) -> tuple[float, dict[str, Any]] | None:
    org = _normal(organisation)
    if not org:
        return None
    name = _normal(post.account_name)
    if name and all(any(_close(o, n) for n in name) for o in org):
        return 0.9, {
            "account_name": post.account_name,
            "organisation": organisation,
            "why": "the account's name is the organisation's",
        }
    lowered = post.text.lower()
    pattern = r"\s+".join(re.escape(o) for o in org)
    for match in re.finditer(pattern, lowered):
        before = lowered[max(0, match.start() - 25) : match.start()]
        after = lowered[match.end() : match.end() + 25]
        if any(r in before for r in RELAY):
            continue
        if any(verb in after for verb in CLAIM_VERBS) or (match.start() < 3 and after.lstrip().startswith(":")):
            return 0.8, {"account_name": post.account_name, "organisation": organisation,
                         "why": "the post speaks in the organisation's name",
                         "quote": post.text[match.start() : match.end() + 25].strip()}  # fmt: skip
    return None
