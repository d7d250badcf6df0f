"""An alert: something a tenant's people must act on. Ids only, never payload text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

#: Per kind, what it means and what to do, in the words the tenant admin reads (Dutch).
ADVICE: dict[str, tuple[str, str]] = {
    "endpoint.gone": (
        "Koppeling uitgeschakeld",
        "Het adres van de koppeling antwoordde 410 (Gone); de hub heeft de koppeling "
        "uitgeschakeld. Controleer het adres, maak zo nodig een nieuwe koppeling en bied de "
        "mislukte berichten opnieuw aan."),
    "endpoint.failing": (
        "Koppeling faalt aanhoudend",
        "De koppeling faalt al langere tijd en is uitgeschakeld. Herstel de ontvangende kant en "
        "bied de mislukte berichten opnieuw aan."),
    "delivery.dead": (
        "Bericht niet afgeleverd",
        "Een bericht kon na alle pogingen niet worden afgeleverd. Bekijk de pogingen van de "
        "aflevering, herstel de oorzaak en bied het bericht opnieuw aan (redrive)."),
    "termijn.verlopen": (
        "Termijn verlopen",
        "Een termijn is verstreken zonder de reactie die hem haalt. Neem contact op met de "
        "partij die de reactie verschuldigd is."),
    "retention.failed": (
        "Bewaartermijn niet uitgevoerd",
        "Het vernietigen van verlopen gegevens is mislukt. Controleer de worker en voer "
        "`ketenhub retention run` opnieuw uit."),
}


@dataclass(frozen=True)
class Alert:
    id: int
    kind: str
    tenant_id: str | None
    subject_id: str | None
    detail: str | None
    raised_at: datetime
    notified_at: datetime | None = None

    @property
    def title(self) -> str:
        return ADVICE.get(self.kind, (self.kind, ""))[0]

    @property
    def what_to_do(self) -> str:
        return ADVICE.get(self.kind, ("", "Neem contact op met de beheerder van de hub."))[1]
