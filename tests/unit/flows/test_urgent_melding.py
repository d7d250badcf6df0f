"""The veiligheidscoördinator's notice of an urgent case (seed 000 step 5): the zaak kenmerk,
the address and the time — never the personen, the situatieschets or the contact — and the
coördinator of the meldpunt's own area."""

from __future__ import annotations

from datetime import UTC, date, datetime

from hub.flows.urgent.melding import coordinators_for, melding_data
from hub.intake.catalogue import EMITTED_TYPES, URGENT, URGENT_MELDING, validate_data
from tenants.directory import Snapshot
from tenants.model import Area, Network, Party

AT = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
URGENT_DATA = {
    "personen": [{"achternaam": "Visser", "voorletters": "J.", "geboortedatum": "1961-05-02"}],
    "adres": {"postcode": "1012 AB", "huisnummer": 12, "huisletter": "A",
              "woonplaats": "Amsterdam"},
    "situatieschets": "Bewoner dreigt buren met een mes, deur gebarricadeerd.",
    "contact": {"naam": "M. de Boer", "telefoon": "020 555 0199"},
    "zaak_kenmerk": "MZWO-C-2026-0042"}


def test_the_notice_carries_the_kenmerk_address_and_time_and_nothing_of_the_persons_or_sketch():
    urgent = validate_data(URGENT, URGENT_DATA)
    data = melding_data("5b7c1c7e-5f0b-4a7e-9d0e-2f1f4c3b2a10", "mzwo-centrum", urgent, AT)
    assert set(data) == {"urgent_id", "meldpunt", "zaak_kenmerk", "adres", "tijd"}
    assert data["adres"] == {"postcode": "1012AB", "huisnummer": 12, "huisletter": "A",
                             "woonplaats": "Amsterdam"}
    assert data["tijd"] == "2026-11-23T09:00:00+00:00"
    for text in ("Visser", "1961", "mes", "gebarricadeerd", "Boer", "0199"):
        assert text not in str(data)
    assert EMITTED_TYPES[URGENT_MELDING]().load(data) == data
    without = melding_data("5b7c1c7e-5f0b-4a7e-9d0e-2f1f4c3b2a10", "mzwo-centrum",
                           {**urgent, "zaak_kenmerk": None}, AT)
    assert "zaak_kenmerk" not in without


def test_the_coordinator_is_the_one_of_the_meldpunts_area_holding_the_address():
    network = Network(
        id="amsterdam", name="A", created_at=AT,
        parties=(Party("mzwo-centrum", "meldpunt"), Party("mzwo-oost", "meldpunt"),
                 Party("vc-centrum", "gemeente"), Party("vc-oost", "gemeente"),
                 Party("vc-weesp", "gemeente")),
        areas=(Area("mzwo-centrum", 1011, 1018, "vc-centrum"),
               Area("mzwo-oost", 1019, 1019, "vc-oost"),
               Area("mzwo-oost", 1380, 1384, "vc-weesp"),
               Area("mzwo-noord", 1020, 1039)))
    view = Snapshot.build([], [network])
    day = date(2026, 11, 23)
    assert coordinators_for(view, "mzwo-centrum", 1012, day) == [("vc-centrum", "amsterdam")]
    assert coordinators_for(view, "mzwo-oost", 1382, day) == [("vc-weesp", "amsterdam")]
    # An address outside its areas: the coördinatoren of the meldpunt's own stadsdeel.
    assert coordinators_for(view, "mzwo-oost", 9711, day) == [
        ("vc-oost", "amsterdam"), ("vc-weesp", "amsterdam")]
    assert coordinators_for(view, "mzwo-noord", 1021, day) == []  # none configured
