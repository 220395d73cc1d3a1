"""Plain text out of feed HTML, with everything that could act or deceive removed.

Nothing from a feed is ever rendered as live HTML later: what leaves this module is text.

The HTML is read by a real HTML5 parser (selectolax's Lexbor engine), never by regular expressions:
backtracking patterns took 42 s on 400,000 characters of `<!x`, and attribute values containing `>`
leaked into the text. Parsing is linear in the input except for deeply nested block elements, where
an HTML5 tree builder checks its stack of open elements at every tag; so each field's cost is bounded
by cutting its input at MAX_HTML_CHARS characters and after MAX_TAGS tags before it is parsed.
"""

from __future__ import annotations

import html
import re
import threading

from selectolax.lexbor import LexborHTMLParser, LexborNode

# Input read from one field: enough for the longest text kept (100,000 characters) with its markup.
MAX_HTML_CHARS = 400_000
# Tags read from one field. Nesting depth is what costs (quadratically) in an HTML5 tree builder:
# 5,000 nested block elements take about 40 ms; a real article has far fewer tags than this.
MAX_TAGS = 5_000
# Content of these elements is never text a reader saw; an unclosed one swallows the rest.
_DROP = [
    "script", "style", "noscript", "template", "head", "title", "iframe", "object", "embed", "svg", "math",
    "noembed", "noframes", "frameset", "canvas", "audio", "video",
]  # fmt: skip
# Elements that start a new line where a reader sees one.
_BLOCKS = frozenset(
    (
        "p", "div", "br", "li", "ul", "ol", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
        "section", "article", "header", "footer", "hr", "dd", "dt", "dl", "figure", "figcaption", "aside",
        "address", "main", "nav", "details", "summary", "caption",
    )
)  # fmt: skip
_CELLS = frozenset(("td", "th"))
_DROPPED = frozenset(_DROP)
# The start of a document whose first element a document parser puts into <body> (none of the elements
# the rules before <body> handle apart: html, head, body, frameset and head's own).
_ORDINARY_START = re.compile(
    r"<(?:p|div|span|a|b|i|u|s|em|strong|small|big|sub|sup|br|hr|img|ul|ol|li|dl|dt|dd|h[1-6]|blockquote|pre"
    r"|table|figure|figcaption|section|article|aside|header|footer|nav|main|address|center|font|code|q|cite"
    r"|abbr|mark|time)[\t\n\f\r />]",
    re.IGNORECASE,
)
_OUTSIDE_BODY = re.compile(r"<(?:!doctype|/?html|/?head|/?body|/?frameset)", re.IGNORECASE)
# Fragments read into one reused document before it is replaced (each keeps its replaced nodes).
_REUSES = 256


class _Reused(threading.local):
    """Each thread's document for fragments (a parser is not to be shared between threads)."""

    def __init__(self) -> None:
        self.tree: LexborHTMLParser | None = None
        self.body: LexborNode | None = None
        self.uses = 0


_REUSED = _Reused()
# C0/C1 controls except tab and newline, bidi embeddings/overrides/isolates, zero-width and BOM:
# they hide or reorder what a reader sees (a "Trojan Source" title) and mean nothing in a post.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]"
)
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
# What _SPACES would change besides a lone space (most text has none).
_OTHER_SPACES = re.compile("[\t\r\f\v\u00a0]")
_USERINFO = re.compile(r"^(https?://)[^/?#]*@")
_WHITESPACE = re.compile(r"\s")


def strip_invisible(text: str) -> str:
    """Remove control, bidi and zero-width characters, keeping the text otherwise as it is."""
    return _INVISIBLE.sub("", text)


def clean(text: str) -> str:
    """Remove invisible/control characters and normalise whitespace (keeps line breaks): every run of
    spaces and tabs becomes one space, every run of whitespace holding a line break one line break, and
    the ends are stripped.

    Written with str methods where the regular expressions (`\\s*\\n\\s*` and a substitution of every
    single space by itself) cost three times as much on a post; tests/sources/test_text.py holds this to
    the regular expressions' result."""
    text = _INVISIBLE.sub("", text)
    if "  " in text or _OTHER_SPACES.search(text):
        text = _SPACES.sub(" ", text)
    return "\n".join(line for line in map(str.strip, text.split("\n")) if line)


def bounded_markup(value: str) -> str:
    """`value` cut at MAX_HTML_CHARS characters and after its first MAX_TAGS tags: what one field may cost."""
    value = value[:MAX_HTML_CHARS]
    position = -1
    for _ in range(MAX_TAGS + 1):
        position = value.find("<", position + 1)
        if position < 0:
            return value
    return value[:position]


