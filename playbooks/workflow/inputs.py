"""Text a person types into the desk (message texts, incident titles): valid Unicode, something a reader
can see, and nothing invisible that could hide or reorder what the public reads or break the XML feeds."""

from __future__ import annotations

import re
import unicodedata

from sources.language import LANGUAGES, normalise
from sources.text import strip_invisible

# Characters that are letters or symbols to Unicode but render as nothing (Hangul fillers, the braille
# blank, the combining grapheme joiner, Khmer inherent vowels, the Mongolian vowel separator).
_BLANK = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f\u17b4\u17b5\u180e")
# What XML 1.0 cannot carry at all (besides the controls strip_invisible removes): lone surrogates and
# the non-characters U+FFFE and U+FFFF.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def invalid_unicode(text: str) -> bool:
    """True for text that cannot be encoded (bytes that were not UTF-8, carried as lone surrogates)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def visible(text: str) -> bool:
    """At least one character a reader sees: a letter, digit, punctuation mark or symbol that renders."""
    return any(unicodedata.category(ch)[0] in "LNPS" and ch not in _BLANK for ch in text)


def xml_safe(text: str) -> str:
    """`text` without control, bidi or zero-width characters and without anything XML 1.0 cannot carry."""
    return _NOT_XML.sub("", strip_invisible(text))


def clean(text: str) -> str:
    """Keeps line breaks; removes what `xml_safe` removes and the spaces around the text."""
    return xml_safe(text.replace("\r\n", "\n")).strip()


def one_line(text: str) -> str:
    """A title: `clean`, with every run of white space (line breaks included) one space."""
    return " ".join(clean(text).split())


def language_problem(code: str | None) -> str | None:
    """None when `code` is empty or one of the five working languages (a regional tag like 'sv-FI' is its
    language), else what is wrong with it."""
    if code is None or not code.strip():
        return None
    if normalise(code) not in LANGUAGES:
        return f"language {code!r} is not one of {', '.join(LANGUAGES)}"
    return None


def checked(text: str, *, what: str, missing: str, limit: int, single_line: bool, error: type[ValueError]) -> str:
    """A text a person typed, made safe or refused with `error`: valid UTF-8, no invisible characters,
    something visible, at most `limit` characters (one line for a title)."""
    if invalid_unicode(text):
        raise error(f"the {what} is not valid text (bytes that are not UTF-8?)")
    text = one_line(text) if single_line else clean(text)
    if not visible(text):
        raise error(missing)
    if len(text) > limit:
        raise error(f"the {what} is at most {limit} characters (this one has {len(text)})")
    return text
