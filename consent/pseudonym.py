"""The client pseudonym: HMAC-SHA256 with a per-network secret over a normalised identity.

The identity fields (achternaam, voorvoegsel, voornamen or voorletters, geboortedatum) are used
here and dropped; only the hex ``client_ref`` is stored. Normalisation (docs/consent.md):

1. Unicode NFKD, combining marks dropped (é→e, ë→e, ĳ→ij), a few letters without a
   decomposition transliterated (ß→ss, ø→o, æ→ae, œ→oe, ł→l, đ→d, þ→th), then casefold.
2. Apostrophes, hyphens, dots, commas and whitespace separate tokens; every other non-letter
   character is dropped.
3. Achternaam: voorvoegsel tokens + achternaam tokens (the voorvoegsel is not repeated when the
   achternaam already starts with it). Leading tussenvoegsels ('van', 'der', 'de', 't', ...)
   become the voorvoegsel, the rest is the achternaam; at least one token stays achternaam.
   Both are written without spaces: "van der Berg", "Berg" + "van der", "Van Der  Berg" and
   "van der-Berg" all give achternaam "berg", voorvoegsel "vander". A tussenvoegsel inside a
   double name ("Jansen-van der Berg") stays part of the achternaam.
4. Initials: from voornamen when given (first letter of each name; hyphenated names count as
   several), else from voorletters ("J.P.", "J. P.", "JP", "jp" → "jp"; "Th." and "Chr." are
   one initial; "IJ" is one initial "i", so it meets "IJsbrand").
5. Geboortedatum: a date, or an ISO "YYYY-MM-DD" string; written as ISO.

Canonical form: ``v1|<achternaam>|<voorvoegsel>|<initials>|<YYYY-MM-DD>``.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from datetime import date, datetime

from consent.errors import AddressError, IdentityError
from consent.model import address_key
from tenants.model import Principal

CANONICAL_VERSION = "v1"

TUSSENVOEGSELS = frozenset({
    "van", "de", "der", "den", "het", "t", "te", "ten", "ter", "in", "op", "onder", "aan", "bij",
    "uit", "voor", "over", "s", "d", "l", "la", "le", "les", "du", "da", "di", "del", "della",
    "dos", "das", "do", "von", "vom", "zu", "zum", "zur", "y", "el", "al", "lo", "los", "af",
})

_TRANSLIT = str.maketrans({
    "ß": "ss", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ł": "l",
    "Ł": "L", "đ": "d", "Đ": "D", "þ": "th", "Þ": "TH", "ı": "i",
})
_SEPARATORS = re.compile(r"[\s'’‘`´\-‐‑‒–—.,]+")
_NOT_LETTER = re.compile(r"[^a-z]")
_NOT_LETTER_CASED = re.compile(r"[^A-Za-z]")
HEX_REF = re.compile(r"^[0-9a-f]{64}$")


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_TRANSLIT))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_TRANSLIT)


def _tokens(text: str | None) -> list[str]:
    """Lowercase ASCII letter tokens of a name part."""
    if not text:
        return []
    out = []
    for raw in _SEPARATORS.split(_ascii(text).casefold()):
        token = _NOT_LETTER.sub("", raw)
        if token:
            out.append(token)
    return out


def _cased_tokens(text: str | None) -> list[str]:
    """ASCII letter tokens with case kept (initials need it: 'Th' vs 'JP')."""
    if not text:
        return []
    out = []
    for raw in _SEPARATORS.split(_ascii(text)):
        token = _NOT_LETTER_CASED.sub("", raw)
        if token:
            out.append(token)
    return out


def split_surname(achternaam: str, voorvoegsel: str | None = None) -> tuple[str, str]:
    """(achternaam, voorvoegsel) normalised, see the module doc step 3."""
    prefix, name = _tokens(voorvoegsel), _tokens(achternaam)
    tokens = name if prefix and name[:len(prefix)] == prefix else prefix + name
    if not name:
        raise IdentityError("achternaam")
    cut = 0
    while cut < len(tokens) - 1 and tokens[cut] in TUSSENVOEGSELS:
        cut += 1
    return "".join(tokens[cut:]), "".join(tokens[:cut])


def initials_from_voornamen(voornamen: str) -> str:
    return "".join(t[0] for t in _tokens(voornamen))


def initials_from_voorletters(voorletters: str) -> str:
    out = []
    for token in _cased_tokens(voorletters):
        if token.upper() == "IJ":
            out.append("i")
        elif len(token) > 1 and token.isupper():
            out.extend(c.lower() for c in token)       # "JP" → j, p
        elif len(token) > 1 and token.islower():
            out.extend(token)                           # "jp" → j, p
        else:
            out.append(token[0].lower())                # "Th", "Chr", "J" → one initial
    return "".join(out)


def _birth_date(value: date | str | None) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise IdentityError("geboortedatum", "validation.date") from None
    raise IdentityError("geboortedatum")


def normalise_identity(achternaam: str, voorvoegsel: str | None = None,
                       voornamen: str | None = None, voorletters: str | None = None,
                       geboortedatum: date | str | None = None) -> str:
    """The canonical identity string the pseudonym is computed over. Raises IdentityError."""
    if not achternaam or not str(achternaam).strip():
        raise IdentityError("achternaam")
    surname, prefix = split_surname(str(achternaam), voorvoegsel)
    initials = initials_from_voornamen(voornamen) if voornamen and voornamen.strip() else ""
    if not initials and voorletters:
        initials = initials_from_voorletters(voorletters)
    if not initials:
        raise IdentityError("voornamen" if voorletters is None else "voorletters")
    born = _birth_date(geboortedatum)
    return f"{CANONICAL_VERSION}|{surname}|{prefix}|{initials}|{born.isoformat()}"


def client_ref(network_secret: bytes, *, achternaam: str, voorvoegsel: str | None = None,
               voornamen: str | None = None, voorletters: str | None = None,
               geboortedatum: date | str | None = None) -> str:
    """The pseudonym: lowercase hex HMAC-SHA256 of the canonical identity under the network's
    secret. The same person gets different refs in different networks."""
    if not network_secret:
        raise ValueError("network secret must not be empty")
    canonical = normalise_identity(achternaam, voorvoegsel, voornamen, voorletters, geboortedatum)
    return hmac.new(network_secret, canonical.encode("utf-8"), hashlib.sha256).hexdigest()


def network_secret(master_secret: bytes, network_id: str) -> bytes:
    """The per-network pseudonym key, derived from the hub's master secret so nothing extra is
    stored: HMAC-SHA256(master, "ketenhub/client_ref/v1/" + network_id)."""
    if not master_secret:
        raise ValueError("master secret must not be empty")
    label = f"ketenhub/client_ref/{CANONICAL_VERSION}/{network_id}".encode()
    return hmac.new(master_secret, label, hashlib.sha256).digest()


def is_client_ref(value: object) -> bool:
    return isinstance(value, str) and bool(HEX_REF.match(value))


def address_ref(secret: bytes, postcode: str, huisnummer: int | str, huisletter: str | None = None,
                toevoeging: str | None = None) -> str | None:
    """The pseudonym of an address: lowercase hex HMAC-SHA256 of its normalised lookup key
    (``consent.model.address_key``: '12A', '12 a' and huisletter 'A' meet) under ``secret``.
    Samenloop counts on it; the address itself is not stored. None for an unusable address."""
    if not secret:
        raise ValueError("secret must not be empty")
    try:
        key = address_key(postcode, huisnummer, huisletter, toevoeging)
    except AddressError:
        return None
    return hmac.new(secret, b"adres|" + key.encode("utf-8"), hashlib.sha256).hexdigest()


def person_ref(secret: bytes, persoon: dict) -> str:
    """The hub-wide pseudonym of a person a message names (``persoon``: achternaam,
    voorvoegsel?, voornamen?, voorletters?, geboortedatum): lowercase hex HMAC-SHA256 of the
    canonical identity under the hub's subject secret. Unlike ``client_ref`` it is the same in
    every network, so an inzage finds the person's messages wherever they went; it is stored
    with the messages only, never shown to a tenant. Raises IdentityError."""
    if not secret:
        raise ValueError("secret must not be empty")
    canonical = normalise_identity(persoon.get("achternaam") or "", persoon.get("voorvoegsel"),
                                   persoon.get("voornamen"), persoon.get("voorletters"),
                                   persoon.get("geboortedatum"))
    return hmac.new(secret, b"persoon|" + canonical.encode("utf-8"), hashlib.sha256).hexdigest()


class TenantRefs:
    """Per-tenant client refs (unlinkable pseudonyms): the ``client_ref`` a tenant sees is a
    keyed permutation of the hub's internal ref under a key of that tenant, so two tenants see
    different refs for the same client and cannot link them, while the hub maps a tenant's ref
    back without a lookup table.

    The permutation is a four-round Luby–Rackoff Feistel network over the 32 bytes of the ref,
    each round HMAC-SHA256 under the tenant's key (derived from ``secret``); with four rounds it
    is a strong pseudorandom permutation. Refs stay 64 lowercase hex characters."""

    ROUNDS = 4

    def __init__(self, secret: bytes) -> None:
        if not secret:
            raise ValueError("secret must not be empty")
        self._secret = secret
        self._keys: dict[str, bytes] = {}

    def _key(self, tenant_id: str) -> bytes:
        key = self._keys.get(tenant_id)
        if key is None:
            key = hmac.new(self._secret, b"tenant-ref|" + tenant_id.encode("utf-8"),
                           hashlib.sha256).digest()
            self._keys[tenant_id] = key
        return key

    @staticmethod
    def _round(key: bytes, n: int, half: bytes) -> bytes:
        return hmac.new(key, bytes([n]) + half, hashlib.sha256).digest()[:16]

    def present(self, tenant_id: str, internal_ref: str) -> str:
        """The ref ``tenant_id`` sees for the hub's ``internal_ref``."""
        key, raw = self._key(tenant_id), bytes.fromhex(internal_ref)
        left, right = raw[:16], raw[16:]
        for n in range(self.ROUNDS):
            left, right = right, bytes(a ^ b for a, b in zip(left, self._round(key, n, right),
                                                             strict=True))
        return (left + right).hex()

    def shown(self, principal: Principal, internal_ref: str | None) -> str | None:
        """What ``principal`` sees of a stored pseudonym: its own tenant's ref; the hub admin
        sees the internal one. Values that are no client ref pass unchanged."""
        if internal_ref is None or principal.is_hub_admin or not is_client_ref(internal_ref):
            return internal_ref
        return self.present(principal.tenant_id, internal_ref)

    def given(self, principal: Principal, ref: str) -> str:
        """The internal ref behind a ref ``principal`` sends (inverse of ``shown``)."""
        if principal.is_hub_admin or not is_client_ref(ref):
            return ref
        return self.resolve(principal.tenant_id, ref)

    def resolve(self, tenant_id: str, tenant_ref: str) -> str:
        """The hub's internal ref behind the ref ``tenant_id`` was shown (inverse of
        ``present``). ``tenant_ref`` must be a client ref (64 lowercase hex)."""
        key, raw = self._key(tenant_id), bytes.fromhex(tenant_ref)
        left, right = raw[:16], raw[16:]
        for n in reversed(range(self.ROUNDS)):
            left, right = bytes(a ^ b for a, b in zip(right, self._round(key, n, left),
                                                      strict=True)), left
        return (left + right).hex()


class SharedRefs:
    """The refs as stored, shown to everyone (for tests and tools that want no scoping)."""

    def shown(self, principal: Principal, internal_ref: str | None) -> str | None:
        return internal_ref

    def given(self, principal: Principal, ref: str) -> str:
        return ref
