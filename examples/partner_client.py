"""A partner system talking to Ketenhub: send a signaal, read the inbox, acknowledge; ask and
answer regiechecks.

Copy this into your own system; it needs only the Python standard library.

    python examples/partner_client.py send  --key "$YMERE_KEY" --source "$YMERE_SOURCE" \
        --postcode "1012 AB"
    python examples/partner_client.py poll  --key "$MELDPUNT_KEY"
    python examples/partner_client.py status --key "$YMERE_KEY" MESSAGE_ID
    python examples/partner_client.py ask   --key "$MELDPUNT_KEY" --achternaam Jansen \
        --geboortedatum 1971-03-04
    python examples/partner_client.py answer-regiechecks --key "$POLITIE_KEY" \
        --known known.json      # [{"achternaam", "geboortedatum", "contact": {"naam", ...}}]
    python examples/partner_client.py regiecheck --key "$MELDPUNT_KEY" REGIECHECK_ID

`--source` names your own organisation (its KvK-nummer or OIN); the hub refuses any other.
With `make run`, the demo keys are in var/demo-keys.json and each demo tenant's source in
var/demo-sources.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
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

    # -- regiecheck ---------------------------------------------------------------------
    def ask_regiecheck(self, body: dict) -> dict:
        """A meldpunt asks its network's standard list (or ``partners``) about persons."""
        status, answer = self._call("POST", "/api/v1/regiechecks", body)
        if status not in (200, 201):
            raise RuntimeError(f"refused ({status}): {answer['error']['code']}")
        return answer

    def regiecheck(self, regiecheck_id: str) -> dict:
        """The asking meldpunt's view: per partner gevraagd/bekend/onbekend/verlopen."""
        return self._call("GET", f"/api/v1/regiechecks/{regiecheck_id}")[1]

    def answer_regiecheck(self, regiecheck_id: str, contact: dict | None) -> dict:
        """Dat-informatie only: whether you know the person(s) and whom to contact."""
        body = {"bekend": True, "contact": contact} if contact else {"bekend": False}
        status, answer = self._call("POST", f"/api/v1/regiechecks/{regiecheck_id}/antwoord",
                                    body)
        if status != 200:
            raise RuntimeError(f"refused ({status}): {answer['error']['code']}")
        return answer


REGIECHECK_VRAAG = "nl.ketenhub.regiecheck.vraag.v1"


def known_contact(known: list[dict], personen: list[dict]) -> dict | None:
    """Your own lookup: the contact for the first asked person you know (name and birth date),
    or None. Replace this with a query on your own registration system."""
    for persoon in personen:
        for entry in known:
            if (entry["achternaam"].casefold(), entry["geboortedatum"]) == (
                    persoon["achternaam"].casefold(), persoon["geboortedatum"]):
                return entry["contact"]
    return None


def answer_regiechecks(hub: Ketenhub, lookup: Callable[[list[dict]], dict | None]) -> int:
    """Answer every regiecheck question in the inbox automatically, then acknowledge it.
    Other messages are left for your other handlers. Returns the number answered."""
    answered = 0
    for item in hub.inbox():
        event = item["event"]
        if event["type"] != REGIECHECK_VRAAG:
            continue
        data = event["data"]
        hub.answer_regiecheck(data["regiecheck_id"], lookup(data["personen"]))
        hub.acknowledge(item["delivery_id"])  # acknowledge only once the answer is in
        answered += 1
    return answered


_LETTERS = str.maketrans("0123456789", "ghjkmnpqrs")


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
            # Letters only: a random run of 8 or 9 digits can pass the 11-proof and is then
            # refused as a BSN, as the hub refuses a BSN in any field.
            "kenmerk_afzender": "CRM-" + uuid.uuid4().hex[:8].translate(_LETTERS),
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["send", "poll", "status", "ask",
                                            "answer-regiechecks", "regiecheck"])
    parser.add_argument("message_id", nargs="?", help="message or regiecheck id")
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--key", required=True)
    parser.add_argument("--source", help="your organisation's own source: urn:nld:kvk:<your KvK>:... "
                        "or urn:nld:oin:<your OIN>:... (the demo's are in var/demo-sources.json)")
    parser.add_argument("--postcode", default="1012 AB")
    parser.add_argument("--huisnummer", type=int, default=1)
    parser.add_argument("--omschrijving", default="Harde muziek en geschreeuw na middernacht.")
    parser.add_argument("--achternaam", default="Jansen")
    parser.add_argument("--geboortedatum", default="1971-03-04")
    parser.add_argument("--known", help="JSON file: the persons you know, with their contact")
    args = parser.parse_args()
    hub = Ketenhub(args.url, args.key)
    if args.command == "send":
        if not args.source:
            parser.error("send needs --source (the hub refuses a source that is not your own)")
        answer = hub.send(signaal_event(args.source, args.postcode, args.huisnummer,
                                        args.omschrijving))
        print(json.dumps(answer, indent=2))
    elif args.command == "poll":
        for item in hub.inbox():
            event = item["event"]
            print(f"{item['delivery_id']}  {event['type']}  from {item['sender']}")
            hub.acknowledge(item["delivery_id"])  # acknowledge only after you stored it
    elif args.command == "ask":
        print(json.dumps(hub.ask_regiecheck({
            "personen": [{"achternaam": args.achternaam, "geboortedatum": args.geboortedatum}],
            "soort": "overlast", "overlastsoorten": ["geluid"]}), indent=2))
    elif args.command == "answer-regiechecks":
        with open(args.known or "known.json", encoding="utf-8") as file:
            known = json.load(file)
        count = answer_regiechecks(hub, lambda personen: known_contact(known, personen))
        print(f"{count} regiecheck(s) answered")
    elif args.command == "regiecheck":
        print(json.dumps(hub.regiecheck(args.message_id), indent=2))
    else:
        print(json.dumps(hub.status(args.message_id), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
