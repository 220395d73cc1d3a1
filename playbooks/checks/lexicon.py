"""The one loader of the checks' word lists: `lexicon/<language>.yaml`, one file per working language.

A phrase is words separated by spaces; a word ending in `*` is a stem (`rykte*` matches ryktet,
ryktena); a lone `…` stands for up to eight words of the same sentence (`soll … haben` matches "soll
dort Tote gegeben haben"). Cue families share their ids across the languages, so the rumour model weighs a Finnish
hearsay cue and a German one as the same feature.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from sources.language import LANGUAGES

LEXICON_DIR = Path(__file__).resolve().parent / "lexicon"
CUE_FAMILIES = (
    "hearsay", "unverified", "coverup", "share", "speculation", "urgency", "secondhand", "casualty",
    "official_source", "enquiry", "opinion",
)  # fmt: skip


class Phrases:
    """A compiled list of phrases: `find` returns the phrases' matches in a lower-cased text.

    Phrases are indexed by their first word (or its stem), so a text is read once, word by word, and
    only the few phrases that can start at a word are tried there: one regular expression of hundreds
    of alternatives cost 0.15 ms per family and post."""

    def __init__(self, phrases: list[str], *, inflect: bool = False, english: bool = False) -> None:
        cleaned = (str(p).lower().strip() for p in phrases if str(p).strip())
        # `inflect`: every word of four letters or more also matches its inflected forms (openen, stängda);
        # in English only its own endings (shuts, shutting), so "shuttle" is no "shut".
        self.phrases = tuple(dict.fromkeys(_inflected(p, english) if inflect else p for p in cleaned))
        # The words the phrases name, stems without their "*": a negation one of them names is its own.
        self.words = frozenset(w.rstrip("*") for p in self.phrases for w in p.split())
        self._exact: dict[str, list[re.Pattern[str]]] = {}
        self._stems: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
        symbols = []
        for phrase in sorted(self.phrases, key=len, reverse=True):
            first = phrase.split()[0]
            compiled = re.compile(_phrase_regex(phrase))
            lead = re.match(r"\w+", first)
            if lead is None:
                symbols.append(_phrase_regex(phrase))
            elif first.endswith(("*", ENGLISH_ENDINGS)):
                self._stems.setdefault(first[:3], []).append((first[:-1], compiled))
            else:
                self._exact.setdefault(lead.group(0), []).append(compiled)  # "teilen!" is found at "teilen"
        self._symbols = re.compile("|".join(symbols)) if symbols else None

    def spans(self, lowered: str) -> list[tuple[int, int, str]]:
        found: list[tuple[int, int, str]] = []
        end = 0
        for word in _WORD.finditer(lowered):
            start = word.start()
            if start < end:
                continue
            text = word.group(0)
            candidates = list(self._exact.get(text, ()))
            candidates += [p for stem, p in self._stems.get(text[:3], ()) if text.startswith(stem)]
            best = None
            for pattern in candidates:
                match = pattern.match(lowered, start)
                if match and (best is None or match.end() > best.end()):
                    best = match
            if best is not None:
                found.append((best.start(), best.end(), best.group(0)))
                end = best.end()
        if self._symbols is not None:
            found.extend((m.start(), m.end(), m.group(0)) for m in self._symbols.finditer(lowered))
            found.sort()
        return found

    def find(self, lowered: str) -> list[str]:
        return [text for _, _, text in self.spans(lowered)]

    def __bool__(self) -> bool:
        return bool(self.phrases)


_WORD = re.compile(r"\w+")


def _inflected(phrase: str, english: bool = False) -> str:
    mark = ENGLISH_ENDINGS if english else "*"
    return " ".join(w + mark if len(w) >= 4 and w[-1] not in "*…" and w.isalpha() else w for w in phrase.split())


# Marks a word that matches its English inflections only: -s, -es, -d, -ed, -ing, with a doubled last
# consonant (shutting, cancelled). Written by hand: a stemmer would also cut "shuttle" to a "shut…" stem.
ENGLISH_ENDINGS = "+"
_ENGLISH_INFLECTION = r"(?:s|es|d|ed|ing|[bdgklmnprt](?:ed|ing))?"


def _phrase_regex(phrase: str) -> str:
    pieces = []
    for word in phrase.split():
        if word == "…":
            pieces.append(r"(?:[^\s.!?;]+\s+){0,8}?")  # up to eight words of the same sentence
            continue
        if word.endswith(ENGLISH_ENDINGS) and len(word) > 1:
            body = re.escape(word[:-1]) + _ENGLISH_INFLECTION
        else:
            body = re.escape(word[:-1]) + r"\w*" if word.endswith("*") and len(word) > 1 else re.escape(word)
        pieces.append(body + r"\s+")
    regex = "".join(pieces)
    regex = regex[: -len(r"\s+")] if regex.endswith(r"\s+") else regex
    start = r"(?<!\w)" if re.match(r"\w", phrase) else ""
    end = r"(?!\w)" if re.search(r"[\w*+]$", phrase) else ""
    return f"{start}{regex}{end}"


@dataclass(frozen=True)
class Lexicon:
    language: str
    timezone: str  # where the language is mostly written: the zone its texts' days are read in (no per-desk zone yet)
    stemmer: str
    cues: dict[str, Phrases]
    relay: Phrases
    debunk: Phrases  # "rumours … are false": a rumour named to deny it
    reporting: Phrases  # speech verbs that make a second-hand person a source
    claim_verbs: Phrases
    generic_names: frozenset[str]
    negation: frozenset[str]
    labels: frozenset[str]  # words that head a sentence before a colon and state nothing ("Update:", "Korjaus:")
    phone: frozenset[str]  # words right before a phone number ("ring", "unter", "numeroon")
    new_number: frozenset[str]  # words that give a number in place of another ("neuen", "uudessa")
    next_update: Phrases
    until: Phrases
    deadline: Phrases  # of the "until" words, those that say "at the latest": a deadline, not a closure's end
    since: Phrases
    weekdays: tuple[str, ...]
    months: tuple[str, ...]
    units: dict[str, tuple[str, float]]
    states: dict[str, Phrases]
    instructions: dict[str, dict[str, Phrases]]
    function_words: frozenset[str]
    drafts: dict[str, tuple[str, ...]]  # what a draft must have (do, next, where) and R10's own hedges
    number_words: dict[str, float]  # "two" → 2; "one", "einem", "a" → 1 (read only before a distance or time)
    facilities: Phrases  # where the unit sends people: shelters, rest centres, water points
    venues: tuple[str, ...] = ()  # kinds of building a place is in: school, church hall (stems end in *)
    # Words right before a value that is the one taken back: "(previously announced 22)", "statt 18 Uhr".
    retracted: frozenset[str] = frozenset()
    # What closes something until it is lifted: "the Do Not Swim notice is lifted" says the beach is open.
    bans: frozenset[str] = frozenset()
    # The people an evacuation moved ("the evacuees", "Evakuoidut uimarit", "die Evakuierten"): words of an
    # evacuation done, no advice to leave.
    evacuees: Phrases = field(default_factory=lambda: Phrases([]))
    # Words that say when the text itself was published or updated ("Updated 14:30", "Stand: 10.03., 9 Uhr"):
    # the time after them is a stamp, not a fact. A word ending in ":" is a stamp only with its colon.
    stamps: tuple[str, ...] = ()
    history: tuple[str, ...] = ()  # headings over a live page's earlier updates ("Earlier updates")
    # Words that say a state goes on or comes back ("bleibt", "blijven", "igen", "taas"): they tie two
    # sentences about two different things by their state alone, so they are no part of a subject.
    continuing: frozenset[str] = frozenset()
    # Of the "until" words, those that take the day itself in ("tot en met", "till och med", "through").
    through: tuple[str, ...] = ()
    # Public bodies whose word a post can relay ("hat die Stadt gesagt", "according to the council").
    authorities: Phrases = field(default_factory=lambda: Phrases([]))
    said: Phrases = field(default_factory=lambda: Phrases([]))  # how a body's word is passed on: "says", "laut"
    # Spoken and dialect spellings of words the cue lists name in their written form ("wia ma hört" is
    # "wie man hört", "säjer" is "säger"): read as written before the cues are looked for.
    spoken: dict[str, str] = field(default_factory=dict)

    @property
    def days_of_week(self) -> tuple[str, ...]:
        """The seven days' stems ("lauantai*" → "lauantai": lauantaina, lauantaihin); "today", "tonight"
        are relative and follow them in the list."""
        return tuple(day.rstrip("*") for day in self.weekdays[:7])


def _words(data: dict[str, Any], key: str) -> list[str]:
    return [str(w).lower() for w in data.get(key) or []]


# Counts past twelve written in words ("vijftien gewonden", "femton skadade", "viisitoista loukkaantunutta"):
# num2words spells them in each language; the lexicon keeps the small numbers and their spoken and
# inflected forms ("kaks", "einem"), which the hours are read with.
WORDED_UP_TO = 99


def _number_words(language: str, listed: dict[Any, Any]) -> dict[str, float]:
    from num2words import num2words  # loaded once per language, with its lexicon

    words = {str(w).lower(): float(v) for w, v in listed.items()}
    for n in range(13, WORDED_UP_TO + 1):
        words.setdefault(num2words(n, lang=language).lower(), float(n))
    return words


@cache
def load(language: str) -> Lexicon:
    """The lexicon of one of the five languages (a ValueError for any other)."""
    if language not in LANGUAGES:
        raise ValueError(f"no lexicon for language {language!r} (one of {', '.join(LANGUAGES)})")
    # BaseLoader reads every value as text: "no", "on" and "24" are words here, not booleans or numbers.
    data = yaml.load((LEXICON_DIR / f"{language}.yaml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)  # noqa: S506
    units: dict[str, tuple[str, float]] = {}
    for dimension, table in (data.get("units") or {}).items():
        for word, factor in table.items():
            units[str(word).lower()] = (dimension, float(factor))
    return Lexicon(
        language=language,
        timezone=str(data.get("timezone") or "UTC"),
        stemmer=data["stemmer"],
        cues={family: Phrases(_words(data["cues"], family)) for family in CUE_FAMILIES},
        relay=Phrases(_words(data, "relay")),
        debunk=Phrases(_words(data, "debunk")),
        reporting=Phrases(_words(data, "reporting")),
        claim_verbs=Phrases(_words(data, "claim_verbs")),
        generic_names=frozenset(_words(data, "generic_names")),
        negation=frozenset(_words(data, "negation")),
        labels=frozenset(_words(data, "labels")),
        phone=frozenset(_words(data, "phone")),
        new_number=frozenset(_words(data, "new_number")),
        retracted=frozenset(_words(data, "retracted")),
        bans=frozenset(_words(data, "bans")),
        next_update=Phrases(_words(data, "next_update")),
        until=Phrases(_words(data, "until")),
        deadline=Phrases(_words(data, "deadline")),
        since=Phrases(_words(data, "from")),
        weekdays=tuple(_words(data, "weekdays")),
        months=tuple(_words(data, "months")),
        units=units,
        states={
            polarity: Phrases([str(p) for p in phrases], inflect=True, english=language == "en")
            for polarity, phrases in data["states"].items()
        },
        instructions={
            subject: {
                direction: Phrases([str(p) for p in phrases], inflect=True, english=language == "en")
                for direction, phrases in directions.items()
            }
            for subject, directions in data["instructions"].items()
        },
        function_words=frozenset(_words(data, "function_words")),
        drafts={part: tuple(str(w).lower() for w in words) for part, words in (data.get("drafts") or {}).items()},
        number_words=_number_words(language, data.get("number_words") or {}),
        facilities=Phrases(_words(data, "facilities")),
        venues=tuple(_words(data, "venues")),
        evacuees=Phrases(_words(data, "evacuees")),
        stamps=tuple(_words(data, "stamps")),
        history=tuple(_words(data, "history")),
        continuing=frozenset(_words(data, "continuing")),
        through=tuple(_words(data, "through")),
        authorities=Phrases(_words(data, "authorities")),
        said=Phrases(_words(data, "said")),
        spoken={str(k).lower(): str(v).lower() for k, v in (data.get("spoken") or {}).items()},
    )


def every() -> list[Lexicon]:
    return [load(language) for language in LANGUAGES]


@cache
def merged_cues(family: str) -> Phrases:
    """One family's cues of all five languages: short posts are easy to misdetect, and cue phrases are
    distinctive enough not to collide across the five languages."""
    return Phrases([p for lex in every() for p in lex.cues[family].phrases])


@cache
def merged_words(field: str) -> frozenset[str]:
    """A word-set field (generic_names, negation, labels, function_words) of all five languages."""
    found: set[str] = set()
    for lex in every():
        found |= getattr(lex, field)
    return frozenset(found)


@cache
def merged_phrases(field: str) -> Phrases:
    """A phrase field (relay, claim_verbs, next_update, until, deadline, since) of all five languages."""
    return Phrases([p for lex in every() for p in getattr(lex, field).phrases])


@cache
def merged_units() -> dict[str, tuple[str, float]]:
    """Unit words of all five languages ("km", "metriä", "Stunden") with their dimension and factor."""
    found: dict[str, tuple[str, float]] = {}
    for lex in every():
        found.update(lex.units)
    return found


@cache
def merged_states(polarity: str) -> Phrases:
    """The words for something open (or closed) in all five languages."""
    return Phrases([p for lex in every() for p in lex.states.get(polarity, Phrases([])).phrases])
