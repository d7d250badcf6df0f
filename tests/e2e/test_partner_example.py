"""The partner example works against a real served hub, as a partner developer would run it."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from tenants.demo import source_for
from tests.e2e.test_serve import hub  # noqa: F401 - the served-hub fixture
from tests.integration.pipeline import wait_until

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "partner_client.py"


def _example():
    spec = importlib.util.spec_from_file_location("partner_client", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_partner_example_sends_polls_and_acknowledges(hub):  # noqa: F811
    base, keys = hub
    pc = _example()
    corporatie, meldpunt = pc.Ketenhub(base, keys["ymere"]), pc.Ketenhub(base, keys["mzwo-centrum"])
    answer = corporatie.send(pc.signaal_event(source_for("ymere"), "1012 AB", 3,
                                              "Stank uit de woning, al een week."))
    assert answer["deliveries"][0]["recipient"] == "mzwo-centrum"
    items = wait_until(lambda: meldpunt.inbox())
    assert [i["message_id"] for i in items] == [answer["id"]]
    meldpunt.acknowledge(items[0]["delivery_id"])
    assert meldpunt.inbox() == []
    status = corporatie.status(answer["id"])
    assert status["deliveries"][0]["status"] == "acknowledged"


def test_the_partner_example_answers_regiechecks_automatically(hub):  # noqa: F811
    base, keys = hub
    pc = _example()
    meldpunt = pc.Ketenhub(base, keys["mzwo-centrum"])
    politie = pc.Ketenhub(base, keys["politie-amsterdam"])
    ggd = pc.Ketenhub(base, keys["ggd-amsterdam"])
    check = meldpunt.ask_regiecheck({
        "personen": [{"achternaam": "Jansen", "geboortedatum": "1971-03-04"}],
        "soort": "overlast", "partners": ["politie-amsterdam", "ggd-amsterdam"]})
    contact = {"naam": "Wijkagent De Vries", "telefoon": "020 555 0101"}
    known = [{"achternaam": "jansen", "geboortedatum": "1971-03-04", "contact": contact}]
    for partner, register in ((politie, known), (ggd, [])):
        wait_until(lambda p=partner: p.inbox())
        assert pc.answer_regiechecks(
            partner, lambda personen, r=register: pc.known_contact(r, personen)) == 1
        assert partner.inbox() == []
    view = meldpunt.regiecheck(check["id"])
    assert view["status"] == "compleet"
    assert {p["tenant"]: (p["status"], p.get("contact")) for p in view["partners"]} == {
        "politie-amsterdam": ("bekend", contact), "ggd-amsterdam": ("onbekend", None)}


def test_the_examples_own_kenmerk_holds_no_digits_that_could_read_as_a_bsn():
    pc = _example()
    kenmerken = [pc.signaal_event("urn:nld:kvk:1:x", "1012 AB", 3, "Stank.")["data"][
        "kenmerk_afzender"] for _ in range(200)]
    assert len(set(kenmerken)) > 190
    assert not any(ch.isdigit() for k in kenmerken for ch in k)
