"""When a text says it was written, and which part of a live page speaks now.

CMSs and feeds stamp pages and headlines with their own time ("Updated 10 March 2026, 14:30",
"Päivitetty 10.3. klo 14.30", "Stand: 10.03.2026, 9 Uhr"); a crisis page keeps its earlier updates
under their stamps. Neither a stamp nor an earlier update is a fact of the incident as it stands now.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from functools import cache

from playbooks.checks import lexicon, tokens
from sources.language import LANGUAGES

# A stamp's date and time in the forms CMSs and feeds write them: "14:30", "2 pm", "10.03.2026",
# "2026-03-10T14:30", "10/03/2026", "10 March 2026", "March 10, 2026", "Di 10.3." (with a weekday).
_STAMP_TIME = r"\d{1,2}[:.]\d{2}(?::\d{2})?(?:\s*(?:uhr|uur|h|a\.?m\.?|p\.?m\.?)(?!\w))?|\d{1,2}\s*(?:a\.?m\.?|p\.?m\.?|uhr|uur)(?!\w)"
_STAMP_NUMERIC_DATE = r"\d{4}-\d{2}-\d{2}(?:t\d{2}:\d{2}(?::\d{2})?)?|\d{1,2}\.\s?\d{1,2}\.(?:\s?\d{4}|\d{2}(?!\d))?|\d{1,2}/\d{1,2}/\d{2,4}"
# Right before the stamp word, a word that makes the time the *next* update's ("next update 16:00", "will be
# updated at 16", "wordt bijgewerkt om 16.00"), which is a fact.
_NEXT_BEFORE = re.compile(
    r"(?:next|new|will be|to be|nächste\w*|neue\w*|wird|werden|volgende|nieuwe|wordt|worden|nästa|ny|nytt|"
    r"kommer att|seuraava\w*|uusi|uuden)\s+$"
)


@cache
def _stamp_pattern(language: str) -> re.Pattern[str] | None:
    pattern = _dated(language, lexicon.load(language).stamps)
    return re.compile(pattern, re.I) if pattern else None


def _dated(language: str, words: tuple[str, ...]) -> str | None:
    """A pattern of one of `words` followed by a date, a time or both, as the language writes them."""
    if not words:
        return None
    item = rf"\(?(?:{_date(language)}|{_STAMP_TIME})\)?"  # "Earlier update (07:00):"
    # Possessive runs of spaces: two quantifiers sharing one run of spaces backtracked quadratically on a
    # stamp word followed by thousands of spaces.
    joint = r"(?:\s*+(?:,|–|-|\||klo\.?|kello|kl\.?|klockan|um|at|om|on|am|den|op|the)\s*+|\s++)"
    said = "|".join(re.escape(w[:-1]) + r"\s*+:" if w.endswith(":") else re.escape(w) + r"(?!\w)" for w in words)
    return rf"(?<!\w)(?:{said})\s*+:?{joint}?(?:{item})(?:{joint}(?:{item})){{0,2}}(?!\w)"


def _date(language: str) -> str:
    """A date as the language writes it, with its weekday if given."""
    lex = lexicon.load(language)
    months = "|".join(re.escape(m.rstrip("*")) for m in lex.months)
    days = "|".join(re.escape(d) for d in lex.days_of_week)
    return rf"(?:(?:{days})\w*,?\s+)?(?:{_STAMP_NUMERIC_DATE}|\d{{1,2}}\.?\s+(?:{months})\w*(?:\s+\d{{4}})?|(?:{months})\w*\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?)"


def _bare(language: str) -> str:
    """A time alone (its date and clock word before it, if given) heading a section with a colon, no stamp
    word: "7.30 Uhr: …", "klo 14.20: …", "Tue 3 March, 09:15: …"."""
    return rf"(?:{_date(language)}\s*+,?\s*+)?(?:(?:klo|kello|kl|klockan|um|om|at)\.?\s*+)?(?:{_STAMP_TIME})"


def without_stamps(text: str, language: str) -> str:
    """The text less its stamps of publication ("Updated 10 March 2026, 14:30", "Päivitetty 10.3. klo 14.30",
    "Stand: 10.03.2026, 9 Uhr"): a page's or a headline's own time is no clock time of the incident, and read
    as one it made a faithful website copy look changed (and its social post look missing on the website)."""
    pattern = _stamp_pattern(language)
    if pattern is None or not any(ch.isdigit() for ch in text):
        return text
    text = _LABEL_TIME.sub("", text)
    pieces, end = [], 0
    for match in pattern.finditer(text):
        if _NEXT_BEFORE.search(text[max(0, match.start() - 20) : match.start()].lower()):
            continue
        pieces.append(text[end : match.start()])
        end = match.end()
    return "".join(pieces) + text[end:] if pieces else text


# Words a page's dateline may carry besides its date and time: a label ("Nieuwsbericht", "Meddelande") and
# the publisher ("Jakobstads Vatten").
_DATELINE_WORDS = 3
_DATELINE_LENGTH = 120  # characters: a longer first line is text, and a long line is not read twice
# How long before its publication in the feed a page may have been dated (a page edited later keeps its
# dateline), and how far a dateline's clock may run ahead of the feed's.
_DATED_BEFORE = timedelta(days=2)
# An hour more: a Swedish-language organisation in Finland reads its Swedish lexicon's clock an hour behind.
_CLOCK_AHEAD = timedelta(minutes=70)


@cache
def _dateline(language: str) -> re.Pattern[str]:
    """A date with its year, and a time: "20.1.2026 kl. 6.50", "zondag 15 maart 2026, 17.14 uur"."""
    return re.compile(
        rf"(?=[^\n]*\d{{4}}){_date(language)}\s*+,?\s*+(?:(?:klo|kello|kl|klockan|um|om|at|den|op)\.?\s*+)?"
        rf"(?:{_STAMP_TIME})(?!\w)",
        re.I,
    )


def without_dateline(text: str, language: str, published: datetime) -> str:
    """The text less a first line that is its dateline: the date and time it was published, with a label
    or the publisher's name at most ("Meddelande 20.1.2026 kl. 6.50 | Jakobstads Vatten", "Nieuwsbericht |
    zondag 15 maart 2026, 17.14 uur"), over the text. CMSs head pages so with words of their own, which no
    list of stamp words holds. Only a date and time at or a little before the post's publication are its
    dateline: "Informationsmöte 12.3.2026 kl. 18.00" over a post of 10 March announces the meeting.
    `published`: when the post was published, on the clock where the language is written (`facts.local`)."""
    if language not in LANGUAGES:
        return text
    head, newline, rest = text.lstrip().partition("\n")
    if not newline or not rest.strip() or len(head) > _DATELINE_LENGTH:
        return text
    found = _dateline(language).search(head)
    if found is None:
        return text
    before = head[: found.start()].lower()
    besides = tokens.words(before + " " + head[found.end() :])
    lex = lexicon.load(language)
    if len(besides) > _DATELINE_WORDS or lex.until.find(before) or lex.since.find(before):
        return text  # "Kokningsrekommendation till 9.3.2026 kl. 12.00": the end of something, no dateline
    dated = _stamp_moment(found.group(0), language)
    if dated is None:
        return text
    return rest if -_CLOCK_AHEAD <= published.replace(tzinfo=None) - dated <= _DATED_BEFORE else text


def _stamp_moment(written: str, language: str) -> datetime | None:
    """The local date and time a dateline writes, without a zone; None when it is no real date."""
    key = _stamp_key(written)
    year = re.search(r"\d{4}", written)
    if key is None or year is None or not key[1]:
        return None
    try:
        return datetime(key[0] or int(year.group(0)), key[1], key[2], key[3] // 60, key[3] % 60)
    except ValueError:
        return None


# A time in brackets labelling what follows its colon ("Latest (11:30): …", "Aktuell (12.3., 9.15 Uhr): …"):
# when the section was written, whatever word heads it.
_LABEL_TIME = re.compile(
    rf"\((?:{_STAMP_NUMERIC_DATE})?[\s,]*(?:(?:klo|kl|um|at|om)\.?\s*)?(?:{_STAMP_TIME})\)(?=\s*:)", re.I
)


_SECTION_MIN_WORDS = 4  # fewer words are a heading ("Aktuelle Lage") or a stamp, not an update


def current_part(text: str) -> str:
    """The part of a live page that speaks now. A crisis page keeps its earlier updates below (or above)
    the current one, each under the stamp of when it was written ("Updated 14:00: …", "Päivitetty 12.3.
    klo 9.15: …"), or under a heading ("Earlier updates") over such stamped updates: those say what held
    then, and read as today's facts they contradicted the messages that moved them. A footer is set aside
    first (`_without_footer`). The current part is the text above a history heading; else, where two or
    more stamped sections (a stamp with text under it) are in a certain order of time, the newest (with
    the page's lead above sections going back in time); else the whole text — a lone stamp may be the
    page's footer, and an order that is not certain (no times, a page running over midnight with no
    dates) is no order."""
    text = _without_footer(text)
    # An earlier update announced inline ("… Earlier update: …") needs no digit; everything else does.
    inline = _inline_history().search(text)
    if inline and _enough(text[: inline.start()]) and _enough(text[inline.end() :]):
        return text[: inline.start()].rstrip()
    if not any(ch.isdigit() for ch in text):
        return text  # no stamp without a time, and a history heading counts only over stamped updates
    heading = _history_heading().search(text)
    if heading and _line_stamps().search(text, heading.end()) and _enough(text[: heading.start()]):
        return text[: heading.start()].rstrip()
    stamps = list(_line_stamps().finditer(text))
    bounds = [m.start() for m in stamps] + [len(text)]
    # A stamp with no text under it ("Published 12.3. 12:05" over "Updated 12.3. 12:40") heads nothing.
    headed = [
        (m, text[m.end() : bounds[i + 1]]) for i, m in enumerate(stamps) if _enough(text[m.end() : bounds[i + 1]])
    ]
    if len(headed) < 2:
        return text
    found = [_stamp_key(m.group(0)) for m, _ in headed]
    keys = [k for k in found if k is not None]
    if len(keys) < len(found) or len(set(keys)) < len(keys) or len({k[:3] == (0, 0, 0) for k in keys}) > 1:
        return text  # no order to read: a stamp without a time, two alike, or days given for some only
    if keys[0][:3] == (0, 0, 0) and max(k[3] for k in keys) - min(k[3] for k in keys) > 12 * 60:
        return text  # times alone over more than half a day: the page may run over midnight
    sections = [text[m.start() : m.end()] + body for m, body in headed]
    lead = text[: headed[0][0].start()].strip()
    if keys == sorted(keys, reverse=True):  # newest first, under the page's lead
        newest = sections[0].strip(" \t\n|")
        return f"{lead}\n\n{newest}" if _enough(lead) else newest
    if keys == sorted(keys):  # oldest first: the last section is the newest
        return sections[-1].strip(" \t\n|")
    return text


_LINE_BREAK = re.compile(r"\n\s*")  # a feed's text keeps a page's paragraphs as lines
# A stamp that is a sentence of its own, or a page's last words: a section's heading ends in a colon, a dash
# or a line break instead.
_STAMP_SENTENCE = re.compile(r"[ \t]*(?:[.|]|$)")
# What a footer points to: a question to ask, a number to call, an address to write or visit.
_CONTACT = re.compile(r"\?|@|https?://|www\.|\d(?:[\s-]?\d){4,}")
_FOOTER_SHARE = 0.5  # a footer's words are the CMS's, not the page's: fewer than half of them are the page's


def _sentence_stamp(text: str, stamp: re.Match[str]) -> bool:
    """Whether a stamp is a sentence of its own ("Published 10.2.2026 11.05. Questions?"), its full stop
    read into the stamp as a date's or not."""
    if _STAMP_SENTENCE.match(text, stamp.end()):
        return True
    return stamp.group(0).endswith(".") and not _HEADING_END.match(text, stamp.end())


_HEADING_END = re.compile(r"[ \t]*[:–—-]")


def _without_footer(text: str) -> str:
    """The page less its footer: a last line that opens with the page's own stamp as a sentence, points
    to a contact (a question, a phone number, an address) and uses few of the page's words ("Published
    10 February 2026, 11:05. Questions? Call us on 0300 123 4567."). Read as a section, its stamp (the
    newest) broke the order of a live page's sections, and its words made unrelated pages about the
    incident ("kontaktcenter"). A last update written so ("Updated 14:00. All clear: ventilation may be
    switched on again.") points to no contact and stays."""
    breaks = list(_LINE_BREAK.finditer(text.rstrip()))
    if not breaks:
        return text
    head, last = text[: breaks[-1].start()], text[breaks[-1].end() :].strip()
    stamp = _line_stamps().match(last)
    if not stamp or not _enough(head) or not _sentence_stamp(last, stamp) or not _CONTACT.search(last, stamp.end()):
        return text
    said = {w[:5] for w in tokens.content_words(last[stamp.end() :])}
    shared = said & {w[:5] for w in tokens.content_words(head)}
    # A page whose sections are headed otherwise ("Update 10:30 – …") tells its footer by the style too; a
    # page without such sections only by words of none of its own ("Update 12.30 uur. De brug is weer
    # open." under "De brug is dicht" is its newest update).
    headed = any(not _sentence_stamp(head, m) for m in _line_stamps().finditer(head))
    if not said or (shared and not (headed and len(shared) < _FOOTER_SHARE * len(said))):
        return text  # a stamp alone heads nothing anyway
    return head.rstrip()


def _enough(text: str) -> bool:
    """Whether a part of a page says anything (a stamp or a heading alone does not)."""
    return len(tokens.words(text)) >= _SECTION_MIN_WORDS


@cache
def _line_stamps() -> re.Pattern[str]:
    """A stamp in any of the five languages heading a section of a live page: at the start of a line, or
    after a sentence's end with a colon after it ("… gesperrt. Meldung vom 22. Juli, 21.40 Uhr: …"), as
    a page reads when its feed ran its paragraphs together."""
    stamps = "|".join(p.pattern for p in (_stamp_pattern(language) for language in LANGUAGES) if p is not None)
    # A time alone heads a section only before a colon, at a line's start or after a sentence's end (a
    # live page's "11.35 Uhr: …  7.30 Uhr: …"); two or more in a certain order of time still decide.
    bare = "|".join(_bare(language) for language in LANGUAGES)
    # A feed that joins a page's paragraphs with a bar ("… natten. | 09.40 Rättelse: … | 06.50 Ett läckage …")
    # marks each section with it: there a time before a capital heads one, colon or not.
    return re.compile(
        rf"(?:^|(?<=\n))[ \t*_#>•–-]*(?:{stamps}|(?:{bare})(?=\s*:))"
        rf"|(?<=[.!?] )(?:(?:{stamps})(?={_AFTER_INLINE})|(?:{bare})(?=\s*:))"
        rf"|(?<=\| )(?:{stamps}|(?:{bare})(?=\s*:|\s+(?-i:[A-ZÅÄÖÜ])))",
        re.I,
    )


# What ends a stamp run into the text: a colon, a dash ("Update 5.30pm – …"), or a full stop of its own
# ("Update dinsdag 10 maart, 12.30 uur. De …").
_AFTER_INLINE = r"\s*(?::|[–—]|-\s|\.\s)"


@cache
def _history_heading() -> re.Pattern[str]:
    """A line that heads a live page's history: "Earlier updates", "Tidigare", "Frühere Meldungen"."""
    phrases = "|".join(re.escape(p) for language in LANGUAGES for p in lexicon.load(language).history)
    return re.compile(rf"(?:^|(?<=\n))[ \t*_#>]*(?:{phrases})[ \t*_:]*(?=\n)", re.I)


@cache
def _inline_history() -> re.Pattern[str]:
    """An earlier update announced after a sentence's end and before a colon, with its date or time or in
    words of its own: "… dricka. Tidigare uppdatering 09.40: …", "… ei riitä. Aiempi tiedote 3.2.: …",
    "… open until 10 pm. Earlier update: …"."""
    dated = [p for p in (_dated(language, lexicon.load(language).history) for language in LANGUAGES) if p]
    # A heading of two words or more says "earlier update" without a date too ("Tidigare uppdatering:");
    # "Earlier:" alone may label a sentence of the current update.
    named = [re.escape(p) for language in LANGUAGES for p in lexicon.load(language).history if " " in p]
    return re.compile(
        rf"(?<=[.!?\n] )[ \t*_#>]*(?:(?:{'|'.join(dated)}){_AFTER_INLINE}|(?:{'|'.join(named)})(?!\w)\s*:)", re.I
    )


_STAMP_CLOCK = re.compile(r"(?<!\d)([01]?\d|2[0-3])[:.]([0-5]\d)(?!\d)(?:\s*(a\.?m\.?|p\.?m\.?))?", re.I)
_STAMP_DAY = re.compile(
    r"(?<![\d.])(?P<d>\d{1,2})\.\s?(?P<m>\d{1,2})\.(?:\s?(?P<y>\d{4}))?"
    r"|(?P<y2>\d{4})-(?P<m2>\d{2})-(?P<d2>\d{2})|(?<!\d)(?P<d3>\d{1,2})/(?P<m3>\d{1,2})/(?P<y3>\d{2,4})"
)
_STAMP_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")


def _stamp_key(stamp: str) -> tuple[int, int, int, int] | None:
    """When a stamp says its text was written, to order a page's sections: (year, month, day, minutes),
    zero where the stamp does not say ("12.3.", "2026-03-12", "12/03/2026", "12 March 2026", "March 12";
    "2:30 pm"); None without a clock time."""
    date: tuple[int, int, int] = (0, 0, 0)
    rest = stamp
    numeric = _STAMP_DAY.search(stamp)
    named = _stamp_month_day().search(stamp)
    if numeric:
        if numeric["y2"]:
            date = (int(numeric["y2"]), int(numeric["m2"]), int(numeric["d2"]))
        elif numeric["d3"]:
            short = int(numeric["y3"])
            date = (short + 2000 if short < 100 else short, int(numeric["m3"]), int(numeric["d3"]))
        else:
            date = (int(numeric["y"] or 0), int(numeric["m"]), int(numeric["d"]))
        rest = stamp[numeric.end() :]
    elif named:
        month = _month_number(named["month"] or named["month2"])
        if month is None:
            return None
        said = _STAMP_YEAR.search(stamp[named.end() : named.end() + 8])
        date = (int(said.group(1)) if said else 0, month, int(named["day"] or named["day2"]))
        rest = stamp[named.end() + (said.end() if said else 0) :]
    clock = _STAMP_CLOCK.search(rest)
    if not clock:
        return None
    hour, half = int(clock.group(1)), (clock.group(3) or "").lower()
    if half:  # "2:30 pm", "12:15 am"
        hour = hour % 12 + (12 if half.startswith("p") else 0)
    return (*date, hour * 60 + int(clock.group(2)))


@cache
def _month_names() -> tuple[tuple[str, int], ...]:
    """Every language's month names with their numbers, the longest first ("maaliskuu" before "maa…")."""
    names = {m.rstrip("*"): i + 1 for language in LANGUAGES for i, m in enumerate(lexicon.load(language).months)}
    return tuple(sorted(names.items(), key=lambda item: -len(item[0])))


def _month_number(written: str) -> int | None:
    folded = written.casefold()
    return next((number for name, number in _month_names() if folded.startswith(name)), None)


@cache
def _stamp_month_day() -> re.Pattern[str]:
    names = "|".join(re.escape(name) for name, _ in _month_names())
    return re.compile(
        rf"(?<!\d)(?P<day>[12]\d|3[01]|0?[1-9])\.?\s+(?P<month>(?:{names})\w*)"
        rf"|(?P<month2>(?:{names})\w*)\s+(?P<day2>[12]\d|3[01]|0?[1-9])(?!\d)",
        re.I,
    )
