"""The audit chain (R15): every action appended with who, what, when, and a hash of the previous record.

Appending happens in the same transaction as the action it records, so an action without its audit
record (or the reverse) cannot be committed. The database refuses UPDATE and DELETE on the table;
`verify` finds any record edited, removed or reordered by someone who got around that.

Cutting records off the end, or appending a forged one with a recomputed hash, leaves a chain that
still links up; so every record comes with a checkpoint, the new head signed with the desk's Ed25519
key (`signing`, a file outside the database), in the same transaction. A record appended without the
key has no valid checkpoint. After each commit the newest checkpoint is also copied beside the key
(`<key>.checkpoints.json`, per chain), the way a transparency log's head is held by a witness: a chain
cut back to an older signed head no longer reaches it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, func, select
from sqlalchemy.orm import Session

from core.clock import now
from core.db import read_session, write_session
from playbooks.workflow import signing
from playbooks.workflow.models import AuditCheckpoint, AuditRecord

GENESIS = "0" * 64
# PostgreSQL: one appender at a time, so two transactions cannot both extend the same head.
_PG_LOCK_KEY = 0x637269736973  # "crisis"
KEY_MISSING = "the checkpoints cannot be checked"  # the desk's key is not at hand: not a break of the chain


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
    _checkpoint(session, seq, record.hash)
    return record


def checkpoint_message(seq: int, head: str) -> bytes:
    """What a checkpoint signs."""
    return f"crisisdesk audit checkpoint v1\nseq {seq}\nhead {head}\n".encode("ascii")


def _checkpoint(session: Session, seq: int, head: str) -> AuditCheckpoint:
    try:
        key = signing.load(create=False)
    except signing.SigningError as exc:
        # A new key is made only for a chain nobody has signed yet: once a head is signed, a missing key
        # file is a mistyped CRISISDESK_AUDIT_KEY or a lost key, and a fresh key would sign heads no one
        # can check against the earlier ones.
        signed_by = session.scalar(select(AuditCheckpoint.key_id).order_by(AuditCheckpoint.seq.desc()).limit(1))
        if signed_by is not None:
            raise signing.SigningError(
                f"{exc}; this desk's audit trail is signed with key {signed_by}, so no new key is made in its place"
            ) from exc
        key = signing.load()
    cp = AuditCheckpoint(seq=seq, head=head, key_id=key.key_id, signature=key.sign(checkpoint_message(seq, head)))
    session.add(cp)
    session.flush()
    first = head if seq == 1 else session.scalar(select(AuditRecord.hash).where(AuditRecord.seq == 1))
    session.info["audit_witness"] = (key.path, chain_id(session.get_bind().engine, first), {"seq": seq, "head": head, "key_id": cp.key_id,
                                                              "signature": cp.signature})  # fmt: skip
    if not session.info.get("audit_witness_listening"):
        session.info["audit_witness_listening"] = True
        event.listen(session, "after_commit", _write_witness)
        event.listen(session, "after_rollback", lambda s: s.info.pop("audit_witness", None))
    return cp


def chain_id(engine: Engine, first_hash: str | None) -> str:
    """Which chain a witness entry is for: this database (where it lives) and its first record.

    A copy of a database elsewhere is another chain (it forks there); the same database rolled back to an
    older copy is the same chain, cut."""
    url = engine.url
    where = (os.path.realpath(url.database) if url.get_backend_name() == "sqlite" and url.database
             else url.set(password=None).render_as_string(hide_password=True))  # fmt: skip
    return hashlib.sha256(f"{where}\n{first_hash or ''}".encode()).hexdigest()[:32]


def witness_path(key_path: Path) -> Path:
    return key_path.with_name(key_path.name + ".checkpoints.json")


def _read_witness(key_path: Path) -> dict[str, Any]:
    try:
        data = json.loads(witness_path(key_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_witness(session: Session) -> None:
    """After the commit: keep the newest checkpoint of this chain beside the key (never a lower one)."""
    pending = session.info.pop("audit_witness", None)
    if not pending:
        return
    key_path, chain, checkpoint = pending
    with contextlib.suppress(OSError):  # the checkpoint is in the database already; this copy is a witness
        data = _read_witness(key_path)
        old = data.get(chain)
        if isinstance(old, dict) and isinstance(old.get("seq"), int) and old["seq"] >= checkpoint["seq"]:
            return
        data[chain] = checkpoint
        fd, tmp = tempfile.mkstemp(prefix=".checkpoints-", dir=key_path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle, indent=1, sort_keys=True)
            os.replace(tmp, witness_path(key_path))
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise


def checkpoint_now(engine: Engine) -> dict[str, Any] | None:
    """Sign the current head (a database whose records predate checkpoints); None when the chain is empty."""
    with write_session(engine) as session:
        if session.get_bind().dialect.name == "postgresql":
            session.execute(select(func.pg_advisory_xact_lock(_PG_LOCK_KEY)))
        head = session.execute(
            select(AuditRecord.seq, AuditRecord.hash).order_by(AuditRecord.seq.desc()).limit(1)
        ).first()
        if head is None:
            return None
        existing = session.get(AuditCheckpoint, head[0])
        cp = existing or _checkpoint(session, head[0], head[1])
        return {"seq": cp.seq, "head": cp.head, "key_id": cp.key_id, "signature": cp.signature}


@dataclass
class Verification:
    ok: bool
    records: int
    head: str
    problems: list[str] = field(default_factory=list)
    # The newest signed checkpoint (seq, head, key_id, signature, public_key), when there is one.
    checkpoint: dict[str, Any] | None = None


def verify(engine: Engine) -> Verification:
    """Walk the chain from the start; name the position of every break; check it against its checkpoints."""
    problems: list[str] = []
    prev, expected_seq, count = GENESIS, 1, 0
    last_seq = 0
    hashes_at: dict[int, str] = {}
    with read_session(engine) as session:
        latest = session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.seq.desc()).limit(1)).first()
        first = session.scalar(select(AuditRecord.hash).order_by(AuditRecord.seq).limit(1))
        key_problem = ""
        try:
            key: signing.Key | None = signing.load(create=False)
        except signing.SigningError as exc:
            key, key_problem = None, str(exc)
        witness = _read_witness(key.path).get(chain_id(engine, first)) if key else None
        wanted = {cp["seq"] for cp in (witness,) if isinstance(cp, dict) and isinstance(cp.get("seq"), int)}
        if latest is not None:
            wanted.add(latest.seq)
        for record in session.scalars(select(AuditRecord).order_by(AuditRecord.seq)).yield_per(1000):
            count += 1
            last_seq = record.seq
            if record.seq in wanted:
                hashes_at[record.seq] = record.hash
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
    checkpoint = None
    if latest is None:
        if count:
            problems.append(
                f"no signed checkpoint: the head (seq {last_seq}) is not anchored; an admin runs "
                "`crisisdesk audit checkpoint` once on a database from before checkpoints"
            )
    elif key is None:
        problems.append(f"{KEY_MISSING}: {key_problem}")
    else:
        checkpoint = {"seq": latest.seq, "head": latest.head, "key_id": latest.key_id,
                      "signature": latest.signature, "public_key": key.public_b64}  # fmt: skip
        if latest.key_id != key.key_id or not signing.verify(
            key.public_raw, latest.signature, checkpoint_message(latest.seq, latest.head)
        ):
            problems.append(f"checkpoint at seq {latest.seq}: its signature is not the desk's key's ({key.key_id})")
        elif hashes_at.get(latest.seq) != latest.head:
            problems.append(
                f"checkpoint at seq {latest.seq}: the chain does not reach its signed head "
                f"({'no record ' + str(latest.seq) if latest.seq not in hashes_at else 'record ' + str(latest.seq) + ' differs'}): records were cut or rewritten"
            )
        if last_seq > latest.seq:
            problems.append(
                f"records seq {latest.seq + 1} to {last_seq} have no signed checkpoint: appended without the desk's key"
            )
    if key is not None and isinstance(witness, dict) and isinstance(witness.get("seq"), int):
        if hashes_at.get(witness["seq"]) != witness.get("head"):
            problems.append(
                f"the checkpoint kept beside the key signs seq {witness['seq']}, which the chain "
                f"{'no longer reaches (it ends at seq ' + str(last_seq) + ')' if witness['seq'] > last_seq else 'has with another hash'}: "
                "records were cut off the end"
            )
    return Verification(ok=not problems, records=count, head=prev, problems=problems, checkpoint=checkpoint)


def records(engine: Engine, *, object_type: str | None = None, object_id: str | None = None) -> list[AuditRecord]:
    query = select(AuditRecord).order_by(AuditRecord.seq)
    if object_type:
        query = query.where(AuditRecord.object_type == object_type)
    if object_id is not None:
        query = query.where(AuditRecord.object_id == object_id)
    with read_session(engine) as session:
        return list(session.scalars(query))
