"""Registry files for tests: accounts pointing at the local feed server (allow_networks 127.0.0.0/8)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


def write_registry(path: Path, accounts: list[dict[str, Any]], **top: Any) -> Path:
    document = {
        "organisation": "Torsby kommun",
        "allow_networks": ["127.0.0.0/8"],
        **top,
        "accounts": accounts,
    }
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def account(account_id: str, feed: str, kind: str = "website", **extra: Any) -> dict[str, Any]:
    return {
        "id": account_id,
        "name": extra.pop("name", f"Account {account_id}"),
        "kind": kind,
        "platform": extra.pop("platform", "web" if kind == "website" else "forum"),
        "feed": feed,
        "administrators": extra.pop("administrators", ["a@torsby.example", "b@torsby.example"]),
        **extra,
    }
