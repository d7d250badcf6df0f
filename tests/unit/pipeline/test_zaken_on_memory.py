"""Zaken over the in-memory unit of work: the joiner in the intake's transaction and the
service's timeline, without a database."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from consent.policy import PolicyDecisionPoint
from hub.flows.zaken.errors import UnknownZaak
from hub.flows.zaken.joining import ZaakJoiner
from hub.flows.zaken.service import ZaakService
from hub.intake.service import IntakeService
from hub.routing.rules import Router
from tenants.demo import source_for
from tests.fakes import signaal
from tests.unit.pipeline.conftest import Pipeline, _guard

MELDPUNTEN = {"mzwo-centrum"}


def zaken_pipeline() -> tuple[Pipeline, ZaakService]:
    pipe = Pipeline()
    joiner = ZaakJoiner(is_meldpunt=MELDPUNTEN.__contains__,
                        address_ref=lambda adres: f"ref-{adres['postcode']}-{adres['huisnummer']}")
    pipe.intake = IntakeService(
        uow=pipe.uow, guard=_guard(), router=Router(), pdp=PolicyDecisionPoint(pipe.directory),
        directory=pipe.directory, vault=pipe.vault, clock=pipe.clock, max_attempts=3,
        active_endpoints=pipe.endpoints.active_for, hooks=(joiner,))
    return pipe, ZaakService(uow=pipe.uow, clock=pipe.clock, joiner=joiner,
                             is_meldpunt=MELDPUNTEN.__contains__)


def _event(type_: str, data: dict) -> dict:
    return {"specversion": "1.0", "id": str(uuid.uuid4()), "source": source_for("mzwo-centrum", "ris"),
            "type": type_, "data": data}


def test_a_linked_signaal_and_the_meldpunts_own_messages_form_one_timeline():
    pipe, zaken = zaken_pipeline()
    melding = pipe.send(signaal()).answer["id"]
    view = zaken.link_signaal(pipe.partner("mzwo-centrum"), "K-1", melding)
    assert view.zaak.address_key == "ref-1012AB-12"
    pipe.send(_event("nl.ketenhub.toewijzing.v1", {"zaak_kenmerk": "K-1", "aan": "arkin"}),
              sender="mzwo-centrum")
    view = zaken.view(pipe.partner("mzwo-centrum"), "K-1")
    assert [i.type for i in view.items] == ["nl.ketenhub.signaal.v1", "nl.ketenhub.toewijzing.v1"]
    assert view.categorieen == ("geluid",)
    assert [i.type for i in zaken.view(pipe.partner("ymere"), "K-1").items] == [
        "nl.ketenhub.signaal.v1"]
    with pytest.raises(UnknownZaak):
        zaken.view(pipe.partner("arkin"), "K-1")  # the toewijzing was denied: no part in it


def test_a_zaak_is_reopened_within_3_months_and_started_anew_after():
    pipe, zaken = zaken_pipeline()
    melding = pipe.send(signaal()).answer["id"]
    meldpunt = pipe.partner("mzwo-centrum")
    first = zaken.link_signaal(meldpunt, "K-2", melding).zaak
    pipe.send(_event("nl.ketenhub.afsluiting.v1", {"zaak_kenmerk": "K-2", "reden": "opgelost"}),
              sender="mzwo-centrum")
    assert zaken.view(meldpunt, "K-2").zaak.status == "gesloten"
    pipe.clock.advance(days=60)
    assert zaken.link_signaal(meldpunt, "K-2", pipe.send(signaal()).answer["id"]).zaak.id == \
        first.id
    pipe.send(_event("nl.ketenhub.afsluiting.v1", {"zaak_kenmerk": "K-2", "reden": "opgelost"}),
              sender="mzwo-centrum")
    pipe.clock.advance(days=100)
    fresh = zaken.link_signaal(meldpunt, "K-2", pipe.send(signaal()).answer["id"])
    assert fresh.zaak.id != first.id and len(fresh.items) == 1
    assert [z.status for z in zaken.list(meldpunt).items] == ["open", "gesloten"]
    assert pipe.clock.now - first.opened_at == timedelta(days=160)


def test_a_partner_asked_in_a_regiecheck_of_the_zaak_sees_the_zaak_and_only_its_own_row():
    from hub.flows.regiecheck.model import AskedPartner, CheckStatus, PartnerStatus, Regiecheck

    pipe, zaken = zaken_pipeline()
    melding = pipe.send(signaal()).answer["id"]
    zaken.link_signaal(pipe.partner("mzwo-centrum"), "K-1", melding)
    with pytest.raises(UnknownZaak):
        zaken.view(pipe.partner("arkin"), "K-1")
    now = pipe.clock()
    pipe.store.tables.regiechecks["rc-1"] = Regiecheck(
        id="rc-1", asker="mzwo-centrum", network_id="amsterdam", status=CheckStatus.OPEN,
        soort="zorg", overlastsoorten=(), deadline=now + timedelta(days=3), created_at=now,
        key_version=1, payload=b"", zaak_kenmerk="K-1", partners=(
            AskedPartner("arkin", 0, PartnerStatus.GEVRAAGD, "m-1", now + timedelta(days=3),
                         now + timedelta(days=2)),))
    view = zaken.view(pipe.partner("arkin"), "K-1")
    assert [(i.type, [o.tenant for o in i.ontvangers]) for i in view.items] == [
        ("nl.ketenhub.regiecheck.vraag.v1", ["arkin"])]
    assert [z.kenmerk for z in zaken.list(pipe.partner("arkin")).items] == ["K-1"]
