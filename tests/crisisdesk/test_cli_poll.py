"""`poll`, `posts`, `health` and `accounts` as a user drives them when feeds or arguments misbehave."""

from __future__ import annotations

from pathlib import Path

import pytest

from crisisdesk.cli import main
from tests.helpers.feedserver import FeedServer, Static, redirect, status
from tests.helpers.registry import account, write_registry


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_poll_once_with_hostile_feeds_reports_each_and_ends_cleanly(
    db_url: str, tmp_path: Path, feed_server: FeedServer, fixture_feed, capsys, monkeypatch
) -> None:
    monkeypatch.setenv("CRISISDESK_NOW", "2026-11-22T08:00:00+01:00")
    feed_server.routes["/web"] = Static(fixture_feed("rss20_sv.xml"))
    feed_server.routes["/ipv6"] = redirect("http://[::1")
    feed_server.routes["/port"] = redirect("http://127.0.0.1:99999/")
    feed_server.routes["/retry"] = status(503, {"Retry-After": "1" + "0" * 29})
    feed_server.routes["/digits"] = status(429, {"Retry-After": "9" * 400})
    feed_server.routes["/sup"] = status(503, {"Retry-After": "\u00b2"})
    names = ["web", "ipv6", "port", "retry", "digits", "sup"]
    path = write_registry(tmp_path / "a.yaml", [account(n, feed_server.url(f"/{n}"), "watch") for n in names])
    assert run(capsys, "accounts", "import", str(path), "--db", db_url)[0] == 0
    code, out, err = run(capsys, "poll", "--once", "--db", db_url)
    assert code == 0, err
    assert out.strip() == "polled 6 feeds: 2 new posts, 0 changed, 0 unchanged, 5 failing"
    assert "Traceback" not in err and len(err.splitlines()) == 5
    assert {line.split(":")[0] for line in err.splitlines()} == {f"feed {n}" for n in names[1:]}
    code, out, _ = run(capsys, "health", "--db", db_url)
    assert code == 0 and out.count("failing") == 5


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["poll", "--interval", "nan"], "'nan' is not a finite number"),
        (["poll", "--interval", "inf"], "'inf' is not a finite number"),
        (["poll", "--interval", "1_0"], "'1_0' is not a number"),
        (["poll", "--deadline", "\u0665"], "'\u0665' is not a number"),
        (["poll", "--interval", "1e300"], "must be from 0.01 to 3600 seconds"),
        (["poll", "--deadline", "nan"], "'nan' is not a finite number"),
        (["poll", "--deadline=-inf"], "'-inf' is not a finite number"),
        (["poll", "--deadline", "0.01"], "must be from 0.1 to 3600 seconds"),
        (["poll", "--concurrency", "0"], "'0' must be from 1 to 1000"),
        (["poll", "--concurrency", "many"], "'many' is not a whole number"),
        (["posts", "--limit", "-1"], "'-1' must be from 1 to 1000000"),
        (["posts", "--limit", "1" + "0" * 20], "must be from 1 to 1000000"),
    ],
)
def test_bad_poll_and_posts_options_are_exit_2_with_one_line(
    db_url: str, capsys, argv: list[str], message: str
) -> None:
    code, out, err = run(capsys, *argv, "--db", db_url)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and message in err, err


def test_credentials_in_a_feed_url_appear_in_no_output(
    db_url: str, tmp_path: Path, feed_server: FeedServer, capsys, monkeypatch
) -> None:
    monkeypatch.setenv("CRISISDESK_NOW", "2026-11-22T08:00:00+01:00")
    feed_server.routes["/private"] = redirect("/private")  # a loop: the error names the URL
    secret_url = feed_server.url("/private").replace("http://", "http://desk:hunter2@") + "?token=s3cr3t"
    path = write_registry(tmp_path / "a.yaml", [account("web", secret_url, homepage=secret_url)])
    assert run(capsys, "accounts", "import", str(path), "--db", db_url)[0] == 0
    outputs = [run(capsys, "poll", "--once", "--db", db_url)]
    for command in (["accounts", "list"], ["health"], ["posts"]):
        for fmt in ("table", "json"):
            outputs.append(run(capsys, *command, "--format", fmt, "--db", db_url))
    code, out, _ = run(capsys, "accounts", "list", "--format", "json", "--db", db_url)
    assert code == 0
    assert '"feed": "http://***@127.0.0.1:' in out and "?token=***" in out
    for _, out, err in outputs:
        for secret in ("hunter2", "s3cr3t", "desk:"):
            assert secret not in out and secret not in err
