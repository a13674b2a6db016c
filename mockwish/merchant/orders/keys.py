"""Every order of one merchant in the order of the multi-get listing (last_updated, then id), kept in the read
cache and followed write by write (mockwish.store.read_cache.Follower): a page anywhere in 100,000 orders is
two binary searches and a slice, not an index walk to its offset, and a write moves the orders it changed
instead of costing the next reader a rebuild."""

from __future__ import annotations

import sqlite3
from bisect import bisect_left, bisect_right, insort
from datetime import datetime
from operator import itemgetter

from sqlalchemy import Connection

from mockwish.merchant.orders.store import db_time

MAX_FOLLOWED = 512  # more orders changed at once (a generation run): the index is dropped and rebuilt on demand
FIRST_LOOK = 64  # pages without a change before a book is looked for (mockwish.merchant.orders.book)
BYTES_PER_ORDER = 240  # the key tuple, its two strings and the dict slot (tracemalloc: 232, tests/test_order_keys.py)
_WHEN = itemgetter(0)
_ALL = "SELECT last_updated, id FROM orders WHERE merchant_id = ? ORDER BY last_updated, id"
_ONE = "SELECT last_updated FROM orders WHERE id = ? AND merchant_id = ?"


def _raw(conn: Connection) -> sqlite3.Connection:
    return conn.connection.driver_connection  # type: ignore[return-value]  # always a sqlite3.Connection here


class OrderKeys:
    """(last_updated as stored, id) of each of the merchant's orders, sorted as SQLite sorts them (BINARY)."""

    __slots__ = ("merchant_id", "keys", "when", "pages", "next_book")

    def __init__(self, merchant_id: str, keys: list[tuple[str, str]]) -> None:
        self.merchant_id = merchant_id
        self.keys = keys
        self.when = {oid: lu for lu, oid in keys}
        # mockwish.merchant.orders.book: pages served without a book since the merchant's orders last changed,
        # and how many of them to wait for before the next look at whether one can be made
        self.pages = 0
        self.next_book = FIRST_LOOK

    @classmethod
    def load(cls, conn: Connection, merchant_id: str) -> OrderKeys:
        return cls(merchant_id, _raw(conn).execute(_ALL, (merchant_id,)).fetchall())

    @property
    def size(self) -> int:
        return 400 + BYTES_PER_ORDER * len(self.keys)

    def follow(self, conn: Connection, keys: set[str]) -> int | None:
        """Move each changed order to its place now (or out, when it is gone)."""
        if len(keys) > MAX_FOLLOWED:
            return None
        self.pages, self.next_book = 0, FIRST_LOOK  # a change: the book went with it; wait for quiet again
        raw = _raw(conn)
        for oid in keys:
            old = self.when.pop(oid, None)
            if old is not None:
                del self.keys[bisect_left(self.keys, (old, oid))]
            row = raw.execute(_ONE, (oid, self.merchant_id)).fetchone()
            if row is not None:
                insort(self.keys, (row[0], oid))
                self.when[oid] = row[0]
        return self.size

    def span(self, since: datetime | None, upto: datetime | None, start: int, count: int) -> tuple[int, int, int]:
        """(first, last, high): the positions [first, last) of `count` orders from `start` among those whose
        last_updated lies in [since, upto], which end at `high` (a next page exists when last < high)."""
        keys = self.keys
        low = bisect_left(keys, db_time(since), key=_WHEN) if since is not None else 0
        high = bisect_right(keys, db_time(upto), key=_WHEN) if upto is not None else len(keys)
        first = min(low + start, high)
        return first, min(first + count, high), high

    def ids(self, first: int, last: int) -> list[str]:
        return [oid for _, oid in self.keys[first:last]]
