"""The one tokenizer of the checks: words, stems and sentences, split once per text.

Stems come from the Snowball stemmers (snowballstemmer) of the five languages; whether a word is a
word of the language (for compounds) from wordfreq's small frequency lists.
"""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer  # type: ignore[import-untyped]

from playbooks.checks import lexicon

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# A sentence ends at . ! ? before a capital, a digit or the end, or at a line break; not after an
# abbreviation such as "kl." (times are written "kl. 18.00", dates "15.3. klo 12") or "St." ("im Pfarrheim
# St. Nikola", written with its capital).
# A question or an exclamation ends its sentence before a small letter too ("Onko se auki? veisin kahvia"):
# posts often write no capitals, and no abbreviation ends in "?" or "!".
_SENTENCE_END = re.compile(
    r"(?<!\bkl)(?<!\bca)(?<!\bnr)(?<!\bbzw)(?<!\bz\.b)(?<!\b[sS]t)(?<!\b[dD]r)(?<!\bNr)(?<![sS]tr)(?<![.!?])[.!?]++(?=\s+[A-ZÅÄÖÜ0-9\"“'(#@]|\s*$)"
    r"|(?<![.!?])[!?]++(?=\s+\w)|\n+"
)
# A link, also as a bare address ("www.kalmar.se", "giessen.de/aktuell", "Mer på hallsberg.se", "Tampere.fi"),
# as social posts shortened to a line write them. A domain that is also a word ("de", "se", "at", "nu",
# "info") after a full stop with no space ("stängd.de boende") is a bare address only with a path or at
# the end of the text. The look-behind keeps the pattern linear on hostile text ("a-a-a-…") and leaves
# e-mail addresses whole.
_URL = re.compile(
    r"https?://\S+|www\.\S+|(?<![\w@.-])[a-z0-9][\w-]*(?:\.[\w-]+)*\."
    r"(?:(?:fi|nl|ch|lu|uk|ie|eu|com|org|net|gov)(?![\w@-])(?:/\S*)?"
    r"|(?:se|de|be|at|li|nu|info)(?:/\S*|(?=\W*$)))",
    re.I,
)


def words(text: str) -> list[str]:
    """Lower-cased words and numbers, in order."""
    return _WORD.findall(text.lower())


def content_words(text: str, language: str | None = None) -> list[str]:
    """Words that carry content: no function words of any language, no numbers, at least 3 letters.
    A word led by a digit ("20u", "10am", "3km") is a value with its unit, not what a sentence is about."""
    stop = lexicon.merged_words("function_words") if language is None else lexicon.load(language).function_words
    return [w for w in words(text) if len(w) > 2 and not w[0].isdigit() and w not in stop]


@lru_cache(maxsize=8)
def _stemmer(language: str) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer(lexicon.load(language).stemmer)


@lru_cache(maxsize=65536)
def stem(word: str, language: str) -> str:
    return str(_stemmer(language).stemWord(word))


def stems(text: str, language: str) -> frozenset[str]:
    """The stems of the content words of a text."""
    return frozenset(stem(w, language) for w in content_words(text, language))


def sentences(text: str) -> list[str]:
    """The sentences of a text, each with its closing punctuation (a question keeps its "?")."""
    text = unwrapped(_URL.sub(" ", text))
    found, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        found.append(text[start : match.end()].strip())
        start = match.end()
    found.append(text[start:].strip())
    merged: list[str] = []
    for sentence in found:
        # "seit dem 7. September", "15. maaliskuuta": an ordinal date, not the end of a sentence.
        if merged and _ORDINAL_END.search(merged[-1]) and _MONTH_START.match(sentence):
            merged[-1] = f"{merged[-1]} {sentence}"
        else:
            merged.append(sentence)
    return [s for s in merged if s.strip(".!?\n ")]


# A line closed by a symbol, an emoji or the punctuation of a label, a question or an exclamation. A line
# ending in "." is joined to the next: the sentence splitter ends the sentence there where a sentence
# ends, and not after "kl." or the "1." of "1. September", which a wrap often leaves at a line's end; so is
# a line ending in ";".
_LINE_CLOSED = re.compile(r"[^\w\s,;(\[–.-]\s*$")
# A line that starts a list item, a tag or a symbol of its own, not a bracket or a quote. Not a number:
# it may be a wrapped time ("klo" at one line's end, "17." at the next's start).
_LINE_OPENS = re.compile(r"\s*[^\w\s(\[\"'„“”‘’«»]")
# Lines shorter than this are a headline, a label or a list entry where they stop without punctuation.
WRAP_WIDTH = 45


