"""atheris target: any text → page Markdown in which nothing is live (no link, HTML or directive).

python -m tests.fuzz.fuzz_render [libFuzzer options] [CORPUS_DIR ...]
"""

from __future__ import annotations

import re
import sys

import atheris

with atheris.instrument_imports():
    from dashboard.render import escape_md, highlight

LIVE = re.compile(r"(?<!\\)[<>\[\]()`*_:!#|]")


def test_one_input(data: bytes) -> None:
    provider = atheris.FuzzedDataProvider(data)
    text = provider.ConsumeUnicodeNoSurrogates(4096)
    escaped = escape_md(text)
    if LIVE.search(escaped):
        raise AssertionError(f"live markup in {escaped[:200]!r}")
    if escaped.replace("\\", "") != text.replace("\r", "").replace("\\", ""):
        raise AssertionError("escaping changed the text, not only its markup")
    word = text[: provider.ConsumeIntInRange(1, 8)]
    # Highlighting wraps cue words in a directive; outside those directives everything stays escaped.
    outside = re.sub(r":orange-background\[(?:\\.|[^\\\]])*\]", "", highlight(text, [word]))
    if LIVE.search(outside):
        raise AssertionError(f"live markup next to a highlight: {outside[:200]!r}")


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
