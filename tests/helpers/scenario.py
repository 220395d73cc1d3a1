"""Recorded incidents for tests: a pinned clock moved in minutes, and feeds of entries at given minutes."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests.helpers.feedserver import Static


def pin_clock(monkeypatch: pytest.MonkeyPatch, t0: datetime, minutes: float) -> datetime:
    """Set CRISISDESK_NOW to `minutes` after `t0`; returns that moment."""
    moment = t0 + timedelta(minutes=minutes)
    monkeypatch.setenv("CRISISDESK_NOW", moment.isoformat())
    return moment


def rss_at(t0: datetime, items: list[tuple[str, float, str]], title: str = "") -> Static:
    """An RSS feed of (guid, minutes after t0, text) entries; the text travels in CDATA, untouched."""
    body = "".join(
        f"<item><guid>{guid}</guid><title>{title}</title>"
        f"<pubDate>{(t0 + timedelta(minutes=m)).strftime('%a, %d %b %Y %H:%M:%S %z')}</pubDate>"
        f"<description><![CDATA[{text}]]></description></item>"
        for guid, m, text in items
    )
    return Static(f'<rss version="2.0"><channel><title>x</title>{body}</channel></rss>'.encode())
