"""The checks (R1, R2, R5): what a post is about, and what is wrong with it, explained.

`evaluate` is pure (text in, findings out) so that the poller, `crisisdesk check` and the evaluation
share one implementation; `playbooks.workflow.flags` stores its findings, and adds R4 (website copies)
which depends on time passing rather than on one post.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import cache, cached_property, lru_cache
from typing import Any, NamedTuple

from playbooks.checks import (
    attribution,
    compare,
    days,
    facts,
    impersonation,
    lexicon,
    matching,
    phones,
    rumour,
    stamps,
    terms,
    tokens,
)
from playbooks.checks.facts import Fact
from sources.language import LANGUAGES, detect
from sources.models import OFFICIAL_KINDS

OFFICIAL = OFFICIAL_KINDS
RULE = {"rumour": "R2", "inconsistent": "R1", "unrouted": "R1", "missing_on_website": "R4", "impersonation": "R5"}
# A watched post whose only link to an incident is its timing is flagged with a lower score.
TIMING_ONLY_FACTOR = 0.8
# The rumours that make a unit open an incident circulate before it opens: a watched post this long before
# the opening that speaks of the incident is weighed for R2 once it is open (its timing alone links only a
# strong rumour of the last hour, `TIMING_BEFORE_OPENING`).
BEFORE_OPENING = timedelta(hours=3)
TIMING_BEFORE_OPENING = timedelta(hours=1)  # before an opening, how far timing alone links a strong rumour
# A headline whose words are this much the incident's title (and keywords) is the incident's name.
NAME_SHARE = 0.6


@dataclass(frozen=True)
class ApprovedMessage:
    id: int
    text: str
    language: str
    approved_at: datetime
    replaced_at: datetime | None = None  # when a revision of it was approved: from then it no longer counts
    facts: tuple[facts.Fact, ...] = ()
    words: frozenset[str] = frozenset()

    @classmethod
    def of(
        cls, id: int, text: str, language: str, approved_at: datetime, replaced_at: datetime | None = None
    ) -> ApprovedMessage:
        lang = language if language in LANGUAGES else (detect(text) or "en")
        found = tuple(facts.on(facts.extract(text, lang), approved_at, lang))
        return cls(id, text, lang, approved_at, replaced_at, found, matching.words_of(text))

    @cached_property
    def excerpt_lines(self) -> matching.Lines:
        """Its sentences as a post cut from it is read (`matching.excerpt`): once."""
        return matching.excerpt_lines(self.text)

    @cached_property
    def sentence_marks(self) -> matching.Marks:
        """Its sentences as a page that lists the messages is read (`matching.newest_listed`): once."""
        return matching.sentence_marks(self.text)

    def live_at(self, moment: datetime) -> bool:
        return self.approved_at <= moment and (self.replaced_at is None or self.replaced_at > moment)


@dataclass(frozen=True)
class Superseded:
    fact: facts.Fact
    message: int
    by: int
    at: datetime


@dataclass(frozen=True)
class IncidentContext:
    id: int
    keywords: tuple[str, ...]
    opened_at: datetime
    messages: tuple[ApprovedMessage, ...]
    title: str = ""
    organisation: str = ""

    @cached_property
    def language(self) -> str:
        return self.messages[0].language if self.messages else "en"

    @cached_property
    def keyword_stems(self) -> frozenset[str]:
        """The stems of the incident's keywords: words nearly every sentence about it shares."""
        return tokens.stems(" ".join(self.keywords).lower(), self.language)

    def recased(self, text: str) -> str:
        """A caseless text with the incident's capitalised words (of its title, keywords and messages) and
        its sentences' first letters written in capitals."""
        return tokens.recased(text, self._written_forms)

    @cached_property
    def _written_forms(self) -> dict[str, str]:
        return tokens.written_forms([self.title, *self.keywords, *(m.text for m in self.messages)])

    def names_itself(self, headline: str, language: str) -> bool:
        """Whether a headline is the incident's title, or nearly: most of its words (less any stamp of when
        it was published) are the title's."""
        words = matching.words_of(stamps.without_stamps(headline, language))
        return bool(words) and len(words & self._title_words) >= NAME_SHARE * len(words)

    @cached_property
    def _title_words(self) -> frozenset[str]:
        return matching.words_of(f"{self.title} {' '.join(self.keywords)}")

    @cached_property
    def key_terms(self) -> terms.KeyTerms:
        return terms.key_terms(self.title, self.keywords, [m.text for m in self.messages], self.organisation,
                               self.language)  # fmt: skip

    @cached_property
    def facts_by_slot(self) -> dict[str, list[tuple[facts.Fact, ApprovedMessage]]]:
        """Every approved fact but plain statements, by slot: what a post's fact can be compared with."""
        found: dict[str, list[tuple[facts.Fact, ApprovedMessage]]] = {}
        for message in self.messages:
            for fact in message.facts:
                if fact.slot != "claim":
                    found.setdefault(fact.slot, []).append((fact, message))
        return found

    @cached_property
    def schedule_facts_newest_first(self) -> tuple[tuple[facts.Fact, ApprovedMessage], ...]:
        """The approved facts of when and whether things are open, the newest message's first: read once
        per incident, as every watched post without a keyword is held against them."""
        found = [(a, m) for slot in _THING_SLOTS for a, m in self.facts_by_slot.get(slot, ())]
        return tuple(sorted(found, key=lambda am: am[1].approved_at, reverse=True))

    @cached_property
    def facility_venues(self) -> tuple[tuple[frozenset[str], tuple[str, ...], str], ...]:
        """Each approved facility's place names, the buildings it is in ("Folkets hus") and its kind
        ("trygghetspunkt"), read once per incident: `_at_facilities` holds every post against them."""
        found = []
        for slot, approved in self.facts_by_slot.items():
            if not slot.startswith("place:"):
                continue
            for fact, _ in approved:
                named, _, venues = fact.value.removeprefix(facts.PLACE).partition(facts.VENUE)
                if venues:
                    place = frozenset(n for n in named.split(",") if n)
                    found.append((place, tuple(v for v in venues.split(",") if v), slot.removeprefix("place:")))
        return tuple(found)

    @cached_property
    def _timeline(
        self,
    ) -> list[tuple[datetime, tuple[tuple[facts.Fact, ApprovedMessage], ...], tuple[Superseded, ...]]]:
        """After each approval (oldest first): the facts in force and the values moved so far. Computed
        once per incident context, so checking a post costs a lookup, not a replay of every message."""
        steps = []
        in_force: list[tuple[facts.Fact, ApprovedMessage]] = []
        superseded: list[Superseded] = []
        for message in sorted(self.messages, key=lambda m: (m.approved_at, m.id)):
            kept = []
            for fact, source in in_force:
                if any(compare.supersedes(new, fact) for new in message.facts if new.slot != "claim"):
                    superseded.append(Superseded(fact, source.id, message.id, message.approved_at))
                else:
                    kept.append((fact, source))
            in_force = kept + [(f, message) for f in message.facts]
            steps.append((message.approved_at, tuple(in_force), tuple(superseded)))
        return steps

    def facts_at(self, moment: datetime) -> tuple[list[tuple[facts.Fact, int]], list[Superseded]]:
        """The approved facts in force at `moment`, and the values later messages moved ("superseded").

        A later approved message stating the same slot about the same thing supersedes the earlier value,
        whether it is a revision or a new update; a revised message no longer counts at all."""
        live, superseded, _, _ = self._at(moment)
        return list(live), list(superseded)

    def phone_messages(self, moment: datetime) -> list[phones.Approved]:
        """The messages in force at `moment` as the phone-number check reads them (a corrected version no
        longer counts)."""
        return [phones.Approved(m.id, m.approved_at, m.text, m.language) for m in self.messages if m.live_at(moment)]

    def facts_by_slot_at(
        self, moment: datetime
    ) -> tuple[dict[str, list[tuple[facts.Fact, int]]], dict[str, list[Superseded]]]:
        """`facts_at`, grouped by slot: what a post's fact of one slot is compared with."""
        _, _, live, moved = self._at(moment)
        return live, moved

    def _at(self, moment: datetime) -> tuple[Any, Any, Any, Any]:
        # What is in force depends only on the last approval before `moment` (a correction's approval is
        # one of them), so it is worked out once per approval and reused for every post.
        index = bisect.bisect_right([at for at, _, _ in self._timeline], moment) - 1
        cache: dict[int, tuple[Any, Any, Any, Any]] = self.__dict__.setdefault("_at_cache", {})
        if index not in cache:
            live: list[tuple[facts.Fact, int]] = []
            superseded: list[Superseded] = []
            if index >= 0:
                at, in_force, moved = self._timeline[index]
                superseded = list(moved)
                for fact, source in in_force:
                    if source.live_at(at):
                        live.append((fact, source.id))
                    else:
                        reviser = next((m for m in self.messages if m.approved_at == source.replaced_at), source)
                        superseded.append(Superseded(fact, source.id, reviser.id, reviser.approved_at))
            live_by_slot: dict[str, list[tuple[facts.Fact, int]]] = {}
            for fact, origin in live:
                live_by_slot.setdefault(fact.slot, []).append((fact, origin))
            moved_by_slot: dict[str, list[Superseded]] = {}
            for entry in superseded:
                moved_by_slot.setdefault(entry.fact.slot, []).append(entry)
            cache[index] = (tuple(live), tuple(superseded), live_by_slot, moved_by_slot)
        return cache[index]


