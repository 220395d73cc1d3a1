"""Alerts to people (issue 14, items 7-9): events, who is told, the outbox, escalation, acknowledgement.

The poller's end-of-pass hook runs `evaluate` (one write transaction: new events become `Alert`s once per
key, each with its outbox rows; escalation; conditions that ended) and then `deliver`, which claims due
outbox rows in a short transaction, sends them outside any transaction, and records the outcome (sent,
with an audit record per notification, or a retry with backoff). The dedupe keys are unique in the
database, so each notification is queued once across pollers and restarts; a claim (lease) keeps two
pollers from sending the same row at once. A poller killed between sending and recording sends that row
again once its claim has lapsed: at least once, never silently lost.

Events (item 7): an update due or overdue (R3), a rumour or look-alike flag from a score, a contradiction
on an official account, a feed failing or stale (R13), a draft waiting for approval too long, a new or
updated partner warning for the area (`emit_partner_warning`, called by the partner feeds).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.clock import now
from core.db import read_session, write_session
from playbooks.workflow import alertchannels, alertconfig, audit, cadence
from playbooks.workflow.alertchannels import Outgoing, SendError
from playbooks.workflow.alertconfig import AlertConfig, AlertConfigError, Timing
from playbooks.workflow.alertmodels import DUTY_EVENTS, EVENTS, Alert, AlertContact, AlertDelivery, AlertPreference
from playbooks.workflow.alerttexts import render_alert, render_escalation, title
from playbooks.workflow.models import Approval, Flag, Message, User
from sources.health import feed_health
from sources.models import OFFICIAL_KINDS, Account, Post

log = logging.getLogger("crisisdesk.alerts")

ACTOR = "crisisdesk"  # who appends the notification records to the audit log
CHANNELS = ("email", "webhook")
LEASE = timedelta(minutes=2)
FLAG_WINDOW = timedelta(hours=24)  # older flags are history, not news
LOOKALIKE_KINDS = ("rumour", "impersonation")
CONTRADICTION_KINDS = ("inconsistent", "contradicts_partner")
FEED_PROBLEMS = ("failing", "stale", "dead")
# Never held back for a digest, never merged into one: someone must act on these now.
URGENT = ("update_overdue",)


class AlertError(ValueError):
    """A bad request about alerts (unknown user, event or channel; no such alert): one clear line."""


@dataclass(frozen=True)
class Event:
    key: str
    event: str
    subject: str
    body: str
    incident_id: int | None = None
    details: dict[str, Any] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------- recording


def emit(session: Session, event: Event) -> Alert | None:
    """Record `event` once (by its key) and queue its notifications in the caller's transaction.

    Returns the new alert, or None when the key is known already (another pass, poller or restart)."""
    if event.event not in EVENTS:
        raise AlertError(f"unknown event {event.event!r} (known: {', '.join(EVENTS)})")
    key = event.key[:300]
    if session.scalar(select(Alert.id).where(Alert.key == key)) is not None:
        return None
    stamp = now()
    alert = Alert(key=key, event=event.event, incident_id=event.incident_id, subject=event.subject[:300],
                  body=event.body, details=event.details, created_at=stamp, escalation_level=0)  # fmt: skip
    try:
        with session.begin_nested():
            session.add(alert)
            session.flush()
    except IntegrityError:  # a concurrent poller recorded it first
        return None
    for channel, users, problem in _targets(session, event.event):
        _queue(session, alert, channel, users, level=0, problem=problem)
    return alert


def emit_partner_warning(
    session: Session, warning_id: str, headline: str, area: str, *, version: str = "", updated: bool = False
) -> Alert | None:
    """A new or updated partner warning for the organisation's area (item 7), once per warning version.

    For the partner feeds to call in the transaction that stores the warning (`version`: e.g. the CAP
    `sent` of the update, so an Update is news again and a re-fetch of the same one is not)."""
    what = "updated" if updated else "new"
    return emit(session, Event(
        key=f"partner_warning:{warning_id}:{version}", event="partner_warning",
        subject=f"{what} partner warning: {headline}"[:300],
        body=f"A {what} warning from a partner system concerns the area {area}:\n\n{headline}",
        details={"warning": warning_id, "headline": headline, "area": area, "version": version, "updated": updated},
    ))  # fmt: skip


def _targets(session: Session, event: str) -> list[tuple[str, list[str], str | None]]:
    """(channel, users, problem) for `event`: the users' own choices, and the leads on duty for R3's events."""
    users = {u.name: u for u in session.scalars(select(User).where(User.disabled.is_(False)))}
    contacts = {c.user: c for c in session.scalars(select(AlertContact))}
    choices: dict[tuple[str, str], bool] = {
        (p.user, p.channel): p.enabled for p in session.scalars(select(AlertPreference).where(AlertPreference.event == event))
    }  # fmt: skip
    wanted: list[tuple[str, str]] = [(user, channel) for (user, channel), on in choices.items() if on and user in users]
    if event in DUTY_EVENTS:
        for user in users.values():
            contact = contacts.get(user.name)
            if user.role == "lead" and contact and contact.on_duty:
                default = _default_channel(contact)
                if default and choices.get((user.name, default)) is not False and (user.name, default) not in wanted:
                    wanted.append((user.name, default))
    targets: list[tuple[str, list[str], str | None]] = []
    hooks: dict[str, list[str]] = {}
    for name, channel in sorted(wanted):
        contact = contacts.get(name)
        if channel == "email":
            problem = None if contact and contact.email else f"{name} has no e-mail address for alerts"
            targets.append(("email", [name], problem))
        elif contact and contact.webhook:
            hooks.setdefault(contact.webhook, []).append(name)
        else:
            targets.append(("webhook:", [name], f"{name} chose a webhook but has none set"))
    # A webhook is one room: the event is posted there once, for everyone who wanted it there.
    targets.extend((f"webhook:{name}", names, None) for name, names in sorted(hooks.items()))
    return targets


def _default_channel(contact: AlertContact) -> str | None:
    return "email" if contact.email else ("webhook" if contact.webhook else None)


def _queue(session: Session, alert: Alert, channel: str, users: list[str], *, level: int, problem: str | None) -> None:
    who = users[0] if channel == "email" or problem else ""
    key = f"{alert.key}|{channel}|{who}|{level}"[:500]
    if session.scalar(select(AlertDelivery.id).where(AlertDelivery.dedupe_key == key)) is not None:
        return
    stamp = now()
    row = AlertDelivery(alert_id=alert.id, dedupe_key=key, channel=channel, recipients=users, escalation_level=level,
                        status="failed" if problem else "pending", attempts=0, next_attempt_at=stamp,
                        created_at=stamp, last_error=problem)  # fmt: skip
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        return
    if problem:
        audit.append(session, ACTOR, "alert.undeliverable", "alert", alert.id, event=alert.event, channel=channel,
                     recipients=users, reason=problem)  # fmt: skip


# ---------------------------------------------------------------------------------------------- evaluating


def evaluate(engine: Engine, config: AlertConfig) -> int:
    """Find the events of this moment, record the new ones, escalate, close what ended. Returns new alerts."""
    stamp = now()
    timing = config.timing
    dues = cadence.due(engine, at=stamp)
    problems = {h.account: h for h in feed_health(engine, stamp) if h.status in FEED_PROBLEMS}
    created = 0
    with write_session(engine) as session:
        events: list[Event] = []
        for d in dues:
            if d.status in ("due", "overdue"):
                name = "update_overdue" if d.status == "overdue" else "update_due"
                events.append(Event(
                    key=f"{name}:{d.incident}:{d.next_due.isoformat()}", event=name, incident_id=d.incident,
                    subject=f"#{d.incident} {d.title}: website update {d.status} ({d.next_due:%Y-%m-%d %H:%M} UTC)",
                    body=(f"Incident #{d.incident} {d.title} ({d.phase}): the next website update was due at "
                          f"{d.next_due.isoformat()} (every {d.cadence_minutes} minutes, R3). Approve the repeat "
                          "or a new update in crisisdesk."),
                    details=d.as_dict(),
                ))  # fmt: skip
        events.extend(_flag_events(session, timing, stamp))
        for h in problems.values():
            since = h.last_success.isoformat() if h.last_success else "never"
            events.append(Event(
                key=f"feed_problem:{h.account}:{h.status}:{since}", event="feed_problem",
                subject=f"feed {h.account} is {h.status}",
                body=(f"The feed of {h.account} ({h.kind}) is {h.status} (R13). Last success: {since}. "
                      f"{h.reason or h.last_error or ''}").strip(),
                details={"account": h.account, "status": h.status, "last_success": since, "error": h.last_error},
            ))  # fmt: skip
        waited = stamp - timedelta(minutes=timing.approval_wait_minutes)
        for m in session.scalars(select(Message).where(Message.state == "submitted", Message.submitted_at <= waited)):
            assert m.submitted_at is not None
            events.append(Event(
                key=f"approval_waiting:{m.id}:{m.submitted_at.isoformat()}", event="approval_waiting",
                incident_id=m.incident_id, subject=f"draft {m.id} waits for approval since {m.submitted_at:%H:%M} UTC",
                body=f"Draft {m.id} by {m.author} ({m.language}) waits for a lead's approval:\n\n{m.text[:500]}",
                details={"message": m.id, "author": m.author, "submitted_at": m.submitted_at.isoformat(),
                         "excerpt": m.text[:500]},
            ))  # fmt: skip
        for event in events:
            created += emit(session, event) is not None
        _resolve(session, dues, set(problems), stamp)
        _escalate(session, timing, stamp)
    return created


def _flag_events(session: Session, timing: Timing, stamp: datetime) -> list[Event]:
    rows = session.execute(
        select(Flag, Post.account_id, Account.kind, Post.title, Post.text)
        .join(Post, Flag.post_id == Post.id)
        .join(Account, Post.account_id == Account.id)
        .where(Flag.status == "open", Flag.created_at >= stamp - FLAG_WINDOW)
        .where(or_(Flag.kind.in_(LOOKALIKE_KINDS), Flag.kind.in_(CONTRADICTION_KINDS)))
        .order_by(Flag.id)
    ).all()
    events = []
    for flag, account, kind, post_title, text in rows:
        excerpt = " ".join(f"{post_title or ''} {text or ''}".split())[:300]
        if flag.kind in CONTRADICTION_KINDS:
            if kind not in OFFICIAL_KINDS:
                continue
            event, what = "contradiction", f"contradiction ({flag.kind}, {flag.rule}) on official account {account}"
        elif flag.score >= timing.flag_score:
            event, what = "flag", f"{flag.kind} flag ({flag.rule}, score {flag.score:.2f}) on {account}"
        else:
            continue
        events.append(Event(key=f"{event}:{flag.id}", event=event, incident_id=flag.incident_id,
                            subject=f"flag {flag.id}: {what}"[:300], body=f"{what}:\n\n{excerpt}",
                            details={"flag": flag.id, "kind": flag.kind, "score": flag.score, "account": account,
                                     "excerpt": excerpt}))  # fmt: skip
    return events


def _resolve(session: Session, dues: list[cadence.Due], failing: set[str], stamp: datetime) -> None:
    """Alerts whose condition is over: no longer escalated, no longer shown as open."""
    current = {f"{'update_overdue' if d.status == 'overdue' else 'update_due'}:{d.incident}:{d.next_due.isoformat()}"
               for d in dues if d.status != "ok"}  # fmt: skip
    ending = (*DUTY_EVENTS, "approval_waiting", "flag", "contradiction", "feed_problem")  # a partner warning just is
    for alert in session.scalars(select(Alert).where(Alert.resolved_at.is_(None), Alert.event.in_(ending))):
        over = False
        if alert.event in DUTY_EVENTS:
            over = alert.key not in current and not (
                alert.event == "update_due" and alert.key.replace("update_due", "update_overdue", 1) in current
            )
        elif alert.event == "approval_waiting":
            message = session.get(Message, alert.details.get("message"))
            over = message is None or message.state != "submitted"
        elif alert.event in ("flag", "contradiction"):
            flag = session.get(Flag, alert.details.get("flag"))
            over = flag is None or flag.status in ("dismissed", "resolved")
        elif alert.event == "feed_problem":
            over = alert.details.get("account") not in failing
        if over:
            alert.resolved_at = stamp


def leads_in_order(session: Session) -> list[str]:
    """Every active lead in escalation order: by rank (lower first, none last), then by name."""
    contacts = {c.user: c for c in session.scalars(select(AlertContact))}
    leads = session.scalars(select(User.name).where(User.role == "lead", User.disabled.is_(False)))

    def order(name: str) -> tuple[int, int, str]:
        rank = contacts[name].rank if name in contacts else None
        return (rank is None, rank or 0, name)

    return sorted(leads, key=order)


def _acted(session: Session, alert: Alert) -> bool:
    """Someone did something about the incident since the alert: a draft submitted, approved or published."""
    if alert.incident_id is None:
        return False
    since = alert.created_at
    moved = session.scalar(select(Message.id).where(Message.incident_id == alert.incident_id, or_(
        Message.submitted_at > since, Message.published_at > since)).limit(1))  # fmt: skip
    approved = session.scalar(
        select(Approval.id).join(Message, Message.id == Approval.message_id)
        .where(Message.incident_id == alert.incident_id, Approval.approved_at > since).limit(1)
    )  # fmt: skip
    return moved is not None or approved is not None


def _escalate(session: Session, timing: Timing, stamp: datetime) -> None:
    """Item 8: overdue, not acknowledged, nobody acted within N minutes: the next lead in order is alerted."""
    wait = timedelta(minutes=timing.escalation_minutes)
    pending = session.scalars(select(Alert).where(
        Alert.event == "update_overdue", Alert.acknowledged_at.is_(None), Alert.resolved_at.is_(None)))  # fmt: skip
    for alert in pending:
        if stamp - (alert.escalated_at or alert.created_at) < wait or _acted(session, alert):
            continue
        told = {name for row in session.scalars(select(AlertDelivery.recipients).where(AlertDelivery.alert_id == alert.id))
                for name in row}  # fmt: skip
        remaining = [name for name in leads_in_order(session) if name not in told]
        alert.escalated_at = stamp  # the next step, if any, is N minutes from now
        if not remaining:
            continue
        lead = remaining[0]
        alert.escalation_level += 1
        contact = session.get(AlertContact, lead)
        channel = _default_channel(contact) if contact else None
        if channel == "webhook" and contact and contact.webhook:
            channel = f"webhook:{contact.webhook}"
        problem = None if channel else f"{lead} has neither an e-mail address nor a webhook for alerts"
        _queue(session, alert, channel or "email", [lead], level=alert.escalation_level, problem=problem)
        audit.append(session, ACTOR, "alert.escalated", "alert", alert.id, to=lead, level=alert.escalation_level,
                     event=alert.event, incident=alert.incident_id)  # fmt: skip


# ---------------------------------------------------------------------------------------------- delivering


@dataclass
class DeliveryReport:
    sent: int = 0  # notifications sent (a digest counts once)
    deliveries: int = 0  # outbox rows they covered
    retrying: int = 0
    failed: int = 0
    held: int = 0  # waiting for a digest


@dataclass
class _Send:
    channel: str
    recipients: list[str]
    addresses: list[str]
    language: str
    zone: str
    ids: list[int]
    alerts: list[Alert]
    levels: list[int]


Sender = Callable[[AlertConfig, str, list[str], Outgoing], None]


def deliver(engine: Engine, config: AlertConfig, *, send: Sender = alertchannels.send,
            worker: str | None = None) -> DeliveryReport:  # fmt: skip
    """Send what is due in the outbox: claim, send outside any transaction, record. Never raises for a send."""
    worker = worker or f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"
    report = DeliveryReport()
    for batch in _claim(engine, config, worker, report):
        try:
            send(config, batch.channel, batch.addresses, _note(batch, config.timing))
        except SendError as exc:
            _failed(engine, config, batch, str(exc), report)
        except Exception as exc:  # a sender's bug is this notification's failure, not the poller's end
            log.exception("sending over %s failed", batch.channel)
            _failed(engine, config, batch, f"{type(exc).__name__}: {' '.join(str(exc).split())[:200]}", report)
        else:
            _sent(engine, batch, report)
    return report


def _claim(engine: Engine, config: AlertConfig, worker: str, report: DeliveryReport) -> list[_Send]:
    stamp = now()
    timing = config.timing
    window = timedelta(minutes=timing.digest_window_minutes)
    batches: list[_Send] = []
    with write_session(engine) as session:
        rows = list(session.scalars(
            select(AlertDelivery).where(AlertDelivery.status == "pending", AlertDelivery.next_attempt_at <= stamp,
                                        or_(AlertDelivery.claimed_until.is_(None), AlertDelivery.claimed_until < stamp))
            .order_by(AlertDelivery.id).limit(1000)
            # PostgreSQL: rows another sender is claiming right now are skipped, not claimed twice
            # (SQLite's BEGIN IMMEDIATE already lets one writer at a time through).
            .with_for_update(skip_locked=True)
        ))  # fmt: skip
        contacts = {c.user: c for c in session.scalars(select(AlertContact))}
        groups: dict[tuple[str, tuple[str, ...]], list[AlertDelivery]] = {}
        for row in rows:
            problem = config.channel_problem(row.channel)
            if (
                not problem
                and row.channel == "email"
                and not all(contacts.get(name) and contacts[name].email for name in row.recipients)
            ):
                problem = f"{', '.join(row.recipients)}: no e-mail address for alerts any more"
            if problem:  # not configured: say so once, no retries (a configuration is not a passing outage)
                row.status, row.last_error = "failed", problem
                report.failed += 1
                alert = session.get(Alert, row.alert_id)
                audit.append(session, ACTOR, "alert.undeliverable", "alert", row.alert_id, channel=row.channel,
                             recipients=row.recipients, event=alert.event if alert else None, reason=problem)  # fmt: skip
                continue
            groups.setdefault(_target(row.channel, row.recipients), []).append(row)
        readers = {
            name: (lang, zone) for name, lang, zone in session.execute(select(User.name, User.language, User.timezone))
        }
        for (channel, person), members in groups.items():
            recipients = sorted({name for m in members for name in m.recipients})
            alerts = {
                a.id: a for a in session.scalars(select(Alert).where(Alert.id.in_([m.alert_id for m in members])))
            }
            urgent = [m for m in members if alerts[m.alert_id].event in URGENT or m.escalation_level > 0]
            calm = [m for m in members if m not in urgent]
            # Throttle: a recipient who had `digest_at` notifications within the window gets the rest as one
            # digest once the window has passed; `digest_at` waiting at once become one digest right away.
            count, earliest = _recent_notes(session, (channel, person), stamp - window)
            if calm and count >= timing.digest_at and earliest is not None:
                for m in calm:
                    m.next_attempt_at = max(earliest + window, stamp + timedelta(seconds=1))
                report.held += len(calm)
                calm = []
            plans: list[list[AlertDelivery]] = [[m] for m in urgent]
            # One by one as long as the window's budget allows; beyond it, what waits goes as one digest.
            if len(calm) >= timing.digest_at or (len(calm) > 1 and count + len(calm) > timing.digest_at):
                plans.append(calm)
            else:
                plans.extend([m] for m in calm)
            addresses = [contacts[u].email or "" for u in person] if channel == "email" else []
            for plan in plans:
                for m in plan:
                    m.claimed_until, m.claimed_by = stamp + LEASE, worker[:100]
                # A mailbox is read in its owner's language and zone; a room in English and UTC.
                lang, zone = readers.get(person[0], ("en", "UTC")) if person else ("en", "UTC")
                batches.append(_Send(channel, recipients, addresses, lang, zone, [m.id for m in plan],
                                     [alerts[m.alert_id] for m in plan], [m.escalation_level for m in plan]))  # fmt: skip
    return batches


def _target(channel: str, recipients: list[str]) -> tuple[str, tuple[str, ...]]:
    """Who receives a delivery, for digests and throttling: a person's mailbox, or a webhook's room
    (whoever in it wanted the event)."""
    return (channel, tuple(recipients)) if channel == "email" else (channel, ())


def _recent_notes(
    session: Session, target: tuple[str, tuple[str, ...]], since: datetime
) -> tuple[int, datetime | None]:
    """How many notifications (a digest counts once) went to `target` since then, and when the first went."""
    rows = session.execute(
        select(AlertDelivery.batch, AlertDelivery.recipients, AlertDelivery.sent_at).where(
            AlertDelivery.channel == target[0], AlertDelivery.status == "sent", AlertDelivery.sent_at > since
        )
    ).all()
    mine = [(batch, sent) for batch, who, sent in rows if _target(target[0], list(who)) == target and sent is not None]
    return len({batch for batch, _ in mine}), min((sent for _, sent in mine), default=None)


def _note(batch: _Send, timing: Timing) -> Outgoing:
    """The notification for one recipient (or room): one alert, or a digest of several."""
    lang, zone = batch.language, batch.zone
    rendered = [render_alert(a.id, a.event, a.details, a.subject, a.body, lang, zone) for a in batch.alerts]
    if len(batch.alerts) == 1:
        alert, level = batch.alerts[0], batch.levels[0]
        line, text = rendered[0]
        head = f"{title('escalation', lang)} · " if level else ""
        if level:
            text = f"{render_escalation(level, timing.escalation_minutes, lang)}\n\n{text}"
        return Outgoing(f"[crisisdesk] {head}{title(alert.event, lang)}: {line}"[:300], text,
                        [_alert_dict(alert, level)])  # fmt: skip
    subject = f"[crisisdesk] {len(batch.alerts)} {title('digest', lang)}"
    lines = [f"- {title(a.event, lang)}: {line} ({a.id})" for a, (line, _) in zip(batch.alerts, rendered, strict=True)]
    return Outgoing(
        subject, "\n".join(lines), [_alert_dict(a, lvl) for a, lvl in zip(batch.alerts, batch.levels, strict=True)]
    )


def _alert_dict(alert: Alert, level: int) -> dict[str, Any]:
    return {"id": alert.id, "event": alert.event, "subject": alert.subject, "incident": alert.incident_id,
            "created_at": alert.created_at.isoformat(), "escalation_level": level}  # fmt: skip


def _sent(engine: Engine, batch: _Send, report: DeliveryReport) -> None:
    stamp = now()
    batch_id = str(uuid.uuid4())
    with write_session(engine) as session:
        for delivery_id, alert in zip(batch.ids, batch.alerts, strict=True):
            row = session.get(AlertDelivery, delivery_id)
            if row is None:
                continue
            row.status, row.sent_at, row.batch = "sent", stamp, batch_id
            row.attempts += 1
            row.claimed_until, row.last_error = None, None
            # R15: who was told what, when, over which channel (never an address or a webhook URL).
            audit.append(session, ACTOR, "alert.sent", "alert", alert.id, event=alert.event, subject=alert.subject,
                         channel=batch.channel, recipients=row.recipients, delivery=delivery_id,
                         escalation_level=row.escalation_level, digest_of=len(batch.ids) if len(batch.ids) > 1 else None)  # fmt: skip
    report.sent += 1
    report.deliveries += len(batch.ids)


def _failed(engine: Engine, config: AlertConfig, batch: _Send, error: str, report: DeliveryReport) -> None:
    stamp = now()
    timing = config.timing
    with write_session(engine) as session:
        for delivery_id in batch.ids:
            row = session.get(AlertDelivery, delivery_id)
            if row is None or row.status != "pending":
                continue
            row.attempts += 1
            row.last_error, row.claimed_until = error[:1000], None
            if row.attempts >= timing.max_attempts:
                row.status = "failed"
                report.failed += 1
                audit.append(session, ACTOR, "alert.failed", "alert", row.alert_id, channel=row.channel,
                             recipients=row.recipients, attempts=row.attempts, error=error[:300])  # fmt: skip
            else:
                delay = min(timing.retry_base_seconds * 2 ** (row.attempts - 1), timing.retry_max_seconds)
                row.next_attempt_at = stamp + timedelta(seconds=delay)
                report.retrying += 1


# ---------------------------------------------------------------------------------------------- people


def acknowledge(engine: Engine, alert_id: int, *, by: str) -> Alert:
    """Item 9: a user acknowledges an alert, which stops its escalation (audited)."""
    with write_session(engine) as session:
        user = session.get(User, by)
        if user is None or user.disabled:
            raise AlertError(f"no active user {by!r}")
        alert = session.get(Alert, alert_id)
        if alert is None:
            raise AlertError(f"no alert {alert_id}")
        if alert.acknowledged_at is None:
            alert.acknowledged_at, alert.acknowledged_by = now(), by
            audit.append(session, by, "alert.acknowledged", "alert", alert.id, event=alert.event)
        return alert


def set_contact(engine: Engine, user: str, *, by: str, email: str | None = None, webhook: str | None = None,
                on_duty: bool | None = None, rank: int | None = None, clear: tuple[str, ...] = (),
                config: AlertConfig | None = None) -> AlertContact:  # fmt: skip
    """How `user` is reached; a user sets their own, an admin anyone's (audited). A webhook is named, and
    must be one of the configuration's (`config`, else the file's)."""
    if email is not None and (email.count("@") != 1 or any(c.isspace() for c in email) or len(email) > 320):
        raise AlertError(f"{email!r} is not an e-mail address")
    if webhook is not None:
        try:
            known = (config or alertconfig.load()).webhooks
        except AlertConfigError as exc:
            raise AlertError(str(exc)) from exc
        if webhook not in known:
            raise AlertError(f"no webhook named {webhook!r} is configured ({', '.join(sorted(known)) or 'none'})")
    with write_session(engine) as session:
        _may_edit(session, user, by)
        contact = session.get(AlertContact, user)
        if contact is None:
            contact = AlertContact(user=user, on_duty=False, updated_at=now())
            session.add(contact)
        changes: dict[str, Any] = {}
        for name, value in (("email", email), ("webhook", webhook), ("on_duty", on_duty), ("rank", rank)):
            if value is not None:
                setattr(contact, name, value)
                changes[name] = value if name != "email" else "(set)"
        for name in clear:
            setattr(contact, name, None)
            changes[name] = None
        contact.updated_at = now()
        session.flush()
        audit.append(session, by, "alert.contact", "user", user, **changes)
        return contact


def set_preference(engine: Engine, user: str, event: str, channel: str, enabled: bool, *, by: str) -> None:
    """Whether `event` reaches `user` over `channel` (item 7); off also stops a lead's on-duty default."""
    if event not in EVENTS:
        raise AlertError(f"unknown event {event!r} (known: {', '.join(EVENTS)})")
    if channel not in CHANNELS:
        raise AlertError(f"unknown channel {channel!r} (known: {', '.join(CHANNELS)})")
    with write_session(engine) as session:
        _may_edit(session, user, by)
        pref = session.scalar(select(AlertPreference).where(AlertPreference.user == user, AlertPreference.event == event,
                                                            AlertPreference.channel == channel))  # fmt: skip
        if pref is None:
            session.add(AlertPreference(user=user, event=event, channel=channel, enabled=enabled))
        else:
            pref.enabled = enabled
        audit.append(session, by, "alert.preference", "user", user, event=event, channel=channel, enabled=enabled)


