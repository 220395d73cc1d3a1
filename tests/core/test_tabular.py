"""core/tabular.py: rows for the terminal, programs and spreadsheets."""

from __future__ import annotations

from core.tabular import render


def test_a_table_never_sends_terminal_controls() -> None:
    # A registry name "A\x1b[2J" cleared the terminal of whoever ran `accounts list`; OSC set its title.
    rows = [{"name": "A\x1b[2JB", "owner": "o\x1b]0;owned\x07", "text": "abc\u202edef\x9b"}]
    table = render(rows, "table", ["name", "owner", "text"])
    assert "\x1b" not in table and "\x07" not in table and "\u202e" not in table and "\x9b" not in table
    assert table.splitlines()[2].split() == ["A\ufffd[2JB", "o\ufffd]0;owned\ufffd", "abc\ufffddef\ufffd"]


def test_a_table_keeps_ordinary_text() -> None:
    table = render([{"name": "Östmark – brand", "n": 3}], "table", ["name", "n"])
    assert table.splitlines()[2] == "Östmark – brand  3"
