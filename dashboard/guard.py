"""The one guard for "a signed-in user is required": every page and every run of every live part (a timed
fragment) goes through it, and gets the user as the database has them at that moment.

A live part reruns on its own every few seconds; without this it would keep the user of its first run and
go on streaming data after the session expired or the user was disabled. When the guard finds the session
gone it reruns the whole app, which then shows the sign-in page.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Concatenate, ParamSpec

import streamlit as st

from dashboard.state import SESSION_KEY, Viewer, current_user
from playbooks.workflow.roles import PERMISSIONS

P = ParamSpec("P")


def signed_in(*, touch: bool = True) -> Viewer | None:
    """The signed-in user now, or None. A session that ended just now (expired, user disabled or removed)
    reruns the app into the sign-in page; without any session there is nothing to rerun for."""
    had_session = SESSION_KEY in st.session_state
    viewer = current_user(touch=touch)
    if viewer is None and had_session:
        st.rerun()
    return viewer


def page(*actions: str) -> Callable[[Callable[[Viewer], None]], Callable[[], None]]:
    """A page for `st.Page`: drawn only for a signed-in user, and (given `actions`) only for a role allowed
    one of them; anyone else sees why not."""

    def decorate(body: Callable[[Viewer], None]) -> Callable[[], None]:
        @functools.wraps(body)
        def run() -> None:
            viewer = signed_in()
            if viewer is None:
                return
            if actions and not any(viewer.role in PERMISSIONS[action] for action in actions):
                st.error(viewer.t("You may not open this page."))
                return
            body(viewer)

        return run

    return decorate


def live(run_every: float) -> Callable[[Callable[Concatenate[Viewer, P], None]], Callable[P, None]]:
    """A part of a page that refreshes itself every `run_every` seconds (`st.fragment`), re-checking the
    session on every run. Timed runs do not count as the person's activity."""

    def decorate(body: Callable[Concatenate[Viewer, P], None]) -> Callable[P, None]:
        @functools.wraps(body)
        def run(*args: P.args, **kwargs: P.kwargs) -> None:
            viewer = signed_in(touch=False)
            if viewer is None:
                return
            body(viewer, *args, **kwargs)

        fragment: Callable[P, None] = st.fragment(run_every=run_every)(run)
        return fragment

    return decorate
