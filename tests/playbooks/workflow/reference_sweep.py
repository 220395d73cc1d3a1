"""The sweep as it was before issue 15: every official social post against every website post, every
approval re-checking the whole window. Kept for the tests only, as the answer the incremental sweep gives."""

from __future__ import annotations

import weakref
from datetime import timedelta

from sqlalchemy import Engine, func, select

from core.clock import now
from core.db import write_session
from playbooks import playbook
from playbooks.checks.findings import BEFORE_OPENING, Finding
from playbooks.workflow import flags, parity, website
from playbooks.workflow.models import Approval, Flag, Incident, Message
from sources.models import Post
from sources.store import insert_ignoring_conflicts

# How many approvals the sweep last took into account, per database and incident: when it changes,
# earlier posts are re-checked. (The incidents table carried this counter until migration 0011.)
_checked: weakref.WeakKeyDictionary[Engine, dict[int, int]] = weakref.WeakKeyDictionary()


def full_sweep(engine: Engine) -> int:
    raised = 0
    with write_session(engine) as session:
        contexts = flags.incident_contexts(session)
        for incident in session.scalars(select(Incident).where(Incident.closed_at.is_(None))):
            approvals = session.scalar(
                select(func.count()).select_from(Approval).join(Message, Message.id == Approval.message_id)
                .where(Message.incident_id == incident.id)
            ) or 0  # fmt: skip
            if approvals != _checked.setdefault(engine, {}).get(incident.id):
                since = max(incident.opened_at - BEFORE_OPENING, now() - flags.RECHECK_WINDOW)
                post_ids = list(session.scalars(select(Post.id).where(Post.published >= since)))
                raised += flags.check_posts(session, post_ids, contexts)
                _checked[engine][incident.id] = approvals
            raised += _missing_on_website(session, incident)
    return raised


def _missing_on_website(session, incident) -> int:  # type: ignore[no-untyped-def]
    grace = timedelta(minutes=playbook.get(incident.playbook).website_grace_minutes)
    stamp = now()
    approved = website.in_order(
        website.Approved.of(mid, text, lang, at)
        for mid, text, lang, at in session.execute(
            select(Message.id, Message.text, Message.language, Approval.approved_at)
            .join(Approval, Approval.message_id == Message.id)
            .where(Message.incident_id == incident.id).order_by(Approval.approved_at, Message.id)
        )
    )  # fmt: skip
    if not approved:
        return 0
    posts = website.official_posts(session, incident.opened_at)
    rows = []
    for post in posts.social:
        message = website.carried_message(post, approved)
        if message is None:
            continue
        missing = parity.website_copy_missing(post.published, message, posts.website, grace, stamp)
        if missing is None:
            continue
        finding = Finding("missing_on_website", 0.95, incident.id, message.id, evidence=missing)
        rows.append(flags._row(finding, post.id, stamp, key=f"missing_on_website:{incident.id}:{post.id}:{message.id}"))
    return len(insert_ignoring_conflicts(session, Flag, rows, ["dedupe_key"]))
