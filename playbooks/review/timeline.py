"""Activity over time for the live charts and the review: posts and flags per interval, and approved
messages against their website copies."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, select

from core.db import read_session
from playbooks.checks.matching import copies
from playbooks.workflow import website
from playbooks.workflow.models import Approval, Flag, Message
from sources.models import Account, Post


def bucket(moment: datetime, minutes: int) -> datetime:
    return moment.replace(minute=moment.minute - moment.minute % minutes, second=0, microsecond=0)


def activity(engine: Engine, since: datetime, *, minutes: int = 15) -> list[dict[str, object]]:
    """Rows of (interval start, account kind, posts, flags) since `since`."""
    with read_session(engine) as session:
        posts = session.execute(
            select(Post.published, Account.kind)
            .join(Account, Post.account_id == Account.id)
            .where(Post.published >= since)
        ).all()
        flagged = session.execute(
            select(Post.published, Account.kind)
            .join(Flag, Flag.post_id == Post.id)
            .join(Account, Post.account_id == Account.id)
            .where(Post.published >= since)
        ).all()
    post_counts = Counter((bucket(p, minutes), k) for p, k in posts)
    flag_counts = Counter((bucket(p, minutes), k) for p, k in flagged)
    keys = sorted(set(post_counts) | set(flag_counts))
    return [{"interval": b, "kind": k, "posts": post_counts[(b, k)], "flags": flag_counts[(b, k)]} for b, k in keys]


@dataclass(frozen=True)
class MessageEvent:
    message: int
    approved_at: datetime
    published_at: datetime | None
    website_copy_at: datetime | None


def message_timeline(engine: Engine, incident_id: int) -> list[MessageEvent]:
    """Each approved message of the incident with the first website post that carried it."""
    with read_session(engine) as session:
        approved = session.execute(
            select(Message.id, Message.text, Approval.approved_at, Message.published_at)
            .join(Approval, Approval.message_id == Message.id)
            .where(Message.incident_id == incident_id)
            .order_by(Approval.approved_at)
        ).all()
        if not approved:
            return []
        site_rows = session.execute(
            select(Post.published, Post.title, Post.text)
            .join(Account, Post.account_id == Account.id)
            .where(Account.kind == "website", Post.published >= approved[0][2] - timedelta(hours=1))
            .order_by(Post.published)
        ).all()
    site = copies((title, body, published) for published, title, body in site_rows)
    events = []
    messages = {
        m.id: m for m in website.in_order(website.Approved.of(mid, text, None, at) for mid, text, at, _ in approved)
    }
    for mid, _, approved_at, published_at in approved:
        copy = website.first_website_copy(messages[mid], site)
        events.append(MessageEvent(mid, approved_at, published_at, copy.published if copy else None))
    return events
