"""Server-side request forgery: every way to spell "this machine" for a webhook or AMQP
endpoint is refused at save time and at connect time, and a local listener counts 0
connections. Only loopback is ever the real target here; the other non-public ranges are
refused before any connection (and covered without I/O in tests/unit/connectors)."""

from __future__ import annotations

import ipaddress
import socket
import threading
import time

import pytest

from connectors.base import DeliveryRequest
from connectors.netguard import ADDRESS_RULE, NetGuard
from tests.integration.conftest import build_world


class Listener:
    """A TCP listener on 127.0.0.1 (or on every interface) that counts the connections it
    accepts."""

    def __init__(self, everywhere: bool = False) -> None:
        self.sock = _bind_everywhere() if everywhere else socket.socket(socket.AF_INET,
                                                                        socket.SOCK_STREAM)
        if not everywhere:
            self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            self.accepted += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.sock.close()


def _bind_everywhere() -> socket.socket:
    """A socket bound to every interface, IPv6 and IPv4 at once where the system allows it."""
    try:
        sock = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        sock.bind(("::", 0))
    except OSError:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("0.0.0.0", 0))
    return sock


@pytest.fixture
def listener():
    lst = Listener()
    yield lst
    lst.close()


@pytest.fixture
def listener_everywhere():
    lst = Listener(everywhere=True)
    yield lst
    lst.close()


@pytest.fixture
def strict(sqlite_url, tmp_path):
    """A hub as in production: loopback endpoints not allowed."""
    w = build_world(sqlite_url, tmp_path, allow_loopback_endpoints=False)
    yield w
    w.container.close()


def loopback_spellings(port: int) -> list[str]:
    hosts = ["127.0.0.1", "localhost", "LOCALHOST.", "127.1", "127.0.1", "2130706433", "0x7f000001",
             "0x7f.0.0.1", "0177.0.0.1", "017700000001", "[::1]", "[::ffff:127.0.0.1]",
             "[::ffff:7f00:1]", "[0:0:0:0:0:ffff:127.0.0.1]", "0.0.0.0", "0", "[::]"]
    return [f"{scheme}://{host}:{port}/hook" for host in hosts for scheme in ("https", "http")]


def test_every_spelling_of_loopback_is_refused_as_a_webhook_and_nothing_connects(strict,
                                                                              listener):
    refused = []
    for url in loopback_spellings(listener.port):
        r = strict.client.post("/api/v1/admin/tenants/ymere/endpoints", headers=strict.headers(),
                               json={"connector": "webhook", "config": {"url": url}})
        refused.append(r.status_code)
        assert r.status_code == 422, (url, r.json)
        rules = {d["rule"] for d in r.json["error"]["details"]}
        assert rules & {ADDRESS_RULE, "url.https_required"}, (url, rules)
        assert str(listener.port).encode() not in r.data
    assert refused and listener.accepted == 0


@pytest.mark.parametrize("host", ["10.0.0.1", "192.168.1.1", "172.16.0.1", "169.254.169.254",
                                  "[fe80::1]", "[fc00::1]", "224.0.0.1", "100.64.0.1",
                                  "[64:ff9b::7f00:1]", "[2002:7f00:1::1]"])
def test_private_link_local_and_internal_destinations_are_refused_at_save_time(strict, host):
    for connector, config in (
            ("webhook", {"url": f"https://{host}/hook"}),
            ("amqp", {"url": f"amqps://u:p@{host}/vh", "exchange": "e", "routing_key": "r"})):
        r = strict.client.post("/api/v1/admin/tenants/ymere/endpoints", headers=strict.headers(),
                               json={"connector": connector, "config": config})
        assert r.status_code == 422, (host, r.json)
        assert r.json["error"]["details"] == [{"field": "/config/url", "rule": ADDRESS_RULE}]


def test_every_spelling_of_loopback_is_refused_as_an_amqp_broker(strict, listener):
    for url in loopback_spellings(listener.port):
        amqp = url.replace("https://", "amqps://u:p@").replace("http://", "amqp://u:p@")
        amqp = amqp.removesuffix("/hook") + "/vh"
        r = strict.client.post("/api/v1/admin/tenants/ymere/endpoints", headers=strict.headers(),
                               json={"connector": "amqp", "config": {
                                   "url": amqp, "exchange": "e", "routing_key": "r"}})
        assert r.status_code == 422, (amqp, r.json)
    assert listener.accepted == 0


