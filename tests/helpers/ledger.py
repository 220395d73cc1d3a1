"""A feed server that keeps a ledger of every entry it served, with a sliding window of new entries.

Each request to a feed adds a new entry (and now and then edits an older one); the ledger is the truth a
crash test compares the database with.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler
from xml.sax.saxutils import escape

BASE = datetime(2026, 11, 22, 6, 0, tzinfo=UTC)


class LedgerFeed:
    def __init__(self, name: str, window: int = 40) -> None:
        self.name = name
        self.window = window
        self.count = 0
        self.titles: dict[str, str] = {}
        self.served: set[str] = set()
        self.requests = 0
        self._lock = threading.Lock()

    def _next(self) -> list[str]:
        self.requests += 1
        self.count += 1
        guid = f"{self.name}-{self.count}"
        self.titles[guid] = f"Entry {self.count} of {self.name}"
        if self.requests % 4 == 0 and self.count > 3:  # an edit of a recent entry: a new version
            edited = f"{self.name}-{self.count - 2}"
            self.titles[edited] = self.titles[edited] + " (corrected)"
        return [f"{self.name}-{n}" for n in range(max(1, self.count - self.window + 1), self.count + 1)]

    def __call__(self, req: BaseHTTPRequestHandler) -> None:
        with self._lock:
            guids = self._next()
            items = "".join(
                f"<item><guid>{g}</guid><title>{escape(self.titles[g])}</title>"
                f"<description>Body of {g}</description>"
                f"<pubDate>{format_datetime(BASE + timedelta(seconds=int(g.rsplit('-', 1)[1])))}</pubDate></item>"
                for g in guids
            )
            body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>{self.name}</title>{items}</channel></rss>'
            data = body.encode()
            self.served.update(guids)
        req.send_response(200)
        req.send_header("Content-Type", "application/rss+xml")
        req.send_header("Content-Length", str(len(data)))
        req.end_headers()
        req.wfile.write(data)
