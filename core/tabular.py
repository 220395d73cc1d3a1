"""Rows as text: for the terminal (table), programs (json) and spreadsheets (csv, formula-safe)."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

FORMATS = ("table", "json", "csv")
# A cell starting with one of these runs as a formula in spreadsheet programs (CSV injection).
_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "|", "%")
# What a terminal obeys instead of showing (ESC[2J clears it, OSC sets its title) and the bidi controls
# that reorder a line: a table shows each as U+FFFD, so the reader sees that something was there.
_TERMINAL_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def render(rows: Sequence[dict[str, Any]], fmt: str, columns: Sequence[str]) -> str:
    if fmt == "json":
        return json.dumps(list(rows), ensure_ascii=False, indent=2, default=str)
    if fmt == "csv":
        return to_csv(rows, columns)
    return to_table(rows, columns)


def neutralise_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_TRIGGERS):
        return "'" + text
    return text


def to_csv(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    return "".join(csv_lines(rows, columns))


def csv_lines(rows: Iterable[dict[str, Any]], columns: Sequence[str]) -> Iterator[str]:
    """The header, then one line (or more, for a cell with a line break) per row: a table of any length
    written without holding it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    yield buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([neutralise_cell(_flat(row.get(c))) for c in columns])
        yield buffer.getvalue()


def to_table(rows: Sequence[dict[str, Any]], columns: Sequence[str], max_width: int = 48) -> str:
    def cell(value: Any) -> str:
        text = _TERMINAL_CONTROLS.sub("\ufffd", " ".join(_flat(value).split()))
        return text if len(text) <= max_width else text[: max_width - 1] + "…"

    body = [[cell(row.get(c)) for c in columns] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in body]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines.extend("  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() for r in body)
    if not rows:
        lines.append("(none)")
    return "\n".join(lines)


def _flat(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value))
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)
