"""R5: an account the organisation does not own that presents itself as the organisation.

Display names are compared after normalising case, diacritics, punctuation and camelCase
("KirunaKommunInfo" → kiruna kommun info), and after setting aside generic words (the five
languages' words for municipality, city, council, news, information, updates, official …): what is
left must be the organisation's (or its town's) own name, allowing one typo per word. A text speaks in
the organisation's name when the name is followed by a claim verb ("Kiruna kommun informerar") or
opens the post ("Stadt Pforzheim: …"), and is not quoted ("laut Stadt Pforzheim").
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import Any

from playbooks.checks import lexicon

_CAMEL = re.compile(r"(?<=[a-zåäöüß])(?=[A-ZÅÄÖÜ])|(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])")
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)
# Words that join a name without being part of it.
_GLUE = frozenset({"of", "the", "de", "van", "der", "die", "das", "von", "och", "ja", "und", "en", "and", "het", "for"})
# Words for a town or a public body: a name ending in one is a place's own name (Karlstad, Testtown,
# Heilbronn-Land), not a compound of a generic word.
_BODY_WORDS = (
    "town", "city", "county", "borough", "district", "council", "region", "stad", "kommun", "kunta", "kunnan",
    "kaupun", "seutu", "stadt", "gemeinde", "kreis", "kanton", "bezirk", "gemeente", "provinc", "regio", "waterschap",
)  # fmt: skip
# Country codes in handles ("AssenNL_Info", "Kiruna_SE").
_COUNTRY_CODES = frozenset({"nl", "se", "fi", "ch", "uk", "at", "be", "dk", "no", "eu"})


def name_words(name: str) -> list[str]:
    """A display name as comparable words: no case, no diacritics, camelCase and digits split, a Reddit-style
    "u/" before a user name dropped."""
    lettered = _LOOK_ALIKE_DIGIT.sub(_as_letter, _USER_PREFIX.sub("", name))
    spaced = _CAMEL.sub(" ", lettered).replace("ß", "ss")  # "Gießen" is "Giessen", which ASCII would make "Gieen"
    plain = unicodedata.normalize("NFKD", spaced).encode("ascii", "ignore").decode("ascii")
    return [w for w in _NOT_WORD.split(plain.lower()) if w]


_USER_PREFIX = re.compile(r"(?<![\w/])[ur]/(?=\w)")
# "Stadt Koeln" is "Stadt Köln", "GlarusSued" is "Glarus Süd": an umlaut written out is the letter ASCII
# folds it to, when two words are compared.
_UMLAUT_SPELT = re.compile(r"(?<=[a-z])([aou])e")


def _spelt_alike(a: str, b: str) -> bool:
    return a == b or _UMLAUT_SPELT.sub(r"\1", a) == _UMLAUT_SPELT.sub(r"\1", b)


# A digit posing as a letter inside a word or at its end ("Counci1", "C0uncil"), not a number of its own
# ("Uutiset24", "Radio538").
# At a word's end only after five small letters: "SVT1", "Sat1", "Radio5", "Yle1" are channels' names.
_LOOK_ALIKE_DIGIT = re.compile(r"(?<=[A-Za-z])[0135](?=[A-Za-z])|(?<=[a-z]{5})[0135](?![0-9A-Za-z])")
_DIGIT_LETTERS = {"0": "o", "1": "l", "3": "e", "5": "s"}
_DIGITS_AS_LETTERS = str.maketrans("".join(_DIGIT_LETTERS), "".join(_DIGIT_LETTERS.values()))


def _as_letter(match: re.Match[str]) -> str:
    return _DIGIT_LETTERS[match.group(0)]


@cache
def _generic() -> frozenset[str]:
    # The words that dress a name up as official: municipality, news, updates … and the claim verbs
    # ("Tampereen kaupunki tiedottaa", "Stadt X informiert") of the five languages.
    words = set(lexicon.merged_words("generic_names")) | set(lexicon.merged_phrases("claim_verbs").phrases)
    return frozenset(w for g in words for w in name_words(g)) | _GLUE | _COUNTRY_CODES


def _is_generic(word: str, generic: frozenset[str], initials: frozenset[str] = frozenset()) -> bool:
    """A generic word, the initials of the organisation's own generic words ("BC" for Borough Council), or a
    compound ending in a generic word ("Bürgerinfo", "Kriisitiedotus", "Krisinfo")."""
    if word in generic or word in initials:
        return True
    return any(
        len(g) >= 4 and len(word) > len(g) + 2 and word.endswith(g) and not g.startswith(_BODY_WORDS) for g in generic
    )


def distinctive(name: str, initials: frozenset[str] = frozenset()) -> list[str]:
    """The words of a name that identify it: "Kiruna kommun" → ["kiruna"]. A number identifies nothing
    ("Joensuu Info 24/7"); on a news feed the town with a number is a masthead (`looks_like`)."""
    generic = _generic()
    return [w for w in name_words(name) if not w.isdigit() and not _is_generic(w, generic, initials)]


# "Höör kommun info (@hoorkommun_info@mastodon.nu)": the display name and the handle are two names.
_HANDLE = re.compile(r"\(?\s*@[\w.@-]+\s*\)?")


def _name_parts(display_name: str) -> list[str]:
    handles = [h.strip("()@ ").split("@")[0] for h in _HANDLE.findall(display_name)]
    shown = _HANDLE.sub(" ", display_name).strip()
    return [p for p in (shown, *handles) if p]


def _initials(name: str) -> frozenset[str]:
    """ "Hastings Borough Council" → {"bc", "hbc"}: how handles shorten an organisation's name."""
    generic = _generic()
    words = name_words(name)
    of_generic = "".join(w[0] for w in words if w in generic and w not in _GLUE)
    every = "".join(w[0] for w in words if w not in _GLUE)
    return frozenset(i for i in (of_generic, every) if len(i) >= 2)


