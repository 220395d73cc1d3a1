"""People and roles (R18): strong personal passwords, memory-hard hashes, admins manage users."""

from __future__ import annotations

import pytest

from playbooks.workflow import audit, users
from playbooks.workflow.roles import PermissionDenied


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("Short1a", "at least 10"),
        ("alllowercase1", "upper and lower"),
        ("NoDigitsHereAtAll", "digit"),
        ("Torsby2026kommun", None),
    ],
)
def test_password_rule(password: str, problem: str | None) -> None:
    found = users.password_problem(password)
    assert (found is None) if problem is None else (problem in (found or ""))


def test_passwords_are_stored_as_scrypt_hashes_and_checked(engine) -> None:
    users.add(engine, "admin", "admin", password="Torsby2026kommun")
    (admin,) = users.list_users(engine)
    assert admin.password_hash.startswith("scrypt$16384$8$1$") and "Torsby2026kommun" not in admin.password_hash
    assert users.authenticate(engine, "admin", "Torsby2026kommun") is not None
    assert users.authenticate(engine, "admin", "torsby2026kommun") is None


def test_the_first_user_needs_no_admin_but_every_later_change_does(engine) -> None:
    users.add(engine, "admin", "admin")
    with pytest.raises(PermissionDenied, match="--by ADMIN"):
        users.add(engine, "anna", "analyst")
    users.add(engine, "anna", "analyst", by="admin")
    with pytest.raises(PermissionDenied, match="'anna' is analyst"):
        users.add(engine, "bert", "lead", by="anna")
    with pytest.raises(users.UserError, match="exists already"):
        users.add(engine, "anna", "lead", by="admin")
    with pytest.raises(users.UserError, match="role 'boss'"):
        users.add(engine, "bert", "boss", by="admin")


def test_a_disabled_user_can_neither_sign_in_nor_act(engine, team) -> None:
    users.set_password(engine, "lars", "Ledare2026abc", by="admin")
    users.disable(engine, "lars", by="admin")
    assert users.authenticate(engine, "lars", "Ledare2026abc") is None
    with pytest.raises(PermissionDenied, match="disabled"):
        users.set_role(engine, "anna", "lead", by="lars")


def test_user_changes_are_audited(engine, team) -> None:
    users.set_role(engine, "anna", "lead", by="admin")
    actions = [(r.actor, r.action, r.object_id) for r in audit.records(engine, object_type="user")]
    assert actions[0] == ("setup", "user.add", "admin")
    assert actions[-1] == ("admin", "user.set_role", "anna")


# --- issue 12: nobody locks the administrators out ---------------------------------------------------


def test_the_first_user_must_be_an_admin(engine) -> None:
    with pytest.raises(users.UserError, match="the first user must be an admin"):
        users.add(engine, "anna", "analyst")
    assert users.list_users(engine) == []
    users.add(engine, "admin", "admin")


def test_the_last_admin_can_neither_demote_nor_disable_themselves(engine, team) -> None:
    with pytest.raises(users.UserError, match="'admin' is the last active admin"):
        users.set_role(engine, "admin", "analyst", by="admin")
    with pytest.raises(users.UserError, match="'admin' is the last active admin"):
        users.disable(engine, "admin", by="admin")
    users.add(engine, "second", "admin", by="admin")
    users.disable(engine, "admin", by="second")
    with pytest.raises(users.UserError, match="'second' is the last active admin"):
        users.set_role(engine, "second", "lead", by="second")
    assert [u.name for u in users.list_users(engine) if u.role == "admin" and not u.disabled] == ["second"]
