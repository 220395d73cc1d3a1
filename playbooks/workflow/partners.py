"""Flags for contradicting a partner warning (issue 14, item 4), raised and resolved as warnings come
and go.

- A draft is compared with the partner warnings in force when it is submitted, and again whenever the
  warnings change while it waits, is approved or is live: the approving lead sees the flag before
  approving (`for_message`). The flag hangs on the partner warning's post, with the message beside it.
- A post on an official account is compared when it is stored, and again when the warnings change.
- When the warning it contradicts is no longer in force (cancelled, updated, expired, no longer
  listed), the flag is resolved by the desk itself, with the reason, in the audit log; should the same
  warning be in force again, the desk reopens that flag (on record). A flag a person resolved or
  dismissed stays as they left it.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from core.clock import now
from core.db import read_session, write_session
from playbooks.checks import partners as check
from playbooks.workflow import audit, flags
from playbooks.workflow.flags import OPEN_STATES
from playbooks.workflow.models import Flag, Incident, Message
from sources.models import OFFICIAL_KINDS, Account, Post
from sources.partnerstate import PartnerState, PartnerWarning, partner_state, state_of
from sources.partnerstate import read as read_warnings
from sources.store import StoreStats, insert_ignoring_conflicts

KIND = "contradicts_partner"
# Messages on their way or live, and official posts this recent, are compared again when warnings change.
MESSAGE_STATES = ("submitted", "approved", "published")
RECHECK_WINDOW = timedelta(hours=48)
SYSTEM_ACTOR = "crisisdesk"
# The words of the line added to a submitted draft's checks; stored in English, shown translated
# (dashboard.i18n.check_line).
CONTRADICTS = "contradicts the partner warning"
_STATE = "crisisdesk_partner_state"
_LAST_SEEN: dict[str, str] = {}  # database → fingerprint of the warnings in force at the last sweep


def _state(session: Session) -> PartnerState:
    """The warnings in force, read once per transaction."""
    if _STATE not in session.info:
        at = now()
        session.info[_STATE] = state_of(read_warnings(session, at), at)
    state: PartnerState = session.info[_STATE]
    return state


def _partner_text(warning: PartnerWarning, language: str | None) -> check.PartnerText:
    text, lang = warning.text_in(language)
    texts = warning.warning.get("texts") or {}
    same = [b.get("headline") for code, b in texts.items() if lang and code.lower().split("-")[0] == lang]
    headline = next((h for h in same if h), None) or warning.headline or warning.identifier
    return check.PartnerText(warning.post_id, warning.identifier, str(headline), text, lang,
                             warning.sender_name or warning.sender, warning.severity)  # fmt: skip


def _findings(text: str, language: str | None, active: list[PartnerWarning]) -> list[tuple[PartnerWarning, dict[str, Any], float]]:  # fmt: skip
    found = []
    for warning in active:
        partner = _partner_text(warning, language)
        conflicts = check.contradictions(text, language, partner)
        if conflicts:
            found.append((warning, check.evidence(text, partner, conflicts), check.score(conflicts)))
    return found


def _row(key: str, *, post_id: int, message_id: int | None, incident_id: int | None, evidence: dict[str, Any],
         score: float, stamp: datetime) -> dict[str, Any]:  # fmt: skip
    return {
        "dedupe_key": key, "kind": KIND, "rule": check.RULE, "score": score, "status": "open",
        "incident_id": incident_id, "post_id": post_id, "message_id": message_id, "evidence": evidence,
        "created_at": stamp, "updated_at": stamp,
    }  # fmt: skip


def check_message(session: Session, message: Message) -> list[str]:
    """Compare a message with the warnings in force; flag each contradiction once. Returns one line per
    contradicted warning, for the checks an approver reads."""
    stamp = now()
    rows, lines = [], []
    for warning, found, score in _findings(message.text, message.language, _state(session).active):
        rows.append(_row(f"{KIND}:message:{message.id}:{warning.post_id}", post_id=warning.post_id,
                         message_id=message.id, incident_id=message.incident_id, evidence=found, score=score,
                         stamp=stamp))  # fmt: skip
        said = "; ".join(f"{c['partner_text']} ≠ {c['our_text']}" for c in found["partner_conflicts"])
        lines.append(f"{check.RULE}: {CONTRADICTS} “{found['partner_headline']}” "
                     f"({found['partner_sender'] or warning.account_name}): {said}")  # fmt: skip
    _raise(session, rows)
    return lines


def _raise(session: Session, rows: list[dict[str, Any]]) -> int:
    """Insert the flags not raised before; reopen those the desk resolved (their warning had ended) now
    that the same warning is in force again. A flag a person resolved or dismissed stays as they left it.
    Returns how many were raised or reopened."""
    raised = len(insert_ignoring_conflicts(session, Flag, rows, ["dedupe_key"]))
    if not rows:
        return raised
    by_key = {row["dedupe_key"]: row for row in rows}
    stamp = now()
    for flag in session.scalars(select(Flag).where(Flag.dedupe_key.in_(list(by_key)), Flag.status == "resolved")):
        if flag.evidence.get("resolved_by") != SYSTEM_ACTOR:
            continue
        flag.status, flag.reason, flag.updated_at = "open", None, stamp
        flag.evidence = by_key[flag.dedupe_key]["evidence"]
        audit.append(session, SYSTEM_ACTOR, "flag.reopen", "flag", flag.id, kind=KIND,
                     reason="the partner warning is in force again", partner_post=flag.evidence.get("partner_post"))  # fmt: skip
        raised += 1
    return raised


def check_posts(session: Session, post_ids: list[int]) -> int:
    """Compare posts of official accounts with the warnings in force; returns how many flags were raised."""
    if not post_ids:
        return 0
    query = (
        select(Post.id, Post.title, Post.text, Post.language)
        .join(Account, Post.account_id == Account.id)
        .where(Post.id.in_(post_ids), Account.kind.in_(OFFICIAL_KINDS))
    )
    posts = session.execute(query).all()
    # Most stored posts are not the organisation's own: the warnings are read only when there is one.
    active = _state(session).active if posts else []
    if not active:
        return 0
    stamp = now()
    rows = []
    for post_id, title, text, lang in posts:
        content = "\n".join(p for p in (title, text) if p)
        for warning, found, score in _findings(content, lang, active):
            rows.append(_row(f"{KIND}:post:{post_id}:{warning.post_id}", post_id=post_id, message_id=None,
                             incident_id=None, evidence=found, score=score, stamp=stamp))  # fmt: skip
    return _raise(session, rows)


def after_store(session: Session, account_id: str, stats: StoreStats) -> None:
    """The poller's hook: official posts are compared with the warnings in force as they are stored."""
    check_posts(session, stats.new_post_ids + stats.changed_post_ids)


