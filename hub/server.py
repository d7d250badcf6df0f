"""The HTTP server of ``ketenhub serve``: waitress, with its own errors in the one JSON error
shape of the API.

waitress answers some requests before the app sees them — a malformed request line or header
(a bare CR), headers over the limit (431), a body over the limit (413) — in plain text that
may quote the offending header line, the caller's ``Authorization`` among them. Here those
answers are ``{"error": {"code", "message", "details": []}}`` with a fixed Dutch message:
nothing of the request is echoed.
"""

from __future__ import annotations

import json
from typing import Any

from waitress import create_server
from waitress.channel import HTTPChannel
from waitress.task import ErrorTask

from hub.api.errors import HTTP_CODES
from hub.config import Config

#: Server-level errors: status → (code, message). The rest come from the API's own table.
SERVER_ERRORS: dict[int, tuple[str, str]] = {
    400: ("request.bad_request", "Het verzoek is ongeldig."),
    501: ("request.not_implemented", "Deze vorm van verzoek wordt niet ondersteund."),
}


def error_body(status: int) -> bytes:
    """The JSON body of a server-level error with this status."""
    code, message = SERVER_ERRORS.get(status) or HTTP_CODES.get(status) or HTTP_CODES[500]
    return json.dumps({"error": {"code": code, "message": message, "details": []}},
                      ensure_ascii=False).encode("utf-8")


class JsonErrorTask(ErrorTask):
    """waitress's error answer, as JSON and without the parser's description of the input."""

    def execute(self) -> None:
        error = self.request.error
        status = int(getattr(error, "code", 500))
        body = error_body(status)
        self.status = f"{status} {getattr(error, 'reason', 'Error')}"
        self.response_headers.append(("Content-Type", "application/json"))
        self.set_close_on_finish()
        self.content_length = len(body)
        self.write(body)


class JsonErrorChannel(HTTPChannel):
    error_task_class = JsonErrorTask


def make_server(app: Any, config: Config, *, threads: int = 8) -> Any:
    """A waitress server for ``app`` on ``config.host``:``config.port`` (not yet running)."""
    server = create_server(
        app, host=config.host, port=config.port, threads=threads, ident="ketenhub",
        # A request whose headers pass the app's own limit must pass waitress's too; beyond
        # it waitress answers 431 itself (in the same shape).
        max_request_header_size=config.max_header_bytes + 4096,
        max_request_body_size=max(config.max_body_bytes, 1) * 2)
    server.channel_class = JsonErrorChannel
    return server
