"""People and roles (R18): personal accounts, strong passwords stored with a memory-hard hash.

Passwords are argon2id hashes (argon2-cffi's RFC 9106 low-memory profile: 64 MiB, 3 passes, above OWASP's
minimum). Hashes from before (scrypt, N=2^14) are still checked and replaced at the next sign-in. Signing
in as an unknown, disabled or passwordless user costs one argon2id verification too, so the time taken
does not tell which names exist.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import re
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from core.clock import now
from core.db import read_session, write_session
from playbooks.workflow import audit
from playbooks.workflow.models import ROLES, User
from playbooks.workflow.roles import PERMISSIONS, PermissionDenied, require
from sources.language import LANGUAGES

_NAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,99}$")
_HASHER = PasswordHasher()  # argon2id, RFC 9106 low-memory profile


class UserError(ValueError):
    pass


def password_problem(password: str) -> str | None:
    """R18 (Torsby §5): at least 10 characters with upper and lower case letters and digits."""
    if not _utf8(password):
        return "a password must be valid UTF-8"
    if len(password) < 10:
        return "a password needs at least 10 characters"
    if not re.search(r"[a-zåäöüß]", password) or not re.search(r"[A-ZÅÄÖÜ]", password):
        return "a password needs both upper and lower case letters"
    if not re.search(r"\d", password):
        return "a password needs at least one digit"
    return None


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: bytes that were not UTF-8 on the command line or stdin
        return False
    return True


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


@functools.cache
def _dummy_hash() -> str:
    return _HASHER.hash(secrets.token_urlsafe(16))


def _check_scrypt(stored: str, password: str) -> bool:
    """A hash from before argon2id: `scrypt$N$r$p$salt$digest`."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        candidate = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p),
                                   maxmem=64 * 1024 * 1024, dklen=len(digest) // 2)  # fmt: skip
    except (ValueError, TypeError, MemoryError):
        return False
    return hmac.compare_digest(candidate.hex(), digest)


def check_password(stored: str | None, password: str) -> bool:
    """Whether `password` matches; without a stored argon2id hash, a dummy one is verified (same work)."""
    if not _utf8(password):
        password = password.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    if stored and stored.startswith("scrypt$"):
        return _check_scrypt(stored, password)
    target = stored if stored and stored.startswith("$argon2") else _dummy_hash()
    try:
        ok = bool(_HASHER.verify(target, password))
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        ok = False
    return ok and target is stored


def needs_rehash(stored: str) -> bool:
    if not stored.startswith("$argon2"):
        return True
    try:
        return _HASHER.check_needs_rehash(stored)
    except (InvalidHashError, ValueError):
        return True


def _actor(session: Session, by: str | None) -> str:
    """Managing users needs an admin, except for the very first user of an empty database."""
    if _empty(session):
        return by or "setup"
    if by is None:
        raise PermissionDenied("managing users needs --by ADMIN once a first user exists")
    require(session, by, "users.manage")
    return by


def add(engine: Engine, name: str, role: str, *, password: str | None = None, by: str | None = None) -> User:
    if not _NAME.match(name):
        raise UserError(f"user name {name!r}: 2-100 lower-case letters, digits, '.', '_', '@' or '-'")
    if role not in ROLES:
        raise UserError(f"role {role!r} is not one of {', '.join(ROLES)}")
    if password is not None and (problem := password_problem(password)):
        raise UserError(problem)
    stamp = now()
    with write_session(engine) as session:
        if _empty(session) and role != "admin":
            raise UserError(
                f"the first user must be an admin (someone has to manage the others): add {name!r} with --role admin"
            )
        actor = _actor(session, by)
        if session.get(User, name) is not None:
            raise UserError(f"user {name!r} exists already (use users set-role)")
        user = User(name=name, role=role, password_hash=hash_password(password) if password else None,
                    disabled=False, created_at=stamp, updated_at=stamp)  # fmt: skip
        session.add(user)
        session.flush()
        audit.append(session, actor, "user.add", "user", name, role=role, password=password is not None)
    return user


