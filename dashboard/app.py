"""Entry point: `streamlit run dashboard/app.py` (started for you by `crisisdesk up` / `demo`).

Builds the navigation from the signed-in user's role and runs the page; nothing else. Every page is a
function behind the one guard (dashboard/guard.py), which checks the session again on each run.
"""

from __future__ import annotations

import streamlit as st

from dashboard import demo
from dashboard.auth import sign_in_page
from dashboard.i18n import LANGUAGES
from dashboard.render import escape_md
from dashboard.state import current_user, end_session, get_engine, write_cookie
from dashboard.views import admin, alerts, approvals, drafting, flagdesk, health, incidents, monitor, people, review
from playbooks.workflow import users
from playbooks.workflow.roles import PERMISSIONS
from playbooks.workflow.signing import SigningError

ZONES = ["Europe/Stockholm", "Europe/Helsinki", "Europe/Berlin", "Europe/Zurich", "Europe/Amsterdam", "UTC"]


def _save_preferences(name: str) -> None:
    # A callback runs before the page is drawn again, so the page comes back in the new language.
    users.set_preferences(get_engine(), name, language=st.session_state["pref-language"],
                          timezone=st.session_state["pref-zone"])  # fmt: skip


def _sign_out() -> None:
    end_session()  # a single sign-on identity is ended too, on the sign-in page


st.set_page_config(page_title="crisisdesk", layout="wide")
# Every page's address, so that a bookmarked page (/approvals) opens the sign-in page at that address and,
# once signed in, the page itself (issue 13).
ADDRESSES = (
    "monitor",
    "flags",
    "approvals",
    "drafting",
    "incidents",
    "sources",
    "review",
    "alerts",
    "users",
    "administration",
    "account",
)

viewer = current_user()
write_cookie()
if viewer is None:
    sign_in = [st.Page(sign_in_page, title="Sign in", url_path="sign-in", default=True)]
    sign_in += [st.Page(sign_in_page, title="Sign in", url_path=path) for path in ADDRESSES]
    st.navigation(sign_in, position="hidden").run()
else:
    # Every page checks the session and the role again itself; the navigation only offers what the role may use.
    pages = [st.Page(monitor.render, title=viewer.t("Live monitor"), url_path="monitor", default=True)]
    if viewer.role in PERMISSIONS["flag.triage"]:
        pages.append(st.Page(flagdesk.render, title=viewer.t("My flags"), url_path="flags"))
    if viewer.role in PERMISSIONS["message.draft"]:
        pages.append(st.Page(approvals.render, title=viewer.t("Approvals"), url_path="approvals"))
        pages.append(st.Page(drafting.render, title=viewer.t("Drafting"), url_path="drafting"))
    if viewer.role in PERMISSIONS["incident.open"] or viewer.role in PERMISSIONS["message.correct"]:
        pages.append(st.Page(incidents.render, title=viewer.t("Incidents"), url_path="incidents"))
    pages.append(st.Page(health.render, title=viewer.t("Sources"), url_path="sources"))
    pages.append(st.Page(review.render, title=viewer.t("Review"), url_path="review"))
    pages.append(st.Page(alerts.render, title=viewer.t("Alerts"), url_path="alerts"))
    if viewer.role in PERMISSIONS["users.manage"]:
        pages.append(st.Page(people.users_page, title=viewer.t("Users"), url_path="users"))
    if viewer.role in PERMISSIONS["accounts.import"]:
        pages.append(st.Page(admin.render, title=viewer.t("Administration"), url_path="administration"))
    pages.append(st.Page(people.account_page, title=viewer.t("My account"), url_path="account"))
    with st.sidebar:
        st.caption(escape_md(f"{viewer.name} · {viewer.role}"))
        codes = list(LANGUAGES)
        st.selectbox(viewer.t("Language"), codes, index=codes.index(viewer.language) if viewer.language in codes else 0,
                     format_func=lambda code: LANGUAGES[code], key="pref-language", on_change=_save_preferences,
                     args=(viewer.name,))  # fmt: skip
        st.selectbox(viewer.t("Time zone"), ZONES, index=ZONES.index(viewer.timezone) if viewer.timezone in ZONES else 0,
                     key="pref-zone", on_change=_save_preferences, args=(viewer.name,))  # fmt: skip
        st.button(viewer.t("Sign out"), key="sign-out", on_click=_sign_out)
        demo.panel(viewer.language, viewer.timezone)
    try:
        st.navigation(pages).run()
    except SigningError as exc:
        # Every action is audited and its head signed in the same transaction, which was rolled back: a
        # deployment problem (a mistyped CRISISDESK_AUDIT_KEY, a lost key), said in words, not a traceback.
        said = viewer.t("Nothing was done: the desk's signing key cannot be used. Tell the administrator:")
        st.error(escape_md(f"{said} {exc}"))
