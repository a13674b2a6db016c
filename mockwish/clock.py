"""The one clock every part of mockwish reads. The sandbox API can freeze, set and advance it."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta


def utcnow() -> datetime:
    """Naive UTC wall time (all timestamps in the store are naive UTC, as Wish's are)."""
    return datetime.now(UTC).replace(tzinfo=None)


class Clock:
    """Wall time plus an offset, or a frozen instant. Thread-safe; cheap to read."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._offset = timedelta(0)
        self._frozen: datetime | None = None

    def now(self) -> datetime:
        frozen = self._frozen
        if frozen is not None:
            return frozen
        return utcnow() + self._offset

    @property
    def frozen(self) -> bool:
        return self._frozen is not None

    def freeze(self, at: datetime | None = None) -> datetime:
        with self._lock:
            self._frozen = at if at is not None else self.now()
            return self._frozen

    def unfreeze(self) -> datetime:
        with self._lock:
            if self._frozen is not None:
                self._offset = self._frozen - utcnow()
                self._frozen = None
            return self.now()

    def set(self, at: datetime) -> datetime:
        with self._lock:
            if self._frozen is not None:
                self._frozen = at
            else:
                self._offset = at - utcnow()
            return at

    def advance(self, seconds: float) -> datetime:
        with self._lock:
            delta = timedelta(seconds=seconds)
            if self._frozen is not None:
                self._frozen = self._frozen + delta
            else:
                self._offset += delta
            return self.now()

    def reset(self) -> None:
        with self._lock:
            self._offset = timedelta(0)
            self._frozen = None

    def state(self) -> dict[str, object]:
        return {"now": self.now().isoformat(timespec="milliseconds") + "Z", "frozen": self.frozen,
                "offset_seconds": self._offset.total_seconds()}
