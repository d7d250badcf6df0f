"""Value objects describing where a privacy rule was broken, never what was found."""

from __future__ import annotations

from dataclasses import dataclass

BSN = "privacy.bsn"
MEDICAL = "privacy.medical"
DAT_INFORMATIE = "privacy.dat_informatie"


@dataclass(frozen=True)
class Finding:
    """One breach: the rule, the JSON pointer of the value and the character span in it."""

    rule: str
    field: str
    span: tuple[int, int] | None = None

    def to_dict(self) -> dict:
        return {
            "rule": self.rule,
            "field": self.field,
            "span": [self.span[0], self.span[1]] if self.span is not None else None,
        }


@dataclass(frozen=True)
class Verdict:
    """All findings for one scanned value."""

    findings: tuple[Finding, ...] = ()

    @property
    def bsn(self) -> bool:
        return any(f.rule == BSN for f in self.findings)

    @property
    def medical(self) -> bool:
        return any(f.rule == MEDICAL for f in self.findings)

    @property
    def ok(self) -> bool:
        return not self.findings

    def to_dict(self) -> dict:
        return {
            "bsn": self.bsn,
            "medical": self.medical,
            "findings": [f.to_dict() for f in self.findings],
        }
