"""Facts a post can get wrong (R1), as typed slots: clock times by role, dates, quantities with units,
the state of something (open / closed), instructions from a closed set of actions with a direction,
and plain statements with their polarity ("chlorine leaked" / "no chlorine leaked").

Every fact carries the content-word stems of its sentence (its `subject`), so that like is compared with
like: "the shelter is open until 22:00" is compared with the approved shelter time, not with the time
the bridge reopens. The words of each language come from lexicon/<language>.yaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import cache, lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from playbooks.checks import days, lexicon, stamps, tokens
from sources.language import LANGUAGES

_H = r"(?P<h>[01]?\d|2[0-3])"
_M = r"(?P<m>[0-5]\d)"
# Clock times in the conventions of the five languages: kl. 18.00, klo 20, um 14 Uhr, 15.00 uur, 19u30, 2 pm, 14:00.
_TIMES = [
    re.compile(r"(?<![\w.,:])(?P<h>1[0-2]|0?[1-9])(?:[:.](?P<m>[0-5]\d))?\s*(?P<ampm>a\.?m\.?|p\.?m\.?)(?!\w)", re.I),
    re.compile(
        r"(?:\bkl\.?|\bklockan|\bklo\.?|\bkello|\bum|\bom|\bat|\bvon|\bbis|\btill|\buntil|\bfrom|\bvanaf|\btot|\bab)"
        rf"\s*{_H}(?:[.:]{_M})?(?![.,]?\d)(?![uh]\d)(?!\s*%)",
        re.I,
    ),
    re.compile(rf"(?<![\w.,:]){_H}[.:]{_M}(?!\s*[.,:]?\d)(?:\s*(?:uhr|uur|h)\b)?", re.I),
    re.compile(rf"(?<![\w.,:]){_H}\s*(?:uhr|uur|h)\b", re.I),
    # Flemish "20u", "19u30" and the "19h30" of Swiss and Belgian writers.
    re.compile(rf"(?<![\w.,:]){_H}(?:u(?!\w)|[uh]{_M}(?!\d))", re.I),
]
# Times said in words: midnight and noon in the five languages.
_NAMED_TIMES = {
    "midnight": "24:00", "midnatt": "24:00", "keskiyö": "24:00", "keskiyöhön": "24:00", "mitternacht": "24:00",
    "middernacht": "24:00", "noon": "12:00", "midday": "12:00", "lunchtid": "12:00", "keskipäivä": "12:00",
    "mittag": "12:00", "middag": "12:00", "puoleenpäivä": "12:00", "puolenpäivä": "12:00", "puoliltapäivin": "12:00",
}  # fmt: skip
_NAMED_TIME = re.compile(r"(?<!\w)(" + "|".join(_NAMED_TIMES) + r")\w*", re.I)
# The two hours of a range, as every way of writing one writes them: the first with its minutes (and an am
# or pm of its own), the second with its minutes and a clock word after it.
# A clock word between "mellan" and its hour ("mellan klockan 07.00 och 09.00", "zwischen um 7 und 9").
_CLOCK_WORD = r"(?:(?:klockan|kl\.|kl|klo|kello|um|om|at)\s+)?"
_FIRST_HOUR = r"(?P<h1>[01]?\d|2[0-3])(?:[.:](?P<m1>[0-5]\d))?\s*"
_SECOND_HOUR = (
    r"(?P<h2>[01]?\d|2[0-3])(?:[.:](?P<m2>[0-5]\d))?\s*(?P<suffix>uhr|uur|h\b|p\.?m\.?|a\.?m\.?)?(?![\w.,:/-]?\d)"
)
_RANGE = re.compile(
    r"(?:(?<=kl\. )|(?<=kl )|(?<=klo )|(?<=kello )|(?<=um )|(?<=von )|(?<=van )|(?<=from )|(?<![\w.,:/-]))"
    + _FIRST_HOUR
    + r"(?P<s1>p\.?m\.?|a\.?m\.?)?\s*[–-]\s*"
    + _SECOND_HOUR,
    re.I,
)
# "9am to 5pm", "10 Uhr bis 16 Uhr", "9 tot 17 uur": a range in words with no word before it, read as one
# only where a clock says so (am/pm, Uhr, uur, minutes).
_CLOCK_RANGE = re.compile(
    r"(?<![\w.,:/-])"
    + _FIRST_HOUR
    + r"(?P<s1>p\.?m\.?|a\.?m\.?|uhr|uur)?\s+(?:to|till|until|bis|tot|tills)\s+"
    + _SECOND_HOUR,
    re.I,
)
# "mellan 8 och 10", "zwischen 7 und 9 Uhr", "tussen 9 en 12 uur", "between 2 and 4 pm", "from 9 to 5",
# "klo 7 ja 9 välillä": a range in words, read like "8–10".
_BETWEEN = re.compile(
    r"(?:(?<!\w)(?:mellan|zwischen|tussen|between|from|von|van|från|kl\.?|klo|kello)\s+)"
    + _CLOCK_WORD
    + _FIRST_HOUR
    + r"(?P<s1>p\.?m\.?|a\.?m\.?)?\s+(?:och|und|en|and|to|till|bis|tot|ja)\s+"
    + _CLOCK_WORD
    + _SECOND_HOUR,
    re.I,
)
_NUMBER = r"(?P<n>\d{1,3}(?:[ \u00a0]\d{3})+|\d+(?:[.,]\d+)?)"
_DATE_NUMERIC = re.compile(
    r"(?<![\w.])(?P<d>[12]\d|3[01]|0?[1-9])\.\s?(?P<mo>1[0-2]|0?[1-9])\.(?:\s?(?:20)?\d\d)?(?!\d)"
)
# "lör 14/3", "za 14/3/2026": a day and a month with a slash, as Swedish and Dutch posts write them; not
# "open 24/7" nor the fractions "1/2", "3/4".
_DATE_SLASH = re.compile(
    r"(?<![\w./])(?!(?:24/7|1/[234]|2/3|3/4)(?![\d/]))(?P<d>[12]\d|3[01]|0?[1-9])/(?P<mo>1[0-2]|0?[1-9])(?:/(?:20)?\d\d)?(?![\d/])"
)
# A day and a month with the date's closing dot ("11.07.,", "3.10. "), where no clock word stands before it.
_DAY_AND_MONTH = re.compile(r"(?:[12]\d|3[01]|0?[1-9])\.(?:0[1-9]|1[0-2])\.(?!\d)")
_SCHEDULE_WORDS = re.compile(
    r"(?<!\w)(?:open|öpp|avoin|auki|geöffn|offen|clos|shut|stäng|sulje|suljet|schließ|geschlossen|sluit|dicht|gesloten)\w*"
)


def schedule_word(stem: str) -> bool:
    """Whether a stem only says open or closed ("öpp", "suljet", "geöffn")."""
    return bool(_SCHEDULE_WORDS.fullmatch(stem))


# A place that moves: only such a sentence (or a correction) replaces the place of a shelter.
_RELOCATION = re.compile(
    r"(?<!\w)(?:mov(?:es|ed|ing)|relocat\w*|instead|flytta\w*|istället|i stället|siirty\w*|siirre\w*|sijaan|verleg\w*|"
    r"umgezogen|zieht|stattdessen|statt|anstatt|rather than|verhuis\w*|verplaats\w*|in plaats van)(?!\w)"
)


def relocates(lowered: str) -> bool:
    """Whether a lower-cased sentence says something moves or is given in place of another."""
    return _RELOCATION.search(lowered) is not None


PLACE = "names:"
VENUE = "|in:"
# "Tomorrow" in the five languages. German and Dutch "morgen" is tomorrow only in lower case and not in
# "heute Morgen", "vanmorgen", "'s morgens" (the morning).
_TOMORROW = {
    "en": re.compile(r"(?<!\w)tomorrow(?!\w)", re.I),
    "sv": re.compile(r"(?<!\w)(?:i ?morgon|i ?morn|i ?morron)(?!\w)", re.I),
    "fi": re.compile(r"(?<!\w)huom(?:enna|is\w*)", re.I),
    "de": re.compile(r"(?<!heute )(?<!am )(?<!guten )(?<!\w)morgen(?!\w)|^\W*Morgen(?!\w)"),
    "nl": re.compile(r"(?<![\w'])morgen(?!\w)", re.I),
}
# A weekday said of the past week: "i söndags", "last Sunday", "letzten Sonntag", "afgelopen zondag",
# "viime sunnuntaina"; matched on the words up to and including the day.
_PAST_WEEKDAY = {
    "sv": re.compile(r"(?<!\w)i \w+dags$"),
    "en": re.compile(r"(?<!\w)(?:last|past) \w+day$"),
    "de": re.compile(r"(?<!\w)(?:letzten|vergangenen|letztem|vergangenem) \w+$"),
    "nl": re.compile(r"(?<!\w)(?:vorige|afgelopen|vorig) \w+$"),
    "fi": re.compile(r"(?<!\w)(?:viime|viimeksi|mennyt|menneenä) \w+$"),
}
_OF_A_MONTH = re.compile(r"\s+(?:of|im|in|van|des|i|av)\s")
FACILITY = frozenset({"<facility>"})
# Words that point back to the place of the sentence before.
_THERE = re.compile(r"(?<!\w)(?:there|där|dit|siellä|sinne|siellä|dort|dorthin|daar|daarheen)(?!\w)")
# A sentence opening with a pronoun speaks of what the sentence before named: "Kommunen öppnar en
# värmestuga i Kåge. Den är öppen till kl. 20.00." Articles that look like pronouns ("De brand", "Die
# Halle", "Het water") are left out of their language's list.
_PRONOUN_START = {
    "en": re.compile(r"^\W*(?:it|they|this one)\s", re.I), "sv": re.compile(r"^\W*(?:den|det|de|dessa)\s", re.I),
    "fi": re.compile(r"^\W*(?:se|ne|tämä|nämä)\s", re.I), "de": re.compile(r"^\W*(?:es|er|diese[rs]?)\s", re.I),
    "nl": re.compile(r"^\W*(?:hij|ze|deze)\s", re.I),
}  # fmt: skip
# Words saying that advice no longer applies: lifted, withdrawn, ended.
_LIFTED = {
    "en": re.compile(r"(?<!\w)(?:lifted|withdrawn|no longer (?:applies|in (?:force|effect))|has ended|is over)(?!\w)"),
    "sv": re.compile(r"(?<!\w)(?:upphör\w*|hävs|hävts|hävd|gäller inte längre|är inte längre|tas bort|togs bort)(?!\w)"),
    "fi": re.compile(r"(?<!\w)(?:peru(?:ttu|ttiin|taan)|päätty\w*|ei (?:ole )?enää voimassa|poistettu|poistetaan)(?!\w)"),
    "de": re.compile(r"(?<!\w)(?:aufgehoben|zurückgenommen|gilt nicht mehr|entfällt|beendet)(?!\w)"),
    "nl": re.compile(r"(?<!\w)(?:ingetrokken|opgeheven|vervallen|vervalt|geldt niet meer|niet langer)(?!\w)"),
}  # fmt: skip
# Words saying a ban or notice still holds: it keeps what it closes closed.
_IN_FORCE = {
    "en": re.compile(r"(?<!\w)(?:remains?|stays?|still) (?:in place|in force|in effect)(?!\w)"),
    "sv": re.compile(r"(?<!\w)(?:gäller (?:fortfarande|än så länge|tills vidare)|kvarstår)(?!\w)"),
    "fi": re.compile(r"(?<!\w)(?:on |ovat )?(?:edelleen|yhä|vielä) voimassa(?!\w)"),
    "de": re.compile(r"(?<!\w)(?:(?:gilt|gelten) (?:weiterhin|weiter|nach wie vor)|bleibt (?:bestehen|in kraft))(?!\w)"),
    "nl": re.compile(r"(?<!\w)(?:(?:blijft|blijven) (?:van kracht|gelden|staan)|geldt nog steeds)(?!\w)"),
}  # fmt: skip
# Words saying something does not work, which state a negative like "not reachable", "not working".
_FAILURE = {
    "en": re.compile(r"(?<!\w)(?:down|disrupted|out of (?:order|service)|broken|failed|failing|unavailable|"
                     r"unreachable|outage)(?!\w)"),
    "sv": re.compile(r"(?<!\w)(?:nere|störd|störda|störningar|ur funktion|trasig\w*|avbrott|otillgänglig\w*)(?!\w)"),
    "fi": re.compile(r"(?<!\w)(?:poikki|rikki|katkennut|katkenneet|häiriö\w*|pois käytöstä|epäkunnossa)(?!\w)"),
    "de": re.compile(r"(?<!\w)(?:gestört|ausgefallen|unterbrochen|defekt|kaputt|unerreichbar|störung)(?!\w)"),
    "nl": re.compile(r"(?<!\w)(?:gestoord|storing|uitgevallen|kapot|defect|onbereikbaar|plat)(?!\w)"),
}  # fmt: skip
# A negated adjective in one word ("unbewohnbar", "onbegaanbaar", "ofarlig", "uninhabitable") says what
# "nicht bewohnbar" says; the adjective's ending keeps nouns out ("Unfall" is no "un-fall").
_PRIVATIVE = {
    "de": re.compile(r"(?<!\w)un(\w{3,}(?:bar|lich|ig))(?!\w)"),
    "nl": re.compile(r"(?<!\w)on(\w{3,}(?:baar|lijk|ig))(?!\w)"),
    "sv": re.compile(r"(?<!\w)o(\w{3,}(?:bar|lig))(?:t|a|e)?(?!\w)"),
    "en": re.compile(r"(?<!\w)(?:un|in|im)(\w{3,}(?:able|ible))(?!\w)"),
}
_ONLY = frozenset({"only", "just", "alleen", "enkel", "nur", "bloß", "bara", "endast", "enbart", "vain", "pelkästään"})
# Verbs of closing and opening in the five languages, for the role of the time that follows them.
_CLOSING = re.compile(r"(?<!\w)(?:clos|shut|stäng|sulke|sulje|suljet|schließ|schliess|sluit)\w*[^.]{0,12}$")
# Verbs of ending: "the collection ends at 16" is the time it runs until, like a closing; but a closure
# that ends ("the closure ends at 9pm", "die Sperrung endet um 20 Uhr") opens the road again then.
_ENDING = re.compile(
    r"(?<!\w)(?:(?:(?<=will )|(?<=to )|(?<='ll ))end|ends|ended|endet|endete|eindig|slutar|avslutas|päätty|loppuu"
    r"|loppuvat)\w*[^.]{0,12}$"
)
_CLOSURE = re.compile(
    r"(?<!\w)(?:closure|cordon|avstängning|avspärrning|sulku|sulkeminen|eristys|sperrung|sperre|absperrung"
    r"|vollsperrung|afsluiting|afzetting|stremming)\w*"
)
_OPENING = re.compile(r"(?<!\w)(?:open|öppn|avaut|avat|aukea|öffn|geöffn|opent)\w*[^.]{0,12}$")
# Verbs of starting: "the meeting starts at 17" is the time it runs from, like an opening.
_STARTING = re.compile(
    r"(?<!\w)(?:start|begin|began|börja|startar|alka|alkaa|alkavat|beginn|begonnen|startet|begint|aanvang)\w*[^.]{0,12}$"
)
# What may follow a question's mark: spaces and emoji ("…in Netepark? 🙏"), not "!" ("?!" exclaims) nor a
# closing bracket (a question aside inside a statement).
_AFTER_MARK = r"[^\w?!)\].,;:]*$"
_QUESTION = re.compile(r"\?" + _AFTER_MARK)
# The first word of an answer to the question before.
_ANSWER = re.compile(
    r"\W*(?:yes|yeah|yep|no|nope|ja|jo|joo|jep|japp|jup|nej|nä|nein|nee|kyllä|ei|on|jawohl|klopt|inderdaad)\b",
    re.I,
)
_TAG_QUESTION = {
    language: re.compile(rf",\s*(?:{tags})\s*\?+{_AFTER_MARK}", re.I)
    for language, tags in (
        ("en", r"right|isn'?t it|aren'?t they|don'?t they|eh|innit|yeah|no"),
        ("sv", r"eller hur|va|eller|inte sant|visst"),
        ("fi", r"eikö|eikö niin|vai mitä|vai|eiks|eks|joo|niinhän"),
        ("de", r"oder|oder nicht|gell|gelle|ne|nicht wahr|nee|woll|gäll|odr|oda"),
        ("nl", r"toch|hè|he|niet|of niet|of niet dan|zeker"),
    )
}
# Stems too general to tell two sentences' subjects apart.
_WEAK = frozenset({"ope", "open", "clos", "stay", "remain", "still", "now", "again"})


@dataclass(frozen=True)
class Fact:
    slot: str  # time:next|until|from|at, date, a unit dimension, state, an instruction subject, or claim
    value: str
    text: str  # as written
    subject: frozenset[str] = frozenset()  # content stems of its sentence, to compare like with like
    names: frozenset[str] = frozenset()  # the places and names of its sentence
    radius: bool = False  # a distance that is a zone's reach ("within 2 km"), not a length or a way off
    whole: str = ""  # the place its sentence stretches it over ("hela Trelleborg", "koko keskustan"), stemmed
    role: str = ""  # of a date: what it is to the state of its sentence (`days`: "closed through", "opens")
    scoped: bool = False  # a time read with its own statement's subject and names (`_own_statements`)
    # Of a time: the day its sentence gives it ("today until 6pm and tomorrow from 9am"), as a date once read
    # from a moment (`on`); and whether the sentence gives times for several days, so that its day tells
    # them apart.
    day: str = ""
    per_day: bool = False

    def label(self) -> str:
        return f"{self.slot} {self.value}"


def extract(text: str, language: str | None = None) -> list[Fact]:
    """The facts a text states, sentence by sentence. Questions state nothing, and nor does a stamp of
    when the text itself was published or updated."""
    lang = language if language in LANGUAGES else "en"
    lex = lexicon.load(lang)
    text = stamps.without_stamps(text, lang)
    found: list[Fact] = []
    previous: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset())
    asked = False
    for sentence in tokens.sentences(text):
        names = tokens.names(sentence, lang)
        here = _sentence_facts(sentence, lex)
        answer = asked and _ANSWER.match(sentence)
        if not names and (answer or _THERE.search(sentence.lower()) or _PRONOUN_START[lang].search(sentence)):
            # "Daar kunt u tot 20.00 uur terecht": "there" is the place of the sentence before; and an
            # answer ("Is the rest centre still open? yes, until 10 pm") speaks of what was asked.
            names = previous[0]
            here = [replace(f, subject=f.subject | previous[1]) for f in here]
        previous = (names, _subject(sentence.lower(), lex) | _facility(sentence.lower(), lex))
        # A tag question ("…open until 10 pm, right?") states what it asks to be confirmed.
        asked = bool(_QUESTION.search(sentence)) and not _TAG_QUESTION[lang].search(sentence)
        if asked:
            continue
        found.extend(f if f.names or f.scoped else replace(f, names=names) for f in here)
    return found


def _sentence_facts(sentence: str, lex: lexicon.Lexicon) -> list[Fact]:
    lowered = sentence.lower()
    # A place the unit sends people to is what a time or state is most often about; marking it lets
    # "Värmestugan stänger kl. 20" meet "Värmestugan i Kåge har öppet till kl. 22.00" on two words.
    subject = _subject(lowered, lex) | _facility(lowered, lex)
    facts: list[Fact] = []
    taken: list[tuple[int, int]] = []
    clocked: list[tuple[int, int]] = []  # each time fact's index in `facts` and where it is written
    counted = _counted(lowered, lex)
    ranges = [m for m in _RANGE.finditer(sentence) if _is_time_range(m, sentence)]
    ranges += [m for m in _BETWEEN.finditer(sentence)
               if _between_hours(m, sentence, lex) and not _bare_in(m.start(), m.group(0), counted)]  # fmt: skip
    ranges += [m for m in _CLOCK_RANGE.finditer(sentence) if _clock_range(m, sentence, lex, ranges)]
    for match in ranges:
        # "kl. 9–21", "9.00–21.00 Uhr", "2-7pm": open from the first time until the second.
        pm = (match.group("suffix") or "").lower().startswith("p")
        first_pm = (match.group("s1") or match.group("suffix") or "").lower().startswith("p")
        (h1, m1), (h2, m2) = (int(match.group("h1")), match.group("m1")), (int(match.group("h2")), match.group("m2"))
        h2 = h2 + 12 if pm and h2 < 12 else h2
        # "2-7pm" is 14–19, but "9 to 5 pm" starts in the morning: a suffix moves the first hour only when
        # it keeps it before the second.
        h1 = h1 + 12 if first_pm and h1 < 12 and (match.group("s1") or h1 + 12 <= h2) else h1
        taken.append(match.span())
        # "mellan 7 och 9": bare hours in words may be either half of the day, as "till 6" may.
        # A leading zero ("mellan 08 och 10") writes the 24-hour clock.
        zero = match.group("h1").startswith("0")
        bare = match.re is _BETWEEN and not (m1 or m2 or match.group("s1") or pm or first_pm or zero)
        first, second = (
            f"{h:02d}:{int(m or 0):02d}" + ("?" if bare and h <= 12 else "") for h, m in ((h1, m1), (h2, m2))
        )
        clocked += [(len(facts), match.start()), (len(facts) + 1, match.start())]
        facts.append(Fact("time:from", first, match.group(0).strip(), subject))
        facts.append(Fact("time:until", second, match.group(0).strip(), subject))
    for start, end, value, written in _times(sentence, lex):
        if any(a < end and start < b for a, b in taken) or _bare_in(start, written, counted):
            continue
        taken.append((start, end))
        if _retracted(lowered, start, lex) and not _not_before(lowered, start, written, lex):
            continue
        clocked.append((len(facts), start))
        if _not_before(lowered, start, written, lex):
            # "Junat ei kulje ennen kuutta", "nicht vor 18 Uhr", "not until 6 pm": from then on.
            facts.append(Fact("time:from", value, written, subject))
            continue
        facts.append(Fact(f"time:{_time_role(lowered, start, end, lex)}", value, written, subject))
    for index, (own_subject, own_names) in _own_statements(sentence, lex, clocked).items():
        facts[index] = replace(facts[index], subject=own_subject, names=own_names, scoped=True)
    clock_spans = len(taken)
    dated: dict[int, tuple[int, int]] = {}  # where each date fact is written, by its index in `facts`
    for match in (*_DATE_NUMERIC.finditer(sentence), *_DATE_SLASH.finditer(sentence)):
        if any(a < match.end() and match.start() < b for a, b in taken):
            continue
        taken.append(match.span())
        dated[len(facts)] = match.span()
        facts.append(Fact("date", f"{int(match.group('d'))}.{int(match.group('mo'))}.", match.group(0), subject))
    for match in _month_dates(lex).finditer(lowered):
        if any(a < match.end() and match.start() < b for a, b in taken):
            continue
        taken.append(match.span())
        dated[len(facts)] = match.span()
        month = _month_index(match.group("mo") or match.group("mo2"), lex)
        day_of_month = int(match.group("d") or match.group("d2"))
        facts.append(Fact("date", f"{day_of_month}.{month}.", match.group(0), subject))
    for index, day in enumerate(lex.days_of_week):
        said = re.search(rf"(?<!\w){re.escape(day)}\w*", lowered)
        if said:
            # "i söndags", "last Sunday": the one before, not the next.
            past = _PAST_WEEKDAY[lex.language].search(lowered[max(0, said.start() - 16) : said.end()]) and not (
                _OF_A_MONTH.match(lowered, said.end())  # "the last Sunday of March", "letzten Sonntag im März"
            )
            dated[len(facts)] = said.span()
            facts.append(Fact("date", f"weekday {index}{' past' if past else ''}", day, subject))
    tomorrow = _TOMORROW[lex.language].search(sentence)
    if tomorrow and not any(f.slot == "date" for f in facts):
        dated[len(facts)] = tomorrow.span()
        facts.append(Fact("date", "day+1", tomorrow.group(0), subject))
    _give_days(facts, lowered, clocked, dated, _TODAY[lex.language].search(lowered))
    facts.extend(_frequencies(lowered, lex, taken, subject))
    facts.extend(_quantities(sentence, lowered, lex, taken, subject))
    facts.extend(_places(sentence, lowered, lex, subject))
    contrasts = _contrast(sentence, lex)
    facts.extend(contrasts)
    facts.extend(_segments(sentence, lex, subject))
    directed = _directed(sentence, lex, subject)
    # The times, and the dates that bound something ("suljettu 12.3. asti"), not the day something is
    # closed on: "håller stängt torsdag 22 januari" is closed, where "öppnar kl 13" is a schedule the time
    # states.
    bounds = taken[:clock_spans] + [(a, b) for a, b in taken[clock_spans:] if _bounded(lowered, a, b)]
    states = _states(sentence, lex, subject, directed, bounds)
    whole = "" if any(f.slot == "distance" and f.radius for f in facts) else _whole(sentence, lex)
    if whole:  # an advice or a closure for all of a place, where a radius would limit it
        directed = [replace(f, whole=whole) for f in directed]
        states = [replace(f, whole=whole) for f in states]
    if dated:
        hits = sorted((at, _negated_polarity(lowered, at, polarity, lex), words)
                for at, polarity, words in _state_words(lowered, lex))  # fmt: skip
        # The times and dates found above, so that a date's bound is read before its time and its day name.
        moments = sorted([(a, b, True) for a, b in taken[:clock_spans]] + [(a, b, False) for a, b in dated.values()])
        for index, (start, end) in dated.items():
            facts[index] = replace(facts[index], role=days.role(lowered, start, end, lex, hits, moments))
    facts.extend(directed)
    if states:
        facts.extend(states)
    elif not directed:
        for clause in (part for whole in tokens.clauses(sentence) for part in _coordinated(whole, lex)):
            clause_subject = _subject(clause.lower(), lex)
            if _attribution(clause.lower(), lex):
                continue  # "According to the National Weather Service": who says it, not what is said
            if contrasts and _SET_ASIDE[lex.language].match(clause):
                continue  # "…, not the Mill Lane junction": the contrast, which says it, not a negated statement
            if len(clause_subject) >= 2:
                # "Festnetz gestört" says what "Festnetz nicht erreichbar" says: a word of failure is a
                # negation of its own, and a negated one ("nicht gestört") is not.
                failure = _FAILURE[lex.language].search(clause.lower()) or _privative(clause.lower(), lex.language)
                # An aside in brackets ("… in Formerum (niet Midsland)", "(old number no longer used)") sets a
                # name or value aside; and "nicht wie geplant um 10 Uhr, sondern um 12" takes back a value:
                # neither negates what the clause states.
                stated = _ASIDE.sub(lambda aside: _aside(aside, lex.language), clause).lower()
                after = sentence.find(clause) + len(clause) if clause in sentence else len(sentence)
                # Only a value is taken back so: "ei tartu juomavedestä, vaan vesisumusta" and "does not stop
                # at Central Station, instead …" still deny the first.
                rather = _value_after_negation(stated, lex.language) and _RATHER.match(sentence.lower(), after)
                negative = (_negated(stated, lex) and not rather) != bool(failure)
                polarity = "negative" if negative else "positive"
                facts.append(Fact("claim", polarity, clause.strip()[:200], clause_subject))
    return facts


# "Today" in the five languages, which states no date of its own but ties a time to the day.
_TODAY = {
    "en": re.compile(r"(?<!\w)(?:today|tonight|this (?:morning|afternoon|evening))(?!\w)"),
    "sv": re.compile(r"(?<!\w)(?:i ?dag|i ?kväll|i ?eftermiddag|i ?natt)(?!\w)"),
    "fi": re.compile(r"(?<!\w)(?:tänään|tänä (?:iltana|aamuna|päivänä))(?!\w)"),
    "de": re.compile(r"(?<!\w)(?:heute|heut|hüt|heint)(?!\w)"),
    "nl": re.compile(r"(?<!\w)(?:vandaag|vanavond|vanmiddag|vannacht)(?!\w)"),
}


def _give_days(
    facts: list[Fact],
    lowered: str,
    clocked: list[tuple[int, int]],
    dated: dict[int, tuple[int, int]],
    today: re.Match[str] | None,
) -> None:
    """Tie each time of a sentence to its day: the one written right after it ("until 6am on Saturday", "klo
    8–12 keskiviikkona"), else the nearest before it, else the first after it. "heute bis 18 Uhr und morgen,
    Mittwoch 11. März, von 9 bis 17 Uhr" gives 18 Uhr today and 9–17 Uhr on the 11th."""
    spans = sorted([(a, b, facts[i].value) for i, (a, b) in dated.items()]
                   + ([(today.start(), today.end(), "day+0")] if today else []))  # fmt: skip
    # "torsdag 5 mars", "Mittwoch, 11. März": a weekday with its date is one day, whatever week the weekday
    # alone would be read in.
    marks: list[tuple[int, str]] = []
    previous_end = 0
    for a, b, value in spans:
        if marks and marks[-1][1].startswith("weekday") and _DAY_AFTER.fullmatch(lowered[previous_end:a]):
            marks[-1] = (marks[-1][0], value)
        else:
            marks.append((a, value))
        previous_end = b
    if not marks or not clocked:
        return
    per_day = len({value for _, value in marks}) > 1
    for index, at in clocked:
        end = at + len(facts[index].text)
        right_after = [value for start, value in marks if end <= start and _DAY_AFTER.fullmatch(lowered[end:start])]
        before = [value for start, value in marks if start < at]
        day = right_after[0] if right_after else before[-1] if before else marks[0][1]
        facts[index] = replace(facts[index], day=day, per_day=per_day)


# What may stand between a time and the day written after it ("6am on Saturday", "19 Uhr am Montag").
_DAY_AFTER = re.compile(r"\W{0,2}(?:(?:on|am|op|den|på|the)\W{1,2}){0,2}")


# Content stems a statement needs to name what its time is about by itself.
OWN_STATEMENT = 2
_HOW_OFTEN = frozenset("daily täglich dagligen dagelijks päivittäin weekdays weekends".split())


@cache
def _when_stems(language: str) -> frozenset[str]:
    """Stems of the words that only say when or how often: "and is open noon–9pm daily" names nothing."""
    return frozenset(tokens.stem(w, language) for w in _WHEN_WORDS | _NAMED_TIMES.keys() | _HOW_OFTEN)


def _own_statements(
    sentence: str, lex: lexicon.Lexicon, clocked: list[tuple[int, int]]
) -> dict[int, tuple[frozenset[str], frozenset[str]]]:
    """The subject and names of each time's own statement, where a sentence joins two or more statements
    that state times: in "Withybush stays open until 22:00; the Leisure Centre station closes at 20:00" the
    20:00 is the Leisure Centre's, and read with the whole sentence it was Withybush's too (a post giving
    the Leisure Centre 21:00 was then about another place). A statement that names nothing of its own
    ("and is open noon–9pm daily") leaves its time the sentence's."""
    spans = tokens.statement_spans(sentence)
    where = {index: next((i for i, (a, b) in enumerate(spans) if a <= at < b), -1) for index, at in clocked}
    if len(set(where.values())) < 2:
        return {}
    when = _when_stems(lex.language)
    found = {}
    for index, i in where.items():
        if i < 0:
            continue
        a, b = spans[i]
        lowered = sentence[a:b].lower()
        subject = _subject(lowered, lex)
        if len([s for s in subject - when if not says_a_state(s, lex.language)]) < OWN_STATEMENT:
            continue
        # From the cut before the statement on: a name is a capitalised word after another word or a cut.
        found[index] = (subject | _facility(lowered, lex), tokens.names(sentence[max(0, a - 2) : b], lex.language))
    return found


# Words that stretch what a sentence says over all of a place ("hela Trelleborg", "koko keskustan", "in ganz
# Sellrain", "im ganzen Kreis", "heel Zaanstad", "all Moray schools", "all beaches in the city"), and the
# common nouns of an area they may stretch it over; any other word after them is no place ("alle Fenster",
# "die ganze Nacht", "hela dagen", "all day"). German "ganz" alone is "quite" ("ganz ruhig").
_WHOLE = {
    "sv": r"hela|samtliga|alla", "fi": r"koko|kaikki\w*", "de": r"in\s+ganz|ganzen?|ganze|gesamten?|sämtlichen?|alle",
    "nl": r"heel|hele|alle", "en": r"(?:the\s+)?whole(?:\s+of)?|entire|all(?:\s+of)?",
}  # fmt: skip
_AREAS = {
    "sv": r"centrum|stad|staden|kommun\w*|län\w*|området|byn|samhället",
    "fi": r"keskusta\w*|kaupun\w*|kunna\w*|kunta\w*|alue\w*|kylä\w*",
    "de": r"stadt|innenstadt|altstadt|stadtgebiet|stadtteil|quartier|viertel|ortsteil|kreis\w*|landkreis\w*|"
    r"gemeinde\w*|gemeindegebiet|ort|dorf\w*|tal\w*|kanton\w*",
    "nl": r"stad|centrum|gemeente|dorp|wijk|regio|provincie",
    "en": r"town|city|centre|center|county|district|valley|area|region|village",
}  # fmt: skip
# What may come between "all" and the place: one noun and a preposition ("alle Bewohner des Sellraintals",
# "all beaches in the city") or the preposition alone ("alla i Mariehamn"), and an article.
_OF_PLACE = r"(?:(?:[\w-]+\s+)?(?:in|i|im|på|of|van|op|auf|des|der|von)\s+)?(?:(?:the|de|het|der|die|dem|den|das)\s+)?"
_WHOLE_PLACE = {lang: re.compile(rf"(?<!\w)(?:{_WHOLE[lang]})\s+{_OF_PLACE}(?P<place>[\w-]+)", re.I) for lang in _WHOLE}


def _whole(sentence: str, lex: lexicon.Lexicon) -> str:
    """The place a sentence says all of, stemmed: a name ("hela Trelleborg", "alle Landshuter Schulen",
    "all beaches in Salthill") or an area noun ("koko keskustan", "im ganzen Kreis", "all beaches in the
    city"); "" when it says all of no place."""
    names: frozenset[str] | None = None
    for match in _WHOLE_PLACE[lex.language].finditer(sentence):
        word = match.group("place")
        stem = tokens.stem(word.lower(), lex.language)
        if re.fullmatch(_AREAS[lex.language], word, re.I):
            return stem
        if word[:1].isupper():
            # A name as the tokenizer knows names ("Trelleborg", not "Bewohner"); a name opening the
            # sentence ("Heel Zaanstad: …") is one when it is no common word. A German compound of common
            # words ("Kellerfenster") may still pass: an advice's scope is compared only where the messages
            # limit the same advice to named places.
            names = tokens.names(sentence, lex.language) if names is None else names
            opening = match.start("place") < 12 and tokens.frequency(word.lower(), lex.language) < 3.5
            if stem in names or (opening and not (lex.language == "de" and tokens.german_common_noun(word.lower()))):
                return stem
    return ""


_AND = {"sv": "och", "fi": "ja", "de": "und", "nl": "en", "en": "and"}


def _coordinated(clause: str, lex: lexicon.Lexicon) -> list[str]:
    """A clause cut at "and" where both sides say something of their own: "not to touch debris and to keep
    children and pets inside" states one negative and one positive thing, not two negatives. A side of
    fewer than two content words ("children and pets") stays with the words after it (or before it)."""
    parts = re.split(rf"(?<!\s)\s+{_AND[lex.language]}\s+", clause, flags=re.I)
    if len(parts) == 1:
        return parts
    joined: list[str] = []
    carry = ""
    for part in parts:
        text = f"{carry} {_AND[lex.language]} {part}" if carry else part
        if len(_subject(text.lower(), lex)) < 2:
            carry = text
            continue
        joined.append(text)
        carry = ""
    if carry:
        if joined:
            joined[-1] = f"{joined[-1]} {_AND[lex.language]} {carry}"
        else:
            joined.append(carry)
    return joined


def _no_hour(sentence: str, end: int, lex: lexicon.Lexicon) -> bool:
    """Whether the number that ends at `end` counts something else: a unit follows it ("om 2 dagar", "at 10
    metres", "between 7 and 9 people": a quantity) or a month ("until 17 March", "bis 3. Mai": a date,
    which the date patterns read)."""
    following = tokens.words(sentence[end : end + 20])[:1]
    return bool(following) and (
        following[0] in lexicon.merged_units() or following[0].startswith(_month_stems(lex.language))
    )


@cache
def _month_stems(language: str) -> tuple[str, ...]:
    return tuple(m.rstrip("*") for m in lexicon.load(language).months)


# A number with nothing of a clock about it: no minutes, no clock word, no am/pm.
_CLOCKLIKE = re.compile(
    r"[.:]\d\d|uhr|uur|\bkl\b|\bkl\.|klo\b|kello|klockan|o'?clock|\d\s*[ap]\.?m\b|\d\s*[hu]\b", re.I
)
# "A number of roads", "een aantal scholen", "ett antal vägar": some, no count of anything.
_SOME = re.compile(r"(?<!\w)(?:a|een|ett|eine)\s+$")
# Where the statement a count is in ends: "the number of injured is 3; the centre is open 8 to 22".
_COUNT_CLAUSE_END = re.compile(r"[,;:!?]|\.(?!\d)|(?<!\w)(?:and|och|und|en|ja|but|men|aber|maar|mutta)(?!\w)")


def _counted(lowered: str, lex: lexicon.Lexicon) -> list[tuple[int, int]]:
    """Where a sentence counts something after "the number of" ("the number of injured rose from 15 to
    18", "die Zahl der Verletzten stieg von 15 auf 18"): bare numbers there, up to the end of its
    statement, are counts, not hours."""
    found = []
    for cue in re.finditer(_NUMBER_OF[lex.language], lowered):
        if _SOME.search(lowered, max(0, cue.start() - 5), cue.start()):
            continue
        end = _COUNT_CLAUSE_END.search(lowered, cue.end(), cue.end() + _COUNT_REACH)
        found.append((cue.end(), end.start() if end else min(len(lowered), cue.end() + _COUNT_REACH)))
    return found


def _bare_in(start: int, written: str, counted: list[tuple[int, int]]) -> bool:
    return any(a <= start < b for a, b in counted) and not _CLOCKLIKE.search(written)


def _clock_range(match: re.Match[str], sentence: str, lex: lexicon.Lexicon, found: list[re.Match[str]]) -> bool:
    """A `_CLOCK_RANGE` with a clock in it, not inside a range already read ("from 9am to 5pm")."""
    if any(m.start() <= match.start() < m.end() for m in found):
        return False
    clock = match.group("m1") or match.group("m2") or match.group("suffix")
    first = (match.group("s1") or "").lower()
    if not (clock or first.startswith(("a", "p"))):
        return False  # "9 Uhr bis 12" reads as before; "5 to 10 people" is no time
    return _between_hours(match, sentence, lex) or bool(first)


def _between_hours(match: re.Match[str], sentence: str, lex: lexicon.Lexicon) -> bool:
    """A range in words of hours, not of anything else ("between 7 and 9 people", "from 3 to 5 May")."""
    if not match.group("suffix") and _no_hour(sentence, match.end(), lex):
        return False
    if int(match.group("h1")) >= int(match.group("h2")) and not (match.group("s1") or match.group("suffix")):
        return bool(match.group("m1") or match.group("m2"))  # "from 9 to 5" is a working day only with a clock
    return True


def _is_time_range(match: re.Match[str], sentence: str) -> bool:
    before = sentence[max(0, match.start() - 8) : match.start()].lower()
    return bool(
        (match.group("m1") and match.group("m2"))
        or match.group("suffix")
        or match.group("s1")
        or re.search(r"(?:kl\.?|klo|kello|um|von|van|from)\s*$", before)
    )


_DOTTED_TIMES = frozenset({"sv", "nl", "en"})
_TIME_ENDS_SENTENCE = re.compile(r"\.(?:\s|$)")


def _dotted_date(sentence: str, match: re.Match[str], language: str) -> bool:
    """Whether a time's digits with the dot after them are a day and a month ("11.07."). Swedish, Dutch
    and English write no dates so ("den 5/3", "5 maart", "5 March"): there "… till City 08.05." is a time
    ending its sentence, unless a weekday or a date word stands before it ("fredag 08.05.", "den 08.05.")."""
    if not _DAY_AND_MONTH.match(sentence, match.start("h")):
        return False
    last = tokens.words(sentence[max(0, match.start() - 16) : match.start()])[-1:]
    if last and (last[0] in _DATE_WORDS or _is_day_or_month(last[0])):
        return True
    return not (language in _DOTTED_TIMES and _TIME_ENDS_SENTENCE.match(sentence, match.end()))


def _times(sentence: str, lex: lexicon.Lexicon) -> list[tuple[int, int, str, str]]:
    found = []
    for pattern in _TIMES:
        for match in pattern.finditer(sentence):
            if not match.groupdict().get("m") and _no_hour(sentence, match.end(), lex):
                continue
            if match.group(0).lower().endswith("h") and _MINUTES_AFTER.match(sentence, match.end()):
                continue  # "2 h 10 min": a duration, which the quantities read
            if pattern is _TIMES[2] and _dotted_date(sentence, match, lex.language):
                continue  # "ab Sa., 11.07., 0 Uhr": a date, which the date patterns read
            hour = int(match.group("h"))
            minute = int(match.groupdict().get("m") or 0)
            ampm = (match.groupdict().get("ampm") or "").lower().replace(".", "")
            if ampm == "pm" and hour < 12:
                hour += 12
            if ampm == "am" and hour == 12:
                hour = 0
            start = match.start("h")
            # A bare hour up to 12 ("till 6", "klo 8") may be either half of the day, unless the words right
            # after it say which ("at 8 tonight", "klo 8 illalla", "um 8 Uhr abends", "om 8 uur vanavond").
            bare = not ampm and not match.groupdict().get("m") and hour <= 12
            if bare and hour < 12 and _LATER_HALF_AFTER.match(sentence, match.end()):
                hour, bare = hour + 12, False
            found.append(
                (start, match.end(), f"{hour:02d}:{minute:02d}" + ("?" if bare else ""), match.group(0).strip())
            )
    for match in _NAMED_TIME.finditer(sentence):
        found.append((match.start(), match.end(), _NAMED_TIMES[match.group(1).lower()], match.group(0)))
    found.extend(_clock_words(sentence, lex))
    found.extend(_hours_in_words(sentence, lex))
    return sorted(found, key=lambda t: (t[0], -t[1]))


# Whole hours in words, where a clock word or a part of the day says they are a time ("at two in the
# afternoon", "klockan fyra", "um sechs Uhr", "om vier uur"); {h} is the language's hour words.
# Or where a word of time (at, until, before) puts a bare hour word at the end of its clause ("bis drei.",
# "öppet till sju, sen stänger de", "until two!"): an hour word that goes on to a noun ("bis drei Tage",
# "till sju dagar", "voor twee personen") counts something else.
_AT_CLAUSE_END = r"\s*(?:[.,;:!?)]|$)"
_CLAUSE_END = rf"(?={_AT_CLAUSE_END})"
_HOUR_PHRASES = {
    "en": (
        r"(?<!\w)(?P<h>{h})\s+o'?clock",
        r"(?<!\w)(?:at|until|till|from|before|after|by)\s+(?P<h>{h})"
        r"(?=\s+(?:(?:this|in\s+the)\s+)?(?:morning|afternoon|evening|tonight))",
        r"(?<!\w)(?:at|until|till|before)\s+(?P<h>{h})" + _CLAUSE_END,
    ),
    "sv": (
        r"(?<!\w)(?:klockan|kl\.?)\s+(?P<h>{h})(?!\w)",
        r"(?<!\w)(?P<h>{h})tiden(?!\w)",
        r"(?<!\w)förrän\s+(?:vid\s+)?(?P<h>{h})(?!\w)",  # "inte förrän vid elva har jag hört"
        r"(?<!\w)(?:till|från|vid|före|innan|förrän|efter)\s+(?P<h>{h})"
        r"(?=\s+(?:i\s+)?(?:kväll|morgon|eftermiddag|förmiddag|natt|ikväll|inatt)(?!\w)|" + _AT_CLAUSE_END + ")",
    ),
    "de": (
        r"(?<!\w)(?P<h>{h})\s+uhr(?!\w)",
        r"(?<!\w)(?:bis|ab|um|vor|gegen)\s+(?P<h>{h})"
        # German puts the state after the time: "bis drei offen", "ab vier gesperrt".
        r"(?=\s+(?:heute\s+)?(?:früh|vormittag|mittag|nachmittag|abend|nacht|in\s+der\s+früh|offen|geöffnet|auf|zu|zua|"
        r"geschlossen|gesperrt|dicht|da)(?!\w)|" + _AT_CLAUSE_END + ")",
    ),
    "nl": (
        r"(?<!\w)(?P<h>{h})\s+uur(?!\w)",
        r"(?<!\w)(?:tot|vanaf|om|voor|rond)\s+(?P<h>{h})"
        r"(?=\s+(?:vanavond|vanmiddag|vanochtend|vannacht|'s\s+(?:avonds|middags|ochtends|morgens)|open|geopend|"
        r"dicht|gesloten|afgesloten)(?!\w)|" + _AT_CLAUSE_END + ")",
    ),
    "fi": (r"(?<!\w)(?:kello|klo)\s+(?P<h>{h})(?!\w)",),
}
# Finnish says "at two" and "until four" with the numeral's case: kahdelta (at), neljään asti (until),
# ennen kuutta (before).
_FI_AT = (
    "yhdeltä kahdelta kolmelta neljältä viideltä kuudelta seitsemältä kahdeksalta yhdeksältä kymmeneltä "
    "yhdeltätoista kahdeltatoista"
).split()
_FI_UNTIL = (
    "yhteen kahteen kolmeen neljään viiteen kuuteen seitsemään kahdeksaan yhdeksään kymmeneen "
    "yhteentoista kahteentoista"
).split()
_FI_BEFORE = (
    "yhtä kahta kolmea neljää viittä kuutta seitsemää kahdeksaa yhdeksää kymmentä yhtätoista kahtatoista".split()
)
# "viiden jälkeen": after five.
_FI_AFTER = (
    "yhden kahden kolmen neljän viiden kuuden seitsemän kahdeksan yhdeksän kymmenen yhdentoista kahdentoista".split()
)
# "kello kahdesta alkaen": from two.
_FI_FROM = (
    "yhdestä kahdesta kolmesta neljästä viidestä kuudesta seitsemästä kahdeksasta yhdeksästä kymmenestä "
    "yhdestätoista kahdestatoista"
).split()
# Spoken Finnish drops or softens the middle consonants: "seittemältä", "kaheksaan asti", "kahelta".
_FI_SPOKEN = {
    "at": {"kahelta": 2, "viieltä": 5, "kuuelta": 6, "seittemältä": 7, "kaheksalta": 8, "yheksältä": 9},
    "until": {"kaheen": 2, "seittemään": 7, "kaheksaan": 8, "yheksään": 9},
    "before": {"seittemää": 7, "kaheksaa": 8, "yheksää": 9},
    "after": {"kahen": 2, "viien": 5, "kuuen": 6, "seittemän": 7, "kaheksan": 8, "yheksän": 9},
    "from": {"kahesta": 2, "viiestä": 5, "kuuesta": 6, "seittemästä": 7, "kaheksasta": 8, "yheksästä": 9},
}
_FI_CASE_FORMS = {
    "at": [*_FI_AT, *_FI_SPOKEN["at"]], "until": [*_FI_UNTIL, *_FI_SPOKEN["until"]],
    "before": [*_FI_BEFORE, *_FI_SPOKEN["before"]], "after": [*_FI_AFTER, *_FI_SPOKEN["after"]],
    "from": [*_FI_FROM, *_FI_SPOKEN["from"]],
}  # fmt: skip
_FI_HOUR_CASES = {
    **{w: i % 12 + 1 for forms in (_FI_AT, _FI_UNTIL, _FI_BEFORE, _FI_AFTER, _FI_FROM) for i, w in enumerate(forms)},
    **{w: hour for forms in _FI_SPOKEN.values() for w, hour in forms.items()},
}
# "puoli kuuteen asti" is half way to six: until 5:30 ("puol" in speech).
_FI_HOUR_CASE = re.compile(
    rf"(?<!\w)(?P<half>puoli?\s+)?(?:(?P<at>{'|'.join(_FI_CASE_FORMS['at'])})"
    rf"|(?P<until>{'|'.join(_FI_CASE_FORMS['until'])})(?=\s+(?:asti|saakka|mennessä))"
    rf"|(?P<after>{'|'.join(_FI_CASE_FORMS['after'])})(?=\s+jälkeen))(?!\w)"
    rf"|(?<!\w)ennen\s+(?P<half_before>puoli?\s+)?(?P<before>{'|'.join(_FI_CASE_FORMS['before'])})(?!\w)"
    # "from" only with a clock word before it or "alkaen" after it: "kahdesta lapsesta" is of two children.
    rf"|(?:(?<=kello\s)|(?<=klo\s))(?P<from>{'|'.join(_FI_CASE_FORMS['from'])})(?!\w)"
    rf"|(?<!\w)(?P<from_>{'|'.join(_FI_CASE_FORMS['from'])})(?=\s+(?:alkaen|lähtien))",
    re.I,
)
# An afternoon or evening nearby puts a bare hour in the second half of the day, a morning in the first.
_LATER_HALF_AFTER = re.compile(
    r"\s+(?:this\s+|in\s+the\s+|heute\s+|i\s+)?(?:afternoon|evening|tonight|eftermiddag\w*|kväll\w*|ikväll|"
    r"nachmittag\w*|abend\w*|avond\w*|vanavond|'s\s+avonds|iltapäiv\w*|illalla|tänä\s+iltana)(?!\w)",
    re.I,
)
_LATER_HALF = re.compile(
    r"(?<!\w)(?:afternoon|evening|tonight|eftermiddag\w*|kväll\w*|ikväll|nachmittag\w*|abend\w*|middag|'s middags|"
    r"avond\w*|vanavond|iltapäiv\w*|illalla|illaksi|tänä iltana)(?!\w)",
    re.I,
)


_BARE_AT_CLAUSE_END = re.compile(_AT_CLAUSE_END)
_MARKED = re.compile(r"(?<!\w)(?:uhr|uur|o'?clock|klo|kello|kl|klockan|förrän)(?!\w)|tiden(?!\w)", re.I)


def _hours_in_words(sentence: str, lex: lexicon.Lexicon) -> list[tuple[int, int, str, str]]:
    hours, _ = _clock_patterns(lex.language)
    spans: list[tuple[int, int, int, str]] = []
    for pattern in _hour_patterns(lex.language):
        for match in pattern.finditer(sentence):
            if _BARE_AT_CLAUSE_END.match(sentence, match.end()) and not _MARKED.search(match.group(0)):
                # "Wir zählen bis drei.", "Een tafel voor twee.", "Det räcker till tre.": a bare hour word at a
                # clause's end is a time only where the sentence opens or closes something.
                lowered = sentence.lower()
                if not (_OPENING.search(lowered) or _CLOSING.search(lowered) or _STARTING.search(lowered)
                        or lexicon.merged_states("open").find(lowered) or lexicon.merged_states("closed").find(lowered)):  # fmt: skip
                    continue
            spans.append((match.start("h"), match.end(), hours[match.group("h").lower()], match.group(0)))
    halves: set[int] = set()
    if lex.language == "fi":
        for match in _FI_HOUR_CASE.finditer(sentence):
            group = next(g for g in ("at", "until", "before", "after", "from", "from_") if match.group(g))
            hour = _FI_HOUR_CASES[match.group(group).lower()]
            if match.group("half") or match.group("half_before"):
                hour = hour - 1 or 12
                halves.add(match.start(group))
            spans.append((match.start(group), match.end(), hour, match.group(0)))
    if lex.language == "de":
        for match in _SWISS_HOUR.finditer(sentence):
            if _SWISS_NOT_THE_HOUR.search(sentence[max(0, match.start() - 12) : match.start()]):
                continue  # "nid am zäni sondern …" sets it aside; "viertel ab sächsi" is 6:15, not read here
            word = match.group("sw").lower()
            hour = int(word[:-1]) if word[:-1].isdigit() else _SWISS_HOURS[word]
            spans.append((match.start("sw"), match.end(), hour, match.group(0)))
    later = bool(_LATER_HALF.search(sentence))
    found = []
    for start, end, hour, written in spans:
        minutes = 30 if start in halves else 0
        if later and hour < 12:
            found.append((start, end, f"{hour + 12:02d}:{minutes:02d}", written))
        else:
            found.append(
                (start, end, f"{hour:02d}:{minutes:02d}?", written)
            )  # either half of the day, as a bare hour is
    return found


# Swiss German says the hour with an "-i" after a word of time: "ab füfi", "am zäni", "bis am nüni", "ab 10i".
# One to three have no such form apart from the numeral ("eis", "zwöi", "drü"), which counts as often.
_SWISS_HOURS = {
    "vieri": 4, "füfi": 5, "föifi": 5, "sächsi": 6, "sechsi": 6, "sibni": 7, "sibeni": 7, "achti": 8, "nüni": 9,
    "zäni": 10, "zehni": 10, "elfi": 11, "ölfi": 11, "zwölfi": 12,
}  # fmt: skip
_SWISS_NOT_THE_HOUR = re.compile(r"(?<!\w)(?:nid|nöd|ned|net|nicht|viertel|halbi|halb|füf|zäh|zwänzg)\s*$", re.I)
_SWISS_HOUR = re.compile(
    r"(?<!\w)(?:ab|am|um|bis|bis\s+am|vor|vo|gege|gegen|nach|na)\s+(?P<sw>"
    + "|".join(_SWISS_HOURS)
    + r"|(?:1[0-2]|0?[1-9])i)(?!\w)",
    re.I,
)


@cache
def _hour_patterns(language: str) -> list[re.Pattern[str]]:
    """The language's hour phrases with its hour words, compiled once (every sentence is read)."""
    hours, _ = _clock_patterns(language)
    words = "|".join(re.escape(w) for w in sorted(hours, key=len, reverse=True) if w not in _ARTICLES)
    return [re.compile(phrase.format(h=words), re.I) for phrase in _HOUR_PHRASES.get(language, ())]


_ARTICLES = frozenset({"a", "an", "en", "ett", "ein", "eine", "einem", "einen", "einer", "een", "één", "yhden"})


# Times read off a clock face in words: "half acht", "halb acht", "halv åtta", "puoli kahdeksan" are 7:30
# (half way to eight), "half past seven" too; "kwart over / voor", "Viertel nach / vor", "kvart över / i",
# "quarter past / to", "varttia yli / vaille" are a quarter after or before the hour. Minutes after an
# hour ("offset") and which hour the words count from ("toward": the next one) per phrase.
_CLOCK_WORDS = {
    "nl": ((r"half", 30, True), (r"kwart\s+over", 15, False), (r"kwart\s+voor", -15, False)),
    "de": ((r"halb", 30, True), (r"viertel\s+nach", 15, False), (r"viertel\s+vor", -15, False)),
    "sv": ((r"halv", 30, True), (r"kvart\s+över", 15, False), (r"kvart\s+i", -15, False)),
    "fi": ((r"puoli?", 30, True), (r"varttia\s+yli", 15, False), (r"varttia\s+vaille", -15, False)),
    "en": (
        (r"half\s+past", 30, False),
        (r"quarter\s+past", 15, False),
        (r"quarter\s+to", -15, False),
        # British "half five" is 5:30; after a word of time only ("half a mile", "half one of them" are no times).
        (r"(?<=\bat |\bby )half", 30, False),
        (r"(?<=\btill |\bfrom )half", 30, False),
        (r"(?<=\buntil )half", 30, False),
    ),
}


def _clock_words(sentence: str, lex: lexicon.Lexicon) -> list[tuple[int, int, str, str]]:
    hours, patterns = _clock_patterns(lex.language)
    found = []
    for pattern, offset, toward in patterns:
        for match in pattern.finditer(sentence):
            written = match.group("h").lower()
            h = hours[written] if written in hours else int(written)
            total = ((h - 1) * 60 + offset if toward else h * 60 + offset) % (12 * 60)
            value = f"{total // 60 or 12:02d}:{total % 60:02d}?"  # either half of the day, as a bare hour is
            found.append((match.start(), match.end(), value, match.group(0)))
    return found


@cache
def _clock_patterns(language: str) -> tuple[dict[str, int], list[tuple[re.Pattern[str], int, bool]]]:
    """The hour words of a language and its clock-face phrases, compiled once (every sentence is read)."""
    hours = {w: int(v) for w, v in lexicon.load(language).number_words.items() if 1 <= v <= 12 and v == int(v)}
    hour = "|".join(re.escape(w) for w in sorted(hours, key=len, reverse=True)) + r"|1[0-2]|0?[1-9]"
    patterns = [(re.compile(rf"(?<!\w){phrase}\s+(?P<h>{hour})(?!\w)", re.I), offset, toward)
                for phrase, offset, toward in _CLOCK_WORDS.get(language, ())]  # fmt: skip
    return hours, patterns


# Words that only say when ("Nästa uppdatering: i dag senast kl 18", "Next update: today at 18:00"): after
# an update label they leave the time the next update's.
_WHEN_WORDS = frozenset(
    "i dag idag kväll ikväll morgon imorgon senast kl klockan cirka ca omkring runt "
    "today tonight tomorrow this evening morning afternoon at by around about no later than latest "
    "tänään tänä iltana huomenna viimeistään klo kello noin aamulla illalla "
    "heute abend um gegen spätestens uhr "
    "vandaag vanavond om rond uiterlijk omstreeks uur".split()
)

# Words of when and of "already" between a verb and its time ("keräys päättyy tänään jo klo 16"), which do
# not part them (`_time_role`); a clause's comma does.
_FILLERS = re.compile(
    r"(?<!\w)(?:"
    + "|".join(
        sorted(
            map(re.escape, _WHEN_WORDS | frozenset("jo already schon bereits redan al pas vasta".split())),
            key=len,
            reverse=True,
        )
    )
    + r")(?!\w)"
)
_SPACES = re.compile(r"\s+")
_CLAUSE_CUT = re.compile(r"[,;]")


# Words of a date between a word of time and the hour it governs ("avstängd till och med onsdag 15 april
# klockan 16.00", "bis Mittwoch, 15. April, 16 Uhr", "until Wednesday 15 April at 4pm"), and words that
# only soften a time ("till minst kl 22", "bis etwa 16 Uhr"); weekdays and months are matched by
# `_is_day_or_month` in their inflected forms.
_CLOCK_WORDS_BEFORE = frozenset("kl klockan klo kello um at om".split())
_CLOCK_WORDS_AFTER = frozenset("uhr uur u o pm am h aikaan".split())  # right after an hour in words
_DATE_WORDS = _CLOCK_WORDS_BEFORE | frozenset(
    "uhr on the den am op minst cirka ca ungefär omkring runt noin vähintään etwa gegen mindestens ongeveer "
    "rond omstreeks minstens least about around approximately".split()
)


def _before_the_date(words: list[str]) -> list[str]:
    """The words before a time without the date that stands right before it."""
    end = len(words)
    while end and (words[end - 1] in _DATE_WORDS or words[end - 1].isdigit() or _is_day_or_month(words[end - 1])):
        end -= 1
    return words[:end]


def _closed_until(lowered: str, start: int, end: int, lex: lexicon.Lexicon) -> bool:
    """Whether a time an "until" governs ends a closure ("stängd till minst kl 22", "bis 16 Uhr gesperrt"):
    the nearest open or closed word before it in the sentence says closed, or a closed word follows."""
    if _window_advice(lex.language, lowered):
        return False  # "stanna inomhus med stängda fönster … till kl. 17": the advice's end, not an opening
    said = [(at, polarity) for polarity in ("open", "closed") for at in _state_starts(polarity, lowered) if at < start]
    if said:
        return max(said)[1] == "closed"
    return bool(lexicon.merged_states("closed").find(lowered[end : end + 16]))  # "bis 16 Uhr gesperrt"


# Read once per sentence, not again for each of its times: a sentence of a thousand times ("until 9 pm
# until 9 pm …", 20,000 characters) took 47 s when each time read the words before it.
@lru_cache(maxsize=16)
def _state_starts(polarity: str, lowered: str) -> tuple[int, ...]:
    """Where the words for something open (or closed) start in a sentence."""
    return tuple(at for at, _, _ in lexicon.merged_states(polarity).spans(lowered))


@lru_cache(maxsize=16)
def _window_advice(language: str, lowered: str) -> bool:
    return any(phrases.find(lowered) for phrases in lexicon.load(language).instructions.get("windows", {}).values())


def _ends_with(near: str, phrases: str) -> bool:
    """Whether the words right before a time (less its date) end with one of a role's phrases."""
    return any(end == len(near) for _, end, _ in lexicon.merged_phrases(phrases).spans(near))


def _is_day_or_month(word: str) -> bool:
    # Short months only whole: "may" begins "mayor", "mai" begins "mail".
    return any(word == w or (len(w) >= 5 and word.startswith(w)) for w in _days_and_months())


@cache
def _days_and_months() -> tuple[str, ...]:
    """The weekdays and months of the five languages, as the stems their inflected forms start with."""
    return tuple(w for lang in lexicon.LANGUAGES for w in (*lexicon.load(lang).days_of_week, *_month_stems(lang)))


_BETWEEN_WORDS = re.compile(
    r"(?<!\w)(?:between|zwischen|tussen|mellan)\s+(?:(?:the|het|de|klockan|kl\.|kl|klo|um|om|at)\s+)?(?=(?:\S+\s+){0,3}$)"
)


def _time_role(lowered: str, start: int, end: int, lex: lexicon.Lexicon) -> str:
    before = lowered[max(0, start - 60) : start]
    # The words right before the time, less a date between ("till och med onsdag 15 april klockan"): "from 2
    # to 7pm" is open until 7, not from 7.
    words = tokens.words(lowered[max(0, start - 60) : start])
    undated = _before_the_date(words)
    dated = len(undated) < len(words) and not set(words[len(undated) :]) <= _CLOCK_WORDS_BEFORE
    near = " ".join(undated[-3:])
    if re.search(r"(?<!\w)(?:to|till|bis|tot|–|-)\s*$", lowered[max(0, start - 6) : start]):
        return "until"
    # "between noon and 7pm": a range `_BETWEEN` does not read, its first hour being a word.
    between = _BETWEEN_WORDS.search(before)
    if between and not before[between.end() :].strip():
        return "from"
    if between and re.fullmatch(
        r"\S+(?:\s+\S+)?\s+(?:and|und|en|och|ja)\s*(?:(?:klockan|kl\.|kl|klo|um|om|at)\s*)?", before[between.end() :]
    ):
        return "until"
    after = lowered[end : end + 12]
    # "Update: shelter open until 22:00" is the shelter's time, not the next update's: the word right
    # before a time decides first.
    cue = lexicon.merged_phrases("next_update").spans(before)
    # "Uppdatering från kommunen: värmen är tillbaka kl 18": a label before a colon heads a statement of
    # its own, where "Nästa uppdatering: kl 18" is the time itself.
    after_label = before[cue[-1][1] :].rpartition(":")[2] if cue and ":" in before[cue[-1][1] :] else ""
    label = len([w for w in tokens.words(after_label) if w not in _WHEN_WORDS]) >= 2
    if cue and not label and not _SCHEDULE_WORDS.search(before[cue[-1][1] :]):
        return "next"  # "Nästa besked kommer senast kl. 19.00": a deadline for the next update
    # "Menkää sinne ennen kahdeksaa", "kurz vor 9 Uhr gelöscht": a time something happens before bounds it,
    # as a deadline does; read as the moment itself it contradicted the approved "at 8.40".
    bare = [w for w in undated if w not in _CLOCK_WORDS_BEFORE]
    if bare and bare[-1] in _ONLY_BEFORE[lex.language]:
        return "until"
    if _ends_with(near, "deadline") or re.match(r"\s*mennessä", after):
        return "until"  # "stängs senast kl 16", "suljetaan klo 16 mennessä": a deadline, not a closure's end
    # Finnish "until" is also the illative ending on the time itself: "kello 23:een", "klo 18:aan".
    if _ends_with(near, "until") or re.match(r"\s*(?:asti|saakka)|:(?:een|aan|ään|iin|ksi)(?!\w)", after):
        # "stängd till minst kl 22", "gesperrt bis 16 Uhr": what is closed until a time opens at it.
        closure = _closed_until(lowered, start, end, lex)
        if closure:
            return "from"
        # "Mötet flyttas till måndag kl 10": Swedish "till" and English "to" before a date say where to.
        if not (dated and near.rsplit(" ", 1)[-1] in ("till", "to")):
            return "until"
    if _ends_with(near, "since") or re.match(r"\s*(?:alkaen|lähtien|jälkeen)", after):
        return "from"
    # "closes at 8 pm" is the time it is open until; "opens at 1 pm" the time it is open from.
    close_by = lowered[max(0, start - 60) : start].replace("kl.", "kl ")  # "öppnar kl. 10": no sentence end
    # "keräys päättyy tänään jo klo 16": words of when between the verb and the time do not part them.
    # Not across a clause: "Simhallen stängs i dag, informationsmöte i kväll kl 19" meets at 19.
    close_by = _SPACES.sub(" ", _FILLERS.sub(" ", _CLAUSE_CUT.split(close_by)[-1]))[-30:]
    # The nearer of a closing and an opening word: "closes at 8pm and reopens at 7am" opens at 7.
    ending = _ENDING.search(close_by)
    closing = max(_last_at(close_by, (_CLOSING,), "closed"), ending.start() if ending else -1)
    opening = _last_at(close_by, (_OPENING, _STARTING), "open")
    if closing >= 0 and closing >= opening:
        closure_ends = ending and ending.start() == closing and _CLOSURE.search(lowered[:start])
        return "from" if closure_ends else "until"
    if opening >= 0:
        return "from"
    if cue and not label:
        return "next"
    return "at"


def _last_at(text: str, patterns: tuple[re.Pattern[str], ...], polarity: str) -> int:
    """Where the last word of opening (or closing) in `text` begins, by the patterns or the states of the
    lexicons; -1 for none."""
    found = [m.start() for p in patterns for m in p.finditer(text)]
    found += [start for start, _end, _ in lexicon.merged_states(polarity).spans(text)]
    return max(found, default=-1)


def on(found: list[Fact], moment: datetime, language: str) -> list[Fact]:
    """The facts with their days as dates, read from `moment` (when the text was published or approved) on
    the calendar of where the language is written: "tomorrow" and "Thursday" become "5.3.", so that a post of
    Wednesday saying "tomorrow" agrees with an approved "Thursday 5 March", and "tomorrow" repeated a day
    later is another day. The desk stores times in UTC; a post of 00:30 in Helsinki is of 22:30 UTC the day
    before, and its "tomorrow" is read from the Finnish day."""
    here = local(moment, language)
    resolved = []
    for fact in found:
        day = _day_of(fact.value, here) if fact.slot == "date" else None
        fact = replace(fact, value=f"{day.day}.{day.month}.") if day else fact
        when = _day_of(fact.day, here) if fact.day else None
        resolved.append(replace(fact, day=f"{when.day}.{when.month}.") if when else fact)
    return resolved


def local(moment: datetime, language: str) -> datetime:
    """`moment` on the clock of where the language is written (its lexicon's time zone)."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(_zone(language))


@cache
def _zone(language: str) -> tzinfo:
    name = lexicon.load(language).timezone if language in LANGUAGES else "UTC"
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):  # no time zone data on the machine: UTC days, as before
        return UTC


def _day_of(value: str, moment: datetime) -> date | None:
    if value in ("day+0", "day+1"):
        return moment.date() + timedelta(days=int(value[-1]))
    if value.startswith("weekday "):
        day = int(value.split()[1])
        if value.endswith(" past"):
            return moment.date() - timedelta(days=(moment.weekday() - day) % 7 or 7)
        return moment.date() + timedelta(days=(day - moment.weekday()) % 7)
    return None


def _month_dates(lex: lexicon.Lexicon) -> re.Pattern[str]:
    """ "7. September", "15 mars", "15. maaliskuuta", and in English also "March 15"."""
    names = "|".join(re.escape(m.rstrip("*")) for m in lex.months)
    day = r"(?P<d{n}>[12]\d|3[01]|0?[1-9])"
    day_first = rf"(?<![\w.]){day.format(n='')}\.?\s+(?P<mo>(?:{names})\w*)"
    if lex.language != "en":
        return re.compile(day_first)
    return re.compile(rf"{day_first}|(?P<mo2>(?:{names}))\s+{day.format(n='2')}(?:st|nd|rd|th)?(?!\w)")


def _month_index(word: str, lex: lexicon.Lexicon) -> int:
    return next(i + 1 for i, m in enumerate(lex.months) if word.startswith(m.rstrip("*")))


def _quantities(
    sentence: str, lowered: str, lex: lexicon.Lexicon, taken: list[tuple[int, int]], subject: frozenset[str]
) -> list[Fact]:
    units = {**lexicon.load("en").units, **lex.units}
    stems = {u[:-1]: v for u, v in units.items() if u.endswith("*")}
    facts: list[Fact] = []
    ends: list[int] = []  # where each fact's match ended
    words = {**lexicon.load("en").number_words, **lex.number_words}
    number = _NUMBER[:-1] + "|" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + ")"
    # "50 m", "50m" and "a 50-metre cordon" alike.
    for match in re.finditer(r"(?<!\w)" + number + r"(?:-|\s*)(?P<u>[^\W\d_]+\*?)", sentence, re.I):
        if any(a <= match.start() < b for a, b in taken):
            continue
        if match.group("n").isalpha() and match.end("n") == match.start("u"):
            continue  # "am", "an": a word, not the number word "a" with the unit "m"
        unit = match.group("u").lower()
        dimension_factor = units.get(unit) or next((v for s, v in stems.items() if unit.startswith(s)), None)
        if dimension_factor is None:
            continue
        dimension, factor = dimension_factor
        if _retracted(lowered, match.start(), lex):
            continue
        if words.get(match.group("n").lower()) == 1 and dimension not in ("distance", "duration"):
            continue  # "en person", "ein Haus": an article more often than a count
        written = match.group("n").lower()
        number_text = written.replace(" ", "").replace("\u00a0", "").replace(",", ".")
        try:
            value = (words[written] if written in words else float(number_text)) * factor
        except ValueError:
            continue
        bound = _BOUND[lex.language].search(lowered[max(0, match.start() - 25) : match.start()])
        previous = facts[-1] if facts and ends and facts[-1].slot == dimension == "duration" else None
        if previous is not None and previous.value[:1] in "<>":
            previous = None
        if bound:
            # "over two hours", "höchstens 2 km": a bound, which a value on its side agrees with.
            facts.append(Fact(dimension, f"{'>' if bound.group('more') else '<'}{value:g}", match.group(0).strip(),
                              subject))  # fmt: skip
        elif previous is not None and _JOINED.fullmatch(sentence[ends[-1] : match.start()]):
            # "2 h 10 min", "1 Stunde 30 Minuten": one duration in two parts.
            total = float(previous.value) + value
            facts[-1] = replace(previous, value=f"{total:g}", text=f"{previous.text} {match.group(0).strip()}")
        elif dimension == "distance" and _is_radius(lowered, match.start(), match.end(), lex.language):
            # "within 2 km", "inom 1 km", "2 km:n säteellä": the reach of a zone, held against the one radius
            # in force when nothing else ties them ("I live 1 km from it" is no reach and is not).
            facts.append(Fact(dimension, f"{value:g}", match.group(0).strip(), subject, radius=True))
        else:
            facts.append(Fact(dimension, f"{value:g}", match.group(0).strip(), subject))
        ends.append(match.end())
    if not facts:
        facts.extend(_number_of(lowered, lex, units, words, taken, subject))
    return facts


# "Het aantal gewonden is vijftien", "the number of injured has risen to 15", "loukkaantuneiden määrä on 15":
# the count follows its unit. Finnish names the unit before the word for number, in the genitive.
_NUMBER_OF = {
    "en": r"(?<!\w)number\s+of", "nl": r"(?<!\w)aantal", "sv": r"(?<!\w)antal(?:et)?", "de": r"(?<!\w)(?:an)?zahl\s+der",
    "fi": r"(?<!\w)(?:määrä|lukumäärä)",
}  # fmt: skip
_COUNT_WORDS = 8  # words between the unit and its count at most ("has now risen from 12 to", "is bijgesteld naar")
_COUNT_REACH = 160  # characters after the cue: a count is near its words, and a long text is not read again
# A count in figures, thousands grouped ("4,500", "1.200", "4 000") or not; never a decimal of people.
_COUNT = re.compile(r"(?<![\d.,])\d{1,3}(?:[ \u00a0.,]\d{3})+(?![\d])|(?<![\d.,])\d+(?![\d.,]\d)")


def _number_of(
    lowered: str,
    lex: lexicon.Lexicon,
    units: dict[str, tuple[str, float]],
    numbers: dict[str, float],
    taken: list[tuple[int, int]],
    subject: frozenset[str],
) -> list[Fact]:
    """A count written after the words for "the number of" its unit."""
    found: list[Fact] = []
    cues = list(re.finditer(_NUMBER_OF[lex.language], lowered))
    if not cues:
        return found
    unit_stems = {tokens.stem(u, lex.language): v for u, v in units.items() if not u.endswith("*")}
    for cue in cues:
        after = lowered[cue.end() : cue.end() + _COUNT_REACH]
        # The unit: among the three words after the cue, or the word before it in Finnish.
        named = tokens.words(lowered[max(0, cue.start() - 30) : cue.start()])[-1:] if lex.language == "fi" else (
            tokens.words(after[:40])[:3])  # fmt: skip
        unit = next((v for w in named for stem in [tokens.stem(w, lex.language)] for u, v in unit_stems.items()
                     if stem == u or (min(len(stem), len(u)) >= 6 and (stem.startswith(u) or u.startswith(stem)))),
                    None)  # fmt: skip  # the genitive "loukkaantuneiden" of the partitive "loukkaantunutta"
        if unit is None or unit[0] not in ("people", "households"):
            continue
        clause = re.split(r"[;!?]|\.(?!\d)", after, maxsplit=1)[0]
        # The last count within reach: "has risen from 15 to 18", "is met drie gestegen tot vijftien".
        reach = sum(len(w) + 1 for w in tokens.words(clause)[: len(named) + _COUNT_WORDS]) + 8
        if re.search(r"(?<![\d.,])0\d", clause[:reach]):
            continue  # "the number of the helpline is 01437 775000": a phone number, no count
        counts = [(m.start(), m.group(0)) for m in _COUNT.finditer(clause[:reach])]
        counts += [(m.start(), m.group(0)) for m in re.finditer(r"[^\W\d_]+", clause[:reach]) if m.group(0) in numbers]
        counts = [(at, w) for at, w in counts if not any(a <= cue.end() + at < b for a, b in taken)]
        if not counts:
            continue
        at, word = max(counts)
        value = numbers[word] if word in numbers else float(re.sub(r"[ ,.\u00a0]", "", word))
        found.append(Fact(unit[0], f"{value * unit[1]:g}", lowered[cue.start() : cue.end() + at + len(word)], subject))
    return found


# Words that make a distance the reach of a zone, right before it ("within", "inom", "im Umkreis von"), or
# right after it ("2 km:n säteellä", "500 Meter Umkreis").
_RADIUS_BEFORE = {
    language: re.compile(rf"(?<!\w)(?:{words})\s*$")
    for language, words in (
        ("en", "within|within a radius of|radius of|perimeter of|zone of"),
        ("sv", "inom|inom en radie av|i en radie av|radie av|radie på|radien"),
        ("fi", "säde|säde on"),
        ("de", "im umkreis von|umkreis von|im radius von|radius von|innerhalb von|innerhalb|in einem umkreis von"),
        ("nl", "binnen|binnen een straal van|in een straal van|straal van|binnen een afstand van"),
    )
}
_RADIUS_AFTER = re.compile(r"^(?::n|n)?\s*(?:säteellä|säteeltä|säteelle|radius|umkreis|radie)", re.I)
# A distance from somewhere or beside something ("1 km from the plant", "2 km:n päässä", "3 km outside
# the zone", "2 km nördlich des Sperrgebiets") is no zone's reach, unless a zone was named before it.
_FROM_A_POINT = re.compile(
    r"^(?::n|n)?\s*(?:from|away|off|outside|beyond|north|south|east|west|downwind|upwind|från|bort|ifrån|utanför|"
    r"norr|söder|öster|väster|von|vom|entfernt|weg|außerhalb|ausserhalb|nördlich|südlich|östlich|westlich|van|"
    r"vanaf|verwijderd|buiten|ten noorden|ten zuiden|ten oosten|ten westen|päässä|päähän|päästä|etäisyydellä|"
    r"ulkopuolella|pohjoiseen|etelään|itään|länteen)(?!\w)",
    re.I,
)
# A word that names a zone with a boundary (a cordon, an exclusion or evacuation zone, a radius), whole or
# as the end of a compound ("Evakuierungsbereich", "evakueringsområdet", "Sperrzone", "evakuointisäde"):
# a distance in its sentence is that zone's reach ("Der Evakuierungsbereich wird auf 1 km erweitert"). A
# plain word for an area ("i området vid bron", "im Bereich der Brücke") is none.
_ZONE = re.compile(
    r"(?<!\w)(?:\w*(?:evaku|evacu|sperr|spärr|eristy|vaara|gefahren|gevaren|risk)\w*"
    r"(?:zone|zonen|zon|område\w*|bereich\w*|gebiet\w*|alue\w*|gebied\w*)|"
    r"(?:evacuation|exclusion|danger|hazard|cordon|safety)\s+(?:zone|area)|cordon\w*|perimeter|"
    r"sperrzone\w*|sperrgebiet\w*|absperrung\w*|avspärrning\w*|afzetting\w*|\w*radius|\w*radie\w*|\w*säde|"
    r"\w*säteen|umkreis\w*|straal)(?!\w)"
)


def _is_radius(lowered: str, start: int, end: int, language: str) -> bool:
    before = _RADIUS_BEFORE.get(language, _RADIUS_BEFORE["en"])
    after = lowered[end : end + 20]
    if before.search(lowered[max(0, start - 30) : start]) or _RADIUS_AFTER.match(after):
        return True
    # `lowered` is one sentence. A zone named before the distance is what reaches that far ("riskområdet
    # utökas till 1 km från kyllagret"); one named after it may be where the distance is measured from.
    if _ZONE.search(lowered, 0, start):
        return True
    return not _FROM_A_POINT.match(after) and bool(_ZONE.search(lowered, end))


# "More than" and "at most" right before a quantity, in each language (Finnish "alle" is "under", the
# German one "every").
_BOUND = {
    language: re.compile(rf"(?<!\w)(?:(?P<more>{more})|{less})\s*$")
    for language, more, less in (
        ("en", "more than|over|at least|above", "less than|under|up to|at most|below|no more than"),
        ("sv", "mer än|över|minst|drygt", "mindre än|upp till|högst|max|som mest"),  # "under 3 timmar": for 3 h
        ("fi", "yli|vähintään|ainakin|reilusti yli", "alle|enintään|korkeintaan|max|maksimissaan"),
        ("de", "mehr als|über|mindestens|wenigstens", "weniger als|unter|bis zu|höchstens|maximal|max"),
        ("nl", "meer dan|ruim|minstens|ten minste|minimaal", "minder dan|hoogstens|maximaal|max|ten hoogste"),
    )
}
_MINUTES_AFTER = re.compile(r"\s*\d{1,2}\s*min", re.I)
# What may stand between the two parts of one duration: a space, "and", "och", "ja", "und", "en".
_JOINED = re.compile(r"\s*(?:,|and|och|ja|und|en)?\s*", re.I)


_CAMEL_CASE = re.compile(r"(?<!\w)[A-ZÅÄÖÜ][a-zåäöüß]+[A-ZÅÄÖÜ]\w+")
_NOW = {
    "en": re.compile(r"(?<!\w)now(?!\w)"), "sv": re.compile(r"(?<!\w)(?:numera|nu)(?!\w)"),
    "fi": re.compile(r"(?<!\w)nyt(?!\w)"), "de": re.compile(r"(?<!\w)(?:jetzt|nun|neu)(?!\w)"),
    "nl": re.compile(r"(?<!\w)(?:nu|voortaan)(?!\w)"),
}  # fmt: skip


def _places(sentence: str, lowered: str, lex: lexicon.Lexicon, subject: frozenset[str]) -> list[Fact]:
    """Where the unit sends people: "the rest centre at the Civic Hall" is a place fact whose value is
    the names of its sentence ("Civic", "Hall" are common words; "Pyynikki", "Ersmark" are names)."""
    spans = lex.facilities.spans(lowered)
    if not spans:
        return []
    _start, _end, written = spans[0]
    # The kind is the lexicon's entry ("värmestug*"), so "värmestuga" and "värmestugan" are one kind.
    kind = next(
        (e.rstrip("*").replace(" ", "_") for e in lex.facilities.phrases if written.startswith(e.rstrip("*"))),
        tokens.stem(tokens.words(written)[0], lex.language),
    )
    own = {tokens.stem(w, lex.language) for w in tokens.words(written)}
    names = (tokens.names(sentence, lex.language) | _proper_nouns(sentence, lex)) - own
    if lex.language == "de":  # "In der Notunterkunft können keine Haustiere aufgenommen werden" names no place
        camel = {w.lower() for w in _CAMEL_CASE.findall(sentence)}  # "OsnabrückHalle" is a name
        names -= {
            tokens.stem(w, "de") for w in tokens.words(lowered) if w not in camel and tokens.german_common_noun(w)
        }
    venues = _venues(lowered, lex)
    names -= {tokens.stem(v, lex.language) for v in venues}
    relocated = _RELOCATION.search(lowered)
    away = _moved_from(lowered, lex.language, relocated) if relocated else None
    left_behind: frozenset[str] = frozenset()
    if away is not None:
        # "Värmestugan flyttas från Morö Backe skola till Anderstorps sporthall": it is where it moves to.
        start, end = away
        rest = lowered[:start] + " " + lowered[end:]
        left = {tokens.stem(w, lex.language) for w in tokens.words(lowered[start:end])}
        kept = {tokens.stem(w, lex.language) for w in tokens.words(rest)}
        names = frozenset(n for n in names if n in kept or not any(w.startswith(n) for w in left))
        # What it leaves, by its capitalised words as a contrast names them ("från Kulturhuset": a common
        # word, but written as the building's name).
        left_behind = frozenset(
            tokens.stem(w.lower(), lex.language) for w in re.findall(r"(?<!\w)[A-ZÅÄÖÜ][\wåäöüß-]+", sentence[start:end])
            if lex.language != "de" or tokens.frequency(w.lower(), "de") < 3.5
        ) - kept  # fmt: skip
        venues = _venues(rest, lex) | (venues - _venues(lowered[start:end], lex))
    if not names and not venues:
        return []
    # "The rest centre is now at the Town Hall": a place said to be where it is now has moved there.
    moved = bool(relocated or _NOW[lex.language].search(lowered))
    value = PLACE + ",".join(sorted(names)) + (VENUE + ",".join(sorted(venues)) if venues else "")
    # The sentence is what a person compares ("…värmestugan är i Ersmarks skola"), not the word "värmestugan".
    found = [Fact(f"place:{kind}", value, sentence.strip()[:200], subject | ({"moved"} if moved else set()))]
    if left_behind:
        # The place it left is set aside as "not there" is: a post sending people there is stale.
        found.append(Fact(CONTRAST, ",".join(sorted(left_behind)), sentence.strip()[:200], subject - left_behind))
    return found


# Where a place moves from, in a sentence that says it moves ("från Morö Backe skola till…", "vom Turnsaal
# in den Stadtsaal", "van sporthal De Vormt naar…"; in Finnish the elative or ablative, "Kortepohjan
# koululta"): the words up to the place it moves to.
_FROM = {"en": "from", "sv": "från", "de": "von|vom|aus", "nl": "van"}
_TO = {"en": "to|into", "sv": r"till|in\s+i", "de": "in|ins|nach|zum|zur|zu|an|auf", "nl": "naar|in"}
# The nearest "from" before the "to": "för de evakuerade från Allégatan flyttas från Kulturhuset till Åhaga"
# moves it from Kulturhuset.
_MOVED_FROM = {
    language: rf"(?<!\w)(?:{_FROM[language]})\s+(?P<old>(?:(?!(?<!\w)(?:{_FROM[language]})\s)[^.;:!?]){{2,60}}?)"
              rf"\s+(?:{_TO[language]})\s"
    for language in _FROM
} | {"fi": r"(?<!\w)(?P<old>(?:\w+\s+){0,2}?\w+(?:sta|stä|lta|ltä))(?!\w)"}  # fmt: skip
_MOVED_FROM_PATTERNS = {language: re.compile(pattern) for language, pattern in _MOVED_FROM.items()}


# "Vattentanken vid Skutnäs skola flyttas till …", "the rest centre at the library moves to …": where it
# stands, right before the verb that moves it, is where it leaves.
_AT = {"en": "at|in", "sv": "vid|på|i", "de": "am|an\\s+der|beim|bei|im|in\\s+der", "nl": "bij|aan|in|op"}
_AUXILIARY = {"en": r"(?:is\s+|will\s+be\s+|has\s+been\s+)?", "sv": "", "de": r"(?:wird\s+)?", "nl": r"(?:wordt\s+)?"}
_MOVED_AT_PATTERNS = {
    language: re.compile(rf"(?<!\w)(?:{_AT[language]})\s+(?P<old>(?:[^\s.;:!?,]+\s+){{0,3}}?[^\s.;:!?,]+)\s+"
                         rf"{_AUXILIARY[language]}$")
    for language in _AT
}  # fmt: skip


def _moved_from(lowered: str, language: str, verb: re.Match[str]) -> tuple[int, int] | None:
    # Finnish says where from by a case, after the verb: "Vesipiste siirretään paloasemalta …" — the words
    # before the verb are what moves, not where from.
    match = _MOVED_FROM_PATTERNS[language].search(lowered, verb.end() if language == "fi" else 0)
    if match:
        return match.span("old")
    clause = re.split(r"[,;:!?]|\.(?!\s*\d)", lowered[verb.end() :], maxsplit=1)[0]  # "kl. 14" goes on
    if language not in _MOVED_AT_PATTERNS or not re.search(rf"(?<!\w)(?:{_TO[language]})\s", clause):
        return None  # "kan behöva flyttas, uppger … till TÅ": no place it moves to, no move yet
    at = _MOVED_AT_PATTERNS[language].search(lowered, 0, verb.start())
    return at.span("old") if at else None


CONTRAST = "contrast"
# "nicht wie zuerst gemeldet in der Sporthalle", "not, as announced earlier, at the school": how the denied
# value was said before stands between the negation and the value (the verbs of the five languages).
_AS_SAID = (
    r"(?:wie|as|zoals|som|kuten)\s+(?:(?!(?:as|als|wie|som|zoals|kuten)\s)[\w-]+\s+){0,3}?(?:gemeldet|angekündigt|mitgeteilt|berichtet|kommuniziert|"
    r"reported|announced|said|stated|communicated|gemeld|aangekondigd|gecommuniceerd|meegedeeld|meddelats|"
    r"meddelat|sagts|angivits|kerrottiin|ilmoitettiin|tiedotettiin)"
    r"(?:\s+(?:earlier|before|previously|zuvor|vorher|eerder|tidigare|aiemmin))?"
)
# The adverb "not" of each language: "no", "kein", "geen", "ingen" negate a noun ("nichts Verdächtiges"),
# they do not set a name against another.
_NOT = {"en": "not", "sv": "inte|ej|icke", "fi": "eikä|ei", "de": "nicht", "nl": "niet"}
# "now meeting at the hall rather than the junction": a name set aside as a negation sets it.
INSTEAD = {
    "en": r"rather\s+than|instead\s+of", "sv": r"i\s+stället\s+för|istället\s+för", "de": r"statt|anstatt",
    "nl": r"in\s+plaats\s+van", "fi": r"eikä",
}  # fmt: skip


_SET_ASIDE = {lang: re.compile(rf"\s*(?:{_NOT[lang]}|{INSTEAD[lang]})\s", re.I) for lang in _NOT}


def _contrast(sentence: str, lex: lexicon.Lexicon) -> list[Fact]:
    """ "Buses leave from the station, not Folkets hus": the post denies what comes after the negation,
    a name, about what the words before it speak of. Its value is the denied name's stems; its subject
    the words before, less the name it puts in its place (the last word before the negation)."""
    found = []
    for match in re.finditer(
        rf"(?:,\s*|(?<!\s)\s+)(?:{_NOT[lex.language]}|{INSTEAD[lex.language]})(?:,?\s+{_AS_SAID}[,\s]+|\s+)"
        rf"(?P<denied>[^,;:.!?()]{{2,40}})",
        sentence,
        re.I,
    ):
        denied = match.group("denied")
        if denied.split()[0].lower() in _ONLY:
            continue  # "not only Morfa": Morfa and more, nothing denied
        # Only a name is denied this way; lower-case words after a negation are an ordinary negated verb.
        # German writes every noun with a capital: there a name is also an uncommon word ("nicht im
        # Bürgerhaus", not "nicht Fenster öffnen").
        capitals = [
            w for w in re.findall(r"(?<!\w)[A-ZÅÄÖÜ][\wåäöüß-]+", denied)
            if lex.language != "de" or tokens.frequency(w.lower(), "de") < 3.5
        ]  # fmt: skip
        if not capitals or len(denied.split()) > 4:
            continue
        before = tokens.words(sentence[: match.start()])
        if len(before) < 3:
            continue
        value = frozenset(tokens.stem(w.lower(), lex.language) for w in capitals)
        frame = _subject(" ".join(before[:-1]).lower(), lex) | tokens.names(" ".join(before[:-1]), lex.language)
        if len(frame - value) >= 2:
            found.append(Fact(CONTRAST, ",".join(sorted(value)), sentence.strip()[:200], frozenset(frame - value)))
    return found


FREQUENCY = "frequency"
# How often something runs ("every 30 minutes", "kahden tunnin välein", "alle zwei Stunden", "varannan
# timme", "om het half uur"), in minutes. The counts a frequency uses include forms a quantity does not
# ("kahden", "halbe", "half"), so they are listed here with their phrases.
_EVERY = {
    "en": r"every\s+(?:(?P<n>\d+|two|three|four|half an?)\s+)?(?P<u>minutes?|mins?|hours?|hrs?)\b|(?P<w>half-hourly|hourly)",
    # Opening with its word: optional words and spaces first made a run of spaces cost its cube.
    "sv": r"(?<!\w)(?:(?P<w>varannan)|var|varje)\s++(?:(?P<n>\d+):e\s++)?(?P<u>halvtimme|minut|timme)\b",
    "fi": r"(?:(?P<n>\d+|puolen|kahden|kolmen|neljän|viiden|kymmenen)\s+)?(?P<u>tunnin|minuutin|vartin)\s+välein",
    "de": r"(?:alle|jede[n]?)\s+(?:(?P<n>\d+|halbe|zwei|drei|vier)\s+)?(?P<u>minuten?|stunden?|viertelstunde)\b"
    r"|(?P<w>halbstündlich|stündlich)",
    "nl": r"(?:elk(?:e)?|ieder(?:e)?|om\s+de|om\s+het)\s+(?:(?P<n>\d+|twee|drie|vier|half)\s+)?"
    r"(?P<u>minuten|minuut|uur|kwartier)\b",
}
_EVERY_COUNT = {"half": 0.5, "half a": 0.5, "half an": 0.5, "puolen": 0.5, "halbe": 0.5, "two": 2, "zwei": 2,
                "twee": 2, "kahden": 2, "three": 3, "drei": 3, "drie": 3, "kolmen": 3, "four": 4, "vier": 4,
                "neljän": 4, "viiden": 5, "kymmenen": 10}  # fmt: skip
_EVERY_UNIT = {"min": 1, "hou": 60, "hr": 60, "hal": 30, "tim": 60, "tun": 60, "stu": 60, "uur": 60, "vie": 15,
               "kwa": 15, "var": 15}  # fmt: skip


def _frequencies(
    lowered: str, lex: lexicon.Lexicon, taken: list[tuple[int, int]], subject: frozenset[str]
) -> list[Fact]:
    found = []
    for match in re.finditer(_EVERY[lex.language], lowered):
        if any(a < match.end() and match.start() < b for a, b in taken) or not match.group(0).strip():
            continue
        word = match.groupdict().get("w") or ""
        if word in ("hourly", "stündlich"):
            minutes = 60.0
        elif word in ("half-hourly", "halbstündlich"):
            minutes = 30.0
        else:
            unit = match.group("u") or ""
            if not unit:
                continue
            count = match.group("n") or ""
            number = float(count) if count.isdigit() else _EVERY_COUNT.get(count, 1.0)
            minutes = number * next(v for k, v in _EVERY_UNIT.items() if unit.startswith(k))
            if word == "varannan":
                minutes *= 2  # "varannan timme": every other hour
            elif lex.language == "sv" and not re.search(r"(?:var|varje)\s+\S*\s*" + re.escape(unit), match.group(0)):
                continue  # "en timme", "halvtimme" alone: a duration, not how often
        taken.append(match.span())
        found.append(Fact(FREQUENCY, f"{minutes:g}", match.group(0).strip(), subject))
    return found


SEGMENT = "segment"
_CAP = r"[A-ZÅÄÖÜ][\w-]+(?:\s+[A-ZÅÄÖÜ][\w-]+)?"
_ARTICLE = r"(?:(?:the|de|het|der|die|dem|den)\s+)?"
# A stretch of road, rail or water between two named places, in the word order of each language.
_SEGMENT = {
    "en": rf"(?i:between)\s+{_ARTICLE}(?P<a>{_CAP})\s+and\s+{_ARTICLE}(?P<b>{_CAP})",
    "sv": rf"(?i:mellan)\s+(?P<a>{_CAP})\s+och\s+(?P<b>{_CAP})",
    "de": rf"(?i:zwischen)\s+{_ARTICLE}(?P<a>{_CAP})\s+und\s+{_ARTICLE}(?P<b>{_CAP})",
    "nl": rf"(?i:tussen)\s+{_ARTICLE}(?P<a>{_CAP})\s+en\s+{_ARTICLE}(?P<b>{_CAP})",
    "fi": r"(?P<a>[A-ZÅÄÖ][\w-]+n)\s+ja\s+(?P<b>[A-ZÅÄÖ][\w-]+n)\s+väli",
}


def _segments(sentence: str, lex: lexicon.Lexicon, subject: frozenset[str]) -> list[Fact]:
    """ "The B306 between Siegsdorf and Inzell": a stretch is its two ends, in either order; what it is a
    stretch of is the rest of the sentence."""
    found = []
    for match in re.finditer(_SEGMENT[lex.language], sentence):
        ends = {tokens.stem(w.lower(), lex.language) for end in ("a", "b") for w in match.group(end).split()}
        found.append(Fact(SEGMENT, ",".join(sorted(ends)), match.group(0), subject - ends))
    return found


@lru_cache(maxsize=4096)
def denies_or_moves(text: str, stems: frozenset[str], language: str) -> bool:
    """Whether a sentence of the text that names these stems negates them, or moves something away (then
    the old place is named as where it is not any more)."""
    lex = lexicon.load(language)
    for sentence in tokens.sentences(text):
        lowered = sentence.lower()
        named = [m for m in re.finditer(r"[\wåäöüß-]+", lowered) if tokens.stem(m.group(0), language) in stems]
        if named and (_RELOCATION.search(lowered) or any(_negated_before(lowered, m.start(), lex) for m in named)):
            return True
        if named and any(stems <= frozenset(f.value.split(",")) for f in _contrast(sentence, lex)):
            return True  # "…, nicht wie zuerst gemeldet in der Sporthalle Haselstauden"
    return False


def _venues(lowered: str, lex: lexicon.Lexicon) -> frozenset[str]:
    """The kinds of building named ("skola", "bygdegård"), by their lexicon entry so that "koulun" and
    "koululla" are one; a building taken back ("inte i Ersmarks skola") is not named."""
    found = set()
    words = list(re.finditer(r"\w+", lowered))
    for i, word in enumerate(words):
        pair = f"{word.group(0)} {words[i + 1].group(0)}" if i + 1 < len(words) else word.group(0)
        for entry in lex.venues:
            stem = entry.rstrip("*")
            text = pair if " " in stem else word.group(0)
            hit = text.startswith(stem) if entry.endswith("*") else text == stem
            if hit and not _retracted(lowered, word.start(), lex):
                found.add(stem)
    return frozenset(found)


def _proper_nouns(sentence: str, lex: lexicon.Lexicon) -> frozenset[str]:
    """Capitalised words inside a sentence that are not common words of the language (German capitalises
    every noun; "Schulhaus" is common, "Uhingen" is not), hyphenated names included."""
    found = set()
    for match in re.finditer(r"(?<=[\w,;:)] )([A-ZÅÄÖÜ][\w-]+)", sentence):
        word = match.group(1).lower()
        if len(word) >= 3 and tokens.frequency(word, lex.language) < 3.5:
            found.add(tokens.stem(word, lex.language))
    return frozenset(found)


def _attribution(lowered: str, lex: lexicon.Lexicon) -> bool:
    """A short clause that opens with a relay ("according to…", "laut…", "enligt…") names a source only."""
    spans = lex.relay.spans(lowered)
    return bool(spans) and spans[0][0] <= 2 and len(tokens.words(lowered)) <= 7


_CONTRACTED_NOT = re.compile(r"(?<=\w)n['\u2019]t(?!\w)")


def _words_with_not(lowered: str) -> list[str]:
    """The words of a text with English "n't" as the "not" it is: the tokenizer cuts "don't" into "don", "t"."""
    return tokens.words(_CONTRACTED_NOT.sub(" not", lowered))


def negation_at(text: str, language: str | None = None) -> tuple[list[str], int | None]:
    """The words of a text ("n't" as "not") and where its first negation is: the language's own, or any
    language's but the ones that are other words elsewhere ("no" of Swedish, "ei", "en")."""
    words = _words_with_not(text.lower())
    negations = _negation_words(language)
    return words, next((i for i, w in enumerate(words) if w in negations), None)


@cache
def _negation_words(language: str | None) -> frozenset[str]:
    own = lexicon.load(language).negation if language else frozenset()
    return frozenset(own | (lexicon.merged_words("negation") - {"no", "ei", "en"}))


def _negated(lowered: str, lex: lexicon.Lexicon) -> bool:
    """Whether a statement is negated; "not 10 pm", "inte till kl. 20" take back a value instead."""
    words = _words_with_not(lowered)
    negations = _negation_words(lex.language)
    for i, word in enumerate(words):
        if (
            word in negations
            and not any(w.isdigit() for w in words[i + 1 : i + 4])
            and not _hour_set_aside(words, i, lex)
        ):
            return True
    return False


def _hour_set_aside(words: list[str], at: int, lex: lexicon.Lexicon) -> bool:
    """ "closes at half seven not eight", "um sieben, nicht acht Uhr": a number in words right after the
    negation that ends the statement or is a clock's, as "not 20:00" is. Not "none of the three injured",
    "keine zwei Stunden", nor "one", which is as often an article ("not one bus")."""
    rest = words[at + 1 :]
    while rest and rest[0] in _COMPARING:
        rest = rest[1:]
        if not rest or lex.number_words.get(rest[0], 1) > 1:
            return bool(rest)  # "no more than two packs": a bound, which "max 2 packs" agrees with
    after = rest[:2]
    if not after or lex.number_words.get(after[0], 1) <= 1:
        return False
    return len(after) == 1 or after[1] in _CLOCK_WORDS_AFTER


# Words of a bound between a negation and its number ("no more than", "nicht mehr als", "inte mer än").
_COMPARING = frozenset("more than fewer less mehr als weniger meer dan minder mer än färre mindre enempää kuin".split())


def _retracted(lowered: str, at: int, lex: lexicon.Lexicon) -> bool:
    """ "30 metres, not 10 metres as we said", "23.30 (previously announced 22)": a value right after a
    negation or a word that points back to an earlier value is the one taken back."""
    window = _words_with_not(lowered[max(0, at - 32) : at])[-3:]
    joined = " ".join(window)  # "in plaats van 17u": a phrase of the list ends right before the value
    return any(w in lex.negation or w in lex.retracted for w in window) or any(
        " " in phrase and joined.endswith(phrase) for phrase in lex.retracted
    )


# The words for "before" and "until" a negation turns into "from" ("not before six", "inte förrän sju").
_BEFORE_WORDS = {
    "en": ("before", "until", "till"), "sv": ("före", "förrän", "innan"), "de": ("vor", "bis"),
    "nl": ("voor", "tot"), "fi": ("ennen",),
}  # fmt: skip
# The words of `_BEFORE_WORDS` that only say "before": Dutch "voor" is as often "for" ("gepland voor 20.00
# uur"), where "vóór" is not.
_ONLY_BEFORE = {"en": ("before",), "sv": ("före", "innan"), "de": ("vor",), "nl": ("vóór",), "fi": ("ennen",)}
# What sets a value taken back against the one meant ("nicht bis 18, sondern bis 20 Uhr"): right after the
# first value, the negation takes it back; "but" and "maar" also join two plain clauses, and do not count.
_RATHER = re.compile(r"[\s,;–—-]*(?<!\w)(?:sondern|utan|vaan|instead|istället|stattdessen|sijaan)(?!\w)")
_ASIDE = re.compile(r"\([^()]*\)")


def _aside(match: re.Match[str], language: str) -> str:
    """An aside in brackets that sets a name, a place or a value aside ("(niet Midsland)", "(inte vid
    brandstationen)", "(old number no longer used)") is dropped; one of a negation and an adverb or a state
    ("(not yet)", "(vorerst nicht)", "(not open yet)") is part of the statement."""
    inside = match.group(0)
    named = any(ch.isdigit() for ch in inside) or re.search(r"(?<!\()\b[A-ZÅÄÖÜ]", inside)
    words = tokens.content_words(inside, language)
    # A place set aside after a preposition ("inte vid skolan", "not at the school"); a negation with an
    # adverb ("vorerst nicht", "not yet") is no place, however rare the adverb.
    placed = _NOT_AT[language].match(inside) if language in _NOT_AT else None
    return " " if named or len(words) >= 3 or placed else inside


_NOT_AT = {
    lang: re.compile(rf"\(\s*(?:{_NOT[lang]})\s+(?:{prepositions})\s+\w", re.I)
    for lang, prepositions in {
        "en": "at|in|on|from|to|by|the", "sv": "vid|på|i|från|till|hos", "de": "am|an|im|in|bei|beim|vom|von|auf|zum|zur",
        "nl": "bij|in|op|aan|van|naar|de|het", "fi": "",
    }.items()
    if prepositions
}  # fmt: skip


def _value_after_negation(text: str, language: str) -> bool:
    """ "nicht wie geplant um 10 Uhr": a value within five words after the negation (the same negation
    words `_negated` reads)."""
    words, at = negation_at(text, language)
    return at is not None and any(any(ch.isdigit() for ch in w) for w in words[at + 1 : at + 6])


# A negation reaches no further back than its clause: "… nicht bis 18, sondern bis 20".
_CLAUSE_START = re.compile(r"[,;:]|(?<!\w)(?:sondern|utan|vaan)(?!\w)")


def _not_before(lowered: str, start: int, written: str, lex: lexicon.Lexicon) -> bool:
    """Whether a time is the one something does not happen before ("ei ennen kuutta", "don't return until
    6 pm"): the word of "before" right before it (or opening the time as written), a negation within
    four words before that in the same clause, and no value set against it right after."""
    before = _BEFORE_WORDS[lex.language]
    clause = _CLAUSE_START.split(lowered[max(0, start - 40) : start])[-1]
    words = _words_with_not(clause)  # "don't" is "do not"
    lead = tokens.words(written.lower())[:1]
    if lead and lead[0] in before and not (words and words[-1] == lead[0]):
        words = [*words, lead[0]]
    while words and words[-1] in _CLOCK_WORDS_BEFORE:  # "not before kl 18", "nicht vor um 18"
        words.pop()
    if not words or words[-1] not in before:
        return False
    return any(w in lex.negation for w in words[-5:-1]) and not _RATHER.search(lowered, start, start + 40)


def _negated_before(lowered: str, at: int, lex: lexicon.Lexicon) -> bool:
    words = _words_with_not(lowered[max(0, at - 40) : at])
    # "no longer need to keep windows closed", "don't have to stay inside": the verb of need between the
    # negation and the instruction it lifts; not "we have to boil water", "who are not sure have to stay in".
    needed = len(words)
    while needed and words[needed - 1] in _NEED_WORDS:
        needed -= 1
    if needed < len(words) and needed and words[needed - 1] in lex.negation:
        words = words[:needed]
    window = words[-3:]
    if _AND[lex.language] in window:
        # "Raak brandresten niet aan en houd kinderen binnen": a negation does not reach over "and".
        window = window[len(window) - window[::-1].index(_AND[lex.language]) :]
    # "niet alleen", "not only", "nicht nur": no negation of what follows.
    return any(w in lex.negation and (i + 1 == len(window) or window[i + 1] not in _ONLY) for i, w in enumerate(window))


def _lifted(lowered: str, lex: lexicon.Lexicon) -> re.Match[str] | None:
    """Words saying advice no longer applies, not where they are negated ("the council hasn't lifted it yet")."""
    return _LIFTED[lex.language].search(_without_negated_liftings(lowered, lex))


def _lifting_negated(lowered: str, match: re.Match[str], lex: lexicon.Lexicon) -> bool:
    """ "hasn't lifted", "noch nicht aufgehoben": a negation one or two words before the lifting word, not one
    of the advice's own name ("Do Not Drink notice lifted")."""
    return any(w in lex.negation for w in _words_with_not(lowered[max(0, match.start() - 30) : match.start()])[-2:])


def _without_negated_liftings(lowered: str, lex: lexicon.Lexicon) -> str:
    """The text with each negated lifting and the words from its negation on blanked: "Police haven't lifted
    the evacuation" says the evacuation holds; its "not" is the lifting's, not the advice's."""
    for match in _LIFTED[lex.language].finditer(lowered):
        if _lifting_negated(lowered, match, lex):
            start = max(0, match.start() - 30)
            words = list(re.finditer(r"[\w']+", lowered[start : match.start()]))[-2:]
            first = next((w for w in words if w.group(0) in lex.negation or w.group(0).endswith("n't")), None)
            start = start + first.start() if first else match.start()
            lowered = lowered[:start] + " " * (match.end() - start) + lowered[match.end() :]
    return lowered


_NEED_WORDS = frozenset({"need", "needs", "have", "has", "to", "longer", "anymore"})


def _directed(sentence: str, lex: lexicon.Lexicon, subject: frozenset[str]) -> list[Fact]:
    """The instructions of a sentence, clause by clause with each clause's places ("Ramen dicht in
    Bennekom, in Ede-Zuid mogen ramen weer open" is two), or of the whole sentence where an instruction
    runs over a comma ("Fenster, Türen und Lüftungen geschlossen halten")."""
    parts = tokens.clauses(sentence)
    # "Het advies om ramen te sluiten is ingetrokken": advice that is lifted points the other way, however
    # the sentence's commas cut it.
    sentence = _without_negated_liftings(sentence.lower(), lex)
    lifted = bool(_LIFTED[lex.language].search(sentence))
    by_clause = []
    for clause in parts if len(parts) > 1 else ():
        names = tokens.names(clause, lex.language)
        # "…on päättynyt, mutta 500 metrin evakuointialue on edelleen voimassa": a clause saying its advice
        # still holds is not lifted with the rest of the sentence.
        held = lifted and bool(_IN_FORCE[lex.language].search(clause.lower()))
        by_clause += [replace(f, names=names) for f in _instructions(clause.lower(), lex, subject, lifted and not held)]
    whole = _instructions(sentence.lower(), lex, subject, lifted)
    return by_clause + [f for f in whole if f.slot not in {c.slot for c in by_clause}]


# The opposite of a direction among several: "may not go outside" keeps people in; not allowed home, people stay
# evacuated; staying in, not done, is leaving (as it was when staying in and leaving were the only two).
_OPPOSITE = {"outdoors": "indoors", "indoors": "outdoors", "evacuate": "indoors", "return": "evacuate"}
_LIFTED_TO = {"evacuate": "return", "return": "return"}  # going home is what a lifted evacuation allows


def _negated_within(written: str, phrases: lexicon.Phrases, lex: lexicon.Lexicon) -> bool:
    """A negation in the words a phrase's gap took in ("mogen nog niet terug", "Fenster müssen nicht mehr
    geschlossen bleiben"), not one the phrase itself names ("niet drinken"): a negation is the phrase's own
    where a phrase naming it has all its other words in the text."""
    words = tokens.words(written)

    def own(negation: str) -> bool:
        for phrase in phrases.phrases:
            stems = [x.rstrip("*+") for x in phrase.split() if x != "…"]  # a long word also matches its forms
            if negation in stems and all(any(w.startswith(x) for w in words) for x in stems if x != negation):
                return True
        return False

    return any(w in lex.negation and not own(w) for w in words)


def _instructions(lowered: str, lex: lexicon.Lexicon, subject: frozenset[str], lifted: bool = False) -> list[Fact]:
    facts = []
    for start, end, _ in lex.evacuees.spans(lowered):
        lowered = lowered[:start] + " " * (end - start) + lowered[end:]
    for name, directions in lex.instructions.items():
        for direction, phrases in directions.items():
            spans = phrases.spans(lowered)
            if not spans:
                continue
            start, _end, written = spans[0]
            value = direction
            others = [d for d in directions if d != direction]
            # "do not open the windows", "nicht trinkbar", "mogen nog niet terug naar huis": a negated
            # direction is the other one; an evacuation lifted sends people home.
            negated = _negated_before(lowered, start, lex) or _negated_within(written, phrases, lex)
            if lifted and not negated and direction in _LIFTED_TO:
                value = _LIFTED_TO[direction]
            elif negated != lifted:
                value = others[0] if len(others) == 1 else _OPPOSITE.get(direction, direction)
            facts.append(Fact(name, value, written, subject))
            break
    return facts


# The words that make a date the end or the start of something, before it or (Finnish, German) after it.
_BOUND_BEFORE = re.compile(
    r"(?<!\w)(?:until|till|to|from|through|bis|ab|vom|tot|vanaf|t\.?o\.?m\.?|tom|från|fram till|mennessä)"
    r"(?:\s+(?:och med|en met|zum|zur|den|dem|the|am|on))?\s*$"
)
_BOUND_AFTER = re.compile(r"\s*(?:asti|saakka|alkaen|lähtien|an\b|hin\b)")


def _bounded(lowered: str, start: int, end: int) -> bool:
    return bool(_BOUND_BEFORE.search(lowered[max(0, start - 16) : start]) or _BOUND_AFTER.match(lowered, end))


def _states(
    sentence: str, lex: lexicon.Lexicon, subject: frozenset[str], directed: list[Fact], times: list[tuple[int, int]]
) -> list[Fact]:
    """The open / closed state a sentence states, or each of its clauses when they state both ("Der
    Soleleitungsweg ist wieder geöffnet, der Weg zum Rudolfsturm bleibt gesperrt"), each with its own
    words and place."""
    lowered = sentence.lower()
    hits = _state_words(lowered, lex)
    if len({polarity for _, polarity, _ in hits}) < 2:
        whole = _state(lowered, lex, subject, directed, times, hits)
        return [whole] if whole else []
    found = []
    for clause in tokens.clauses(sentence):
        at = sentence.find(clause)
        if at < 0:
            continue
        here = [(a - at, b - at) for a, b in times if at <= a < at + len(clause)]
        lowered_clause = clause.lower()
        words = _subject(lowered_clause, lex) | _facility(lowered_clause, lex)
        state = _state(lowered_clause, lex, words, _instructions(lowered_clause, lex, words), here)
        if state:
            found.append(replace(state, names=tokens.names(clause, lex.language)))
    return found


def _state_words(lowered: str, lex: lexicon.Lexicon) -> list[tuple[int, str, str]]:
    """Where a text says open or closed: (position, polarity, the words)."""
    return [(start, polarity, written) for polarity, phrases in lex.states.items()
            for start, _end, written in phrases.spans(lowered)]  # fmt: skip


def _state(
    lowered: str,
    lex: lexicon.Lexicon,
    subject: frozenset[str],
    directed: list[Fact],
    times: list[tuple[int, int]],
    hits: list[tuple[int, str, str]] | None = None,
) -> Fact | None:
    """The open / closed state a sentence (or clause) states; `hits`: its `_state_words`, when known."""
    if any(f.slot == "windows" for f in directed):
        return None  # the windows' open/closed is the instruction itself
    if hits is None:
        hits = _state_words(lowered, lex)
    if not hits:
        # "the Do Not Swim notice at Silverstrand is lifted" / "… remains in place at Ladies Beach"
        lifted, kept = _lifted(lowered, lex), _IN_FORCE[lex.language].search(lowered)
        if bool(lifted) != bool(kept) and _names_a_ban(lowered, lex):
            found = lifted or kept
            assert found is not None
            return Fact("state", "open" if lifted else "closed", found.group(0), subject)
    if not hits or len({p for _, p, _ in hits}) > 1:
        return None  # no state, or both in one sentence ("closed until, then open"): nothing to compare
    start, polarity, written = min(hits)
    if any(0 <= t - (start + len(written)) <= 20 for t, _ in times):
        return None  # "opens at 1 pm", "open until 22": a schedule, which the time states
    if _negated_before(lowered, start, lex):
        polarity = "closed" if polarity == "open" else "open"
    return Fact("state", polarity, written, subject)


def _negated_polarity(lowered: str, at: int, polarity: str, lex: lexicon.Lexicon) -> str:
    """The polarity of the state word at `at`, turned by a negation before it ("nicht geöffnet")."""
    if _negated_before(lowered, at, lex):
        return "closed" if polarity == "open" else "open"
    return polarity


def _privative(lowered: str, language: str) -> bool:
    pattern = _PRIVATIVE.get(language)
    # Swedish "o-" also begins plain words ("ordentlig"): there the rest must be a common word ("farlig").
    return pattern is not None and any(
        language != "sv" or tokens.frequency(m.group(1), language) >= 2.5 for m in pattern.finditer(lowered)
    )


def _names_a_ban(lowered: str, lex: lexicon.Lexicon) -> bool:
    # A ban is often the head of a compound ("uimakielto", "Badeverbot", "badförbudet", "zwemadvies").
    return any(w in lex.bans or any(len(b) >= 5 and b in w for b in lex.bans) for w in tokens.words(lowered))


def _facility(lowered: str, lex: lexicon.Lexicon) -> frozenset[str]:
    return FACILITY if lex.facilities.find(lowered) else frozenset()


@cache
def _state_stems(language: str) -> tuple[str, ...]:
    lex = lexicon.load(language)
    words = {w.rstrip("*+") for phrases in lex.states.values() for p in phrases.phrases for w in p.split()}
    return tuple(sorted(w for w in words if len(w) >= 4))


def says_a_state(stem: str, language: str) -> bool:
    """Whether a subject's stem is a word for open or closed in some inflection ("öppn" of "öppnar"). A
    subject keeps them (a neighbour's "avspärrad till kl 15" speaks of the approved "avspärrat … till kl.
    13.00" by that word), but they name no thing."""
    return len(stem) >= 4 and any(w.startswith(stem) or stem.startswith(w) for w in _state_stems(language))


def _subject(lowered: str, lex: lexicon.Lexicon) -> frozenset[str]:
    """Content stems of a sentence, without the words that state a fact's value."""
    skip = set(lex.negation) | set(lex.weekdays) | set(lex.months) | set(lex.units) | lex.continuing
    for phrases in lex.states.values():
        skip.update(w for p in phrases.phrases for w in p.split())
    words = [w for w in tokens.content_words(lowered, lex.language) if w not in skip]
    return frozenset(s for s in (tokens.stem(w, lex.language) for w in words) if s not in _WEAK)
