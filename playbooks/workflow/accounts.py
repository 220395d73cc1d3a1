"""Importing the account registry as a workflow action: an admin's, audited (R11, R15)."""

from __future__ import annotations

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from playbooks.workflow import audit
from playbooks.workflow.models import User
from playbooks.workflow.roles import PermissionDenied, require
from sources import registry


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
