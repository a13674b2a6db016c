"""What happens on the mock's clock without a request asking for it: jobs finishing, orders released from
review, carriers confirming tracking. Each part keeps the next instant it has work at, so settling is one
comparison per part when nothing is due; every surface calls `settle` before it reads the store.
What the clock did is committed in a transaction of its own: a request that then fails (a bad token, a
documented error) must not roll back an order's release while the parts have moved past its instant.

The timeline is also where a commit by another process (`mockwish generate` or `mockwish seed` beside a
running server) is noticed, through SQLite's `data_version`: every part then looks at the store again, and
the listeners (the read cache) drop what they derived from it. The PRAGMA is asked only when the WAL-index
header moved since the last look (mockwish.store.commit_probe: one pread), that is after a commit by anybody."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from sqlalchemy import Connection

from mockwish.store.commit_probe import CommitProbe

if TYPE_CHECKING:
    from mockwish.store.owner import StoreOwner


class Part(Protocol):
    next_due: datetime  # the earliest instant it has work at (datetime.min: look at the store)

    def settle_due(self, conn: Connection, now: datetime) -> None: ...

    def reset(self) -> None: ...


class Timeline:
    def __init__(self, *parts: Part) -> None:
        self.parts: tuple[Part, ...] = parts
        self.listeners: list[Callable[[], None]] = []  # told of another process's commit
        self._data_version: int | None = None
        self._probe = CommitProbe()
        self._header: bytes | None = None  # the WAL-index header when _data_version was last known current

    def settle(self, owner: StoreOwner, now: datetime, defer: bool = False) -> None:
        """Settle what is due at `now` and commit it, before the request's own transaction. When nothing is
        due and nobody committed (nearly every request), that is one pread and a comparison per part; after a
        commit, one PRAGMA; no transaction either way."""
        raw = owner.raw(commit=False)  # a look that a pending batch (group commit) does not disturb
        header = self._probe.header(raw)  # read before the PRAGMA: a commit between the two shows next time
        if all(now < p.next_due for p in self.parts):
            if header is not None and header == self._header:
                return
            if self._version(raw) == self._data_version:
                self._header = header
                return
        try:
            with owner.begin(defer) as conn:  # defer: committed with the request's own work (group commit)
                self.settle_due(conn, now)
        except Exception:
            self.reset()  # whatever was half done is rolled back: look again next time
            raise
        self._header = header

    @staticmethod
    def _version(raw: sqlite3.Connection) -> int:
        return int(raw.execute("PRAGMA data_version").fetchone()[0])

    def settle_due(self, conn: Connection, now: datetime) -> None:
        """Settle inside the caller's transaction (for callers that commit it whatever happens)."""
        version = self._version(conn.connection.driver_connection)  # type: ignore[arg-type]  # always a sqlite3.Connection here
        if version != self._data_version:
            if self._data_version is not None:  # another connection committed since the last request
                self.reset()
                for listener in self.listeners:
                    listener()
            self._data_version = version
        for part in self.parts:
            part.settle_due(conn, now)

    def close(self) -> None:
        """The store goes away (a deleted tenant): let go of the file the probe reads."""
        self._probe.close()

    def reset(self) -> None:
        """After a reset or seed: every part recomputes its next due instant on the next settle."""
        self._header = None
        for part in self.parts:
            part.reset()
