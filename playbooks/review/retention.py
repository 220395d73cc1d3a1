"""R17: personal data in watched (non-official) posts is kept no longer than the retention period.

Authors and texts of `watch` posts older than the period are removed (their versions too); official
records, guids, links, times and the flags' evidence summaries stay. What was done is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Engine, select, update

from core.clock import now
from core.db import write_session
from playbooks.workflow import audit
from playbooks.workflow.roles import require
from sources.models import Account, Post, PostVersion

DEFAULT_MONTHS = 6


@dataclass(frozen=True)
class RetentionReport:
    cutoff: str
    posts: int
    versions: int
    dry_run: bool


def apply(
    engine: Engine, *, months: int = DEFAULT_MONTHS, by: str | None = None, dry_run: bool = False
) -> RetentionReport:
    if not 1 <= months <= 120:
        raise ValueError(f"--months {months}: from 1 to 120")
    cutoff = now() - timedelta(days=round(months * 30.44))
    with write_session(engine) as session:
        if by is not None:
            require(session, by, "users.manage")
        ids = list(session.scalars(
            select(Post.id).join(Account, Post.account_id == Account.id)
            .where(Account.kind == "watch", Post.published < cutoff, Post.text != "")
        ))  # fmt: skip
        versions = 0
        if ids and not dry_run:
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                session.execute(update(Post).where(Post.id.in_(chunk)).values(author=None, text="", title="")
                                .execution_options(synchronize_session=False))  # fmt: skip
                result = session.execute(update(PostVersion).where(PostVersion.post_id.in_(chunk))
                                         .values(author=None, text="", title="").execution_options(synchronize_session=False))  # fmt: skip
                versions += getattr(result, "rowcount", 0) or 0
            audit.append(session, by or "system", "retention.apply", "posts", "watch", cutoff=cutoff.isoformat(),
                         months=months, posts=len(ids), versions=versions)  # fmt: skip
        return RetentionReport(cutoff.isoformat(), len(ids), versions, dry_run)
