"""The contact of a ``bekend`` answer: sealed with the asker's data key, bound to the check and
the answering partner, opened only for the asker's view."""

from __future__ import annotations

import json

from hub.crypto.vault import PayloadVault
from hub.flows.regiecheck.model import Regiecheck
from hub.ports import HubUnitOfWork


def contact_aad(regiecheck_id: str, partner: str) -> bytes:
    return f"regiecheck-contact:{regiecheck_id}:{partner}".encode()


def open_contacts(vault: PayloadVault, uow: HubUnitOfWork, check: Regiecheck) -> dict[str, dict]:
    """The opened contacts of the ``bekend`` answers, by partner."""
    found = {}
    for p in check.partners:
        if p.contact is not None and p.contact_key_version is not None:
            plain = vault.open(uow.data_keys, check.asker, p.contact_key_version, p.contact,
                               contact_aad(check.id, p.tenant_id))
            found[p.tenant_id] = json.loads(plain)
    return found
