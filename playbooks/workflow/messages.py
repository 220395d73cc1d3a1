"""The routing workflow (R1): draft → submit → approve (a lead who is not the author) → publish.

Approval binds to the SHA-256 of the exact text approved; publishing re-checks it. A revision, a repeat
or a correction is a new message linked to the one it replaces, which stays live (and on record) until
its successor is published (R8).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.clock import now
from core.db import read_session, write_session
from playbooks import playbook
from playbooks.checks import drafts as prechecks
from playbooks.workflow import audit, crisisfeed, inputs
from playbooks.workflow import partners as partner_flags
from playbooks.workflow.incidents import require_open
from playbooks.workflow.models import Approval, AuditRecord, Incident, Message
from playbooks.workflow.roles import require
from playbooks.workflow.versions import older_versions, same_language, stale_reason
from sources import language as lang_detect

MAX_TEXT = 20_000


_DONE = {
    "submit": "submitted", "approve": "approved", "reject": "rejected", "revise": "revised",
    "correct": "corrected", "repeat": "repeated", "publish": "published", "withdraw": "withdrawn",
}  # fmt: skip
# Earlier versions that can no longer go live once a newer one is published.


class WorkflowError(ValueError):
    pass


class FourEyesViolation(WorkflowError):
    pass


@dataclass(frozen=True)
class Publication:
    """What publishing did: the version it replaced on the feed, the earlier versions it withdrew, and
    anything that went wrong after the publication was committed (it stands; the warning says what to do)."""

    message_id: int
    superseded: list[int] = field(default_factory=list)
    withdrawn: list[int] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def draft(engine: Engine, incident_id: int, text: str, *, by: str, lang: str | None = None) -> int:
    text, lang = _clean_text(text), _clean_lang(lang)
    with write_session(engine) as session:
        return _draft(session, incident_id, text, by=by, lang=lang).id


def draft_and_submit(engine: Engine, incident_id: int, text: str, *, by: str,
                     lang: str | None = None) -> tuple[int, prechecks.Precheck]:  # fmt: skip
    """Draft and submit in one transaction: either both are on record or neither is. A text that still
    holds the template's placeholders is refused: it is not finished."""
    text, lang = _clean_text(text), _clean_lang(lang)
    with write_session(engine) as session:
        require(session, by, "message.submit")
        message = _draft(session, incident_id, text, by=by, lang=lang)
        incident = session.get(Incident, incident_id)
        assert incident is not None  # _draft checked it
        if left := placeholders(text, playbook.get(incident.playbook).templates.get(message.language, "")):
            raise WorkflowError(f"the message still holds the template's placeholders ({', '.join(left)}): "
                                f"fill them in or remove them")  # fmt: skip
        return message.id, _submit(session, message, by=by)


def correct_and_submit(engine: Engine, message_id: int, text: str, *, by: str) -> int:
    """R8 in one step: a correction of a published message, submitted for approval in the same transaction."""
    text = _clean_text(text)
    with write_session(engine) as session:
        require(session, by, "message.correct")
        require(session, by, "message.submit")
        original = _in_state(session, message_id, "correct", ("published",))
        incident = require_open(session, original.incident_id)
        message = _new(session, incident, text, by=by, lang=original.language, kind="correction", replaces=original.id)
        audit.append(session, by, "message.correct", "message", message.id, replaces=original.id,
                     incident=incident.id, text_hash=message.text_hash)  # fmt: skip
        _submit(session, message, by=by)
        return message.id


def submit(engine: Engine, message_id: int, *, by: str) -> prechecks.Precheck:
    with write_session(engine) as session:
        require(session, by, "message.submit")
        message = _in_state(session, message_id, "submit", ("draft",))
        require_open(session, message.incident_id)
        return _submit(session, message, by=by)


