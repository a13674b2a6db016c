"""A tenant's credentials, all derived from its id (so a reset or reseed keeps the ones a test holds), each
starting with that id: how a request finds its tenant (mockwish.tenants.registry). Light on purpose: the
sandbox answers them without loading the generators."""

from __future__ import annotations

import random
from dataclasses import dataclass

PASSWORD = "sandbox-password"


@dataclass(frozen=True)
class Credentials:
    """Everything a test needs to act as the tenant, derived from its id."""

    tenant_id: str
    access_token: str
    client_id: str
    client_secret: str
    username: str
    wishpost_user_id: str
    wishpost_token: str
    wishpost_api_key: str
    wishpost_client_id: str
    wishpost_client_secret: str
    wishpost_username: str
    carrier_key: str

    @classmethod
    def of(cls, tenant_id: str) -> Credentials:
        rng = random.Random(f"tenant-credentials:{tenant_id}")

        def hex_(bits: int) -> str:
            return f"{rng.getrandbits(bits):0{bits // 4}x}"

        short = tenant_id[-8:]
        return cls(tenant_id=tenant_id, access_token=tenant_id + hex_(128), client_id=tenant_id + hex_(64),
                   client_secret=hex_(128), username=f"merchant-{short}@tenant.example.com",
                   wishpost_user_id=hex_(96), wishpost_token=tenant_id + hex_(128),
                   wishpost_api_key=(tenant_id + hex_(128)).ljust(84, "0"), wishpost_client_id=tenant_id + hex_(64),
                   wishpost_client_secret=hex_(128), wishpost_username=f"wishpost-{short}@tenant.example.com",
                   carrier_key=tenant_id + hex_(64))
