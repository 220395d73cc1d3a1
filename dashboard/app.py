"""Entry point: `streamlit run dashboard/app.py` (started for you by `crisisdesk up` / `demo`)."""

from __future__ import annotations

import streamlit as st

from dashboard.views import health, posts

st.set_page_config(page_title="crisisdesk", layout="wide")
page = st.navigation(
    [
        st.Page(posts.render, title="Live posts", url_path="posts", default=True),
        st.Page(health.render, title="Sources", url_path="sources"),
    ]
)
page.run()