def approve(engine: Engine, message_id: int, *, by: str) -> None:
    with write_session(engine) as session:
        require(session, by, "message.approve")
        message = _in_state(session, message_id, "approve", ("submitted",))
        require_open(session, message.incident_id)
        if message.author == by:
            raise FourEyesViolation(f"message {message_id} was written by {by}: a different lead must approve it")
        if text_hash(message.text) != message.text_hash:
            raise WorkflowError(f"message {message_id}: its text does not match its hash; it cannot be approved")
        _refuse_stale(session, message, "approved")
        session.add(Approval(message_id=message.id, author=message.author, approver=by,
                             text_hash=message.text_hash, approved_at=now()))  # fmt: skip
        message.state = "approved"
        try:
            session.flush()
        except IntegrityError as exc:  # a concurrent approval won, or the database's four-eyes check fired
            raise WorkflowError(f"message {message_id} cannot be approved: {exc.orig}") from exc
        audit.append(session, by, "message.approve", "message", message_id, text_hash=message.text_hash)


def reject(engine: Engine, message_id: int, *, by: str, reason: str) -> None:
    # The reason goes into the review (Markdown, CSV, PDF): a terminal escape or a bidi override there
    # would rewrite or reorder what the reader of the review sees.
    reason = inputs.checked(reason, what="rejection reason", missing="a rejection needs a reason (--reason)",
                            limit=MAX_TEXT, single_line=False, error=WorkflowError)  # fmt: skip
    with write_session(engine) as session:
        require(session, by, "message.reject")
        message = _in_state(session, message_id, "reject", ("submitted",))
        require_open(session, message.incident_id)
        message.state, message.rejected_reason = "rejected", reason
        audit.append(session, by, "message.reject", "message", message_id, reason=reason)


def withdraw(engine: Engine, message_id: int, *, by: str) -> None:
    """The author takes back a draft of their own, submitted or never submitted: it stays on record as
    withdrawn and can no longer be approved or published. Nobody withdraws another person's draft."""
    with write_session(engine) as session:
        require(session, by, "message.draft")
        message = _in_state(session, message_id, "withdraw", ("draft", "submitted"))
        if message.author != by:
            raise WorkflowError(f"message {message_id} was written by {message.author}: only its author withdraws it")
        message.state = "withdrawn"
        audit.append(session, by, "message.withdraw", "message", message_id, incident=message.incident_id,
                     text_hash=message.text_hash)  # fmt: skip


def revise(engine: Engine, message_id: int, text: str, *, by: str) -> int:
    """A new version that needs its own approval; the one it revises stays as it is until then."""
    return _successor(engine, message_id, _clean_text(text), by=by, kind="update", action="revise",
                      allowed=("draft", "submitted", "approved", "rejected", "published"))  # fmt: skip


def correct(engine: Engine, message_id: int, text: str, *, by: str) -> int:
    """R8: a correction of a published message: linked to it, replacing it once published, never deleting it."""
    return _successor(engine, message_id, _clean_text(text), by=by, kind="correction", action="correct",
                      allowed=("published",))  # fmt: skip


def repeat(engine: Engine, incident_id: int, *, by: str, lang: str | None = None) -> int:
    """R3: the current message again, unchanged, submitted for approval when an update falls due."""
    lang = _clean_lang(lang)
    current = current_messages(engine, incident_id)
    if not current:
        raise WorkflowError(f"incident {incident_id} has no published message to repeat")
    source = current.get(lang) if lang else max(current.values(), key=lambda m: m.published_at or m.created_at)
    if source is None:
        raise WorkflowError(f"incident {incident_id} has no published message in {lang!r}")
    with write_session(engine) as session:
        require(session, by, "message.repeat")
        # The source row locked (PostgreSQL; SQLite's write transaction holds the lock already): two leads
        # clicking Repeat at once make one repeat, and the second is told which one waits.
        original = session.get(Message, source.id, with_for_update=True)
        if original is None or original.state != "published":
            raise WorkflowError(f"message {source.id} is no longer the live message: reload and look again")
        if waiting := pending_repeat(session, original.id):
            raise WorkflowError(f"a repeat of message {original.id} waits already: message {waiting}")
        incident = require_open(session, original.incident_id)
        message = _new(session, incident, original.text, by=by, lang=original.language, kind="repeat",
                       replaces=original.id)  # fmt: skip
        audit.append(session, by, "message.repeat", "message", message.id, replaces=original.id,
                     incident=incident.id, text_hash=message.text_hash)  # fmt: skip
        _submit(session, message, by=by)
        return message.id


