"""Importing the account registry as a workflow action: an admin's, audited (R11, R15)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from core.db import read_session
from playbooks.workflow import audit
from playbooks.workflow.models import User
from playbooks.workflow.roles import PermissionDenied, require
from sources import registry
from sources.boundedyaml import YAMLProblems, read_yaml
from sources.models import OFFICIAL_KINDS, Account, Organisation


def import_accounts(engine: Engine, reg: registry.Registry, *, by: str | None) -> registry.ImportReport:
    def within(session: Session, report: registry.ImportReport) -> None:
        actor = by or "setup"
        if session.scalar(select(User.name).limit(1)) is not None:
            if by is None:
                raise PermissionDenied("importing accounts needs --by ADMIN once users exist")
            require(session, by, "accounts.import")
        audit.append(session, actor, "accounts.import", "registry", reg.organisation, created=report.created,
                     updated=report.updated, accounts=len(reg.accounts))  # fmt: skip

    return registry.import_registry(engine, reg, within=within)


# --- the registry in the browser (issue 13): a file checked entry by entry, one account edited ---------

_ENTRY = re.compile(r"^accounts\[(\d+)\](?: \(id [^)]*\))?: ")


@dataclass
class Entry:
    """One account of an uploaded file as the administrator sees it: its fields and what is wrong with it."""

    number: int  # from 1, as a person counts
    id: str
    name: str
    kind: str
    problems: list[str] = field(default_factory=list)


@dataclass
class RegistryCheck:
    entries: list[Entry]
    problems: list[str]  # of the file as a whole (YAML, the organisation, the list itself)
    warnings: list[str]  # R12: official accounts with fewer than two administrators
    registry: registry.Registry | None  # what would be imported, when nothing is wrong


def check_registry(data: bytes, name: str = "registry") -> RegistryCheck:
    """Validate a registry file as the import would, with each problem put to the entry it is about."""
    if len(data) > registry.MAX_FILE_BYTES:
        return RegistryCheck([], [f"the file is larger than 1 MiB ({registry.MAX_FILE_BYTES} bytes)"], [], None)
    try:
        text = data.decode("utf-8")
        document = read_yaml(text)
    except UnicodeDecodeError:
        return RegistryCheck([], ["the file is not UTF-8 text"], [], None)
    except YAMLProblems as exc:
        return RegistryCheck([], exc.problems, [], None)
    except yaml.reader.ReaderError as exc:  # a NUL or another control character, refused before parsing
        return RegistryCheck([], [_unreadable(text, exc)], [], None)
    items = document.get("accounts") if isinstance(document, dict) else None
    entries = [
        Entry(i + 1, _field(item, "id"), _field(item, "name"), _field(item, "kind"))
        for i, item in enumerate(items if isinstance(items, list) else [])
    ]
    try:
        parsed = registry.parse(document, source=name)
    except registry.RegistryError as exc:
        whole = []
        for problem in exc.problems:
            found = _ENTRY.match(problem)
            if found and int(found.group(1)) < len(entries):
                entries[int(found.group(1))].problems.append(problem[found.end() :])
            else:
                whole.append(problem)
        return RegistryCheck(entries, whole, _r12(items), None)
    return RegistryCheck(entries, [], registry.warnings_for(parsed.accounts), parsed)


def _unreadable(text: str, exc: yaml.reader.ReaderError) -> str:
    """Where the character PyYAML refuses to read is (a NUL, ESC, BEL…), as a person finds it in an editor."""
    before = text[: exc.position]
    line, column = before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1
    return f"line {line}, column {column}: a character YAML does not allow (U+{exc.character:04X}); remove it"


def _r12(items: Any) -> list[str]:
    """R12 for the entries of a file that does not import yet: said now, not after the next upload."""
    found = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and item.get("kind") in OFFICIAL_KINDS:
            admins = item.get("administrators")
            count = len(admins) if isinstance(admins, list) else 0
            if count < 2:
                found.append(f"account {_field(item, 'id')!r}: {count} administrator(s); R12 asks for at least two "
                             "on every official account")  # fmt: skip
    return found


def _field(item: Any, key: str) -> str:
    return str(item.get(key) or "")[:200] if isinstance(item, dict) else ""


def edit_account(engine: Engine, account_id: str, changes: dict[str, Any], *, by: str) -> registry.ImportReport:
    """Change one account as if its entry were imported alone: validated like a file, audited, by an admin.
    A feed address left out stays as stored (the page never shows it, as it may hold a key)."""
    with read_session(engine) as session:
        require(session, by, "accounts.import")
        account = session.get(Account, account_id)
        org = session.get(Organisation, 1)
        if account is None or org is None:
            raise registry.RegistryError("account", [f"no account {account_id!r}"])
        entry: dict[str, Any] = {
            "id": account.id, "name": account.name, "kind": account.kind, "platform": account.platform,
            "feed": account.feed.url, "homepage": account.homepage, "owner": account.owner,
            "administrators": list(account.administrators), "languages": list(account.languages),
            "interval": account.feed.interval_s,
        }  # fmt: skip
        organisation, networks = org.name, list(org.allow_networks or [])
    entry.update({key: value for key, value in changes.items() if value is not None})
    entry = {key: value for key, value in entry.items() if value not in (None, "")}
    document = {"organisation": organisation, "allow_networks": networks, "accounts": [entry]}
    return import_accounts(engine, registry.parse(document, source=f"account {account_id}"), by=by)
