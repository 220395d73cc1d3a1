"""Did the website carry message M, and when: the one answer used by the R4 flags, the cadence, the
review and the timeline. Posts are split into words once; the comparison is `checks.matching`'s."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from playbooks.checks import facts
from playbooks.checks.matching import (
    CARRY_SHARE,
    Copy,
    Lines,
    Marks,
    best_match,
    carries_message,
    copies,
    excerpt,
    excerpt_lines,
    post_text,
    sentence_marks,
    words_of,
)
from sources.language import LANGUAGES, detect
from sources.models import Account, Post


@dataclass(frozen=True)
class Approved:
    """An approved message as the website comparison needs it: its words, facts and sentences, split once."""

    id: int
    words: frozenset[str]
    facts: tuple[facts.Fact, ...]
    language: str
    approved_at: datetime
    marks: Marks = ()
    lines: Lines = ()  # its sentences as a post cut from it is read (`excerpt`)
    # The marks of the messages approved before it and its own, oldest first (`in_order`): a live page may
    # list them below it.
    listed: tuple[Marks, ...] = ()

    @classmethod
    def of(cls, id: int, text: str, language: str | None, approved_at: datetime) -> Approved:
        lang = language if language in LANGUAGES else (detect(text) or "en")
        found = tuple(facts.on(facts.extract(text, lang), approved_at, lang))
        return cls(id, words_of(text), found, lang, approved_at, sentence_marks(text), excerpt_lines(text))


def in_order(messages: Iterable[Approved]) -> list[Approved]:
    """An incident's approved messages oldest first, each knowing those approved before it (`listed`)."""
    ordered = sorted(messages, key=lambda m: (m.approved_at, m.id))
    return [replace(m, listed=tuple(e.marks for e in ordered[: i + 1])) for i, m in enumerate(ordered)]


# A CMS may stamp a page with when its editor opened it, a little before the lead's approval was recorded.
CLOCK_SLACK = timedelta(minutes=5)


def carries(copy: Copy, message: Approved) -> bool:
    """Whether a website page carries the message: its words, none of its facts changed, on a page published
    once the message was approved, give or take CLOCK_SLACK (an update that repeats the last message's text
    is not carried by that message's page of an hour before)."""
    return copy.published >= message.approved_at - CLOCK_SLACK and carries_message(
        copy, message.words, message.facts, message.language, message.listed
    )


def first_website_copy(
    message: Approved, website: Sequence[Copy], *, not_before: datetime | None = None
) -> Copy | None:
    """When the website first carried the message (at or after `not_before`, if given): website posts
    oldest first."""
    return next((c for c in website if (not_before is None or c.published >= not_before) and carries(c, message)), None)


@dataclass(frozen=True)
class SocialPost:
    id: int
    guid: str
    words: frozenset[str]
    published: datetime
    text: str = ""  # title and text as `post_text` joins them: a post cut from a message is read by sentence

    @classmethod
    def of(cls, id: int, guid: str, title: str, text: str, published: datetime) -> SocialPost:
        content = post_text(title, text)
        return cls(id, guid, words_of(content), published, content)


@dataclass(frozen=True)
class OfficialPosts:
    social: list[SocialPost]
    website: list[Copy]


def official_posts(session: Session, since: datetime, until: datetime | None = None) -> OfficialPosts:
    """The official social posts and the website's posts published since `since`, split into words."""
    query = (
        select(Post.id, Post.guid, Post.title, Post.text, Post.published, Account.kind)
        .join(Account, Post.account_id == Account.id)
        .where(Account.kind.in_(("social", "website")), Post.published >= since)
        .order_by(Post.published, Post.id)
    )
    if until is not None:
        query = query.where(Post.published <= until)
    social, site = [], []
    for post_id, guid, title, text, published, kind in session.execute(query):
        if kind == "social":
            social.append(SocialPost.of(post_id, guid, title, text, published))
        else:
            site.append((title, text, published))
    return OfficialPosts(social, copies(site))


def carried_message(post: SocialPost, approved: Sequence[Approved]) -> Approved | None:
    """The approved message a social post carries: the one it shares most words with among those approved
    before it, so a shortened copy of the newest update is that update's, not an older one's."""
    before = [m for m in approved if m.approved_at <= post.published]
    message_id, share = best_match(post.words, [(m.id, m.words) for m in before])
    if share >= CARRY_SHARE:
        return next(m for m in before if m.id == message_id)
    # A sentence or two cut from a message publishes that message too (the newest, where several have them).
    return next(
        (m for m in sorted(before, key=lambda m: (m.approved_at, m.id), reverse=True) if excerpt(post.text, m.lines)),
        None,
    )


def carries_any(copy: Copy, messages: Sequence[Approved]) -> bool:
    return any(carries(copy, m) for m in messages)
