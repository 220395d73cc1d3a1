"""Whether something is open or closed on a day: the role a date plays for the state of its sentence
("closed on Wednesday", "closed through Tuesday", "opens again on Thursday"), and whether two such dates
about one thing say opposite things of some day.

Dates alone compare badly: "the park reopens on Wednesday" agrees with "the park stays closed through
Tuesday", though the days differ, and "the school is open on Wednesday" contradicts "the school is closed
on Wednesday and opens again on Thursday", though one of the message's days is the post's. Each dated
statement is read as the days it says something is open or closed on, and two statements contradict each
other where one says open and the other closed on the same day.
"""

from __future__ import annotations

import bisect
import re
from datetime import date, datetime, timedelta

from playbooks.checks import lexicon

# What a date is to the state of its sentence.
CLOSED_ON = "closed on"  # "stängs onsdag": that day
CLOSED_THROUGH = "closed through"  # "gesloten tot en met zondag": every day up to it, and open the next
CLOSED_UNTIL = "closed until"  # "gesperrt bis Freitag": before it; the day itself is either
CLOSED_FROM = "closed from"  # "ab Montag gesperrt"
OPENS = "opens"  # "öppnar igen torsdag", "vanaf morgen terug open": closed before it, open from it
OPEN_ON = "open on"  # "open on Saturday": that day
OPEN_UNTIL = "open until"  # "open until Friday": open before it, closed after it

# A clause ends where a state word stops reaching a date: punctuation and "but".
_CLAUSE_BREAK = re.compile(r"[,;:.!?–]|(?<!\w)(?:but|aber|maar|men|mutta|mais|doch)(?!\w)")
REACH = 40  # characters between a state word and its date
_LONGEST = 40  # characters of the longest state phrase ("up to and including" and the like)
# "Again", "opens": an open state that begins on its day, and holds from then on.
_OPENING = {
    "en": r"again|back|reopen\w*|opens|will open", "sv": r"igen|åter\w*|öppnar|öppnas",
    "fi": r"taas|jälleen|uudelleen|avautu\w*|aukea\w*|avataan|avautuvat", "de": r"wieder\w*|öffnet|öffnen",
    "nl": r"weer|opnieuw|terug|heropen\w*|opent|gaat open|gaan open",
}  # fmt: skip


Span = tuple[int, int, bool]  # where a date or a clock time is written in a sentence, and whether it is a time


def role(
    lowered: str, start: int, end: int, lex: lexicon.Lexicon, hits: list[tuple[int, str, str]], written: list[Span]
) -> str:
    """The role of the date at `start:end` of a lower-cased sentence for the state word nearest to it in
    the same clause (`hits`: position, polarity and words of the sentence's state words, negations read;
    `written`: the sentence's dates and clock times as `facts` found them, in order); "" where no state
    word reaches it."""
    best: tuple[int, str] | None = None
    # Only the state words that begin within reach (`hits` is in order of position): a long text of many
    # dates and states is read in time linear in its length, not in the product of the two.
    first = bisect.bisect_left(hits, (start - REACH - _LONGEST,))
    last = bisect.bisect_right(hits, (end + REACH + 1,))
    for at, polarity, words in hits[first:last]:
        stop = at + len(words)
        gap = start - stop if stop <= start else at - end if at >= end else 0
        if gap > REACH or _CLAUSE_BREAK.search(lowered, min(stop, end), max(at, start)):
            continue
        if best is None or gap < best[0]:
            best = (gap, polarity)
    if best is None:
        return ""
    polarity = best[1]
    bound, timed = _bound(lowered, start, end, lex, written)
    if polarity == "closed" and bound in ("until", "through") and timed:
        # "closed until 6am on Sunday", "avstängd till och med onsdag klockan 16": open again that day.
        return OPENS
    if polarity == "closed":
        return {"through": CLOSED_THROUGH, "until": CLOSED_UNTIL, "from": CLOSED_FROM}.get(bound, CLOSED_ON)
    if bound == "until" or bound == "through":
        return OPEN_UNTIL
    clause = _clause_around(lowered, start, end)
    if bound == "from" or re.search(rf"(?<!\w)(?:{_OPENING[lex.language]})(?!\w)", clause):
        return OPENS
    return OPEN_ON


def on_the_day(polarity: str) -> str:
    """The role of a state said of one day ("open" → "open on")."""
    return OPEN_ON if polarity == "open" else CLOSED_ON


