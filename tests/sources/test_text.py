"""Plain text out of hostile HTML: nothing that acts or hides survives."""

from __future__ import annotations

import pytest

from sources.text import html_to_text, one_line, safe_link


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
        ("", None),
        (None, None),
    ],
)
def test_safe_link(link: str | None, safe: str | None) -> None:
    assert safe_link(link) == safe
