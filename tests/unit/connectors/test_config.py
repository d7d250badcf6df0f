"""Endpoint configuration per connector: what is accepted, what is refused (naming the field and
the rule, never the value), what is secret and how the API shows it."""

from __future__ import annotations

import pytest

from connectors.config import DEFAULT_TIMEOUT_S, is_loopback_host
from connectors.errors import ConnectorError, InvalidEndpointConfig
from connectors.registry import mask_config, validate_endpoint_config
from tests.contract.certs import TestCA


def rules(alias: str, config: dict) -> list[dict]:
    with pytest.raises(InvalidEndpointConfig) as caught:
        validate_endpoint_config(alias, config)
    assert caught.value.code == "validation.endpoint_config"
    assert isinstance(caught.value, ConnectorError)
    return caught.value.details


@pytest.fixture(scope="module")
def ca() -> TestCA:
    return TestCA()


# -- webhook ----------------------------------------------------------------------------------
def test_an_https_webhook_gets_the_default_timeout_and_no_secret_half():
    public, secret = validate_endpoint_config("webhook", {"url": "https://partner.example.org/hook"})

    assert public == {"url": "https://partner.example.org/hook", "timeout_s": DEFAULT_TIMEOUT_S}
    assert secret == {}


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080/hook", "http://127.9.9.9/hook",
                                 "http://[::1]:9000/hook", "http://localhost/hook",
                                 "http://LOCALHOST:1234/x"])
def test_plain_http_is_accepted_to_loopback(url):
    public, _ = validate_endpoint_config("webhook", {"url": url})

    assert public["url"] == url


@pytest.mark.parametrize("url", ["http://partner.example.org/hook", "http://10.0.0.5/hook",
                                 "http://localhost.evil.example/hook", "http://127.0.0.1.nip.io/x",
                                 "http://0.0.0.0/hook", "http://[::ffff:10.0.0.1]/x"])
def test_plain_http_to_anything_but_loopback_is_refused(url):
    assert rules("webhook", {"url": url}) == [{"field": "/config/url", "rule": "url.https_required"}]


@pytest.mark.parametrize(("url", "rule"), [
    ("ftp://partner.example.org/x", "url.scheme"),
    ("partner.example.org/hook", "url.scheme"),
    ("https:///nohost", "url.invalid"),
    ("https://partner.example.org:99999/x", "url.invalid"),
    ("https://user:pw@partner.example.org/x", "url.credentials"),
])
def test_a_webhook_url_that_is_not_a_usable_https_url_is_refused(url, rule):
    assert rules("webhook", {"url": url}) == [{"field": "/config/url", "rule": rule}]


def test_a_missing_url_and_a_wrong_type_are_named():
    assert rules("webhook", {}) == [{"field": "/config/url", "rule": "required"}]
    assert rules("webhook", {"url": 12}) == [{"field": "/config/url", "rule": "type.string"}]


@pytest.mark.parametrize(("value", "rule"), [(0.1, "range"), (31, "range"), (True, "type.number"),
                                             ("5", "type.number"), (float("nan"), "type.number")])
def test_the_timeout_must_be_a_number_between_half_a_second_and_thirty(value, rule):
    assert rules("webhook", {"url": "https://x.example.org", "timeout_s": value}) == [
        {"field": "/config/timeout_s", "rule": rule}]


def test_a_timeout_within_bounds_is_kept():
    public, _ = validate_endpoint_config("webhook", {"url": "https://x.example.org", "timeout_s": 0.5})

    assert public["timeout_s"] == 0.5


def test_a_ca_bundle_must_be_pem_certificates_and_is_public(ca):
    public, secret = validate_endpoint_config("webhook", {"url": "https://x.example.org",
                                                          "ca_bundle": ca.pem})

    assert public["ca_bundle"] == ca.pem and secret == {}
    assert rules("webhook", {"url": "https://x.example.org", "ca_bundle": "not a pem"}) == [
        {"field": "/config/ca_bundle", "rule": "pem.certificate"}]


def test_a_client_certificate_goes_to_the_secret_half_and_only_a_summary_stays_public(ca):
    client = ca.issue("ketenhub-client", server=False)

    public, secret = validate_endpoint_config("webhook", {"url": "https://x.example.org",
                                                          "client_cert": client.bundle})

    assert secret == {"client_cert": client.bundle}
    assert public["client_cert"]["subject"] == "CN=ketenhub-client"
    assert "PRIVATE KEY" not in str(public)


def test_a_client_certificate_without_its_matching_key_is_refused(ca):
    one, other = ca.issue("a", server=False), ca.issue("b", server=False)

    for pem in (one.cert_pem, one.cert_pem + other.key_pem, "garbage"):
        assert rules("webhook", {"url": "https://x.example.org", "client_cert": pem}) == [
            {"field": "/config/client_cert", "rule": "pem.client_cert"}]


def test_every_broken_rule_is_listed_and_no_value_is_echoed():
    details = rules("webhook", {"url": "http://secret-host.example.org/?token=geheim",
                                "timeout_s": 99, "extra": "geheim2"})

    assert details == [{"field": "/config/extra", "rule": "unknown_field"},
                       {"field": "/config/url", "rule": "url.https_required"},
                       {"field": "/config/timeout_s", "rule": "range"}]
    assert "geheim" not in str(details) and "secret-host" not in str(details)


