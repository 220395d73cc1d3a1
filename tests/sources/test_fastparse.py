"""The fast parse path (lxml) gives the posts feedparser gives, or leaves the document to feedparser."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

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
