"""JSON from feeds, read defensively: bounded in bytes and nesting depth before the parser sees it.

The standard library's parser is linear in its input but recurses on nesting (a document of 100,000
`[` ends in RecursionError), and it accepts NaN, Infinity and duplicate keys. Here the nesting is
measured first, on the structure alone (strings cut out), and anything wrong is a `FeedError` naming
what was wrong, for feed health; never a traceback.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from sources.entries import FeedError

MAX_BYTES = 8 * 1024 * 1024
MAX_DEPTH = 32
# No feed has a use for longer numbers; Python's own limit (4300 digits) raises a bare ValueError, and
# float() of a 400-digit integer raises OverflowError.
MAX_NUMBER_CHARS = 40
# A JSON string (with its escapes) and whatever is not a bracket: what nesting does not depend on.
_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKETS = re.compile(r"[^\[\]{}]+")


def depth_of(text: str) -> int:
    """The deepest nesting of arrays and objects in `text` (strings do not count)."""
    deepest = depth = 0
    for char in _NOT_BRACKETS.sub("", _STRINGS.sub("", text)):
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _refuse_constant(name: str) -> Any:
    raise FeedError(f"JSON holds {name}, which is not JSON")


def _parse_int(literal: str) -> int:
    if len(literal.lstrip("-")) > MAX_NUMBER_CHARS:
        raise FeedError(f"JSON holds a {len(literal)}-digit number, longer than the {MAX_NUMBER_CHARS} allowed")
    return int(literal)


def _parse_float(literal: str) -> float:
    if len(literal) > MAX_NUMBER_CHARS * 2:
        raise FeedError(f"JSON holds a {len(literal)}-character number, longer than the {MAX_NUMBER_CHARS * 2} allowed")
    value = float(literal)
    if not math.isfinite(value):
        raise FeedError(f"JSON holds the number {literal[:20]}, which is out of range")
    return value


def loads(data: bytes, *, what: str = "JSON document", max_bytes: int = MAX_BYTES, max_depth: int = MAX_DEPTH) -> Any:
    """Parse `data` as JSON within the bounds; FeedError says what was wrong."""
    if len(data) > max_bytes:
        raise FeedError(f"{what}: {len(data)} bytes exceeds the {max_bytes}-byte cap for JSON")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FeedError(f"{what}: not UTF-8 ({exc.reason} at byte {exc.start})") from None
    if not text.strip():
        raise FeedError(f"{what}: empty response body")
    depth = depth_of(text)
    if depth > max_depth:
        raise FeedError(f"{what}: nested {depth} levels deep, more than the {max_depth} allowed")
    try:
        return json.loads(text, parse_constant=_refuse_constant, parse_int=_parse_int, parse_float=_parse_float)
    except json.JSONDecodeError as exc:
        raise FeedError(f"{what}: malformed JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from None
    except FeedError as exc:
        raise FeedError(f"{what}: {exc}") from None
    except (ValueError, OverflowError) as exc:  # anything else the parser refuses: a record, not a traceback
        raise FeedError(f"{what}: unreadable JSON ({type(exc).__name__})") from None
    except RecursionError:  # the depth check should make this unreachable; still a health record
        raise FeedError(f"{what}: nested too deeply") from None


def text(value: Any, *, max_chars: int = 20_000) -> str | None:
    """A JSON value that should be text: strings as they are (cut), numbers as text, anything else None."""
    if isinstance(value, str):
        return value[:max_chars]
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        try:
            return str(value)[:max_chars]
        except ValueError:  # an integer beyond Python's 4300-digit conversion limit
            return None
    return None


def mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def items(value: Any, *, limit: int = 1_000) -> list[Any]:
    """A JSON value that should be a list (a single object counts as a list of one), bounded."""
    if isinstance(value, list):
        return value[:limit]
    if isinstance(value, dict):
        return [value]
    return []
