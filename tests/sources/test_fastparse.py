"""The fast parse path (lxml) gives the posts feedparser gives, or leaves the document to feedparser."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from feedparser.datetimes import _parse_date
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sources import fastparse
from sources.entries import FeedError
from sources.parse import parse_feed

HERE = Path(__file__).resolve().parents[1]
# The real samples sit beside the checkout on the workplace; CI clones without them.
SHARED = HERE.parents[1] / "shared" / "corpora" / "feeds"
CORPORA = [HERE / "fixtures" / "feeds", HERE / "corpus" / "hostile", SHARED]
FILES = sorted(f for root in CORPORA if root.is_dir() for f in root.rglob("*") if f.is_file())
AT = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def _posts(data: bytes, *, fast: bool) -> object:
    try:
        parsed = parse_feed(data, fetched_at=AT, language_hint="sv", fast=fast)
    except FeedError as exc:
        return (type(exc).__name__, str(exc))
    entries = [
        (e.guid, e.content_hash, e.title, e.text, e.link, e.author, e.published, e.published_source, e.language,
         e.extra)
        for e in parsed.entries
    ]  # fmt: skip
    return parsed.format, parsed.title, parsed.truncated, entries


def test_both_paths_give_the_same_posts_on_every_feed_of_the_corpora() -> None:
    assert len(FILES) >= 70
    fast = 0
    for path in FILES:
        data = path.read_bytes()
        if fastparse.parse(data) is None:
            continue  # feedparser reads it on both paths
        assert _posts(data, fast=True) == _posts(data, fast=False), path
        fast += b"<!ENTITY" not in data
    assert fast >= 30, "the fast path reads the plain feeds of the corpora"


@pytest.mark.parametrize(
    "body",
    [
        b'<!DOCTYPE rss><rss version="2.0"><channel><item><title>x</title></item></channel></rss>',
        b'<rss version="0.91"><channel><item><title>x</title></item></channel></rss>',
        b'<rss version="2.0"><channel><item><title>a <b>b</b></title></item></channel></rss>',
        b'<rss version="2.0"><channel><item><guid>https://x.example/1</guid></item></channel></rss>',
        b'<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel><item>'
        b"<itunes:summary>s</itunes:summary></item></channel></rss>",
        b'<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://x.example/"><entry><link href="a"/></entry></feed>',
        b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><content type="xhtml"><div/></content></entry></feed>',
        b'<rss version="2.0"><channel><item><title>x</title></item>',
    ],
)
def test_what_the_fast_path_is_unsure_of_goes_to_feedparser(body: bytes) -> None:
    assert fastparse.parse(body) is None
    assert _posts(body, fast=True) == _posts(body, fast=False)


# Pieces of the dates feeds write (RFC 822, asctime, Perforce, W3DTF, words), joined at random.
_DATE_PIECES = st.sampled_from(
    ["Sun,", "Tue", "Thursday,", "t", "T", "Nov", "nov", "May", "22", "2", "2026", "26", "99", "06:49:00", "6:49",
     "24:00:00", "+0000", "-05:00", "+0530", "GMT", "gmt+1", "Etc/GMT", "EST", "UT", "Z", "z", "2026/11/22",
     "2026-11-22", "11-22", "x", "-", ",", " ", "  ", "\t", ".5", "0", "31", "Feb", "30", "10000", "9999"]
)  # fmt: skip


@given(st.lists(_DATE_PIECES, max_size=9).map(" ".join) | st.text(max_size=40))
@settings(max_examples=2000, deadline=None, database=None)
@example("Sun, 22 Nov 2026 06:49:00 +0000")
@example("Fri, 2006/09/15 08:19:53 EDT")  # Perforce: past RFC 822, to the rest of feedparser's formats
@example("Sun Nov 22 06:49:00 2026")  # asctime
@example("t2026-11-22")
@example("Sat, 01 Jan 0001 00:30:00 +0100")  # before year 1 in UTC
@example("Fri, 31 Dec 9999 23:30:00 -0100")  # after year 9999 in UTC
def test_dates_are_read_as_feedparser_reads_them(text: str) -> None:
    assert fastparse.parse_date(text) == _parse_date(text)
