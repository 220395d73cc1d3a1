"""Every fixture feed carries its expected outcome in an `expect:` comment: the data is the spec."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sources.entries import FeedError, HostileFeed
from sources.parse import parse_feed
from tests.conftest import FIXTURES, shared_path

FETCHED = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)
FEEDS = sorted((FIXTURES / "feeds").glob("*.xml"))


def expectation(path: Path) -> dict:
    match = re.search(rb"<!--\s*expect:\s*(\{.*?\})\s*-->", path.read_bytes(), re.S)
    assert match, f"{path.name} has no expect: comment"
    return json.loads(match.group(1))


@pytest.mark.parametrize("path", FEEDS, ids=[p.name for p in FEEDS])
def test_fixture_feed_parses_as_its_header_says(path: Path) -> None:
    expect = expectation(path)
    if "error" in expect:
        with pytest.raises(FeedError, match=expect["error"]):
            parse_feed(path.read_bytes(), fetched_at=FETCHED)
        return
    parsed = parse_feed(path.read_bytes(), fetched_at=FETCHED)
    entries = parsed.entries
    assert parsed.format == expect["format"]
    assert len(entries) == expect["entries"]
    if "guids" in expect:
        assert [e.guid for e in entries] == expect["guids"]
    if "guid_prefix" in expect:
        assert [e.guid[: len(p)] for e, p in zip(entries, expect["guid_prefix"], strict=True)] == expect["guid_prefix"]
    if "first_title" in expect:
        assert entries[0].title == expect["first_title"]
    if "languages" in expect:
        assert [e.language for e in entries] == expect["languages"]
    if "links" in expect:
        assert [e.link for e in entries] == expect["links"]
    if "date_source" in expect:
        assert [e.published_source for e in entries] == expect["date_source"]
    if "text_contains" in expect:
        assert expect["text_contains"] in entries[0].text
    for fragment in expect.get("no_text", []):
        assert all(fragment not in e.text and fragment not in e.title for e in entries)
    if "cap_msgType" in expect:
        assert entries[0].extra["cap"]["msgType"] == expect["cap_msgType"]
    if "cap_event" in expect:
        assert entries[0].extra["cap"]["event"] == expect["cap_event"]


def test_entity_bombs_are_refused_as_hostile(fixture_feed) -> None:
    with pytest.raises(HostileFeed):
        parse_feed(fixture_feed("billion_laughs.xml"), fetched_at=FETCHED)
    with pytest.raises(HostileFeed):
        parse_feed(fixture_feed("xxe.xml"), fetched_at=FETCHED)


def test_bytes_that_name_a_local_file_are_parsed_as_a_document_never_opened() -> None:
    with pytest.raises(FeedError):
        parse_feed(b"/etc/passwd", fetched_at=FETCHED)


def test_an_entry_without_a_date_says_the_fetch_time_stands_in(fixture_feed) -> None:
    entry = parse_feed(fixture_feed("no_guid_no_date.xml"), fetched_at=FETCHED).entries[1]
    assert entry.published == FETCHED
    assert entry.extra["date_unusable"] == "not a date at all"


def test_a_date_far_in_the_future_is_not_believed() -> None:
    body = b"""<rss version="2.0"><channel><title>t</title><item><guid>f</guid><title>x</title>
    <pubDate>Fri, 01 Jan 2100 00:00:00 +0000</pubDate></item></channel></rss>"""
    entry = parse_feed(body, fetched_at=FETCHED).entries[0]
    assert (entry.published, entry.published_source) == (FETCHED, "fetched")


def test_cap_prefers_the_info_block_in_the_accounts_language(fixture_feed) -> None:
    entry = parse_feed(fixture_feed("cap_alert_de.xml"), fetched_at=FETCHED, language_hint="fr").entries[0]
    assert entry.language == "fr"
    assert entry.title.startswith("Fumée")
    assert [i["language"] for i in entry.extra["cap"]["infos"]] == ["de-CH", "fr-CH"]
    assert entry.published == datetime(2026, 11, 22, 6, 20, tzinfo=UTC)


ALERTSWISS = ["POA-898837034-1", "POA-910714329-1", "POA-910882703-3", "POA-913519016-2", "BANNER-922293115"]


@pytest.mark.parametrize("identifier", ALERTSWISS)
def test_real_alertswiss_cap_messages(identifier: str) -> None:
    data = shared_path("corpora", "feeds", "alertswiss", f"{identifier}.xml").read_bytes()
    parsed = parse_feed(data, fetched_at=FETCHED, language_hint="en")
    (entry,) = parsed.entries
    cap = entry.extra["cap"]
    assert parsed.format == "cap12" and entry.guid == identifier
    assert cap["status"] in {"Actual", "System"}
    assert entry.published < FETCHED and entry.published_source == "published"
    assert len(cap["infos"]) >= 1 and all(info["language"] for info in cap["infos"])
    if cap["msgType"] == "Update":
        assert cap["references"], "an Update names what it updates"


def test_real_alertswiss_update_in_english_keeps_the_instruction() -> None:
    data = shared_path("corpora", "feeds", "alertswiss", "POA-913519016-2.xml").read_bytes()
    entry = parse_feed(data, fetched_at=FETCHED, language_hint="en").entries[0]
    assert entry.language == "en"
    assert "Do not enter the affected area" in entry.text
    assert entry.extra["cap"]["msgType"] == "Update"


def test_real_nws_cap_atom_index() -> None:
    data = shared_path("corpora", "feeds", "nws", "nws_atom_feed_example.xml").read_bytes()
    parsed = parse_feed(data, fetched_at=FETCHED)
    assert parsed.format == "atom10"
    assert len(parsed.entries) == 163
    assert len({e.guid for e in parsed.entries}) == 163
    first = parsed.entries[0]
    assert first.extra["format"] == "cap-index"
    assert first.extra["cap"]["event"] == "High Wind Warning"
    assert first.link and first.link.startswith("https://alerts.weather.gov/")
    assert all(e.language == "en" for e in parsed.entries)
