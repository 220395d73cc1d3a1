"""People and roles (R18): strong personal passwords, memory-hard hashes, admins manage users."""

from __future__ import annotations

import pytest

from playbooks.workflow import audit, users
from playbooks.workflow.roles import PermissionDenied

# These tests are about the hashing itself: at the product's cost, not the suite's cheap one (conftest).
pytestmark = pytest.mark.production_password_hashes


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


def test_passwords_are_stored_as_argon2id_hashes_and_checked(engine) -> None:
    users.add(engine, "admin", "admin", password="Torsby2026kommun")
    (admin,) = users.list_users(engine)
    assert admin.password_hash.startswith("$argon2id$") and "Torsby2026kommun" not in admin.password_hash
    params = dict(p.split("=") for p in admin.password_hash.split("$")[3].split(","))
    assert int(params["m"]) >= 19456 and int(params["t"]) >= 2, "at least OWASP's argon2id minimum"
    assert users.authenticate(engine, "admin", "Torsby2026kommun") is not None
    assert users.authenticate(engine, "admin", "torsby2026kommun") is None


def _old_scrypt(password: str) -> str:
    """A hash as the desk stored them before argon2id (scrypt N=2^14)."""
    import hashlib
    import secrets

    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1, maxmem=64 * 1024 * 1024, dklen=32)
    return f"scrypt$16384$8$1${salt.hex()}${digest.hex()}"


def test_an_old_scrypt_hash_is_rehashed_with_argon2id_at_sign_in(engine) -> None:
    from sqlalchemy import update

    from core.db import write_session
    from playbooks.workflow.models import User

    users.add(engine, "admin", "admin", password="Torsby2026kommun")
    with write_session(engine) as session:
        session.execute(update(User).where(User.name == "admin").values(password_hash=_old_scrypt("Torsby2026kommun")))
    assert users.authenticate(engine, "admin", "wrong2026Kommun") is None
    assert users.list_users(engine)[0].password_hash.startswith("scrypt$"), "a wrong password changes nothing"
    assert users.authenticate(engine, "admin", "Torsby2026kommun") is not None
    rehashed = users.list_users(engine)[0].password_hash
    assert rehashed.startswith("$argon2id$")
    assert users.authenticate(engine, "admin", "Torsby2026kommun") is not None
    assert users.list_users(engine)[0].password_hash == rehashed, "rehashed once"


def test_unknown_disabled_and_passwordless_users_cost_one_hash_like_the_rest(engine, team, monkeypatch) -> None:
    users.set_password(engine, "lars", "Ledare2026abc", by="admin")
    users.add(engine, "olle", "analyst", password="Olle2026abcd", by="admin")
    users.disable(engine, "olle", by="admin")
    calls: list[str] = []
    real = users._HASHER

    class Counting:
        def __getattr__(self, name):
            return getattr(real, name)

        def verify(self, stored, password):
            calls.append(stored[:10])
            return real.verify(stored, password)

    monkeypatch.setattr(users, "_HASHER", Counting())
    for name, password in (("lars", "Ledare2026abc"), ("lars", "wrong"), ("nobody", "x"), ("olle", "Olle2026abcd"),
                           ("anna", "Anna2026abcd")):  # fmt: skip
        calls.clear()
        users.authenticate(engine, name, password)
        assert len(calls) == 1 and calls[0].startswith("$argon2id$"), (name, calls)
    assert users.authenticate(engine, "olle", "Olle2026abcd") is None


def test_a_password_that_is_not_utf8_is_refused(engine) -> None:
    with pytest.raises(users.UserError, match="UTF-8"):
        users.add(engine, "admin", "admin", password="Torsby2026\udcffkommun")
    assert users.authenticate(engine, "admin", "Torsby2026\udcffkommun") is None


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


def test_passwords_are_hashed_at_the_rfc_9106_low_memory_cost(engine) -> None:
    users.add(engine, "admin", "admin", password="Torsby2026kommun")
    stored = users.list_users(engine)[0].password_hash
    assert stored is not None and stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
