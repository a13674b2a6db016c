"""A tenant's clock: an offset from the global clock, or an instant of its own when the tenant freezes it.

Offsetting the global clock (not wall time) is what makes the global clock the default: freezing it freezes
every tenant that has not frozen itself, and moving it moves them all, while a tenant's own jump moves that
tenant alone. The state is kept in a file beside the tenant's database, as the global clock's is."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from mockwish.clock import Clock, iso_ms, utcnow


class TenantClock(Clock):
    def __init__(self, base: Clock, state_file: Path | None = None) -> None:
        self.base = base
        super().__init__(state_file)  # _offset: from the global clock; _frozen: the tenant's own instant

    def now(self) -> datetime:
        frozen = self._frozen
        if frozen is not None:
            return frozen
        return self.base.now() + self._offset

    def apply(self, *, reset: bool = False, at: datetime | None = None, freeze: bool | None = None,
              advance_seconds: float = 0.0) -> datetime:
        """As Clock.apply, against one reading of the global clock: `reset` follows the global clock again
        (offset 0, not frozen)."""
        with self._lock:
            base = self.base.now()
            offset, frozen = (timedelta(0), None) if reset else (self._offset, self._frozen)
            current = frozen if frozen is not None else base + offset
            if at is not None:
                current = at
            freeze_now = frozen is not None if freeze is None else freeze
            current += timedelta(seconds=advance_seconds)
            if freeze_now:
                self._frozen, self._offset = current, offset
            else:
                self._frozen, self._offset = None, current - base
            self._save()
            return current

    def state(self) -> dict[str, object]:
        with self._lock:
            wall, base = utcnow(), self.base.now()
            frozen = self._frozen
            now = frozen if frozen is not None else base + self._offset
        return {"now": iso_ms(now), "frozen": frozen is not None,
                "frozen_at": iso_ms(frozen) if frozen is not None else None,
                "offset_seconds": round((now - wall).total_seconds(), 3),
                "offset_from_global_seconds": round((now - base).total_seconds(), 3)}
