"""Use cases of the consent registry. Each service takes a unit-of-work factory and a clock."""

from consent.services.consents import ConsentService, ConsentSpec
from consent.services.woningen import BegeleideWoningService, WoningSpec

__all__ = ["BegeleideWoningService", "ConsentService", "ConsentSpec", "WoningSpec"]
