"""Signing in: local users with their password, or single sign-on (st.login) when it is configured."""

from __future__ import annotations

import streamlit as st

from dashboard import demo
from dashboard.i18n import LANGUAGES, t
from dashboard.render import escape_md
from dashboard.state import EXPIRED_KEY, SSO_LOGOUT_KEY, get_engine, start_session
from dashboard.views import people
from playbooks.workflow import users


def sso_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets.toml at all
        return False


def sso_signed_in() -> bool:
    return bool(getattr(st.user, "is_logged_in", False))


def sign_in_page() -> None:
    lang = st.session_state.get("crisisdesk_lang", "en")
    if st.session_state.pop(SSO_LOGOUT_KEY, False) and sso_signed_in():
        # A session from single sign-on ended (sign-out, expiry, a disabled user): end the identity too, or
        # the identity cookie would sign the person straight back in below.
        st.logout()
    st.title("crisisdesk")
    codes: list[str] = list(LANGUAGES)
    lang = st.selectbox("Language / Språk / Kieli / Sprache / Taal", codes, format_func=lambda code: LANGUAGES[code],
                        index=codes.index(lang), key="crisisdesk_lang") or "en"  # fmt: skip
    if st.session_state.pop(EXPIRED_KEY, False):
        st.info(t("Your session has expired: please sign in again.", lang))
    if not users.list_users(get_engine()):
        people.first_run(lang)
        return
    demo.logins(lang)
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
    if not sso_signed_in():
        if st.button(t("Sign in with single sign-on", lang)):
            st.login()
        return
    email = str(st.user.get("email") or "").strip().lower()
    verified = st.user.get("email_verified")
    if verified is not True and str(verified).lower() != "true":
        # An unverified address proves nothing: anyone can register one with some identity providers.
        st.error(escape_md(f"{email}: the identity provider has not verified this e-mail address, so it cannot "
                           f"sign in to crisisdesk."))  # fmt: skip
    elif (user := users.active(get_engine(), email)) is not None:
        start_session(user.name, sso=True)
        st.rerun()
    else:
        st.error(escape_md(f"{email}: no active crisisdesk user with this identity (an administrator adds it on the "
                           f"Users page)."))  # fmt: skip
    if st.button(t("Sign out of single sign-on", lang)):
        st.logout()