def pending_repeat(session: Session, message_id: int) -> int | None:
    """The repeat of this message that is still on its way (drafted, submitted or approved), if any."""
    return session.scalar(
        select(Message.id)
        .where(Message.replaces_id == message_id, Message.kind == "repeat",
               Message.state.in_(("draft", "submitted", "approved")))
        .order_by(Message.id)
        .limit(1)
    )  # fmt: skip


PLACEHOLDER = "…"
_LABEL = re.compile(r"\[[^\]\n]{1,60}\]")


def placeholders(text: str, template: str) -> list[str]:
    """What of the playbook's template is still unfilled in `text`: its '…' placeholders and the bracketed
    labels ('[Where]') it kept. A message with any of them is not finished and cannot be submitted."""
    left = [PLACEHOLDER] * text.count(PLACEHOLDER)
    left += [label for label in dict.fromkeys(_LABEL.findall(template)) if label in text]
    return left


def publish(engine: Engine, message_id: int, *, by: str) -> Publication:
    """Put the message on the official crisis feed: it becomes the one live version of its language.

    Only the newest approved version can go live, never one older than what was published already, so the
    feed can never show older text over newer. The public feed files are written after the commit: a
    failure there is a warning in the result, not a failed publication."""
    with write_session(engine) as session:
        require(session, by, "message.publish")
        message = _in_state(session, message_id, "publish", ("approved",))
        require_open(session, message.incident_id)
        approval = session.scalars(select(Approval).where(Approval.message_id == message_id)).one_or_none()
        if approval is None or approval.approver == message.author:
            raise FourEyesViolation(f"message {message_id} has no approval by someone other than its author")
        if not (approval.text_hash == message.text_hash == text_hash(message.text)):
            raise WorkflowError(
                f"message {message_id}: the text differs from the text approved; it needs a new approval"
            )
        _refuse_stale(session, message, "published")
        superseded = list(session.scalars(same_language(message).where(Message.state == "published")))
        for old in superseded:
            old.state, old.superseded_by_id = "superseded", message.id
        withdrawn = older_versions(session, message)
        for old in withdrawn:
            old.state = "withdrawn"
        message.state, message.published_at, message.published_by = "published", now(), by
        try:
            session.flush()
        except IntegrityError as exc:  # the database's "one live version per language" (a concurrent publish)
            raise WorkflowError(
                f"message {message_id} cannot be published: another version of {message.language!r} was "
                f"published at the same moment; reload and try again"
            ) from exc
        result = Publication(message_id, [m.id for m in superseded], sorted(m.id for m in withdrawn))
        audit.append(session, by, "message.publish", "message", message_id, incident=message.incident_id,
                     text_hash=message.text_hash, approved_by=approval.approver,
                     supersedes=result.superseded or None, withdrawn=result.withdrawn or None)  # fmt: skip
        incident_id = message.incident_id
    problem = crisisfeed.refresh_public(engine, incident_id)
    if problem:
        result.warnings.append(f"message {message_id} is published, but {problem}")
    return result


def list_messages(engine: Engine, incident_id: int) -> list[Message]:
    with read_session(engine) as session:
        return list(session.scalars(select(Message).where(Message.incident_id == incident_id).order_by(Message.id)))


def get(engine: Engine, message_id: int) -> Message:
    with read_session(engine) as session:
        message = session.get(Message, message_id)
    if message is None:
        raise WorkflowError(f"no message {message_id}")
    return message


def approval_of(engine: Engine, message_id: int) -> Approval | None:
    with read_session(engine) as session:
        return session.scalars(select(Approval).where(Approval.message_id == message_id)).one_or_none()


def current_messages(engine: Engine, incident_id: int) -> dict[str, Message]:
    """The live message per language: published and not superseded."""
    with read_session(engine) as session:
        rows = session.scalars(
            select(Message)
            .where(Message.incident_id == incident_id, Message.state == "published")
            .order_by(Message.published_at)
        )
        return {m.language: m for m in rows}


