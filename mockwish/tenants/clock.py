"""A tenant's clock: an offset from the global clock, or an instant of its own when the tenant freezes it.

Offsetting the global clock (not wall time) is what makes the global clock the default: freezing it freezes
every tenant that has not frozen itself, and moving it moves them all, while a tenant's own jump moves that
tenant alone (`reset` follows the global clock again). The state is kept in a file beside the tenant's
database, as the global clock's is; its state adds `offset_from_global_seconds`."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from mockwish.clock import Clock


class TenantClock(Clock):
    def __init__(self, base: Clock, state_file: Path | None = None) -> None:
        self.base = base
        super().__init__(state_file)

    def reference(self) -> datetime:
        return self.base.now()
