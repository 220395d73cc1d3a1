"""Does a text speak of the incident? Keyword matching that survives inflection and compounds.

Swedish, Finnish, German and Dutch glue words together and inflect them: `röken` is `rök`,
`brandröken` contains it, `kaasuvuodon` is `kaasuvuoto` (consonant gradation). A keyword matches a word
that starts with it, ends with it or (for keywords of five letters or more) contains it, or that shares
all but its last few letters with it.
"""

from __future__ import annotations

import re
from functools import lru_cache

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


@lru_cache(maxsize=4096)
def _stem_prefix(keyword: str) -> str:
    # Inflected forms keep the start of a word: allow the last letters to change (vuoto → vuodon).
    keep = max(4, len(keyword) - 3) if len(keyword) >= 6 else len(keyword)
    return keyword[:keep]


_ENDINGS = "en|et|ar|na|er|n|s|e|a|t|ens|ets|arna|erna|orna|es|ns|ssa|ssä|n|ja|jä"


@lru_cache(maxsize=4096)
def _compound_tail(keyword: str) -> re.Pattern[str]:
    return re.compile(rf"{re.escape(keyword)}(?:{_ENDINGS})?$")


def word_matches(word: str, keyword: str) -> bool:
    keyword = keyword.lower()
    if word == keyword or word.startswith(keyword):
        return True
    if len(keyword) >= 3 and len(word) - len(keyword) >= 3 and _compound_tail(keyword).search(word):
        return True  # a compound ending in the keyword, perhaps inflected: brandrök, brandröken, Trinkwasser
    if len(keyword) >= 5 and keyword in word:
        return True
    stem = _stem_prefix(keyword)
    return len(keyword) >= 6 and word.startswith(stem)


def matched_keywords(text: str, keywords: tuple[str, ...] | list[str]) -> list[str]:
    """The keywords (as given) that occur in `text` in some form. Multi-word keywords match as phrases."""
    tokens = words(text)
    found = []
    for keyword in keywords:
        parts = words(keyword)
        if not parts:
            continue
        if len(parts) == 1:
            if any(word_matches(w, parts[0]) for w in tokens):
                found.append(keyword)
        elif _phrase(tokens, parts):
            found.append(keyword)
    return found


def _phrase(tokens: list[str], parts: list[str]) -> bool:
    for i in range(len(tokens) - len(parts) + 1):
        if all(word_matches(tokens[i + j], p) for j, p in enumerate(parts)):
            return True
    return False
