"""Entry point: `streamlit run dashboard/app.py` (started for you by `crisisdesk up` / `demo`).

Builds the navigation from the signed-in user's role and runs the page; nothing else.
"""

from __future__ import annotations

import streamlit as st

from dashboard.auth import sign_in_page
from dashboard.i18n import LANGUAGES
from dashboard.state import current_user, end_session, get_engine
from playbooks.workflow import users


def _save_preferences(name: str) -> None:
    # A callback runs before the page is drawn again, so the page comes back in the new language.
    users.set_preferences(get_engine(), name, language=st.session_state["pref-language"],
                          timezone=st.session_state["pref-zone"])  # fmt: skip


st.set_page_config(page_title="crisisdesk", layout="wide")
viewer = current_user()
if viewer is None:
    st.navigation([st.Page(sign_in_page, title="Sign in", url_path="sign-in")], position="hidden").run()
else:
    # Every page checks the role again itself; the navigation only offers what the role may use.
    pages = [st.Page("pages/monitor.py", title=viewer.t("Live monitor"), url_path="monitor", default=True)]
    if viewer.role in ("lead", "analyst"):
        pages.append(st.Page("pages/approvals.py", title=viewer.t("Approvals"), url_path="approvals"))
        pages.append(st.Page("pages/drafting.py", title=viewer.t("Drafting"), url_path="drafting"))
    pages.append(st.Page("pages/health.py", title=viewer.t("Sources"), url_path="sources"))
    pages.append(st.Page("pages/review.py", title=viewer.t("Review"), url_path="review"))
    with st.sidebar:
        st.caption(f"{viewer.name} · {viewer.role}")
        codes = list(LANGUAGES)
        st.selectbox(viewer.t("Language"), codes, index=codes.index(viewer.language) if viewer.language in codes else 0,
                                format_func=lambda code: LANGUAGES[code], key="pref-language", on_change=_save_preferences,
                                args=(viewer.name,))  # fmt: skip
        zones = ["Europe/Stockholm", "Europe/Helsinki", "Europe/Berlin", "Europe/Zurich", "Europe/Amsterdam", "UTC"]
        st.selectbox(viewer.t("Time zone"), zones, index=zones.index(viewer.timezone) if viewer.timezone in zones else 0,
                            key="pref-zone", on_change=_save_preferences, args=(viewer.name,))  # fmt: skip
        if st.button(viewer.t("Sign out")):
            end_session()
            st.rerun()
    st.navigation(pages).run()
