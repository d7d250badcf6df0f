"""A small TCP forwarder to put in front of the broker: while it is not started (or stopped) the
broker is unreachable on its port, without touching the real RabbitMQ other tests use."""

from __future__ import annotations

import select
import socket
import threading


class TcpProxy:
    def __init__(self, listen_port: int, target: tuple[str, int]) -> None:
        self.listen_port = listen_port
        self.target = target
        self._server: socket.socket | None = None
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._threads: list[threading.Thread] = []

    def start(self) -> TcpProxy:
        server = socket.socket()
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", self.listen_port))
        server.listen(64)
        server.settimeout(0.2)
        self._server = server
        self._stop.clear()
        self._spawn(self._accept_loop)
        return self

    def _spawn(self, target, *args) -> None:  # noqa: ANN001
        thread = threading.Thread(target=target, args=args, daemon=True, name="tcp-proxy")
        thread.start()
        self._threads.append(thread)

    def _accept_loop(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._server.accept()
            except (TimeoutError, OSError):
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._sockets |= {client, upstream}
            self._spawn(self._pump, client, upstream)

    def _pump(self, a: socket.socket, b: socket.socket) -> None:
        peers = {a: b, b: a}
        try:
            while not self._stop.is_set():
                readable, _, _ = select.select([a, b], [], [], 0.2)
                for s in readable:
                    data = s.recv(65536)
                    if not data:
                        return
                    peers[s].sendall(data)
        except OSError:
            return
        finally:
            for s in (a, b):
                try:
                    s.close()
                except OSError:
                    pass
            with self._lock:
                self._sockets -= {a, b}

    def stop(self) -> None:
        """Unreachable again: stop listening and cut every forwarded connection."""
        self._stop.set()
        if self._server is not None:
            self._server.close()
            self._server = None
        with self._lock:
            for s in list(self._sockets):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
        for thread in self._threads:
            thread.join(5)
        self._threads.clear()
