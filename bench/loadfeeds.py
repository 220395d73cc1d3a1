"""The feeds of the load run (`make stress`): many accounts posting on a fixed schedule, served on loopback.

Entry k of feed i appears at `start + offset(i) + k * period` (whole seconds, so the pubDate carries the
exact moment), and each feed shows its latest `window` entries. Because the schedule is a formula, the
load run knows afterwards which entries were visible and when, without asking this process.

The texts are the demo scenario's posts (official messages, rumours, a contradiction, an impersonator),
so the desk's checks do the work they do on an incident day.

Run: python -m bench.loadfeeds --feeds 500 --period 60 --window 20 --start EPOCH; prints its port.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from xml.sax.saxutils import escape

from aiohttp import web

from crisisdesk.demo import load_scenario


@dataclass(frozen=True)
class Schedule:
    feeds: int
    period: int
    window: int
    start: int

    def offset(self, feed: int) -> int:
        return feed * self.period // self.feeds

    def appears(self, feed: int, k: int) -> int:
        """Epoch second at which entry k of the feed appears."""
        return self.start + self.offset(feed) + k * self.period

    def latest(self, feed: int, at: float) -> int:
        return math.floor((at - self.start - self.offset(feed)) / self.period)

    def visible(self, feed: int, at: float) -> range:
        latest = self.latest(feed, at)
        return range(latest - self.window + 1, latest + 1)


def guid(feed: int, k: int) -> str:
    return f"load-{feed}-{k}"


class Renderer:
    def __init__(self, schedule: Schedule) -> None:
        self.schedule = schedule
        self.posts = load_scenario()[1]

    def body(self, feed: int, ks: range) -> bytes:
        items = []
        for k in reversed(ks):
            post = self.posts[(feed * 7 + k) % len(self.posts)]
            when = format_datetime(datetime.fromtimestamp(self.schedule.appears(feed, k), UTC))
            items.append(
                f'<item><guid isPermaLink="false">{guid(feed, k)}</guid><title>{escape(post.title)}</title>'
                f"<link>https://forum.example/{feed}/{k}</link><pubDate>{when}</pubDate>"
                f"<description>{escape(post.text)}</description></item>"
            )
        return (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Load feed {feed}</title><link>https://forum.example/{feed}</link>"
            + "".join(items)
            + "</channel></rss>"
        ).encode()


def app(schedule: Schedule) -> web.Application:
    renderer = Renderer(schedule)

    async def feed(request: web.Request) -> web.Response:
        i = int(request.match_info["i"])
        if not 0 <= i < schedule.feeds:
            raise web.HTTPNotFound()
        ks = schedule.visible(i, datetime.now(UTC).timestamp())
        etag = f'"{i}-{ks.stop}"'
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        return web.Response(body=renderer.body(i, ks), content_type="application/rss+xml", headers={"ETag": etag})

    application = web.Application()
    application.router.add_get(r"/feed/{i:\d+}", feed)
    return application


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=500)
    parser.add_argument("--period", type=int, default=60)
    parser.add_argument("--window", type=int, default=20)
    parser.add_argument("--start", type=int, required=True, help="epoch second of entry 0 of feed 0")
    args = parser.parse_args()
    schedule = Schedule(args.feeds, args.period, args.window, args.start)

    async def serve() -> None:
        runner = web.AppRunner(app(schedule), access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        print(port, flush=True)
        await asyncio.Event().wait()

    try:
        asyncio.run(serve())
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