def test_an_unknown_connector_and_a_config_that_is_not_an_object_are_refused():
    assert rules("telex", {}) == [{"field": "/connector", "rule": "connector.unknown"}]
    assert rules("webhook", ["https://x"]) == [{"field": "/config", "rule": "type.object"}]


# -- amqp -------------------------------------------------------------------------------------
AMQP = {"url": "amqps://partner:p%40ssw0rd@broker.example.org/%2Fzorg", "exchange": "ketenhub.in",
        "routing_key": "signaal"}


def test_the_amqp_url_is_secret_and_the_public_half_shows_it_masked():
    public, secret = validate_endpoint_config("amqp", AMQP)

    assert secret == {"url": AMQP["url"]}
    assert public["url"] == "amqps://partner:***@broker.example.org:5671/%2Fzorg"
    assert (public["exchange"], public["routing_key"]) == ("ketenhub.in", "signaal")
    assert "p%40ssw0rd" not in str(public) and "p@ssw0rd" not in str(public)


def test_an_amqps_url_without_credentials_or_port_is_masked_with_the_default_port():
    public, _ = validate_endpoint_config("amqp", {**AMQP, "url": "amqps://broker.example.org"})

    assert public["url"] == "amqps://broker.example.org:5671/"


def test_plain_amqp_is_refused_to_anything_but_loopback():
    with pytest.raises(InvalidEndpointConfig) as err:
        validate_endpoint_config("amqp", {**AMQP, "url": "amqp://u:p@broker.example.org/"})
    assert err.value.details == [{"field": "/config/url", "rule": "url.insecure"}]
    public, _ = validate_endpoint_config("amqp", {**AMQP, "url": "amqp://u:p@127.0.0.1/x"})
    assert public["url"] == "amqp://u:***@127.0.0.1:5672/x"


@pytest.mark.parametrize(("config", "field", "rule"), [
    ({**AMQP, "url": "https://broker.example.org"}, "/config/url", "url.scheme"),
    ({**AMQP, "url": "amqp://"}, "/config/url", "url.invalid"),
    ({**AMQP, "url": "amqp://u:***@broker.example.org/"}, "/config/url", "url.masked"),
    ({**AMQP, "exchange": "bad exchange!"}, "/config/exchange", "amqp.exchange"),
    ({**AMQP, "exchange": "amq.topic"}, "/config/exchange", "amqp.exchange"),
    ({**AMQP, "routing_key": "é" * 200}, "/config/routing_key", "max_length"),
    ({"url": AMQP["url"], "routing_key": "x"}, "/config/exchange", "required"),
])
def test_an_amqp_config_that_does_not_fit_is_refused(config, field, rule):
    assert rules("amqp", config) == [{"field": field, "rule": rule}]


def test_an_amqp_error_never_contains_the_password():
    details = rules("amqp", {**AMQP, "exchange": None, "routing_key": 5})

    assert "p%40ssw0rd" not in str(details)


# -- smtp -------------------------------------------------------------------------------------
def test_an_smtp_endpoint_names_an_address_and_includes_no_payload_by_default():
    public, secret = validate_endpoint_config("smtp", {"to": "meldpunt@gemeente.example.nl"})

    assert public == {"to": "meldpunt@gemeente.example.nl", "include_payload": False}
    assert secret == {}


@pytest.mark.parametrize(("config", "field", "rule"), [
    ({"to": "not-an-address"}, "/config/to", "email"),
    ({"to": "a@b.nl, c@d.nl"}, "/config/to", "email"),
    ({"to": "a@b.nl\r\nBcc: spy@evil.example"}, "/config/to", "control_characters"),
    ({"to": "a@b.nl", "include_payload": "yes"}, "/config/include_payload", "type.boolean"),
    ({}, "/config/to", "required"),
])
def test_an_smtp_config_that_does_not_fit_is_refused(config, field, rule):
    assert rules("smtp", config) == [{"field": field, "rule": rule}]


# -- output and helpers -----------------------------------------------------------------------
def test_mask_config_hides_query_values_and_passwords_and_is_idempotent():
    shown = mask_config("webhook", {"url": "https://x.example.org/hook?token=abc&v=1", "timeout_s": 10})
    masked_amqp = mask_config("amqp", validate_endpoint_config("amqp", AMQP)[0])

    assert shown["url"] == "https://x.example.org/hook?token=***&v=***"
    assert mask_config("webhook", shown) == shown
    assert masked_amqp["url"] == "amqps://partner:***@broker.example.org:5671/%2Fzorg"
    assert mask_config("amqp", {"url": AMQP["url"]})["url"].count("***") == 1
    assert "p%40ssw0rd" not in str(mask_config("amqp", {"url": AMQP["url"]}))


@pytest.mark.parametrize(("host", "loopback"), [
    ("localhost", True), ("127.0.0.1", True), ("127.255.0.1", True), ("::1", True), ("[::1]", True),
    ("10.0.0.1", False), ("localhost.example.org", False), ("", False), (None, False),
])
def test_only_localhost_127_0_0_0_8_and_ipv6_loopback_count_as_loopback(host, loopback):
    assert is_loopback_host(host) is loopback
