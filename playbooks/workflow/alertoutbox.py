"""The outbox of the alerts (issue 14, item 8): claim what is due, send it outside every transaction,
record the outcome; and the poller's end-of-pass hook.

`deliver` claims due rows in a short write transaction (a lease: FOR UPDATE SKIP LOCKED on PostgreSQL,
BEGIN IMMEDIATE on SQLite, so two pollers never claim the same row), groups them per mailbox or webhook
room (a storm becomes one digest; after `digest_at` notifications in the window the rest waits for
one), sends each group, and records it: sent (one audit record per delivery: who was told what, when,
over which channel) or a retry with backoff, `failed` after `max_attempts`. A sender killed between
sending and recording leaves its claim, and the row is sent again once the claim lapses. The claim is
renewed right before each send and checked again when the send is recorded: a run that outlasts its
first lease skips what another sender took over meanwhile, so nothing is sent twice by two runs.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, or_, select
from sqlalchemy.orm import Session

from core.clock import now
from core.db import write_session
from playbooks.workflow import alertchannels, alertconfig, audit
from playbooks.workflow.alertchannels import Outgoing, SendError
from playbooks.workflow.alertconfig import AlertConfig, AlertConfigError, Timing
from playbooks.workflow.alertmodels import Alert, AlertContact, AlertDelivery
from playbooks.workflow.alerts import ACTOR, evaluate
from playbooks.workflow.alerttexts import render_alert, render_escalation, title
from playbooks.workflow.models import User

log = logging.getLogger("crisisdesk.alerts")

LEASE = timedelta(minutes=2)
# Never held back for a digest, never merged into one: someone must act on these now.
URGENT = ("update_overdue",)


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
    down: dict[str, str] = {}  # channels whose server failed in this run: the rest of theirs waits, untried
    worker = worker[:100]
    for batch in _claim(engine, config, worker, report):
        # The claim is taken again right before each send, with a fresh lease: a run that outlasts the
        # first lease must not send what another sender has claimed (and perhaps sent) since.
        if not _take(engine, batch, worker):
            continue
        if batch.channel in down:
            _failed(engine, config, batch, down[batch.channel], report, worker)
            continue
        try:
            send(config, batch.channel, batch.addresses, _note(batch, config.timing))
        except SendError as exc:
            if exc.channel_down:
                down[batch.channel] = str(exc)
            _failed(engine, config, batch, str(exc), report, worker)
        except Exception as exc:  # a sender's bug is this notification's failure, not the poller's end
            # Only the type: a message may quote a secret (a library's error quoting a webhook URL).
            log.error("sending over %s failed: %s", batch.channel, type(exc).__name__)
            _failed(engine, config, batch, f"sending failed: {type(exc).__name__}", report, worker)
        else:
            _sent(engine, batch, report, worker)
    return report


def _ours(session: Session, ids: list[int], worker: str) -> list[AlertDelivery]:
    """The rows of `ids` still pending and claimed by `worker` (locked on PostgreSQL)."""
    rows = session.scalars(select(AlertDelivery).where(AlertDelivery.id.in_(ids)).with_for_update())
    return [row for row in rows if row.status == "pending" and row.claimed_by == worker]


def _take(engine: Engine, batch: _Send, worker: str) -> bool:
    """Renew the claim on every row of `batch` for one lease from now; False (and the rows still ours
    released) when any of them was claimed by another sender or dealt with since."""
    stamp = now()
    with write_session(engine) as session:
        ours = _ours(session, batch.ids, worker)
        whole = len(ours) == len(batch.ids)
        for row in ours:
            row.claimed_until = stamp + LEASE if whole else None
    if not whole:
        log.info("%d of %d deliveries over %s were taken over by another sender; not sent from here",
                 len(batch.ids) - len(ours), len(batch.ids), batch.channel)  # fmt: skip
    return whole


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


def _sent(engine: Engine, batch: _Send, report: DeliveryReport, worker: str) -> None:
    stamp = now()
    batch_id = str(uuid.uuid4())
    with write_session(engine) as session:
        ours = {row.id: row for row in _ours(session, batch.ids, worker)}
        for delivery_id, alert in zip(batch.ids, batch.alerts, strict=True):
            row = ours.get(delivery_id)
            if row is None:  # another sender took it over meanwhile: theirs to record
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


def _failed(engine: Engine, config: AlertConfig, batch: _Send, error: str, report: DeliveryReport, worker: str) -> None:
    stamp = now()
    timing = config.timing
    with write_session(engine) as session:
        for row in _ours(session, batch.ids, worker):
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
