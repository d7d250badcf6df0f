"""``ketenhub privacy check``: one verdict per JSON line on stdin.

Each non-blank input line is a JSON value (a plain string or a whole document); each output line
is ``{"bsn": bool, "medical": bool, "findings": [...]}``. A line that is not JSON gets an error
object in its place, so output line n always answers input line n, and the bad line is never
echoed: it may hold exactly the data the check is meant to keep from spreading.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import TextIO

from consent.privacy.guard import PrivacyGuard

MALFORMED = {
    "error": {
        "code": "request.malformed_json",
        "message": "Deze regel is geen geldige JSON. / This line is not valid JSON.",
    }
}


def check_lines(lines: Iterable[str], guard: PrivacyGuard) -> Iterator[str]:
    """Yield one JSON verdict line (without newline) per non-blank input line."""
    for line in lines:
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except (json.JSONDecodeError, RecursionError):
            yield json.dumps(MALFORMED, ensure_ascii=False)
            continue
        yield json.dumps(guard.scan(value).to_dict(), ensure_ascii=False)


def run(stdin: TextIO, stdout: TextIO, guard: PrivacyGuard | None = None) -> int:
    """Check every line of ``stdin``; exit code 0, or 1 when any line was malformed."""
    guard = guard or PrivacyGuard.default()
    status = 0
    for out in check_lines(stdin, guard):
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
