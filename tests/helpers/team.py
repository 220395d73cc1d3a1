"""A crisis team for workflow tests: an admin, two analysts, two leads, a reviewer."""

from __future__ import annotations

from sqlalchemy import Engine

from playbooks.workflow import users

TEAM = {"admin": "admin", "anna": "analyst", "arvid": "analyst", "lars": "lead", "lena": "lead", "rita": "reviewer"}
PASSWORD = "Correct7Horse"


def make_team(engine: Engine) -> dict[str, str]:
    users.add(engine, "admin", "admin", password=PASSWORD)
    for name, role in TEAM.items():
        if name != "admin":
            users.add(engine, name, role, by="admin")
    return TEAM