@dataclass
class Finding:
    kind: str
    score: float
    incident: int | None
    message: int | None = None
    evidence: dict[str, Any] = field(default_factory=dict)

    @property
    def rule(self) -> str:
        return RULE[self.kind]


@dataclass(frozen=True)
class PostView:
    text: str
    published: datetime
    account_kind: str | None  # None: an account the registry does not know
    account_name: str = ""
    language: str | None = None
    title: str = ""
    author: str = ""
    platform: str = ""  # the account's platform in the registry ("news", "x", …)

    @cached_property
    def body(self) -> str:
        """The text that speaks now: of the organisation's own live page, the current update without the
        earlier ones it keeps (`stamps.current_part`). Others' posts are read whole: a heading must not hide
        what a watched post circulates."""
        return stamps.current_part(self.text) if self.account_kind in OFFICIAL else self.text

    @cached_property
    def content(self) -> str:
        return matching.post_text(self.title, self.body)

    @cached_property
    def facts(self) -> list[facts.Fact]:
        """The post's facts, read once however many incidents it is compared with."""
        return matching.facts_of(self.content, matching.headline(self.title, self.body), self.lang, self.published)

    @cached_property
    def words(self) -> frozenset[str]:
        return matching.words_of(self.content)

    @cached_property
    def headline(self) -> str:
        return matching.headline(self.title, self.body)

    @cached_property
    def body_facts(self) -> list[Fact]:
        """The facts of the text without its headline's."""
        if not self.headline:
            return self.facts
        return matching.facts_of(self.body, "", self.lang, self.published)

    def facts_about(self, incident: IncidentContext) -> list[Fact]:
        """The post's facts as held against an incident: a headline that is the incident's own name ("Gas
        leak at the Bornsestraat flat, homes evacuated" over each update of a live page) names what the
        text is about and states nothing that holds now. A text written all in lower case (or all in
        capitals) is read with the incident's names written as its messages write them: the places a
        fact is about are told apart by their capitals."""
        # Asked once per incident by the flags and again by each message a relay is held against.
        # Keyed by the context itself (kept alive beside its facts): two contexts may share an incident's id.
        known: dict[int, tuple[IncidentContext, list[Fact]]] = self.__dict__.setdefault("_facts_by_incident", {})
        if id(incident) not in known:
            known[id(incident)] = (incident, self._facts_about(incident))
        return known[id(incident)][1]

    def _facts_about(self, incident: IncidentContext) -> list[Fact]:
        named = bool(self.headline) and incident.names_itself(self.headline, self.lang)
        if self.account_kind == "website":  # a page lists what was said; a social post repeating it is stale
            approved = [m.sentence_marks for m in sorted(incident.messages, key=lambda m: m.approved_at)
                        if m.approved_at <= self.published]  # fmt: skip
            listed = matching.newest_listed(self.body, approved)
            if listed != self.body:
                return matching.facts_of(listed, "", self.lang, self.published)
        if tokens.caseless(self.content):
            head, text = incident.recased(self.headline), incident.recased(self.body)
            return (
                matching.facts_of(text, "", self.lang, self.published)
                if named
                else matching.facts_of(matching.post_text(head, text), head, self.lang, self.published)
            )
        return self.body_facts if named else self.facts

    @cached_property
    def lang(self) -> str:
        return self.language if self.language in LANGUAGES else (detect(self.content) or "en")