def close(a: str, b: str) -> bool:
    """The same word, allowing one substitution, insertion or deletion in words of 5 letters or more, a
    doubled letter written once in words of 4, and a genitive or adjective ending ("kirunas", "oulun")."""
    if _spelt_alike(a, b):
        return True
    short, long_ = sorted((a, b), key=len)
    # Genitives, which official names use ("Oulun kaupunki", "Kirunas kommun"), and the Swedish definite
    # form ("Räddningsverket" of "räddningsverk"); not the German adjective
    # "Kieler", "Glarner", which names newspapers and clubs, never the town's own bodies.
    if len(short) >= 4 and long_.startswith(short) and long_[len(short) :] in ("s", "n", "in", "en", "et"):
        return True
    # A Finnish genitive changes the stem's end: Rovaniemi / Rovaniemen, Helsinki / Helsingin.
    common = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), len(short))
    if len(short) >= 6 and common >= len(short) - 2 and len(long_) - common <= 3 and long_.endswith("n"):
        return True
    # A doubled letter written once is the commonest slip, in short names too ("Nyse" for "Nysse").
    if (
        len(short) >= 4
        and len(long_) == len(short) + 1
        and any(long_[i] == long_[i + 1] and long_[:i] + long_[i + 1 :] == short for i in range(len(long_) - 1))
    ):
        return True
    if len(short) < 5 or len(long_) - len(short) > 1:
        return False
    if len(a) == len(b):
        differ = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        swapped = (
            len(differ) == 2
            and differ[1] == differ[0] + 1
            and a[differ[0]] == b[differ[1]]
            and a[differ[1]] == b[differ[0]]
        )
        return len(differ) == 1 or swapped  # "Kirnua" for "Kiruna"
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def _joined(name: str) -> str:
    """A name as one string with look-alike characters folded: "GemeenteVenIo" → "gemeentevenlo"."""
    folded = re.sub(r"(?<=[a-z])I(?=[a-z]|$)", "l", name).replace("ß", "ss")  # capital I posing as a small l
    plain = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode("ascii").lower()
    plain = plain.translate(_DIGITS_AS_LETTERS)
    return re.sub(r"[\W_]+", "", plain)


def _near(a: str, b: str) -> bool:
    """Equal, or one edit apart for names of 8 letters or more."""
    if a == b:
        return True
    if min(len(a), len(b)) < 8 or abs(len(a) - len(b)) > 1:
        return False
    return close(a, b) or (len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1)


def looks_like(
    display_name: str, organisation: str, official_names: tuple[str, ...] = (), *, masthead: bool = False
) -> bool:
    """Whether a display name (or the handle it shows) is the organisation's name, or its town's, dressed
    up with generic words, or an official account's name or handle with a letter swapped ("GemeenteVenIo").
    `masthead`: the name of a news medium's feed, where the town with "News", "24" or "Uutiset" is what a
    local paper is called ("Ylöjärven Uutiset", "rosenheim24"); only the organisation's own name or an
    official account's, written nearly so, looks like it there."""
    return any(_looks_like(part, organisation, official_names, masthead) for part in _name_parts(display_name))


