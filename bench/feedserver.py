"""A fast local feed server for benchmarks, run as its own process so it does not share the poller's CPU.

GET /feed/<i>          a 50-entry RSS feed with an ETag; 304 on a matching If-None-Match
GET /hits              how often each feed was asked for (a JSON list)
POST /bump?fraction=F&mode=content|etag
                       content: a fraction of the feeds gain a new entry (and drop their oldest);
                       etag: the same fraction get a new ETag for an unchanged body
`python -m bench.feedserver COUNT [DELAY_MS [HOSTS [ENTRIES]]]`. Prints its port on the first line of stdout.
"""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from aiohttp import web

ENTRIES = 50
BASE = datetime(2026, 11, 22, 6, 0, tzinfo=UTC)
TEXT = (
    "Räddningstjänsten arbetar med branden i industriområdet. Håll dörrar och fönster stängda och stäng av "
    "ventilationen. Undvik området kring Östmarksvägen. Nästa information kommer klockan {h}.00 på kommunens "
    "webbplats. Följ instruktionerna från räddningstjänsten och lyssna på Sveriges Radio P4 Värmland."
)


class Feeds:
    def __init__(self, count: int, entries: int = ENTRIES) -> None:
        self.count = count
        self.entries = entries
        self.generation = [0] * count
        self.etag_generation = [0] * count
        self.bodies = [self.render(i) for i in range(count)]
        self.cursor = 0

    def render(self, i: int) -> bytes:
        g = self.generation[i]
        items = []
        for k in range(g + self.entries - 1, g - 1, -1):
            when = format_datetime(BASE + timedelta(minutes=k))
            items.append(
                f'<item><guid isPermaLink="false">f{i}-{k}</guid><title>Lägesbild {k} för område {i}</title>'
                f"<link>https://www.torsby.example/nyheter/{i}/{k}</link><pubDate>{when}</pubDate>"
                f"<description>&lt;p&gt;{TEXT.format(h=8 + k % 12)}&lt;/p&gt;</description></item>"
            )
        return (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Feed {i}</title><link>https://www.torsby.example/</link><language>sv</language>"
            + "".join(items)
            + "</channel></rss>"
        ).encode()

    def etag(self, i: int) -> str:
        return f'"{i}-{self.generation[i]}-{self.etag_generation[i]}"'

    def bump(self, fraction: float, mode: str) -> int:
        n = int(self.count * fraction)
        for _ in range(n):
            i = self.cursor % self.count
            self.cursor += 1
            if mode == "content":
                self.generation[i] += 1
                self.bodies[i] = self.render(i)
            else:
                self.etag_generation[i] += 1
        return n


def main() -> None:
    feeds = Feeds(int(sys.argv[1]) if len(sys.argv) > 1 else 1000, int(sys.argv[4]) if len(sys.argv) > 4 else ENTRIES)
    # Optional: answer each request after DELAY_MS, and listen on HOSTS loopback addresses (127.0.0.1 …),
    # so that the poller's per-host limit is not what a multi-poller benchmark measures.
    delay = float(sys.argv[2]) / 1000 if len(sys.argv) > 2 else 0.0
    hosts = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    hits = [0] * feeds.count

    async def feed(request: web.Request) -> web.Response:
        i = int(request.match_info["i"])
        hits[i] += 1
        if delay:
            await asyncio.sleep(delay)
        etag = feeds.etag(i)
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        return web.Response(body=feeds.bodies[i], content_type="application/rss+xml", headers={"ETag": etag})

    async def bump(request: web.Request) -> web.Response:
        changed = feeds.bump(float(request.query.get("fraction", "0.1")), request.query.get("mode", "content"))
        return web.json_response({"changed": changed})

    async def count(request: web.Request) -> web.Response:
        return web.json_response(hits)

    async def serve() -> None:
        app = web.Application()
        app.add_routes([web.get("/feed/{i}", feed), web.post("/bump", bump), web.get("/hits", count)])
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        for h in range(2, hosts + 1):
            await web.TCPSite(runner, f"127.0.0.{h}", port).start()
        print(port, flush=True)
        await asyncio.Event().wait()

    asyncio.run(serve())


if __name__ == "__main__":
    main()
