"""The account registry: a file validated whole, imported by id, with R12 warnings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.db import read_session
from sources import registry
from sources.models import Account, Feed
from tests.helpers.registry import account, write_registry


def test_import_creates_accounts_feeds_and_the_organisation(engine, tmp_path: Path) -> None:
    path = write_registry(
        tmp_path / "accounts.yaml",
        [
            account(
                "web",
                "https://www.torsby.example/rss",
                "website",
                languages=["sv"],
                owner="Kommunikationsenheten",
            ),
            account(
                "fb",
                "https://social.example/kommun.atom",
                "social",
                platform="facebook",
                administrators=["a@x"],
            ),
            account("forum", "https://forum.example/rss", "watch", administrators=[]),
        ],
    )
    report = registry.import_registry(engine, registry.load(path))
    assert sorted(report.created) == ["fb", "forum", "web"]
    # R12: one administrator on an official account is a warning; a watch account needs none.
    assert report.warnings == ["account 'fb': 1 administrator(s); R12 asks for at least two on every official account"]
    accounts = {a.id: a for a in registry.list_accounts(engine)}
    assert accounts["web"].feed.interval_s == 60 and accounts["forum"].feed.interval_s == 300
    assert accounts["web"].owner == "Kommunikationsenheten" and accounts["web"].languages == ["sv"]
    org = registry.organisation(engine)
    assert org is not None and org.name == "Torsby kommun" and org.allow_networks == ["127.0.0.0/8"]


def test_reimport_updates_by_id_and_a_new_feed_url_resets_fetch_state(engine, tmp_path: Path) -> None:
    path = tmp_path / "accounts.yaml"
    write_registry(path, [account("web", "https://old.example/rss"), account("x", "https://x.example/rss")])
    registry.import_registry(engine, registry.load(path))
    with engine.begin() as conn:
        conn.execute(Feed.__table__.update().values(etag='"abc"', consecutive_failures=3))
    write_registry(
        path,
        [account("web", "https://new.example/rss", name="Renamed"), account("x", "https://x.example/rss")],
    )
    report = registry.import_registry(engine, registry.load(path))
    assert (report.created, report.updated, report.unchanged) == ([], ["web"], ["x"])
    with read_session(engine) as session:
        web = session.get(Account, "web")
        assert web is not None and web.name == "Renamed"
        assert (web.feed.url, web.feed.etag, web.feed.consecutive_failures) == (
            "https://new.example/rss",
            None,
            0,
        )
        x_feed = session.scalars(select(Feed).where(Feed.account_id == "x")).one()
        assert (x_feed.etag, x_feed.consecutive_failures) == ('"abc"', 3)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            {"kind": "twitter"},
            "accounts[1] (id 'bad'): field 'kind': 'twitter' is not one of website, social, alert, watch",
        ),
        (
            {"feed": "ftp://x.example/rss"},
            "accounts[1] (id 'bad'): field 'feed': 'ftp://x.example/rss' is not an http(s) URL",
        ),
        ({"feed": "file:///etc/passwd"}, "field 'feed'"),
        (
            {"feed": "http://127.0.0.1:99999/rss"},
            "accounts[1] (id 'bad'): field 'feed': 'http://127.0.0.1:99999/rss' has port 99999; a port is 1 to 65535",
        ),
        (
            {"feed": "https://x.example:0/rss"},
            "field 'feed': 'https://x.example:0/rss' has port 0; a port is 1 to 65535",
        ),
        ({"feed": "http://[::1/rss"}, "field 'feed': 'http://[::1/rss' is not a URL (Invalid IPv6 URL)"),
        ({"feed": "http://x.example:80a/rss"}, "field 'feed': 'http://x.example:80a/rss' has a malformed port"),
        ({"homepage": "http://x.example:70000/"}, "field 'homepage': 'http://x.example:70000/' has port 70000"),
        ({"feed": "http:///rss"}, "field 'feed': 'http:///rss' has no host"),
        ({"interval": 1}, "field 'interval': must be a whole number of seconds from 10"),
        ({"languages": "sv"}, "field 'languages'"),
        ({"adminstrators": ["typo"]}, "field 'adminstrators': unknown field"),
        ({"id": "has space"}, "field 'id'"),
        ({"id": "web"}, "accounts[1] (id 'web'): field 'id': duplicate of accounts[0]"),
        ({"name": ""}, "field 'name': required"),
    ],
)
def test_a_malformed_entry_rejects_the_whole_file_naming_entry_and_field(
    engine, tmp_path: Path, entry: dict, message: str
) -> None:
    bad = {**account("bad", "https://bad.example/rss"), **entry}
    path = write_registry(tmp_path / "accounts.yaml", [account("web", "https://w.example/rss"), bad])
    with pytest.raises(registry.RegistryError) as caught:
        registry.load(path)
    assert message in str(caught.value)
    assert str(caught.value).startswith(str(path))
    with read_session(engine) as session:  # nothing partial was written
        assert session.scalar(select(func.count()).select_from(Account)) == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("accounts: [\n  - id: x\n    name: [unclosed\n", "line 2, column 3: not valid YAML"),
        ("- just\n- a list\n", "must be a mapping"),
        ("organisation: X\naccounts: []\n", "field 'accounts': a non-empty list"),
        ("accounts:\n  - id: a\n", "field 'organisation'"),
        (
            "organisation: X\nallow_networks: [not-a-net]\naccounts: []\n",
            "allow_networks[0]: 'not-a-net' is not an IP network",
        ),
    ],
)
def test_broken_files_are_reported_with_their_place(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "accounts.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(registry.RegistryError, match=re.escape(message)):
        registry.load(path)


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(registry.RegistryError, match="cannot read the file"):
        registry.load(tmp_path / "nope.yaml")
