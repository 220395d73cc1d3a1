"""Plain text out of hostile HTML: nothing that acts or hides survives."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser

from sources.text import (
    _INVISIBLE,
    MAX_TAGS,
    _in_body_from_the_start,
    _visible_text,
    bounded_markup,
    clean,
    html_to_text,
    one_line,
    safe_link,
)


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>Håll fönster <b>stängda</b>.</p><p>Nästa info kl. 9.</p>", "Håll fönster stängda.\nNästa info kl. 9."),
        ("Före<script>alert(1)</script>efter", "Före efter"),
        ("Före<SCRIPT type='x'>alert(1)</script >efter", "Före efter"),
        ("Text<script>never closed alert(1)", "Text"),
        ("<style>p{}</style>Synlig", "Synlig"),
        ('<img src=x onerror="alert(1)">Bild', "Bild"),
        ('<a href="javascript:alert(1)">länk</a>', "länk"),
        ("<!-- <script>x</script> -->kommentar", "kommentar"),
        ('<iframe src="https://evil.example"></iframe>ram', "ram"),
        ("&lt;script&gt;alert(1)&lt;/script&gt;", "<script>alert(1)</script>"),  # escaped text stays text
        ("R&auml;ddning &amp; skydd", "Räddning & skydd"),
        ("abc\u202edcba\u200b\u2066x\u2069", "abcdcbax"),  # bidi override, zero-width, isolates
        ("nul\x00byte\x07bell", "nulbytebell"),
        ("<form action=/x><input name=a></form>formulär", "formulär"),
        ("broken <b unclosed", "broken"),
        # Attribute values are never text, whatever they contain (a regex stopped at the first ">").
        ('<a title="a>b">x</a>', "x"),
        ("<p data-x='</p><script>alert(1)</script>'>y</p>", "y"),
        ('<img alt="a>b" src="x>y">z', "z"),
        ("<!x>bogus comment", "bogus comment"),
        ("<!x<!x<!x", ""),
        ("a < b && c > d", "a < b && c > d"),  # text that merely looks like markup stays text
        ("<table><tr><td>a</td><td>b</td></tr></table>", "a b"),
        ("x\u00a0\u00a0y\r\n\r\nz", "x y\nz"),
    ],
)
def test_html_to_text(html: str, text: str) -> None:
    assert html_to_text(html) == text


def test_long_text_is_capped() -> None:
    assert len(html_to_text("x" * 1_000_000, max_chars=1000)) == 1000


def test_one_line_joins_lines() -> None:
    assert one_line("<p>a</p><p>b</p>") == "a b"


@pytest.mark.parametrize(
    ("link", "safe"),
    [
        ("https://www.torsby.se/brand", "https://www.torsby.se/brand"),
        ("http://x.example/a b", "http://x.example/ab"),
        ("javascript:alert(1)", None),
        ("JaVaScRiPt:alert(1)", None),
        ("java\tscript:alert(1)", None),
        ("&#106;avascript:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("vbscript:msgbox", None),
        ("//evil.example/x", None),
        ("\u202ehttps://x.example", "https://x.example"),
        ("https://user:pw@x.example/a", "https://***@x.example/a"),  # a credential: masked
        ("https://torsby.example@evil.example/", "https://***@evil.example/"),  # a disguise: shown for what it is
        ("https://torsby.example&#64;evil.example/", "https://***@evil.example/"),  # an "@" as an entity too
        ("https://x.example/@torsby", "https://x.example/@torsby"),  # an "@" in the path: no user info
        ("HtTpS://X.example/a", "https://X.example/a"),
        ("", None),
        (None, None),
    ],
)
def test_safe_link(link: str | None, safe: str | None) -> None:
    assert safe_link(link) == safe


def test_400000_characters_of_bang_markup_are_a_bogus_comment_not_text() -> None:
    # The regular expressions this replaced spent 42 s on this and then kept it as text.
    assert html_to_text("<!x" * 133_334) == ""


def test_a_780_kb_item_becomes_its_text_and_no_attribute_or_markup_leaks() -> None:
    paragraph = '<p class="note" title="a>b">Brandlarm i Östmark</p><!x><title x'
    item = paragraph * (780_000 // len(paragraph))
    assert len(item) >= 770_000
    text = html_to_text(item)
    lines = text.split("\n")
    assert lines[0] == "Brandlarm i Östmark"
    assert set(lines) == {"Brandlarm i Östmark"}, "nothing of an attribute, a bogus comment or a cut tag"
    assert 0 < len(text) <= 100_000


def test_the_markup_read_from_one_field_is_bounded() -> None:
    # Each <div> nests in the last: the costly shape for any HTML5 tree builder. Past MAX_TAGS tags
    # nothing is read, so one field's cost has a ceiling whatever its size.
    nested = "".join(f"<div>{i}" for i in range(MAX_TAGS * 4))
    lines = html_to_text(nested).split("\n")
    assert lines[0] == "0" and lines[-1] == str(MAX_TAGS - 1)
    plain = "ord " * 200_000  # plain text: only the character bound applies
    assert len(html_to_text(plain)) == 100_000


def test_invisible_characters_are_removed_inside_markup_too() -> None:
    assert html_to_text("<b>a\u202eb</b>\u200bc<i>\ufeffd</i>") == "abcd"


def _clean_by_regular_expressions(text: str) -> str:
    """`clean` as it was written before (three substitutions): what the faster one must give."""
    text = _INVISIBLE.sub("", text)
    text = re.sub(r"[ \t\r\f\v\u00a0]+", " ", text)
    return re.sub(r"\s*\n\s*", "\n", text).strip()


# Every kind of character clean() treats apart: spaces, tabs and the other runs it collapses, line
# breaks, whitespace it keeps (U+2028, U+3000, U+1680, thin space), invisible ones it removes, letters.
_CHARACTERS = " \t\n\r\f\v\u00a0\u2028\u2029\u3000\u1680\u2009\x1c\x85\x00\u200b\u202e\ufeffab"


@given(st.text(alphabet=_CHARACTERS, max_size=20))
@settings(max_examples=3000, deadline=None, database=None)
def test_clean_gives_what_its_regular_expressions_give(text: str) -> None:
    assert clean(text) == _clean_by_regular_expressions(text)


def _corpus_files() -> list[Path]:
    """Every file of the test feeds and the hostile corpus."""
    tests = Path(__file__).resolve().parents[1]
    return sorted(
        f
        for root in (tests / "fixtures" / "feeds", tests / "corpus" / "hostile")
        for f in root.rglob("*")
        if f.is_file()
    )


def test_clean_on_every_entry_of_the_feed_corpora() -> None:
    seen = 0
    for path in _corpus_files():
        raw = path.read_bytes().decode("utf-8", "replace")
        for piece in (raw, _visible_text(raw.replace("\x00", ""))):
            assert clean(piece) == _clean_by_regular_expressions(piece), path
            seen += 1
    assert seen >= 100


_DROP = ["script", "style", "noscript", "template", "head", "title", "iframe", "object", "embed", "svg", "math",
         "noembed", "noframes", "frameset", "canvas", "audio", "video"]  # fmt: skip
_BLOCKS = ("p,div,br,li,ul,ol,tr,table,h1,h2,h3,h4,h5,h6,blockquote,pre,section,article,header,footer,hr,dd,dt,dl,"
           "figure,figcaption,aside,address,main,nav,details,summary,caption")  # fmt: skip


def _visible_text_by_selectors(markup: str) -> str:
    """`_visible_text` as it was written with CSS selectors and strip_tags: what the walk must give."""
    tree = LexborHTMLParser(markup.replace("\x00", ""))
    for node in tree.css(",".join(_DROP)):
        node.insert_before(" ")
    tree.strip_tags(_DROP)
    for node in tree.css(_BLOCKS):
        node.insert_before("\n")
        node.insert_after("\n")
    for node in tree.css("td,th"):
        node.insert_after(" ")
    root = tree.root
    return root.text(deep=True) if root is not None else ""


# Markup soup: every element the walk treats apart, the ones the parser moves or nests by its own rules
# (tables, foreign content and its integration points, templates, framesets, formatting elements),
# and text with entities, line breaks and NUL.
_TAGS = [*_DROP, *_BLOCKS.split(","), "td", "th", "tbody", "thead", "colgroup", "col", "html", "body", "b", "i", "a",
         "span", "font", "select", "option", "optgroup", "textarea", "plaintext", "xmp", "form", "input", "button",
         "foreignObject", "desc", "mi", "mtext", "annotation-xml", "image", "frame", "marquee", "nobr", "ruby", "rt",
         "P", "DiV", "SVG", "TD", "x-p"]  # fmt: skip
_PIECES = ["x", "yz ", " ", "\n", "\r\n", "\t", "&amp;", "&nbsp;", "&lt;p&gt;", "&#0;", "\x00", "<!-- c -->",
           "<!DOCTYPE html>", "<br/>", '<a href="h">', '<p class="q">', "é", "<", "&"]  # fmt: skip
_TOKEN = st.one_of(
    st.sampled_from(_TAGS).map(lambda t: f"<{t}>"),
    st.sampled_from(_TAGS).map(lambda t: f"</{t}>"),
    st.sampled_from(_PIECES),
)


@given(st.lists(_TOKEN, max_size=25).map("".join))
@settings(max_examples=4000, deadline=None, database=None)
def test_the_walk_gives_the_text_the_selectors_give(markup: str) -> None:
    assert _visible_text(markup.replace("\x00", "")) == _visible_text_by_selectors(markup)


def test_the_walk_gives_the_selectors_text_on_every_file_of_the_corpora() -> None:
    for path in _corpus_files():
        raw = path.read_bytes().decode("utf-8", "replace")[:200_000]
        assert _visible_text(raw.replace("\x00", "")) == _visible_text_by_selectors(raw), path


def _html_to_text_as_a_document(value: str) -> str:
    """html_to_text with every markup parsed as a document of its own: what the fragment path must give."""
    value = bounded_markup(value[:400_000])
    if "<" in value or "&" in value:
        value = _visible_text_by_selectors(value)
    return clean(value)[:100_000]


# Markup that starts in <body> (a character or an ordinary start tag first), so that most of it takes
# the fragment path, and some that does not (whitespace, an entity, head elements or a comment first).
_STARTS = ["x", "é", "<p>", "<P>", "<div class='a'>", "<br/>", "<b>", "<a href='h'>", "<table>", "<li>", "<h2>",
           "<pre>", "<img src=x>", "<span\n>", " ", "\n", "&amp;", "<title>", "<meta>", "<!-- c -->", "<script>",
           "<p", "<", "<ul><li>"]  # fmt: skip


@given(st.sampled_from(_STARTS), st.lists(_TOKEN, max_size=25).map("".join))
@settings(max_examples=6000, deadline=None, database=None)
def test_a_fragment_read_into_body_gives_the_documents_text(start: str, rest: str) -> None:
    markup = start + rest
    assert html_to_text(markup) == _html_to_text_as_a_document(markup)


def test_the_fragment_path_is_taken_by_ordinary_posts_and_not_by_documents() -> None:
    assert _in_body_from_the_start("<p>Håll dörrar och fönster stängda.</p>")
    assert _in_body_from_the_start("Text with a <a href='x'>link</a> &amp; more")
    for markup in ("  <p>x</p>", "&amp; x", "<title>t</title><p>x", "<!DOCTYPE html><p>x", "<p>x</p></body>x",
                   "<p>x<frameset>", "<html><body>x", "<!-- c --><p>x", "<pre>x</pre><HEAD>"):  # fmt: skip
        assert not _in_body_from_the_start(markup), markup


def test_a_fragment_with_a_lone_surrogate_is_read_as_a_document() -> None:
    markup = "<p>a\ud800b</p>"
    assert html_to_text(markup) == _html_to_text_as_a_document(markup) == "ab"


def test_the_fragment_path_gives_the_documents_text_on_every_file_of_the_corpora() -> None:
    taken = 0
    for path in _corpus_files():
        raw = path.read_bytes().decode("utf-8", "replace")
        for piece in (raw, *re.findall(r"<description>(.*?)</description>", raw, re.S)):
            piece = html.unescape(piece)
            taken += _in_body_from_the_start(piece.replace("\x00", ""))
            assert html_to_text(piece) == _html_to_text_as_a_document(piece), path
    assert taken >= 10
