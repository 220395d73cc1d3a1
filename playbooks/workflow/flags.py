"""Flags: the checks' findings stored once each, re-checked as time passes and approvals change, and
triaged by the unit (R6: assigned, escalated, answered with an approved message, or dismissed with a
reason; R7: the time to first triage is kept)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, or_, select
from sqlalchemy.orm import Session

from core.clock import now
from core.db import read_session, write_session
from playbooks import playbook
from playbooks.checks import tokens
from playbooks.checks.findings import (
    BEFORE_OPENING,
    OFFICIAL,
    ApprovedMessage,
    Finding,
    IncidentContext,
    PostView,
    evaluate,
)
from playbooks.checks.matching import words_of
from playbooks.workflow import audit, inputs, parity
from playbooks.workflow.models import Approval, Flag, Incident, IncidentSweep, Message, User
from playbooks.workflow.roles import PERMISSIONS, require
from sources.models import PARTNER_KIND, Account, Organisation, Post
from sources.store import StoreStats, insert_ignoring_conflicts

OPEN_STATES = ("open", "assigned", "escalated")
RECHECK_WINDOW = timedelta(hours=48)
MAX_REASON = 20_000  # characters; a reason is a sentence or two, never a document


class TriageError(ValueError):
    pass


def incident_contexts(session: Session, incident_id: int | None = None) -> list[IncidentContext]:
    """What the checks compare posts with: every open incident (or the one asked for, open or not), its
    keywords and its approved messages in the order they were approved."""
    organisation = organisation_name(session)
    query = select(Incident).order_by(Incident.id)
    query = (
        query.where(Incident.id == incident_id)
        if incident_id is not None
        else query.where(Incident.closed_at.is_(None))
    )
    return [_context(session, incident, organisation) for incident in session.scalars(query)]


def _approval_rows(session: Session, incident_id: int) -> list[tuple[int, str, str, int | None, datetime]]:
    return [
        (mid, text, lang, replaces, at)
        for mid, text, lang, replaces, at in session.execute(
            select(Message.id, Message.text, Message.language, Message.replaces_id, Approval.approved_at)
            .join(Approval, Approval.message_id == Message.id)
            .where(Message.incident_id == incident_id)
        )
    ]


def _context(
    session: Session,
    incident: Incident,
    organisation: str,
    rows: list[tuple[int, str, str, int | None, datetime]] | None = None,
) -> IncidentContext:
    rows = _approval_rows(session, incident.id) if rows is None else rows
    # A message no longer counts once a revision or correction of it is approved; a new update leaves
    # it standing, and supersedes only the facts it restates (the checks read facts in time).
    replaced: dict[int, datetime] = {}
    for _, _, _, replaces, at in rows:
        if replaces is not None and (replaces not in replaced or at < replaced[replaces]):
            replaced[replaces] = at
    messages = tuple(ApprovedMessage.of(mid, text, lang, at, replaced.get(mid)) for mid, text, lang, _, at in rows)
    book = playbook.get(incident.playbook)
    keywords = tuple(dict.fromkeys([*incident.keywords, *book.keywords]))
    return IncidentContext(incident.id, keywords, incident.opened_at, messages, incident.title, organisation)


def organisation_name(session: Session) -> str:
    org = session.get(Organisation, 1)
    return org.name if org else ""


def official_names(session: Session) -> tuple[str, ...]:
    return tuple(session.scalars(select(Account.name).where(Account.kind.in_(OFFICIAL))))


def check_posts(session: Session, post_ids: list[int], contexts: list[IncidentContext] | None = None) -> int:
    """Run the checks on these posts and store new findings; returns how many flags were raised."""
    if not post_ids:
        return 0
    new_flags = findings_of(session, post_ids, incident_contexts(session) if contexts is None else contexts)
    return len(insert_ignoring_conflicts(session, Flag, new_flags, ["dedupe_key"]))


def findings_of(session: Session, post_ids: list[int], contexts: list[IncidentContext]) -> list[dict[str, Any]]:
    """The flag rows the checks find in these posts (read only: the sweep runs them outside its write)."""
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
    return new_flags


def _row(finding: Finding, post_id: int, stamp: datetime, key: str | None = None) -> dict[str, Any]:
    return {
        "dedupe_key": key or f"{finding.kind}:{finding.incident or '-'}:{post_id}",
        "kind": finding.kind, "rule": finding.rule, "score": finding.score, "status": "open",
        "incident_id": finding.incident, "post_id": post_id, "message_id": finding.message,
        "evidence": finding.evidence, "created_at": stamp, "updated_at": stamp,
    }  # fmt: skip


_CONTEXTS = "crisisdesk_incident_contexts"
_NAMES = "crisisdesk_registry_names"
_KINDS = "crisisdesk_account_kinds"


def after_store(session: Session, account_id: str, stats: StoreStats) -> None:
    """The poller's hook: every new or changed post is checked in the transaction that stores it.

    The incidents and their approved messages are read once per transaction, not once per feed: the
    poller stores many feeds in one transaction, and approvals cannot change inside it."""
    if _CONTEXTS not in session.info:
        session.info[_CONTEXTS] = incident_contexts(session)
    post_ids = stats.new_post_ids + stats.changed_post_ids
    check_posts(session, post_ids, session.info[_CONTEXTS])
    kinds = session.info.setdefault(_KINDS, {})
    if account_id not in kinds:
        kinds[account_id] = session.scalar(select(Account.kind).where(Account.id == account_id))
    parity.enqueue(session, kinds[account_id], post_ids, now())


@dataclass
class SweepReport:
    raised: int = 0
    examined: int = 0  # official social posts compared with the website (R4)
    indexed: int = 0  # (approved message, website post) pairs compared to index website copies
    rechecked: int = 0  # posts run through the checks again after a new approval
    whole_window: bool = False  # a new approval that can change any post's findings: the window re-checked


def sweep(engine: Engine) -> int:
    """What time and approvals change: R4 website copies overdue, and posts re-checked after a new approval."""
    return sweep_report(engine).raised


def sweep_report(engine: Engine) -> SweepReport:
    """`sweep`, saying how much it looked at. It reads what changed since it last ran (the posts the poller
    queued, the approvals it had not seen, the grace periods ended since), works out the flags outside any
    write transaction, and writes them in one short transaction of its own."""
    at = now()
    report = SweepReport()
    plans: list[tuple[int, parity.IncidentParity, list[int]]] = []
    recheck: set[int] = set()
    with read_session(engine) as session:
        queued = parity.read_queue(session)
        incidents = list(session.scalars(select(Incident).where(Incident.closed_at.is_(None)).order_by(Incident.id)))
        states = {
            s.incident_id: s
            for s in session.scalars(
                select(IncidentSweep).where(IncidentSweep.incident_id.in_([i.id for i in incidents]))
            )
        }
        organisation = organisation_name(session)
        for incident in incidents:
            state = states.get(incident.id)
            rows = _approval_rows(session, incident.id)
            ids = sorted(mid for mid, *_ in rows)
            window = select(Post.id).where(
                Post.published >= max(incident.opened_at - BEFORE_OPENING, at - RECHECK_WINDOW)
            )
            new: set[int] | None = None
            if state is None:
                # First swept since it opened (or since revision 0010): the posts of the hours before the
                # opening, stored when no incident was open, are weighed against it now.
                recheck.update(session.scalars(window))
                report.whole_window = True
            else:
                new = set(ids) - set(state.approved_messages)
                if new:
                    affected = _affected(session, incident, organisation, rows, new, at)
                    if affected is None:
                        recheck.update(session.scalars(window))
                        report.whole_window = True
                    else:
                        recheck.update(affected)
            found = parity.sweep_incident(
                session,
                opened_at=incident.opened_at,
                grace=timedelta(minutes=playbook.get(incident.playbook).website_grace_minutes),
                messages=parity.approved(session, incident.id),
                new_messages=new,
                swept_at=state.swept_at if state else None,
                queued=queued,
                at=at,
            )
            report.examined += found.examined
            report.indexed += found.indexed
            plans.append((incident.id, found, ids))
        flag_rows = findings_of(session, sorted(recheck), incident_contexts(session)) if recheck else []
        report.rechecked = len(recheck)
    for incident_id, found, _ in plans:
        for post_id, message_id, evidence in found.findings:
            finding = Finding("missing_on_website", 0.95, incident_id, message_id, evidence=evidence)
            flag_rows.append(_row(finding, post_id, at, key=f"missing_on_website:{incident_id}:{post_id}:{message_id}"))
    with write_session(engine) as session:
        report.raised = len(insert_ignoring_conflicts(session, Flag, flag_rows, ["dedupe_key"]))
        for incident_id, found, ids in plans:
            parity.write(session, found)
            state = session.get(IncidentSweep, incident_id)
            if state is None:
                session.add(IncidentSweep(incident_id=incident_id, swept_at=at, approved_messages=ids))
            else:
                state.swept_at, state.approved_messages = at, ids
        parity.consume(session, queued.queue_ids)
    return report


# A post stored by a transaction that read the approvals just before a new one was committed was checked
# without it: posts stored this long before a new approval are re-checked with it.
_STORE_SLACK = timedelta(minutes=10)


def _affected(
    session: Session,
    incident: Incident,
    organisation: str,
    rows: list[tuple[int, str, str, int | None, datetime]],
    new: set[int],
    at: datetime,
) -> list[int] | None:
    """The posts of the re-check window whose findings the new approvals can change, or None for all.

    A post published before a new approval is compared only with the facts approved before it, so the
    new message can change its findings only by making it about the incident: by one of the key terms
    the message adds (a word with its stem) or by sharing words with it. A revision or correction changes
    which earlier messages count, and the incident's first approval (or one that changes its language)
    changes every key term: those re-check the whole window, as every approval did before."""
    fresh = [row for row in rows if row[0] in new]
    if any(replaces is not None for _, _, _, replaces, _ in fresh):
        return None
    before = _context(session, incident, organisation, [row for row in rows if row[0] not in new])
    after = _context(session, incident, organisation, rows)
    if not before.messages or before.language != after.language:
        return None
    stems = after.key_terms.stems - before.key_terms.stems
    words = frozenset().union(*(m.words for m in after.messages if m.id in new))
    first = min(m.approved_at for m in after.messages if m.id in new)
    affected = []
    for post_id, title, text, language, published, updated in session.execute(
        select(Post.id, Post.title, Post.text, Post.language, Post.published, Post.updated_at).where(
            Post.published >= max(incident.opened_at - BEFORE_OPENING, at - RECHECK_WINDOW)
        )
    ):
        if published >= first or updated >= first - _STORE_SLACK:
            affected.append(post_id)
            continue
        view = PostView(text or "", published, None, language=language, title=title or "")
        if words_of(view.content) & words or any(
            tokens.stem(w, view.lang) in stems for w in tokens.content_words(view.content, view.lang)
        ):
            affected.append(post_id)
    return affected


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
    if reason is not None and reason.strip():
        # The reason goes into the review's exports: no terminal escape or bidi override may ride along.
        reason = inputs.checked(reason, what="reason", missing="a reason needs visible text", limit=MAX_REASON,
                                single_line=False, error=TriageError)  # fmt: skip
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
