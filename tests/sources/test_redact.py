"""sources/redact.py: credentials in URLs are masked wherever a URL is shown."""

from __future__ import annotations

import pytest

from sources.redact import redact_text, redact_url


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://desk:hunter2@feeds.example/rss", "https://***@feeds.example/rss"),
        ("http://token@feeds.example/", "http://***@feeds.example/"),
        ("https://a@b@feeds.example/x", "https://***@feeds.example/x"),
        ("https://feeds.example/rss?api_key=k3y&lang=sv", "https://feeds.example/rss?api_key=***&lang=sv"),
        (
            "https://h.example/a?access_token=zz&sig=1&page=2#top",
            "https://h.example/a?access_token=***&sig=***&page=2#top",
        ),
        ("https://h.example/a?password=&x=1", "https://h.example/a?password=&x=1"),  # nothing to hide
        ("https://www.torsby.example/rss", "https://www.torsby.example/rss"),
        ("https://www.torsby.example/@kommun", "https://www.torsby.example/@kommun"),  # an @ in the path is no user
        ("http://[::1", "http://[::1"),  # malformed: shown as it is, there is nothing to mask
        ("", ""),
        (None, None),
    ],
)
def test_redact_url(url: str | None, shown: str | None) -> None:
    assert redact_url(url) == shown


def test_every_url_in_a_text_is_masked() -> None:
    text = "Cannot connect to https://u:p@x.example:443/feed?key=1 after http://y.example/?token=2"
    assert (
        redact_text(text)
        == "Cannot connect to https://***@x.example:443/feed?key=*** after http://y.example/?token=***"
    )
    assert redact_text("no urls here") == "no urls here"
