"""Who may do what (R18). Every workflow action names itself here; the service checks the acting user's
current role on every call, so a revoked role is refused on the very next action."""

from __future__ import annotations

from sqlalchemy.orm import Session

from playbooks.workflow.models import ROLES, User

PERMISSIONS: dict[str, frozenset[str]] = {
    "accounts.import": frozenset({"admin"}),
    "users.manage": frozenset({"admin"}),
    "incident.open": frozenset({"lead"}),
    "incident.phase": frozenset({"lead"}),
    "incident.close": frozenset({"lead"}),
    "message.draft": frozenset({"analyst", "lead"}),
    "message.submit": frozenset({"analyst", "lead"}),
    "message.revise": frozenset({"analyst", "lead"}),
    "message.correct": frozenset({"analyst", "lead"}),
    "message.repeat": frozenset({"analyst", "lead"}),
    "message.approve": frozenset({"lead"}),
    "message.reject": frozenset({"lead"}),
    "message.publish": frozenset({"analyst", "lead"}),
    "flag.triage": frozenset({"analyst", "lead"}),
    "review.read": frozenset(ROLES),
}


class PermissionDenied(PermissionError):
    pass


def require(session: Session, username: str, action: str) -> User:
    """The acting user, if active and currently holding a role allowed to do `action`."""
    allowed = PERMISSIONS[action]
    user = session.get(User, username)
    if user is None:
        raise PermissionDenied(f"no user {username!r}")
    if user.disabled:
        raise PermissionDenied(f"user {username!r} is disabled")
    if user.role not in allowed:
        raise PermissionDenied(f"{username!r} is {user.role}; {action} needs {' or '.join(sorted(allowed))}")
    return user
