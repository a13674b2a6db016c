"""The one clock every part of mockwish reads. The sandbox API can freeze, set and advance it.

Its state (offset from wall time, or the frozen instant) is kept in a small file of the data directory
when one is given: a restarted server goes on at the mock time its data was written at, and `mockwish
generate` run beside a serving mockwish stamps its orders with the server's mock time, not the wall's."""

from __future__ import annotations

import json
import os
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path


def utcnow() -> datetime:
    """Naive UTC wall time (all timestamps in the store are naive UTC, as Wish's are)."""
    return datetime.now(UTC).replace(tzinfo=None)


class Clock:
    """Wall time plus an offset, or a frozen instant. Thread-safe; cheap to read."""

    def __init__(self, state_file: Path | None = None) -> None:
        self._lock = threading.Lock()
        self._offset = timedelta(0)
        self._frozen: datetime | None = None
        self._file = state_file
        self._load()

    def _load(self) -> None:
        if self._file is None or not self._file.exists():
            return
        try:
            state = json.loads(self._file.read_text(encoding="utf-8"))
            self._offset = timedelta(seconds=float(state.get("offset_seconds", 0.0)))
            frozen = state.get("frozen_at")
            self._frozen = datetime.fromisoformat(frozen) if frozen else None
        except (OSError, ValueError, TypeError, OverflowError, AttributeError):
            self._offset, self._frozen = timedelta(0), None  # an unreadable file: wall time

    def _save(self) -> None:
        """Called with the lock held, after every change (sandbox calls: rare)."""
        if self._file is None:
            return
        state = {"offset_seconds": self._offset.total_seconds(),
                 "frozen_at": self._frozen.isoformat() if self._frozen is not None else None}
        try:
            self._file.parent.mkdir(parents=True, exist_ok=True)
            tmp = self._file.with_suffix(".tmp")
            tmp.write_text(json.dumps(state), encoding="utf-8")
            os.replace(tmp, self._file)
        except OSError:
            pass  # a read-only data dir: the clock still works, it is just not kept

    def reference(self) -> datetime:
        """What the offset is measured from: wall time here; the global clock for a tenant's (mockwish.tenants)."""
        return utcnow()

    def now(self) -> datetime:
        frozen = self._frozen
        if frozen is not None:
            return frozen
        return self.reference() + self._offset

    @property
    def frozen(self) -> bool:
        return self._frozen is not None

    def apply(self, *, reset: bool = False, at: datetime | None = None, freeze: bool | None = None,
              advance_seconds: float = 0.0) -> datetime:
        """Every change in one step, under one reading of the reference: back to it (reset), then land on
        `at`, freeze or unfreeze there, then move forward. Setting and freezing together lands exactly on
        `at` (two readings of wall time would freeze it at `at` plus the time between them)."""
        with self._lock:
            wall = self.reference()
            offset, frozen = (timedelta(0), None) if reset else (self._offset, self._frozen)
            current = frozen if frozen is not None else wall + offset
            if at is not None:
                current = at
            freeze_now = frozen is not None if freeze is None else freeze
            current += timedelta(seconds=advance_seconds)
            if freeze_now:
                self._frozen, self._offset = current, offset
            else:
                self._frozen, self._offset = None, current - wall
            self._save()
            return current

    def reset(self) -> None:
        self.apply(reset=True)

    def state(self) -> dict[str, object]:
        """What the sandbox reports, from one reading of wall time: the instant, whether it is frozen (and
        where), and the offset from wall time at this moment (a frozen clock's offset grows as wall time
        passes; it is computed now, never kept)."""
        with self._lock:
            wall, reference = utcnow(), self.reference()
            frozen = self._frozen
            now = frozen if frozen is not None else reference + self._offset
        state: dict[str, object] = {"now": iso_ms(now), "frozen": frozen is not None,
                                    "frozen_at": iso_ms(frozen) if frozen is not None else None,
                                    "offset_seconds": round((now - wall).total_seconds(), 3)}
        if type(self).reference is not Clock.reference:  # a tenant's: where it stands against the global clock
            state["offset_from_global_seconds"] = round((now - reference).total_seconds(), 3)
        return state


def iso_ms(at: datetime) -> str:
    return at.isoformat(timespec="milliseconds") + "Z"
