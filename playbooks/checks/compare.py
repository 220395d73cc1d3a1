"""Comparing facts: whether two facts speak of the same thing, whether they agree, and which later
approved fact moves an earlier one. `facts.py` reads facts out of text; this module weighs them."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

from playbooks.checks.facts import FREQUENCY, PLACE, VENUE, Fact, negation_at


@dataclass(frozen=True)
class Conflict:
    kind: str
    post: str
    approved: str
    post_text: str
    approved_text: str
    message: int | None = None
    superseded_by: int | None = None  # the message that moved the value the post repeats
    superseded_at: str | None = None

    def as_dict(self) -> dict[str, str | int | None]:
        found: dict[str, str | int | None] = {
            "kind": self.kind, "post": self.post, "approved": self.approved, "post_text": self.post_text,
            "approved_text": self.approved_text,
        }  # fmt: skip
        if self.superseded_by is not None:
            found["superseded_by"] = self.superseded_by
            found["superseded_at"] = self.superseded_at
        return found


def same_value(a: str, b: str) -> bool:
    """Equal values; a bare hour ("6?") equals either half of the day ("06:00", "18:00"); two places are
    the same when they share a name."""
    if a == b:
        return True
    if a.startswith(PLACE) and b.startswith(PLACE):
        # The same place: no two different names, and no two different kinds of building.
        (names_a, venues_a), (names_b, venues_b) = _place(a), _place(b)
        return not (names_a and names_b and not names_a & names_b) and not (
            venues_a and venues_b and not venues_a & venues_b
        )
    if a[:1] in "<>" or b[:1] in "<>":
        return _within(a, b)
    if a.endswith("?") or b.endswith("?"):
        x, y = a.rstrip("?"), b.rstrip("?")
        if len(x) == len(y) == 5 and x[2] == y[2] == ":":
            return int(x[:2]) % 12 == int(y[:2]) % 12 and x[3:] == y[3:]
    return False


def _within(a: str, b: str) -> bool:
    """A bound ("over 2 hours", ">7200") agrees with a value on its side; two bounds of one direction are
    the same when their limits are ("boil at least 5 minutes" is not "at least 3"), two of opposite
    directions when some value meets both."""
    if a[:1] in "<>" and b[:1] in "<>":
        if a[0] == b[0]:
            return a == b
        low, high = (a, b) if a[0] == ">" else (b, a)
        try:
            return float(low[1:]) <= float(high[1:])  # "more than 1 km" and "at most 2 km" can both hold
        except ValueError:
            return False
    bound, value = (a, b) if a[:1] in "<>" else (b, a)
    try:
        limit, number = float(bound[1:]), float(value)
    except ValueError:
        return False
    return number >= limit if bound[0] == ">" else number <= limit


def _place(value: str) -> tuple[set[str], set[str]]:
    names, _, venues = value[len(PLACE) :].partition(VENUE)
    return {n for n in names.split(",") if n}, {v for v in venues.split(",") if v}


@lru_cache(maxsize=65536)
def shared_subject(a: frozenset[str], b: frozenset[str]) -> frozenset[str]:
    """Stems two subjects share, counting stems that agree on their first five letters as one
    (Finnish and German stems still vary inside: keittää / keitettävä, Bürgertelefon / Bürgertelefons).
    Cached: every fact of a post is held against every approved fact, and a sentence's facts share one
    subject."""
    shared = set(a & b)
    theirs = _prefixes(b)
    if theirs and not theirs.isdisjoint(_prefixes(a)):
        # One stem per agreeing prefix: "Hissö" and "Hissövägen" against "Hissö" are one word shared, not two.
        counted = {s[:5] for s in shared}
        for s in sorted(a - shared):
            if len(s) >= 5 and s[:5] in theirs and s[:5] not in counted:
                shared.add(s)
                counted.add(s[:5])
    # A compound names what its last part names ("Stadsschouwburg" is a "schouwburg"); English writes
    # such compounds as two words, which are shared as they are.
    for s in a - shared:
        if any(_head(s, t) for t in b):
            shared.add(s)
    for t in b - shared:
        if any(_head(t, s) for s in a - shared):
            shared.add(t)
    return frozenset(shared)


HEAD = 6  # letters of the last part of a compound that names a thing of its own


def _head(short: str, long: str) -> bool:
    """Whether `short` is the last part of the compound `long` ("schouwburg" of "stadsschouwburg")."""
    return len(short) >= HEAD and len(long) > len(short) and long.endswith(short)


@lru_cache(maxsize=65536)
def _prefixes(stems: frozenset[str]) -> frozenset[str]:
    return frozenset(s[:5] for s in stems if len(s) >= 5)


def apart(post: Fact, approved: Fact) -> bool:
    """Whether two facts name different places. A word the post reads as a name (a capitalised noun,
    "Bürgerinfo") that the approved message uses as a plain word, whole, shortened or as the last part of
    one of its compounds ("Bürgerinformation", "Stadsschouwburg"), names no place."""
    if not post.names or not approved.names or post.names & approved.names:
        return False
    plain = approved.subject - approved.names
    names = {x for x in post.names if not _plain_word(x, plain)}
    return bool(names) and not any(_shortened(x, y) for x in names for y in approved.names)


# Content words two facts must share, beyond their places, to be one thing named by two of its places
# ("the free ferry for cyclists and pedestrians" at the bridge and at the quay it leaves from).
SAME_DESCRIPTION = 4


def _same_description(post: Fact, approved: Fact) -> bool:
    shared = shared_subject(post.subject, approved.subject) - post.names - approved.names - {"<facility>"}
    return len(shared) >= SAME_DESCRIPTION


def _plain_word(word: str, plain: frozenset[str]) -> bool:
    return word in plain or any(_shortened(word, y) for y in plain)


def _shortened(short: str, long: str) -> bool:
    """ "Bürgerinfo" of "Bürgerinformation", "schouwburg" of "stadsschouwburg" (not "Sporthallenzeit" of
    "Sporthalle": a longer word is another thing, its first part only says what kind)."""
    if _head(short, long):
        return True
    return len(short) >= HEAD and len(long) > len(short) and "-" not in long and long.startswith(short)


def other_day(post: Fact, approved: Fact) -> bool:
    """Whether a post's time is of another day than an approved time its sentence tells apart by day."""
    return bool(post.day and approved.day and approved.per_day and post.day != approved.day)