def _clean_text(text: str) -> str:
    # Invisible characters (bidi overrides, NULs) have no place in an official message or its XML feeds.
    return inputs.checked(
        text,
        what="message",
        missing="a message needs visible text",
        limit=MAX_TEXT,
        single_line=False,
        error=WorkflowError,
    )


def _clean_lang(lang: str | None) -> str | None:
    if problem := inputs.language_problem(lang):
        raise WorkflowError(problem)
    return lang_detect.normalise(lang)


def _draft(session: Session, incident_id: int, text: str, *, by: str, lang: str | None) -> Message:
    require(session, by, "message.draft")
    incident = require_open(session, incident_id)
    message = _new(session, incident, text, by=by, lang=lang, kind="update")
    audit.append(session, by, "message.draft", "message", message.id, incident=incident_id, text_hash=message.text_hash)
    return message


def _submit(session: Session, message: Message, *, by: str) -> prechecks.Precheck:
    result = _precheck(session, message)
    # Issue 14: a contradiction of a partner warning in force is flagged and shown to the approver.
    result.warnings.extend(partner_flags.check_message(session, message))
    message.state, message.submitted_at, message.checks = "submitted", now(), result.as_dict()
    audit.append(session, by, "message.submit", "message", message.id, warnings=result.warnings)
    return result


def _refuse_stale(session: Session, message: Message, step: str) -> None:
    if reason := stale_reason(session, message, step):
        raise WorkflowError(reason)


def _new(session: Session, incident: Incident, text: str, *, by: str, lang: str | None, kind: str,
         replaces: int | None = None) -> Message:  # fmt: skip
    book = playbook.get(incident.playbook)
    language = lang or lang_detect.detect(text, book.languages[0]) or book.languages[0]
    message = Message(incident_id=incident.id, kind=kind, state="draft", language=language, text=text,
                      text_hash=text_hash(text), author=by, created_at=now(), replaces_id=replaces)  # fmt: skip
    session.add(message)
    session.flush()
    return message


def _successor(engine: Engine, message_id: int, text: str, *, by: str, kind: str, action: str,
               allowed: tuple[str, ...]) -> int:  # fmt: skip
    with write_session(engine) as session:
        require(session, by, f"message.{action}")
        original = _in_state(session, message_id, action, allowed)
        incident = require_open(session, original.incident_id)
        message = _new(session, incident, text, by=by, lang=original.language, kind=kind, replaces=original.id)
        audit.append(session, by, f"message.{action}", "message", message.id, replaces=original.id,
                     incident=incident.id, text_hash=message.text_hash)  # fmt: skip
        return message.id


def _in_state(session: Session, message_id: int, action: str, states: tuple[str, ...]) -> Message:
    message = session.get(Message, message_id)
    if message is None:
        raise WorkflowError(f"no message {message_id}")
    if message.state not in states:
        why = ""
        if message.state in ("withdrawn", "superseded") and not _withdrawn_by_author(session, message_id):
            successor = f": message {message.superseded_by_id}" if message.superseded_by_id else ""
            why = f" (a newer version replaced it{successor})"
        elif message.state == "withdrawn":
            why = " (its author withdrew it)"
        raise WorkflowError(
            f"message {message_id} is {message.state}: only a message that is {' or '.join(states)} "
            f"can be {_DONE[action]}{why}"
        )
    return message


def _withdrawn_by_author(session: Session, message_id: int) -> bool:
    return (
        session.scalar(
            select(AuditRecord.seq)
            .where(AuditRecord.object_type == "message", AuditRecord.object_id == str(message_id),
                   AuditRecord.action == "message.withdraw")
            .limit(1)
        )
        is not None
    )  # fmt: skip


def _precheck(session: Session, message: Message) -> prechecks.Precheck:
    incident = session.get(Incident, message.incident_id)
    assert incident is not None
    return prechecks.check(
        message.text, message.language, playbook.get(incident.playbook), keywords=tuple(incident.keywords)
    )


def precheck(engine: Engine, message_id: int) -> prechecks.Precheck:
    with read_session(engine) as session:
        message = session.get(Message, message_id)
        if message is None:
            raise WorkflowError(f"no message {message_id}")
        return _precheck(session, message)
