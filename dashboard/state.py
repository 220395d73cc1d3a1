"""The seams between Streamlit and the library: the cached engine and the signed-in user's session."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import time
from base64 import urlsafe_b64decode, urlsafe_b64encode
from dataclasses import dataclass
from pathlib import Path

import streamlit as st
from sqlalchemy import Engine

from core.config import PROJECT_ROOT, database_url
from core.db import make_engine
from dashboard.i18n import t
from playbooks.workflow import users

SESSION_KEY = "crisisdesk_user"
EXPIRED_KEY = "crisisdesk_expired"
# Set when a session that came from single sign-on ends: the sign-in page then calls st.logout(), or the
# identity cookie would sign the person straight back in.
SSO_LOGOUT_KEY = "crisisdesk_sso_logout"
# A session ends after this long, or after this long without a click (R18: log out, no shared sessions).
SESSION_MAX_S = 12 * 3600
SESSION_IDLE_S = 2 * 3600
# A reload starts a new Streamlit session: a signed, expiring cookie carries the sign-in across it (issue 13).
COOKIE = "crisisdesk_session"
COOKIE_WRITE_KEY = "crisisdesk_cookie_write"  # what the next page run writes: a token, or "" to clear it
COOKIE_SEEN_KEY = "crisisdesk_cookie_seen"  # the `seen` last written, so the cookie is renewed now and then
NO_RESTORE_KEY = "crisisdesk_no_restore"  # signed out in this browser session: the old cookie no longer counts
COOKIE_RENEW_S = 300


@dataclass(frozen=True)
class Viewer:
    name: str
    role: str
    language: str
    timezone: str

    def t(self, text: str) -> str:
        return t(text, self.language)


def get_engine() -> Engine:
    return _engine_for(database_url())


@st.cache_resource
def _engine_for(url: str) -> Engine:
    return make_engine(url)


def start_session(name: str, *, sso: bool = False, since: float | None = None) -> None:
    now = time.time()
    st.session_state[SESSION_KEY] = {"name": name, "since": since or now, "seen": now, "sso": sso}
    st.session_state.pop(NO_RESTORE_KEY, None)
    if not sso:  # single sign-on keeps its own identity cookie
        _queue_cookie(name, since or now, now)


def end_session() -> None:
    session = st.session_state.pop(SESSION_KEY, None)
    if session and session.get("sso"):
        st.session_state[SSO_LOGOUT_KEY] = True
    # The browser still sends the old cookie on this connection: it must not sign the person back in.
    st.session_state[NO_RESTORE_KEY] = True
    st.session_state[COOKIE_WRITE_KEY] = ""


def _secret() -> bytes:
    """The key that signs session cookies: `CRISISDESK_SESSION_SECRET` (the same on every dashboard
    instance), else a random key kept in var/session.key, made on first use."""
    if env := os.environ.get("CRISISDESK_SESSION_SECRET"):
        return env.encode()
    return _file_secret(str(PROJECT_ROOT / "var" / "session.key"))


@st.cache_resource
def _file_secret(path: str) -> bytes:
    file = Path(path)
    if not file.exists():
        # Written whole under a name of its own, then linked into place: two dashboards starting at once
        # agree on one key, and neither reads a half-written file.
        file.parent.mkdir(parents=True, exist_ok=True)
        temp = file.with_name(f"{file.name}.{os.getpid()}")
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_hex(32))
        try:
            os.link(temp, file)
        except FileExistsError:
            pass
        finally:
            temp.unlink()
    return file.read_text().strip().encode()


def _password_tag(name: str) -> str:
    """Changes when the password does: a new password ends every cookie issued before it."""
    user = users.active(get_engine(), name)
    stored = (user.password_hash if user else None) or ""
    return hashlib.sha256(stored.encode()).hexdigest()[:16]


def session_token(name: str, since: float, seen: float) -> str:
    body = urlsafe_b64encode(
        json.dumps({"n": name, "s": int(since), "a": int(seen), "p": _password_tag(name)}).encode()
    ).decode()
    signature = hmac.new(_secret(), body.encode(), hashlib.sha256).hexdigest()
    return f"{body}.{signature}"


def read_token(token: str) -> tuple[str, float] | None:
    """The user and the session's start, if the token is signed by us, not expired (12 hours, or 2 hours
    since the last click it recorded) and issued under the user's current password; else None."""
    body, _, signature = token.partition(".")
    expected = hmac.new(_secret(), body.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(signature, expected):
        return None
    try:
        data = json.loads(urlsafe_b64decode(body.encode()))
        name, since, seen, tag = str(data["n"]), float(data["s"]), float(data["a"]), str(data["p"])
    except (ValueError, KeyError, TypeError):
        return None
    now = time.time()
    if now - since > SESSION_MAX_S or now - seen > SESSION_IDLE_S or tag != _password_tag(name):
        return None
    return name, since


def _queue_cookie(name: str, since: float, seen: float) -> None:
    st.session_state[COOKIE_WRITE_KEY] = session_token(name, since, seen)
    st.session_state[COOKIE_SEEN_KEY] = seen


def write_cookie() -> None:
    """Called once per page run: writes (or clears) the session cookie in the browser when it changed, and
    renews it every few minutes of activity so that a reload keeps an active session."""
    session = st.session_state.get(SESSION_KEY)
    if (
        session
        and not session.get("sso")
        and session["seen"] - st.session_state.get(COOKIE_SEEN_KEY, 0) > COOKIE_RENEW_S
    ):
        _queue_cookie(session["name"], session["since"], session["seen"])
    token = st.session_state.pop(COOKIE_WRITE_KEY, None)
    if token is None:
        return
    age = SESSION_MAX_S if token else 0
    # The token is hex and URL-safe base64 only: nothing in it can end the string or the script.
    st.html(
        f"<script>document.cookie = '{COOKIE}={token}; path=/; max-age={age}; SameSite=Strict'"
        f" + (location.protocol === 'https:' ? '; Secure' : '');</script>",
        unsafe_allow_javascript=True,
    )


def _restore() -> None:
    """A reload (or a new tab): the signed cookie brings the session back."""
    if st.session_state.get(NO_RESTORE_KEY):
        return
    try:
        token = st.context.cookies.get(COOKIE)
    except Exception:  # no browser connection (tests, bare mode)
        return
    if isinstance(token, str) and token and (found := read_token(token)):
        now = time.time()
        st.session_state[SESSION_KEY] = {"name": found[0], "since": found[1], "seen": now, "sso": False}


def touch() -> None:
    """A person acted (a click inside a live part, which reruns only that part): the session is not idle."""
    session = st.session_state.get(SESSION_KEY)
    if session:
        session["seen"] = time.time()


def current_user(*, touch: bool = True) -> Viewer | None:
    """The signed-in user as the database has them now (role changes apply at once), or None, ending a
    session that expired or whose user was disabled or removed. `touch=False` for timed refreshes, which
    are not the person's activity and must not keep an idle session alive."""
    if SESSION_KEY not in st.session_state:
        _restore()
    session = st.session_state.get(SESSION_KEY)
    if not session:
        return None
    now = time.time()
    if now - session["since"] > SESSION_MAX_S or now - session["seen"] > SESSION_IDLE_S:
        end_session()
        st.session_state[EXPIRED_KEY] = True
        return None
    user = users.active(get_engine(), session["name"])
    if user is None:
        end_session()
        return None
    if touch:
        session["seen"] = now
    return Viewer(user.name, user.role, user.language, user.timezone)