def _looks_like(display_name: str, organisation: str, official_names: tuple[str, ...], masthead: bool) -> bool:
    joined = _joined(display_name)
    if joined and any(_near(joined, _joined(n)) for n in (organisation, *official_names) if n):
        return True
    words = name_words(display_name)
    if _opens_with(words, name_words(organisation)):
        return True
    if masthead:
        return False
    initials = _initials(organisation)
    own = distinctive(display_name, initials)
    if not own or len(own) > 3:
        return False
    for reference in (organisation, *official_names):
        theirs = distinctive(reference, initials)
        if not theirs:
            continue
        # A word of the name may also shorten theirs ("North Yorks" for North Yorkshire), not lengthen it.
        if all(any(close(w, t) or (len(w) >= 5 and t.startswith(w)) for t in theirs) for w in own):
            # The name is theirs, dressed as official with a generic word or a number ("Kiruna Info",
            # "rosenheim24"); a bare town name ("Kiruna") is too often a local group or forum to say so.
            if len(words) > len(own):
                return True
    return False


def _opens_with(words: list[str], organisation: list[str]) -> bool:
    """Whether a name opens with the organisation's whole name, word for word, whatever follows
    ("Kungsbacka Kommun IT-support", "Stadt Giessen Aktuell"; not the genitive "Kungsbacka kommuns …");
    a letter may stand for a word ("Alphen a/d Rijn" for Alphen aan den Rijn)."""
    if len(organisation) < 2 or len(words) < len(organisation):
        return False
    for i, word in enumerate(organisation):
        if i >= len(words) or not (_spelt_alike(words[i], word) or (len(words[i]) == 1 and word.startswith(words[i]))):
            return False
    return True


# "Vi på Motala kommun", "we at the council", "wir von der Stadt": the writer speaks as the organisation.
_WE = re.compile(
    r"(?<!\w)(?:vi|we|wir|wij|me|meidän)\s+(?:på|i|at|von|van|from|vom|bei|bij|från)?\s*(?:the|der|de|het)?\s*$"
)
# Opening the post in the organisation's name: "Namens de gemeente Heerenveen: …", "Im Namen der Stadt …"
# (not "contractors working on behalf of the council").
_IN_THE_NAME_OF = re.compile(
    r"^\W*(?:namens|im\s+namen|on\s+behalf\s+of|på\s+uppdrag\s+av)\s+(?:the|der|des|de|het)?\s*$"
)
# A letter's sign-off with the organisation's name ending the post: "… Ihre Stadt Chemnitz", "Met
# vriendelijke groet, Gemeente Heerenveen", "Mvh Torsby kommun" (not thanks: "Tack till er, Torsby kommun!").
_SIGN_OFF = re.compile(
    r"(?<!\w)(?:ihre|eure|euer|uw|groet|groeten|grüße|grüßen|hälsningar|mvh|terveisin|regards)[\s,:]*$"
)


def speaks_for(text: str, organisation: str) -> str | None:
    """The quote in which the text speaks in the organisation's name, if it does."""
    lowered = text.lower()
    org = organisation.lower().split()
    if not org:
        return None
    pattern = r"\s+".join(re.escape(o) for o in org)
    relay = lexicon.merged_phrases("relay")
    claims = lexicon.merged_phrases("claim_verbs")
    for match in re.finditer(pattern, lowered):
        before = lowered[max(0, match.start() - 25) : match.start()]
        after = lowered[match.end() : match.end() + 30]
        if relay.find(before):
            continue
        opens = match.start() < 3 and after.lstrip().startswith(":")
        signs = not lowered[match.end() :].strip(" .!") and bool(_SIGN_OFF.search(before))
        named = bool(_IN_THE_NAME_OF.search(lowered[: match.start()]))
        if claims.find(after[:25]) or opens or signs or named or _WE.search(before):
            return text[max(0, match.start() - 8) : match.end() + 25].strip()
    return None


def impersonation(
    display_names: list[str],
    text: str,
    organisation: str,
    official_names: tuple[str, ...] = (),
    *,
    reporting: bool = False,
) -> tuple[float, dict[str, Any]] | None:
    """The score and evidence if a post of an account the organisation does not own speaks as it.

    `reporting`: a news medium writes "the city urges…" about the organisation, not as it."""
    for name in display_names:
        if name and looks_like(name, organisation, official_names, masthead=reporting):
            return 0.9, {"account_name": name, "organisation": organisation,
                         "why": "the name is the organisation's, with generic words"}  # fmt: skip
    quote = None if reporting else speaks_for(text, organisation)
    if quote:
        return 0.8, {"account_name": display_names[0] if display_names else "", "organisation": organisation,
                     "why": "the post speaks in the organisation's name", "quote": quote}  # fmt: skip
    return None
