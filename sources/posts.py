"""Reading stored posts back."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select

from core.db import read_session
from sources.models import Post
from sources.redact import redact_url


def list_posts(
    engine: Engine, *, account: str | None = None, since: datetime | None = None, limit: int | None = None
) -> list[Post]:
    """Posts newest first, optionally of one account and published at or after `since`."""
    query = select(Post).order_by(Post.published.desc(), Post.id.desc())
    if account:
        query = query.where(Post.account_id == account)
    if since:
        query = query.where(Post.published >= since)
    if limit:
        query = query.limit(limit)
    with read_session(engine) as session:
        return list(session.scalars(query))


def post_as_dict(post: Post) -> dict[str, Any]:
    """A post as the command line and exports show it (credentials in its link or guid masked)."""
    return {
        "account": post.account_id, "guid": redact_url(post.guid), "link": redact_url(post.link), "title": post.title,
        "text": post.text, "author": post.author, "language": post.language,
        "published": post.published.isoformat(), "published_source": post.published_source,
        "fetched": post.fetched_at.isoformat(), "version": post.version, "content_hash": post.content_hash,
        "extra": post.extra,
    }  # fmt: skip
