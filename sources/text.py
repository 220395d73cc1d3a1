"""Plain text out of feed HTML, with everything that could act or deceive removed.

Nothing from a feed is ever rendered as live HTML later: what leaves this module is text.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

# Content of these elements is never text a reader saw.
_DROP_CONTENT = frozenset({"script", "style", "noscript", "template", "head", "title", "iframe", "object"})
_BLOCK = frozenset(
    {"p", "div", "br", "li", "ul", "ol", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6",
     "blockquote", "pre", "section", "article", "header", "footer", "hr", "dd", "dt"}
)  # fmt: skip
# C0/C1 controls except tab and newline, bidi embeddings/overrides/isolates, zero-width and BOM:
# they hide or reorder what a reader sees (a "Trojan Source" title) and mean nothing in a post.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]"
)
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_LINES = re.compile(r"\s*\n\s*")
_TAG_HINT = re.compile(r"<[A-Za-z!/]")


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROP_CONTENT:
            self._skip += 1
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROP_CONTENT:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def clean(text: str) -> str:
    """Remove invisible/control characters and normalise whitespace (keeps line breaks)."""
    text = _INVISIBLE.sub("", text)
    text = _SPACES.sub(" ", text)
    return _LINES.sub("\n", text).strip()


def html_to_text(value: str | None, *, max_chars: int = 100_000) -> str:
    """The text a reader of `value` (HTML or plain text) would see, cleaned, at most `max_chars`."""
    if not value:
        return ""
    value = value[: max_chars * 4]
    if _TAG_HINT.search(value):
        parser = _TextExtractor()
        try:
            parser.feed(value)
            parser.close()
        except (AssertionError, ValueError):  # html.parser on pathological markup
            pass
        text = "".join(parser.parts)
    else:
        text = html.unescape(value)
    return clean(text)[:max_chars]


def one_line(value: str | None, *, max_chars: int = 2_000) -> str:
    """A title or a name: plain text on one line."""
    return html_to_text(value, max_chars=max_chars * 2).replace("\n", " ")[:max_chars]


def safe_link(value: str | None) -> str | None:
    """An http(s) URL or None: `javascript:`, `data:` and friends never become links."""
    if not value:
        return None
    candidate = _INVISIBLE.sub("", html.unescape(value)).strip()
    candidate = re.sub(r"[\s]", "", candidate)
    lowered = candidate.lower()
    if lowered.startswith(("http://", "https://")) and len(candidate) <= 2000:
        return candidate
    return None
