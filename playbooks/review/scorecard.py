"""The post-incident review (R7, R14, R15, R20): did we follow our own guidelines? A scorecard with the
evidence behind each number, and one timeline of everything that happened."""

from __future__ import annotations

import itertools
import statistics
from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from core.db import read_session
from playbooks import playbook
from playbooks.checks import drafts as prechecks
from playbooks.checks.matching import copies as website_copies
from playbooks.review import record as records
from playbooks.review.record import Record, ReviewError
from playbooks.workflow import audit, website
from sources.models import Account, Post

__all__ = ["Record", "ReviewError", "Scorecard", "audit_section", "load", "scorecard", "timeline", "timeline_tail"]


def load(engine: Engine, incident_id: int) -> Record:
    with read_session(engine) as session:
        return records.load(session, incident_id)


def _minutes(delta: timedelta | None) -> float | None:
    return None if delta is None else round(delta.total_seconds() / 60, 1)


@dataclass
class Scorecard:
    incident: int
    title: str
    items: dict[str, dict[str, Any]] = field(default_factory=dict)

    def add(self, key: str, rule: str, value: Any, evidence: Any, label: str) -> None:
        self.items[key] = {"label": label, "rule": rule, "value": value, "evidence": evidence}


def phase_windows(record: Record) -> list[tuple[datetime, datetime, str]]:
    """(start, end, phase) from the audit log's phase changes."""
    windows, start, phase = [], record.incident.opened_at, "acute"
    for r in record.audit:
        if r.action == "incident.phase":
            windows.append((start, r.at, phase))
            start, phase = r.at, str(r.details.get("new", phase))
    windows.append((start, record.end, phase))
    return [w for w in windows if w[1] > w[0]]


def scorecard(engine: Engine, incident_id: int, record: Record | None = None) -> Scorecard:
    with read_session(engine) as session:
        return of_session(session, record or records.load(session, incident_id))


def _period_posts(session: Session, record: Record, kind: str | None, *columns: Any) -> Any:
    """`columns` of the period's posts (of accounts of `kind`), oldest first, read in batches."""
    query = select(*columns).join(Account, Post.account_id == Account.id).where(record.in_period())
    if kind is not None:
        query = query.where(Account.kind == kind)
    return records.batched(session, query.order_by(Post.published, Post.id))


