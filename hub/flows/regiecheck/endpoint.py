"""An answer by endpoint (``POST /regiechecks/{id}/antwoord``): the hub composes the answer's
CloudEvent and hands it to the same intake as ``POST /messages`` (dat-informatie rule, schema,
privacy guard, routing to the asker, policy, the answer hook), so both give the same state."""

from __future__ import annotations

from consent.errors import PrivacyViolation
from consent.privacy import check_dat_informatie
from consent.privacy.findings import Finding
from hub.errors import InvalidMessage
from hub.flows.regiecheck.events import HUB_SOURCE
from hub.intake.catalogue import REGIECHECK_ANTWOORD
from hub.intake.service import IntakeResult, IntakeService
from tenants.directory import Directory
from tenants.model import Principal


def dat_informatie_findings(body: object) -> list[Finding]:
    """What in the endpoint's body goes beyond dat-informatie (a body that is no object at all
    is refused whole)."""
    if isinstance(body, dict):
        return check_dat_informatie(body)
    return [Finding("privacy.dat_informatie", "", None)]


class EndpointAnswers:
    def __init__(self, *, intake: IntakeService, directory: Directory) -> None:
        self._intake = intake
        self._directory = directory

    def submit(self, principal: Principal, regiecheck_id: str, body: dict) -> str:
        """The answer through intake; the id of the answer's message. Refusals name the
        endpoint body's fields (``/contact/naam``), not the event's (``/data/contact/naam``)."""
        try:
            result: IntakeResult = self._intake.accept_on_behalf(
                principal, REGIECHECK_ANTWOORD, {"regiecheck_id": regiecheck_id, **body},
                self._source_of(principal.tenant_id))
        except PrivacyViolation as exc:
            raise PrivacyViolation([Finding(f.rule, _undata(f.field), f.span)
                                    for f in exc.findings]) from None
        except InvalidMessage as exc:
            raise InvalidMessage(exc.code, exc.message, [
                {**d, "field": _undata(d.get("field", ""))} for d in exc.details]) from None
        return result.answer["id"]

    def _source_of(self, tenant_id: str) -> str:
        """The answering organisation as the ``source`` of the answer the hub composes: its
        OIN or KvK-nummer where it has one (NL GOV profile), else the hub's API for it."""
        tenant = self._directory.snapshot().tenant(tenant_id)
        if tenant is not None and tenant.oin:
            return f"urn:nld:oin:{tenant.oin}:systeem:ketenhub-api"
        if tenant is not None and tenant.kvk:
            return f"urn:nld:kvk:{tenant.kvk}:systeem:ketenhub-api"
        return f"{HUB_SOURCE}:antwoord:{tenant_id}"


def _undata(pointer: str) -> str:
    """``/data/contact/naam`` → ``/contact/naam``: the endpoint's body is the event's data."""
    return pointer[len("/data"):] if pointer.startswith("/data") else pointer
