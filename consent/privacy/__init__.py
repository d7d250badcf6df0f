"""Hard privacy rules: no BSN, no medical data, dat-informatie only in regiecheck answers."""

from consent.errors import PrivacyViolation
from consent.privacy.dat_informatie import check_dat_informatie
from consent.privacy.findings import BSN, DAT_INFORMATIE, MEDICAL, Finding, Verdict
from consent.privacy.guard import PrivacyGuard

__all__ = [
    "BSN",
    "DAT_INFORMATIE",
    "MEDICAL",
    "Finding",
    "PrivacyGuard",
    "PrivacyViolation",
    "Verdict",
    "check_dat_informatie",
]
