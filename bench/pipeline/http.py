"""A small keep-alive JSON client on http.client: cheap on the CPU the load generator shares
with the hub (requests costs several times more per call on this 2-core machine)."""

from __future__ import annotations

import http.client
import json
import threading
from urllib.parse import urlsplit


class HttpError(RuntimeError):
    def __init__(self, status: int, body: bytes) -> None:
        super().__init__(f"HTTP {status}: {body[:300]!r}")
        self.status = status


class JsonClient:
    """One persistent connection; not thread-safe (one per thread, see ``per_thread``)."""

    def __init__(self, base: str, key: str, timeout: float = 30.0) -> None:
        parts = urlsplit(base)
        self._host, self._port = parts.hostname or "127.0.0.1", parts.port or 80
        self._timeout = timeout
        self._headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json",
                         "Connection": "keep-alive"}
        self._conn: http.client.HTTPConnection | None = None

    def _connection(self) -> http.client.HTTPConnection:
        if self._conn is None:
            self._conn = http.client.HTTPConnection(self._host, self._port, timeout=self._timeout)
        return self._conn

    def request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, object]:
        for attempt in range(2):
            conn = self._connection()
            try:
                conn.request(method, path, body=body, headers=self._headers)
                response = conn.getresponse()
                raw = response.read()
                if response.will_close:
                    self.close()
                return response.status, (json.loads(raw) if raw else None)
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # the server closed an idle keep-alive connection; one fresh try
                self.close()
                if attempt == 1:
                    raise
        raise AssertionError("unreachable")

    def call(self, method: str, path: str, body: bytes | None = None,
             expect: tuple[int, ...] = (200, 201, 202)) -> object:
        status, data = self.request(method, path, body)
        if status not in expect:
            raise HttpError(status, json.dumps(data).encode())
        return data

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


class PerThread:
    """A JsonClient per thread, for pools."""

    def __init__(self, base: str, key: str) -> None:
        self._base, self._key = base, key
        self._local = threading.local()
        self._all: list[JsonClient] = []
        self._lock = threading.Lock()

    def get(self) -> JsonClient:
        client = getattr(self._local, "client", None)
        if client is None:
            client = self._local.client = JsonClient(self._base, self._key)
            with self._lock:
                self._all.append(client)
        return client

    def close(self) -> None:
        with self._lock:
            for c in self._all:
                c.close()
