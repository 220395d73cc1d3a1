"""Did the website carry message M, and when: the one answer used by the R4 flags, the cadence, the
review and the timeline. Posts are split into words once; the comparison is `checks.matching`'s."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from playbooks.checks.matching import CARRY_SHARE, Copy, best_match, copies, post_text, share_of, words_of
from sources.models import Account, Post


@dataclass(frozen=True)
class SocialPost:
    id: int
    guid: str
    words: frozenset[str]
    published: datetime


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
            social.append(SocialPost(post_id, guid, words_of(post_text(title, text)), published))
        else:
            site.append((post_text(title, text), published))
    return OfficialPosts(social, copies(site))


def carried_message(post: SocialPost, approved: Sequence[tuple[int, frozenset[str], datetime]]) -> int | None:
    """The approved message a social post carries: the one it shares most words with among those approved
    before it, so a shortened copy of the newest update is that update's, not an older one's."""
    before = [(mid, words) for mid, words, at in approved if at <= post.published]
    message_id, share = best_match(post.words, before)
    return message_id if share >= CARRY_SHARE else None


def carries_any(copy: Copy, messages: Sequence[frozenset[str]]) -> bool:
    return any(share_of(copy.words, m) >= CARRY_SHARE for m in messages)
