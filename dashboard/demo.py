"""Demo mode (`crisisdesk demo` gives the dashboard CRISISDESK_DEMO_URL): the logins on the sign-in page,
when the scenario ends or ended, and a replay. Nothing of this exists outside the demo."""

from __future__ import annotations

import json
import os
import urllib.request
from datetime import datetime
from typing import Any

import streamlit as st

from dashboard.i18n import t, when
from dashboard.render import escape_md

LOCAL = "http://127.0.0.1:"  # the scenario server of `crisisdesk demo`, never anything else


def _base() -> str | None:
    base = os.environ.get("CRISISDESK_DEMO_URL", "")
    return base if base.startswith(LOCAL) else None


@st.cache_data(ttl=5, show_spinner=False)
def _status(base: str) -> dict[str, Any] | None:
    try:
        with urllib.request.urlopen(f"{base}/_status", timeout=2) as response:  # noqa: S310 (127.0.0.1 only)
            found = json.loads(response.read(65536))
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) else None


def logins(lang: str) -> None:
    """On the sign-in page, in demo mode only: who to sign in as, and the demo's password."""
    base = _base()
    status = _status(base) if base else None
    if not status:
        return
    people = ", ".join(f"{name} ({t(role, lang)})" for name, role in dict(status.get("users", {})).items())
    st.info(escape_md(f"{t('Demo: sign in as', lang)} {people} · {t('password', lang)} {status.get('password', '')}"))


def panel(lang: str, zone: str) -> None:
    """In the sidebar, in demo mode only: the scenario's end, and a replay once it has ended."""
    base = _base()
    status = _status(base) if base else None
    if not base or not status:
        return
    try:
        ends = datetime.fromisoformat(str(status["ends"]))
    except (KeyError, ValueError):
        return
    if not status.get("ended"):
        st.caption(escape_md(f"{t('Demo scenario: runs until', lang)} {when(ends, zone, '%H:%M')}"))
        return
    st.caption(escape_md(f"{t('Demo scenario: ended at', lang)} {when(ends, zone, '%H:%M')}"))
    if st.button(t("Replay the scenario", lang), key="demo-replay"):
        request = urllib.request.Request(f"{base}/_replay", method="POST", data=b"")  # noqa: S310 (127.0.0.1 only)
        try:
            with urllib.request.urlopen(request, timeout=2):  # noqa: S310 (127.0.0.1 only)
                pass
        except OSError:
            st.error(t("The demo's scenario server does not answer.", lang))
            return
        _status.clear()
        st.rerun()
