"""Signing in: local users with their password, or single sign-on (st.login) when it is configured."""

from __future__ import annotations

import streamlit as st

from core.db import read_session
from dashboard.i18n import LANGUAGES, t
from dashboard.state import get_engine, start_session
from playbooks.workflow import users
from playbooks.workflow.models import User


def sso_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets.toml at all
        return False


def sign_in_page() -> None:
    lang = st.session_state.get("crisisdesk_lang", "en")
    st.title("crisisdesk")
    codes: list[str] = list(LANGUAGES)
    lang = st.selectbox("Language / Språk / Kieli / Sprache / Taal", codes, format_func=lambda code: LANGUAGES[code],
                        index=codes.index(lang), key="crisisdesk_lang") or "en"  # fmt: skip
    if st.session_state.pop("crisisdesk_expired", False):
        st.info(t("Your session has expired: please sign in again.", lang))
    if sso_configured():
        _single_sign_on(lang)
    with st.form("sign-in"):
        name = st.text_input(t("User name", lang))
        password = st.text_input(t("Password", lang), type="password")
        if st.form_submit_button(t("Sign in", lang), type="primary"):
            user = users.authenticate(get_engine(), name.strip().lower(), password)
            if user is None:
                st.error(t("Wrong user name or password.", lang))
            else:
                start_session(user.name)
                st.rerun()


def _single_sign_on(lang: str) -> None:
    if getattr(st.user, "is_logged_in", False):
        email = str(st.user.get("email") or "").lower()
        with read_session(get_engine()) as db:
            user = db.get(User, email)
        if user is not None and not user.disabled:
            start_session(user.name)
            st.rerun()
        st.error(
            f"{email}: no crisisdesk user with this identity (an administrator adds it with `crisisdesk users add`)."
        )
    elif st.button(t("Sign in with single sign-on", lang)):
        st.login()
