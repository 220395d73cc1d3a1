"""The account registry: a file validated whole, imported by id, with R12 warnings."""

from __future__ import annotations

import json
import re
import tracemalloc
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
        ({"feed": "https://x .example/rss"}, "field 'feed': 'https://x .example/rss' contains ' ', which a URL"),
        ({"feed": "https://x.example/\x07"}, "field 'feed': 'https://x.example/\\x07' contains '\\x07'"),
        ({"homepage": "https://x.example/\u202egpj"}, "field 'homepage': 'https://x.example/\\u202egpj' contains"),
        ({"feed": "https://x.example/" + "a" * 2000}, "field 'feed': 'https://x.example/aaa"),
        ({"feed": "https://x.example/" + "a" * 2000}, "is longer than 2000 characters"),
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


@pytest.mark.parametrize(
    ("data", "message"),
    [("organisation: X\n".encode("utf-16"), "line 1: not UTF-8 text (byte 1, a UTF-16 file); save it as UTF-8"),
     (b"organisation: X\naccounts:\n  - name: \xe5\n", "line 3: not UTF-8 text (byte 37); save it as UTF-8")],
)  # fmt: skip
def test_a_file_that_is_not_utf8_says_where_and_what_to_do(tmp_path: Path, data: bytes, message: str) -> None:
    path = tmp_path / "accounts.yaml"
    path.write_bytes(data)
    with pytest.raises(registry.RegistryError, match=re.escape(message)):
        registry.load(path)


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(registry.RegistryError, match="cannot read the file"):
        registry.load(tmp_path / "nope.yaml")


# -- Hostile files: bounded before they are read, duplicates named (issue 12, item 7) -------------------

ALIAS_BOMB = """\
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
organisation: *i
allow_networks: *i
accounts:
  - {id: x, name: *i, kind: *i, platform: *i, feed: *i, languages: *i}
"""


