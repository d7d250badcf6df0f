"""Where an outbound connector may connect: the defence against server-side request forgery.

A tenant admin names the host of a webhook or AMQP endpoint; without a guard the hub would
connect wherever that name points — loopback, the private network, link-local (cloud
metadata at 169.254.169.254), multicast — and a test ping would tell open ports from closed
ones. So every host is resolved and *every* address it resolves to must be a public unicast
address, at save time (``check_host``) and again on every connect (``pinned_address``), which
returns the one checked address to connect to: the name is not resolved a second time, so a
DNS answer that changes between the check and the connect (DNS rebinding) cannot slip in.

Resolution goes through ``getaddrinfo``, as a connect would, so every spelling of an address
is seen as the address it means: decimal (``2130706433``), octal and hex (``0177.0.0.1``,
``0x7f.1``), short (``127.1``), IPv4-mapped and -compatible IPv6 (``::ffff:127.0.0.1``),
6to4 and Teredo addresses that embed a private IPv4 address.

Loopback is allowed only when the operator says so (``allow_loopback``: the test suite and
``make run``, whose partners run on the same machine); private ranges never are.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from connectors.errors import AddressRefused, InvalidEndpointConfig

#: The one rule a refused destination gets at save time, whatever the precise reason (a
#: private address, a name that does not resolve): an admin learns nothing about the network.
ADDRESS_RULE = "url.address_not_allowed"
DEFAULT_PORTS = {"https": 443, "http": 80, "amqps": 5671, "amqp": 5672}

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]

#: Ranges ``ipaddress`` does not flag as non-global in every Python version, refused explicitly.
_REFUSED_NETWORKS = tuple(ipaddress.ip_network(n) for n in (
    "0.0.0.0/8",          # "this network"
    "100.64.0.0/10",      # carrier-grade NAT (shared address space)
    "192.0.0.0/24",       # IETF protocol assignments
    "198.18.0.0/15",      # benchmarking
    "224.0.0.0/4",        # multicast
    "240.0.0.0/4",        # reserved, broadcast
    "64:ff9b::/96",       # NAT64: may reach any IPv4 address behind the gateway
    "64:ff9b:1::/48",     # local-use NAT64
    "fc00::/7",           # unique local
    "fe80::/10",          # link-local
    "fec0::/10",          # site-local (deprecated)
    "ff00::/8",           # multicast
))


def system_resolver(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to, as ``socket.create_connection`` would see them."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries: mapped, compatible, 6to4 or Teredo."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    packed = address.packed
    if packed[:12] == bytes(12) and packed[12:] != bytes(4):  # ::a.b.c.d (IPv4-compatible)
        return ipaddress.IPv4Address(packed[12:])
    return None


def address_rule(address: IPAddress, *, allow_loopback: bool = False) -> str | None:
    """The rule ``address`` breaks as a destination, or None for a public unicast address."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.scope_id:
            return "address.link_local"
        embedded = None if address.is_loopback or address.is_unspecified else _embedded_ipv4(address)
        if embedded is not None:
            return address_rule(embedded, allow_loopback=allow_loopback)
    if address.is_loopback:
        return None if allow_loopback else "address.loopback"
    if address.is_unspecified:
        return "address.unspecified"
    if address.is_multicast:
        return "address.multicast"
    if address.is_link_local:
        return "address.link_local"
    if any(address in network for network in _REFUSED_NETWORKS if network.version == address.version):
        return "address.private"
    if address.is_private or address.is_reserved or not address.is_global:
        return "address.private"
    return None


@dataclass(frozen=True)
class NetGuard:
    """``NetGuard(allow_loopback=False, resolver=system_resolver)``: checks destinations."""

    allow_loopback: bool = False
    resolver: Resolver = system_resolver

    def addresses(self, host: str, port: int) -> list[IPAddress]:
        """Every address of ``host``, each checked; raises ``AddressRefused`` when the name does
        not resolve or any address it resolves to is not allowed."""
        name = (host or "").strip().strip("[]").rstrip(".")
        if not name:
            raise AddressRefused("address.unresolvable")
        try:
            found = self.resolver(name, port)
        except (OSError, UnicodeError, ValueError):
            raise AddressRefused("address.unresolvable") from None
        addresses: list[IPAddress] = []
        for text in found:
            try:
                address = ipaddress.ip_address(text.split("%", 1)[0])
            except ValueError:
                raise AddressRefused("address.unresolvable") from None
            if "%" in text:
                raise AddressRefused("address.link_local")
            rule = address_rule(address, allow_loopback=self.allow_loopback)
            if rule:
                raise AddressRefused(rule)
            addresses.append(address)
        if not addresses:
            raise AddressRefused("address.unresolvable")
        return addresses

    def check_host(self, host: str, port: int) -> None:
        """At save time: raises ``AddressRefused`` unless ``host`` may be connected to."""
        self.addresses(host, port)

    def check_url(self, url: str, field: str = "/config/url") -> None:
        """At save time: raise ``InvalidEndpointConfig`` (one rule, ``ADDRESS_RULE``) unless the
        URL's host resolves to addresses that may all be connected to."""
        try:
            parts = urlsplit(url)
            port = parts.port or DEFAULT_PORTS.get(parts.scheme.lower(), 443)
            self.check_host(parts.hostname or "", port)
        except (AddressRefused, ValueError):
            raise InvalidEndpointConfig(details=[{"field": field, "rule": ADDRESS_RULE}]) from None

    def pinned_address(self, host: str, port: int) -> str:
        """On connect: the checked address to connect to (the first of the resolved ones)."""
        return str(self.addresses(host, port)[0])
