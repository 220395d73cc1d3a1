"""The seams between Streamlit and the library: the cached engine and the signed-in user."""

from __future__ import annotations

import time
from dataclasses import dataclass

import streamlit as st
from sqlalchemy import Engine

from core.config import database_url
from core.db import make_engine, read_session
from dashboard.i18n import t
from playbooks.workflow.models import User

SESSION_KEY = "crisisdesk_user"
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


def start_session(name: str) -> None:
    now = time.time()
    st.session_state[SESSION_KEY] = {"name": name, "since": now, "seen": now}


def end_session() -> None:
    st.session_state.pop(SESSION_KEY, None)


def current_user() -> Viewer | None:
    """The signed-in user as the database has them now (role changes apply at once), or None."""
    session = st.session_state.get(SESSION_KEY)
    if not session:
        return None
    now = time.time()
    if now - session["since"] > SESSION_MAX_S or now - session["seen"] > SESSION_IDLE_S:
        end_session()
        st.session_state["crisisdesk_expired"] = True
        return None
    session["seen"] = now
    with read_session(get_engine()) as db:
        user = db.get(User, session["name"])
    if user is None or user.disabled:
        end_session()
        return None
    return Viewer(user.name, user.role, user.language, user.timezone)
