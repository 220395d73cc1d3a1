"""Whose word a post passes on: "hat die Stadt gesagt", "Kommunen skriver att…", "according to the council".

During an incident a public body speaks of the incident: a watched post that relays what the municipality,
the police or the rescue service said is about the incident even when it names none of its keywords
("Ab 19 Uhr können wir wieder rein, hat die Stadt gesagt"), and what it relays is held against the
approved facts. Only the body's noun near a speech or relay verb counts: a body only mentioned ("die
Stadt räumt den Schnee") relays nothing.
"""

from __future__ import annotations

import bisect
import re

from playbooks.checks import lexicon

_WORD = re.compile(r"\w+")
NEAR = 3  # words between a body and its verb: "D'Stadt hät doch gseit", "according to the council"
_CLAUSE_BREAK = re.compile(r"[,;:.!?]")  # "Kaupungin kautta, sanoi Pekka": Pekka said it, not the city


def relayed_body(text: str, language: str) -> str | None:
    """The words that attribute the text to a public body ("Stadt … gseit"), or None."""
    lex = lexicon.load(language)
    lowered = text.lower().replace("\u2019", "'")
    # "min svåger jobbar på kommunen och han säger": a relative's word, not the body's. Only the phrases
    # that make a person a source (a relative named, a job somewhere): "vän*" alone begins "vänta".
    if any(" " in found for found in lex.cues["secondhand"].find(lowered)):
        return None
    bodies = lex.authorities.spans(lowered)
    if not bodies:
        return None
    verbs = lex.said.spans(lowered)
    if not verbs:
        return None
    starts = [m.start() for m in _WORD.finditer(lowered)]
    verb_starts = [v[0] for v in verbs]  # spans come in the order of the text
    for b_start, b_end, body in bodies:
        # Only the nearest verb before the body and the nearest after it can be near enough.
        at = bisect.bisect_left(verb_starts, b_start)
        for v_start, v_end, verb in verbs[max(0, at - 1) : at + 1]:
            first, last = (v_end, b_start) if v_end <= b_start else (b_end, v_start)
            if first > last:
                continue  # overlapping spans
            gap = bisect.bisect_left(starts, last) - bisect.bisect_left(starts, first)
            if gap <= NEAR and not _CLAUSE_BREAK.search(lowered, first, last):
                return f"{verb} … {body}" if v_start < b_start else f"{body} … {verb}"
    return None
