"""R2: how much a post reads like a rumour, in sv, fi, de, nl and en, with the reasons.

A logistic regression over two kinds of features:
- cue families (lexicon/<language>.yaml), shared across the languages by id: hearsay, unverified,
  cover-up, call to share, speculation, urgency, second-hand source, casualty claims, and the signs of
  a non-rumour (a relayed official source, a question, first/second person);
- delexicalised word n-grams (numbers, links, handles and tags replaced by placeholders), kept only
  when they occur in several training events, so that what is learned is a way of writing, not the
  names of one event.
The weights and the threshold are in rumour_model.json, fitted by scripts/train_rumour.py; a flag
explains itself by the cues found and the n-grams that weighed most.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from playbooks.checks import lexicon
from sources import language

MODEL_PATH = Path(__file__).resolve().parent / "rumour_model.json"
# Families that speak against a rumour: shown as reasons only when they count for one.
SIGNS_AGAINST = ("official_source", "enquiry", "opinion")
# Families strong enough to flag a watched post whose only link to an incident is its timing.
STRONG = ("hearsay", "unverified", "coverup", "share", "secondhand", "urgency", "speculation")
# Without any cue a post is flagged only when the n-grams are this sure: in the development half (16
# incidents) 3 of 3 watched posts without a cue scoring 0.7 or more were rumours, 8 of 125 below it; and a
# flag must be able to say why (its strongest n-grams).
WITHOUT_CUES = 0.7
# A post with no cue and no link to the incident but its timing must be surer still to be flagged: an
# eyewitness line ("the smoke is drifting towards town") reads much like an unattributed claim.
WITHOUT_ANY_LINK = 0.8
# A strong cue is evidence of its own that the n-grams of a short post (or of another language than most
# of the training data) can outweigh: such posts are flagged from this share of the threshold.
WITH_STRONG_CUE = 0.6

_URL = re.compile(r"https?://\S+|www\.\S+")
_MENTION = re.compile(r"@\w+")
_HASHTAG = re.compile(r"#(\w+)")
_NUMBER = re.compile(r"\d+(?:[.,:]\d+)*")
_TOKEN = re.compile(r"<\w+>|[^\W_]+")
# Someone who works for a service is a source by that alone ("min kusin som jobbar på sjukhuset").
_SOURCE_AT_WORK = re.compile(
    r"(?<!\w)(?:works?|working|jobbar|arbetar|arbeitet|schafft|schaffet|werkt|töissä|työskentelee)(?!\w)"
)  # "schafft", "schaffet": works, in Swiss and Swabian German
# Finnish puts emphasis clitics on its negation verb ("eihän ne myönnä", "eipä kukaan kerro"): the cue
# lists name the plain verb ("ei … myönnä"), as they name every other word in its base form.
_FI_CLITIC = re.compile(r"(?<!\w)(ei|en|et|emme|ette|eivät|älä|älkää)(?:hän|han|pä|pa|kään|kaan)(?!\w)")
# "nobody'll say", "they'll never tell": the cue lists name "nobody … say"; a typographic apostrophe (’)
# is the plain one, as the lists write it.
_EN_WILL = re.compile(r"(?<=\w)'ll(?!\w)")
_CAPS_WORD = re.compile(r"\b[A-ZÅÄÖÜ]{4,}\b")
# Swedish, German and Dutch put the verb before the subject when anything else opens the clause ("stänger
# kl. 20, har jag hört", "bis morgen gsperrt, hab ich gehört", "dat heb ik gehoord"): where the cue lists
# find nothing, the inverted verb and subject of each language are read in the plain order the lists name
# ("jag har hört", "ich hab gehört"). Not in a question ("Hej, har jag hört rätt?"), and not at the start of
# a text, where the verb first asks.
_INVERTED = re.compile(
    r"(?:(?<=\w )|(?<=\w, ))(?:(har|hade|hörde)\s+(jag|vi)|(hab|habe|hatte|hörte|hob)\s+(ich|i|wir)|"
    r"(heb|had|hoorde)\s+(ik|wij|we))(?!\w)(?=[^?.!]*(?:[.!]|$))"
)


def _plain_order(match: re.Match[str]) -> str:
    verb, subject = (g for g in match.groups() if g)
    return f"{subject} {verb}"  # the same length: spans found in the text stay where they were


@dataclass(frozen=True)
class RumourScore:
    score: float
    is_rumour: bool
    language: str
    cues: list[str] = field(default_factory=list)
    ngrams: list[str] = field(default_factory=list)  # the n-grams that weighed most towards a rumour
    strong: bool = False  # a cue of a family that marks a rumour on its own (see STRONG)


@cache
def model() -> dict[str, Any]:
    return dict(json.loads(MODEL_PATH.read_text(encoding="utf-8")))


def delexicalise(text: str) -> list[str]:
    """Tokens with what names one event replaced: links, handles, numbers (tags keep their word)."""
    text = _URL.sub(" <url> ", text)
    text = _MENTION.sub(" <user> ", text)
    text = _HASHTAG.sub(r" <tag> \1 ", text)
    text = _NUMBER.sub(" <num> ", text)
    return _TOKEN.findall(text.lower())


def ngrams(tokens: list[str]) -> list[str]:
    grams = [f"w:{t}" for t in tokens]
    grams += [f"b:{a} {b}" for a, b in itertools.pairwise(tokens)]
    return grams


@cache
def _spoken(language: str) -> tuple[re.Pattern[str], dict[str, str]] | None:
    spoken = lexicon.load(language).spoken
    if not spoken:
        return None
    words = "|".join(re.escape(w) for w in sorted(spoken, key=len, reverse=True))
    return re.compile(rf"(?<![\w'])(?:{words})(?![\w'])"), spoken


def as_written(lowered: str, lang: str | None) -> str:
    """A lower-cased text with the spoken and dialect spellings of its language read as written ("wia ma
    hört" → "wie man hört", "säjer dom" → "säger de"): one table per language instead of every cue
    written again in every dialect."""
    found = _spoken(lang) if lang in language.LANGUAGES else None
    if found is None:
        return lowered
    pattern, spoken = found
    return pattern.sub(lambda m: spoken[m.group(0)], lowered)


def features(text: str, lang: str | None = None) -> tuple[dict[str, float], list[str]]:
    """The model's features of a text in language `lang`, and the cues found (as "family: words")."""
    lowered = _FI_CLITIC.sub(r"\1", text.lower().replace("\u2019", "'"))
    lowered = _EN_WILL.sub(" will", lowered)
    values: dict[str, float] = {}
    found: list[str] = []
    # The words of a named official source are that source's ("kaupungilta kerrotaan", "zegt de
    # gemeente"): they are no hearsay and make no neighbour a source.
    blanked = lowered
    official = lexicon.merged_cues("official_source").spans(lowered)
    if any(" " not in text for _, _, text in official) and lexicon.merged_cues("secondhand").find(lowered):
        # "Mun serkku on palokunnassa ja sen mukaan …", "min bror, enligt honom …": a bare "according to"
        # after a relative or acquaintance gives that person's word, not an official source's.
        relay = lexicon.merged_phrases("relay")
        official = [(a, b, text) for a, b, text in official if " " in text or not relay.find(text)]
    for start, end, _ in official:
        blanked = blanked[:start] + " " * (end - start) + blanked[end:]
    written = as_written(blanked, lang)
    # Where the cue lists find nothing as written, the plain word order, then the written spellings.
    readings = list(dict.fromkeys((blanked, _INVERTED.sub(_plain_order, blanked), written,
                                   _INVERTED.sub(_plain_order, written))))  # fmt: skip
    for family in lexicon.CUE_FAMILIES:
        if family == "official_source":
            hits = [text for _, _, text in official]
        else:
            cues = lexicon.merged_cues(family)
            # Other readings only add signs of a rumour: "wia" read as "wie" is no question word.
            tried = readings[:1] if family in SIGNS_AGAINST else readings
            hits = next((found for found in map(cues.find, tried) if found), [])
        if family == "hearsay" and hits and _debunked(blanked):
            # "Gerüchte über ein Fischsterben seien falsch": the word for a rumour names one to deny it.
            hits = [h for h in hits if not _rumour_noun(h)]
        if family == "secondhand" and not _SOURCE_AT_WORK.search(blanked):
            if not any(map(lexicon.merged_phrases("reporting").find, (blanked, written))):
                continue  # a relative who is only mentioned ("bringing my mum") is no source
        if hits:
            values[f"cue:{family}"] = float(min(len(hits), 2))
            found.extend(f"{family}: {h}" for h in dict.fromkeys(hits))
    has_number = bool(_NUMBER.search(_URL.sub(" ", text)))
    if has_number and "cue:casualty" in values:
        values["style:casualty_number"] = 1.0  # "at least 5 dead": a figure nobody is quoted for
    bangs = len(re.findall(r"!{2,}|\?!|!\?", text))
    if bangs:
        values["style:exclamations"] = float(min(bangs, 2))
        found.append("style: sensational punctuation")
    caps = len(_CAPS_WORD.findall(text))
    if caps:
        values["style:caps"] = min(caps, 3) / 3
    stripped = lowered.strip()
    if "?" in stripped and not bangs and (stripped.endswith("?") or "cue:enquiry" in values):
        values["style:question"] = 1.0
    if _URL.search(text):
        values["style:url"] = 1.0
    if has_number:
        values["style:number"] = 1.0
    if len(text) < 60:
        values["style:short"] = 1.0
    for gram in ngrams(delexicalise(text)):
        values[gram] = 1.0
    return values, found


@cache
def _rumour_nouns() -> tuple[str, ...]:
    """The hearsay cues that are stems of a word for a rumour ("gerücht*", "rykte*", "huhu*")."""
    return tuple(
        p.rstrip("*")
        for lex in lexicon.every()
        for p in lex.cues["hearsay"].phrases
        if p.endswith("*") and " " not in p
    )


def _rumour_noun(hit: str) -> bool:
    return hit.startswith(_rumour_nouns())


@cache
def _rumour_noun_pattern() -> re.Pattern[str]:
    return re.compile(rf"(?<!\w)(?:{'|'.join(map(re.escape, _rumour_nouns()))})")


# Between a word for a rumour and the words that deny it: no sentence end and no "that", which would make
# the denial another statement ("Ryktet säger att vattnet är förgiftat, något stämmer inte!").
_NOT_BETWEEN = re.compile(r"[.!?]|(?<!\w)(?:that|att|dass|että|dat|of)(?!\w)")
DEBUNK_REACH = 80  # characters from the word for a rumour to its denial


def _debunked(lowered: str) -> bool:
    """Whether a word for a rumour is itself denied: "Gerüchte über ein Fischsterben seien falsch", "huhut
    kuolleista kaloista eivät pidä paikkaansa"."""
    denials = [start for start, _end, _ in lexicon.merged_phrases("debunk").spans(lowered)]
    if not denials:
        return False
    nouns = [m.start() for m in _rumour_noun_pattern().finditer(lowered)]
    return any(0 < d - n <= DEBUNK_REACH and not _NOT_BETWEEN.search(lowered, n, d) for n in nouns for d in denials)


def has_cue(values: dict[str, float]) -> bool:
    """Whether a cue family that marks a rumour (not a sign against one) was found."""
    return any(name.startswith("cue:") and name[4:] not in SIGNS_AGAINST for name in values)


def decide(probability: float, values: dict[str, float], threshold: float) -> bool:
    """The rumour decision: the model's threshold when a cue was found (lowered by WITH_STRONG_CUE for a
    strong one: hearsay, a second-hand source, cover-up framing, a call to share, speculation about a
    cause), WITHOUT_CUES when none
    or when the post relays an official source."""
    if any(name.startswith("cue:") and name[4:] in STRONG for name in values):
        return probability >= threshold * WITH_STRONG_CUE
    if "cue:official_source" in values:
        # A relay of a named official source is no rumour ("Wie die Stadt mitteilt, wurde … evakuiert"),
        # unless the n-grams are as sure as without any cue.
        return probability >= max(threshold, WITHOUT_CUES)
    return probability >= (threshold if has_cue(values) else max(threshold, WITHOUT_CUES))


def score(text: str, lang: str | None = None) -> RumourScore:
    detected = language.normalise(lang)
    if detected not in language.LANGUAGES:
        detected = language.detect(text) or "en"
    values, cues = features(text, detected)
    m = model()
    weights: dict[str, float] = m["weights"]
    contributions = {name: weights[name] * v for name, v in values.items() if name in weights}
    z = m["bias"] + sum(contributions.values())
    probability = 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))
    top = sorted(
        (name for name, c in contributions.items() if c > 0 and name[:2] in ("w:", "b:")),
        key=lambda name: -contributions[name],
    )[:3]
    reasons = [c for c in cues if not c.startswith(SIGNS_AGAINST)]
    return RumourScore(
        score=round(probability, 4),
        is_rumour=decide(probability, values, m["threshold"]),
        language=detected,
        cues=reasons,
        ngrams=[name[2:] for name in top],
        strong=any(c.startswith(STRONG) for c in reasons) or probability >= WITHOUT_ANY_LINK,
    )
