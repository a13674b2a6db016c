"""A cache of rendered reads that empties itself whenever the store may have changed: the SQLite
connection's `total_changes` (every insert, update and delete on it) and a generation bumped by
`invalidate`, which the sandbox calls on reset and seed (a snapshot restore moves no counter) and the
timeline calls when another process committed (`mockwish seed` or `generate` while serving: the timeline
reads SQLite's data_version before every request's reads). A write anywhere drops every entry, so a read
can never be stale; between writes, repeated reads skip the queries and the rendering."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from sqlalchemy import Connection

MAX_ENTRIES = 20_000  # rendered products and orders: a 10,000-order merchant's pages stay cached


class ReadCache:
    def __init__(self) -> None:
        self._entries: dict[Hashable, Any] = {}
        self._version: tuple[int, int] = (-1, -1)
        self._generation = 0

    def invalidate(self) -> None:
        self._generation += 1
        self._entries.clear()

    def _current(self, conn: Connection) -> tuple[int, int]:
        return (conn.connection.driver_connection.total_changes, self._generation)  # type: ignore[union-attr]  # driver_connection is typed Any | None; here always a sqlite3.Connection

    def get(self, conn: Connection, key: Hashable) -> Any:
        version = self._current(conn)
        if version != self._version:
            self._entries.clear()
            self._version = version
            return None
        return self._entries.get(key)

    def entries(self, conn: Connection) -> dict[Hashable, Any]:
        """The entries themselves, checked once against the store: for a read of many entities (a page of
        orders), whose misses it stores with `keep`. Empty when the store changed since they were made."""
        version = self._current(conn)
        if version != self._version:
            self._entries.clear()
            self._version = version
        return self._entries

    def keep(self, entries: dict[Hashable, Any], key: Hashable, value: Any) -> None:
        """Store into the dict `entries` answered (a no-op when it has been replaced by a full cache)."""
        if entries is self._entries:
            if len(self._entries) >= MAX_ENTRIES:
                self._entries.clear()
            self._entries[key] = value

    def put(self, conn: Connection, key: Hashable, value: Any) -> None:
        if self._current(conn) != self._version:  # the read itself changed something (a job settled)
            return
        if len(self._entries) >= MAX_ENTRIES:
            self._entries.clear()
        self._entries[key] = value
