"""Showing text that came from a feed or a user: always as text, never as HTML; links only if http(s)."""

from __future__ import annotations

import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|:<>~=$&\"'])")


def escape_md(text: str) -> str:
    """Backslash-escape every Markdown-significant character: the text renders literally, with no
    links, images, HTML, directives (``:red[...]``) or emphasis it did not mean as text."""
    return _MD_SPECIAL.sub(r"\\\1", text.replace("\r", ""))


def highlight(text: str, words: list[str]) -> str:
    """Escaped text with each cue word on an orange background (Streamlit Markdown)."""
    if not words:
        return escape_md(text)
    pattern = re.compile("|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True) if w), re.I)
    out, last = [], 0
    for match in pattern.finditer(text):
        out.append(escape_md(text[last : match.start()]))
        out.append(f":orange-background[{escape_md(match.group(0))}]")
        last = match.end()
    out.append(escape_md(text[last:]))
    return "".join(out)


def cue_words(cues: list[str]) -> list[str]:
    """'hearsay: jag hörde' → 'jag hörde' (the words to highlight)."""
    return [c.split(": ", 1)[1] for c in cues if ": " in c]