def set_role(engine: Engine, name: str, role: str, *, by: str | None) -> None:
    if role not in ROLES:
        raise UserError(f"role {role!r} is not one of {', '.join(ROLES)}")
    with write_session(engine) as session:
        actor = _actor(session, by)
        user = _existing(session, name)
        if role != "admin":
            _keep_an_admin(session, user)
        old, user.role, user.updated_at = user.role, role, now()
        audit.append(session, actor, "user.set_role", "user", name, old=old, new=role)


def set_password(engine: Engine, name: str, password: str, *, by: str | None) -> None:
    if problem := password_problem(password):
        raise UserError(problem)
    with write_session(engine) as session:
        actor = by if by == name else _actor(session, by)
        user = _existing(session, name)
        user.password_hash, user.updated_at = hash_password(password), now()
        audit.append(session, actor, "user.set_password", "user", name)


def disable(engine: Engine, name: str, *, by: str | None) -> None:
    with write_session(engine) as session:
        actor = _actor(session, by)
        user = _existing(session, name)
        _keep_an_admin(session, user)
        user.disabled, user.updated_at = True, now()
        audit.append(session, actor, "user.disable", "user", name)


def set_preferences(engine: Engine, name: str, *, language: str | None = None, timezone: str | None = None) -> None:
    """A user's own interface language and time zone (any signed-in user, for themselves)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if language is not None and language not in LANGUAGES:
        raise UserError(f"interface language {language!r} is not one of {', '.join(LANGUAGES)}")
    if timezone is not None:
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise UserError(f"unknown time zone {timezone!r}") from exc
    with write_session(engine) as session:
        user = _existing(session, name)
        user.language = language or user.language
        user.timezone = timezone or user.timezone
        user.updated_at = now()
        audit.append(session, name, "user.preferences", "user", name, language=user.language, timezone=user.timezone)


def _lookup(engine: Engine, name: str) -> User | None:
    """The user of a typed or asserted name; a name with a NUL is nobody's (every name passes `_NAME`), and
    PostgreSQL would refuse it as a parameter rather than find no one."""
    if "\x00" in name:
        return None
    with read_session(engine) as session:
        return session.get(User, name)


def authenticate(engine: Engine, name: str, password: str) -> User | None:
    user = _lookup(engine, name)
    stored = user.password_hash if user is not None and not user.disabled else None
    if not check_password(stored, password) or user is None or stored is None:
        return None
    if needs_rehash(stored):  # an old scrypt hash (or weaker argon2 parameters): replace it now we have the password
        with write_session(engine) as session:
            session.execute(update(User).where(User.name == name, User.password_hash == stored)
                            .values(password_hash=hash_password(password)))  # fmt: skip
    return user


def active(engine: Engine, name: str) -> User | None:
    """The user, if they exist and are not disabled: what a signed-in session is re-checked against."""
    user = _lookup(engine, name)
    return user if user is not None and not user.disabled else None


def assignees(engine: Engine) -> list[str]:
    """Active users who may take a flag (triage), by name: the choices for assigning and escalating."""
    with read_session(engine) as session:
        return list(
            session.scalars(
                select(User.name)
                .where(User.disabled.is_(False), User.role.in_(PERMISSIONS["flag.triage"]))
                .order_by(User.name)
            )
        )


def list_users(engine: Engine) -> list[User]:
    with read_session(engine) as session:
        return list(session.scalars(select(User).order_by(User.name)))


def _empty(session: Session) -> bool:
    return session.scalar(select(User.name).limit(1)) is None


def _keep_an_admin(session: Session, user: User) -> None:
    """Refuse a change that would leave nobody able to manage users (the last active admin leaving)."""
    if user.role != "admin" or user.disabled:
        return
    # FOR UPDATE (PostgreSQL): two admins disabling each other at once wait for one another, and the second
    # then sees the first's change; SQLite's writers are serialised already.
    admins = session.scalars(
        select(User.name).where(User.role == "admin", User.disabled.is_(False)).with_for_update()
    ).all()
    if not set(admins) - {user.name}:
        raise UserError(
            f"{user.name!r} is the last active admin: add or promote another admin first, or nobody can manage users"
        )


def _existing(session: Session, name: str) -> User:
    user = session.get(User, name)
    if user is None:
        raise UserError(f"no user {name!r}")
    return user
