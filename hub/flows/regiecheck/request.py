"""A meldpunt's request to start a regiecheck: the schema, the privacy guard and the melder
rule (a person with ``rol`` ``melder`` is checked only with ``reden_melder``)."""

from __future__ import annotations

from marshmallow import ValidationError

from consent.privacy import PrivacyGuard
from hub.flows.regiecheck.errors import MelderZonderReden
from hub.intake.catalogue import invalid
from hub.intake.schemas.base import flatten
from hub.intake.schemas.regiecheck import RegiecheckVerzoekSchema

MELDER = "melder"


class RequestCheck:
    def __init__(self, guard: PrivacyGuard) -> None:
        self._guard = guard
        self._schema = RegiecheckVerzoekSchema()

    def validate(self, body: object) -> dict:
        """The loaded request, or the refusal: schema, privacy guard, melder rule."""
        if not isinstance(body, dict):
            raise invalid([{"field": "", "rule": "validation.invalid"}])
        try:
            request = self._schema.load(body)
        except ValidationError as err:
            raise invalid(flatten(err.messages, [])) from None
        self._guard.enforce(body)
        if any(p.get("rol") == MELDER for p in request["personen"]) and not request.get(
                "reden_melder"):
            raise MelderZonderReden(details=[{"field": "/reden_melder",
                                              "rule": MelderZonderReden.code}])
        return request
