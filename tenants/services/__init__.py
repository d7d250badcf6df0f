"""Use cases of the tenants package. Each service takes a unit-of-work factory and a clock."""

from tenants.services.keys import KeyService
from tenants.services.networks import NetworkService, NetworkSpec
from tenants.services.tenants import TenantService
from tenants.services.users import UserService

__all__ = ["KeyService", "NetworkService", "NetworkSpec", "TenantService", "UserService"]