def about(post: PostView, incident: IncidentContext) -> list[str]:
    """Why the post is about the incident: the keywords it uses, the key terms of the incident's title
    and approved messages it names, or the approved message it carries."""
    reasons = terms.matched_keywords(post.content, incident.keywords, post.lang)
    if reasons:
        return reasons
    found = incident.key_terms.found_in(post.content, post.lang)
    if found:
        return [f"names {', '.join(found[:3])}"]
    post_words = matching.words_of(post.content)
    for message in incident.messages:
        if matching.share_of(post_words, message.words) >= matching.CARRY_SHARE:
            return [f"carries message {message.id}"]
    # A phone number an approved message gives (or gave) names its line: "Bel gewoon 14 0575".
    given = {n.digits: n.written for m in incident.messages if m.approved_at <= post.published
             for n in phones.numbers(m.text, m.language)}  # fmt: skip
    named = [given[n.digits] for n in phones.numbers(post.content, post.lang) if n.digits in given]
    if named:
        return [f"gives the number {named[0]}"]
    # A post that states the same fact as an approved message, about the same thing, speaks of it.
    for fact in post.facts:
        for approved, message in incident.facts_by_slot.get(fact.slot, ()):
            # An instruction of the closed set (boil water, keep windows closed) is specific by itself.
            specific = fact.slot in compare.INSTRUCTIONS or _specific(fact, approved)
            if message.approved_at <= post.published and compare.related(fact, approved) and specific:
                return [f"states the {fact.slot.split(':')[0]} of message {message.id}"]
    return []


# Slots that say when and whether something is open: a post stating one of them of a thing an approved
# message states one of them of speaks of that thing. Instructions are left out: their subjects are
# people ("residents within 1 km"), whom any announcement addresses.
_THING_SLOTS = (*sorted(compare.SCHEDULE), "date")  # in a fixed order: the first thing found is the reason


@cache
def _no_things(language: str) -> frozenset[str]:
    """Words that name no thing a fact is about: numbers, days, months ("twee", "morgen", "maart")."""
    lex = lexicon.load(language if language in LANGUAGES else "en")
    return frozenset(tokens.stem(w, lex.language) for w in (*lex.number_words, *lex.weekdays, *lex.months))


def _named_as_approved(post_facts: list[facts.Fact], word: str, approved: facts.Fact) -> list[facts.Fact]:
    """The post's facts about `word`, which names what the approved fact's word for it names ("Brücke" the
    "Gablenzbrücke"), read with the approved word."""
    full = {t for t in approved.subject if t == word or t.endswith(word)}
    # A capitalised noun the approved fact has no name for ("der Spuk") is no place setting them apart.
    return [replace(f, subject=f.subject | full, names=f.names & approved.names) if word in f.subject else f
            for f in post_facts]  # fmt: skip


class Thing(NamedTuple):
    """What ties a post to the incident by a thing the approved messages speak of."""

    reason: str
    word: str  # the post's word for it ("bruck")
    approved: facts.Fact  # the approved fact whose word for it the post's facts are read with


def _states_of_a_thing(post: PostView, incident: IncidentContext) -> Thing | None:
    """During the one open incident, a neighbour's post stating when or whether something is open, of a
    thing an approved message before it states that of ("Freitag ist die Brücke wieder offen" of "Die
    Gablenzbrücke ist gesperrt"): the thing is one word, however common, or the last part of the approved
    word for it. The newest message naming it gives the reason and the word it is read with."""
    for fact in post.facts:
        if fact.slot not in _THING_SLOTS:
            continue
        own = {s for s in fact.subject - fact.names if len(s) >= 4 and not facts.schedule_word(s)}
        own -= _value_stems(fact.slot, fact.text, post.lang) | _no_things(post.lang)
        if not own:
            continue
        for approved, message in incident.schedule_facts_newest_first:
            if message.approved_at > post.published:
                continue
            theirs = approved.subject - _value_stems(approved.slot, approved.text, incident.language)
            for word in own:
                if any(t == word or (t.endswith(word) and len(t) > len(word)) for t in theirs):
                    said = approved.slot.split(":")[0]
                    return Thing(f"states the {said} of '{word}' as message {message.id} does", word, approved)
    return None


def _specific(post: facts.Fact, approved: facts.Fact) -> bool:
    """Two facts share more than a generic word: two stems, or a place."""
    return len(compare.shared_subject(post.subject, approved.subject)) >= 2 or bool(post.names & approved.names)


