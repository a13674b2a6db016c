"""A cache of rendered reads that empties itself whenever the store may have changed: the SQLite
connection's `total_changes` (every insert, update and delete on it), `PRAGMA data_version` (commits by
another process, e.g. `mockwish seed` while serving) and a generation the sandbox bumps on reset and seed
(a snapshot restore moves neither counter). A write anywhere drops every entry, so a read can never be
stale; between writes, repeated reads skip the queries and the rendering."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from sqlalchemy import Connection

MAX_ENTRIES = 4096


class ReadCache:
    def __init__(self) -> None:
        self._entries: dict[Hashable, Any] = {}
        self._version: tuple[int, int, int] = (-1, -1, -1)
        self._generation = 0

    def invalidate(self) -> None:
        self._generation += 1
        self._entries.clear()

    def _current(self, conn: Connection) -> tuple[int, int, int]:
        raw = conn.connection.driver_connection
        data_version = raw.execute("PRAGMA data_version").fetchone()[0]  # type: ignore[union-attr]
        return (raw.total_changes, data_version, self._generation)  # type: ignore[union-attr]

    def get(self, conn: Connection, key: Hashable) -> Any:
        version = self._current(conn)
        if version != self._version:
            self._entries.clear()
            self._version = version
            return None
        return self._entries.get(key)

    def put(self, conn: Connection, key: Hashable, value: Any) -> None:
        if self._current(conn) != self._version:  # the read itself changed something (a job settled)
            return
        if len(self._entries) >= MAX_ENTRIES:
            self._entries.clear()
        self._entries[key] = value
