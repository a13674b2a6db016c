"""A cache of rendered reads, bounded in bytes, that drops exactly what a write changed.

Each entry carries tags (mockwish.store.changes): the product it renders, the order, or a merchant-wide
wildcard. Before a read looks anything up it calls `sync`: when the connection's `total_changes` moved since
the last look, the change feed says which rows changed and only their entries go (a product's entries go with
any change to it or its variants; another merchant's entries stay). A change the feed cannot account for (a
connection it does not watch), a sandbox reset or seed, and another process's commit (the timeline's
data_version check) empty the whole cache. So a read is never stale, and a write costs the readers of what
it changed only.

Some entries are kept up to date instead of dropped: an entry put with `follows=(kind, owner)` (an index of
every order of one merchant, say) gets the keys of that kind and owner that changed, and re-reads them
(`Follower.follow`); it goes only when it says it cannot follow (too many changes at once).

Bounded: entries are kept in least-recently-used order and the oldest go once their estimated size passes
`max_bytes` (an entry's size is its rendered JSON plus its bookkeeping: see entry_size)."""

from __future__ import annotations

import sqlite3
from collections import OrderedDict
from collections.abc import Hashable, Iterable
from typing import Any, Protocol

import orjson
from sqlalchemy import Connection

from mockwish.store.changes import ChangeFeed, Tag

ANY = "*"  # the key part of a merchant-wide tag: ("o", merchant_id, ANY) goes with any order of the merchant
DEFAULT_MAX_BYTES = 64 * 1024 * 1024


def kept_json(value: Any) -> bytes:
    """`value` as JSON bytes to keep: orjson's result holds on to its whole working buffer (16 KiB whatever
    the length, measured with tracemalloc), so what a cache keeps is copied to its exact size."""
    return bytes(memoryview(orjson.dumps(value)))


def entry_size(nbytes: int) -> int:
    """The estimated size of an entry holding `nbytes` of rendered JSON: entries keep bytes (the garbage
    collector then has nothing to walk in them), plus their key, tags and bookkeeping."""
    return nbytes + 400


class Follower(Protocol):
    def follow(self, conn: Connection, keys: set[str]) -> int | None:
        """Re-read `keys` (changed rows of the kind and owner followed) from the store as of now; the new size,
        or None to be dropped."""


class ReadCache:
    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.feed = ChangeFeed()
        self.max_bytes = max_bytes
        self.bytes = 0
        self._entries: OrderedDict[Hashable, tuple[Any, int, tuple[Tag, ...]]] = OrderedDict()
        self._by_tag: dict[Tag, set[Hashable]] = {}
        self._seen = -1  # the connection's total_changes at the last sync
        self._followers: dict[tuple[str, str], Hashable] = {}  # (kind, owner) -> the key of its follower entry

    def __len__(self) -> int:
        return len(self._entries)

    def invalidate(self) -> None:
        self._entries.clear()
        self._by_tag.clear()
        self._followers.clear()
        self.bytes = 0
        self.feed.drain()

    def sync(self, conn: Connection) -> None:
        """Drop what changed since the last sync; call before reading entries in a request."""
        raw = conn.connection.driver_connection
        changes = raw.total_changes  # type: ignore[union-attr]  # always a sqlite3.Connection here
        if changes == self._seen:
            return
        self._seen = changes
        if not self.feed.watches(raw):  # type: ignore[arg-type]  # always a sqlite3.Connection here
            # the first look at this connection (or a new one): watch it from now on, forget what came before
            try:
                self.feed.install(raw)  # type: ignore[arg-type]  # always a sqlite3.Connection here
            except sqlite3.Error:  # no tables yet: nothing to watch, nothing kept
                pass
            self.invalidate()
            return
        changed: dict[tuple[str, str], set[str]] = {}
        for kind, owner, key in self.feed.drain():
            if kind == "m":
                self.invalidate()
                return
            self._drop_tag((kind, owner, key))
            self._drop_tag((kind, owner, ANY))
            if (kind, owner) in self._followers:
                changed.setdefault((kind, owner), set()).add(key)
        for followed, keys in changed.items():
            self._follow(conn, self._followers[followed], keys)

    def _follow(self, conn: Connection, key: Hashable, keys: set[str]) -> None:
        found = self._entries.get(key)
        if found is None:  # trimmed while another follower grew
            return
        value, size, tags = found
        new_size = value.follow(conn, keys)
        if new_size is None:
            self._remove(key)
            return
        self._entries[key] = (value, new_size, tags)
        self.bytes += new_size - size
        self._trim()

    def get(self, key: Hashable) -> Any:
        found = self._entries.get(key)
        if found is None:
            return None
        self._entries.move_to_end(key)
        return found[0]

    def get_many(self, keys: Iterable[Hashable]) -> list[Any]:
        """`get` of each key (None where absent), in one call: a page of orders looks up a hundred."""
        entries, used = self._entries, self._entries.move_to_end
        out: list[Any] = []
        for key in keys:
            found = entries.get(key)
            if found is None:
                out.append(None)
            else:
                used(key)
                out.append(found[0])
        return out

    def put(self, conn: Connection, key: Hashable, value: Any, size: int, tags: Iterable[Tag],
            follows: tuple[str, str] | None = None) -> None:
        """Keep `value` (made from the store as of the last sync) unless the store changed since. With
        `follows` (a tag kind and owner), `value` is a Follower kept up to date with those rows' changes."""
        if conn.connection.driver_connection.total_changes != self._seen:  # type: ignore[union-attr]  # sqlite3
            return
        self._remove(key)
        tags = tuple(tags)
        self._entries[key] = (value, size, tags)
        self.bytes += size
        for tag in tags:
            self._by_tag.setdefault(tag, set()).add(key)
        if follows is not None:
            self._followers[follows] = key
        self._trim()

    def _trim(self) -> None:
        while self.bytes > self.max_bytes and self._entries:
            self._remove(next(iter(self._entries)))

    def _remove(self, key: Hashable) -> None:
        found = self._entries.pop(key, None)
        if found is None:
            return
        self.bytes -= found[1]
        if self._followers and key in self._followers.values():
            self._followers = {k: v for k, v in self._followers.items() if v != key}
        for tag in found[2]:
            keys = self._by_tag.get(tag)
            if keys is not None:
                keys.discard(key)
                if not keys:
                    del self._by_tag[tag]

    def _drop_tag(self, tag: Tag) -> None:
        for key in list(self._by_tag.get(tag, ())):
            self._remove(key)