def test_a_nested_alias_bomb_is_refused_before_anything_expands_it(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(ALIAS_BOMB, encoding="utf-8")
    assert len(ALIAS_BOMB.encode()) < 700  # the 618-byte file of the report, give or take
    tracemalloc.start()
    try:
        with pytest.raises(registry.RegistryError) as caught:
            registry.load(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20_000_000, f"{peak / 1e6:.0f} MB for a 600-byte file"
    assert "aliases would expand the file to more than 100000 values" in str(caught.value)


def test_anchors_and_aliases_of_reasonable_size_are_allowed(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(
        "organisation: Torsby kommun\n"
        "accounts:\n"
        "  - {id: web, name: Webb, kind: website, platform: web, feed: 'https://w.example/rss',\n"
        "     administrators: &admins [a@torsby.example, b@torsby.example]}\n"
        "  - {id: fb, name: FB, kind: social, platform: facebook, feed: 'https://f.example/rss',\n"
        "     administrators: *admins}\n",
        encoding="utf-8",
    )
    loaded = registry.load(path)
    assert [a.administrators for a in loaded.accounts] == [["a@torsby.example", "b@torsby.example"]] * 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[" * 50_000, "nested deeper than 50 levels"),
        ("a: " + "{b: " * 5_000 + "c" + "}" * 5_000, "nested deeper than 50 levels"),
        ("organisation: X\naccounts:\n" + "  - {id: a}\n" * 100_000, "larger than 1 MiB (1048576 bytes)"),
    ],
)
def test_deep_or_huge_files_are_refused_with_a_clear_message(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(registry.RegistryError, match=re.escape(message)):
        registry.load(path)


def test_a_duplicate_field_is_refused_naming_entry_field_and_lines(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(
        "organisation: Torsby kommun\n"
        "accounts:\n"
        "  - id: web\n"
        "    name: Webb\n"
        "    kind: watch\n"
        "    platform: web\n"
        "    feed: https://w.example/rss\n"
        "    kind: website\n"
        "organisation: Someone else\n",
        encoding="utf-8",
    )
    with pytest.raises(registry.RegistryError) as caught:
        registry.load(path)
    problems = caught.value.problems
    assert "accounts[0] (id 'web'): field 'kind' appears twice (lines 5 and 8); a file must say it once" in problems
    assert "field 'organisation' appears twice (lines 1 and 9); a file must say it once" in problems


# -- Credentials in feed URLs are never shown (issue 12, item 8) -----------------------------------------


def test_credentials_in_feed_urls_are_kept_for_fetching_but_never_listed(engine, tmp_path: Path) -> None:
    secret = "https://desk:hunter2@feeds.example/rss?api_key=k3y&lang=sv"
    path = write_registry(tmp_path / "a.yaml", [account("web", secret), account("x", "https://x.example/rss")])
    registry.import_registry(engine, registry.load(path))
    listed = {a.id: a for a in registry.list_accounts(engine)}
    assert listed["web"].feed.url == "https://***@feeds.example/rss?api_key=***&lang=sv"
    assert listed["x"].feed.url == "https://x.example/rss"
    with read_session(engine) as session:  # the fetcher still has what it needs
        assert session.scalars(select(Feed.url).where(Feed.account_id == "web")).one() == secret
    shown = json.dumps([a.feed.url for a in registry.list_accounts(engine)])
    assert "hunter2" not in shown and "k3y" not in shown and "desk" not in shown


def test_partner_accounts_carry_their_platform_and_area(engine, tmp_path: Path) -> None:
    """Issue 14, item 1: kind `partner` with one of the five platforms and an area filter."""
    accounts = [
        account("nina", "https://warnung.bund.de/api31/dashboard/091620000000.json", "partner", platform="NINA",
                area=["091620000000", "09162"]),
        account("kris", "https://api.krisinformation.se/v3/news", "partner", platform="krisinformation",
                area="Stockholms län"),
    ]  # fmt: skip
    loaded = registry.load(write_registry(tmp_path / "a.yaml", accounts))
    assert [(a.kind, a.platform, a.area, a.interval_s) for a in loaded.accounts] == [
        ("partner", "nina", ["091620000000", "09162"], 120), ("partner", "krisinformation", ["Stockholms län"], 120)]  # fmt: skip
    report = registry.import_registry(engine, loaded)
    assert report.warnings == []  # R12 asks two administrators of the organisation's own accounts only
    with read_session(engine) as session:
        assert session.get(Account, "kris").area == ["Stockholms län"]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"kind": "partner", "platform": "twitter"}, "a partner account's platform is one of nina, alertswiss"),
        ({"kind": "website", "area": ["BE"]}, "only a partner account has an area filter"),
        ({"kind": "partner", "platform": "cap", "area": {"x": 1}}, "field 'area': must be a code or name"),
    ],
)
def test_bad_partner_entries_are_named(tmp_path: Path, extra: dict[str, object], message: str) -> None:
    entry = account("p", "https://example.org/cap.xml", **extra)  # type: ignore[arg-type]
    with pytest.raises(registry.RegistryError, match=re.escape(message)):
        registry.load(write_registry(tmp_path / "a.yaml", [entry]))


def test_names_keep_no_control_bidi_or_zero_width_character(tmp_path: Path) -> None:
    # ESC[2J in the organisation cleared the terminal at "imported … of <organisation>"; "web\u200b" was not web.
    entry = account("w", "https://w.example/rss", name="A\x1b[31mB\u202e", platform="Web\u200b",
                    owner="o\x1b]0;x\x07", administrators=["a\u202e@x.example", "b@x.example"])  # fmt: skip
    reg = registry.load(write_registry(tmp_path / "a.yaml", [entry], organisation="Torsby\u202e  kommun"))
    (spec,) = reg.accounts
    assert reg.organisation == "Torsby kommun"
    assert (spec.name, spec.platform, spec.owner) == ("A[31mB", "web", "o]0;x")
    assert spec.administrators == ["a@x.example", "b@x.example"]
    with pytest.raises(registry.RegistryError, match="field 'name': required"):
        registry.load(write_registry(tmp_path / "b.yaml", [{**entry, "name": "\u200b\u202e"}]))
