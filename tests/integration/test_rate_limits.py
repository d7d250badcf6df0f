"""Rate limits: per key, per tenant (with a tenant's own limit), per client address on failed
authentication; a 429 in the one error shape with ``Retry-After``; counters shared by every
serve process through Redis."""

from __future__ import annotations

import time
import uuid

import pytest

from hub.app import create_app
from tests.integration.conftest import build_world


def _world(sqlite_url, tmp_path, **limits):
    return build_world(sqlite_url, tmp_path, **limits)


def _assert_429(r) -> None:
    assert r.status_code == 429, r.data
    assert r.json["error"]["code"] == "rate_limited"
    assert set(r.json["error"]) == {"code", "message", "details"}
    assert 1 <= int(r.headers["Retry-After"]) <= 61


def test_a_key_over_its_limit_gets_429_with_retry_after_and_others_go_on(sqlite_url, tmp_path):
    w = _world(sqlite_url, tmp_path, ratelimit_per_key="5/minute")
    try:
        answers = [w.client.get("/api/v1/inbox", headers=w.headers("ymere")) for _ in range(8)]
        assert [r.status_code for r in answers[:5]] == [200] * 5
        _assert_429(answers[5])
        assert w.client.get("/api/v1/inbox", headers=w.headers("arkin")).status_code == 200
    finally:
        w.container.close()


def test_a_tenants_keys_share_its_tenant_limit_and_a_tenant_may_have_its_own(sqlite_url, tmp_path):
    w = _world(sqlite_url, tmp_path, ratelimit_per_tenant="4/minute",
               ratelimit_tenants="arkin:8/minute")
    try:
        second = w.client.post("/api/v1/admin/tenants/ymere/keys", headers=w.headers(),
                               json={"name": "tweede", "scopes": ["messages:receive"]}).json["key"]
        keys = [w.keys["ymere"], second]
        answers = [w.client.get("/api/v1/inbox", headers={"Authorization": f"Bearer {keys[i % 2]}"})
                   for i in range(5)]
        assert [r.status_code for r in answers[:4]] == [200] * 4
        _assert_429(answers[4])
        arkin = [w.client.get("/api/v1/inbox", headers=w.headers("arkin")) for _ in range(9)]
        assert [r.status_code for r in arkin[:8]] == [200] * 8
        _assert_429(arkin[8])
    finally:
        w.container.close()


def test_wrong_secrets_for_a_real_key_id_block_the_address_not_the_key(sqlite_url, tmp_path):
    w = _world(sqlite_url, tmp_path, ratelimit_failed_auth="10/minute")
    try:
        real = w.keys["ymere"]
        forged = real[: real.rindex("_") + 1] + "x" * 20
        guesses = [w.client.get("/api/v1/inbox", headers={"Authorization": f"Bearer {forged}"},
                                environ_base={"REMOTE_ADDR": "192.0.2.7"}) for _ in range(12)]
        assert [r.status_code for r in guesses[:10]] == [401] * 10
        _assert_429(guesses[10])
        assert forged.encode() not in guesses[10].data
        # The partner itself, from its own address, is not locked out by the guesser.
        ok = w.client.get("/api/v1/inbox", headers=w.headers("ymere"),
                          environ_base={"REMOTE_ADDR": "198.51.100.3"})
        assert ok.status_code == 200
    finally:
        w.container.close()


def test_1500_fast_requests_from_one_key_meet_a_429_with_the_default_limits(sqlite_url, tmp_path,
                                                                           monkeypatch):
    # "Fast" without depending on this machine's speed: the counters' clock stands still, so
    # all requests fall in one window whatever they take.
    import types

    import limits.storage.memory
    import limits.strategies

    frozen = types.SimpleNamespace(time=lambda: 1_900_000_000.0)
    monkeypatch.setattr(limits.storage.memory, "time", frozen)
    monkeypatch.setattr(limits.strategies, "time", frozen)
    w = _world(sqlite_url, tmp_path)
    try:
        statuses = []
        for _ in range(1500):
            statuses.append(w.client.get("/api/v1/messages/onbekend",
                                         headers=w.headers("ymere")).status_code)
            if statuses[-1] == 429:
                break
        assert statuses[-1] == 429 and set(statuses[:-1]) == {404}
        assert len(statuses) == 1001  # the default: 1000 per minute per key
    finally:
        w.container.close()


