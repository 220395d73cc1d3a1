"""Feed and user text on a page is text: nothing in it can become markup, a link or a directive."""

from __future__ import annotations

import re

from dashboard.render import cue_words, escape_md, highlight


def test_everything_markdown_could_act_on_is_escaped() -> None:
    hostile = (
        '<img src=x onerror="alert(1)"> [x](javascript:alert(1)) ![i](http://t.example/p.png) :red[boo] **b** `c` # h'
    )
    escaped = escape_md(hostile)
    assert re.search(r"(?<!\\)[<>\[\]()*`#:!_]", escaped) is None, "every significant character is escaped"
    assert escaped.replace("\\", "") == hostile


def test_cues_are_highlighted_inside_escaped_text() -> None:
    out = highlight("Jag hörde att *röken* är giftig!!!", cue_words(["hearsay: jag hörde", "sensational punctuation"]))
    assert out.startswith(":orange-background[Jag hörde]") and "\\*röken\\*" in out and out.endswith("\\!\\!\\!")
