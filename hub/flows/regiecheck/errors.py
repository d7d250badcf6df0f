"""The one error hierarchy of the regiecheck flow. Messages are Dutch and never repeat a
submitted value; a partner the network does not allow is named by its tenant id in the
details (it is the caller's own input, no personal data)."""

from __future__ import annotations

from hub.errors import HubError


class RegiecheckError(HubError):
    """Base of every error the regiecheck flow raises (HTTP 422 unless a subclass says)."""

    code = "regiecheck.invalid"
    message = "De regiecheck kan zo niet worden uitgevoerd."


class MelderZonderReden(RegiecheckError):
    """Raised when a person with ``rol`` ``melder`` is to be checked without ``reden_melder``."""

    code = "regiecheck.melder_zonder_reden"
    message = ("De melder wordt alleen bevraagd met een reden (reden_melder, minstens 10 tekens).")


class PartnerNietInNetwerk(RegiecheckError):
    """Raised when an asked partner is no party of the asker's network for regiechecks."""

    code = "regiecheck.partner_niet_in_netwerk"
    message = ("Een gevraagde partner neemt in het netwerk van dit meldpunt niet deel aan "
               "regiechecks.")


class GeenPartners(RegiecheckError):
    """Raised when a check would ask nobody (no standard list and no partners given)."""

    code = "regiecheck.geen_partners"
    message = "Er is geen partner om te bevragen: geef partners op of stel de standaardlijst in."


class GeenNetwerk(RegiecheckError):
    """Raised when the asker is no party of a network in force."""

    code = "regiecheck.geen_netwerk"
    message = "Dit meldpunt is geen partij van een geldend netwerk (convenant)."


class AlleenMeldpunt(RegiecheckError):
    """Raised when a tenant that is no meldpunt starts a regiecheck (HTTP 403)."""

    code = "regiecheck.alleen_meldpunt"
    message = "Alleen een meldpunt kan een regiecheck starten."
