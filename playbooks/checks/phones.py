"""Phone numbers the unit gives, and posts that give one it replaced or one a digit or two off.

A number names a line; it is no value of a slot. An incident may have two lines at once (a hotline and a
customer centre) and neither contradicts the other, so a post's number contradicts the approved ones in two
cases only: a number a later approved message replaced ("unter der neuen Nummer 08031 392-6100", "(in
plaats van 14 055)", "Ring i stället 06 325 8900"), and a number the messages never gave that is off by a
digit or two from one they give (a slip that sends callers nowhere, or to someone else).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache, lru_cache

from playbooks.checks import compare, lexicon, tokens
from playbooks.checks.facts import INSTEAD, relocates

KIND = "phone"
MIN_DIGITS = 5  # "14 055", "113 13"; "112" and "101" are the emergency numbers everyone may give
NEAR = 2  # digits that may differ in a number of the same length for a slip of one the unit gives
NEAR_MIN_DIGITS = 6
SAME_EXCHANGE = 4  # leading digits two numbers of one organisation's exchange share
# Digits in groups joined by a space or a hyphen ("08031 392-6000", "0340-880 00", "+46 60 19 10 00"); not
# a clock time, a date or a reference ("10.00", "2026-01-21", "DPP/0312/13/10/26"), which dots, slashes and
# colons join.
_NUMBER = re.compile(r"(?<![\w+/.,:-])\+?\d(?:[ \u00a0-]?\d){4,14}(?![\w/]|[.,:-]\d)")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_BEFORE = 3  # words before a number that may say it is one ("bel gewoon 14 0575", "ring det nya numret …")
# A post gives a number or two; a text of thousands of digit groups (a table, a hostile paste) is read only
# this far, so that reading it stays linear.
MAX_NUMBERS = 20


@dataclass(frozen=True)
class Number:
    digits: str
    written: str
    sentence: str
    set_aside: bool  # written as the number not to call: "(in plaats van 14 055)", "14 0575 werkt tijdelijk niet"
    replaces: bool  # written as the number to call in place of another: "neue Nummer", "i stället", "instead"


@lru_cache(maxsize=4096)
def numbers(text: str, language: str) -> tuple[Number, ...]:
    """The phone numbers of a text: a number that starts with 0 or + and has six digits or more, or any of
    five or more right after a word for calling or a line ("bel 14 055", "ring 113 13")."""
    if not any(ch.isdigit() for ch in text):
        return ()
    lex = lexicon.load(language)
    found = []
    for sentence in tokens.sentences(text):
        lowered = sentence.lower()
        clauses: list[str] | None = None  # read once a number of the sentence needs them
        for match in _NUMBER.finditer(sentence):
            written = match.group(0)
            digits = re.sub(r"\D", "", written)
            if len(digits) < MIN_DIGITS or _ISO_DATE.fullmatch(written):
                continue
            start, end = match.span()
            before = tokens.words(lowered[max(0, start - 60) : start])[-_BEFORE:]
            instead = _instead_before(language).search(lowered[max(0, start - 30) : start]) is not None or (
                re.match(r"(?::n)?\s+sijaan(?!\w)", lowered[end:]) is not None
            )
            # "0800-1351 (in plaats van 14 055)": the number set aside for another is one too.
            if not (written[0] in "0+" and len(digits) >= 6) and not lex.phone.intersection(before):
                if not (instead and len(_NUMBER.findall(sentence)) > 1):
                    continue
            if clauses is None:
                clauses = tokens.clauses(lowered)
            # The number not to call: after "instead of", before "sijaan", or in a clause that says no
            # ("Het nummer 14 0575 werkt tijdelijk niet").
            clause = next((c for c in clauses if lowered[start:end] in c), "")
            set_aside = instead or bool(set(tokens.words(clause)) & set(lex.negation))
            found.append(Number(digits, written, sentence.strip(), set_aside, _replaces(lowered, lex)))
            if len(found) >= MAX_NUMBERS:
                return tuple(found)
    return tuple(found)


@cache
def _instead_before(language: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w)(?:{INSTEAD[language]})\s*[(]?\s*(?:\w+\s+){{0,3}}$")


def _replaces(lowered: str, lex: lexicon.Lexicon) -> bool:
    return relocates(lowered) or bool(set(tokens.words(lowered)) & lex.new_number)


@dataclass(frozen=True)
class Approved:
    """An approved message as this check reads it: its id, when it was approved, its text and language."""

    id: int
    approved_at: datetime
    text: str
    language: str


def conflicts(
    text: str, language: str, messages: Sequence[Approved], moment: datetime, *, slips: bool = True
) -> list[compare.Conflict]:
    """The post's numbers that a message in force at `moment` replaced, or that are a slip of one it gives.
    `messages`: those in force at `moment` (a corrected version no longer counts), in any order. `slips`:
    whether a number a digit or two off counts; the organisation's own pages carry its other lines, of
    the same exchange, in footers and sidebars ("Vragen? Bel 14 0570"), and its own posts that change a
    number are not routed (R1) anyway."""
    posted = numbers(text, language)
    if not posted:
        return []
    given = [
        (message, number)
        for message in sorted(messages, key=lambda m: m.approved_at) if message.approved_at <= moment
        for number in numbers(message.text, message.language)
    ]  # fmt: skip
    if not given:
        return []
    found = []
    written = {n.digits for n in posted}
    for number in posted:
        if number.set_aside:
            continue  # "14 0575 werkt tijdelijk niet": the post says not to call it
        stale = _replaced(number.digits, given)
        if stale is not None and stale[1].digits in written:
            continue  # "… 06 325 8800 är överbelastat. Ring i stället 06 325 8900": the post gives the new one too
        if stale is not None:
            by, new = stale
            found.append(compare.Conflict(KIND, number.written, new.written, number.sentence, new.sentence, by.id,
                                          by.id, by.approved_at.isoformat()))  # fmt: skip
            continue
        if not slips or any(n.digits == number.digits for _, n in given):
            continue
        slip = next(((m, n) for m, n in reversed(given) if not n.set_aside and _near(number.digits, n.digits)), None)
        if slip is not None:
            message, near = slip
            found.append(compare.Conflict(KIND, number.written, near.written, number.sentence, near.sentence,
                                          message.id))  # fmt: skip
    return found


def _replaced(digits: str, given: list[tuple[Approved, Number]]) -> tuple[Approved, Number] | None:
    """The message (and its number) that replaced `digits`, when no later message gives `digits` again: one
    that gives another number in its place for the same line (the old number set aside, or the two of
    one exchange), or that says `digits` is not to be called."""
    mentions = [(m, n) for m, n in given if n.digits == digits]
    if not mentions:
        return None
    last_message, last = mentions[-1]
    if last.set_aside:
        other = [(m, n) for m, n in given if m.approved_at >= last_message.approved_at and n.digits != digits]
        return other[-1] if other else (last_message, last)
    for message, number in reversed(given):
        if message.approved_at < last_message.approved_at:
            break
        if number.digits == digits or not number.replaces:
            continue
        same_line = any(n.set_aside for _, n in mentions) or number.digits[:SAME_EXCHANGE] == digits[:SAME_EXCHANGE]
        if same_line and (message.approved_at > last_message.approved_at or message.id == last_message.id):
            return message, number
    return None


def _near(a: str, b: str) -> bool:
    """One number written for another: as long, at least six digits, at most two of them different."""
    return len(a) == len(b) >= NEAR_MIN_DIGITS and sum(x != y for x, y in zip(a, b, strict=True)) <= NEAR
