"""The HTTP client against a misbehaving local server: every case ends, on time, with a clear outcome."""

from __future__ import annotations

import asyncio
import gzip
import time
import zlib

import pytest

from sources.fetch import MAX_RETRY_AFTER_S, Fetcher, FetchResult, FetchSettings
from sources.urlguard import AddressPolicy
from tests.helpers.feedserver import FeedServer, Static, gzip_bomb, redirect, slow_drip, status

LOOPBACK = AddressPolicy.from_strings(["127.0.0.0/8"])
RSS = b'<rss version="2.0"><channel><title>t</title></channel></rss>'


def fetch(url: str, policy: AddressPolicy = LOOPBACK, **kwargs) -> FetchResult:
    settings = FetchSettings(**{k: kwargs.pop(k) for k in ("deadline_s", "max_bytes") if k in kwargs})

    async def run() -> FetchResult:
        async with Fetcher(policy, settings) as fetcher:
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
    result = fetch(feed_server.url("/drip"), deadline_s=1.0)
    # Ended by the deadline: had it waited the 20 s drip out, the response would be complete.
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
        time.sleep(0.5)
        Static(RSS)(req)

    for i in range(12):
        feed_server.routes[f"/slow{i}"] = slow

    async def run() -> list[FetchResult]:
        async with Fetcher(LOOPBACK, FetchSettings(per_host=2, deadline_s=2.0)) as fetcher:
            return await asyncio.gather(*(fetcher.fetch(feed_server.url(f"/slow{i}")) for i in range(12)))

    started = time.monotonic()
    results = asyncio.run(run())
    # Two at a time, at least 0.5 s each: the last starts 2.5 s in or later, past the 2 s deadline had it
    # counted the wait. Only lower bounds on time are asserted, which a busy machine cannot break; each
    # fetch keeps 1.5 s of headroom under its own deadline.
    assert time.monotonic() - started >= 3.0
    assert [r.error for r in results] == [None] * 12
    assert all(r.latency_ms < 2000 for r in results)


@pytest.mark.parametrize(
    "location",
    [
        "http://[::1",  # an IPv6 literal never closed
        "http://127.0.0.1:99999/",  # a port out of range
        "http://127.0.0.1:-1/",
        "http://[",
        "http://%zz/",
        "http://" + "a" * 70_000 + "/",
        "http://[::ffff:127.0.0.1]:0/",
        "\x00",
        "ftp://127.0.0.1/feed",
    ],
)
def test_a_redirect_to_a_malformed_location_is_this_fetch_s_error(feed_server: FeedServer, location: str) -> None:
    feed_server.routes["/moved"] = redirect(location)
    result = fetch(feed_server.url("/moved"))
    assert result.error is not None and result.body is None, result


@pytest.mark.parametrize("url", ["http://127.0.0.1:99999/feed", "http://[::1", "http://127.0.0.1:0/", "http:///x"])
def test_a_malformed_feed_url_is_this_fetch_s_error(url: str) -> None:
    result = fetch(url)
    assert result.error is not None and result.body is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1" + "0" * 29, MAX_RETRY_AFTER_S),  # 10^29 seconds
        ("9" * 400, MAX_RETRY_AFTER_S),  # a float of this is inf
        ("\u00b2", None),  # "²" passes str.isdigit() but is no number
        ("\u00b9\u00b2", None),  # superscript digits: str.isdigit() too
        ("-5", None),
        ("1e9", None),
        ("nan", None),
        ("  120  ", 120.0),
        ("Fri, 31 Dec 9999 23:59:59 GMT", MAX_RETRY_AFTER_S),
        ("Mon, 01 Jan 0001 00:00:00 GMT", 0.0),
        ("Sun, 99 Foo 2026 99:99:99 GMT", None),
    ],
)
def test_retry_after_is_bounded_and_only_ascii_digits_or_a_date(
    feed_server: FeedServer, value: str, expected: float | None
) -> None:
    feed_server.routes["/busy"] = status(503, {"Retry-After": value})
    result = fetch(feed_server.url("/busy"))
    assert result.status == 503 and result.error == "HTTP 503 Service Unavailable"
    assert result.retry_after_s == expected


def test_a_truncated_gzip_body_is_refused(feed_server: FeedServer) -> None:
    whole = gzip.compress(RSS * 50)
    feed_server.routes["/cut"] = Static(whole[:-12], headers={"Content-Encoding": "gzip"})
    result = fetch(feed_server.url("/cut"))
    assert result.body is None and "truncated gzip body" in (result.error or "")


def test_every_member_of_a_multi_member_gzip_body_is_read(feed_server: FeedServer) -> None:
    half = len(RSS) // 2
    feed_server.routes["/two"] = Static(
        gzip.compress(RSS[:half]) + gzip.compress(RSS[half:]), headers={"Content-Encoding": "gzip"}
    )
    assert fetch(feed_server.url("/two")).body == RSS


def test_gzip_members_together_may_not_exceed_the_cap(feed_server: FeedServer) -> None:
    member = gzip.compress(b"\0" * 400_000)
    feed_server.routes["/many"] = Static(member * 4, headers={"Content-Encoding": "gzip"})
    result = fetch(feed_server.url("/many"), max_bytes=1_000_000)
    assert result.body is None and "beyond the 1000000-byte cap" in (result.error or "")


def test_garbage_after_a_gzip_member_is_refused(feed_server: FeedServer) -> None:
    feed_server.routes["/junk"] = Static(gzip.compress(RSS) + b"junk", headers={"Content-Encoding": "gzip"})
    result = fetch(feed_server.url("/junk"))
    assert result.body is None and "corrupt gzip body" in (result.error or "")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"deadline_s": float("nan")}, "deadline_s must be a finite number of seconds from 0.1 to 3600"),
        ({"deadline_s": 0}, "deadline_s"),
        ({"concurrency": 0}, "concurrency must be a whole number from 1 to 1000"),
        ({"per_host": 0}, "per_host"),
        ({"max_bytes": -1}, "max_bytes"),
        ({"max_redirects": -1}, "max_redirects"),
        ({"connect_timeout_s": float("inf")}, "connect_timeout_s"),
    ],
)
def test_fetch_settings_refuse_values_that_cannot_work(options: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        FetchSettings(**options)


def test_max_redirects_is_a_setting(feed_server: FeedServer) -> None:
    feed_server.routes["/a"] = redirect("/b")
    feed_server.routes["/b"] = redirect("/c")
    feed_server.routes["/c"] = Static(RSS)

    async def run(limit: int) -> FetchResult:
        async with Fetcher(LOOPBACK, FetchSettings(max_redirects=limit)) as fetcher:
            return await fetcher.fetch(feed_server.url("/a"))

    assert asyncio.run(run(2)).body == RSS
    assert "more than 1 redirects" in (asyncio.run(run(1)).error or "")