def of_session(session: Session, record: Record) -> Scorecard:
    """The scorecard, reading the posts in passes of batches: the website posts (kept, split into words,
    as every approved message is looked up among them), then the social posts, then who posted what."""
    incident = record.incident
    book = playbook.get(incident.playbook)
    card = Scorecard(incident.id, incident.title)
    approved = [m for m in record.messages if m.id in record.approvals]
    approved_at = {m.id: record.approvals[m.id].approved_at for m in approved}
    # Each text split into words once; "did the website carry it" is answered by playbooks.workflow.website.
    approved_texts = website.in_order(
        website.Approved.of(m.id, m.text, m.language, approved_at[m.id]) for m in approved
    )
    site = website_copies(
        (title, text, published)
        for title, text, published in _period_posts(session, record, "website", Post.title, Post.text, Post.published)
    )
    copies = sorted(c.published for c in site if website.carries_any(c, approved_texts))

    first_approval = min(approved_at.values(), default=None)
    card.add("time_to_first_approved_message", "R7", _minutes(first_approval - incident.opened_at) if first_approval else None,
             {"opened": incident.opened_at.isoformat(), "first_approval": first_approval.isoformat() if first_approval else None},
             "minutes from opening to the first approved message")  # fmt: skip
    card.add("time_to_first_website_copy", "R4", _minutes(copies[0] - incident.opened_at) if copies else None,
             {"first_website_copy": copies[0].isoformat() if copies else None}, "minutes from opening to the first website copy")  # fmt: skip

    # R3 cadence: each interval of the phase's cadence should contain a website update.
    intervals = hits = 0
    for start, end, phase in phase_windows(record):
        step = timedelta(minutes=incident.cadence_override or book.cadence(phase))
        t = start
        while t + step <= end:
            intervals += 1
            hits += any(t < c <= t + step for c in copies)
            t += step
    points = [incident.opened_at, *copies, record.end]
    gaps = [(b - a, a, b) for a, b in itertools.pairwise(points)]
    longest = max(gaps, default=None)
    card.add("cadence_adherence", "R3", round(hits / intervals, 3) if intervals else None,
             {"intervals": intervals, "with_update": hits}, "share of cadence intervals with a website update")  # fmt: skip
    card.add("longest_gap_minutes", "R3", _minutes(longest[0]) if longest else None,
             {"from": longest[1].isoformat(), "to": longest[2].isoformat()} if longest else None,
             "longest time without a website update")  # fmt: skip

    grace = timedelta(minutes=book.website_grace_minutes)
    parity = []
    social_posts = _period_posts(session, record, "social", Post.id, Post.guid, Post.title, Post.text, Post.published)
    for post in social_posts:
        social = website.SocialPost.of(post.id, post.guid, post.title, post.text, post.published)
        message = website.carried_message(social, approved_texts)
        if message is None:
            continue
        copy = website.first_website_copy(message, site)
        parity.append((post.guid, message.id, None if copy is None else copy.published - post.published))
    in_time = [p for p in parity if p[2] is not None and p[2] <= grace]
    delays = [p[2] for p in parity if p[2] is not None]
    slowest = max(delays, default=None)
    card.add("website_parity", "R4", round(len(in_time) / len(parity), 3) if parity else None,
             {"social_posts": len(parity), "on_website_in_time": len(in_time), "never": [p[0] for p in parity if p[2] is None],
              "slowest_minutes": _minutes(slowest)}, "share of social messages on the website within the grace period")  # fmt: skip

    kinds = Counter(f.kind for f in record.flags)
    card.add("unrouted_posts", "R1", kinds.get("unrouted", 0), [f.post_id for f in record.flags if f.kind == "unrouted"],
             "official posts that were not routed through the unit")  # fmt: skip
    card.add("contradictions", "R1", kinds.get("inconsistent", 0), [f.post_id for f in record.flags if f.kind == "inconsistent"],
             "posts contradicting the approved messages")  # fmt: skip
    # A draft's flag also names the warning's post: it is the draft's, not a post's.
    partner = [f for f in record.flags if f.kind == "contradicts_partner"]
    card.add("partner_contradictions", "R1", len(partner),
             {"posts": [f.post_id for f in partner if f.message_id is None],
              "messages": [f.message_id for f in partner if f.message_id is not None]},
             "drafts and official posts contradicting an active national or partner warning")  # fmt: skip
    rumours = [f for f in record.flags if f.kind == "rumour"]
    triaged = [f for f in rumours if f.first_triage_at]
    answered = [f for f in rumours if f.answer_message_id]
    answered_at = {r.object_id: r.at for r in record.audit if r.action == "flag.resolve"}
    card.add("rumours", "R2/R6", {"flagged": len(rumours), "triaged": len(triaged), "answered": len(answered)},
             {"median_minutes_to_triage": _median([f.first_triage_at - f.created_at for f in triaged if f.first_triage_at is not None]),
              "median_minutes_to_answer": _median([answered_at[str(f.id)] - f.created_at for f in answered if str(f.id) in answered_at])},
             "rumours flagged, triaged and answered with an approved message")  # fmt: skip
    latencies = [record.approvals[m.id].approved_at - m.submitted_at for m in approved if m.submitted_at is not None]
    card.add("approval_latency_minutes", "R1/R7", _median(latencies),
             {"max": _minutes(max(latencies)) if latencies else None, "approvals": len(latencies)},
             "median minutes from submission to approval")  # fmt: skip
    lix = {m.id: round(prechecks.lix(m.text), 1) for m in approved}
    card.add("readability_lix", "R3", round(statistics.mean(lix.values()), 1) if lix else None, lix,
             "mean LIX of the approved messages (lower is easier)")  # fmt: skip
    activity: dict[str, dict[str, int]] = {}
    flagged = Counter(f.post_id for f in record.flags)
    for post_id, account_id in _period_posts(session, record, None, Post.id, Post.account_id):
        row = activity.setdefault(account_id, {"posts": 0, "flags": 0})
        row["posts"] += 1
        row["flags"] += flagged.get(post_id, 0)
    card.add("account_activity", "R20", len(activity), activity, "posts and flags per account")
    return card


def _median(deltas: list[timedelta]) -> float | None:
    return _minutes(timedelta(seconds=statistics.median(d.total_seconds() for d in deltas))) if deltas else None


def timeline(engine: Engine, incident_id: int, record: Record | None = None) -> list[dict[str, Any]]:
    """Every post, flag, triage, draft, approval and publication, in time order (all of it in memory: the
    exports stream it instead, see record.timeline)."""
    with read_session(engine) as session:
        return list(records.timeline(session, record or records.load(session, incident_id)))


def timeline_tail(
    engine: Engine, incident_id: int, rows: int, record: Record | None = None
) -> tuple[int, list[dict[str, Any]]]:
    """How many events the timeline has and the latest `rows` of them, holding no more than those."""
    with read_session(engine) as session:
        latest: deque[dict[str, Any]] = deque(maxlen=rows)
        count = 0
        for event in records.timeline(session, record or records.load(session, incident_id)):
            count += 1
            latest.append(event)
    return count, list(latest)


def audit_section(engine: Engine, incident_id: int, record: Record | None = None) -> dict[str, Any]:
    record = record or load(engine, incident_id)
    chain = audit.verify(engine)
    return {
        "chain_ok": chain.ok, "chain_records": chain.records, "chain_head": chain.head, "problems": chain.problems,
        # The chain's newest head signed with the desk's key (outside the database): what anchors this export.
        "checkpoint": chain.checkpoint,
        "records": [{"seq": r.seq, "at": r.at.isoformat(), "actor": r.actor, "action": r.action, "object_type": r.object_type,
                     "object_id": r.object_id, "details": r.details, "prev_hash": r.prev_hash, "hash": r.hash} for r in record.audit],
    }  # fmt: skip
