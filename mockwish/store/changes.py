"""What the live connection changed, row by row, whatever code path changed it: temporary triggers on the
tables that cached reads are made of call back into Python with a tag per changed row. The read cache drops
exactly the entries of those tags (mockwish.store.read_cache), so a write invalidates what it changed and
nothing else, and no write path can forget to say what it changed.

Tags: ("p", merchant_id, product_id) for a product or one of its variants, ("v", merchant_id, variant_id) for a
variant too (its own rendering is kept apart from its product's), ("o", merchant_id, order_id) for
an order, ("w", WishPost user id, parcel id) for a WishPost parcel or a charge posted on it, ("m", merchant_id,
merchant_id) for a merchant row (whose currency and warehouses every render of that merchant reads). Triggers are per
connection (TEMP): another process's commit fires none of them; the timeline notices those through SQLite's
data_version and the cache starts over."""

from __future__ import annotations

import sqlite3

Tag = tuple[str, str, str]

FUNCTION = "mockwish_changed"
# table -> its tags, each (tag kind, owner column, key column): the columns a changed row is tagged with
WATCHED: dict[str, tuple[tuple[str, str, str], ...]] = {
    "product": (("p", "merchant_id", "id"),),
    "variant": (("p", "merchant_id", "product_id"), ("v", "merchant_id", "id")),
    "orders": (("o", "merchant_id", "id"),),
    "merchant": (("m", "id", "id"),),
    "wishpost_parcel": (("w", "user_id", "id"),),
    "wishpost_charge": (("w", "user_id", "parcel_id"),),  # a posted charge changes what its parcel's renders show
}


def _triggers() -> list[str]:
    out = []
    for table, tags in WATCHED.items():
        for event, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
            calls = ", ".join(f"{FUNCTION}('{kind}', {row}.{owner}, {row}.{key})" for kind, owner, key in tags)
            out.append(f"CREATE TEMP TRIGGER IF NOT EXISTS mockwish_{table}_{event.lower()} AFTER {event} ON "
                       f"main.{table} BEGIN SELECT {calls}; END")
    return out


TRIGGERS = _triggers()


class ChangeFeed:
    """The tags of the rows changed on one connection since the last `drain`."""

    def __init__(self) -> None:
        self._tags: set[Tag] = set()
        self._installed: sqlite3.Connection | None = None

    def _changed(self, kind: str, owner: str, key: str) -> None:
        self._tags.add((kind, owner, key))

    def install(self, raw: sqlite3.Connection) -> None:
        """Watch `raw` (the live connection). Again after its main database was replaced by a page copy: the
        triggers of a table that was dropped and copied in anew go with it."""
        raw.create_function(FUNCTION, 3, self._changed, deterministic=False)
        for sql in TRIGGERS:
            raw.execute(sql)
        self._installed = raw

    def watches(self, raw: sqlite3.Connection) -> bool:
        return self._installed is raw

    def drain(self) -> set[Tag]:
        tags, self._tags = self._tags, set()
        return tags