def _bound(lowered: str, start: int, end: int, lex: lexicon.Lexicon, written: list[Span]) -> tuple[str, bool]:
    """The word that bounds a date: "through" ("tot en met", "till och med"), "until" ("bis", "asti") or
    "from" ("ab", "vanaf", "alkaen"), "" for none; and whether a clock time goes with the date. The dates and
    times written right next to it are one moment with it ("until 6am on Sunday 18 October", "bis Freitag
    12 Uhr"): the bound stands before them all."""
    first, last, timed = _moment(lowered, start, end, written)
    before = lowered[max(0, first - 24) : first].rstrip()
    after = lowered[last : last + 12].lstrip()
    if any(before.endswith(w) for w in lex.through):
        return "through", timed
    # Finnish puts the bound after the day: "sunnuntaihin asti", "maanantaista alkaen".
    if any(before.endswith(w) or after.startswith(w) for w in lex.until.phrases if "…" not in w):
        return "until", timed
    if any(before.endswith(w) or after.startswith(w) for w in lex.since.phrases):
        return "from", timed
    return "", timed


# What may stand between a day, its date and its time: "Sunday 18 October", "6am on Sunday", "Freitag,
# 18.9., 12 Uhr", "onsdag 15 april klockan 16".
_BETWEEN = re.compile(r"[\s,]*(?:(?:on|am|op|på|den|the|um|at|om|i|kl\.?|klo|kello|klockan)[\s,]+)?")
NEXT_TO = 3  # dates and times one moment may have: a day, its date and a time


def _moment(lowered: str, start: int, end: int, written: list[Span]) -> tuple[int, int, bool]:
    """Where the moment the date at `start:end` belongs to begins and ends, and whether it has a time."""
    index = bisect.bisect_left(written, (start, end, False))
    first, last, timed = start, end, False
    for a, b, clock in reversed(written[max(0, index - NEXT_TO) : index]):
        if b > first or not _BETWEEN.fullmatch(lowered, b, first):
            break
        first, timed = a, timed or clock
    for a, b, clock in written[index + 1 : index + 1 + NEXT_TO]:
        if a < last or not _BETWEEN.fullmatch(lowered, last, a):
            break
        last, timed = b, timed or clock
    return first, last, timed


CLAUSE_WINDOW = 200  # characters either side of a date its clause is looked for in


def _clause_around(lowered: str, start: int, end: int) -> str:
    # Within a window: a hostile run of dates without punctuation is read in linear time.
    begin = max(0, start - CLAUSE_WINDOW)
    breaks = [m.end() for m in _CLAUSE_BREAK.finditer(lowered, begin, start)]
    after = _CLAUSE_BREAK.search(lowered, end, end + CLAUSE_WINDOW)
    return lowered[(breaks[-1] if breaks else begin) : (after.start() if after else end + CLAUSE_WINDOW)]


def state_on(role_: str, day: date, when: date) -> str | None:
    """Open or closed on `when`, by a statement of `role_` about `day`; None where it says nothing of it."""
    if role_ == CLOSED_ON:
        return "closed" if when == day else None
    if role_ == CLOSED_THROUGH:
        return "closed" if when <= day else "open" if when == day + timedelta(days=1) else None
    if role_ == CLOSED_UNTIL:
        return "closed" if when < day else "open" if when == day + timedelta(days=1) else None
    if role_ == CLOSED_FROM:
        return "closed" if when >= day else None
    if role_ == OPENS:
        return "open" if when >= day else "closed"
    if role_ == OPEN_ON:
        return "open" if when == day else None
    if role_ == OPEN_UNTIL:
        return "open" if when < day else "closed" if when > day else None
    return None


def as_date(value: str, moment: datetime) -> date | None:
    """A date fact's "D.M." as the date nearest to `moment` (a message of late December speaks of January)."""
    match = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.", value)
    if not match:
        return None
    day, month = int(match.group(1)), int(match.group(2))
    candidates = []
    for year in (moment.year - 1, moment.year, moment.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    return min(candidates, key=lambda d: abs((d - moment.date()).days), default=None)


def contradiction(post: tuple[str, str], approved: list[tuple[str, str]], moment: datetime) -> tuple[date, int] | None:
    """The first day from `moment` on which the post's (role, date value) says open and an approved one
    closed, or the other way round, with no approved statement saying the post's state of that day; the
    index of the approved statement that says otherwise."""
    post_day = as_date(post[1], moment)
    theirs = [(r, as_date(v, moment)) for r, v in approved]
    if post_day is None:
        return None
    days = {post_day, post_day - timedelta(days=1), post_day + timedelta(days=1)}
    for _, d in theirs:
        if d is not None:
            days |= {d - timedelta(days=1), d, d + timedelta(days=1)}
    today = moment.date()
    for when in sorted(x for x in days if x >= today):
        mine = state_on(post[0], post_day, when)
        if mine is None:
            continue
        said = [(i, state_on(r, d, when)) for i, (r, d) in enumerate(theirs) if d is not None]
        if any(s == mine for _, s in said):
            continue
        other = next((i for i, s in said if s is not None), None)
        if other is not None:
            return when, other
    return None