def _may_edit(session: Session, user: str, by: str) -> None:
    actor = session.get(User, by)
    if actor is None or actor.disabled:
        raise AlertError(f"no active user {by!r}")
    if session.get(User, user) is None:
        raise AlertError(f"no user {user!r}")
    if by != user and actor.role != "admin":
        raise AlertError(f"{by!r} may only change their own alert settings (an admin may change anyone's)")


@dataclass(frozen=True)
class Settings:
    contact: AlertContact | None
    preferences: dict[tuple[str, str], bool]


def settings_of(engine: Engine, user: str) -> Settings:
    with read_session(engine) as session:
        prefs = {(p.event, p.channel): p.enabled
                 for p in session.scalars(select(AlertPreference).where(AlertPreference.user == user))}  # fmt: skip
        return Settings(session.get(AlertContact, user), prefs)


def list_alerts(engine: Engine, *, open_only: bool = False, limit: int = 200) -> list[Alert]:
    query = select(Alert).order_by(Alert.created_at.desc(), Alert.id.desc()).limit(limit)
    if open_only:
        query = query.where(Alert.acknowledged_at.is_(None), Alert.resolved_at.is_(None))
    with read_session(engine) as session:
        return list(session.scalars(query))


def list_deliveries(engine: Engine, *, limit: int = 500) -> list[tuple[AlertDelivery, Alert]]:
    """What was sent (and what waits or failed), newest first, with its alert."""
    with read_session(engine) as session:
        rows = session.execute(
            select(AlertDelivery, Alert).join(Alert, Alert.id == AlertDelivery.alert_id)
            .order_by(AlertDelivery.created_at.desc(), AlertDelivery.id.desc()).limit(limit)
        ).all()  # fmt: skip
        return [(delivery, alert) for delivery, alert in rows]