def _request(url: str, **config: object) -> DeliveryRequest:
    return DeliveryRequest(delivery_id="d-1", message_id="m-1", recipient="ymere", sender="x",
                           attempt=1, event={"specversion": "1.0", "id": "e", "type": "t",
                                             "source": "s", "data": {}},
                           endpoint_config={"url": url, "timeout_s": 2, **config},
                           secret_config={"url": url}, endpoint_id="ep-1",
                           secrets=("whsec_" + "A" * 43,))


def test_a_name_re_pointed_at_loopback_after_the_check_is_refused_on_connect(listener):
    """DNS rebinding: the name resolved to a public address when the endpoint was saved; on
    connect it resolves to loopback. Every connect resolves and checks again, and connects to
    the address it checked: nothing reaches the listener."""
    from connectors.amqp import AmqpConnector
    from connectors.webhook import WebhookConnector

    rebound = NetGuard(resolver=lambda host, port: ["127.0.0.1"])
    webhook = WebhookConnector(guard=rebound)
    amqp = AmqpConnector(guard=rebound)
    try:
        for _ in range(3):
            hook = webhook.deliver(_request(f"https://partner.example.org:{listener.port}/hook"))
            assert (hook.outcome, hook.error_code) == ("permanent", "connector.address_refused")
            broker = amqp.deliver(_request(f"amqps://u:p@partner.example.org:{listener.port}/vh",
                                           exchange="e", routing_key="r"))
            assert (broker.outcome, broker.error_code) == ("permanent", "connector.address_refused")
    finally:
        webhook.close()
        amqp.close()
    assert listener.accepted == 0


def test_the_pinned_address_is_where_the_connection_goes(listener):
    """With loopback allowed, a name is connected to at the very address the guard checked."""
    from connectors.webhook import WebhookConnector

    asked = []

    def resolver(host: str, port: int) -> list[str]:
        asked.append(host)
        return ["127.0.0.1"]

    connector = WebhookConnector(guard=NetGuard(allow_loopback=True, resolver=resolver))
    try:
        result = connector.deliver(_request(f"http://localhost:{listener.port}/hook"))
    finally:
        connector.close()
    assert asked == ["localhost"] and result.outcome == "retryable"
    deadline = time.monotonic() + 5
    while listener.accepted == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert listener.accepted == 1


@pytest.mark.parametrize("connector", ["webhook", "amqp"])
def test_the_test_ping_answers_every_failure_to_connect_alike(sqlite_url, tmp_path, listener,
                                                              connector):
    """An open port and a closed port give one and the same ping answer, for a webhook and
    for an AMQP broker: the ping cannot be used to map the network."""
    w = build_world(sqlite_url, tmp_path, allow_loopback_endpoints=True)
    try:
        closed = socket.socket()
        closed.bind(("127.0.0.1", 0))
        closed_port = closed.getsockname()[1]
        closed.close()
        answers = []
        for port in (listener.port, closed_port):
            config = ({"url": f"http://127.0.0.1:{port}/hook", "timeout_s": 1}
                      if connector == "webhook" else
                      {"url": f"amqp://u:p@127.0.0.1:{port}/vh", "exchange": "e",
                       "routing_key": "r", "timeout_s": 1})
            r = w.client.post("/api/v1/admin/tenants/ymere/endpoints", headers=w.headers(),
                              json={"connector": connector, "config": config})
            assert r.status_code == 201, r.json
            ping = w.client.post(f"/api/v1/admin/tenants/ymere/endpoints/{r.json['id']}/test",
                                 headers=w.headers())
            assert ping.status_code == 200
            answers.append(ping.json)
        assert answers[0] == answers[1]
        assert answers[0]["outcome"] == "retryable"
        assert answers[0]["error_code"] == "connector.unreachable"
        assert answers[0]["duration_ms"] == 0
    finally:
        w.container.close()


