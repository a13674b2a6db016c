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
            self._save()
            return self._frozen

    def unfreeze(self) -> datetime:
        with self._lock:
            if self._frozen is not None:
                self._offset = self._frozen - utcnow()
                self._frozen = None
                self._save()
            return self.now()

    def set(self, at: datetime) -> datetime:
        with self._lock:
            if self._frozen is not None:
                self._frozen = at
            else:
                self._offset = at - utcnow()
            self._save()
            return at

    def advance(self, seconds: float) -> datetime:
        with self._lock:
            delta = timedelta(seconds=seconds)
            if self._frozen is not None:
                self._frozen = self._frozen + delta
            else:
                self._offset += delta
            self._save()
            return self.now()

    def reset(self) -> None:
        with self._lock:
            self._offset = timedelta(0)
            self._frozen = None
            self._save()

    def state(self) -> dict[str, object]:
        return {"now": self.now().isoformat(timespec="milliseconds") + "Z", "frozen": self.frozen,
                "offset_seconds": self._offset.total_seconds()}