def unwrapped(text: str) -> str:
    """The text with the line breaks that wrap a sentence joined: feeds break lines inside sentences (a
    <br>, a body hard-wrapped at 60 or 72 characters), and read as sentence ends those breaks cut "the
    rest centre at the\nTown Hall is open until 22:00" into two statements. A break stays where the line
    before is closed (punctuation, a symbol), short (a headline, a label, a list entry) or blank, or the
    next line opens a list item."""
    if "\n" not in text:
        return text
    lines = text.split("\n")
    kept = [lines[0]]
    for line in lines[1:]:
        before = kept[-1].strip()
        if (
            not before
            or not line.strip()
            or len(before) < WRAP_WIDTH
            or _LINE_CLOSED.search(before)
            or _LINE_OPENS.match(line)
        ):
            kept.append(line)
        else:
            kept[-1] = f"{kept[-1].rstrip()} {line.lstrip()}"
    return "\n".join(kept)


def caseless(text: str) -> bool:
    """Whether a text is written without capitals, or in capitals only ("SCHOOLS CLOSED TOMORROW")."""
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 10:
        return False
    return all(c.islower() for c in letters) or all(c.isupper() for c in letters)


def written_forms(texts: list[str]) -> dict[str, str]:
    """Each word the texts capitalise inside a sentence (a name, a German noun), by its lower-case form, as
    the texts write it; a word capitalised only where it opens a sentence is no name."""
    forms: dict[str, str] = {}
    for text in texts:
        for match in _CAPITALISED.finditer(text):
            for word in _WORD.findall(match.group(0)):  # "Uni-Halle": its parts as the tokenizer reads them
                if word[0].isupper() and len(word) > 1:  # "A&E" gives no "A": the article stays "a"
                    forms.setdefault(word.lower(), word)
    return forms


def recased(text: str, forms: dict[str, str]) -> str:
    """A caseless text in lower case, with the words of `forms` written as there, and each sentence's first
    letter a capital: what a post written in lower case (or shouted in capitals) would read like."""
    lowered = text.lower()
    restored = _WORD.sub(lambda m: forms.get(m.group(0), m.group(0)), lowered)
    return _SENTENCE_START.sub(lambda m: m.group(0).upper(), restored)


_CAPITALISED = re.compile(r"(?<=[\w,;:)–-] )[A-ZÅÄÖÜ][\w-]*")
_SENTENCE_START = re.compile(r"(?:^|(?<=[.!?]\s)|(?<=\n))\s*[^\W\d_]")


_ORDINAL_END = re.compile(r"(?<![\d.])\d{1,2}\.$")
_MONTH_START = re.compile(
    r"(?:jan|feb|mär|mar|apr|mai|may|maj|jun|jul|aug|sep|okt|oct|nov|dez|dec|tammi|helmi|maalis|huhti|touko|kesä|heinä|"
    r"elo|syys|loka|marras|joulu)",
    re.I,
)


# German puts a comma before "doch" as a conjunction; without one it is a particle inside a clause ("Der Zug
# wird doch nachgeholt"), and cutting there lost the statement. "aber" is written without one often enough.
# A run of spaces is matched from its start only: tried at each of its spaces it cost the square of its length.
_CLAUSE_END = re.compile(r"[,;:–—]\s+|(?<!\s)\s+(?:but|men|mutta|aber|maar|however)\s+", re.I)


def clauses(sentence: str) -> list[str]:
    """A sentence cut at commas, semicolons and "but": where a negation's reach ends."""
    return [c.strip() for c in _CLAUSE_END.split(sentence) if c and c.strip()]


# Where a sentence joins two statements of their own: a semicolon or a spaced dash ("Withybush stays open
# until 22:00; the Leisure Centre closes at 20:00"). A comma joins too much else (an appositive, a place
# said once for both: "I Kåge är värmestugan öppen till kl. 22, och bussen går till kl. 21").
_STATEMENT_CUT = re.compile(r";\s+|(?<!\s)\s+[–—-]\s+")


def statement_spans(sentence: str) -> list[tuple[int, int]]:
    """Where each statement a sentence joins stands in it (start, end), the cuts left out."""
    spans, start = [], 0
    for cut in _STATEMENT_CUT.finditer(sentence):
        spans.append((start, cut.start()))
        start = cut.end()
    spans.append((start, len(sentence)))
    return [(a, b) for a, b in spans if sentence[a:b].strip()]


def strip_links(text: str) -> str:
    return _URL.sub(" ", text)


@lru_cache(maxsize=65536)
def frequency(word: str, language: str) -> float:
    """How common a word is in the language (Zipf scale: 0 unknown, 3 uncommon, 6 very common)."""
    from wordfreq import zipf_frequency  # loaded on first use: the lists cost ~30 MB

    return float(zipf_frequency(word, language, wordlist="small"))