def evaluate(
    post: PostView, incidents: list[IncidentContext], organisation: str, official_names: tuple[str, ...] = ()
) -> list[Finding]:
    findings: list[Finding] = []
    text = post.content
    scored = rumour.score(text, post.lang)
    first_about: int | None = None
    claim = _speaks_as(post, organisation, official_names, text)
    opened = [incident for incident in incidents if post.published >= incident.opened_at]
    if scored.is_rumour and post.account_kind not in OFFICIAL:
        findings.extend(_before_opening(post, incidents, scored))
    for incident in opened:
        thing: Thing | None = None
        reasons = about(post, incident)
        if not reasons and claim and len(opened) == 1:
            # An account that presents itself as the organisation during the one incident issues, by its own
            # claim, the organisation's word on it: what it states is held against the approved facts. With
            # several incidents nothing says which one it speaks of.
            reasons = ["speaks as the organisation during the incident"]
        if not reasons and post.account_kind not in OFFICIAL and len(opened) == 1:
            # A public body speaks of its incident: what a post says it said is held against the approved facts.
            relayed = attribution.relayed_body(text, post.lang)
            if relayed:
                reasons = [f"relays a public body during the incident ({relayed})"]
        if not reasons and post.account_kind not in OFFICIAL and len(opened) == 1:
            thing = _states_of_a_thing(post, incident)
            if thing:
                reasons = [thing.reason]
        timing_only = not reasons and post.account_kind not in OFFICIAL and scored.is_rumour and scored.strong
        if not reasons and not timing_only:
            continue
        first_about = first_about or incident.id
        # R2 is about what others say: the unit's own posts are checked by R1 (routed or not) instead; and a
        # post that passes on an approved message ("RT @stadt: …") circulates the unit's word, no rumour.
        if scored.is_rumour and post.account_kind not in OFFICIAL and not _passes_on(post, incident):
            evidence = {"cues": scored.cues, "ngrams": scored.ngrams, "language": scored.language,
                        "about": reasons or ["only its timing: posted while the incident is open"]}  # fmt: skip
            score = scored.score * (TIMING_ONLY_FACTOR if timing_only else 1.0)
            findings.append(Finding("rumour", round(score, 4), incident.id, evidence=evidence))
        if timing_only:
            continue
        post_facts = _at_facilities(post.facts_about(incident), incident, post.lang, text)
        if thing:
            post_facts = _named_as_approved(post_facts, thing.word, thing.approved)
        conflict = _inconsistent(post_facts, incident, post.published, post.lang, post.account_kind in OFFICIAL)
        conflict += phones.conflicts(text, post.lang, incident.phone_messages(post.published), post.published,
                                     slips=post.account_kind not in OFFICIAL)  # fmt: skip
        conflict = _not_overruled(conflict, post, post_facts, incident)
        if conflict:
            findings.append(Finding("inconsistent", min(0.99, 0.75 + 0.1 * len(conflict)), incident.id,
                                    conflict[0].message, evidence={"conflicts": [c.as_dict() for c in conflict],
                                                                   "about": reasons}))  # fmt: skip
        if post.account_kind in OFFICIAL:
            unrouted = _unrouted(post, post_facts, incident, reasons, conflict)
            if unrouted:
                findings.append(unrouted)
    if claim:
        findings.append(Finding("impersonation", claim[0], first_about, evidence=claim[1]))
        # A look-alike speaks as the organisation, not as hearsay: its flag is the impersonation (and any
        # contradiction), not a rumour besides.
        findings = [f for f in findings if f.kind != "rumour"]
    return findings


def _not_overruled(
    conflicts: list[compare.Conflict], post: PostView, post_facts: list[facts.Fact], incident: IncidentContext
) -> list[compare.Conflict]:
    """The conflicts left when the post is a faithful copy of an approved message in force (most of its
    words or its own sentences cut, every value one the message gives): what the message's own statement in
    it says against a message approved before is the unit's later word against its earlier one ("the care
    is not in Netepark but in 't Schaliken" after "the care in Netepark runs again on Tuesday"), however the
    two were worded. A sentence the post adds, or a value a later message moved, is still the post's."""
    if not conflicts:
        return conflicts
    words = matching.words_of(post.content)
    _, moved = incident.facts_at(post.published)
    outdated = {entry.message for entry in moved}  # a copy of a message whose values moved since is stale
    copied = [
        m for m in incident.messages
        if m.live_at(post.published) and m.id not in outdated
        and ((matching.share_of(words, m.words) >= matching.CARRY_SHARE and not compare.changed(post_facts, list(m.facts)))
             or _cut_from(post, post_facts, m))
        and _all_given(post_facts, m.facts)
    ]  # fmt: skip
    if not copied:
        return conflicts
    approved_at = {m.id: m.approved_at for m in incident.messages}

    def overruled(c: compare.Conflict) -> bool:
        return any(
            c.superseded_by is None and c.message is not None and approved_at.get(c.message, m.approved_at) < m.approved_at
            # The copied message states the value at all: `_given` also asks that the post's fact differ from
            # one the message relates to it, which a faithful copy never does.
            and (_statement_of(c.post_text, m) or any(f.slot == c.kind and compare.same_value(f.value, c.post)
                                                      for f in m.facts))
            for m in copied
        )  # fmt: skip

    return [c for c in conflicts if not overruled(c)]


_OWN_STATEMENT = 0.8  # of a conflicting statement's words in the copied message: its statement, reworded


def _statement_of(written: str, message: ApprovedMessage) -> bool:
    """Whether a conflict's words in the post are the copied message's: most of them, or a bare value word
    ("open") that names nothing of its own."""
    own = matching.words_of(written)
    return not own or matching.share_of(own, message.words) >= _OWN_STATEMENT


def _cut_from(post: PostView, post_facts: list[facts.Fact], message: ApprovedMessage) -> bool:
    """Whether the post is the message's own sentences, cut, none of its facts changed."""
    return matching.excerpt(post.content, message.excerpt_lines) and not compare.changed(
        post_facts, list(message.facts)
    )


def _all_given(post_facts: list[facts.Fact], given: tuple[facts.Fact, ...]) -> bool:
    """Whether each value the post states (its statements aside) is one the message states too: a short post
    whose few words a long message all has ("the hotline is open from 8 today") is no copy of it."""
    return all(
        any(a.slot == f.slot and compare.same_value(a.value, f.value) for a in given)
        for f in post_facts if f.slot != "claim"
    )  # fmt: skip


def _before_opening(post: PostView, incidents: list[IncidentContext], scored: rumour.RumourScore) -> list[Finding]:
    """R2 for a watched post of the hours before an incident was opened that speaks of it: the first claims
    that made the unit open it. In the hour before, a strong rumour cue alone links a post to the one
    incident opened next, as it does while one is open (flagged with a lower score, the timing its only
    link): "hörde att det int kommer nån båt" twenty minutes before the fuel shortage was opened."""
    # While an incident is open, timing links the post to that one (`evaluate`).
    none_open = not any(post.published >= incident.opened_at for incident in incidents)
    upcoming = [i for i in incidents if timedelta(0) < i.opened_at - post.published <= BEFORE_OPENING]
    for incident in upcoming:
        lead = incident.opened_at - post.published
        minutes = round(lead.total_seconds() / 60)
        reasons = about(post, incident)
        if reasons and not _passes_on(post, incident):
            evidence = {"cues": scored.cues, "ngrams": scored.ngrams, "language": scored.language,
                        "about": [*reasons, f"posted {minutes} min before the incident was opened"]}  # fmt: skip
            return [Finding("rumour", round(scored.score, 4), incident.id, evidence=evidence)]
        if not reasons and scored.strong and none_open and len(upcoming) == 1 and lead <= TIMING_BEFORE_OPENING:
            evidence = {"cues": scored.cues, "ngrams": scored.ngrams, "language": scored.language,
                        "about": [f"only its timing: posted {minutes} min before the incident was opened"]}  # fmt: skip
            return [Finding("rumour", round(scored.score * TIMING_ONLY_FACTOR, 4), incident.id, evidence=evidence)]
    return []


