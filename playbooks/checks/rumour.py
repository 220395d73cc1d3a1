"""R2: how much a post reads like a rumour, in sv, fi, de, nl and en, with the cues that say why.

A small, explainable model: cue families (hearsay, unverified claims, cover-up framing, calls to share,
speculation, sensational style) against the signs of a non-rumour (a question, a relay of an official
source). The weights live in rumour_model.json, fitted by scripts/train_rumour.py; the cue lists here
are the features.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from sources import language

MODEL_PATH = Path(__file__).resolve().parent / "rumour_model.json"

CUES: dict[str, dict[str, tuple[str, ...]]] = {
    "hearsay": {
        "sv": ("jag hörde", "hörde att", "har hört", "det sägs", "sägs", "rykte*", "ryktas", "någon sa",
               "folk säger", "enligt en kompis", "en vän till mig", "min granne säger", "lär ha"),
        "fi": ("kuulemma", "kuulin että", "kuulin", "huhutaan", "huhu*", "joku sanoi", "sanotaan että",
               "kaverin mukaan", "naapuri sanoi"),
        "de": ("angeblich", "ich habe gehört", "hab gehört", "habe gehört", "man hört", "es heißt", "gerücht*", "soll angeblich", "ein freund sagt", "mein nachbar sagt", "man munkelt"),
        "nl": ("naar verluidt", "ik hoorde", "ik heb gehoord", "heb gehoord", "men zegt", "gerucht*",
               "zou volgens", "mijn buurman zegt", "een vriend zegt"),
        "en": ("i heard", "heard that", "i've heard", "rumour", "rumor", "rumours", "rumors", "people are saying",
               "someone said", "apparently", "reportedly", "allegedly", "word is", "my friend says",
               "my neighbour says", "my neighbor says", "sources say", "i'm hearing", "hearing that"),
    },
    "unverified": {
        "sv": ("obekräftade uppgifter", "obekräftad", "obekräftat", "ej bekräftat", "inte bekräftat", "uppgifter gör gällande"),
        "fi": ("vahvistamattomien tietojen mukaan", "vahvistamaton", "vahvistamattoman", "ei vahvistettu", "ei ole vahvistettu"),
        "de": ("unbestätigt", "unbestätigten", "unbestätigte", "nicht bestätigt", "noch nicht bestätigt"),
        "nl": ("onbevestigd", "onbevestigde", "niet bevestigd", "nog niet bevestigd"),
        "en": ("unconfirmed", "unverified", "not confirmed", "not yet confirmed", "can't confirm", "cannot confirm",
               "yet to be confirmed", "unclear if", "unclear whether", "reports of", "reports that", "report:"),
    },
    "coverup": {
        "sv": ("tystar ner", "tystas ner", "mörka*", "mörkläggning", "döljer", "döljs", "hemlighåll*", "vill inte att ni vet",
               "vill inte att vi ska veta", "ljuger", "berättar inte sanningen", "säger inget"),
        "fi": ("salaa*", "salataan", "vaikene*", "vaietaan", "peittel*", "valehtel*",
               "eivät kerro", "ei kerrota totuutta"),
        "de": ("verschweig*", "verschwiegen", "vertusch*", "verheimlich*", "lügen uns an", "die lügen", "wollen nicht, dass", "sagen uns nicht"),
        "nl": ("houdt het stil", "houden het stil", "verzwijg*", "verzwegen", "doofpot*", "liegen", "verbergen",
               "willen niet dat", "vertellen ons niet"),
        "en": ("they are hiding", "they're hiding", "hiding it", "hiding the", "cover-up", "cover up", "covering up",
               "covered up", "they don't want you to know", "lying to us", "they are lying", "they're lying",
               "not telling us", "won't tell us"),
    },
    "share": {
        "sv": ("sprid", "dela vidare", "dela detta", "dela!", "dela innan", "sprid vidare"),
        "fi": ("jakakaa", "jaa eteenpäin", "levittäkää", "jakaa eteenpäin"),
        "de": ("bitte teilen", "teilt", "teilen!", "weiterleiten", "verbreitet das", "weitersagen"),
        "nl": ("deel dit", "delen!", "verspreid", "doorsturen", "graag delen"),
        "en": ("share this", "please share", "spread the word", "pls share", "share before", "retweet", "pls rt",
               "please rt"),
    },
    "speculation": {
        "sv": ("kanske", "troligen", "förmodligen", "misstänker", "verkar som", "antagligen", "måste vara"),
        "fi": ("ehkä", "luultavasti", "epäilen", "näyttää siltä", "varmaan", "taitaa olla"),
        "de": ("vielleicht", "wahrscheinlich", "vermutlich", "könnte sein", "scheint", "ich vermute", "muss wohl"),
        "nl": ("misschien", "waarschijnlijk", "vermoedelijk", "lijkt erop", "ik vermoed", "zou kunnen"),
        "en": ("maybe", "perhaps", "probably", "might be", "could be", "seems", "i suspect", "must be", "possibly",
               "believed to", "thought to", "may have", "feared", "suspected"),
    },
    "urgency": {
        "sv": ("just nu", "akut", "varning"),
        "fi": ("juuri nyt", "kiireellinen", "varoitus"),
        "de": ("eilmeldung", "achtung", "jetzt gerade"),
        "nl": ("breaking", "let op", "nu net"),
        "en": ("breaking", "just in", "developing", "urgent", "happening now", "omg", "wow"),
    },
    # Signs against: relaying an official source, or asking.
    "official_source": {
        "sv": ("enligt kommunen", "kommunen meddelar", "kommunen informerar", "enligt polisen", "polisen uppger",
               "räddningstjänsten uppger", "enligt räddningstjänsten", "länsstyrelsen", "enligt myndigheten",
               "krisinformation", "vma", "meddelar kommunen", "uppger kommunen", "uppger polisen"),
        "fi": ("kaupungin mukaan", "kunnan mukaan", "poliisin mukaan", "pelastuslaitoksen mukaan", "viranomaisten mukaan",
               "kaupunki tiedottaa", "kunta tiedottaa", "tiedottaa"),
        "de": ("laut polizei", "laut stadt", "laut gemeinde", "die stadt teilt mit", "die polizei teilt mit",
               "nach angaben der", "teilt mit", "laut feuerwehr", "die behörden"),
        "nl": ("volgens de gemeente", "volgens de politie", "de gemeente meldt", "de politie meldt",
               "volgens de brandweer", "meldt de gemeente", "de veiligheidsregio"),
        "en": ("according to police", "according to the police", "police said", "police say", "police confirm",
               "council said", "the council says", "officials said", "officials say", "authorities said",
               "authorities say", "confirmed by", "police have confirmed", "statement from", "announced"),
    },
}  # fmt: skip
QUESTION_WORDS = {
    "sv": ("vet någon", "hur", "när", "var ", "vad", "varför", "vem", "gäller", "har någon"),
    "fi": ("tietääkö", "miten", "milloin", "missä", "mitä", "miksi", "kuka", "onko"),
    "de": ("weiß jemand", "wie", "wann", "wo ", "was", "warum", "wer", "gilt", "gibt es"),
    "nl": ("weet iemand", "hoe", "wanneer", "waar", "wat", "waarom", "wie", "geldt", "is er"),
    "en": ("does anyone", "anyone know", "how", "when", "where", "what", "why", "who", "is there", "are the", "is it"),
}
FEATURES = (
    "hearsay", "unverified", "coverup", "share", "speculation", "urgency", "official_source",
    "exclamations", "caps", "question", "url", "short", "hashtags", "mentions", "numbers", "first_person",
)  # fmt: skip


@dataclass(frozen=True)
class RumourScore:
    score: float
    is_rumour: bool
    language: str
    cues: list[str] = field(default_factory=list)
    features: dict[str, float] = field(default_factory=dict)


@lru_cache(maxsize=1)
def model() -> dict[str, float]:
    return json.loads(MODEL_PATH.read_text(encoding="utf-8"))


@lru_cache(maxsize=64)
def _pattern(cues: tuple[str, ...]) -> re.Pattern[str]:
    # A cue ending in "*" is a stem: "verschweig*" matches verschweigt, verschwiegen is listed on its own.
    escaped = sorted(
        (re.escape(c[:-1]) + r"\w*" if c.endswith("*") else re.escape(c) for c in cues), key=len, reverse=True
    )
    return re.compile(r"(?<!\w)(?:" + "|".join(escaped) + r")(?!\w)" if escaped else r"(?!x)x")


_CAPS_WORD = re.compile(r"\b[A-ZÅÄÖÜ]{4,}\b")
_URL = re.compile(r"https?://\S+")


def features(text: str, lang: str) -> tuple[dict[str, float], list[str]]:
    lowered = text.lower()
    values: dict[str, float] = {}
    found: list[str] = []
    for family, per_language in CUES.items():
        # Every language's cues, not only the detected one's: short posts are easy to misdetect, and the
        # cue phrases are distinctive enough not to collide across the five languages.
        cues = tuple(dict.fromkeys(c for lang_cues in per_language.values() for c in lang_cues))
        hits = _pattern(cues).findall(lowered)
        values[family] = float(min(len(hits), 2))
        found.extend(f"{family}: {h}" for h in dict.fromkeys(hits))
    bangs = len(re.findall(r"!{2,}|\?!|!\?", text))
    values["exclamations"] = float(min(bangs, 2))
    if bangs:
        found.append("sensational punctuation")
    caps = len(_CAPS_WORD.findall(text))
    values["caps"] = float(min(caps, 3)) / 3
    stripped = lowered.strip()
    asks = stripped.endswith("?") or stripped.startswith(QUESTION_WORDS.get(lang, ()) + QUESTION_WORDS["en"])
    values["question"] = 1.0 if asks and "?" in stripped and not bangs else 0.0
    values["url"] = 1.0 if _URL.search(text) else 0.0
    values["short"] = 1.0 if len(text) < 60 else 0.0
    # Style of a claim passed on rather than observed: tags, mentions, figures, no first person.
    values["hashtags"] = float(min(text.count("#"), 3)) / 3
    values["mentions"] = float(min(text.count("@"), 3)) / 3
    values["numbers"] = 1.0 if re.search(r"\d", _URL.sub("", text)) else 0.0
    values["first_person"] = (
        1.0 if re.search(r"(?<!\w)(?:i|we|my|our|jag|vi|min|minä|me|ich|wir|mein|ik|wij|mijn)(?!\w)", lowered) else 0.0
    )
    return values, found


def score(text: str, lang: str | None = None) -> RumourScore:
    detected = language.normalise(lang) or language.detect(text) or "en"
    detected = detected if detected in language.LANGUAGES else "en"
    values, cues = features(text, detected)
    weights = model()
    z = weights["bias"] + sum(weights[name] * values[name] for name in FEATURES)
    probability = 1 / (1 + math.exp(-z))
    return RumourScore(
        score=round(probability, 4),
        is_rumour=probability >= weights["threshold"],
        language=detected,
        cues=[c for c in cues if not c.startswith("official_source")],
        features=values,
    )
