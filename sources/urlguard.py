"""Which feed URLs may be fetched: http(s) only, never an internal address unless the registry allows it.

A feed URL is attacker-chosen input (a watched forum can link anywhere, a redirect can point inward), so
every address a connection would go to is checked: IP literals here, host names at resolution time in
`GuardedResolver`, whose checked answer is exactly what the connection uses (no re-resolution between
check and connect), and every redirect hop again.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import DefaultResolver

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
_METADATA = {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}


class URLRefused(OSError):
    """A URL or address the guard will not let a request reach. An OSError so aiohttp passes it on."""


@dataclass(frozen=True)
class AddressPolicy:
    allow_networks: tuple[IPNetwork, ...] = field(default_factory=tuple)

    @classmethod
    def from_strings(cls, networks: Iterable[str]) -> AddressPolicy:
        return cls(tuple(ipaddress.ip_network(n, strict=False) for n in networks))

    def refusal(self, address: IPAddress) -> str | None:
        """Why `address` may not be contacted, or None when it may."""
        if any(address in net for net in self.allow_networks):
            return None
        if isinstance(address, ipaddress.IPv6Address):
            embedded = address.ipv4_mapped or address.sixtofour or (address.teredo or (None, None))[1]
            if embedded is not None:
                reason = self.refusal(embedded)
                return f"{reason} (embedded in {address})" if reason else None
        if address in _METADATA:
            return f"{address} is a cloud metadata address"
        if address.is_loopback:
            return f"{address} is a loopback address"
        if address.is_link_local:
            return f"{address} is a link-local address"
        if address.is_private:
            return f"{address} is a private-network address"
        if address.is_multicast or address.is_unspecified or address.is_reserved or not address.is_global:
            return f"{address} is not a public address"
        return None

    def check_url(self, url: str) -> None:
        """Refuse a URL by scheme, missing host, or an IP-literal host that the policy refuses."""
        try:
            parts = urlsplit(url)
            host = parts.hostname
            parts.port  # noqa: B018  (raises ValueError on a malformed port)
        except ValueError as exc:
            raise URLRefused(f"malformed URL {url[:200]!r}: {exc}") from exc
        if parts.scheme.lower() not in ("http", "https"):
            raise URLRefused(f"scheme {parts.scheme or '(none)'!r} refused: only http and https feeds")
        if not host:
            raise URLRefused(f"URL {url[:200]!r} has no host")
        literal = _parse_literal(host)
        if literal is not None:
            reason = self.refusal(literal)
            if reason:
                raise URLRefused(f"{host}: {reason}")


def _parse_literal(host: str) -> IPAddress | None:
    """An IP address however it is spelled (dotted, decimal, octal, hex, IPv6), else None."""
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    try:
        # inet_aton accepts the legacy spellings (2130706433, 0177.0.0.1, 0x7f.1) that resolvers honour.
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except (OSError, ValueError):
        return None


class GuardedResolver(AbstractResolver):
    """Resolves with the default resolver, then drops every address the policy refuses."""

    def __init__(self, policy: AddressPolicy, inner: AbstractResolver | None = None) -> None:
        self._policy = policy
        self._inner = inner or DefaultResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        literal = _parse_literal(host)
        if literal is not None and (reason := self._policy.refusal(literal)):
            raise URLRefused(f"{host}: {reason}")
        results = await self._inner.resolve(host, port, family)
        allowed = [r for r in results if not self._policy.refusal(ipaddress.ip_address(r["host"]))]
        if not allowed:
            reasons = {self._policy.refusal(ipaddress.ip_address(r["host"])) for r in results}
            raise URLRefused(f"{host} resolves only to refused addresses: {'; '.join(sorted(map(str, reasons)))}")
        return allowed

    async def close(self) -> None:
        await self._inner.close()