def _passes_on(post: PostView, incident: IncidentContext) -> bool:
    """Whether the post carries a message approved before it: most of its words, none of its facts changed
    (words compared by their beginnings, "Angeblich dürfen die Evakuierten gar nicht zurück" shares most of
    "Die Evakuierten dürfen zurück", and says the opposite)."""
    return any(
        matching.share_of(post.words, m.words) >= matching.CARRY_SHARE
        and not compare.conflicts(post.facts_about(incident), list(m.facts))
        for m in incident.messages
        if m.approved_at <= post.published
    )


def _speaks_as(
    post: PostView, organisation: str, official_names: tuple[str, ...], text: str
) -> tuple[float, dict[str, Any]] | None:
    """R5: an account (or a post's author) the organisation does not own that presents itself as it."""
    if post.account_kind in OFFICIAL:
        return None
    names = [n for n in (post.author, post.account_name) if n]
    return impersonation.impersonation(names, text, organisation, official_names, reporting=post.platform == "news")


def _inconsistent(
    post_facts: list[facts.Fact], incident: IncidentContext, moment: datetime, language: str, official: bool = False
) -> list[compare.Conflict]:
    """The post's facts that contradict the approved facts in force at its publication time, or repeat a
    value a later approved message moved."""
    if not post_facts:
        return []
    force_by_slot, moved_by_slot = incident.facts_by_slot_at(moment)
    # The unit's own posts name what they speak of: a time or date tied to an approved one by nothing but
    # the place (and the incident's own words) is about something else there.
    ignored = incident.keyword_stems if official else None
    languages = (language, incident.language)
    found = []
    by_day: set[frozenset[str]] = set()  # subjects of the post's dated states weighed day by day
    # Dates first: a state of a day the post names is weighed with its date, not again by itself.
    for fact in sorted(_per_place(post_facts), key=lambda f: f.slot != "date"):
        if fact.slot == facts.CONTRAST:
            denied = _denied(fact, force_by_slot, incident)
            if denied:
                found.append(denied)
            continue
        wider = _wider(fact, force_by_slot.get(fact.slot, []), incident)
        if wider:
            found.append(wider)
            continue
        if fact.slot == "state" and fact.subject in by_day:
            continue  # the state of a day the post names: its date is weighed day by day
        if fact.slot == "state":
            today = _state_today(fact, force_by_slot, moment, language, languages)
            if today is not None:
                found.extend(today)
                continue
        slots = compare.SAME_MOMENT.get(fact.slot, (fact.slot,))
        same = [(_as_slot(a, fact.slot), m) for slot in slots for a, m in force_by_slot.get(slot, [])]
        related = [(a, m) for a, m in same if compare.related(fact, a) and not _only_place(fact, a, ignored)]
        if not related and not official and fact.slot in _ENDS:
            related = _one_thing_named(fact, same, incident)
        dated = [(a, m) for a, m in _closest(related, fact, languages) if a.role] if fact.role else []
        if all(f.role == days.OPEN_ON for f in [fact, *(a for a, _ in dated)]):
            dated = []  # a day something is open on, against others: a schedule, whose days are its values
        if dated:
            by_day.add(fact.subject)
            # Days said open or closed are weighed day by day, not as equal or unequal dates.
            against = _other_day(fact, dated, moment, language)
            if against:
                found.append(against)
            continue
        if (fact.slot.startswith("time:") or fact.slot == "date") and _each_stated(fact, post_facts, related):
            continue
        if fact.slot != "claim" and any(
            compare.same_value(a.value, fact.value) and _about_the_same(fact, a, languages) for a, _ in related
        ):
            # The value an approved sentence about the same thing states, though another sentence names the
            # post's places ("ab Fr., 10.07. … zwischen Trebur und Nauheim" is the zone's date, not the find's).
            continue
        current = _closest(related, fact, languages)
        if not current and fact.slot in compare.SINGLE_VALUED and (fact.slot != "distance" or fact.radius):
            # One radius, one waiting time in force: a different one contradicts it whatever the words. Only a
            # radius is held against the radius (not a detour's length, a water rise or "we live 2 km away").
            pool = [(a, m) for a, m in same if a.radius] if fact.slot == "distance" else same
            pool = pool or same  # a message may state its radius without a word for one ("300 Meter")
            pool = [(a, m) for a, m in pool if compare.same_scale(fact, a)]  # not "40 mins" against "five days"
            current = pool if len({a.value for a, _ in pool}) == 1 else []
        elif not current and not official and fact.slot in _ENDS and len({a.value for a, _ in same}) == 1:
            # One end time in force ("the cordon is expected to last until 13"): a neighbour's "closed until
            # 15" sharing a word with it speaks of it, even where the message names the place a sentence before.
            # A closure's end is the time something opens again ("time:from").
            current = [(a, m) for a, m in same if compare.shared_subject(fact.subject, a.subject)]
        if any(compare.same_value(a.value, fact.value) for a, _ in current):
            continue
        stale = [
            s for slot in slots for s in moved_by_slot.get(slot, [])
            if compare.same_value(s.fact.value, fact.value) and compare.comparable(fact, _as_slot(s.fact, fact.slot))
            and not _only_place(fact, s.fact, ignored)
        ]  # fmt: skip
        # A statement repeated from a message that a correction replaced (its changed sentence) is stale too.
        if stale and (fact.slot != "claim" or _revised_away(stale[-1], incident)):
            s = stale[-1]
            now_values = ", ".join(sorted({a.value for a, _ in current})) or "not stated any more"
            found.append(compare.Conflict(fact.slot, fact.value, now_values, fact.text, s.fact.text, s.by,
                                        s.by, s.at.isoformat()))  # fmt: skip
            continue
        if not current:
            continue
        if fact.slot == "claim":
            # A sentence is held against a sentence where a watched post asserts what the unit denied ("Red
            # Arrows still on" / "will not display"), or denies what the unit said in the same words ("findet
            # heute nicht statt" / "findet heute wie geplant statt"). A negation the post adds to other words
            # ("never click on links" / "they ask you to click a link") mostly says something besides the
            # message; and the unit's own sentences that go beyond a message are R1's to route.
            if official:
                continue
            current = [(a, m) for a, m in current if a.value != fact.value
                       and (fact.value == "positive" or compare.restated(fact, a))]  # fmt: skip
            if not current:
                continue
        best, message = max(current, key=lambda am: len(fact.subject & am[0].subject))
        values = ", ".join(sorted({a.value for a, _ in current}))
        found.append(compare.Conflict(fact.slot, fact.value, values, fact.text, best.text, message))
    found.extend(_asserts_denied(post_facts, force_by_slot.get(facts.CONTRAST, []), incident.language))
    # One sentence for three places (`_per_place`) is one conflict per place only where the places differ.
    return list(dict.fromkeys(found))


