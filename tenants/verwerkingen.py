"""The verwerkingsregister (AVG art. 30) of a network: its processing activities, each with
purpose, legal basis, categories of data and retention. A network may set its own; without one
it has the hub's defaults below (the Amsterdam and Utrecht convenanten of the seeds). The audit
log names the activity of each processing (``purpose``) from it, and an inzage reports purpose
and categories per message from it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Verwerking:
    """One processing activity. ``id`` is the code the audit log and inzage refer to;
    ``berichttypen`` the message types it covers (with ``grondslag`` deciding between two
    activities on one type) and ``audit`` the audit activities (``consent.registered``, …) it
    covers besides messages."""

    id: str
    naam: str
    doel: str
    grondslag: str
    categorieen: tuple[str, ...]
    bewaartermijn: str
    berichttypen: tuple[str, ...] = ()
    audit: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {"id": self.id, "naam": self.naam, "doel": self.doel, "grondslag": self.grondslag,
                "categorieen": list(self.categorieen), "bewaartermijn": self.bewaartermijn,
                "berichttypen": list(self.berichttypen), "audit": list(self.audit)}

    @classmethod
    def from_dict(cls, raw: dict) -> Verwerking:
        return cls(id=raw["id"], naam=raw["naam"], doel=raw["doel"], grondslag=raw["grondslag"],
                   categorieen=tuple(raw.get("categorieen") or ()),
                   bewaartermijn=raw["bewaartermijn"],
                   berichttypen=tuple(raw.get("berichttypen") or ()),
                   audit=tuple(raw.get("audit") or ()))


_T = "nl.ketenhub."
NAW = ("naam", "geboortedatum", "adres")

DEFAULT_VERWERKINGSREGISTER: tuple[Verwerking, ...] = (
    Verwerking("signalering", "Signalen over overlast en zorg delen",
               "Overlast en zorgen over een bewoner vroeg bij het meldpunt en de betrokken "
               "partners brengen, zodat procesregie mogelijk is (convenant).",
               "convenant", ("adres", "overlastcategorieen", "omschrijving", "melder_type"),
               "5 jaar na afsluiting van de zaak",
               (_T + "signaal.v1", _T + "signaal.reactie.v1")),
    Verwerking("signalering_toestemming",
               "Signalen en huurachterstand naar de zorgaanbieder van een begeleide woning",
               "De zorgaanbieder van een cliënt in een begeleide woning tijdig laten weten dat er "
               "overlast of huurachterstand is (werkafspraken Thuis in de wijk).",
               "consent", ("adres", "overlastcategorieen", "omschrijving", "huurachterstand"),
               "looptijd van de toestemming plus de netwerktermijn",
               (_T + "signaal.v1", _T + "signaal.reactie.v1", _T + "huurachterstand.v1")),
    Verwerking("regiecheck", "Regiecheck (netwerkonderzoek)",
               "Nagaan welke partners een persoon of huishouden al kennen en wie de contactpersoon "
               "is (dat-informatie, geen inhoud).",
               "convenant", (*NAW, "bekend_ja_nee", "contact_professional"),
               "5 jaar na afsluiting van de zaak",
               (_T + "regiecheck.vraag.v1", _T + "regiecheck.antwoord.v1",
                _T + "regiecheck.herinnering.v1", _T + "regiecheck.verlopen.v1"),
               ("regiecheck.asked", "regiecheck.answered")),
    Verwerking("urgent", "Extreme of urgente situatie",
               "GGD Vangnet & Advies en politie direct inschakelen bij een extreme of urgente "
               "situatie.", "noodsituatie", (*NAW, "situatieschets", "contact_professional"),
               "5 jaar na afsluiting van de zaak", (_T + "urgent.v1", _T + "urgent.melding.v1")),
    Verwerking("zaakregie", "Toewijzing, terugkoppeling en afsluiting van een zaak",
               "Een betrokken partner vragen de zaak op te pakken, en partners informeren bij "
               "afsluiting (procesregie meldpunt).", "convenant",
               (*NAW, "zaakkenmerk", "toelichting", "contact_professional"),
               "5 jaar na afsluiting van de zaak",
               (_T + "toewijzing.v1", _T + "toewijzing.reactie.v1", _T + "afsluiting.v1")),
    Verwerking("aanmelding_utrecht", "Aanmelding extreme woonoverlast (Utrecht)",
               "Een casus van extreme woonoverlast aanmelden bij U Centraal en de corporatie om "
               "toestemming vragen (convenant Utrecht).", "convenant",
               ("adres", "overlastvormen", "aanmeldingscriteria"),
               "5 jaar na afsluiting van de zaak",
               (_T + "aanmelding.v1", _T + "aanmelding.reactie.v1",
                _T + "toestemmingsverzoek.v1", _T + "toestemmingsverzoek.reactie.v1")),
    Verwerking("termijnbewaking", "Termijnbewaking",
               "Partners herinneren aan en informeren over verlopen termijnen (werkdagen).",
               "convenant", ("berichtkenmerk", "termijn"), "5 jaar na afsluiting van de zaak",
               (_T + "termijn.herinnering.v1", _T + "termijn.verlopen.v1"),
               ("termijn.started", "termijn.met", "termijn.passed")),
    Verwerking("toestemmingenregister", "Register van toestemmingen en begeleide woningen",
               "Vastleggen voor welke ontvangers, gegevens en termijn een cliënt toestemming gaf.",
               "consent", ("client_pseudoniem", "ontvangers", "categorieen", "termijn",
                           "hash_bewijsstuk"),
               "looptijd van de toestemming plus 5 jaar", (),
               ("consent.registered", "consent.withdrawn", "consent.expired",
                "begeleide_woning.registered")),
    Verwerking("inzage", "Inzageverzoeken (AVG art. 15)",
               "Een betrokkene laten zien welke berichten over hem of haar zijn gedeeld.",
               "wettelijke_plicht", ("persoon_pseudoniem",), "5 jaar", (), ("inzage.performed",)),
)

INZAGE = "inzage"
TOESTEMMINGENREGISTER = "toestemmingenregister"


def register_of(own: Sequence[Verwerking]) -> tuple[Verwerking, ...]:
    """A network's register: its own, or the defaults when it sets none."""
    return tuple(own) or DEFAULT_VERWERKINGSREGISTER


def for_message(register: Sequence[Verwerking], message_type: str,
                basis: str | None = None) -> Verwerking | None:
    """The activity a message of this type on this basis is processed under: one listing the
    type with the same basis, else the first listing the type."""
    listing = [v for v in register if message_type in v.berichttypen]
    return next((v for v in listing if v.grondslag == basis), listing[0] if listing else None)


def for_audit(register: Sequence[Verwerking], activity: str) -> Verwerking | None:
    return next((v for v in register if activity in v.audit), None)