def names(text: str, language: str) -> frozenset[str]:
    """Stems of the names in a text: capitalised words inside a sentence that are not common words
    ("Rideau", "Blerick", "INVISTA" is an acronym and left out)."""
    found = set()
    # Hyphenated names stay whole ("Ede-Zuid", "Kåge-Byske"): a short first part alone is often a word.
    # A word with a capital inside ("OsnabrückHalle") is a name however common its parts.
    for match in re.finditer(r"(?<=[\w,;:)] )([A-ZÅÄÖÜ][a-zåäöüßéè]+(?:-?[A-ZÅÄÖÜ][a-zåäöüßéè]+)*)", text):
        word = match.group(1).lower()
        if len(word) >= 3 and ("-" in word or not _common(word, language) or _street(word, language)):
            found.add(stem(word, language))
    # A street or square is named at a sentence's start too ("Universitetsvägen öppnar"), where its first
    # part is no common word.
    for match in re.finditer(r"(?<![\w-])([A-ZÅÄÖÜ][a-zåäöüßéè]+)", text):
        word = match.group(1).lower()
        if _street(word, language, anywhere=True):
            found.add(stem(word, language))
    return frozenset(found)


def _common(word: str, language: str) -> bool:
    """A common word, also in its genitive ("außerhalb dieses Bereichs": "Bereichs" is rarer than "Bereich")."""
    if frequency(word, language) >= 3.5:
        return True
    return language != "fi" and word.endswith("s") and frequency(word[:-1], language) >= 3.5


# The last parts of street and square names: a capitalised word ending so names one place. Endings that
# also end common nouns ("-platsen": olycksplatsen, "-tie": kiertotie, "-tori": rehtori, "-kade":
# blokkade) are left out.
_STREET_TAILS = {
    "sv": ("gatan", "vägen", "torget", "gränd", "gränden"),
    "fi": ("katu", "kadulla", "kadun", "kadulta", "kadulle"),
    "de": ("straße", "strasse", "platz", "gasse", "allee"),
    "nl": ("straat", "plein", "laan", "gracht", "steenweg"),
    "en": (),  # English names streets in two words ("Whitcliffe Lane"): the first is capitalised on its own
}


def _street(word: str, language: str, anywhere: bool = False) -> bool:
    """Whether a capitalised word names a street. Inside a sentence the capital says so; at its start
    (`anywhere`) the first part must be no common word too ("Universitetsvägen", not "Motorvägen")."""
    return any(
        len(word) > len(tail) + 2 and word.endswith(tail) and not (anywhere and _common(word[: -len(tail)], language))
        for tail in _STREET_TAILS.get(language, ())
    )


# German capitalises every noun, and its compounds are rare words however common their parts. A word
# made of known words ("Haustiere", "Notunterkunft") or with a noun suffix ("Entschärfung") is a noun,
# not the name of a place, unless it ends the way places do ("Rosenplatz", "Siegsdorf"). Hand-written:
# no maintained German compound splitter is among the packages this project can install; this one needs
# only wordfreq.
_DE_NOUN_SUFFIXES = ("ung", "ungen", "heit", "keit", "schaft", "tion", "tät", "nis", "ismus")
_DE_PLACE_TAILS = (
    *_STREET_TAILS["de"], "weg", "ring", "ufer", "burg", "berg", "dorf", "stadt", "heim",
    "hausen", "ingen", "ing", "feld", "bach", "stein", "wil", "ach", "au", "see", "tal", "brück", "brücke",
)  # fmt: skip
_DE_LINKS = ("", "s", "es", "n", "en", "e", "er")
_DE_ENDINGS = ("", "e", "en", "n", "s", "es", "er", "ern")


@lru_cache(maxsize=16384)
def german_common_noun(word: str) -> bool:
    """Whether a capitalised German word (lower-cased here) is a common noun rather than a place name."""
    if "-" in word or word.endswith(_DE_PLACE_TAILS):
        return False
    if word.endswith(_DE_NOUN_SUFFIXES):
        return True
    for cut in range(3, len(word) - 2):
        head, tail = word[:cut], word[cut:]
        if any(tail.endswith(e) and is_word(tail[: len(tail) - len(e)] if e else tail, "de") for e in _DE_ENDINGS):
            if any(head.endswith(k) and is_word(head[: len(head) - len(k)] if k else head, "de") for k in _DE_LINKS):
                return True
    return False


@lru_cache(maxsize=65536)
def is_word(word: str, language: str) -> bool:
    """Whether `word` is a word of the language in its own right (a compound's part, not "enburg")."""
    return len(word) >= 3 and frequency(word, language) >= 2.0
