"""Alerts to people, the people's side (issue 14, item 9): acknowledging an alert, how each person is
reached and which events they want, and the lists the Alerts page and the CLI show. Split from
`alerts` (which re-exports all of it): events and escalation there, settings here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from core.clock import now
from core.db import read_session, write_session
from playbooks.workflow import alertconfig, audit
from playbooks.workflow.alertconfig import AlertConfig, AlertConfigError
from playbooks.workflow.alertmodels import EVENTS, Alert, AlertContact, AlertDelivery, AlertPreference
from playbooks.workflow.models import User

CHANNELS = ("email", "webhook")


class AlertError(ValueError):
    """A bad request about alerts (unknown user, event or channel; no such alert): one clear line."""


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


def _address(email: str) -> bool:
    """A plausible address: "a@" or "@b", and an invisible bidi override after it, were stored, and every
    notification to it then failed at the mail server."""
    local, _, domain = email.partition("@")
    return (email.count("@") == 1 and bool(local) and bool(domain) and len(email) <= 320
            and all(c.isprintable() and not c.isspace() for c in email))  # fmt: skip


def set_contact(engine: Engine, user: str, *, by: str, email: str | None = None, webhook: str | None = None,
                on_duty: bool | None = None, rank: int | None = None, clear: tuple[str, ...] = (),
                config: AlertConfig | None = None) -> AlertContact:  # fmt: skip
    """How `user` is reached; a user sets their own, an admin anyone's (audited). A webhook is named, and
    must be one of the configuration's (`config`, else the file's)."""
    if email is not None and not _address(email):
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
