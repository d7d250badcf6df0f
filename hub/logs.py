"""Log setup: one JSON object per line with ids and hashes as fields, never payload text.

Every record carries the request id of the HTTP request (or the worker task) it belongs to,
from a context variable (:mod:`hub.tracing`)."""

from __future__ import annotations

import json
import logging
import sys

from hub.tracing import current_request_id

_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None)).keys()) | {
    "message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
                 "level": record.levelname, "logger": record.name, "event": record.getMessage()}
        request_id = current_request_id()
        if request_id:
            entry["request_id"] = request_id
        entry.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def configure_logging(level: str = "INFO") -> None:
    """Idempotent: calling it twice does not double the output. The ``ketenhub`` loggers do not
    propagate to the root logger, so a server that configures the root logger (waitress does)
    cannot write each record a second time in another format."""
    logger = logging.getLogger("ketenhub")
    logger.setLevel(level.upper())
    logger.propagate = False
    if not any(getattr(h, "_ketenhub", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        handler._ketenhub = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
