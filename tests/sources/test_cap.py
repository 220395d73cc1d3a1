"""sources/cap.py: a CAP alert is one post, read with defusedxml, in the account's language when it can."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sources.cap import looks_like_cap, parse_cap
from sources.entries import FeedError, HostileFeed

FETCHED = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)
NS = "urn:oasis:names:tc:emergency:cap:1.2"


def alert(body: str, *, ns: str = NS, head: str = '<?xml version="1.0" encoding="UTF-8"?>') -> bytes:
    return f'{head}<alert xmlns="{ns}">{body}</alert>'.encode()


def info(language: str, headline: str, description: str = "", **more: str) -> str:
    fields = "".join(f"<{k}>{v}</{k}>" for k, v in more.items())
    return (
        f"<info><language>{language}</language><event>Brand</event><urgency>Immediate</urgency>"
        f"<severity>Severe</severity><certainty>Observed</certainty><headline>{headline}</headline>"
        f"<description>{description}</description>{fields}"
        f"<area><areaDesc>Winterthur</areaDesc></area></info>"
    )


HEADER = (
    "<identifier>ZH-1</identifier><sender>alarm@kanton.example</sender><sent>2026-11-22T08:30:00+01:00</sent>"
    "<status>Actual</status><msgType>Alert</msgType><scope>Public</scope>"
)


def test_an_alert_is_one_post_with_every_info_block_kept() -> None:
    data = alert(HEADER + info("de-CH", "Rauch in Winterthur", "Fenster schliessen.") + info("fr-CH", "Fumée"))
    assert looks_like_cap(data)
    parsed = parse_cap(data, fetched_at=FETCHED, language_hint="de")
    assert parsed.format == "cap12"
    (entry,) = parsed.entries
    assert entry.guid == "ZH-1" and entry.title == "Rauch in Winterthur"
    assert entry.text == "Fenster schliessen.\nWinterthur"
    assert entry.published == datetime(2026, 11, 22, 7, 30, tzinfo=UTC) and entry.published_source == "published"
    cap = entry.extra["cap"]
    assert (cap["msgType"], cap["status"], cap["version"]) == ("Alert", "Actual", "1.2")
    assert [block["language"] for block in cap["infos"]] == ["de-CH", "fr-CH"]


def test_the_info_in_the_account_s_language_is_the_post() -> None:
    data = alert(HEADER + info("de-CH", "Rauch") + info("fr-CH", "Fumée"))
    (entry,) = parse_cap(data, fetched_at=FETCHED, language_hint="fr").entries
    assert entry.title == "Fumée"


def test_html_in_a_description_becomes_text_and_links_only_http() -> None:
    body = info("de", "Rauch", "&lt;p&gt;Fenster&lt;/p&gt;&lt;script&gt;x()&lt;/script&gt;", web="javascript:alert(1)")
    (entry,) = parse_cap(alert(HEADER + body), fetched_at=FETCHED).entries
    assert entry.text.startswith("Fenster") and "x()" not in entry.text
    assert entry.link is None


def test_an_unreadable_sent_time_falls_back_to_the_fetch_time_and_says_so() -> None:
    data = alert(HEADER.replace("2026-11-22T08:30:00+01:00", "yesterday") + info("de", "Rauch"))
    (entry,) = parse_cap(data, fetched_at=FETCHED).entries
    assert (entry.published, entry.published_source) == (FETCHED, "fetched")
    assert entry.extra["cap"]["sent_unparsed"] == "yesterday"


@pytest.mark.parametrize(
    ("data", "error", "message"),
    [
        (alert(info("de", "x")), FeedError, "CAP alert has no <identifier>"),
        (alert(HEADER, ns="urn:oasis:names:tc:emergency:cap:9.9"), FeedError, "root is not a CAP <alert>"),
        (alert(HEADER)[:-10], FeedError, "not well-formed XML"),
        (
            alert(HEADER, head='<?xml version="1.0"?><!DOCTYPE alert [<!ENTITY x "y">]>'),
            HostileFeed,
            "DTD or entity declarations",
        ),
    ],
)
def test_broken_and_hostile_alerts_are_feed_errors_with_a_message(data: bytes, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        parse_cap(data, fetched_at=FETCHED)


def test_only_documents_that_look_like_cap_go_to_the_cap_parser() -> None:
    assert looks_like_cap(alert(HEADER))
    assert not looks_like_cap(b'<rss version="2.0"><channel><title>urn:oasis:names:tc:emergency:cap:</title>')
