"""The message types of termijnen and of the Utrecht convenant: their schemas, and the privacy
guard over each of them (a BSN or medical data in any text field is found)."""

from __future__ import annotations

import copy
import json
from datetime import datetime

import pytest
from marshmallow import ValidationError

from consent.privacy import PrivacyGuard
from hub.flows.calendar import AMSTERDAM, Werkdagen
from hub.flows.termijnen.model import Termijn
from hub.flows.termijnen.watcher import notice_data
from hub.intake.catalogue import (
    AANMELDING,
    AANMELDING_REACTIE,
    EMITTED_TYPES,
    MESSAGE_TYPES,
    TERMIJN_HERINNERING,
    TERMIJN_VERLOPEN,
    TOESTEMMINGSVERZOEK,
    TOESTEMMINGSVERZOEK_REACTIE,
    URGENT_MELDING,
)
from hub.intake.schemas.base import flatten

ID = "5b7c1c7e-5f0b-4a7e-9d0e-2f1f4c3b2a10"
BSN = "111222333"
HOME = {"postcode": "3511 AB", "huisnummer": 4}
CRITERIA = {"woongerelateerd": True, "ernstig_of_drie_maanden": True, "meerdere_vormen": True,
            "complexe_problematiek": True, "voorliggende_partij_heeft_ingezet": True,
            "meerdere_disciplines": True}
TERMIJN = {"bericht_id": ID, "termijn_id": ID, "flow": "signaal_zorgaanbieder",
           "deadline": "2026-11-30T23:59:59+01:00", "partij": "hvo-querido"}

#: Per type: an example, and the free-text field a BSN or diagnosis could be smuggled in.
EXAMPLES = {
    AANMELDING: ({"adres": HOME, "eigendom": "corporatie", "woningcorporatie": "mitros",
                  "overlastvormen": ["geluid"], "criteria": CRITERIA,
                  "omschrijving": "Al maanden geluid rond de woning.",
                  "kenmerk_afzender": "MIT-1"}, "omschrijving"),
    AANMELDING_REACTIE: ({"aanmelding_id": ID, "status": "afgewezen",
                          "reden": "Past in de reguliere aanpak."}, "reden"),
    TOESTEMMINGSVERZOEK: ({"aanmelding_id": ID, "aan": "mitros", "adres": HOME,
                           "toelichting": "Graag toestemming voor huisbezoek."}, "toelichting"),
    TOESTEMMINGSVERZOEK_REACTIE: ({"verzoek_id": ID, "status": "gegeven",
                                   "toelichting": "Akkoord."}, "toelichting"),
    TERMIJN_HERINNERING: (TERMIJN, "bericht_id"),
    TERMIJN_VERLOPEN: (TERMIJN, "bericht_id"),
    URGENT_MELDING: ({"urgent_id": ID, "meldpunt": "mzwo-centrum", "zaak_kenmerk": "MZWO-C-42",
                      "adres": {"postcode": "1012 AB", "huisnummer": 12},
                      "tijd": "2026-11-23T09:00:00+00:00"}, "zaak_kenmerk"),
}
ALL_SCHEMAS = {**MESSAGE_TYPES, **EMITTED_TYPES}


def example(message_type: str) -> dict:
    return copy.deepcopy(EXAMPLES[message_type][0])


@pytest.mark.parametrize("message_type", sorted(EXAMPLES))
def test_every_new_type_has_a_schema_that_loads_its_example(message_type):
    loaded = ALL_SCHEMAS[message_type]().load(example(message_type))
    assert json.loads(json.dumps(loaded)) == loaded


@pytest.mark.parametrize("message_type", sorted(EXAMPLES))
def test_every_new_type_refuses_an_unknown_field(message_type):
    with pytest.raises(ValidationError) as err:
        ALL_SCHEMAS[message_type]().load(example(message_type) | {"bsn": BSN})
    assert flatten(err.value.messages, ["data"]) == [
        {"field": "/data/bsn", "rule": "validation.unknown_field"}]


@pytest.mark.parametrize("message_type", sorted(EXAMPLES))
def test_the_example_of_every_new_type_passes_the_privacy_guard(message_type):
    assert PrivacyGuard.default().scan({"data": example(message_type)}).ok


@pytest.mark.parametrize("message_type", sorted(EXAMPLES))
def test_the_privacy_guard_finds_a_bsn_in_the_text_of_every_new_type(message_type):
    data, field = example(message_type), EXAMPLES[message_type][1]
    data[field] = f"Bewoner met BSN {BSN}"
    verdict = PrivacyGuard.default().scan({"data": data})
    assert ("privacy.bsn", f"/data/{field}") in [(f.rule, f.field) for f in verdict.findings]


@pytest.mark.parametrize("message_type", [AANMELDING, AANMELDING_REACTIE,
                                          TOESTEMMINGSVERZOEK_REACTIE])
def test_the_privacy_guard_finds_a_diagnosis_in_the_free_text(message_type):
    data, field = example(message_type), EXAMPLES[message_type][1]
    data[field] = "De bewoner heeft schizofrenie en gebruikt geen medicatie."
    verdict = PrivacyGuard.default().scan({"data": data})
    assert any(f.field == f"/data/{field}" and f.rule.startswith("privacy.")
               for f in verdict.findings)


def test_partners_may_send_the_utrecht_types_but_never_the_hubs_own_events():
    assert {AANMELDING, AANMELDING_REACTIE, TOESTEMMINGSVERZOEK,
            TOESTEMMINGSVERZOEK_REACTIE} <= set(MESSAGE_TYPES)
    assert not {TERMIJN_HERINNERING, TERMIJN_VERLOPEN, URGENT_MELDING} & set(MESSAGE_TYPES)


@pytest.mark.parametrize("message_type", [TERMIJN_HERINNERING, TERMIJN_VERLOPEN])
def test_what_the_watcher_sends_fits_its_schema_and_carries_ids_only(message_type):
    termijn = Termijn.start(flow="signaal_zorgaanbieder", subject_id=ID, owed_by="hvo-querido",
                            owed_to="ymere", werkdagen=2, gehaald_door=(), calendar=Werkdagen(),
                            started_at=datetime(2026, 11, 26, 10, 0, tzinfo=AMSTERDAM),
                            meldpunt="mzwo-centrum")
    data = notice_data(termijn)
    assert ALL_SCHEMAS[message_type]().load(data) == data
    assert set(data) == {"bericht_id", "termijn_id", "flow", "deadline", "partij"}
    assert data["deadline"] == "2026-11-30T23:59:59+01:00"
