"""atheris target: any bytes → posts or a FeedError, never a crash; links http(s) only, no invisible
characters. (Text may contain "<" or "javascript:" as text: it is escaped wherever it is shown, which
tests/fuzz/fuzz_render.py checks.)

    python -m tests.fuzz.fuzz_ingest [libFuzzer options] [CORPUS_DIR ...]
"""

from __future__ import annotations

import re
import sys
from datetime import UTC, datetime

import atheris

with atheris.instrument_imports():
    from sources.entries import FeedError
    from sources.parse import parse_feed

FETCHED = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)
INVISIBLE = re.compile("[\u202a-\u202e\u2066-\u2069\u200b-\u200f\ufeff\x00]")


def test_one_input(data: bytes) -> None:
    try:
        parsed = parse_feed(data, fetched_at=FETCHED)
    except FeedError:
        return
    for entry in parsed.entries:
        if INVISIBLE.search(f"{entry.title}\n{entry.text}"):
            raise AssertionError("an invisible or control character survived")
        if entry.link is not None and not entry.link.startswith(("http://", "https://")):
            raise AssertionError(f"unsafe link {entry.link!r}")


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
