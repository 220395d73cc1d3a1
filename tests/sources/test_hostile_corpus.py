"""The hostile-feed corpus (tests/corpus/hostile): every file ends as posts or a clear health error,
within its deadline and memory bound, and nothing executable reaches a post, a page or an export."""

from __future__ import annotations

import re
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from core.tabular import neutralise_cell
from dashboard.render import escape_md
from sources.entries import FeedError
from sources.parse import parse_feed

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "hostile"
EXPECTED = yaml.safe_load((CORPUS / "expected.yaml").read_text(encoding="utf-8"))
FETCHED = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)
MEMORY_BOUND = 256 * 1024 * 1024
EXECUTABLE = re.compile(r"<script|javascript:|vbscript:|onerror\s*=|onload\s*=|<iframe|<form|<svg", re.I)
INVISIBLE = re.compile("[\u202a-\u202e\u2066-\u2069\u200b-\u200f\ufeff\x00]")


def test_the_corpus_is_complete() -> None:
    files = sorted(p.name for p in CORPUS.glob("*.xml"))
    assert files == sorted(EXPECTED) and len(files) >= 40


@pytest.mark.timeout(30)
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_file(name: str) -> None:
    expect = EXPECTED[name]
    data = (CORPUS / name).read_bytes()
    tracemalloc.start()
    try:
        outcome: object = parse_feed(data, fetched_at=FETCHED, language_hint="sv")
    except FeedError as exc:
        outcome = exc
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert peak < MEMORY_BOUND, f"{name} took {peak / 1e6:.0f} MB"
    if "error" in expect:
        assert isinstance(outcome, FeedError) and expect["error"] in str(outcome), outcome
        return
    if isinstance(outcome, FeedError):
        assert expect.get("any"), f"{name}: unexpected error {outcome}"
        return
    entries = outcome.entries  # type: ignore[attr-defined]
    if "posts" in expect:
        assert len(entries) == expect["posts"]
    first = entries[0] if entries else None
    if first is not None:
        for key, attribute in (("title", "title"), ("link", "link"), ("date_source", "published_source")):
            if key in expect:
                assert getattr(first, attribute) == expect[key]
        if "guid_prefix" in expect:
            assert first.guid.startswith(expect["guid_prefix"])
        if "max_title" in expect:
            assert len(first.title) <= expect["max_title"]
    for entry in entries:
        shown = f"{entry.title}\n{entry.text}"
        for fragment in expect.get("absent", []):
            assert fragment not in shown
        assert not EXECUTABLE.search(shown) or expect.get("render_safe"), shown[:200]
        assert not INVISIBLE.search(shown)
        assert entry.link is None or entry.link.startswith(("http://", "https://"))
        # On a page: escaped, so no Markdown link, HTML or directive survives.
        assert re.search(r"(?<!\\)[<>\[\]()`*]", escape_md(shown)) is None
        # In a spreadsheet: no cell runs as a formula.
        assert not neutralise_cell(entry.title).startswith(("=", "+", "-", "@"))
        assert not neutralise_cell(entry.text).startswith(("=", "+", "-", "@"))