def test_two_serve_processes_share_the_counters_in_redis(redis_url, sqlite_url, tmp_path):
    prefix = f"kh-test-{uuid.uuid4().hex[:8]}"
    w = _world(sqlite_url, tmp_path, ratelimit_storage_url=redis_url, ratelimit_prefix=prefix,
               ratelimit_per_key="6/minute")
    try:
        # A second app on the same container and config: another serve process.
        other = create_app(w.app.extensions["ketenhub"].config, w.container).test_client()
        clients = [w.client, other]
        answers = [clients[i % 2].get("/api/v1/inbox", headers=w.headers("ymere")) for i in range(7)]
        assert [r.status_code for r in answers[:6]] == [200] * 6
        _assert_429(answers[6])
        import redis

        stored = redis.Redis.from_url(redis_url).keys(f"*{prefix}*")
        assert stored, "the counters are in Redis"
    finally:
        w.container.close()


@pytest.mark.parametrize("path", ["/healthz", "/openapi.json"])
def test_the_probes_and_the_contract_are_not_limited_per_key(sqlite_url, tmp_path, path):
    w = _world(sqlite_url, tmp_path, ratelimit_per_key="2/minute")
    try:
        assert {w.client.get(path).status_code for _ in range(5)} == {200}
    finally:
        w.container.close()


def test_failed_web_logins_count_against_the_address_like_failed_api_keys(sqlite_url, tmp_path):
    """Password spraying through the login page: wrong passwords for several accounts from one
    address meet the failed-authentication limit (each account alone stays under its lock),
    in the web's own 429 page; a person at another address logs in as usual."""
    from tests.integration.web import Browser, web_world

    w = web_world(sqlite_url, tmp_path, start=False, ratelimit_failed_auth="3/minute")
    try:
        sprayer = Browser(w.app)
        sprayer.client.environ_base["REMOTE_ADDR"] = "192.0.2.7"
        people = [w.people[t] for t in ("mzwo-west", "eigen-haard", "cordaan")]
        for who in people:
            r = sprayer.login(who, password="fout-wachtwoord-geraden")
            assert r.status_code == 200 and "Inloggen" in sprayer.html
        blocked = sprayer.client.get("/login", base_url="https://localhost")
        assert blocked.status_code == 429
        assert 1 <= int(blocked.headers["Retry-After"]) <= 61
        assert "Te veel verzoeken" in blocked.get_data(as_text=True)
        colleague = Browser(w.app)
        colleague.client.environ_base["REMOTE_ADDR"] = "198.51.100.3"
        assert colleague.login(people[0]).status_code == 302
    finally:
        w.container.close()


def test_wrong_second_factor_codes_count_against_the_address_too(sqlite_url, tmp_path):
    from tests.integration.web import Browser, web_world

    w = web_world(sqlite_url, tmp_path, start=False, ratelimit_failed_auth="2/minute")
    try:
        guesser = Browser(w.app)
        guesser.client.environ_base["REMOTE_ADDR"] = "192.0.2.8"
        r = guesser.post("/login", {"username": w.people["privacy"].username,
                                    "password": "een-heel-lang-wachtwoord"})
        assert r.status_code == 302 and "tweede-factor" in r.headers["Location"]
        # Codes of no time step the hub accepts (the one before, now and after): wrong for sure.
        import pyotp

        totp = pyotp.TOTP(w.people["privacy"].totp_secret)
        valid = {totp.at(time.time() + d) for d in (-60, -30, 0, 30, 60)}
        wrong = [c for c in ("000000", "111111", "222222", "333333") if c not in valid][:2]
        for code in wrong:
            assert guesser.post("/login/tweede-factor", {"code": code}).status_code == 200
        assert guesser.client.get("/login/tweede-factor",
                                  base_url="https://localhost").status_code == 429
    finally:
        w.container.close()


def test_an_unreachable_counter_storage_falls_back_to_this_processs_memory(sqlite_url, tmp_path):
    # Nothing listens on port 1: every request is still served, and still limited.
    w = _world(sqlite_url, tmp_path, ratelimit_storage_url="redis://127.0.0.1:1",
               ratelimit_per_key="3/minute")
    try:
        answers = [w.client.get("/api/v1/inbox", headers=w.headers("ymere")) for _ in range(4)]
        assert [r.status_code for r in answers[:3]] == [200] * 3
        _assert_429(answers[3])
    finally:
        w.container.close()
