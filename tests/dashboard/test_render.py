"""Feed and user text on a page is text: nothing in it can become markup, a link or a directive."""

from __future__ import annotations

import re

import pytest

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


# --- issue 12 item 4: a link from a feed is one link and nothing else ---------------------------------

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from dashboard.render import md_link  # noqa: E402

EVIL = "https://evil.example/x)![s](https://tracker.example/p.png)"
# A Markdown link as md_link writes it: an escaped label, then a target with nothing Markdown can act on.
ONE_LINK = re.compile(r"\[((?:\\.|[^\\\[\]])*)\]\(([^()\[\]<>\s\\`\"'*$]*)\)")


def test_a_link_that_closes_itself_early_stays_one_link_without_an_image() -> None:
    out = md_link(EVIL)
    match = ONE_LINK.fullmatch(out)
    assert match is not None, out
    assert match.group(2) == "https://evil.example/x%29!%5Bs%5D%28https://tracker.example/p.png%29"
    assert match.group(1).replace("\\", "") == EVIL[:80]


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,x", " jAvAsCrIpT:alert(1)", "//evil.example/x", "", None]
)
def test_only_http_links_become_links(url) -> None:
    out = md_link(url, "klicka")
    assert out == "klicka" and ONE_LINK.search(out) is None


@given(st.text(max_size=300))
def test_any_url_gives_one_link_or_plain_text(tail: str) -> None:
    out = md_link("https://example.org/" + tail)
    match = ONE_LINK.fullmatch(out)
    if match is None:  # not a usable http(s) link any more (safe_link said no): plain escaped text
        assert re.search(r"(?<!\\)[\[\]()<>!`]", out) is None
    else:
        assert re.search(r"(?<!\\)[\[\]()<>!`]", match.group(1)) is None


def test_errors_for_the_browser_name_no_command_line_options() -> None:
    from dashboard.render import plain_error

    assert plain_error("dismissing a flag needs a reason (--reason)") == "dismissing a flag needs a reason"
    assert plain_error("--cadence 3: minutes from 5 to 10080") == "minutes from 5 to 10080"
    assert (
        plain_error("the first user must be an admin (someone has to manage the others): add 'x' with --role admin")
        == "the first user must be an admin (someone has to manage the others)"
    )
    assert plain_error("user 'x' exists already (use users set-role)") == "user 'x' exists already"


@pytest.mark.parametrize("message", [
    "user name 'anna--b': 2-100 lower-case letters, digits, '.', '_', '@' or '-'",
    "'x--y@example.org' is not an e-mail address",
    "user name \"'; drop table users; --\": 2-100 lower-case letters, digits, '.', '_', '@' or '-'",
    "the incident title is at most 200 characters (this one has 201)",
])  # fmt: skip
def test_a_value_the_person_typed_keeps_its_dashes_and_the_message_stays_whole(message: str) -> None:
    # The value typed was cut at its '--' as if it began a command-line option: "user name 'anna" said
    # neither what was wrong nor where.
    from dashboard.render import plain_error

    assert plain_error(message) == message


def test_options_are_still_taken_out_around_a_quoted_value() -> None:
    from dashboard.render import plain_error

    assert plain_error("user 'a--b' exists already (use users set-role)") == "user 'a--b' exists already"
    assert plain_error("no flag 'x--y' (--flag)") == "no flag 'x--y'"
    assert plain_error("the playbook's cadence: say it with --cadence 5") == "the playbook's cadence"
    assert plain_error("\x000\x00 --x") == "\x000\x00"
