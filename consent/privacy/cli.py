"""``ketenhub privacy check``: one verdict per JSON line on stdin.

Each non-blank input line is a JSON value (a plain string or a whole document); each output line
is ``{"bsn": bool, "medical": bool, "findings": [...]}``. A line that is not JSON gets an error
object in its place, so output line n always answers input line n, and the bad line is never
echoed: it may hold exactly the data the check is meant to keep from spreading.

``ketenhub privacy check`` passes the hub's strict parser (``hub.api.strict_json.loads``) as
``loads``, so a line is read as the API reads a body: a duplicate key (whose first value would
go unchecked), a lone surrogate, an oversized integer or NaN is malformed, not a verdict.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TextIO

from consent.privacy.guard import PrivacyGuard

MALFORMED = {
    "error": {
        "code": "request.malformed_json",
        "message": "Deze regel is geen geldige JSON. / This line is not valid JSON.",
    }
}


def check_lines(lines: Iterable[str], guard: PrivacyGuard,
                loads: Callable[[str], Any] = json.loads) -> Iterator[str]:
    """Yield one JSON verdict line (without newline) per non-blank input line, each read with
    ``loads`` (any ``ValueError`` it raises makes the line malformed)."""
    for line in lines:
        if not line.strip():
            continue
        try:
            value = loads(line)
        except (ValueError, RecursionError):  # JSONDecodeError is one, as is a too-long integer
            yield json.dumps(MALFORMED, ensure_ascii=False)
            continue
        yield json.dumps(guard.scan(value).to_dict(), ensure_ascii=False)


def run(stdin: TextIO, stdout: TextIO, guard: PrivacyGuard | None = None,
        loads: Callable[[str], Any] = json.loads) -> int:
    """Check every line of ``stdin``; exit code 0, or 1 when any line was malformed."""
    guard = guard or PrivacyGuard.default()
    status = 0
    for out in check_lines(stdin, guard, loads):
        if out.startswith('{"error"'):
            status = 1
        stdout.write(out + "\n")
    stdout.flush()
    return status


def main() -> None:  # pragma: no cover - convenience entry point until the click CLI wires it
    import sys

    raise SystemExit(run(sys.stdin, sys.stdout))


if __name__ == "__main__":  # pragma: no cover
    main()
