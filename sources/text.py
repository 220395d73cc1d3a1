"""Plain text out of feed HTML, with everything that could act or deceive removed.

Nothing from a feed is ever rendered as live HTML later: what leaves this module is text.
"""

from __future__ import annotations

import html
import re

# Content of these elements is never text a reader saw; an unclosed one swallows the rest.
_DROP_CONTENT = re.compile(
    r"<(script|style|noscript|template|head|title|iframe|object|svg|math)\b[^>]*>.*?(?:</\1\s*>|\Z)",
    re.IGNORECASE | re.DOTALL,
)
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)|<!\[CDATA\[|\]\]>|<![^>]*>|<\?[^>]*>", re.DOTALL)
_BLOCK_TAG = re.compile(
    r"</?(?:p|div|br|li|ul|ol|tr|table|h[1-6]|blockquote|pre|section|article|header|footer|hr|dd|dt)\b[^>]*>",
    re.IGNORECASE,
)
# Any other tag, including malformed ones cut off at the end of the text.
_TAG = re.compile(r"</?[A-Za-z][^>]*(?:>|\Z)")
# C0/C1 controls except tab and newline, bidi embeddings/overrides/isolates, zero-width and BOM:
# they hide or reorder what a reader sees (a "Trojan Source" title) and mean nothing in a post.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]"
)
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_LINES = re.compile(r"\s*\n\s*")
_TAG_HINT = re.compile(r"<[A-Za-z!/]")


def strip_invisible(text: str) -> str:
    """Remove control, bidi and zero-width characters, keeping the text otherwise as it is."""
    return _INVISIBLE.sub("", text)


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
        # Regular expressions, not an HTML parser: the result is only ever shown as text, so a
        # stray "<" left by broken markup is harmless, and this is several times faster.
        value = _DROP_CONTENT.sub(" ", value)
        value = _COMMENT.sub(" ", value)
        value = _BLOCK_TAG.sub("\n", value)
        value = _TAG.sub("", value)
    return clean(html.unescape(value))[:max_chars]


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
    for scheme in ("http://", "https://"):
        if lowered.startswith(scheme) and len(candidate) <= 2000:
            return scheme + candidate[len(scheme) :]  # "hTtPs://" is a real link: give it its usual spelling

    return None
