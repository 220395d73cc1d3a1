"""The feed URL guard: internal addresses are refused however they are spelled, unless allowed."""

from __future__ import annotations

import asyncio
import socket

import pytest
from aiohttp.abc import AbstractResolver, ResolveResult

from sources.urlguard import AddressPolicy, GuardedResolver, URLRefused

PUBLIC = AddressPolicy()

REFUSED_URLS = [
    "http://127.0.0.1/feed",
    "http://127.1/feed",
    "http://2130706433/feed",  # decimal 127.0.0.1
    "http://0177.0.0.1/feed",  # octal
    "http://0x7f.0.0.1/feed",  # hex
    "http://10.0.0.5/rss",
    "http://172.16.4.4/rss",
    "http://172.31.255.255/rss",
    "http://192.168.1.1/rss",
    "http://169.254.169.254/latest/meta-data/",
    "http://169.254.1.1/",
    "http://[::1]/feed",
    "http://[fc00::1]/feed",
    "http://[fd12:3456::1]/feed",
    "http://[fe80::1]/feed",
    "http://[::ffff:127.0.0.1]/feed",  # IPv4-mapped IPv6
    "http://[::ffff:10.0.0.1]/feed",
    "http://0.0.0.0/feed",
    "http://100.64.0.1/feed",  # carrier-grade NAT
    "http://224.0.0.1/feed",
    "file:///etc/passwd",
    "ftp://example.org/feed",
    "gopher://example.org/",
    "javascript:alert(1)",
    "http:///no-host",
]


@pytest.mark.parametrize("url", REFUSED_URLS)
def test_refused(url: str) -> None:
    with pytest.raises(URLRefused):
        PUBLIC.check_url(url)


@pytest.mark.parametrize(
    "url", ["https://www.torsby.se/rss", "http://93.184.216.34/feed", "https://[2606:4700::1111]/"]
)
def test_public_addresses_and_names_pass_the_url_check(url: str) -> None:
    PUBLIC.check_url(url)


def test_allow_networks_is_honoured_exactly() -> None:
    policy = AddressPolicy.from_strings(["127.0.0.0/8", "10.20.0.0/16"])
    policy.check_url("http://127.0.0.1:8080/feed")
    policy.check_url("http://10.20.3.4/feed")
    for url in ("http://10.21.0.1/feed", "http://192.168.0.1/feed", "http://[::1]/feed"):
        with pytest.raises(URLRefused):
            policy.check_url(url)


class _FixedResolver(AbstractResolver):
    """Answers a host name with given addresses, the way a rebinding DNS server would."""

    def __init__(self, *addresses: str) -> None:
        self.addresses = addresses
        self.calls = 0

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        self.calls += 1
        return [
            {"hostname": host, "host": a, "port": port, "family": family, "proto": 0, "flags": 0}
            for a in self.addresses
        ]

    async def close(self) -> None:
        pass


def test_a_name_resolving_to_an_internal_address_is_refused_at_connect_time() -> None:
    resolver = GuardedResolver(PUBLIC, _FixedResolver("10.0.0.7"))
    with pytest.raises(URLRefused, match="private-network"):
        asyncio.run(resolver.resolve("feeds.rebind.example", 80))


def test_only_the_checked_public_addresses_are_handed_to_the_connection() -> None:
    resolver = GuardedResolver(PUBLIC, _FixedResolver("93.184.216.34", "127.0.0.1"))
    results = asyncio.run(resolver.resolve("mixed.example", 80))
    assert [r["host"] for r in results] == ["93.184.216.34"]