_ENDS = frozenset({"time:until", "time:from"})
_NAMING = 5  # letters of a stem that may name a service by itself ("keräys", "clinic", "hotline")


def _one_thing_named(
    fact: facts.Fact, same: list[tuple[facts.Fact, int]], incident: IncidentContext
) -> list[tuple[facts.Fact, int]]:
    """The approved end times of the one thing a post's end time names by a word of its own, where no
    approved time shares two words with it: "Keräys jatkuu tänään klo 18 asti" names the collection that
    "Kuolleiden kalojen keräys päättyy tänään jo klo 16" ends, the only approved time that says "keräys".
    Not by a place or an incident's keyword, which every time of the incident may share."""
    common = incident.keyword_stems | fact.names
    words = {w for w in fact.subject - common if len(w) >= _NAMING}
    naming = [(a, m) for a, m in same
              if words & compare.shared_subject(fact.subject, a.subject) - a.names and not compare.other_day(fact, a)]  # fmt: skip
    return naming if len({a.value for a, _ in naming}) == 1 else []


def _state_today(
    fact: facts.Fact,
    force_by_slot: dict[str, list[tuple[facts.Fact, int]]],
    moment: datetime,
    language: str,
    languages: tuple[str, str],
) -> list[compare.Conflict] | None:
    """A post's open or closed, said of now, against the approved days the same thing is open or closed
    on ("stays closed through Friday"); None where the approved messages give no such days for it, or
    where an undated approved state speaks more nearly of the same thing."""
    # What is open or closed is named by the other words: by "open" alone "De begraafplaatsen zijn terug
    # open" would speak of the park that "gaat zondag opnieuw open" as much as of the cemeteries.
    thing = fact.subject - tokens.stems(fact.text.lower(), language)
    as_date = replace(fact, slot="date", subject=thing or fact.subject)
    related = [(a, m) for a, m in force_by_slot.get("date", []) if a.role and compare.related(as_date, a)]
    # An approved state whose own sentence dates it ("blijven gesloten tot en met zondag") is that date's,
    # not an undated rival to it. (A sentence that closes two things, one "until further notice" and one
    # "through Tuesday", is read as one dated closure: its one state fact cannot tell them apart.)
    dated_sentences = {(a.subject, m) for a, m in related}
    related += [(_as_slot(a, "date"), m) for a, m in force_by_slot.get("state", [])
                if compare.related(fact, a) and (a.subject, m) not in dated_sentences]  # fmt: skip
    closest = _closest(related, as_date, languages)
    dated = [(a, m) for a, m in closest if a.role]
    if not dated or len(dated) < len(closest):
        return None
    local = facts.local(moment, language)
    today = replace(as_date, value=f"{local.day}.{local.month}.", role=days.on_the_day(fact.value))
    against = _other_day(today, dated, moment, language)
    return [replace(against, post=fact.value, post_text=fact.text)] if against else []


def _other_day(
    fact: facts.Fact, dated: list[tuple[facts.Fact, int]], moment: datetime, language: str
) -> compare.Conflict | None:
    """A post's dated state ("opens again on Thursday") that an approved dated state of the same thing says
    the opposite of on some day ("closed through Friday")."""
    local = facts.local(moment, language)
    found = days.contradiction((fact.role, fact.value), [(a.role, a.value) for a, _ in dated], local)
    if found is None:
        return None
    _, index = found
    approved, message = dated[index]
    return compare.Conflict(
        "date", f"{fact.role} {fact.value}", f"{approved.role} {approved.value}", fact.text, approved.text, message
    )


def _wider(
    fact: facts.Fact, in_force: list[tuple[facts.Fact, int]], incident: IncidentContext
) -> compare.Conflict | None:
    """An advice or a closure stretched over all of a place ("hela centrum evakueras", "in ganz Sellrain
    abkochen") that the approved messages give for some places only (named ones, or within a radius):
    the same value, not the same reach."""
    if not fact.whole or not (fact.slot in compare.INSTRUCTIONS or fact.slot == "state"):
        return None
    if any(a.whole or fact.whole in a.names for a, _ in in_force):
        return None  # the messages say it of all of a place, or of the very place the post names
    messages = {m.id: m for m in incident.messages}
    for approved, origin in in_force:
        if not compare.same_value(approved.value, fact.value):
            continue
        if fact.slot == "state" and not compare.shared_subject(fact.subject, approved.subject) - approved.names:
            continue  # closed, but another thing: a road, where the post closes every school
        # A radius of the same sentence (facts of one sentence share its subject) limits the advice too.
        radius = any(
            f.slot == "distance" and f.radius and f.subject == approved.subject for f in messages[origin].facts
        )
        if approved.names or radius:
            where = ", ".join(sorted(approved.names)) or "within the radius"
            return compare.Conflict(fact.slot, f"{fact.value}: all of {fact.whole}", f"{approved.value}: {where}",
                                    fact.text, approved.text, origin)  # fmt: skip
    return None