# ---------------------------------------------------------------------------------------------- the poller


class Notifier:
    """The poller's end-of-pass work: evaluate in the poller's thread (database work only), then send in a
    background thread so a slow SMTP server never holds up fetching. One sender thread at a time."""

    def __init__(self, engine: Engine, loader: Callable[[], AlertConfig] | None = None, *,
                 min_interval_s: float = 15.0) -> None:  # fmt: skip
        self.engine = engine
        # The poller ticks every few seconds; events are looked for at most this often (minutes matter here).
        self.min_interval_s = min_interval_s
        self._last_run: float | None = None
        self.loader = loader or alertconfig.load
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._last_problem: str | None = None

    def after_pass(self) -> None:
        started = time.monotonic()
        if self._last_run is not None and started - self._last_run < self.min_interval_s:
            return
        self._last_run = started
        try:
            config = self.loader()
        except AlertConfigError as exc:
            if str(exc) != self._last_problem:  # one clear line per change, not one per pass
                log.error("alerts are off until the configuration is fixed: %s", exc)
                self._last_problem = str(exc)
            return
        self._last_problem = None
        evaluate(self.engine, config)
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._deliver, args=(config,), name="alerts", daemon=True)
                self._thread.start()

    def _deliver(self, config: AlertConfig) -> None:
        try:
            deliver(self.engine, config)
        except Exception:  # the next pass tries again
            log.exception("delivering alerts failed")

    def wait(self, timeout: float | None = None) -> None:
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
