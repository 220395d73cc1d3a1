"""Where the database lives: `--db URL`, else `CRISISDESK_DATABASE_URL`, else SQLite under data/."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("CRISISDESK_DATA_DIR", PROJECT_ROOT / "data"))
USER_AGENT = "crisisdesk/0.1 (+feed monitor of a public-sector crisis communication unit)"


def default_sqlite_path() -> Path:
    return DATA_DIR / "crisisdesk.db"


def database_url(explicit: str | None = None) -> str:
    if explicit:
        return explicit
    env = os.environ.get("CRISISDESK_DATABASE_URL")
    if env:
        return env
    return f"sqlite:///{default_sqlite_path()}"


def audit_key_path() -> Path:
    """The Ed25519 key that signs the audit chain's head and archive manifests: outside the database.

    `$CRISISDESK_AUDIT_KEY`, else `var/keys/audit-ed25519.pem` (a runtime folder git ignores).
    """
    explicit = os.environ.get("CRISISDESK_AUDIT_KEY")
    if explicit:
        return Path(explicit)
    return PROJECT_ROOT / "var" / "keys" / "audit-ed25519.pem"