def _at_facilities(
    post_facts: list[facts.Fact], incident: IncidentContext, language: str, text: str
) -> list[facts.Fact]:
    """A sentence that names where an approved shelter or water point is ("Folkets hus i Ramsele ska
    stänga kl 15" of "Trygghetspunkten i Ramsele (Folkets hus)") speaks of that facility, though it never
    says "trygghetspunkt": its facts carry the facility's kind, as the approved facts about it do."""
    lowered = text.lower()
    # The building as the post writes it, every word of it ("Folkets hus", not "Folkets park").
    places = [(named, venues, tokens.stem(kind.split("_")[0], language))
              for named, venues, kind in incident.facility_venues if any(_names_building(v, lowered) for v in venues)]  # fmt: skip
    if not places:
        return post_facts
    found = []
    for fact in post_facts:
        if not fact.slot.startswith("place:") and not fact.subject & facts.FACILITY:
            # The facility's place and its building, both, in the fact's own sentence: "Ramsele" alone is the
            # whole village, and "Förskolorna i Anderstorp" are not the shelter in Anderstorps sporthall that
            # the post's next sentence names.
            at = next(
                (k for names, venues, k in places
                 if fact.names & names and any(_in_subject(v, fact.subject, language) for v in venues)),
                None,
            )  # fmt: skip
            if at is not None:
                fact = replace(fact, subject=fact.subject | facts.FACILITY | {at})
        found.append(fact)
    return found


def _in_subject(venue: str, subject: frozenset[str], language: str) -> bool:
    """Whether a sentence's stems hold a building's name, inflected or as the first part of a compound
    ("sporthallen", "Sporthallsentrén"); of a name in words, its longest ("Folkets" of "Folkets hus": a
    subject keeps no word as short as "hus")."""
    word = tokens.stem(max(venue.split(), key=len), language)
    return any(s.startswith(word) for s in subject)


def _names_building(venue: str, lowered: str) -> bool:
    """Whether a lower-cased text names a building of the lexicon's kind, each word in any inflection."""
    words = r"\s+".join(re.escape(w) + r"\w*" for w in venue.split())
    return re.search(rf"(?<!\w){words}", lowered) is not None


def _each_stated(fact: facts.Fact, post_facts: list[facts.Fact], related: list[tuple[facts.Fact, int]]) -> bool:
    """A sentence with several times (or days) of one kind ("moves at 13, heat back at 20 at the earliest",
    "open on Wednesday, results on Thursday") that the approved facts it speaks of state each of: they are
    about different things, not wrong."""
    mine = {f.value for f in post_facts if f.slot == fact.slot and f.subject == fact.subject}
    return len(mine) > 1 and all(any(compare.same_value(a.value, v) for a, _ in related) for v in mine)


def _closest(
    related: list[tuple[facts.Fact, int]], post: facts.Fact, languages: tuple[str, str]
) -> list[tuple[facts.Fact, int]]:
    """Of the approved facts a post's fact speaks of, those about the most nearly the same thing: a
    replacement boat "every hour between A and B" is compared with the approved boat's "every two hours",
    not with the ferry's usual hourly run that shares one word with it."""

    # The value's own word is no subject: "Osseveld is nog steeds afgezet" is about Osseveld, which a
    # message says is released, not about the other "afgezette gebied" it shares the word "afgezet" with.
    def closeness(a: facts.Fact) -> tuple[int, int]:
        return len(post.names & a.names), len(_shared_beyond_values(post, a, languages))

    best = max((closeness(a) for a, _ in related), default=(0, 0))
    return [(a, m) for a, m in related if closeness(a) == best]


def _only_place(post: facts.Fact, approved: facts.Fact, ignored: frozenset[str] | None) -> bool:
    """A time or date tied to an approved one by nothing but the place and the `ignored` words, where
    `ignored` is given: the unit's own post that shares only "Kåge" with "the warming hut in Kåge is open
    until 20" announces something else there (staff handing out candles until 14), where a neighbour's
    "closes at 18 in Kåge" may well mean the hut."""
    if ignored is None or not (post.slot.startswith("time:") or post.slot == "date"):
        return False
    rest = post.subject - post.names - ignored
    if post.names and rest and all(facts.schedule_word(w) for w in rest):
        return False  # "Universitetsvägen är öppen igen från kl. 16": the place itself opens
    return not compare.shared_subject(post.subject, approved.subject) - post.names - approved.names - ignored


def _about_the_same(post: facts.Fact, approved: facts.Fact, languages: tuple[str, str]) -> bool:
    """Two facts that share a place, or two words besides the ones stating their values ("tunnin välein")."""
    return len(_shared_beyond_values(post, approved, languages)) >= 2 or bool(post.names & approved.names)


def _shared_beyond_values(post: facts.Fact, approved: facts.Fact, languages: tuple[str, str]) -> frozenset[str]:
    """The stems two facts' subjects share, less the words that state either fact's value."""
    shared = compare.shared_subject(post.subject, approved.subject)
    values = _value_stems(post.slot, post.text, languages[0]) | _value_stems(approved.slot, approved.text, languages[1])
    # A value word stands alone in the fact's text and inflected in its sentence: "tiistai" is the day of
    # "aukeaa tiistaina", whose stem is "tiist"; one word, whichever of the two is the longer.
    return frozenset(s for s in shared if not any(v.startswith(s) or s.startswith(v) for v in values if len(v) >= 4))


@lru_cache(maxsize=16384)
def _value_stems(slot: str, text: str, language: str) -> frozenset[str]:
    """The stems of the words that state a fact's value ("afgezet", "stay indoors", "tunnin välein"); a
    statement, a contrast and a place are written as their whole sentence, which is no value word. Cached:
    every approved fact is weighed against each post's facts of its slot."""
    if slot in ("claim", facts.CONTRAST) or slot.startswith("place:"):
        return frozenset()
    return tokens.stems(text.lower(), language)


def _denied(
    fact: facts.Fact, force: dict[str, list[tuple[facts.Fact, int]]], incident: IncidentContext
) -> compare.Conflict | None:
    """A post that says "not B" about what an approved sentence in force says is B ("the buses leave from
    Folkets hus" against "…from the station, not Folkets hus")."""
    denied = frozenset(fact.value.split(","))
    naming = [
        (approved, message) for entries in force.values() for approved, message in entries
        if approved.slot != facts.CONTRAST and denied <= approved.subject | approved.names
        and compare.shared_subject(fact.subject, approved.subject) - denied
    ]  # fmt: skip
    # A message in force that denies B itself ("(not on Saturday)") or moves away from it agrees with
    # the post, whatever an earlier one still says.
    texts = {m.id: m.text for m in incident.messages}
    live = {m for entries in force.values() for _, m in entries}
    if any(facts.denies_or_moves(texts.get(m, ""), denied, incident.language) for m in live):
        return None
    for approved, message in naming:
        if approved.value not in ("negative", "closed"):
            return compare.Conflict(facts.CONTRAST, "not " + fact.value, approved.value, fact.text, approved.text,
                                    message)  # fmt: skip
    return None