def related(post: Fact, approved: Fact) -> bool:
    """Whether two facts of the same slot speak of the same thing."""
    if post.slot != approved.slot:
        return False
    if post.slot.startswith("place:"):
        return True  # the names are the value: another name is another place
    if apart(post, approved) and not _same_description(post, approved):
        return False  # the same kind of fact about two different places
    if post.slot == "time:next" or post.slot in INSTRUCTIONS:
        return True  # one "next update", one advice about windows or water per place
    if other_day(post, approved):
        return False  # "open until 5pm today" is not the approved "tomorrow from 9am to 5pm" of "today until 6pm"
    shared = shared_subject(post.subject, approved.subject)
    if (post.slot.startswith("time:") and post.slot != "time:next") or post.slot == FREQUENCY:
        # A time is about the same thing when a place or two words say so: "the water post is open
        # 14–20" is not the approved "information meeting 17–19" because both mention the village.
        # One shared word is enough when it is a long compound that is no place name ("Bürgertelefon",
        # "jakelupiste"): such a word names one service, where a short or place word ("the village") does not.
        distinctive = any(len(s) >= DISTINCTIVE for s in shared - post.names - approved.names)
        # A post that speaks of one thing only ("Hulplijn tot 20u vandaag!") names it by that one word.
        only = len(post.subject) == 1 and bool(shared) and not (shared & post.names)
        return (
            len(shared) >= 2
            or bool(post.names & approved.names)
            # A word the approved text capitalises names one thing there ("Einlass ab 7.15"), however the
            # post writes it: posts start sentences with it or write in lower case.
            or bool(shared & approved.names)
            or distinctive
            or only
        )
    if post.slot == "claim":
        # A statement and its negation: nearly the same words ("chlorine leaked" / "no chlorine leaked").
        # Not "more than the names they share": German capitalises its nouns, and "Ausgangssperre in
        # Gaustadt!" against "keine Ausgangssperre" would share names only.
        return len(shared) >= 2 and len(shared) >= 0.6 * min(len(post.subject), len(approved.subject))
    if not same_scale(post, approved):
        return len(shared - post.names - approved.names) >= 2  # "the closure lasts 2 hours" / "3 days"
    return bool(shared)


DISTINCTIVE = 9  # letters of a stem that names one thing by itself
# Slots an incident usually has one value of at a time (one radius, one waiting time).
SINGLE_VALUED = ("distance", "duration")
# Slots that state when and whether something is open: a later one about the same thing moves the others.
SCHEDULE = frozenset({"time:until", "time:from", "time:at", "state"})


def comparable(post: Fact, approved: Fact) -> bool:
    """`related`, or the same single-valued slot (one radius per incident) where no place tells them apart."""
    if related(post, approved):
        return True
    return (
        post.slot == approved.slot
        and post.slot in SINGLE_VALUED
        and post.radius == approved.radius  # a zone's reach and a detour's length are two things
        and not (post.names and approved.names and not (post.names & approved.names))
        and same_scale(post, approved)
    )


def same_scale(post: Fact, approved: Fact) -> bool:
    """Whether two durations could be one waiting time written twice: "wait 10 minutes" against "5 minutes"
    is a contradiction, "been here 40 mins" against a "five days" isolation speaks of something else."""
    if post.slot != "duration":
        return True
    try:
        a, b = float(post.value), float(approved.value)
    except ValueError:
        return True  # a bound ("<7200") is compared as before
    return min(a, b) > 0 and max(a, b) / min(a, b) < DURATION_SCALE


