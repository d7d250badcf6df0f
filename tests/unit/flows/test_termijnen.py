"""Terms as values, the flow registry, and starting and meeting terms (in-memory twin)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import pytest

from hub.flows.calendar import AMSTERDAM, Werkdagen
from hub.flows.termijnen import Antwoord, Recipient, Termijn, Termijnen, TermijnFlow, TermijnFlows
from hub.flows.termijnen.errors import DuplicateFlow
from hub.flows.termijnen.memory import MemoryTermijnRepository
from hub.flows.termijnen.model import TermijnStatus, short_type
from hub.flows.termijnen.standard import standard_flows
from tenants.directory import Directory, Snapshot
from tenants.model import DEFAULT_TERMIJNEN, Area, Network, Party, Tenant, TenantKind

THURSDAY = datetime(2026, 11, 26, 10, 0, tzinfo=AMSTERDAM)
K = TenantKind


def termijn(**overrides) -> Termijn:
    values = {"flow": "signaal_zorgaanbieder", "subject_id": "m1", "owed_by": "hvo",
              "owed_to": "ymere", "werkdagen": 2, "gehaald_door": ("signaal.reactie:klager_benaderd",),
              "calendar": Werkdagen(), "started_at": THURSDAY, "meldpunt": "mzwo"}
    values.update(overrides)
    return Termijn.start(**values)


def test_a_term_of_two_werkdagen_from_thursday_is_reminded_monday_morning_and_expires_at_midnight():
    x = termijn()
    assert x.deadline == datetime(2026, 11, 30, 23, 59, 59, tzinfo=AMSTERDAM)
    assert x.remind_at == datetime(2026, 11, 30, 8, 0, tzinfo=AMSTERDAM)
    assert x.due_at == x.remind_at and x.status is TermijnStatus.LOPEND
    assert not x.needs_reminder(x.remind_at - timedelta(seconds=1))
    assert x.needs_reminder(x.remind_at)
    reminded = x.reminded(x.remind_at)
    assert reminded.due_at == datetime(2026, 12, 1, 0, 0, tzinfo=AMSTERDAM)
    assert not reminded.needs_reminder(x.remind_at) and not reminded.is_expired(x.deadline)
    assert reminded.is_expired(datetime(2026, 12, 1, 0, 0, tzinfo=AMSTERDAM))


def test_a_network_closing_day_moves_the_deadline():
    x = termijn(calendar=Werkdagen(closing_days=frozenset({date(2026, 11, 27)})))
    assert x.deadline.date() == date(2026, 12, 1)


def test_only_the_answers_named_meet_a_term():
    x = termijn(gehaald_door=("signaal.reactie:klager_benaderd", "toewijzing.reactie"))
    assert x.is_met_by("signaal.reactie:klager_benaderd")
    assert not x.is_met_by("signaal.reactie:ontvangen")
    assert x.is_met_by("toewijzing.reactie")
    assert x.is_met_by("toewijzing.reactie:geaccepteerd")


def test_an_expiry_is_told_to_the_party_owed_and_the_meldpunt_once_each_never_to_the_owing_party():
    assert termijn().notify_on_expiry() == ["ymere", "mzwo"]
    assert termijn(meldpunt="ymere").notify_on_expiry() == ["ymere"]
    assert termijn(meldpunt="hvo").notify_on_expiry() == ["ymere"]


def test_short_types_drop_the_prefix_and_version():
    assert short_type("nl.ketenhub.signaal.reactie.v1") == "signaal.reactie"
    assert short_type("nl.ketenhub.toestemmingsverzoek.reactie.v1") == "toestemmingsverzoek.reactie"


def test_a_flow_name_is_registered_once():
    flows = TermijnFlows(standard_flows())
    with pytest.raises(DuplicateFlow):
        flows.register(standard_flows()[0])

    class Nameless(TermijnFlow):
        pass

    with pytest.raises(DuplicateFlow):
        flows.register(Nameless())


def test_a_signaal_reactie_answers_the_signaal_it_names_with_its_status():
    flows = TermijnFlows(standard_flows())
    assert flows.answers("nl.ketenhub.signaal.reactie.v1", {
        "signaal_id": "m1", "status": "klager_benaderd"}) == [
        Antwoord("signaal_zorgaanbieder", "m1", "signaal.reactie:klager_benaderd")]
    assert flows.answers("nl.ketenhub.signaal.v1", {}) == []


@dataclass
class FakeAudit:
    records: list = field(default_factory=list)

    def record(self, **kw) -> None:
        self.records.append(kw)


@dataclass
class FakeUow:
    termijnen: MemoryTermijnRepository = field(default_factory=MemoryTermijnRepository)
    audit: FakeAudit = field(default_factory=FakeAudit)


def _view() -> Snapshot:
    tenants = [Tenant(t, t, k, THURSDAY, THURSDAY) for t, k in (
        ("mzwo", K.MELDPUNT), ("ymere", K.WONINGCORPORATIE), ("hvo", K.ZORGAANBIEDER))]
    network = Network("ams", "Amsterdam", THURSDAY, parties=tuple(
        Party(t.id, t.kind.value) for t in tenants), areas=(Area("mzwo", 1011, 1018),),
        termijnen=DEFAULT_TERMIJNEN)
    return Snapshot.build(tenants, [network])


def _service() -> Termijnen:
    view = _view()
    return Termijnen(flows=TermijnFlows(standard_flows()), directory=Directory(lambda: view),
                     clock=lambda: THURSDAY)


def test_a_signaal_opens_a_term_for_the_zorgaanbieder_only_with_the_area_meldpunt_to_tell():
    found = _service().plan(
        message_id="m1", message_type="nl.ketenhub.signaal.v1", data={}, sender="ymere",
        recipients=[Recipient("mzwo", "ams", "d1"), Recipient("hvo", "ams", "d2")],
        received_at=THURSDAY, view=_view(), pc4=1012)
    [x] = found
    assert (x.flow, x.owed_by, x.owed_to, x.meldpunt, x.delivery_id, x.network_id) == (
        "signaal_zorgaanbieder", "hvo", "ymere", "mzwo", "d2", "ams")


def test_meeting_settles_a_running_term_once_and_audits_it_without_payload():
    service, uow = _service(), FakeUow()
    x = service.start(uow, flow="signaal_zorgaanbieder", subject_id="m1", owed_by="hvo",
                      owed_to="ymere", network_id="ams")
    assert x is not None and uow.audit.records[0]["action"] == "termijn.gestart"
    ack = Antwoord("signaal_zorgaanbieder", "m1", "signaal.reactie:ontvangen")
    assert service.meet(uow, answered_by="hvo", antwoorden=[ack], message_id="r0",
                        at=THURSDAY) == []
    answer = Antwoord("signaal_zorgaanbieder", "m1", "signaal.reactie:klager_benaderd")
    assert service.meet(uow, answered_by="ymere", antwoorden=[answer], message_id="r1",
                        at=THURSDAY) == []  # only the owing party can meet it
    [met] = service.meet(uow, answered_by="hvo", antwoorden=[answer], message_id="r2",
                         at=THURSDAY)
    assert met.status is TermijnStatus.GEHAALD and met.met_by == "r2" and met.due_at is None
    assert service.meet(uow, answered_by="hvo", antwoorden=[answer], message_id="r3",
                        at=THURSDAY) == []
    assert [r["action"] for r in uow.audit.records] == ["termijn.gestart", "termijn.gehaald"]


def test_a_network_without_a_term_on_the_flow_starts_none():
    service, uow = _service(), FakeUow()
    assert service.start(uow, flow="aanmelding", subject_id="m1", owed_by="hvo",
                         owed_to="ymere", network_id="ams") is None
    assert uow.termijnen.rows == {}


def test_the_watcher_claims_what_is_due_earliest_first():
    repo = MemoryTermijnRepository()
    early, late = termijn(subject_id="a"), termijn(subject_id="b", started_at=THURSDAY + timedelta(days=1))
    repo.add_many([late, early])
    assert [x.subject_id for x in repo.claim_due(early.remind_at, 10)] == ["a"]
    assert [x.subject_id for x in repo.claim_due(late.remind_at, 10)] == ["a", "b"]


def test_an_answer_after_the_deadline_meets_nothing_and_leaves_the_term_to_expire():
    service, uow = _service(), FakeUow()
    x = service.start(uow, flow="signaal_zorgaanbieder", subject_id="m1", owed_by="hvo",
                      owed_to="ymere", network_id="ams")
    answer = Antwoord("signaal_zorgaanbieder", "m1", "signaal.reactie:klager_benaderd")
    assert service.meet(uow, answered_by="hvo", antwoorden=[answer], message_id="r1",
                        at=x.expires_at) == []
    assert uow.termijnen.get(x.id).status is TermijnStatus.LOPEND
    assert [x.id for x in uow.termijnen.claim_due(x.expires_at, 10)] == [x.id]


def test_a_regiecheck_question_opens_a_term_the_watcher_never_claims():
    [x] = _service().plan(
        message_id="v1", message_type="nl.ketenhub.regiecheck.vraag.v1", data={},
        sender="mzwo", recipients=[Recipient("hvo", "ams", "d1")], received_at=THURSDAY,
        view=_view(), pc4=None)
    assert (x.flow, x.subject_id, x.owed_by, x.owed_to, x.werkdagen) == (
        "regiecheck", "v1", "hvo", "mzwo", 3)
    assert x.due_at is None and x.remind_at is None
    repo = MemoryTermijnRepository()
    repo.add_many([x])
    assert repo.claim_due(x.expires_at + timedelta(days=30), 10) == []
    assert x.is_met_by("regiecheck.antwoord:onbekend")
