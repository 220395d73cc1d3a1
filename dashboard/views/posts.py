"""Live stream of stored posts (the full live monitor comes with the checks and the workflow)."""

from __future__ import annotations

import streamlit as st

from dashboard.state import get_engine
from sources.posts import list_posts
from sources.registry import list_accounts

REFRESH_S = 5


def render() -> None:
    st.title("Live posts")
    kinds = {a.id: a.kind for a in list_accounts(get_engine())}
    chosen = st.multiselect("Account kinds", ["website", "social", "alert", "watch"], default=[])
    _stream(kinds, chosen)


@st.fragment(run_every=REFRESH_S)
def _stream(kinds: dict[str, str], chosen: list[str]) -> None:
    posts = list_posts(get_engine(), limit=300)
    rows = [
        {
            "published": p.published,
            "account": p.account_id,
            "kind": kinds.get(p.account_id, "?"),
            "language": p.language,
            "title": p.title,
            "text": p.text,
            "link": p.link,
        }
        for p in posts
        if not chosen or kinds.get(p.account_id) in chosen
    ]
    st.caption(f"{len(rows)} most recent posts · refreshes every {REFRESH_S} s")
    # st.dataframe shows feed text as text, never as HTML; links are http(s) only (sources.text.safe_link).
    st.dataframe(
        rows,
        hide_index=True,
        width="stretch",
        column_config={
            "link": st.column_config.LinkColumn("link"),
            "text": st.column_config.TextColumn(width="large"),
        },
    )