DURATION_SCALE = 12  # times apart at which two durations are two things (minutes and days, hours and weeks)


def supersedes(new: Fact, old: Fact) -> bool:
    """Whether a later approved fact moves an earlier one: the same slot about the same thing, or another
    statement of when and whether the same thing is open ("open all night" after "open until 22")."""
    if new.slot.startswith("place:"):
        return new.slot == old.slot and "moved" in new.subject  # a second shelter is not a move
    if related(new, old):
        return True
    if new.slot == old.slot and new.slot in SINGLE_VALUED and new.radius == old.radius:
        return not (new.names and old.names and not (new.names & old.names))
    if new.slot in SCHEDULE and old.slot in SCHEDULE and new.slot != old.slot:
        # Two words, or one long word that is no place name: "Heinijärventie avattiin klo 13.50" moves
        # "Heinijärventie on suljettu"; a village both name ("return home from 3pm" and "the road through
        # Braichmelyn is closed") does not make them one thing.
        shared = shared_subject(new.subject, old.subject)
        # The very stem, not two that only begin alike ("Idrottshallen" / "Idrottsplatsen").
        one_thing = any(len(s) >= DISTINCTIVE for s in (new.subject & old.subject) - new.names - old.names)
        return related(replace(new, slot=old.slot), old) and (len(shared) >= 2 or one_thing)
    return False


INSTRUCTIONS = frozenset({"windows", "water", "shelter", "area"})
# "The meeting is at 17" and "the meeting runs 17–19" state the same start: an "at" time is compared
# with the "from" times too, and the other way round.
SAME_MOMENT = {"time:at": ("time:at", "time:from"), "time:from": ("time:from", "time:at")}


def conflicts(post_facts: list[Fact], approved_facts: list[Fact]) -> list[Conflict]:
    """Facts of the post that contradict the approved facts they speak of (all of one message, or those in force)."""
    found = []
    for fact in post_facts:
        slots = SAME_MOMENT.get(fact.slot, (fact.slot,))
        same = [a if a.slot == fact.slot else replace(a, slot=fact.slot) for a in approved_facts if a.slot in slots]
        candidates = [a for a in same if related(fact, a)]
        if not candidates or any(same_value(a.value, fact.value) for a in candidates):
            continue
        if fact.slot == "claim":
            candidates = [a for a in candidates if a.value == fact.value or _denies_shared(fact, a)]
            if not any(a.value != fact.value for a in candidates):
                continue
        best = max(candidates, key=lambda a: len(fact.subject & a.subject))
        values = ", ".join(sorted({a.value for a in candidates}))
        found.append(Conflict(fact.slot, fact.value, values, fact.text, best.text))
    return found


def _denies_shared(a: Fact, b: Fact) -> bool:
    """Whether the negation of two statements of opposite polarity bears on what both say: "ring 1177 om du
    varit på platserna och inte är vaccinerad" adds a condition to "om du varit på platserna", it does not
    deny it. Only a negation followed by a word of the negative statement's own (a stem the other does not
    share) and by none they share adds a condition; a negation of the verb ("går inte i dag", "vaart
    vandaag niet") or of a shared word denies, and so does a statement negative by a word of failure."""
    negative, positive = (a, b) if a.value == "negative" else (b, a)
    words, at = negation_at(negative.text)
    if at is None:
        return True
    shared = shared_subject(negative.subject, positive.subject)
    own = [s for s in negative.subject - shared if len(s) >= 4]
    after = words[at + 1 : at + 4]
    if any(w.startswith(s) for w in after for s in shared):
        return True
    return not any(w.startswith(s) for w in after for s in own)


def changed(copy_facts: list[Fact], message_facts: list[Fact]) -> list[Conflict]:
    """The facts a copy of a message changed in its words: a verbatim "tomorrow" reposted a day later names
    another day (which `conflicts` reports) but is still the message's own wording."""
    statements = [f for f in message_facts if f.slot == "claim"]
    found = conflicts([f for f in copy_facts if f.slot != "claim"], message_facts)
    for fact in (f for f in copy_facts if f.slot == "claim"):
        # A copy's statement changes the message's only where it is the same statement turned ("Håll inte
        # fönster stängda"): a copy cuts and rewords its clauses ("Alle verkeerslichten in het centrum" of a
        # longer negative one, "Keine Grüngutabfuhr" for "die Grüngutabfuhr entfällt"), which turns nothing.
        found += conflicts([fact], [a for a in statements if restated(fact, a)])
    return [c for c in found if c.post_text.lower() != c.approved_text.lower()]


RESTATED = 0.75  # of the longer statement's words, shared by a statement and its turned copy


def restated(a: Fact, b: Fact) -> bool:
    """Whether two statements say the same of the same thing, whatever their polarity."""
    return len(shared_subject(a.subject, b.subject)) >= RESTATED * max(len(a.subject), len(b.subject))