def _fingerprint(state: PartnerState) -> str:
    keys = sorted(f"{w.post_id}:{w.post_version}" for w in state.active)
    return hashlib.sha256("\n".join(keys).encode()).hexdigest()


def sweep(engine: Engine, *, force: bool = False) -> tuple[int, int]:
    """Resolve the flags whose warning is no longer in force; when the warnings in force changed, compare
    the messages on their way or live, and recent official posts, again. Returns (raised, resolved)."""
    raised = resolved = 0
    with write_session(engine) as session:
        state = _state(session)
        resolved = _resolve_ended(session, state)
        key = engine.url.render_as_string(hide_password=True)
        fingerprint = _fingerprint(state)
        if state.active and (force or _LAST_SEEN.get(key) != fingerprint):
            messages = session.scalars(
                select(Message)
                .join(Incident, Incident.id == Message.incident_id)
                .where(Incident.closed_at.is_(None), Message.state.in_(MESSAGE_STATES))
            )
            before = _open_count(session)
            for message in messages:
                check_message(session, message)
            since = now() - RECHECK_WINDOW
            post_ids = list(
                session.scalars(
                    select(Post.id)
                    .join(Account, Post.account_id == Account.id)
                    .where(Account.kind.in_(OFFICIAL_KINDS), Post.published >= since)
                )
            )
            check_posts(session, post_ids)
            raised = _open_count(session) - before
        _LAST_SEEN[key] = fingerprint
    return raised, resolved


def _open_count(session: Session) -> int:
    return len(list(session.scalars(select(Flag.id).where(Flag.kind == KIND, Flag.status.in_(OPEN_STATES)))))


def _resolve_ended(session: Session, state: PartnerState) -> int:
    """Flags whose partner warning is no longer in force are resolved by the desk, with the reason."""
    active = {w.post_id for w in state.active}
    stamp = now()
    count = 0
    for flag in session.scalars(select(Flag).where(Flag.kind == KIND, Flag.status.in_(OPEN_STATES))):
        partner_post = flag.evidence.get("partner_post")
        if partner_post in active:
            continue
        identifier = str(flag.evidence.get("partner_identifier") or "")
        why = state.ended.get(identifier) or "no longer in force"
        flag.status, flag.updated_at = "resolved", stamp
        flag.reason = f"the partner warning {identifier} is {why}"
        # Marked as the desk's own resolution: reopened should the same warning be in force again.
        flag.evidence = {**flag.evidence, "resolved_by": SYSTEM_ACTOR}
        audit.append(session, SYSTEM_ACTOR, "flag.resolve", "flag", flag.id, kind=KIND, reason=flag.reason,
                     partner_post=partner_post)  # fmt: skip
        count += 1
    return count


def for_message(engine: Engine, message_id: int) -> list[Flag]:
    """The open partner contradictions of a message: what the approving lead must see before approving."""
    with read_session(engine) as session:
        return list(
            session.scalars(
                select(Flag)
                .where(Flag.kind == KIND, Flag.message_id == message_id, Flag.status.in_(OPEN_STATES))
                .order_by(Flag.id)
            )
        )


def active_warnings(engine: Engine, at: datetime | None = None) -> PartnerState:
    """The partner warnings in force, and the test and exercise messages apart (for the live monitor)."""
    return partner_state(engine, at)


def poller_after_store(session: Session, account_id: str, stats: StoreStats) -> None:
    """Every check the poller runs on stored posts: the flags' own, then the partner comparison."""
    flags.after_store(session, account_id, stats)
    after_store(session, account_id, stats)


def poller_after_pass(engine: Engine) -> None:
    """Every sweep the poller runs after a pass: the flags' own, then the partner warnings', each whatever
    became of the other (the poller logs a failure and goes on)."""
    try:
        flags.sweep(engine)
    finally:
        sweep(engine)
