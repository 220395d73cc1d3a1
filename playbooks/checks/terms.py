"""Does a text speak of the incident? Its keywords in any inflected or compound form, and the places
and key terms of its title and of the messages the unit approved.

Swedish, Finnish, German and Dutch glue words together and inflect them: `röken` is `rök`,
`brandröken` holds it, `kaasuvuodon` is `kaasuvuoto`. A keyword matches a word with the same Snowball
stem, a word that is the keyword plus an ending of the language, or a compound whose other part is a
word of the language in its own right (wordfreq's lists): `Brandschutz` holds `Brand`, `Brandenburg`
does not, and neither does `gastronomi` hold `gas`. English does not glue words, so there a keyword
matches by its stem only (`fire` is not in `Firefox`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from playbooks.checks import lexicon, tokens
from sources.language import LANGUAGES

COMPOUNDING = ("sv", "fi", "de", "nl")
# Inflectional endings and linking letters by language (after the keyword, before the end of the word).
_ENDINGS = {
    "sv": ("en", "et", "ar", "er", "or", "na", "n", "s", "e", "a", "t", "ens", "ets", "arna", "erna", "orna", "ns", "ts"),
    "fi": ("n", "a", "ä", "t", "ssa", "ssä", "sta", "stä", "lla", "llä", "lta", "ltä", "lle", "ksi", "na", "nä",
           "an", "en", "in", "on", "un", "yn", "än", "ön", "ja", "jä", "ille", "iin", "ineen", "ista", "issa", "ita",
           "jen", "ien", "den", "ten"),
    "de": ("e", "en", "er", "es", "n", "s", "ern", "ens", "ung", "ungen"),
    "nl": ("en", "e", "s", "n", "es", "je", "jes", "tje", "tjes", "ing", "ingen"),
    "en": ("s", "es", "ed", "ing", "'s"),
}  # fmt: skip
_LINKING = ("s", "e", "n", "es", "en", "er", "-")
# What place names end in: "Brand-en-burg" is a place, not a kind of fire.
_PLACE_ENDINGS = ("burg", "berg", "dorf", "stadt", "heim", "hausen", "ingen", "feld", "bach", "stein", "borg",
                  "köping", "holm", "fors", "sund", "vik", "dal", "dam", "wijk", "drecht", "hoven", "rode", "lahti",
                  "joki", "niemi", "salo", "ton", "ham", "ford", "field", "wick", "ville")  # fmt: skip
# A word has a letter; a road's name keeps its digits ("A55", "N224", "B306"), which would otherwise leave
# a one-letter keyword matching "as" and "and".
_TOKEN = re.compile(r"[^\W_]*[^\W\d_][^\W_]*", re.UNICODE)


def words(text: str) -> list[str]:
    """Lower-cased words (with a letter; numbers alone are no words): what keywords are matched against."""
    return _TOKEN.findall(text.lower())


@lru_cache(maxsize=65536)
def word_matches(word: str, keyword: str, language: str = "sv") -> bool:
    keyword = keyword.lower()
    if word == keyword:
        return True
    if len(keyword) < 3:
        return False  # "E4": only itself
    lang = language if language in LANGUAGES else "en"
    if tokens.stem(word, lang) == tokens.stem(keyword, lang):
        return True
    if word.startswith(keyword) and word[len(keyword) :] in _ENDINGS[lang]:
        return True
    if lang not in COMPOUNDING or len(keyword) < 3:
        return False
    # Finnish consonant gradation changes a word's inside: kaasuvuoto → kaasuvuodon.
    if lang == "fi" and len(keyword) >= 6 and word.startswith(keyword[: len(keyword) - 2]):
        return tokens.stem(word, lang)[: len(keyword) - 2] == tokens.stem(keyword, lang)[: len(keyword) - 2]
    return _compound_of(word, keyword, lang)


def _compound_of(word: str, keyword: str, lang: str) -> bool:
    # The keyword as the compound's last part (its head): brandrök, Trinkwasser, kaasuvuoto.
    for end in ("", *_ENDINGS[lang]):
        tail = keyword + end
        if word.endswith(tail) and len(word) - len(tail) >= 3:
            head = word[: len(word) - len(tail)]
            if tokens.is_word(head, lang) or any(
                head.endswith(link) and tokens.is_word(head[: -len(link)], lang) for link in _LINKING
            ):
                return True
    # The keyword as its first part: brandrök, Brandschutz (not Brandenburg, gastronomi).
    if word.startswith(keyword) and len(word) - len(keyword) >= 3:
        rest = word[len(keyword) :]
        if rest.endswith(_PLACE_ENDINGS) and len(rest) <= 7:
            return False
        candidates = [rest] + [rest[len(link) :] for link in _LINKING if rest.startswith(link)]
        return any(tokens.is_word(c, lang) or tokens.is_word(_strip_ending(c, lang), lang) for c in candidates)
    return False


def _strip_ending(word: str, lang: str) -> str:
    for end in sorted(_ENDINGS[lang], key=len, reverse=True):
        if word.endswith(end) and len(word) - len(end) >= 3:
            return word[: -len(end)]
    return word


def matched_keywords(text: str, keywords: tuple[str, ...] | list[str], language: str = "sv") -> list[str]:
    """The keywords (as given) that occur in `text` in some form. Multi-word keywords match as phrases."""
    found_words = words(text)
    found = []
    for keyword in keywords:
        parts = words(keyword)
        if not parts:
            continue
        if len(parts) == 1:
            if any(word_matches(w, parts[0], language) for w in found_words):
                found.append(keyword)
        elif _phrase(found_words, parts, language):
            found.append(keyword)
    return found


def _phrase(found_words: list[str], parts: list[str], language: str) -> bool:
    for i in range(len(found_words) - len(parts) + 1):
        if all(word_matches(found_words[i + j], p, language) for j, p in enumerate(parts)):
            return True
    return False


@dataclass(frozen=True)
class KeyTerms:
    """The words that name what an incident is about besides its keywords: its title's, the parts of
    multi-word keywords, and the places and less common words of its approved messages."""

    stems: frozenset[str]
    # Names of more than one word part ("Friedrich-Ebert-Straße"), whose parts alone may be common words.
    names: frozenset[str] = frozenset()

    def found_in(self, text: str, language: str) -> list[str]:
        """The key terms a text names, as written, and the multi-part names among them as stems."""
        seen = []
        for word in tokens.content_words(text, language):
            if tokens.stem(word, language) in self.stems and word not in seen:
                seen.append(word)
        if self.names:
            seen += sorted(tokens.names(text, language) & self.names)
        return seen


def key_terms(title: str, keywords: tuple[str, ...], messages: list[str], organisation: str, language: str) -> KeyTerms:
    lang = language if language in LANGUAGES else "en"
    generic = lexicon.merged_words("generic_names")
    own = {tokens.stem(w, lang) for w in words(organisation)}
    stems: set[str] = set()
    for text in [title, *(k for k in keywords if len(words(k)) > 1)]:
        stems.update(tokens.stem(w, lang) for w in tokens.content_words(text, lang) if w not in generic)
    names: set[str] = set()
    # A stamp word of the messages ("tiedotteeseen", "Update") heads any bulletin, of this incident or another;
    # the title's words stay ("post office").
    stamps = _stamp_stems(lang)
    for text in messages:
        for word in tokens.content_words(text, lang):
            if len(word) >= 4 and word not in generic and _uncommon(word, lang):
                stem = tokens.stem(word, lang)
                if stem not in stamps:
                    stems.add(stem)
        names.update(n for n in tokens.names(text, lang) if "-" in n)
    return KeyTerms(frozenset(stems - own), frozenset(names))


@cache
def _stamp_stems(language: str) -> frozenset[str]:
    return frozenset(
        tokens.stem(w.strip(":"), language) for lex in lexicon.every() for s in lex.stamps for w in s.split()
    )


@lru_cache(maxsize=65536)
def _uncommon(word: str, language: str) -> bool:
    """A word rare enough to name the incident's places and things ("Hietasaari", "legionella")."""
    return tokens.frequency(word, language) < 3.5
