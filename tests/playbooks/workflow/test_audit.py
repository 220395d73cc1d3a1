"""The audit chain (R15): append-only in the database, and any tampering found with its position."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect, text, update
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


# Issue 12, item 11: the chain can be neither cut nor extended unseen (signed checkpoints of its head).


def _drop_all_guards(engine) -> None:
    _drop_guard(engine)
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            for name in ("audit_checkpoints_no_update", "audit_checkpoints_no_delete"):
                conn.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
        else:
            conn.execute(text("DROP TRIGGER IF EXISTS audit_checkpoints_append_only ON audit_checkpoints"))


def _cut(engine, keep: int) -> None:
    with engine.begin() as conn:
        conn.execute(AuditRecord.__table__.delete().where(AuditRecord.seq > keep))
        if "audit_checkpoints" in {t for t in inspect(conn).get_table_names()}:
            conn.execute(text("DELETE FROM audit_checkpoints WHERE seq > :keep"), {"keep": keep})


def test_records_cut_off_the_end_are_found(engine, chain: int) -> None:
    _drop_all_guards(engine)
    _cut(engine, chain - 2)  # the last two records and their checkpoints
    result = audit.verify(engine)
    assert not result.ok
    assert any("cut off the end" in p and f"seq {chain}" in p for p in result.problems), result.problems


def test_the_whole_tail_after_the_first_record_cut_is_found(engine, chain: int) -> None:
    _drop_all_guards(engine)
    _cut(engine, 1)
    assert not audit.verify(engine).ok


def test_a_forged_record_with_a_recomputed_hash_is_found(engine, chain: int) -> None:
    _drop_all_guards(engine)
    last = audit.records(engine)[-1]
    at = last.at
    details = {"role": "admin"}
    forged = audit.record_hash(last.hash, last.seq + 1, at, "mallory", "user.add", "user", "mallory", details)
    with engine.begin() as conn:
        conn.execute(AuditRecord.__table__.insert().values(
            seq=last.seq + 1, at=at, actor="mallory", action="user.add", object_type="user", object_id="mallory",
            details=details, prev_hash=last.hash, hash=forged))  # fmt: skip
    result = audit.verify(engine)
    assert not result.ok
    assert result.problems == [
        f"records seq {last.seq + 1} to {last.seq + 1} have no signed checkpoint: appended without the desk's key"
    ]


def test_a_checkpoint_signed_with_another_key_is_found(engine, chain: int) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from playbooks.workflow import signing

    _drop_all_guards(engine)
    last = audit.records(engine)[-1]
    at, details = last.at, {}
    forged = audit.record_hash(last.hash, last.seq + 1, at, "mallory", "x", "user", "m", details)
    other = signing.Key(Path("/nonexistent"), Ed25519PrivateKey.generate())
    with engine.begin() as conn:
        conn.execute(AuditRecord.__table__.insert().values(
            seq=last.seq + 1, at=at, actor="mallory", action="x", object_type="user", object_id="m",
            details=details, prev_hash=last.hash, hash=forged))  # fmt: skip
        conn.execute(text("INSERT INTO audit_checkpoints (seq, head, key_id, signature) VALUES (:s, :h, :k, :g)"),
                     {"s": last.seq + 1, "h": forged, "k": other.key_id,
                      "g": other.sign(audit.checkpoint_message(last.seq + 1, forged))})  # fmt: skip
    problems = audit.verify(engine).problems
    assert problems == [f"checkpoint at seq {last.seq + 1}: its signature is not the desk's key's "
                        f"({signing.load().key_id})"]  # fmt: skip


def test_every_record_has_a_checkpoint_the_desk_key_signed(engine, chain: int, audit_key: Path) -> None:
    from playbooks.workflow import signing

    result = audit.verify(engine)
    assert result.ok and result.checkpoint is not None
    assert result.checkpoint["seq"] == chain and result.checkpoint["head"] == result.head
    key = signing.load()
    assert signing.verify(result.checkpoint["public_key"], result.checkpoint["signature"],
                          audit.checkpoint_message(chain, result.head))  # fmt: skip
    assert key.path == audit_key and audit_key.stat().st_mode & 0o777 == 0o600
    assert audit_key.parent.stat().st_mode & 0o077 == 0, "the key's folder is the desk's alone"
    assert not signing.verify(result.checkpoint["public_key"], result.checkpoint["signature"],
                              audit.checkpoint_message(chain, "0" * 64))  # fmt: skip


def test_the_default_key_is_in_an_ignored_runtime_folder(monkeypatch) -> None:
    import subprocess

    from core.config import PROJECT_ROOT, audit_key_path

    monkeypatch.delenv("CRISISDESK_AUDIT_KEY")
    path = audit_key_path()
    assert path.is_relative_to(PROJECT_ROOT / "var")
    if (PROJECT_ROOT / ".git").exists():
        ignored = subprocess.run(["git", "-C", str(PROJECT_ROOT), "check-ignore", "-q", str(path)], check=False)
        assert ignored.returncode == 0, f"{path} is not ignored by git"


def test_audit_verify_fails_on_a_cut_chain_from_the_command_line(engine, db_url: str, chain: int, capsys) -> None:
    from crisisdesk.cli import main

    assert main(["audit", "verify", "--db", db_url]) == 0
    assert f"signed checkpoint seq {chain}" in capsys.readouterr().out
    _drop_all_guards(engine)
    _cut(engine, chain - 1)
    assert main(["audit", "verify", "--db", db_url]) == 1
    assert "cut off the end" in capsys.readouterr().err


def test_a_database_from_before_checkpoints_is_anchored_by_an_admin(engine, db_url: str, chain: int, capsys) -> None:
    from crisisdesk.cli import main

    with engine.begin() as conn:  # as a database upgraded from before checkpoints: records, none signed
        if engine.dialect.name == "sqlite":
            conn.execute(text("DROP TRIGGER audit_checkpoints_no_delete"))
        else:
            conn.execute(text("DROP TRIGGER audit_checkpoints_append_only ON audit_checkpoints"))
        conn.execute(text("DELETE FROM audit_checkpoints"))
    audit.witness_path(__import__("playbooks.workflow.signing", fromlist=["x"]).load().path).unlink()
    assert not audit.verify(engine).ok
    assert main(["audit", "checkpoint", "--by", "lars", "--db", db_url]) == 1  # a lead is not an admin
    assert main(["audit", "checkpoint", "--by", "admin", "--db", db_url]) == 0
    assert audit.verify(engine).ok


def test_a_copy_elsewhere_is_its_own_chain_but_a_restored_older_copy_is_a_cut(tmp_path: Path) -> None:
    import shutil

    from core.db import make_engine
    from crisisdesk import schema
    from tests.helpers.team import make_team

    live = tmp_path / "live.db"
    engine = make_engine(f"sqlite:///{live}")
    schema.upgrade(engine)
    make_team(engine)
    engine.dispose()
    shutil.copy(live, tmp_path / "older.db")
    engine = make_engine(f"sqlite:///{live}")
    incidents.open_incident(engine, title="Brand", by="lars")
    assert audit.verify(engine).ok
    engine.dispose()
    copy = make_engine(f"sqlite:///{tmp_path / 'older.db'}")  # a copy at another place forks: its own chain
    assert audit.verify(copy).ok
    copy.dispose()
    shutil.copy(tmp_path / "older.db", live)  # the live database rolled back to the older copy
    for suffix in ("-wal", "-shm"):
        (tmp_path / f"live.db{suffix}").unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{live}")
    assert any("cut off the end" in p for p in audit.verify(engine).problems)
    engine.dispose()


def test_a_mistyped_key_path_is_refused_rather_than_a_new_key_made(
    engine, db_url: str, chain: int, audit_key: Path, monkeypatch, capsys
) -> None:
    from crisisdesk.cli import main
    from playbooks.workflow import signing

    signed_by = signing.load().key_id
    mistyped = audit_key.with_name("audit-ed25519.pen")
    monkeypatch.setenv("CRISISDESK_AUDIT_KEY", str(mistyped))
    assert main(["incident", "open", "--title", "Brand", "--by", "lars", "--db", db_url]) == 1
    err = capsys.readouterr().err
    assert f"no signing key at {mistyped}" in err and f"signed with key {signed_by}" in err
    assert "Traceback" not in err
    assert not mistyped.exists(), "no key was made in the desk's key's place"
    assert audit.verify(engine).records == chain, "nothing was written without its signature"
    monkeypatch.setenv("CRISISDESK_AUDIT_KEY", str(audit_key))
    assert main(["incident", "open", "--title", "Brand", "--by", "lars", "--db", db_url]) == 0
    assert audit.verify(engine).ok