def _own_addresses() -> list[str]:
    """This machine's own addresses other than loopback (private, unique-local, link-local ones
    with their zone), found without sending anything: the source address of an unconnected UDP
    route, and on Linux every IPv6 address of every interface."""
    found: set[str] = set()
    for family, target in ((socket.AF_INET, "198.51.100.1"), (socket.AF_INET6, "2001:db8::1")):
        try:
            with socket.socket(family, socket.SOCK_DGRAM) as udp:
                udp.connect((target, 9))
                found.add(udp.getsockname()[0])
        except OSError:
            continue
    try:
        with open("/proc/net/if_inet6", encoding="ascii") as fh:
            for line in fh:
                hexa, _, _, scope, _, name = line.split()
                address = str(ipaddress.IPv6Address(bytes.fromhex(hexa)))
                found.add(f"{address}%{name}" if int(scope, 16) == 0x20 else address)
    except OSError:
        pass
    return sorted(a for a in found if not ipaddress.ip_address(a.split("%")[0]).is_loopback)


def _url_host(address: str) -> str:
    return f"[{address.replace('%', '%25')}]" if ":" in address else address


def every_ssrf_host(own: list[str]) -> list[str]:
    """Every way of naming this machine or a neighbour of it that issue 18 lists: loopback in
    all its spellings, the machine's own private, unique-local and link-local addresses (also as
    a decimal number and IPv4-mapped), unspecified, the machine's own name and internal or cloud
    metadata names."""
    hosts = ["127.0.0.1", "localhost", "LOCALHOST.", "127.1", "2130706433", "0x7f000001",
             "0177.0.0.1", "[::1]", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "0.0.0.0", "0", "[::]",
             socket.gethostname(), socket.getfqdn(), "metadata.google.internal", "metadata",
             "instance-data", "kubernetes.default.svc", "host.docker.internal", "169.254.169.254",
             "[fd00:ec2::254]", "100.100.100.200"]
    for address in own:
        hosts.append(_url_host(address))
        ip = ipaddress.ip_address(address.split("%")[0])
        if ip.version == 4:
            hosts += [str(int(ip)), f"[::ffff:{ip}]"]
    return list(dict.fromkeys(hosts))


def test_every_ssrf_form_is_refused_at_save_and_on_connect_and_a_listener_on_every_interface_counts_0(
        strict, listener_everywhere):
    """The listener is bound to every interface, so whatever address a form resolves to on this
    machine, a connection would be counted. Each form is offered as a webhook and an AMQP
    endpoint (refused at save time), then delivered to straight through the connectors with the
    system resolver (refused on connect). Afterwards the listener is shown to be reachable at
    those addresses, so the 0 is not for want of a way in."""
    from connectors.amqp import AmqpConnector
    from connectors.webhook import WebhookConnector

    port = listener_everywhere.port
    own = _own_addresses()
    hosts = every_ssrf_host(own)
    webhook, amqp = WebhookConnector(), AmqpConnector()
    try:
        for host in hosts:
            for connector, config in (
                    ("webhook", {"url": f"https://{host}:{port}/hook"}),
                    ("webhook", {"url": f"http://{host}:{port}/hook"}),
                    ("amqp", {"url": f"amqps://u:p@{host}:{port}/vh", "exchange": "e",
                              "routing_key": "r"})):
                r = strict.client.post("/api/v1/admin/tenants/ymere/endpoints",
                                       headers=strict.headers(),
                                       json={"connector": connector, "config": config})
                assert r.status_code == 422, (config, r.json)
                assert str(port).encode() not in r.data
            hook = webhook.deliver(_request(f"https://{host}:{port}/hook"))
            assert (hook.outcome, hook.error_code) == ("permanent", "connector.address_refused"), host
            broker = amqp.deliver(_request(f"amqps://u:p@{host}:{port}/vh", exchange="e",
                                           routing_key="r"))
            assert broker.outcome == "permanent", (host, broker)
    finally:
        webhook.close()
        amqp.close()
    assert listener_everywhere.accepted == 0

    reachable = ["127.0.0.1", *own]
    for address in reachable:
        with socket.create_connection((address, port), timeout=5):
            pass
    deadline = time.monotonic() + 5
    while listener_everywhere.accepted < len(reachable) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert listener_everywhere.accepted == len(reachable)
