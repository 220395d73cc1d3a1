"""The seams between Streamlit and the library: one cached engine per database URL and process."""

from __future__ import annotations

import streamlit as st
from sqlalchemy import Engine

from sources.config import database_url
from sources.db import make_engine


def get_engine() -> Engine:
    return _engine_for(database_url())


@st.cache_resource
def _engine_for(url: str) -> Engine:
    return make_engine(url)
