"""Raw sockets against the served hub: every answer of the server itself (not only of the app)
is the one JSON error shape, and never repeats a header the caller sent."""

from __future__ import annotations

import json
import socket

import pytest

from tests.e2e.test_serve import hub  # noqa: F401 - the served-hub fixture

SECRET = b"kh_geheimsleutel_Zz9Qx7"


def _exchange(base: str, request: bytes) -> tuple[int, dict[str, str], bytes]:
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as s:
        s.sendall(request)
        received = b""
        while True:
            try:
                chunk = s.recv(65536)
            except (ConnectionResetError, TimeoutError):
                break
            if not chunk:
                break
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split(b" ")[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in
               (line.decode("latin-1").partition(":") for line in lines[1:])}
    return status, headers, body


def _assert_json_error(status: int, headers: dict, body: bytes, expected_status: int) -> dict:
    assert status == expected_status, body
    assert headers["content-type"].startswith("application/json")
    error = json.loads(body)["error"]
    assert set(error) == {"code", "message", "details"}
    assert SECRET not in body and b"Authorization" not in body and b"Bearer" not in body
    return error


CASES = [
    ("a bare CR inside a header",
     b"GET /api/v1/inbox HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + SECRET
     + b"\rX-Injected: 1\r\nConnection: close\r\n\r\n", 400),
    ("a header line without a colon",
     b"GET /api/v1/inbox HTTP/1.1\r\nHost: x\r\nAuthorization Bearer " + SECRET
     + b"\r\nConnection: close\r\n\r\n", 400),
    ("a malformed request line",
     b"GET /api/v1/inbox " + SECRET + b" HTTP/1.1 extra\r\nHost: x\r\n\r\n", 400),
    ("headers of 100 KB",
     b"GET /healthz HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + SECRET + b"\r\n"
     + b"X-Big: " + b"a" * 100_000 + b"\r\nConnection: close\r\n\r\n", 431),
    ("a thousand headers",
     b"GET /healthz HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + SECRET + b"\r\n"
     + b"".join(b"X-H%d: v\r\n" % i for i in range(1000)) + b"Connection: close\r\n\r\n", 431),
    ("an invalid Content-Length",
     b"POST /api/v1/privacy/check HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + SECRET
     + b"\r\nContent-Length: zes\r\nConnection: close\r\n\r\n", 400),
]


@pytest.mark.parametrize(("request_bytes", "expected"), [(c[1], c[2]) for c in CASES],
                         ids=[c[0] for c in CASES])
def test_a_server_level_error_is_json_in_the_one_shape_and_echoes_no_header(hub,  # noqa: F811
                                                                           request_bytes,
                                                                           expected):
    base, _ = hub
    error = _assert_json_error(*_exchange(base, request_bytes), expected)
    assert error["code"] in {"request.bad_request", "request.header_too_large"}


def test_an_app_level_error_over_the_socket_has_the_same_shape(hub):  # noqa: F811
    base, _ = hub
    request = (b"GET /api/v1/inbox HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + SECRET
               + b"\r\nConnection: close\r\n\r\n")
    error = _assert_json_error(*_exchange(base, request), 401)
    assert error["code"].startswith("auth.")
