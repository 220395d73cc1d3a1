"""R3: when the next website update is due, from what the website feed actually showed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, select

from core.clock import now
from core.db import read_session
from playbooks.checks.matching import website_copy
from playbooks.workflow import incidents
from playbooks.workflow.models import Message
from playbooks.workflow.website import Approved, carries_any, in_order
from sources.models import Account, Post

DUE_WINDOW = timedelta(minutes=10)


@dataclass(frozen=True)
class Due:
    incident: int
    title: str
    phase: str
    cadence_minutes: int
    last_website_update: datetime | None
    last_post: str | None  # guid of the website post that carried the last update
    next_due: datetime
    status: str  # ok | due | overdue
    repeat_candidate: int | None  # the current message a lead can approve again

    def as_dict(self) -> dict[str, object]:
        return {
            "incident": self.incident, "title": self.title, "phase": self.phase,
            "cadence_minutes": self.cadence_minutes,
            "last_website_update": self.last_website_update.isoformat() if self.last_website_update else None,
            "last_post": self.last_post, "next_due": self.next_due.isoformat(), "status": self.status,
            "repeat_candidate": self.repeat_candidate,
        }  # fmt: skip


def due(engine: Engine, incident_id: int | None = None, at: datetime | None = None) -> list[Due]:
    at = at or now()
    views = (
        [incidents.get(engine, incident_id)]
        if incident_id is not None
        else incidents.list_incidents(engine, open_only=True)
    )
    return [_due(engine, view, at) for view in views if view.incident.open]


def _due(engine: Engine, view: incidents.IncidentView, at: datetime) -> Due:
    incident = view.incident
    with read_session(engine) as session:
        published = list(
            session.scalars(
                select(Message).where(Message.incident_id == incident.id, Message.published_at.is_not(None))
            )
        )
        website_posts = session.execute(
            select(Post.guid, Post.published, Post.title, Post.text)
            .join(Account, Post.account_id == Account.id)
            .where(Account.kind == "website", Post.published >= incident.opened_at, Post.published <= at)
            .order_by(Post.published.desc())
        ).all()
    last_time, last_guid = None, None
    approved = in_order(Approved.of(m.id, m.text, m.language, m.published_at or at) for m in published)
    for guid, published_at, title, text in website_posts:  # newest first: the first copy found is the last update
        if carries_any(website_copy(title, text, published_at), approved):
            last_time, last_guid = published_at, guid
            break
    cadence = timedelta(minutes=view.cadence_minutes)
    next_due = (last_time or incident.opened_at) + cadence
    status = "overdue" if at > next_due else ("due" if next_due - at <= DUE_WINDOW else "ok")
    live = [m for m in published if m.state == "published"]
    candidate = max(live, key=lambda m: m.published_at or at).id if live and status != "ok" else None
    return Due(incident.id, incident.title, incident.phase, view.cadence_minutes, last_time, last_guid,
               next_due, status, candidate)  # fmt: skip
