"""Alerts to people (issue 14, items 7-9): events, who is told, escalation (settings: `alertsettings`).

`evaluate` (the poller's end-of-pass work, one write transaction) looks at the desk, records each new
event as an `Alert` once per key (unique in the database) with its outbox rows for the people who want
it, ends the alerts whose condition is over, and escalates overdue updates nobody acted on. Sending the
outbox is `alertoutbox`'s, outside any transaction.

Events (item 7): an update due or overdue (R3), a rumour or look-alike flag from a score, a contradiction
on an official account, a feed failing or stale (R13), a draft waiting for approval too long, a new or
updated partner warning for the area (`emit_partner_warning`, called by the partner feeds).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.clock import now
from core.db import write_session
from playbooks.workflow import audit, cadence
from playbooks.workflow.alertconfig import AlertConfig, Timing
from playbooks.workflow.alertmodels import DUTY_EVENTS, EVENTS, Alert, AlertContact, AlertDelivery, AlertPreference
from playbooks.workflow.alertsettings import CHANNELS as CHANNELS
from playbooks.workflow.alertsettings import AlertError as AlertError
from playbooks.workflow.alertsettings import Settings as Settings
from playbooks.workflow.alertsettings import acknowledge as acknowledge
from playbooks.workflow.alertsettings import list_alerts as list_alerts
from playbooks.workflow.alertsettings import list_deliveries as list_deliveries
from playbooks.workflow.alertsettings import set_contact as set_contact
from playbooks.workflow.alertsettings import set_preference as set_preference
from playbooks.workflow.alertsettings import settings_of as settings_of
from playbooks.workflow.models import Approval, Flag, Message, User
from sources import partnerstate
from sources.health import feed_health
from sources.models import OFFICIAL_KINDS, Account, Post

ACTOR = "crisisdesk"  # who appends the notification records to the audit log
FLAG_WINDOW = timedelta(hours=24)  # older flags are history, not news
LOOKALIKE_KINDS = ("rumour", "impersonation")
CONTRADICTION_KINDS = ("inconsistent", "contradicts_partner")
FEED_PROBLEMS = ("failing", "stale", "dead")


@dataclass(frozen=True)
class Event:
    key: str
    event: str
    subject: str
    body: str
    incident_id: int | None = None
    details: dict[str, Any] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------- recording


PARTNER_LOOKBACK = timedelta(hours=24)


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
    # Partner warnings changed in the last day: each version is an event once (its key), so looking back
    # further than one pass loses nothing after a restart and sends nothing twice.
    partner_changes = partnerstate.changed_since(engine, stamp - PARTNER_LOOKBACK, at=stamp)
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
        for change in partner_changes:
            if change["change"] == "cancelled":
                continue  # the end of a warning is shown on the monitor; alerts are for what needs action
            if change.get("active") is not True:
                continue  # not in force now (expired, already replaced or cancelled, unlisted): nothing to act on
            areas = ", ".join(str(a.get("desc")) for a in change.get("areas") or [] if a.get("desc")) or "-"
            alert = emit_partner_warning(
                session, str(change.get("identifier")), str(change.get("headline") or ""), areas,
                version=str(change.get("sent") or change.get("updated_at")), updated=change["change"] == "updated",
            )  # fmt: skip
            created += alert is not None
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
