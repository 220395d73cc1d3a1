"""Showing text that came from a feed or a user: always as text, never as HTML; links only if http(s).

Everything that reaches Streamlit's Markdown (st.markdown, st.caption, st.error/warning/info/success, a
title) from outside the code passes `escape_md`, and a link passes `md_link`, which percent-encodes every
character that could end or restart Markdown link syntax.
"""

from __future__ import annotations

import difflib
import re
import string
from urllib.parse import quote

from sources.text import safe_link

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|:<>~=$&\"'])")
# Kept as they are in a link target: letters, digits and the URL delimiters that mean nothing to Markdown.
# Everything else (parentheses, brackets, angle brackets, quotes, backslash, spaces, '*', '$', '`', and
# any non-ASCII character) is percent-encoded, so a target can neither end early nor start new syntax.
_URL_KEEP = frozenset(string.ascii_letters + string.digits + "-._~:/?#@!&+,;=%")
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def escape_md(text: str) -> str:
    """Backslash-escape every Markdown-significant character: the text renders literally, with no
    links, images, HTML, directives (``:red[...]``) or emphasis it did not mean as text."""
    return _MD_SPECIAL.sub(r"\\\1", text.replace("\r", ""))


def md_link(url: str | None, label: str | None = None, *, max_label: int = 80) -> str:
    """One Markdown link to an http(s) `url`, labelled with escaped text (the URL itself by default); any
    other URL (or none) is shown as text only."""
    link = safe_link(url)
    shown = (label if label is not None else (link or url or ""))[:max_label]
    if link is None:
        return escape_md(shown)
    target = "".join(ch if ch in _URL_KEEP else quote(ch, safe="") for ch in link)
    return f"[{escape_md(shown)}]({_BAD_PERCENT.sub('%25', target)})"


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


_CLI_ASIDE = re.compile(r"\s*\([^()]*(?:--|crisisdesk |users set-role)[^()]*\)")
_CLI_LEAD = re.compile(r"^--[\w-]+(?: \S+)?:\s*")


# A value the message quotes as it was given ('a--b', "it's"): what the person typed, never an option.
_QUOTED = re.compile(r"(?<!\w)(?:'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\")(?!\w)")


def plain_error(message: str) -> str:
    """A service's refusal for a person in the browser: without the command-line options the same message
    names for the terminal (`(--reason)`, `: add 'x' with --role admin`, `--cadence 3: ...`). A quoted
    value keeps its `--`: the message stays whole when what the person typed holds one."""
    # Options are looked for in a copy where each quoted value is blanked, character for character, so a
    # position found there is the same position in the message.
    blank = _QUOTED.sub(lambda found: "'" + "_" * (len(found.group(0)) - 2) + "'", message)
    drop = [False] * len(message)
    for found in [*filter(None, [_CLI_LEAD.match(blank)]), *_CLI_ASIDE.finditer(blank)]:
        drop[found.start() : found.end()] = [True] * (found.end() - found.start())
    text = "".join(c for c, gone in zip(message, drop, strict=True) if not gone)
    blank = "".join(c for c, gone in zip(blank, drop, strict=True) if not gone)
    if "--" in blank:
        cut = blank.index("--")
        colon = blank.rfind(":", 0, cut)
        text = text[:colon] if colon >= 0 else text[:cut].rstrip()
    return text.strip() or message


_WORDS = re.compile(r"\s+|[^\s]+")


def word_diff(old: str, new: str) -> str:
    """What a new text changes in an old one, word by word, as one piece of escaped Markdown: removed
    words struck through on red, added words on green, the rest as it reads (issue 13: not a unified diff)."""
    before, after = _WORDS.findall(old), _WORDS.findall(new)
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape_md("".join(after[j1:j2])))
            continue
        gone, added = "".join(before[i1:i2]), "".join(after[j1:j2])
        around = added if added.strip() else gone
        lead, trail = around[: len(around) - len(around.lstrip())], around[len(around.rstrip()) :]
        marks = []
        if gone.strip():
            marks.append(f":red-background[~~{escape_md(' '.join(gone.split()))}~~]")
        if added.strip():
            marks.append(f":green-background[{escape_md(' '.join(added.split()))}]")
        out.append(lead + " ".join(marks) + trail if marks else added)
    return "".join(out).replace("\n", "  \n")
