"""People: the administrator manages users (add, role, disable, reset password); everyone changes their own
password; an empty installation gets a first-run screen (issue 13 item 4). Rules stay in users.py."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from dashboard.guard import page
from dashboard.i18n import t, when
from dashboard.render import escape_md, plain_error
from dashboard.state import Viewer, get_engine, start_session, touch
from playbooks.workflow import users
from playbooks.workflow.models import ROLES
from playbooks.workflow.roles import PermissionDenied

ERROR_KEY = "people-error"
DONE_KEY = "people-done"
CHOSEN_KEY = "people-chosen"  # the user the forms of "Change a user" were last drawn for


def _act(viewer: Viewer, action: Callable[[], object]) -> None:
    touch()
    try:
        action()
    except (users.UserError, PermissionDenied, ValueError) as exc:
        st.session_state[ERROR_KEY] = plain_error(str(exc))
    else:
        st.session_state.pop(ERROR_KEY, None)
        st.session_state[DONE_KEY] = True  # shown after the rerun (a toast would be lost with it)
    st.rerun()


def _error(viewer: Viewer) -> None:
    if st.session_state.pop(DONE_KEY, False):
        st.success(viewer.t("Done."))
    if error := st.session_state.get(ERROR_KEY):
        st.error(escape_md(error))
        st.button(viewer.t("Dismiss this message"), key="people-error-ok", on_click=st.session_state.pop,
                  args=(ERROR_KEY, None))  # fmt: skip


@page("users.manage")
def users_page(viewer: Viewer) -> None:
    st.title(viewer.t("Users"))
    _error(viewer)
    engine = get_engine()
    people = users.list_users(engine)
    st.dataframe(
        [{viewer.t("User name"): u.name, viewer.t("Role"): viewer.t(u.role),
          viewer.t("Status"): viewer.t("disabled") if u.disabled else viewer.t("active"),
          viewer.t("Since"): when(u.created_at, viewer.timezone)} for u in people],
        hide_index=True, width="stretch",
    )  # fmt: skip
    with st.expander(viewer.t("Add a user")), st.form("add-user", clear_on_submit=True):
        name = st.text_input(viewer.t("User name"), key="add-name")
        role = st.selectbox(viewer.t("Role"), ROLES, format_func=viewer.t, key="add-role")
        password = st.text_input(viewer.t("Password"), type="password", key="add-password")
        if st.form_submit_button(viewer.t("Add"), type="primary"):
            _act(viewer, lambda: users.add(engine, name.strip().lower(), str(role), password=password or None,
                                           by=viewer.name))  # fmt: skip
    active = [u.name for u in people if not u.disabled]
    if not active:
        return
    st.subheader(viewer.t("Change a user"))
    # The user chosen last, if someone else disabled them since: the list falls back to another name, and the
    # forms below are that other person's (their keys carry the name), so a click meant for the first does
    # nothing to the second; it is said here.
    if (chosen := st.session_state.get(CHOSEN_KEY)) and chosen not in active:
        st.warning(
            escape_md(
                f"{chosen}: {viewer.t('no longer an active user (disabled or removed meanwhile); nothing was changed.')}"
            )
        )
    who = st.selectbox(viewer.t("User name"), active, key="edit-name")
    st.session_state[CHOSEN_KEY] = who
    current = next(u for u in people if u.name == who)
    left, middle, right = st.columns(3)
    with left, st.form(f"set-role-{who}"):
        role = st.selectbox(viewer.t("Role"), ROLES, index=ROLES.index(current.role), format_func=viewer.t,
                            key="edit-role")  # fmt: skip
        if st.form_submit_button(viewer.t("Set the role")):
            _act(viewer, lambda: users.set_role(engine, str(who), str(role), by=viewer.name))
    with middle, st.form(f"reset-password-{who}", clear_on_submit=True):
        password = st.text_input(viewer.t("New password"), type="password", key="reset-password")
        if st.form_submit_button(viewer.t("Reset the password")):
            _act(viewer, lambda: users.set_password(engine, str(who), password, by=viewer.name))
    with right, st.form(f"disable-user-{who}"):
        sure = st.checkbox(viewer.t("Yes, disable this user"), key=f"disable-sure-{who}")
        if st.form_submit_button(viewer.t("Disable")) and sure:
            st.session_state.pop(CHOSEN_KEY, None)  # disabled here: nothing to warn about
            _act(viewer, lambda: users.disable(engine, str(who), by=viewer.name))


@page()
def account_page(viewer: Viewer) -> None:
    """Every person changes their own password (the entry point for users.set_password)."""
    st.title(viewer.t("My account"))
    _error(viewer)
    st.caption(escape_md(f"{viewer.name} · {viewer.t(viewer.role)}"))
    with st.form("change-password", clear_on_submit=True):
        old = st.text_input(viewer.t("Current password"), type="password", key="pw-old")
        new = st.text_input(viewer.t("New password"), type="password", key="pw-new")
        again = st.text_input(viewer.t("New password again"), type="password", key="pw-again")
        if st.form_submit_button(viewer.t("Change my password"), type="primary"):
            engine = get_engine()

            def change() -> None:
                if users.authenticate(engine, viewer.name, old) is None:
                    raise ValueError(viewer.t("The current password is wrong."))
                if new != again:
                    raise ValueError(viewer.t("The two new passwords differ."))
                users.set_password(engine, viewer.name, new, by=viewer.name)
                start_session(viewer.name)  # a new cookie: the old one ended with the old password

            _act(viewer, change)
    st.caption(viewer.t("At least 10 characters, with upper and lower case letters and digits."))


def first_run(lang: str) -> None:
    """An empty installation: say what to do, and create the first administrator right here."""
    st.subheader(t("Welcome: this installation is empty", lang))
    st.markdown(t("1. Create the first administrator below. 2. As the administrator, add the team on the Users "
                  "page. 3. Import the account registry (the accounts to watch). 4. A lead opens the first "
                  "incident on the Incidents page.", lang))  # fmt: skip
    with st.form("first-admin"):
        name = st.text_input(t("User name", lang), key="first-name")
        password = st.text_input(t("Password", lang), type="password", key="first-password")
        if st.form_submit_button(t("Create the administrator", lang), type="primary"):
            try:
                users.add(get_engine(), name.strip().lower(), "admin", password=password)
            except (users.UserError, PermissionDenied) as exc:
                st.error(escape_md(plain_error(str(exc))))
                return
            start_session(name.strip().lower())
            st.rerun()
