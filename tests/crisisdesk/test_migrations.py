"""Schema revisions that repair data on the way: a database from before the revision upgrades cleanly."""

from __future__ import annotations

import os
from datetime import UTC, datetime

from alembic import command
from sqlalchemy import insert, select

from core.db import make_engine, read_session
from crisisdesk import schema
from playbooks.workflow.models import Incident, Message, User


def test_0004_leaves_one_live_message_per_language_the_newest(tmp_path) -> None:
    """Before 0004 a superseded approved version could be published again (issue 12 item 3): two live rows."""
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    cfg = schema.alembic_config(engine)
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "0003")
    stamp = datetime(2026, 11, 22, 7, 0, tzinfo=UTC)
    with engine.begin() as connection:
        connection.execute(insert(User.__table__).values(name="lars", role="lead", disabled=False, language="en",
                                                         timezone="UTC", created_at=stamp, updated_at=stamp))  # fmt: skip
        connection.execute(insert(Incident.__table__).values(id=1, title="Brand", playbook="default", phase="acute",
                                                             keywords=[], exercise=False, opened_by="lars",
                                                             opened_at=stamp))  # fmt: skip
        for message_id, language in ((1, "sv"), (2, "sv"), (3, "en"), (4, "sv")):
            connection.execute(insert(Message.__table__).values(
                id=message_id, incident_id=1, kind="update", state="published" if message_id != 4 else "draft",
                language=language, text="x", text_hash="x", author="lars", created_at=stamp, published_at=stamp,
                checks={},
            ))  # fmt: skip
    schema.upgrade(engine)
    with read_session(engine) as session:
        rows = {m.id: (m.state, m.superseded_by_id) for m in session.scalars(select(Message))}
    assert rows == {1: ("superseded", 2), 2: ("published", None), 3: ("published", None), 4: ("draft", None)}
    assert schema.is_current(engine)
    engine.dispose()


def test_six_commands_at_once_on_a_new_database_all_work(tmp_path) -> None:
    """The first command creates the schema while the others wait for it, instead of "database is locked".

    Only the commands that set a desk up make a new database file (the others refuse a missing one)."""
    import os
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'new.db'}"
    env = {k: v for k, v in os.environ.items() if k != "CRISISDESK_NOW"}
    procs = [subprocess.Popen([sys.executable, "-m", "crisisdesk", *command, "--db", url], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
             for command in [["init"]] * 5 + [["users", "add", "admin", "--role", "admin"]]]  # fmt: skip
    results = [(p.wait(timeout=120), p.stdout.read() if p.stdout else "") for p in procs]
    assert [code for code, _ in results] == [0] * 6, results
    engine = make_engine(url)
    assert schema.is_current(engine)
    engine.dispose()


def test_concurrent_upgrades_of_a_new_postgresql_database_wait_for_each_other(postgres) -> None:
    import threading

    import pytest
    from sqlalchemy import create_engine

    if isinstance(postgres, str):
        pytest.skip(f"PostgreSQL half skipped: {postgres}")
    name = f"t_upgrade_{os.getpid()}"
    admin = create_engine(postgres.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    errors: list[BaseException] = []

    def upgrade() -> None:
        engine = make_engine(postgres.url(name))
        try:
            schema.upgrade(engine)
        except BaseException as exc:  # collected: the assertion below names it
            errors.append(exc)
        finally:
            engine.dispose()

    threads = [threading.Thread(target=upgrade) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    try:
        assert errors == []
        engine = make_engine(postgres.url(name))
        assert schema.is_current(engine)
        engine.dispose()
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def test_a_percent_in_the_database_url_is_not_a_traceback(tmp_path, postgres, capsys) -> None:
    """Alembic's config interpolates "%": a percent-encoded password (p%40ss) failed every command."""
    from crisisdesk.cli import main

    urls = [f"sqlite:///{tmp_path / '100%.db'}"]
    if not isinstance(postgres, str):
        urls.append(postgres.url().replace("crisisdesk@", "crisisdesk:p%40ss@", 1))  # trust: any password
    for url in urls:
        assert main(["init", "--db", url]) == 0, capsys.readouterr().err
        assert main(["incident", "list", "--db", url]) == 0, capsys.readouterr().err
