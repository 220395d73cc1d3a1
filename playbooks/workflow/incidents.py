"""Incidents: open with a playbook, change phase, close. While one is open, feeds are polled tighter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from core.clock import now
from core.db import read_session, write_session
from playbooks import playbook
from playbooks.workflow import audit, crisisfeed, inputs
from playbooks.workflow.models import PHASES, Incident
from playbooks.workflow.roles import require
from sources.models import OFFICIAL_KINDS, Account, Feed

MAX_TITLE = 200  # the CAP `event` carries it; a title is a headline, not a message


class IncidentError(ValueError):
    pass


@dataclass(frozen=True)
class IncidentView:
    incident: Incident
    playbook: playbook.Playbook

    @property
    def cadence_minutes(self) -> int:
        return self.incident.cadence_override or self.playbook.cadence(self.incident.phase)


def open_incident(
    engine: Engine,
    *,
    title: str,
    by: str,
    playbook_name: str = "default",
    keywords: list[str] | None = None,
    cadence: int | None = None,
    exercise: bool = False,
) -> int:
    book = playbook.get(playbook_name)
    title = clean_title(title)
    # A zero-width space inside a keyword ("rö\u200bk") never matches a post, whose text has none; one of
    # only invisible characters was kept as a keyword of nothing.
    words = [w for w in (inputs.one_line(k) for k in keywords or []) if inputs.visible(w)]
    if cadence is not None and not 5 <= cadence <= 7 * 24 * 60:
        raise IncidentError(f"--cadence {cadence}: minutes from 5 to 10080")
    with write_session(engine) as session:
        require(session, by, "incident.open")
        incident = Incident(
            title=title, playbook=book.name, phase="acute",
            keywords=words or list(book.keywords),
            cadence_override=cadence, exercise=exercise, opened_by=by, opened_at=now(),
        )  # fmt: skip
        session.add(incident)
        session.flush()
        audit.append(session, by, "incident.open", "incident", incident.id, title=incident.title,
                     playbook=book.name, keywords=incident.keywords, cadence=cadence, exercise=exercise)  # fmt: skip
        _tighten_polling(session)
        return incident.id


def set_phase(engine: Engine, incident_id: int, phase: str, *, by: str) -> None:
    if phase not in PHASES:
        raise IncidentError(f"phase {phase!r} is not one of {', '.join(PHASES)}")
    with write_session(engine) as session:
        require(session, by, "incident.phase")
        incident = require_open(session, incident_id)
        old, incident.phase = incident.phase, phase
        audit.append(session, by, "incident.phase", "incident", incident_id, old=old, new=phase)


def clean_title(title: str) -> str:
    """A title on one line, without invisible characters, with something to read, at most MAX_TITLE long."""
    return inputs.checked(
        title,
        what="incident title",
        missing="an incident needs a title",
        limit=MAX_TITLE,
        single_line=True,
        error=IncidentError,
    )


def close_incident(engine: Engine, incident_id: int, *, by: str) -> list[str]:
    """Close the incident; returns warnings about what failed after the commit (the public files)."""
    with write_session(engine) as session:
        require(session, by, "incident.close")
        incident = require_open(session, incident_id)
        incident.closed_at, incident.closed_by = now(), by
        audit.append(session, by, "incident.close", "incident", incident_id)
        session.flush()
        _tighten_polling(session)
    problem = crisisfeed.refresh_public(engine, incident_id)  # the CAP feed now carries the Cancel
    return [f"incident {incident_id} is closed, but {problem}"] if problem else []


def require_open(session: Session, incident_id: int) -> Incident:
    """The incident, if it exists and is open (what every action on an incident needs first)."""
    incident = session.get(Incident, incident_id)
    if incident is None:
        raise IncidentError(f"no incident {incident_id}")
    if not incident.open:
        raise IncidentError(f"incident {incident_id} is closed")
    return incident


def _tighten_polling(session: Session) -> None:
    """R13: while any incident is open, poll at the tightest crisis interval of the open playbooks."""
    open_books = [
        playbook.get(name) for name in session.scalars(select(Incident.playbook).where(Incident.closed_at.is_(None)))
    ]
    stamp = now()
    for feed, kind in session.execute(select(Feed, Account.kind).join(Account)):
        if not open_books:
            feed.crisis_interval_s = None
            continue
        key = "official" if kind in OFFICIAL_KINDS else "watch"
        crisis = min(book.crisis_poll_interval_s[key] for book in open_books)
        feed.crisis_interval_s = crisis if crisis < feed.interval_s else None
        if feed.crisis_interval_s and feed.next_fetch_at > stamp + timedelta(seconds=crisis):
            feed.next_fetch_at = stamp + timedelta(seconds=crisis)


def get(engine: Engine, incident_id: int) -> IncidentView:
    with read_session(engine) as session:
        incident = session.get(Incident, incident_id)
    if incident is None:
        raise IncidentError(f"no incident {incident_id}")
    return IncidentView(incident, playbook.get(incident.playbook))


def list_incidents(engine: Engine, *, open_only: bool = False) -> list[IncidentView]:
    query = select(Incident).order_by(Incident.id)
    if open_only:
        query = query.where(Incident.closed_at.is_(None))
    with read_session(engine) as session:
        incidents = list(session.scalars(query))
    return [IncidentView(i, playbook.get(i.playbook)) for i in incidents]
