"""Flags: the checks' findings stored once each, re-checked as time passes and approvals change, and
triaged by the unit (R6: assigned, escalated, answered with an approved message, or dismissed with a
reason; R7: the time to first triage is kept)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, func, or_, select
from sqlalchemy.orm import Session

from core.clock import now
from core.db import read_session, write_session
from playbooks import playbook
from playbooks.checks.findings import OFFICIAL, ApprovedMessage, Finding, IncidentContext, PostView, evaluate
from playbooks.checks.matching import Copy
from playbooks.workflow import audit, website
from playbooks.workflow.models import Approval, Flag, Incident, Message, User
from playbooks.workflow.roles import PERMISSIONS, require
from sources.models import PARTNER_KIND, Account, Organisation, Post
from sources.store import StoreStats, insert_ignoring_conflicts

OPEN_STATES = ("open", "assigned", "escalated")
RECHECK_WINDOW = timedelta(hours=48)


class TriageError(ValueError):
    pass


def incident_contexts(session: Session, incident_id: int | None = None) -> list[IncidentContext]:
    """What the checks compare posts with: every open incident (or the one asked for, open or not), its
    keywords and its approved messages in the order they were approved."""
    organisation = organisation_name(session)
    contexts = []
    query = select(Incident).order_by(Incident.id)
    query = (
        query.where(Incident.id == incident_id)
        if incident_id is not None
        else query.where(Incident.closed_at.is_(None))
    )
    for incident in session.scalars(query):
        rows = session.execute(
            select(Message.id, Message.text, Message.language, Message.replaces_id, Approval.approved_at)
            .join(Approval, Approval.message_id == Message.id)
            .where(Message.incident_id == incident.id)
        ).all()
        # A message no longer counts once a revision or correction of it is approved; a new update leaves
        # it standing, and supersedes only the facts it restates (the checks read facts in time).
        replaced: dict[int, datetime] = {}
        for _, _, _, replaces, at in rows:
            if replaces is not None and (replaces not in replaced or at < replaced[replaces]):
                replaced[replaces] = at
        messages = tuple(ApprovedMessage.of(mid, text, lang, at, replaced.get(mid)) for mid, text, lang, _, at in rows)
        book = playbook.get(incident.playbook)
        keywords = tuple(dict.fromkeys([*incident.keywords, *book.keywords]))
        contexts.append(IncidentContext(incident.id, keywords, incident.opened_at, messages, incident.title,
                                        organisation))  # fmt: skip
    return contexts


def organisation_name(session: Session) -> str:
    org = session.get(Organisation, 1)
    return org.name if org else ""


def official_names(session: Session) -> tuple[str, ...]:
    return tuple(session.scalars(select(Account.name).where(Account.kind.in_(OFFICIAL))))


def check_posts(session: Session, post_ids: list[int], contexts: list[IncidentContext] | None = None) -> int:
    """Run the checks on these posts and store new findings; returns how many flags were raised."""
    if not post_ids:
        return 0
    contexts = incident_contexts(session) if contexts is None else contexts
    # Read once per transaction, like the contexts: the poller checks many feeds' posts in one.
    if _NAMES not in session.info:
        session.info[_NAMES] = (organisation_name(session), official_names(session))
    organisation, officials = session.info[_NAMES]
    rows = session.execute(
        select(
            Post.id,
            Post.title,
            Post.text,
            Post.published,
            Post.language,
            Post.author,
            Account.kind,
            Account.name,
            Account.platform,
        )
        .join(Account, Post.account_id == Account.id)
        # Partner warnings are not posts to check: our texts are checked against them (workflow.partners).
        .where(Post.id.in_(post_ids), Account.kind != PARTNER_KIND)
    ).all()
    stamp = now()
    new_flags = []
    for post_id, title, text, published, lang, author, kind, name, platform in rows:
        view = PostView(text or "", published, kind, name, lang, title or "", author or "", platform or "")
        for finding in evaluate(view, contexts, organisation, officials):
            new_flags.append(_row(finding, post_id, stamp))
    return len(insert_ignoring_conflicts(session, Flag, new_flags, ["dedupe_key"]))


def _row(finding: Finding, post_id: int, stamp: datetime, key: str | None = None) -> dict[str, Any]:
    return {
        "dedupe_key": key or f"{finding.kind}:{finding.incident or '-'}:{post_id}",
        "kind": finding.kind, "rule": finding.rule, "score": finding.score, "status": "open",
        "incident_id": finding.incident, "post_id": post_id, "message_id": finding.message,
        "evidence": finding.evidence, "created_at": stamp, "updated_at": stamp,
    }  # fmt: skip


_CONTEXTS = "crisisdesk_incident_contexts"
_NAMES = "crisisdesk_registry_names"


def after_store(session: Session, account_id: str, stats: StoreStats) -> None:
    """The poller's hook: every new or changed post is checked in the transaction that stores it.

    The incidents and their approved messages are read once per transaction, not once per feed: the
    poller stores many feeds in one transaction, and approvals cannot change inside it."""
    if _CONTEXTS not in session.info:
        session.info[_CONTEXTS] = incident_contexts(session)
    check_posts(session, stats.new_post_ids + stats.changed_post_ids, session.info[_CONTEXTS])


def sweep(engine: Engine) -> int:
    """What time and approvals change: R4 website copies overdue, and posts re-checked after a new approval."""
    raised = 0
    with write_session(engine) as session:
        contexts = incident_contexts(session)
        for incident in session.scalars(select(Incident).where(Incident.closed_at.is_(None))):
            approvals = session.scalar(
                select(func.count()).select_from(Approval).join(Message, Message.id == Approval.message_id)
                .where(Message.incident_id == incident.id)
            ) or 0  # fmt: skip
            if approvals != incident.checked_approvals:
                since = max(incident.opened_at, now() - RECHECK_WINDOW)
                post_ids = list(session.scalars(select(Post.id).where(Post.published >= since)))
                raised += check_posts(session, post_ids, contexts)
                incident.checked_approvals = approvals
            raised += _missing_on_website(session, incident)
    return raised


def _missing_on_website(session: Session, incident: Incident) -> int:
    """R4: an approved message seen on an official social account must reach the website within the grace."""
    grace = timedelta(minutes=playbook.get(incident.playbook).website_grace_minutes)
    stamp = now()
    approved = [
        website.Approved.of(mid, text, lang, at)
        for mid, text, lang, at in session.execute(
            select(Message.id, Message.text, Message.language, Approval.approved_at)
            .join(Approval, Approval.message_id == Message.id)
            .where(Message.incident_id == incident.id).order_by(Approval.approved_at, Message.id)
        )
    ]  # fmt: skip
    if not approved:
        return 0
    posts = website.official_posts(session, incident.opened_at)
    rows = []
    for post in posts.social:
        message = website.carried_message(post, approved)
        if message is None:
            continue
        missing = website_copy_missing(post.published, message, posts.website, grace, stamp)
        if missing is None:
            continue
        finding = Finding("missing_on_website", 0.95, incident.id, message.id, evidence=missing)
        rows.append(_row(finding, post.id, stamp, key=f"missing_on_website:{incident.id}:{post.id}:{message.id}"))
    return len(insert_ignoring_conflicts(session, Flag, rows, ["dedupe_key"]))


def website_copy_missing(
    social_published: datetime,
    message: website.Approved,
    website_copies: list[Copy],
    grace: timedelta,
    at: datetime,
) -> dict[str, Any] | None:
    """R4 for one social post carrying one approved message: the evidence if no website post carried the
    message within the grace period, else None."""
    if at - social_published <= grace:
        return None
    copy = website.first_website_copy(message, website_copies)
    if copy is not None and copy.published <= social_published + grace:
        return None
    late = website.first_website_copy(message, website_copies, not_before=social_published + grace)
    return {
        "social_post_published": social_published.isoformat(), "grace_minutes": int(grace.total_seconds() // 60),
        "waited_minutes": int((at - social_published).total_seconds() // 60),
        "website_copy": late.published.isoformat() if late else None,
    }  # fmt: skip


# --- reading -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FlagView:
    flag: Flag
    account: str
    account_kind: str
    guid: str
    link: str | None
    published: datetime
    title: str
    text: str

    def as_dict(self) -> dict[str, Any]:
        f = self.flag
        return {
            "id": f.id, "kind": f.kind, "rule": f.rule, "score": f.score, "status": f.status,
            "incident": f.incident_id, "account": self.account, "account_kind": self.account_kind,
            "post": {"guid": self.guid, "link": self.link, "published": self.published.isoformat(),
                     "title": self.title, "text": self.text},
            "message": f.message_id, "evidence": f.evidence, "created_at": f.created_at.isoformat(),
            "assigned_to": f.assigned_to, "first_triage_at": f.first_triage_at.isoformat() if f.first_triage_at else None,
            "answer_message": f.answer_message_id, "reason": f.reason,
        }  # fmt: skip


def list_flags(engine: Engine, *, incident: int | None = None, kind: str | None = None, status: str = "open",
               limit: int | None = None, unattached: bool = False) -> list[FlagView]:  # fmt: skip
    """Flags, newest first. With `incident` and `unattached`, the flags that belong to no incident (a
    look-alike account speaking in the organisation's name concerns every open incident) come first, then
    the incident's own."""
    query = (
        select(Flag, Post.account_id, Account.kind, Post.guid, Post.link, Post.published, Post.title, Post.text)
        .join(Post, Flag.post_id == Post.id)
        .join(Account, Post.account_id == Account.id)
        .order_by(Flag.created_at.desc(), Flag.score.desc(), Flag.id.desc())
    )
    if incident is not None and unattached:
        query = (
            query.where(or_(Flag.incident_id == incident, Flag.incident_id.is_(None)))
            .order_by(None)
            .order_by(Flag.incident_id.is_not(None), Flag.created_at.desc(), Flag.score.desc(), Flag.id.desc())
        )
    elif incident is not None:
        query = query.where(Flag.incident_id == incident)
    if kind:
        query = query.where(Flag.kind == kind)
    if status == "open":
        query = query.where(Flag.status.in_(OPEN_STATES))
    if limit:
        query = query.limit(limit)
    with read_session(engine) as session:
        return [FlagView(*row) for row in session.execute(query)]


def for_review(engine: Engine, incident_id: int) -> list[FlagView]:
    """Every flag of the incident, with the flags that belong to no incident raised while it was open
    (an impersonator during the incident is part of its review), oldest first."""
    with read_session(engine) as session:
        incident = session.get(Incident, incident_id)
        if incident is None:
            return []
        opened, closed = incident.opened_at, incident.closed_at
    query = (
        select(Flag, Post.account_id, Account.kind, Post.guid, Post.link, Post.published, Post.title, Post.text)
        .join(Post, Flag.post_id == Post.id)
        .join(Account, Post.account_id == Account.id)
        .order_by(Flag.created_at, Flag.id)
    )
    unattached = Flag.incident_id.is_(None) & (Flag.created_at >= opened)
    if closed is not None:
        unattached = unattached & (Flag.created_at <= closed)
    query = query.where(or_(Flag.incident_id == incident_id, unattached))
    with read_session(engine) as session:
        return [FlagView(*row) for row in session.execute(query)]


# --- triage (R6, R7) ---------------------------------------------------------------------------------


def _can_take(session: Session, name: str, action: str) -> None:
    """A flag goes only to an active user whose role triages flags (an analyst or a lead)."""
    user = session.get(User, name)
    if user is None or user.disabled:
        raise TriageError(f"cannot {action} to {name!r}: no such active user" + (" (disabled)" if user else ""))
    if user.role not in PERMISSIONS["flag.triage"]:
        raise TriageError(f"cannot {action} to {name!r}: a {user.role} does not triage flags "
                          f"({' or '.join(sorted(PERMISSIONS['flag.triage']))} only)")  # fmt: skip


def triage(engine: Engine, flag_id: int, action: str, *, by: str, to: str | None = None, reason: str | None = None,
           message: int | None = None) -> Flag:  # fmt: skip
    if action not in ("assign", "escalate", "dismiss", "resolve"):
        raise TriageError(f"unknown triage action {action!r}")
    with write_session(engine) as session:
        require(session, by, "flag.triage")
        flag = session.get(Flag, flag_id)
        if flag is None:
            raise TriageError(f"no flag {flag_id}")
        if flag.status not in OPEN_STATES:
            raise TriageError(f"flag {flag_id} is {flag.status} already")
        stamp = now()
        if action == "assign":
            target = to or by
            _can_take(session, target, "assign")
            flag.status, flag.assigned_to = "assigned", target
        elif action == "escalate":
            if to:
                _can_take(session, to, "escalate")
            flag.status, flag.reason = "escalated", (reason or "").strip() or None
            if to:
                flag.assigned_to = to
        elif action == "dismiss":
            if not (reason or "").strip():
                raise TriageError("dismissing a flag needs a reason (--reason)")
            flag.status, flag.reason = "dismissed", reason.strip() if reason else None
        else:
            if flag.kind == "rumour" and message is None:
                raise TriageError("resolving a rumour points to the approved message that answers it (--message)")
            if message is not None:
                answer = session.get(Message, message)
                approved = session.scalar(select(Approval.id).where(Approval.message_id == message))
                if answer is None or approved is None:
                    raise TriageError(f"message {message} is not an approved message")
                if flag.incident_id is not None and answer.incident_id != flag.incident_id:
                    raise TriageError(f"message {message} belongs to another incident ({answer.incident_id}), "
                                      f"not to this flag's ({flag.incident_id})")  # fmt: skip
                flag.answer_message_id = message
            flag.status, flag.reason = "resolved", (reason or "").strip() or None
        flag.first_triage_at = flag.first_triage_at or stamp
        flag.triaged_by, flag.updated_at = by, stamp
        audit.append(session, by, f"flag.{action}", "flag", flag_id, to=to, reason=reason, message=message,
                     kind=flag.kind, seconds_to_triage=int((flag.first_triage_at - flag.created_at).total_seconds()))  # fmt: skip
        return flag
