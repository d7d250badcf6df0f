"""The destination guard, with a fake resolver (no I/O): which addresses may be connected to."""

from __future__ import annotations

import ipaddress

import pytest

from connectors.errors import AddressRefused, InvalidEndpointConfig
from connectors.netguard import ADDRESS_RULE, NetGuard, address_rule
from connectors.registry import validate_endpoint_config

PUBLIC = "93.184.216.34"


def resolving(*answers: str):
    def resolver(host: str, port: int) -> list[str]:
        return list(answers)
    return resolver


REFUSED = [
    "127.0.0.1", "127.255.255.254", "::1", "0.0.0.0", "::", "10.0.0.1", "172.16.0.1",
    "192.168.1.1", "169.254.169.254", "fe80::1", "fc00::1", "fd12:3456::1", "224.0.0.1",
    "239.255.255.250", "ff02::1", "100.64.0.1", "198.18.0.1", "240.0.0.1", "255.255.255.255",
    "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::127.0.0.1",
    "64:ff9b::7f00:1", "2002:7f00:1::1", "2002:a00:1::1", "2001:0:4136:e378:8000:63bf:f5ff:fffe",
    "192.0.0.8", "192.0.2.1", "2001:db8::1",
    # cloud metadata services: AWS (IPv4, IPv6, ECS task), Alibaba
    "169.254.170.2", "fd00:ec2::254", "100.100.100.200",
]


@pytest.mark.parametrize("text", REFUSED)
def test_every_non_public_address_is_refused(text):
    assert address_rule(ipaddress.ip_address(text)) is not None


@pytest.mark.parametrize("text", [PUBLIC, "8.8.8.8", "2606:4700:4700::1111"])
def test_a_public_unicast_address_is_allowed(text):
    assert address_rule(ipaddress.ip_address(text)) is None


@pytest.mark.parametrize("text", ["127.0.0.1", "::1", "::ffff:127.0.0.1"])
def test_loopback_only_with_the_explicit_setting(text):
    address = ipaddress.ip_address(text)
    assert address_rule(address) == "address.loopback"
    assert address_rule(address, allow_loopback=True) is None


@pytest.mark.parametrize("text", ["10.0.0.1", "169.254.169.254", "::ffff:192.168.0.1", "0.0.0.0"])
def test_the_loopback_setting_allows_nothing_but_loopback(text):
    assert address_rule(ipaddress.ip_address(text), allow_loopback=True) is not None


def test_one_bad_address_among_good_ones_refuses_the_name():
    guard = NetGuard(resolver=resolving(PUBLIC, "10.1.2.3"))
    with pytest.raises(AddressRefused):
        guard.check_host("partner.example.org", 443)


def test_a_name_that_does_not_resolve_is_refused():
    def failing(host: str, port: int) -> list[str]:
        raise OSError("no such name")

    with pytest.raises(AddressRefused) as err:
        NetGuard(resolver=failing).pinned_address("nergens.example.org", 443)
    assert err.value.code == "address.unresolvable"


def test_a_scoped_ipv6_address_is_refused():
    with pytest.raises(AddressRefused):
        NetGuard(resolver=resolving("fe80::1%eth0")).check_host("x.example.org", 443)


def test_the_pinned_address_is_the_checked_one_and_is_checked_on_every_call():
    answers = iter([[PUBLIC], ["127.0.0.1"]])
    guard = NetGuard(resolver=lambda host, port: next(answers))
    assert guard.pinned_address("rebind.example.org", 443) == PUBLIC
    with pytest.raises(AddressRefused):  # the second answer (DNS rebinding) is refused
        guard.pinned_address("rebind.example.org", 443)


@pytest.mark.parametrize(("alias", "config"), [
    ("webhook", {"url": "https://intern.example.org/hook"}),
    ("amqp", {"url": "amqps://u:p@intern.example.org/vh", "exchange": "e", "routing_key": "r"}),
])
def test_saving_a_config_with_a_guard_refuses_a_private_destination_with_one_rule(alias, config):
    with pytest.raises(InvalidEndpointConfig) as err:
        validate_endpoint_config(alias, config, NetGuard(resolver=resolving("10.0.0.5")))
    assert err.value.details == [{"field": "/config/url", "rule": ADDRESS_RULE}]
    public, _ = validate_endpoint_config(alias, config, NetGuard(resolver=resolving(PUBLIC)))
    assert public["url"]


def test_a_name_that_does_not_resolve_gets_the_same_rule_as_a_private_one():
    def failing(host: str, port: int) -> list[str]:
        raise OSError("no such name")

    with pytest.raises(InvalidEndpointConfig) as err:
        validate_endpoint_config("webhook", {"url": "https://nergens.example.org/"},
                                 NetGuard(resolver=failing))
    assert err.value.details == [{"field": "/config/url", "rule": ADDRESS_RULE}]