def _asserts_denied(
    post_facts: list[facts.Fact], contrasts: list[tuple[facts.Fact, int]], language: str
) -> list[compare.Conflict]:
    """A post that says B about what an approved sentence in force says "A, not B" of ("meeting at the
    Whitcliffe Lane junction" against "now meeting at Hugh Ripley Hall rather than the Whitcliffe Lane
    junction"), unless the post sets B aside itself."""
    own = {f.value for f in post_facts if f.slot == facts.CONTRAST}
    for approved, message in contrasts:
        denied = frozenset(approved.value.split(","))
        if approved.value in own:
            continue
        for fact in sorted(post_facts, key=lambda f: f.slot != "claim"):  # a statement quotes best
            if fact.slot == facts.CONTRAST or (fact.slot == "claim" and fact.value == "negative"):
                continue
            if fact.slot == "shelter" and facts.FACILITY <= approved.subject and denied <= fact.subject | fact.names:
                # Sent to the place a shelter moved away from ("gå till Kulturhuset" after "Samlingsplatsen
                # flyttas från Kulturhuset till Åhaga"): the instruction names the shelter by where it was.
                return [compare.Conflict(facts.CONTRAST, approved.value, "not " + approved.value, fact.text,
                                         approved.text, message)]  # fmt: skip
            frame = compare.shared_subject(fact.subject, approved.subject) - denied
            # A place both name says where, and "open" says what of, not what: "Förskolorna i Morö Backe och
            # Anderstorp … öppnar" is not the shelter that "öppnar … i Anderstorps sporthall, inte i Morö Backe".
            thing = {w for w in frame - fact.names - facts.FACILITY if not facts.says_a_state(w, language)}
            if denied <= fact.subject | fact.names and len(frame) >= 2 and thing:
                return [compare.Conflict(facts.CONTRAST, approved.value, "not " + approved.value, fact.text,
                                         approved.text, message)]  # fmt: skip
    return []


def _per_place(post_facts: list[facts.Fact]) -> list[facts.Fact]:
    """An instruction for several places is one for each ("windows closed in Ede-Zuid and Bennekom" says
    it of Ede-Zuid too, where a later message lifted it), so one place's agreement does not hide another's."""
    split: list[facts.Fact] = []
    for fact in post_facts:
        if fact.slot in compare.INSTRUCTIONS and len(fact.names) > 1:
            split.extend(replace(fact, names=frozenset({name})) for name in sorted(fact.names))
        else:
            split.append(fact)
    return split


def _as_slot(fact: facts.Fact, slot: str) -> facts.Fact:
    return fact if fact.slot == slot else replace(fact, slot=slot)


def _revised_away(moved: Superseded, incident: IncidentContext) -> bool:
    source = next((m for m in incident.messages if m.id == moved.message), None)
    return source is not None and source.replaced_at is not None


def _given(conflict: compare.Conflict, post_facts: list[facts.Fact], given: list[facts.Fact]) -> bool:
    """Whether an approved message ever gave the post's value of a conflict, about the same thing (the
    bus's "until 22:00" is not the shelter's)."""
    # The post's facts of that value that differ from an approved one they speak of (a copied "bus until
    # 22:00" beside the changed "shelter until 22:00" is not the one in conflict).
    stated = [
        f for f in post_facts if f.slot == conflict.kind and f.value == conflict.post
        and any(g.slot == f.slot and compare.related(f, g) and not compare.same_value(g.value, f.value) for g in given)
    ]  # fmt: skip
    return any(
        g.slot == conflict.kind
        and compare.same_value(g.value, conflict.post)
        and any(compare.related(f, g) for f in stated)
        for g in given
    )


def _unrouted(
    post: PostView,
    post_facts: list[facts.Fact],
    incident: IncidentContext,
    reasons: list[str],
    conflicts: list[compare.Conflict],
) -> Finding | None:
    """R1: an official post about the incident that is not a faithful version of an approved message
    in force when it was published (its words, none of its facts changed). A value that contradicts the
    facts in force and that no approved message gave (no stale repeat: nothing superseded it) is the
    post's own, however many words it shares with the closest message."""
    approved_before = [m for m in incident.messages if m.approved_at <= post.published]
    post_words = matching.words_of(post.content)
    best_id, overlap = matching.best_match(post_words, [(m.id, m.words) for m in approved_before])
    best = next((m for m in approved_before if m.id == best_id), None)
    altered = bool(best and compare.changed(post_facts, list(best.facts)))
    given = [f for m in approved_before for f in m.facts]
    altered = altered or any(c.superseded_by is None and not _given(c, post_facts, given) for c in conflicts)
    withdrawn = bool(best and not best.live_at(post.published))
    if best is not None and overlap >= matching.CARRY_SHARE and not altered and not withdrawn:
        return None
    live = [m for m in approved_before if m.live_at(post.published)]
    if any(_cut_from(post, post_facts, m) for m in live):
        return None
    # Sentences of two messages in force, put together ("<the update's news>. <the closure still in force>"):
    # approved words all, none of the facts in force changed; a value a later message moved is no longer
    # in force, so the first message's own sentence repeating it is changed.
    if matching.excerpt(post.content, tuple(line for m in live for line in m.excerpt_lines)):
        force, _ = incident.facts_by_slot_at(post.published)
        if not compare.changed(post_facts, [fact for entries in force.values() for fact, _ in entries]):
            return None
    score = 0.9 if altered or withdrawn else round(1 - overlap, 3)
    return Finding("unrouted", score, incident.id, best.id if best else None, evidence={
        "closest_message": best.id if best else None, "shared_words": round(overlap, 3), "facts_changed": altered,
        "revised_since": withdrawn, "about": reasons})  # fmt: skip
