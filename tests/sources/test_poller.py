"""The poller end to end: registry → local feed server → posts and feed health, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import event, func, select, text, update

from core.clock import parse_instant
from core.db import read_session
from sources import parse as parse_module
from sources import poller as poller_module
from sources import registry
from sources.fetch import Fetcher, FetchSettings
from sources.health import feed_health
from sources.models import Feed, Post, PostVersion
from sources.poller import Poller, PollReport
from tests.conftest import FIXTURES, shared_path
from tests.helpers.feedserver import FeedServer, Static, gzip_bomb, redirect, slow_drip, status
from tests.helpers.registry import account, write_registry

NOW = "2026-11-22T08:00:00+00:00"


@pytest.fixture(autouse=True)
def pinned_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRISISDESK_NOW", NOW)


def advance(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    monkeypatch.setenv("CRISISDESK_NOW", (parse_instant(NOW) + timedelta(seconds=seconds)).isoformat())


def setup(engine, tmp_path: Path, server: FeedServer, routes: dict[str, object], kinds: dict[str, str] | None = None):
    accounts = []
    for path, handler in routes.items():
        server.routes[path] = handler  # type: ignore[assignment]
        name = path.strip("/").replace(".", "_") or "root"
        accounts.append(account(name, server.url(path), (kinds or {}).get(name, "website")))
    registry.import_registry(engine, registry.load(write_registry(tmp_path / "accounts.yaml", accounts)))


def poll(engine, **kwargs) -> PollReport:
    limits = {k: kwargs.pop(k) for k in ("deadline_s", "max_bytes") if k in kwargs}
    return asyncio.run(Poller(engine, settings=FetchSettings(**limits), **kwargs).run_once())


def posts(engine, account_id: str | None = None) -> list[Post]:
    with read_session(engine) as session:
        query = select(Post).order_by(Post.id)
        if account_id:
            query = query.where(Post.account_id == account_id)
        return list(session.scalars(query))


def feed(engine, account_id: str) -> Feed:
    with read_session(engine) as session:
        return session.scalars(select(Feed).where(Feed.account_id == account_id)).one()


def test_every_format_becomes_posts_and_hostile_documents_become_health_records(
    engine, tmp_path: Path, feed_server: FeedServer
) -> None:
    routes = {f"/{p.name}": Static(p.read_bytes()) for p in sorted((FIXTURES / "feeds").glob("*.xml"))}
    setup(engine, tmp_path, feed_server, routes)
    report = poll(engine)
    assert report.feeds == len(routes)
    assert set(report.failures) == {"billion_laughs_xml", "xxe_xml", "cap_xxe_xml", "html_page_xml"}
    assert "entities" in report.failures["xxe_xml"]
    stored = {a: len(posts(engine, a)) for a in ("rss20_sv_xml", "atom10_social_xml", "cap_alert_de_xml", "rss091_xml")}
    assert stored == {"rss20_sv_xml": 2, "atom10_social_xml": 3, "cap_alert_de_xml": 1, "rss091_xml": 1}
    health = {h.account: h for h in feed_health(engine)}
    assert health["xxe_xml"].status == "failing" and health["xxe_xml"].consecutive_failures == 1
    assert health["rss20_sv_xml"].status == "ok" and health["rss20_sv_xml"].posts == 2
    for post in posts(engine):  # nothing executable survives into storage
        assert "<script" not in post.text and "javascript:" not in (post.link or "")


def test_real_alertswiss_and_nws_feeds_are_stored(engine, tmp_path: Path, feed_server: FeedServer) -> None:
    corpus = shared_path("corpora", "feeds")
    routes = {
        f"/{p.stem}": Static(p.read_bytes(), content_type="application/xml") for p in sorted(corpus.glob("*/*.xml"))
    }
    setup(engine, tmp_path, feed_server, routes, kinds={p.strip("/").replace(".", "_"): "alert" for p in routes})
    report = poll(engine)
    assert report.failures == {}
    assert report.new_posts == 5 + 163
    update = posts(engine, "POA-913519016-2")[0]
    assert update.extra["cap"]["msgType"] == "Update" and update.guid == "POA-913519016-2"


def test_a_304_stores_nothing_and_a_new_etag_with_the_same_body_is_not_parsed(
    engine, tmp_path: Path, feed_server: FeedServer, fixture_feed, monkeypatch: pytest.MonkeyPatch
) -> None:
    setup(engine, tmp_path, feed_server, {"/rss": Static(fixture_feed("rss20_sv.xml"), etag='"1"')})
    assert poll(engine).new_posts == 2
    advance(monkeypatch, 61)
    second = poll(engine)
    assert (second.fetched, second.not_modified, second.new_posts) == (1, 1, 0)
    assert feed_server.requests[-1][1]["If-None-Match"] == '"1"'
    feed_server.routes["/rss"] = Static(fixture_feed("rss20_sv.xml"), etag='"2"')
    advance(monkeypatch, 122)
    third = poll(engine)
    assert (third.same_body, third.new_posts, third.changed_posts) == (1, 0, 0)
    assert feed(engine, "rss").etag == '"2"', "the new validator of a known body is adopted"
    advance(monkeypatch, 183)
    assert poll(engine).not_modified == 1
    assert len(posts(engine)) == 2


def test_a_changed_entry_updates_the_post_and_keeps_the_previous_version(
    engine, tmp_path: Path, feed_server: FeedServer, fixture_feed, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = fixture_feed("rss20_sv.xml")
    setup(engine, tmp_path, feed_server, {"/rss": Static(original)})
    poll(engine)
    feed_server.routes["/rss"] = Static(original.replace(b"kl. 09.00</title>", b"kl. 10.00</title>"))
    advance(monkeypatch, 61)
    report = poll(engine)
    assert (report.new_posts, report.changed_posts) == (0, 1)
    (changed,) = [p for p in posts(engine) if p.guid == "torsby-2026-002"]
    assert changed.title == "Nästa lägesbild kl. 10.00" and changed.version == 2
    with read_session(engine) as session:
        (old,) = session.scalars(select(PostVersion).where(PostVersion.post_id == changed.id)).all()
    assert old.title == "Nästa lägesbild kl. 09.00" and old.version == 1


def test_a_guid_seen_again_is_stored_once(
    engine, tmp_path: Path, feed_server: FeedServer, fixture_feed, monkeypatch
) -> None:
    setup(engine, tmp_path, feed_server, {"/dup": Static(fixture_feed("duplicate_guid.xml"))})
    poll(engine)
    feed_server.routes["/dup"] = Static(fixture_feed("duplicate_guid.xml") + b"\n")  # new body, same entries
    advance(monkeypatch, 61)
    report = poll(engine)
    assert (report.new_posts, report.changed_posts) == (0, 0)
    assert [p.guid for p in posts(engine)] == ["dup-1"]


def test_a_broken_feed_backs_off_honours_retry_after_and_does_not_delay_others(
    engine, tmp_path: Path, feed_server: FeedServer, fixture_feed
) -> None:
    setup(
        engine,
        tmp_path,
        feed_server,
        {
            "/good": Static(fixture_feed("atom10_social.xml")),
            "/busy": status(503, {"Retry-After": "600"}),
            "/drip": slow_drip(total_s=10),
            "/bomb": gzip_bomb(50),
            "/loop": redirect("/loop"),
        },
    )
    report = poll(engine, deadline_s=1.5, max_bytes=1_000_000)
    assert set(report.failures) == {"busy", "drip", "bomb", "loop"}
    assert len(posts(engine, "good")) == 3
    now = parse_instant(NOW)
    assert feed(engine, "busy").next_fetch_at >= now + timedelta(seconds=600)
    assert feed(engine, "good").next_fetch_at == now + timedelta(seconds=60)
    assert feed(engine, "good").last_latency_ms < 1000, "the good feed did not wait for the slow one"
    assert feed(engine, "drip").last_error == "no complete response within the 1.5 s deadline"


def test_gone_feeds_are_marked_dead_not_deleted(engine, tmp_path: Path, feed_server: FeedServer, monkeypatch) -> None:
    setup(engine, tmp_path, feed_server, {"/gone": status(410), "/missing": status(404)})
    for attempt in range(3):
        advance(monkeypatch, attempt * 3600)
        poll(engine)
    health = {h.account: h for h in feed_health(engine)}
    assert health["gone"].status == "dead" and health["missing"].status == "dead"
    assert health["missing"].consecutive_failures == 3


def test_only_due_feeds_are_fetched(engine, tmp_path: Path, feed_server: FeedServer, fixture_feed, monkeypatch) -> None:
    setup(engine, tmp_path, feed_server, {"/rss": Static(fixture_feed("rss20_sv.xml"))})
    poll(engine)
    advance(monkeypatch, 30)
    assert poll(engine).feeds == 0
    advance(monkeypatch, 60)
    assert poll(engine).feeds == 1


def test_two_pollers_at_once_store_each_entry_once(
    engine, tmp_path: Path, feed_server: FeedServer, fixture_feed
) -> None:
    setup(
        engine,
        tmp_path,
        feed_server,
        {"/a": Static(fixture_feed("atom10_social.xml")), "/b": Static(fixture_feed("rss20_sv.xml"))},
    )

    async def both() -> list[PollReport]:
        return await asyncio.gather(Poller(engine).run_once(), Poller(engine).run_once())

    asyncio.run(both())
    with read_session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Post)) == 5


# -- One feed's failure, whatever it is, is that feed's health record (issue 12, item 1) ----------------


class Injected(Exception):
    """An exception no code in crisisdesk knows by name."""


STAGES = ("fetch", "parse", "normalise", "store", "database", "checks", "record")
ERRORS = (
    lambda: Injected("injected fault"),
    lambda: KeyError("injected fault"),
    lambda: RecursionError("injected fault"),
    lambda: UnicodeDecodeError("utf-8", b"\xff", 0, 1, "injected fault"),
)


def inject(monkeypatch: pytest.MonkeyPatch, stage: str, error: Exception) -> None:
    """Make one feed (account 'bad', whose document says BAD-FEED) fail at `stage` with `error`."""
    if stage == "fetch":
        fetch = Fetcher.fetch

        async def failing_fetch(self, url, **kwargs):  # type: ignore[no-untyped-def]
            if url.endswith("/bad"):
                raise error
            return await fetch(self, url, **kwargs)

        monkeypatch.setattr(Fetcher, "fetch", failing_fetch)
    elif stage == "parse":
        parse_feed = poller_module.parse_feed

        def failing_parse(data, **kwargs):  # type: ignore[no-untyped-def]
            if b"BAD-FEED" in data:
                raise error
            return parse_feed(data, **kwargs)

        monkeypatch.setattr(poller_module, "parse_feed", failing_parse)
    elif stage == "normalise":
        html_to_text = parse_module.html_to_text

        def failing_html(value, **kwargs):  # type: ignore[no-untyped-def]
            if value and "BAD-FEED" in value:
                raise error
            return html_to_text(value, **kwargs)

        monkeypatch.setattr(parse_module, "html_to_text", failing_html)
    elif stage in ("store", "database"):
        store_entries = poller_module.store_entries

        def failing_store(session, feed, entries, fetched_at):  # type: ignore[no-untyped-def]
            stats = store_entries(session, feed, entries, fetched_at)  # written, then the fault
            if feed.account_id == "bad":
                if stage == "database":  # a statement the database refused (PostgreSQL then aborts the transaction)
                    try:
                        session.execute(text("SELECT no_such_column FROM posts"))
                    except Exception:
                        pass
                raise error
            return stats

        monkeypatch.setattr(poller_module, "store_entries", failing_store)
    elif stage == "record":
        record_fetch = poller_module.record_fetch

        def failing_record(session, feed, result, **kwargs):  # type: ignore[no-untyped-def]
            record_fetch(session, feed, result, **kwargs)
            if feed.account_id == "bad":
                raise error

        monkeypatch.setattr(poller_module, "record_fetch", failing_record)


@pytest.mark.parametrize("make_error", ERRORS, ids=["custom", "KeyError", "RecursionError", "UnicodeDecodeError"])
@pytest.mark.parametrize("stage", STAGES)
def test_a_fault_at_any_stage_of_one_feed_is_its_health_record_and_the_pass_completes(
    engine, tmp_path: Path, feed_server: FeedServer, fixture_feed, monkeypatch: pytest.MonkeyPatch, stage, make_error
) -> None:
    rss = fixture_feed("rss20_sv.xml")
    setup(
        engine,
        tmp_path,
        feed_server,
        {
            "/first": Static(rss),
            "/bad": Static(rss.replace(b"Det brinner", b"BAD-FEED Det brinner")),
            "/last": Static(fixture_feed("atom10_social.xml")),
        },
    )
    error = make_error()
    inject(monkeypatch, stage, error)
    checked: list[str] = []
    passes: list[int] = []

    def after_store(session, account_id, stats) -> None:  # type: ignore[no-untyped-def]
        if stage == "checks" and account_id == "bad":
            raise error
        checked.append(account_id)

    poller = Poller(engine, after_store=after_store, after_pass=lambda: passes.append(1))
    report = asyncio.run(poller.run_once())
    assert set(report.failures) == {"bad"}, report.failures
    assert type(error).__name__ in report.failures["bad"]
    assert (len(posts(engine, "first")), len(posts(engine, "last")), len(posts(engine, "bad"))) == (2, 3, 0)
    assert {"first", "last"} <= set(checked) and passes == [1], "the others were checked, the pass ended"
    health = {h.account: h for h in feed_health(engine)}
    assert health["bad"].status == "failing" and health["bad"].consecutive_failures == 1
    assert type(error).__name__ in (health["bad"].last_error or "")
    assert health["first"].status == health["last"].status == "ok"
    assert feed(engine, "bad").next_fetch_at > parse_instant(NOW), "backed off, not due again at once"
    # The next pass: the feed fails again, as a record, and nothing else is disturbed.
    advance(monkeypatch, 7 * 3600)
    again = asyncio.run(poller.run_once())
    assert set(again.failures) == {"bad"} and passes == [1, 1]
    assert feed(engine, "bad").consecutive_failures == 2


def test_hostile_redirects_retry_afters_and_feed_urls_are_health_records_of_their_feeds(
    engine, tmp_path: Path, feed_server: FeedServer, fixture_feed
) -> None:
    setup(
        engine,
        tmp_path,
        feed_server,
        {
            "/good": Static(fixture_feed("atom10_social.xml")),
            "/ipv6": redirect("http://[::1"),
            "/port": redirect("http://127.0.0.1:99999/"),
            "/retry29": status(503, {"Retry-After": "1" + "0" * 29}),
            "/retry400": status(429, {"Retry-After": "9" * 400}),
            "/retrysup": status(503, {"Retry-After": "\u00b2"}),
            "/badport": Static(b"never fetched"),
        },
    )
    with engine.begin() as conn:  # a feed URL stored before the registry refused such ports
        conn.execute(update(Feed).where(Feed.account_id == "badport").values(url="http://127.0.0.1:99999/x"))
    passes: list[int] = []
    report = asyncio.run(Poller(engine, after_pass=lambda: passes.append(1)).run_once())
    assert set(report.failures) == {"ipv6", "port", "retry29", "retry400", "retrysup", "badport"}
    assert len(posts(engine, "good")) == 3 and passes == [1]
    now = parse_instant(NOW)
    for name in ("retry29", "retry400"):
        assert feed(engine, name).next_fetch_at == now + timedelta(hours=24), "an absurd pause is a day"
    assert feed(engine, "retrysup").next_fetch_at == now + timedelta(seconds=60), "'²' is no pause at all"
    assert "Location" in (feed(engine, "ipv6").last_error or "")
    assert "99999" in (feed(engine, "badport").last_error or "")


def test_entries_are_cleaned_before_the_write_transaction(
    engine, tmp_path: Path, feed_server: FeedServer, fixture_feed, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Turning HTML into text is CPU work: done while the database is locked, it stalls every writer."""
    writing: list[bool] = []
    write_session = poller_module.write_session

    @contextmanager
    def tracked(engine) -> Iterator[object]:  # type: ignore[no-untyped-def]
        writing.append(True)
        try:
            with write_session(engine) as session:
                yield session
        finally:
            writing.pop()

    cleaned_while_writing: list[bool] = []
    html_to_text = parse_module.html_to_text

    def tracking_html(value, **kwargs):  # type: ignore[no-untyped-def]
        cleaned_while_writing.append(bool(writing))
        return html_to_text(value, **kwargs)

    monkeypatch.setattr(poller_module, "write_session", tracked)
    monkeypatch.setattr(parse_module, "html_to_text", tracking_html)
    original = fixture_feed("rss20_sv.xml")
    setup(engine, tmp_path, feed_server, {"/rss": Static(original)})
    assert poll(engine).new_posts == 2
    feed_server.routes["/rss"] = Static(original.replace(b"ventilationen.", b"ventilationen!"))
    advance(monkeypatch, 61)
    assert poll(engine).changed_posts == 1
    assert cleaned_while_writing and not any(cleaned_while_writing)


