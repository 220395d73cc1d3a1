"""The seams between Streamlit and the library: the cached engine and the signed-in user's session."""

from __future__ import annotations

import time
from dataclasses import dataclass

import streamlit as st
from sqlalchemy import Engine

from core.config import database_url
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


def start_session(name: str, *, sso: bool = False) -> None:
    now = time.time()
    st.session_state[SESSION_KEY] = {"name": name, "since": now, "seen": now, "sso": sso}


def end_session() -> None:
    session = st.session_state.pop(SESSION_KEY, None)
    if session and session.get("sso"):
        st.session_state[SSO_LOGOUT_KEY] = True


def touch() -> None:
    """A person acted (a click inside a live part, which reruns only that part): the session is not idle."""
    session = st.session_state.get(SESSION_KEY)
    if session:
        session["seen"] = time.time()


def current_user(*, touch: bool = True) -> Viewer | None:
    """The signed-in user as the database has them now (role changes apply at once), or None, ending a
    session that expired or whose user was disabled or removed. `touch=False` for timed refreshes, which
    are not the person's activity and must not keep an idle session alive."""
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
