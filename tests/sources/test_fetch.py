"""The HTTP client against a misbehaving local server: every case ends, on time, with a clear outcome."""

from __future__ import annotations

import asyncio
import gzip
import time
import zlib

import pytest

from sources.fetch import Fetcher, FetchResult
from sources.urlguard import AddressPolicy
from tests.helpers.feedserver import FeedServer, Static, gzip_bomb, redirect, slow_drip, status

LOOPBACK = AddressPolicy.from_strings(["127.0.0.0/8"])
RSS = b'<rss version="2.0"><channel><title>t</title></channel></rss>'


def fetch(url: str, policy: AddressPolicy = LOOPBACK, **kwargs) -> FetchResult:
    options = {k: kwargs.pop(k) for k in ("deadline_s", "max_bytes") if k in kwargs}

    async def run() -> FetchResult:
        async with Fetcher(policy, **options) as fetcher:
            return await fetcher.fetch(url, **kwargs)

    return asyncio.run(run())


def test_a_plain_fetch_returns_body_and_validators(feed_server: FeedServer) -> None:
    feed_server.routes["/rss"] = Static(RSS, etag='"v1"')
    result = fetch(feed_server.url("/rss"))
    assert (result.status, result.body, result.etag, result.error) == (200, RSS, '"v1"', None)
    _, headers = feed_server.requests[-1]
    assert headers["User-Agent"].startswith("crisisdesk/")


def test_conditional_get_sends_validators_and_gets_304(feed_server: FeedServer) -> None:
    feed_server.routes["/rss"] = Static(RSS, etag='"v1"')
    result = fetch(feed_server.url("/rss"), etag='"v1"', last_modified="Sun, 22 Nov 2026 07:00:00 GMT")
    assert result.not_modified and result.ok and result.body is None
    _, headers = feed_server.requests[-1]
    assert headers["If-None-Match"] == '"v1"'
    assert headers["If-Modified-Since"] == "Sun, 22 Nov 2026 07:00:00 GMT"


def test_gzip_is_decoded_by_us(feed_server: FeedServer) -> None:
    feed_server.routes["/rss"] = Static(RSS, gzip=True)
    assert fetch(feed_server.url("/rss")).body == RSS


def test_stacked_encodings_are_undone_in_order(feed_server: FeedServer) -> None:
    body = zlib.compress(gzip.compress(RSS))  # gzip applied first, then deflate
    feed_server.routes["/rss"] = Static(body, headers={"Content-Encoding": "gzip, deflate"})
    assert fetch(feed_server.url("/rss")).body == RSS


def test_a_gzip_bomb_stops_at_the_cap(feed_server: FeedServer) -> None:
    feed_server.routes["/bomb"] = gzip_bomb(decompressed_mb=100)
    result = fetch(feed_server.url("/bomb"), max_bytes=1_000_000)
    assert result.body is None
    assert "beyond the 1000000-byte cap" in (result.error or "")


def test_an_oversized_body_is_cut_off(feed_server: FeedServer) -> None:
    feed_server.routes["/big"] = Static(b"<rss>" + b"x" * 3_000_000)
    result = fetch(feed_server.url("/big"), max_bytes=1_000_000)
    assert "exceeds the 1000000-byte cap" in (result.error or "")


def test_slow_drip_ends_at_the_deadline(feed_server: FeedServer) -> None:
    feed_server.routes["/drip"] = slow_drip(total_s=20)
    started = time.monotonic()
    result = fetch(feed_server.url("/drip"), deadline_s=1.0)
    assert time.monotonic() - started < 3
    assert result.error == "no complete response within the 1 s deadline"


def test_a_redirect_loop_ends_after_five_hops(feed_server: FeedServer) -> None:
    feed_server.routes["/a"] = redirect("/b")
    feed_server.routes["/b"] = redirect("/a")
    result = fetch(feed_server.url("/a"))
    assert "more than 5 redirects" in (result.error or "")
    assert feed_server.hits("/a") + feed_server.hits("/b") == 6


