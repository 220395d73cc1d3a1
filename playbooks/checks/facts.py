"""Facts a post can get wrong (R1): clock times, quantities with units, and instructions with a direction.

Extraction is deliberately narrow: what the unit's messages state and rumours contradict. Two texts
contradict each other when they state a different value for the same kind of fact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_H = r"(?P<h>[01]?\d|2[0-3])"
_M = r"(?P<m>[0-5]\d)"
TIME_PATTERNS = [
    re.compile(r"\b(?P<h>1[0-2]|0?[1-9])(?::(?P<m>[0-5]\d))?\s*(?P<ampm>a\.?m\.?|p\.?m\.?)", re.I),
    re.compile(
        rf"(?:\bkl\.?|\bklockan|\bklo|\bum|\bom|\bat|\bvon|\bbis|\btill|\buntil|\bfrom|\bvanaf|\btot)\s*{_H}(?:[.:]{_M})?\b",
        re.I,
    ),
    re.compile(rf"\b{_H}[.:]{_M}\s*(?:uhr|uur|h\b)?", re.I),
    re.compile(rf"\b{_H}\s*(?:uhr|uur)\b", re.I),
]
_NEXT_CUES = ("nästa", "next", "seuraava", "nächste", "volgende", "uppdater", "update", "päivit", "tiedote",
              "information", "lägesbild")  # fmt: skip
UNITS = {
    "km": ("distance", 1000.0), "kilometer": ("distance", 1000.0), "kilometre": ("distance", 1000.0),
    "kilometres": ("distance", 1000.0), "kilometers": ("distance", 1000.0), "kilometri": ("distance", 1000.0),
    "kilometriä": ("distance", 1000.0), "m": ("distance", 1.0), "meter": ("distance", 1.0), "meters": ("distance", 1.0),
    "metre": ("distance", 1.0), "metres": ("distance", 1.0), "metriä": ("distance", 1.0), "metrin": ("distance", 1.0),
    "minuter": ("duration", 60.0), "minuten": ("duration", 60.0), "minutes": ("duration", 60.0), "min": ("duration", 60.0),
    "minuuttia": ("duration", 60.0), "timmar": ("duration", 3600.0), "timme": ("duration", 3600.0),
    "timmars": ("duration", 3600.0), "hours": ("duration", 3600.0), "hour": ("duration", 3600.0),
    "stunden": ("duration", 3600.0), "stunde": ("duration", 3600.0), "uur": ("duration", 3600.0),
    "tuntia": ("duration", 3600.0), "tunnin": ("duration", 3600.0), "dagar": ("duration", 86400.0),
    "days": ("duration", 86400.0), "tage": ("duration", 86400.0), "dagen": ("duration", 86400.0),
    "päivää": ("duration", 86400.0), "personer": ("people", 1.0), "people": ("people", 1.0), "persons": ("people", 1.0),
    "personen": ("people", 1.0), "mensen": ("people", 1.0), "henkilöä": ("people", 1.0), "hushåll": ("households", 1.0),
    "households": ("households", 1.0), "haushalte": ("households", 1.0), "huishoudens": ("households", 1.0),
    "kotitaloutta": ("households", 1.0),
}  # fmt: skip
_QUANTITY = re.compile(
    r"\b(?P<n>\d+(?:[.,]\d+)?)\s*(?P<u>" + "|".join(sorted(map(re.escape, UNITS), key=len, reverse=True)) + r")(?!\w)",
    re.I,
)

# Instructions with a direction: the same subject with the opposite advice is a contradiction.
POLARITY: dict[str, dict[str, tuple[str, ...]]] = {
    "windows": {
        "closed": ("fönster stängda", "fönstren stängda", "stäng fönster", "stäng fönstren", "stängda fönster",
                   "ikkunat suljettuina", "sulje ikkunat", "ikkunat kiinni", "fenster geschlossen", "fenster schließen",
                   "fenster und türen geschlossen", "ramen dicht", "ramen gesloten", "sluit ramen", "sluit de ramen",
                   "windows closed", "close windows", "close your windows", "keep windows", "dörrar och fönster stängda",
                   "ovet ja ikkunat suljettuina", "ramen en deuren gesloten", "doors and windows closed",
                   "fenster und türen geschlossen", "håll fönster"),
        "open": ("öppna fönster", "öppna fönstren", "fönstren öppna", "vädra", "avaa ikkunat", "ikkunat auki",
                 "fenster öffnen", "fenster auf", "lüften", "ramen open", "open de ramen", "ramen openen",
                 "open windows", "open your windows", "open the windows", "windows open"),
    },
    "water": {
        "boil": ("koka vattnet", "koka dricksvattnet", "kokningsrekommendation", "kokningsrekommendationen", "keitä vesi",
                 "keittokehotus", "abkochen", "abkochgebot", "kochen sie das wasser", "kook het water", "kookadvies", "boil water",
                 "boil the water", "boil-water", "boil your water", "inte dricka", "do not drink", "nicht trinken",
                 "niet drinken", "älä juo"),
        "safe": ("vattnet är drickbart", "kan drickas", "drickbart", "vattnet är ofarligt", "vesi on juomakelpoista",
                 "juomakelpoista", "trinkwasser ist unbedenklich", "kann getrunken werden", "unbedenklich",
                 "water is veilig", "drinkbaar", "veilig om te drinken", "safe to drink", "water is safe", "drinkable"),
    },
    "shelter": {
        "indoors": ("behöver inte lämna", "no need to leave", "do not need to leave", "don't need to leave",
                    "stanna inomhus", "håll er inomhus", "pysy sisällä", "pysykää sisätiloissa", "bleiben sie drinnen",
                    "im haus bleiben", "blijf binnen", "binnen blijven", "stay indoors", "stay inside"),
        "evacuate": ("evakuera", "evakueras", "lämna området", "lämna hemmet", "evakuoida", "evakuoidaan",
                     "poistukaa", "evakuieren", "evakuiert", "verlassen sie", "evacueren", "geëvacueerd",
                     "evacuate", "evacuated", "leave the area", "leave your home"),
    },
}  # fmt: skip


_NEGATION = re.compile(r"(?<!\w)(?:inte|ej|icke|ei|nicht|kein|niet|geen|not|no)\s+(?:\w+\s+)?$")
NEGATABLE = {"water": {"safe": "boil"}}


@dataclass(frozen=True)
class Fact:
    kind: str  # "time", a unit dimension ("distance", "duration", "people", "households") or a polarity subject
    value: str
    text: str  # as written

    def label(self) -> str:
        return f"{self.kind} {self.value}"


def extract(text: str) -> list[Fact]:
    facts: list[Fact] = []
    seen_spans: list[tuple[int, int]] = []
    for pattern in TIME_PATTERNS:
        for match in pattern.finditer(text):
            if any(a < match.end() and match.start() < b for a, b in seen_spans):
                continue
            hour = int(match.group("h"))
            minute = int(match.groupdict().get("m") or 0)
            ampm = (match.groupdict().get("ampm") or "").lower().replace(".", "")
            if ampm == "pm" and hour < 12:
                hour += 12
            if ampm == "am" and hour == 12:
                hour = 0
            seen_spans.append(match.span())
            # "Next update at 10" and "the fire started at 6" are different facts: only like is compared.
            before = text[max(0, match.start() - 45) : match.start()].lower()
            kind = "time:next" if any(cue in before for cue in _NEXT_CUES) else "time"
            facts.append(Fact(kind, f"{hour:02d}:{minute:02d}", match.group(0).strip()))
    for match in _QUANTITY.finditer(text):
        if any(a <= match.start() < b for a, b in seen_spans):
            continue
        dimension, factor = UNITS[match.group("u").lower()]
        value = float(match.group("n").replace(",", ".")) * factor
        facts.append(Fact(dimension, f"{value:g}", match.group(0).strip()))
    lowered = text.lower()
    for subject, directions in POLARITY.items():
        for direction, phrases in directions.items():
            for phrase in phrases:
                at = lowered.find(phrase)
                if at < 0:
                    continue
                polarity = direction
                # "niet drinkbaar", "not safe to drink": a negated phrase says the opposite.
                if _NEGATION.search(lowered[max(0, at - 12) : at]) and subject in NEGATABLE:
                    polarity = NEGATABLE[subject].get(direction, direction)
                facts.append(Fact(subject, polarity, phrase))
                break
    return facts


@dataclass(frozen=True)
class Conflict:
    kind: str
    post: str
    approved: str
    post_text: str
    approved_text: str

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "post": self.post, "approved": self.approved, "post_text": self.post_text,
                "approved_text": self.approved_text}  # fmt: skip


def conflicts(post_facts: list[Fact], approved_facts: list[Fact]) -> list[Conflict]:
    """Facts of the post whose kind the approved text states, with none of its values."""
    by_kind: dict[str, list[Fact]] = {}
    for fact in approved_facts:
        by_kind.setdefault(fact.kind, []).append(fact)
    found = []
    for fact in post_facts:
        approved = by_kind.get(fact.kind)
        if not approved:
            continue
        values = {a.value for a in approved}
        if fact.value in values:
            continue
        if fact.kind in POLARITY and len(values) > 1:
            continue  # the approved texts themselves give both directions: nothing to contradict
        found.append(Conflict(fact.kind, fact.value, ", ".join(sorted(values)), fact.text, approved[0].text))
    return found
