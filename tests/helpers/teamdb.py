"""A migrated SQLite database with the test team, built once per test process and copied for each test
(migrating and hashing the admin's password cost about a second a test), with the audit key that
signed its records."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from datetime import datetime
from pathlib import Path

from core.db import make_engine
from crisisdesk import schema
from tests.helpers.team import make_team

_BUILT: dict[str, Path] = {}


def team_database(folder: Path, audit_key: Path, at: datetime) -> str:
    """A copy of the team database in `folder` (its key copied to `audit_key`); its URL."""
    stamp = at.isoformat()
    if stamp not in _BUILT:
        _BUILT[stamp] = _build(at)
    source = _BUILT[stamp]
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source / "team.db", folder / "team.db")
    audit_key.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source / "audit-ed25519.pem", audit_key)
    audit_key.chmod(0o600)
    return f"sqlite:///{folder / 'team.db'}"


def _build(at: datetime) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="crisisdesk-teamdb-"))
    atexit.register(shutil.rmtree, folder, True)
    saved = {name: os.environ.get(name) for name in ("CRISISDESK_AUDIT_KEY", "CRISISDESK_NOW")}
    os.environ["CRISISDESK_AUDIT_KEY"] = str(folder / "audit-ed25519.pem")
    os.environ["CRISISDESK_NOW"] = at.isoformat()
    try:
        engine = make_engine(f"sqlite:///{folder / 'team.db'}")
        schema.upgrade(engine)
        make_team(engine)
        engine.dispose()
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return folder