def html_to_text(value: str | None, *, max_chars: int = 100_000) -> str:
    """The text a reader of `value` (HTML or plain text) would see, cleaned, at most `max_chars`."""
    if not value:
        return ""
    value = bounded_markup(value[: max_chars * 4])
    if "<" in value or "&" in value:  # markup or an entity; str's search is ten times a regex's
        # NUL is not text in any feed and the parser would turn it into U+FFFD; the rest is the parser's.
        value = value.replace("\x00", "")
        body = _body_text(value) if _in_body_from_the_start(value) else None
        value = _visible_text(value) if body is None else body
    return clean(value)[:max_chars]


def _visible_text(markup: str) -> str:
    """The text of `markup` parsed as a document, its invisible elements dropped and its blocks and
    cells set apart by line breaks and spaces."""
    root = LexborHTMLParser(markup).root
    return _readable(root) if root is not None else ""


def _in_body_from_the_start(markup: str) -> bool:
    """Whether a document parser puts all of `markup` into <body> from its first token on, where the
    parser of a fragment in <body> reads it alike: its first token is a character (not whitespace, which
    the document parser drops before <body>) or a start tag of an ordinary body element, and no token
    later behaves otherwise outside a fragment (a DOCTYPE, html, head, body or frameset tag)."""
    first = markup[:1]
    if not first or first in "\t\n\f\r &" or (first == "<" and not _ORDINARY_START.match(markup)):
        return False
    return _OUTSIDE_BODY.search(markup) is None


def _body_text(markup: str) -> str | None:
    """`_visible_text(markup)` but for the space before the dropped <head> (which clean() strips), read
    as a fragment into a reused document's <body>: a new lexbor document costs ten times the parse of a
    post. None for text the parser could not take (lone surrogates: a document drops them)."""
    try:
        markup.encode("utf-8")
    except UnicodeEncodeError:
        return None
    reused = _REUSED
    if reused.body is None or reused.uses >= _REUSES:
        # Replaced children are detached, not freed, until the document goes: a fresh one now and then.
        reused.tree = LexborHTMLParser("")
        reused.body, reused.uses = reused.tree.body, 0
        if reused.body is None:
            return None
    reused.uses += 1
    reused.body.inner_html = markup
    return _readable(reused.body)


def _readable(root: LexborNode) -> str:
    # The elements are picked by name in one walk, not by CSS selectors: a parser's first selector
    # builds lexbor's selector engine, which cost twice as much as parsing a post. Every element of the
    # tree is an HTML one once svg and math are dropped, named as a type selector names it;
    # tests/sources/test_text.py holds this to the selectors' text.
    dropped, blocks, cells = [], [], []
    for node in root.traverse():
        tag = node.tag
        if tag in _DROPPED:
            dropped.append(node)
        elif tag in _BLOCKS:
            blocks.append(node)
        elif tag in _CELLS:
            cells.append(node)
    for node in dropped:
        node.insert_before(" ")  # what stood on either side of a script are two words, not one
    for node in dropped:
        node.decompose(recursive=False)  # taken out of the tree, as strip_tags does
    # Those inside a dropped element are out of the tree now: what is added to them is never read.
    for node in blocks:
        node.insert_before("\n")
        node.insert_after("\n")
    for node in cells:
        node.insert_after(" ")
    return root.text(deep=True)


def one_line(value: str | None, *, max_chars: int = 2_000) -> str:
    """A title or a name: plain text on one line."""
    return html_to_text(value, max_chars=max_chars * 2).replace("\n", " ")[:max_chars]


def safe_link(value: str | None) -> str | None:
    """An http(s) URL or None: `javascript:`, `data:` and friends never become links."""
    if not value:
        return None
    candidate = _INVISIBLE.sub("", html.unescape(value)).strip()
    candidate = _WHITESPACE.sub("", candidate)
    lowered = candidate.lower()
    for scheme in ("http://", "https://"):
        if lowered.startswith(scheme) and len(candidate) <= 2000:
            # "hTtPs://" is a real link: give it its usual spelling. User info is masked: it is either a
            # credential or a disguise ("https://trusted.example@evil.example/"); without an "@" there is
            # none, and the substitution (half of this function's time) is not tried.
            link = scheme + candidate[len(scheme) :]
            return _USERINFO.sub(r"\g<1>***@", link, count=1) if "@" in link else link

    return None
