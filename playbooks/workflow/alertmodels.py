"""The stored shape of alerts to people (issue 14, items 6-9): who wants what, what happened, what was sent.

An `Alert` is one event (an update overdue, a flag, a feed failing, ...), once per key however often the
poller sees it. An `AlertDelivery` is the outbox: one row per channel and recipient(s) of an alert, unique
by its dedupe key, so each notification is sent once across pollers and restarts. Addresses of people
are stored here; secrets (the SMTP password, webhook URLs with their tokens) never are (see alertconfig).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from sources.models import Base

# The events a person can choose (item 7). `escalation` is not chosen: it follows update_overdue.
EVENTS = ("update_due", "update_overdue", "flag", "contradiction", "feed_problem", "approval_waiting",
          "partner_warning")  # fmt: skip
# Leads on duty receive these by default (R3), unless they switched a channel off.
DUTY_EVENTS = ("update_due", "update_overdue")
DELIVERY_STATES = ("pending", "sent", "failed")


class AlertContact(Base):
    """How to reach one user, and whether they are a lead on duty (and their place in the escalation order)."""

    __tablename__ = "alert_contacts"
    user: Mapped[str] = mapped_column(ForeignKey("users.name"), primary_key=True)
    email: Mapped[str | None] = mapped_column(String(320))
    # The name of a webhook configured for the organisation (its URL is a secret, outside the database).
    webhook: Mapped[str | None] = mapped_column(String(100))
    on_duty: Mapped[bool] = mapped_column(Boolean, default=False)
    # Escalation order among leads: lower first; leads without a rank come last, by name.
    rank: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[datetime]


class AlertPreference(Base):
    """One user's choice for one event on one channel ('email' or 'webhook'): on, or explicitly off."""

    __tablename__ = "alert_preferences"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user: Mapped[str] = mapped_column(ForeignKey("users.name"), index=True)
    event: Mapped[str] = mapped_column(String(30))
    channel: Mapped[str] = mapped_column(String(20))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)

    __table_args__ = (UniqueConstraint("user", "event", "channel", name="uq_alert_preferences"),)


class Alert(Base):
    """One event worth telling people about, once per key."""

    __tablename__ = "alerts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)
    event: Mapped[str] = mapped_column(String(30), index=True)
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id"))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(index=True)
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by: Mapped[str | None] = mapped_column(ForeignKey("users.name"))
    # The condition is over (the update came, the draft was decided): no escalation any more.
    resolved_at: Mapped[datetime | None]
    escalation_level: Mapped[int] = mapped_column(Integer, default=0)
    escalated_at: Mapped[datetime | None]


class AlertDelivery(Base):
    """The outbox: one notification of one alert over one channel to its recipients, sent once."""

    __tablename__ = "alert_deliveries"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id"), index=True)
    # alert key | channel | recipient (e-mail) or webhook name | escalation level: unique, so never twice.
    dedupe_key: Mapped[str] = mapped_column(String(500), unique=True)
    channel: Mapped[str] = mapped_column(String(120))  # "email" or "webhook:<name>"
    recipients: Mapped[list[str]] = mapped_column(default=list)  # user names
    escalation_level: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime]
    # A sender's claim: another poller leaves the row alone until then.
    claimed_until: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    # Deliveries sent together as one digest share this id.
    batch: Mapped[str | None] = mapped_column(String(40))