def test_a_short_redirect_chain_is_followed(feed_server: FeedServer) -> None:
    feed_server.routes["/old"] = redirect("/new", 301)
    feed_server.routes["/new"] = Static(RSS)
    result = fetch(feed_server.url("/old"))
    assert result.body == RSS and result.final_url.endswith("/new")


def test_a_redirect_into_a_refused_network_is_refused_before_any_request(feed_server: FeedServer) -> None:
    # Only this server's own port is allowed: the redirect target (another loopback port) is not.
    policy = AddressPolicy.from_strings(["127.0.0.1/32"])
    feed_server.routes["/out"] = redirect("http://10.1.2.3/internal")
    result = fetch(feed_server.url("/out"), policy=policy)
    assert result.error is not None and "refused" in result.error and "10.1.2.3" in result.error


def test_loopback_is_refused_without_allow_networks(feed_server: FeedServer) -> None:
    feed_server.routes["/rss"] = Static(RSS)
    result = fetch(feed_server.url("/rss"), policy=AddressPolicy())
    assert "loopback" in (result.error or "")
    assert feed_server.hits("/rss") == 0, "no request may be sent to a refused address"


def test_localhost_by_name_is_refused_at_resolution(feed_server: FeedServer) -> None:
    feed_server.routes["/rss"] = Static(RSS)
    result = fetch(f"http://localhost:{feed_server.port}/rss", policy=AddressPolicy())
    assert result.error is not None and "refused" in result.error
    assert feed_server.hits("/rss") == 0


@pytest.mark.parametrize(
    ("code", "headers", "retry_after"),
    [
        (503, {"Retry-After": "120"}, 120.0),
        (429, {"Retry-After": "30"}, 30.0),
        (500, {}, None),
        (410, {}, None),
    ],
)
def test_error_statuses_carry_retry_after(feed_server: FeedServer, code: int, headers: dict, retry_after) -> None:
    feed_server.routes["/x"] = status(code, headers)
    result = fetch(feed_server.url("/x"))
    assert result.status == code and result.error and result.error.startswith(f"HTTP {code}")
    assert result.retry_after_s == retry_after


def test_connection_refused_is_an_error_not_an_exception() -> None:
    result = fetch("http://127.0.0.1:9/feed")
    assert result.error is not None and result.error.startswith("connection failed")


def test_a_connection_reset_mid_body_is_an_error(feed_server: FeedServer) -> None:
    from tests.helpers.feedserver import reset_mid_body

    feed_server.routes["/reset"] = reset_mid_body()
    result = fetch(feed_server.url("/reset"))
    assert result.body is None and result.error is not None
    assert result.error.startswith(("connection failed", "bad HTTP response", "no complete response"))


def test_an_endless_chunked_body_stops_at_the_cap(feed_server: FeedServer) -> None:
    from tests.helpers.feedserver import endless_chunked

    feed_server.routes["/endless"] = endless_chunked()
    result = fetch(feed_server.url("/endless"), max_bytes=500_000, deadline_s=10)
    assert result.error == "body exceeds the 500000-byte cap"


def test_feeds_queued_behind_others_on_one_host_are_not_timed_out_while_waiting(feed_server: FeedServer) -> None:
    def slow(req) -> None:  # type: ignore[no-untyped-def]
        time.sleep(0.4)
        Static(RSS)(req)

    for i in range(8):
        feed_server.routes[f"/slow{i}"] = slow

    async def run() -> list[FetchResult]:
        async with Fetcher(LOOPBACK, per_host=2, deadline_s=1.0) as fetcher:
            return await asyncio.gather(*(fetcher.fetch(feed_server.url(f"/slow{i}")) for i in range(8)))

    started = time.monotonic()
    results = asyncio.run(run())
    # Two at a time, 0.4 s each: the last starts after 1.2 s, past the 1 s deadline had it counted the wait.
    assert time.monotonic() - started >= 1.5
    assert [r.error for r in results] == [None] * 8
    assert all(r.latency_ms < 1000 for r in results)