# -- Churn: versions bounded per entry and per feed per day, shown in health (issue 12, item 13) ------


def flipping(count: int, flip: int, *, distinct: bool = False) -> bytes:
    """A feed of `count` entries whose texts alternate between two versions from one fetch to the next
    (or, `distinct`, are new at every fetch)."""
    label = str(flip) if distinct else "AB"[flip % 2]
    items = "".join(
        f"<item><guid>e{i}</guid><title>Entry {i}</title><description>Version {label} of entry {i}"
        f"</description><pubDate>Sun, 22 Nov 2026 07:00:00 +0000</pubDate></item>"
        for i in range(count)
    )
    return f'<rss version="2.0"><channel><title>flip</title>{items}</channel></rss>'.encode()


def versions(engine, account_id: str) -> int:
    with read_session(engine) as session:
        query = select(func.count(PostVersion.id)).join(Post).where(Post.account_id == account_id)
        return session.scalar(query) or 0


@pytest.mark.timeout(900)  # 4,000 changed entries in a few passes: minutes on a machine busy with other work
def test_a_feed_flipping_all_its_entries_stores_a_bounded_number_of_versions_a_day(
    engine, tmp_path: Path, feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sources import store

    assert store.MAX_VERSIONS_PER_FEED_PER_DAY == 1_000
    # The bound at a tenth, with a feed of a tenth: the same flips, ten times fewer rows to write.
    monkeypatch.setattr(store, "MAX_VERSIONS_PER_FEED_PER_DAY", 100)
    setup(engine, tmp_path, feed_server, {"/flip": Static(flipping(100, 0))}, kinds={"flip": "watch"})
    poll(engine)
    for flip in range(1, 5):  # A, B, A, B, A: the stored text is B once the first flip is kept
        feed_server.routes["/flip"] = Static(flipping(100, flip))
        advance(monkeypatch, flip * 301)
        poll(engine)
    assert versions(engine, "flip") == 100
    health = {h.account: h for h in feed_health(engine)}["flip"]
    assert (health.versions_today, health.changes_not_kept_today) == (100, 200), "the two flips back to A"
    assert "200 changed entries not kept today" in (health.last_error or "")
    # A new day: the feed's changes are kept again, up to the bound.
    feed_server.routes["/flip"] = Static(flipping(100, 6))
    advance(monkeypatch, 24 * 3600)
    assert poll(engine).changed_posts == 100
    health = {h.account: h for h in feed_health(engine)}["flip"]
    assert (health.versions_today, health.changes_not_kept_today) == (100, 0)


def test_one_entry_changing_at_every_fetch_keeps_a_bounded_number_of_versions_a_day(
    engine, tmp_path: Path, feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sources.store import MAX_VERSIONS_PER_ENTRY_PER_DAY

    setup(engine, tmp_path, feed_server, {"/one": Static(flipping(1, 0))})
    poll(engine)
    for flip in range(1, MAX_VERSIONS_PER_ENTRY_PER_DAY + 11):
        feed_server.routes["/one"] = Static(flipping(1, flip, distinct=True))
        advance(monkeypatch, flip * 61)
        poll(engine)
    assert versions(engine, "one") == MAX_VERSIONS_PER_ENTRY_PER_DAY
    (post,) = posts(engine, "one")
    assert post.version == MAX_VERSIONS_PER_ENTRY_PER_DAY + 1
    health = {h.account: h for h in feed_health(engine)}["one"]
    assert (health.versions_today, health.changes_not_kept_today) == (MAX_VERSIONS_PER_ENTRY_PER_DAY, 10)


# -- Clock steps: next_fetch_at bounded, feeds not polled in time reported (issue 12, item 14) ---------


def test_a_clock_step_ahead_and_back_does_not_stop_polling_and_health_says_so(
    engine, tmp_path: Path, feed_server: FeedServer, fixture_feed, monkeypatch: pytest.MonkeyPatch
) -> None:
    setup(engine, tmp_path, feed_server, {"/rss": Static(fixture_feed("rss20_sv.xml"))})
    advance(monkeypatch, 30 * 24 * 3600)  # the clock jumps a month ahead, a pass runs, the clock is corrected
    poll(engine)
    advance(monkeypatch, 0)
    health = {h.account: h for h in feed_health(engine)}["rss"]
    assert health.status == "stale" and "the clock" in (health.reason or ""), health
    report = poll(engine)
    assert report.feeds == 1, "a schedule beyond the feed's longest delay is not believed"
    assert feed(engine, "rss").next_fetch_at == parse_instant(NOW) + timedelta(seconds=60)
    assert {h.account: h for h in feed_health(engine)}["rss"].status == "ok"


def test_feeds_not_polled_in_time_are_reported(
    engine, tmp_path: Path, feed_server: FeedServer, fixture_feed, monkeypatch: pytest.MonkeyPatch
) -> None:
    setup(engine, tmp_path, feed_server, {"/rss": Static(fixture_feed("rss20_sv.xml")), "/new": Static(b"")})
    with engine.begin() as conn:  # a feed that failed once, due again a minute later
        conn.execute(update(Feed).where(Feed.account_id == "new").values(consecutive_failures=1))
    advance(monkeypatch, 3600)  # an hour later, nothing polled: the poller is not running
    health = {h.account: h for h in feed_health(engine)}
    for name in ("rss", "new"):
        assert health[name].status == "stale", health[name]
        assert "due since 2026-11-22T08:00:00+00:00, not polled for 1:00:00" in (health[name].reason or "")


def test_a_schedule_is_never_further_ahead_than_the_feed_s_longest_delay(
    engine, tmp_path: Path, feed_server: FeedServer
) -> None:
    setup(engine, tmp_path, feed_server, {"/busy": status(503, {"Retry-After": "999999999"})})
    for _ in range(12):  # backoff doubling past its cap, a server asking for 31 years
        with engine.begin() as conn:
            conn.execute(update(Feed).values(next_fetch_at=parse_instant(NOW)))
        poll(engine)
    assert feed(engine, "busy").next_fetch_at == parse_instant(NOW) + timedelta(hours=24)


# -- Priorities: official feeds never queue behind watched ones (issue 12, item 15) -------------------


class HangingServer:
    """Routes of a FeedServer that hold their response until released (or 60 s)."""

    def __init__(self) -> None:
        import threading

        self.release = threading.Event()

    def __call__(self, req) -> None:  # type: ignore[no-untyped-def]
        self.release.wait(60)
        Static(b'<rss version="2.0"><channel><title>late</title></channel></rss>')(req)


def test_official_feeds_and_other_hosts_keep_their_schedule_while_40_watched_feeds_hang(
    engine, tmp_path: Path, feed_server: FeedServer, fixture_feed, monkeypatch: pytest.MonkeyPatch
) -> None:
    hanging = HangingServer()
    other = FeedServer(host="127.0.0.2")  # a second host, on the loopback network too
    with other:
        other.routes["/other"] = Static(fixture_feed("atom10_social.xml"))
        routes: dict[str, object] = {f"/slow{i}": hanging for i in range(40)}
        routes["/official"] = Static(fixture_feed("rss20_sv.xml"))
        kinds = {f"slow{i}": "watch" for i in range(40)} | {"official": "alert"}
        setup(engine, tmp_path, feed_server, routes, kinds=kinds)
        more = write_registry(tmp_path / "more.yaml", [account("other", other.url("/other"), "watch")])
        registry.import_registry(engine, registry.load(more))  # added; the others stay

        async def scenario() -> tuple[int, int, int]:
            stop = asyncio.Event()
            poller = Poller(engine, settings=FetchSettings(deadline_s=60, per_host=4))
            running = asyncio.create_task(poller.run_forever(0.05, stop=stop))
            try:
                for step in range(4):
                    if step:
                        advance(monkeypatch, step * 301)  # both due again; the hanging ones are still in flight
                    now = parse_instant(NOW) + timedelta(seconds=step * 301)
                    for _ in range(500):  # a liveness bound (25 s a step on a busy machine), not a speed measurement
                        # A hit is not enough: the clock may only move once the poller has stored the
                        # fetch, or the next schedule is counted from the moved clock and never falls due.
                        if feed_server.hits("/official") > step and other.hits("/other") > step:
                            if all(feed(engine, name).next_fetch_at > now for name in ("official", "other")):
                                break
                        await asyncio.sleep(0.05)
                slow_started = sum(feed_server.hits(f"/slow{i}") for i in range(40))
                return feed_server.hits("/official"), other.hits("/other"), slow_started
            finally:
                hanging.release.set()
                stop.set()
                await running

        official, elsewhere, slow_started = asyncio.run(scenario())
    assert (official, elsewhere) == (4, 4), "fetched on schedule while the 40 watched feeds hung"
    assert slow_started <= 4, "a slow host only slows itself: 4 connections at a time"


def test_a_pass_over_unchanged_feeds_costs_statements_per_batch_not_per_feed(
    engine, tmp_path: Path, feed_server: FeedServer, fixture_feed, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every statement is a round trip during which the event loop, and every fetch in flight, waits.
    routes = {f"/f{i}": Static(fixture_feed("rss20_sv.xml"), etag=f'"{i}"') for i in range(30)}
    setup(engine, tmp_path, feed_server, routes)
    assert poll(engine).new_posts == 60
    statements: list[str] = []

    def record(conn, cursor, statement, *rest) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    advance(monkeypatch, 3600)
    report = poll(engine)
    event.remove(engine, "before_cursor_execute", record)
    assert (report.fetched, report.not_modified, report.failures) == (30, 30, {})
    assert not any("SAVEPOINT" in s for s in statements), "nothing of a feed's own to store: no savepoint"
    per_feed = sum(1 for s in statements if "FROM feeds" in s and "feeds.id =" in s)
    assert per_feed == 0, "the batch's feeds are read in one query, not one each"
    assert all(feed(engine, f"f{i}").last_fetch_at == parse_instant(NOW) + timedelta(seconds=3600) for i in range(30))


def test_a_validator_longer_than_its_column_is_dropped_and_the_feed_is_stored(
    engine, tmp_path: Path, feed_server: FeedServer, fixture_feed
) -> None:
    setup(engine, tmp_path, feed_server, {"/rss": Static(fixture_feed("rss20_sv.xml"), etag='"' + "e" * 600 + '"')})
    report = poll(engine)
    assert (report.new_posts, report.failures) == (2, {})
    stored = feed(engine, "rss")
    assert stored.etag is None and stored.last_success_at is not None, "plain GETs next time, not a failure"
