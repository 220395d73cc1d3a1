"""R17: personal data in watched (non-official) posts is kept no longer than the retention period.

Authors, titles and texts of `watch` posts older than the period are removed (their versions too),
whether the post had a text or only a title; what the flags on those posts quote of them (the
conflicting sentence, the quoted claim, the n-grams that weighed, a display name that is the author)
goes too. Official records, guids, links, times and the flags' evidence summaries (cue words, kinds,
scores, the approved side of a conflict) stay. Pruning names who prunes and is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine, exists, or_, select, update

from core.clock import now
from core.db import write_session
from playbooks.workflow import audit
from playbooks.workflow.models import Flag, User
from playbooks.workflow.roles import require
from sources.models import Account, Post, PostVersion

DEFAULT_MONTHS = 6
REMOVED = "[removed under retention]"
# Evidence fields that quote the post (or its author) rather than summarise it.
QUOTING = frozenset({"post_text", "quote", "ngrams", "text", "title", "snippet", "excerpt", "author"})


class RetentionError(ValueError):
    """Bad input for retention (exit 2)."""


@dataclass(frozen=True)
class RetentionReport:
    cutoff: str
    posts: int
    versions: int
    dry_run: bool
    flags: int = 0


def scrub(evidence: Any, author: str | None = None) -> Any:
    """The evidence without what quotes the post: quoting fields emptied, an author's name removed."""
    if isinstance(evidence, dict):
        out = {}
        for key, value in evidence.items():
            if key in QUOTING and value not in (None, "", [], REMOVED):
                out[key] = [] if isinstance(value, list) else REMOVED
            elif key == "account_name" and author and isinstance(value, str) and value.strip() == author.strip():
                out[key] = REMOVED
            else:
                out[key] = scrub(value, author)
        return out
    if isinstance(evidence, list):
        return [scrub(v, author) for v in evidence]
    return evidence


def apply(
    engine: Engine, *, months: int = DEFAULT_MONTHS, by: str | None = None, dry_run: bool = False
) -> RetentionReport:
    if not 1 <= months <= 120:
        raise RetentionError(f"--months {months}: from 1 to 120")
    cutoff = now() - timedelta(days=round(months * 30.44))
    with write_session(engine) as session:
        if by is not None:
            require(session, by, "users.manage")
        elif not dry_run and session.scalar(select(exists().where(User.name.is_not(None)))):
            raise RetentionError("who prunes? users exist: give --by ADMIN (or set CRISISDESK_USER)")
        old_watch = (select(Post.id).join(Account, Post.account_id == Account.id)
                     .where(Account.kind == "watch", Post.published < cutoff))  # fmt: skip
        ids = list(session.scalars(
            old_watch.where(or_(Post.text != "", Post.title != "", Post.author.is_not(None)))
        ))  # fmt: skip
        flag_rows = session.execute(
            select(Flag.id, Flag.evidence, Post.author).join(Post, Flag.post_id == Post.id)
            .where(Flag.post_id.in_(old_watch))
        ).all()  # fmt: skip
        scrubbed = {fid: new for fid, evidence, author in flag_rows if (new := scrub(evidence, author)) != evidence}
        versions = 0
        if (ids or scrubbed) and not dry_run:
            for flag_id, evidence in scrubbed.items():
                session.execute(update(Flag).where(Flag.id == flag_id).values(evidence=evidence)
                                .execution_options(synchronize_session=False))  # fmt: skip
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                session.execute(update(Post).where(Post.id.in_(chunk)).values(author=None, text="", title="")
                                .execution_options(synchronize_session=False))  # fmt: skip
                result = session.execute(update(PostVersion).where(PostVersion.post_id.in_(chunk))
                                         .values(author=None, text="", title="").execution_options(synchronize_session=False))  # fmt: skip
                versions += getattr(result, "rowcount", 0) or 0
            audit.append(session, by or "system", "retention.apply", "posts", "watch", cutoff=cutoff.isoformat(),
                         months=months, posts=len(ids), versions=versions, flags=len(scrubbed))  # fmt: skip
        return RetentionReport(cutoff.isoformat(), len(ids), versions, dry_run, len(scrubbed))
