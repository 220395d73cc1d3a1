"""The audit chain (R15): every action appended with who, what, when, and a hash of the previous record.

Appending happens in the same transaction as the action it records, so an action without its audit
record (or the reverse) cannot be committed. The database refuses UPDATE and DELETE on the table;
`verify` finds any record edited, removed or reordered by someone who got around that.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from core.clock import now
from core.db import read_session
from playbooks.workflow.models import AuditRecord

GENESIS = "0" * 64
# PostgreSQL: one appender at a time, so two transactions cannot both extend the same head.
_PG_LOCK_KEY = 0x637269736973  # "crisis"


def record_hash(prev_hash: str, seq: int, at: datetime, actor: str, action: str, object_type: str,
                object_id: str, details: dict[str, Any]) -> str:  # fmt: skip
    payload = json.dumps(
        [prev_hash, seq, at.isoformat(), actor, action, object_type, object_id, details],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def append(
    session: Session, actor: str, action: str, object_type: str, object_id: object, **details: Any
) -> AuditRecord:
    """Append one record inside the caller's transaction."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(_PG_LOCK_KEY)))
    head = session.execute(select(AuditRecord.seq, AuditRecord.hash).order_by(AuditRecord.seq.desc()).limit(1)).first()
    seq, prev = (head[0] + 1, head[1]) if head else (1, GENESIS)
    at = now()
    # JSON round trip: what is hashed is exactly what the database will give back.
    clean = json.loads(json.dumps(details, ensure_ascii=False, default=str))
    record = AuditRecord(
        seq=seq, at=at, actor=actor, action=action, object_type=object_type, object_id=str(object_id),
        details=clean, prev_hash=prev,
        hash=record_hash(prev, seq, at, actor, action, object_type, str(object_id), clean),
    )  # fmt: skip
    session.add(record)
    session.flush()
    return record


@dataclass
class Verification:
    ok: bool
    records: int
    head: str
    problems: list[str] = field(default_factory=list)


def verify(engine: Engine) -> Verification:
    """Walk the chain from the start; name the position of every break."""
    problems: list[str] = []
    prev, expected_seq, count = GENESIS, 1, 0
    with read_session(engine) as session:
        for record in session.scalars(select(AuditRecord).order_by(AuditRecord.seq)).yield_per(1000):
            count += 1
            if record.seq != expected_seq:
                problems.append(
                    f"position {count}: sequence {record.seq} where {expected_seq} was expected (removed or reordered)"
                )
            if record.prev_hash != prev:
                problems.append(f"position {count} (seq {record.seq}): does not follow the record before it")
            digest = record_hash(record.prev_hash, record.seq, record.at, record.actor, record.action,
                                 record.object_type, record.object_id, record.details)  # fmt: skip
            if digest != record.hash:
                problems.append(f"position {count} (seq {record.seq}): content changed since it was written")
            prev, expected_seq = record.hash, record.seq + 1
    return Verification(ok=not problems, records=count, head=prev, problems=problems)


def records(engine: Engine, *, object_type: str | None = None, object_id: str | None = None) -> list[AuditRecord]:
    query = select(AuditRecord).order_by(AuditRecord.seq)
    if object_type:
        query = query.where(AuditRecord.object_type == object_type)
    if object_id is not None:
        query = query.where(AuditRecord.object_id == object_id)
    with read_session(engine) as session:
        return list(session.scalars(query))
