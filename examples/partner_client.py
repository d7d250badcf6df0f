"""A partner system talking to Ketenhub: send a signaal, read the inbox, acknowledge.

Copy this into your own system; it needs only the Python standard library.

    python examples/partner_client.py send  --key "$YMERE_KEY" --postcode "1012 AB"
    python examples/partner_client.py poll  --key "$MELDPUNT_KEY"
    python examples/partner_client.py status --key "$YMERE_KEY" MESSAGE_ID

With `make run`, the demo keys are in var/demo-keys.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import urllib.error
import urllib.request
import uuid
from datetime import UTC, datetime


class Ketenhub:
    def __init__(self, base_url: str, api_key: str, timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout

    def _call(self, method: str, path: str, body: object | None = None) -> tuple[int, dict]:
        data = json.dumps(body).encode("utf-8") if body is not None else None
        request = urllib.request.Request(self.base_url + path, data=data, method=method, headers={
            "Authorization": f"Bearer {self.api_key}", "Content-Type": "application/json"})
        for attempt in range(5):
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    return response.status, json.loads(response.read() or b"{}")
            except urllib.error.HTTPError as err:
                body = json.loads(err.read() or b"{}")
                if err.code in (429, 503) and attempt < 4:
                    # The hub says when to come back; sending again is safe (idempotent id).
                    time.sleep(float(err.headers.get("Retry-After", "1")))
                    continue
                return err.code, body
            except urllib.error.URLError:
                if attempt == 4:
                    raise
                time.sleep(2 ** attempt)
        raise RuntimeError("unreachable")

    def send(self, event: dict) -> dict:
        """Send a CloudEvent. Keep its `id`: sending the same id again never delivers twice."""
        status, body = self._call("POST", "/api/v1/messages", event)
        if status not in (200, 202):
            raise RuntimeError(f"refused ({status}): {body['error']['code']}: "
                               f"{body['error']['message']} {body['error']['details']}")
        return body

    def inbox(self) -> list[dict]:
        """Everything delivered to you and not yet acknowledged, oldest first."""
        items, cursor = [], None
        while True:
            path = "/api/v1/inbox?limit=100" + (f"&after={cursor}" if cursor else "")
            status, page = self._call("GET", path)
            if status != 200:
                raise RuntimeError(f"inbox ({status}): {page}")
            items += page["items"]
            cursor = page["next"]
            if cursor is None:
                return items

    def acknowledge(self, delivery_id: str) -> None:
        status, body = self._call("POST", f"/api/v1/inbox/{delivery_id}/ack")
        if status != 200:
            raise RuntimeError(f"ack ({status}): {body}")

    def status(self, message_id: str) -> dict:
        return self._call("GET", f"/api/v1/messages/{message_id}")[1]


def signaal_event(source: str, postcode: str, huisnummer: int, omschrijving: str) -> dict:
    return {
        "specversion": "1.0",
        "id": str(uuid.uuid4()),
        "source": source,
        "type": "nl.ketenhub.signaal.v1",
        "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "datacontenttype": "application/json",
        "data": {
            "soort": "overlast",
            "categorieen": ["geluid"],
            "adres": {"postcode": postcode, "huisnummer": huisnummer},
            "omschrijving": omschrijving,
            "waargenomen_op": datetime.now(UTC).date().isoformat(),
            "melder_type": "omwonende",
            "urgentie": "normaal",
            "kenmerk_afzender": f"CRM-{uuid.uuid4().hex[:8]}",
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["send", "poll", "status"])
    parser.add_argument("message_id", nargs="?")
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--key", required=True)
    parser.add_argument("--source", default="urn:nld:kvk:12345678:systeem:crm")
    parser.add_argument("--postcode", default="1012 AB")
    parser.add_argument("--huisnummer", type=int, default=1)
    parser.add_argument("--omschrijving", default="Harde muziek en geschreeuw na middernacht.")
    args = parser.parse_args()
    hub = Ketenhub(args.url, args.key)
    if args.command == "send":
        answer = hub.send(signaal_event(args.source, args.postcode, args.huisnummer,
                                        args.omschrijving))
        print(json.dumps(answer, indent=2))
    elif args.command == "poll":
        for item in hub.inbox():
            event = item["event"]
            print(f"{item['delivery_id']}  {event['type']}  from {item['sender']}")
            hub.acknowledge(item["delivery_id"])  # acknowledge only after you stored it
    else:
        print(json.dumps(hub.status(args.message_id), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
