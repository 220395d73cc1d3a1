"""Whether a post carries an approved message: the same facts in the same words, perhaps fewer of them.

The comparison under the one answer to "did the website carry message M" (`workflow.website.carries`, used
by the R4 flags, the cadence, the review and the timeline): each text is split into words once
(`words_of`), then compared by sets.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache, lru_cache

from playbooks.checks import compare, facts, lexicon, stamps, tokens

_HASHTAG = re.compile(r"(?<!\w)#\w+")
_ELLIPSIS = re.compile(r"\s*(?:…|\.\.\.)\s*$")

# A website copy or a faithful shortened version keeps most of the message's words...
CARRY_SHARE = 0.6
# ...and enough of them to carry its content, not just its subject ("flood alert for the district").
MIN_SHARED = 8
# ...unless the post is short and nearly all of it is the message's ("Evacuation over, you can go home.
# Schools open tomorrow as usual. <link>"): a social post shortened to one line keeps few words.
MIN_SHARED_SHORT = 5
SHORT_SHARE = 0.7
# A shortened copy inflects the message's words ("kloorikaasuvuoto Kaurialan uimahallissa" of "Kaurialan
# uimahallissa on tapahtunut kloorikaasuvuoto", "stängda"/"stängd", "evakuiert"/"Evakuierung"): words are
# compared by their first letters. Not a stemmer: a copy and its message must be cut the same way whatever
# language a one-line post is detected as, and a compound's first part ("kloori-") is kept. On the
# development half 5 letters left 4 faithful shortened copies unrouted fewer than whole words, 6 letters 3,
# 7 letters 3, and no flag was lost with any.
WORD_PREFIX = 5


def post_text(title: str, text: str) -> str:
    """A post's title and text as one reading. A title that is the start of the text (as many feeds make
    them, often cut with "…") adds nothing; another title is a line of its own (`headline`), and a cut last
    word is dropped so that "…reopens at 2…" states no time."""
    head = headline(title, text)
    text = (text or "").strip()
    if not head:
        return text
    # A blank line: the headline is a line of its own however long, never the start of the text's sentence.
    return f"{head}\n\n{text}".strip() if text else head


def headline(title: str, text: str) -> str:
    """The title as a line of its own, or "" where it is the start of the text (or absent)."""
    title, text = (title or "").strip(), (text or "").strip()
    if not title:
        return ""
    cut = bool(_ELLIPSIS.search(title))
    head = _ELLIPSIS.sub("", title)
    if _plain(text).startswith(_plain(head)):
        return ""
    if cut:
        head = head.rsplit(" ", 1)[0] if " " in head else ""
    return head


def facts_of(content: str, head: str, language: str, moment: datetime) -> list[facts.Fact]:
    """The facts of a post read as `post_text` joins it. A headline sums the text up ("Valley Road closed"
    over "Valley Road is open again from 7 pm"): where the text states a fact of the same kind about the
    same thing (or says when or whether it is open), the text's is the post's word and the headline's is
    left out. A headline about something the text does not state ("Shelter open until 22:00" over "Keep
    windows closed until 18:00") counts."""
    here = facts.local(moment, language)
    if not head or not content.startswith(head):
        return facts.on(facts.extract(stamps.without_dateline(content, language, here), language), moment, language)
    body = facts.extract(stamps.without_dateline(content[len(head) :], language, here), language)
    title = [f for f in facts.extract(head, language) if not any(_summed_up(f, b) for b in body)]
    return facts.on(title + body, moment, language)


def _summed_up(headline_fact: facts.Fact, fact: facts.Fact) -> bool:
    kinds = _kind(headline_fact.slot), _kind(fact.slot)
    if kinds[0] != kinds[1] and not (kinds[0] in _SCHEDULE and kinds[1] in _SCHEDULE):
        return False
    return bool(headline_fact.names & fact.names or compare.shared_subject(headline_fact.subject, fact.subject))


# Times of any role and open or closed say one thing of a place: a headline's "closed" and the text's
# "open again from 19".
_SCHEDULE = frozenset({"time", "state"})


def _kind(slot: str) -> str:
    return slot.split(":")[0]


def _plain(text: str) -> str:
    return " ".join(tokens.words(text))


def words_of(text: str) -> frozenset[str]:
    """The words compared, each cut to its first WORD_PREFIX letters: lower-cased, numbers kept whole,
    words of one or two letters left out."""
    # Links and hashtags are left out: a shortened copy's "more: https://…" (R9) and its "#krisinfo" add no
    # words of their own.
    plain = _HASHTAG.sub(" ", tokens.strip_links(text))
    return frozenset(t if t.isdigit() else t[:WORD_PREFIX] for t in tokens.words(plain) if len(t) > 2 or t.isdigit())


def share(post_text: str, message_text: str) -> float:
    """How much of one text is the other: of the post's words the share found in the message (a shortened
    copy scores high), or of the message's words the share found in the post (a copy with additions
    scores high), whichever is larger; 0 when they share fewer than MIN_SHARED words (or half the
    message's, for a very short message)."""
    return share_of(words_of(post_text), words_of(message_text))


def share_of(post: frozenset[str] | set[str], message: frozenset[str] | set[str]) -> float:
    """`share` on texts already split into words."""
    if not post or not message:
        return 0.0
    shared = len(post & message)
    if shared < min(MIN_SHARED, max(2, len(message) // 2)) and not (
        shared >= MIN_SHARED_SHORT and shared >= SHORT_SHARE * len(post)
    ):
        return 0.0
    return max(shared / len(post), shared / len(message))


def carries(post_text: str, message_text: str) -> bool:
    return share(post_text, message_text) >= CARRY_SHARE


@dataclass(frozen=True)
class Copy:
    """A website post split into words once (its facts too, when first asked for)."""

    words: frozenset[str]
    published: datetime
    text: str = ""  # title and text as `post_text` joins them
    head: str = ""  # the title, where it is a line of its own (`headline`)
    _facts: dict[str, list[facts.Fact]] = field(default_factory=dict, compare=False, repr=False)

    def facts(self, language: str) -> list[facts.Fact]:
        if language not in self._facts:
            self._facts[language] = facts_of(self.text, self.head, language, self.published)
        return self._facts[language]

    @property
    def body(self) -> str:
        """The text below its headline."""
        return self.text[len(self.head) :].strip() if self.head else self.text


def website_copy(title: str, text: str, published: datetime) -> Copy:
    """A website post as the comparisons read it: its words and (when first asked for) its facts, of the
    part of a live page that speaks now (`stamps.current_part`)."""
    text = stamps.current_part(text)
    content = post_text(title, text)
    return Copy(words_of(content), published, content, headline(title, text))


def copies(posts: Iterable[tuple[str, str, datetime]]) -> list[Copy]:
    """Website posts (title, text, published) split into words once, oldest first."""
    return sorted((website_copy(title, text, published) for title, text, published in posts),
                  key=lambda c: c.published)  # fmt: skip


def carries_message(
    copy: Copy,
    message: frozenset[str],
    message_facts: Sequence[facts.Fact] = (),
    language: str = "en",
    listed: Sequence[Marks] = (),
) -> bool:
    """Whether a post carries the message: most of its words, and none of its facts changed (a short update
    "open until 10 pm" is not carried by the older copy that says "open until 8 pm"). `listed`: the
    `sentence_marks` of the messages approved up to this one, oldest first, this one last: a live page
    that lists the message above the ones before it, with nothing to tell them apart, carries it when the
    message's own sentences there change none of its facts (the old values below are the earlier
    messages', not the page's word now)."""
    if share_of(copy.words, message) < CARRY_SHARE:
        return False
    if not message_facts or not compare.changed(copy.facts(language), list(message_facts)):
        return True
    part = listed_part(copy.body, listed)
    return (
        part is not None
        and part[0] == len(listed) - 1
        and not compare.changed(facts_of(part[1], "", language, copy.published), list(message_facts))
    )


def best_match(post: frozenset[str], messages: Sequence[tuple[int, frozenset[str]]]) -> tuple[int | None, float]:
    """The message the post carries most of, and how much; the later message wins a tie (its update)."""
    best, best_share = None, 0.0
    for message_id, message in messages:
        found = share_of(post, message)
        if found >= best_share and found > 0:
            best, best_share = message_id, found
    return best, best_share


SENTENCE_SHARE = 0.8  # a page's sentence is a message's when it has most of the words of one of its sentences


Marks = tuple[tuple[frozenset[str], tuple[str, ...]], ...]


def sentence_marks(text: str) -> Marks:
    """Each sentence of a text as `newest_listed` compares it: its words and its figures."""
    return tuple((words_of(s), _figures(s)) for s in tokens.sentences(text))


def newest_listed(text: str, messages: Sequence[Marks]) -> str:
    """The part of an official page that speaks now when the page only lists approved messages, one after
    another with nothing to tell them apart ("<the update> <the message before it>"): the sentences of the
    newest message it lists. `messages`: each approved message's `sentence_marks`, oldest first. A page
    with a sentence no message has, or of one message only, is returned as it is."""
    part = listed_part(text, messages)
    return text if part is None else part[1]


def listed_part(text: str, messages: Sequence[Marks]) -> tuple[int, str] | None:
    """`newest_listed`'s reading: which of `messages` is the newest a page lists, and its sentences there;
    None for a page that is no such list."""
    sentences = tokens.sentences(text)
    if len(sentences) < 2 or len(messages) < 2:
        return None
    # A sentence is a message's when it has most of its words and the very same figures ("until 8 pm" is
    # not the update's "until 10 pm").
    owners: list[int | None] = []
    for sentence in sentences:
        words, figures = words_of(sentence), _figures(sentence)
        if not words:
            owners.append(None)
            continue
        owner = next(
            (i for i in range(len(messages) - 1, -1, -1)
             if any(f == figures and share_of(words, w) >= SENTENCE_SHARE for w, f in messages[i])),
            None,
        )  # fmt: skip
        if owner is None:
            return None  # a sentence of its own: the page says something, not only what was approved
        owners.append(owner)
    said = {o for o in owners if o is not None}
    if len(said) < 2:
        return None
    newest = max(said)
    return newest, " ".join(s for s, o in zip(sentences, owners, strict=True) if o == newest)


# A post of a few words cut from the message's sentences ("Kaanaantie on suljettu liikenteeltä. Lisää: <link>"
# of a message of six sentences) shares too few words with the whole message for `share_of`, yet says nothing
# of its own. At least one of its sentences must be this long: a word or two match too easily.
EXCERPT_WORDS = 3
# A pointer to the link that was left out: "Lisää:", "Mehr Infos:", "Read more:".
_POINTER = re.compile(r"^\W*(?:\w+\W+)?\w+\s*:\W*$")

Lines = tuple[tuple[frozenset[str], tuple[str, ...]], ...]


def excerpt_lines(text: str) -> Lines:
    """Each sentence of a message as `excerpt` compares it: its words (its negations too, however short:
    "ei", "no") and its figures."""
    return tuple((_excerpt_words(s), _figures(s)) for s in tokens.sentences(text))


def excerpt(text: str, lines: Lines) -> bool:
    """Whether a post is the message's own sentences, cut (`lines`: the message's `excerpt_lines`): each of
    its sentences has all its words in one sentence of the message, with the very same figures and the
    same negations ("112 fungerar nu för alla samtal" is no excerpt of "112 fungerar igen för samtal från
    mobiltelefoner", nor "Trinken Sie Leitungswasser" of "Trinken Sie kein Leitungswasser"), and one of them
    has EXCERPT_WORDS words or more. A label of the lexicon before a colon ("⚠️ UPDATE:", "Korjaus:") heads
    a sentence without counting; a pointer to the left-out link ("Lisää:") is passed over."""
    negations = lexicon.merged_words("negation")
    found = False
    for words, figures in _post_lines(text or ""):
        if not any(f == figures and words <= w and w & negations <= words for w, f in lines):
            return False
        found = found or len(words - negations) >= EXCERPT_WORDS
    return found


@lru_cache(maxsize=256)
def _post_lines(text: str) -> Lines:
    """A post's sentences as `excerpt` compares them, labels and pointers left out. Cached: one post is held
    against every message in force, a hundred in a long incident."""
    found = []
    for written in tokens.sentences(_HASHTAG.sub(" ", text)):
        label = _label().match(written)
        sentence = written[label.end() :] if label else written
        words = _excerpt_words(sentence)
        if words and not _POINTER.match(sentence):
            found.append((words, _figures(written)))
    return tuple(found)


def _excerpt_words(sentence: str) -> frozenset[str]:
    return words_of(sentence) | (frozenset(tokens.words(sentence)) & lexicon.merged_words("negation"))


@cache
def _label() -> re.Pattern[str]:
    """Labels of the five languages heading a sentence, one or several ("⚠️ PÄIVITYS: Korjaus:"), in one
    anchored match: stripping them one by one copied the text once per label."""
    words = "|".join(sorted((re.escape(w) for w in lexicon.merged_words("labels")), key=len, reverse=True))
    return re.compile(rf"^(?:[\W_]*(?:{words})\s*:\s*)+", re.IGNORECASE)


def _figures(sentence: str) -> tuple[str, ...]:
    return tuple(sorted(re.findall(r"\d+", sentence)))
