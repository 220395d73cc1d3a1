"""Whose word a post passes on: "hat die Stadt gesagt", "Kommunen skriver att…", "according to the council".

During an incident a public body speaks of the incident: a watched post that relays what the municipality,
the police or the rescue service said is about the incident even when it names none of its keywords
("Ab 19 Uhr können wir wieder rein, hat die Stadt gesagt"), and what it relays is held against the
approved facts. Only the body's noun near a speech or relay verb counts: a body only mentioned ("die
Stadt räumt den Schnee") relays nothing.
"""

from __future__ import annotations

import re

from playbooks.checks import lexicon

_WORD = re.compile(r"\w+")
NEAR = 3  # words between a body and its verb: "D'Stadt hät doch gseit", "according to the council"


def relayed_body(text: str, language: str) -> str | None:
    """The words that attribute the text to a public body ("Stadt … gseit"), or None."""
    lex = lexicon.load(language)
    lowered = text.lower().replace("\u2019", "'")
    if lex.cues["secondhand"].find(lowered):
        return None  # "min svåger jobbar på kommunen och han säger": a relative's word, not the body's
    bodies = lex.authorities.spans(lowered)
    if not bodies:
        return None
    verbs = lex.reporting.spans(lowered) + lex.relay.spans(lowered) + lex.claim_verbs.spans(lowered)
    if not verbs:
        return None
    ends = [m.start() for m in _WORD.finditer(lowered)]

    def index(at: int) -> int:
        return sum(1 for start in ends if start < at)

    for b_start, b_end, body in bodies:
        for v_start, v_end, verb in verbs:
            if v_end <= b_start:
                gap = index(b_start) - index(v_end)
            elif b_end <= v_start:
                gap = index(v_start) - index(b_end)
            else:
                continue
            if gap <= NEAR:
                return f"{verb} … {body}" if v_start < b_start else f"{body} … {verb}"
    return None
