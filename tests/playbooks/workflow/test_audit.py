"""The audit chain (R15): append-only in the database, and any tampering found with its position."""

from __future__ import annotations

import pytest
from sqlalchemy import text, update
from sqlalchemy.exc import DBAPIError

from core.db import write_session
from playbooks.workflow import audit, incidents
from playbooks.workflow.models import AuditRecord


@pytest.fixture
def chain(engine, team) -> int:
    incident = incidents.open_incident(engine, title="Vattenläcka", by="lars", playbook_name="drinking-water")
    incidents.set_phase(engine, incident, "recovery", by="lars")
    result = audit.verify(engine)
    assert result.ok and result.records == 8  # six users, open, phase
    return result.records


def _drop_guard(engine) -> None:
    """What someone with the database owner's rights could do: remove the triggers first."""
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.execute(text("DROP TRIGGER audit_log_no_update"))
            conn.execute(text("DROP TRIGGER audit_log_no_delete"))
        else:
            conn.execute(text("DROP TRIGGER audit_log_append_only ON audit_log"))


def test_the_database_refuses_to_update_or_delete_audit_records(engine, chain: int) -> None:
    with pytest.raises(DBAPIError, match="append-only"), write_session(engine) as session:
        session.execute(update(AuditRecord).where(AuditRecord.seq == 2).values(actor="mallory"))
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(AuditRecord.__table__.delete().where(AuditRecord.seq == 2))
    assert audit.verify(engine).ok


def test_an_edited_record_is_found(engine, chain: int) -> None:
    _drop_guard(engine)
    with engine.begin() as conn:
        conn.execute(AuditRecord.__table__.update().where(AuditRecord.seq == 4).values(actor="mallory"))
    result = audit.verify(engine)
    assert not result.ok
    assert result.problems == ["position 4 (seq 4): content changed since it was written"]


def test_a_removed_record_is_found(engine, chain: int) -> None:
    _drop_guard(engine)
    with engine.begin() as conn:
        conn.execute(AuditRecord.__table__.delete().where(AuditRecord.seq == 5))
    problems = audit.verify(engine).problems
    assert problems[0] == "position 5: sequence 6 where 5 was expected (removed or reordered)"
    assert "position 5 (seq 6): does not follow the record before it" in problems


def test_reordered_records_are_found(engine, chain: int) -> None:
    _drop_guard(engine)
    table = AuditRecord.__table__
    with engine.begin() as conn:  # swap the actions of records 2 and 3, keeping their hashes
        rows = {r.seq: r for r in conn.execute(table.select().where(table.c.seq.in_([2, 3])))}
        for seq, other in ((2, 3), (3, 2)):
            conn.execute(
                table.update()
                .where(table.c.seq == seq)
                .values(action=rows[other].action, object_id=rows[other].object_id, details=rows[other].details)
            )
    problems = audit.verify(engine).problems
    assert any(p.startswith("position 2 (seq 2): content changed") for p in problems)
    assert any(p.startswith("position 3 (seq 3): content changed") for p in problems)


def test_verify_reports_the_head_hash_the_chain_ends_in(engine, chain: int) -> None:
    result = audit.verify(engine)
    last = audit.records(engine)[-1]
    assert result.head == last.hash and len(result.head) == 64
