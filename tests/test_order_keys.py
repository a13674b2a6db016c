"""The multi-get listing served from the merchant's OrderKeys (kept in the read cache and followed write by
write) pages exactly as the SQL index does, whatever changed the orders: the API's writes, the clock, raw
SQL, a generation run too large to follow, a rolled-back transaction."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Connection
from starlette.testclient import TestClient

from mockwish.merchant.orders import keys as order_keys
from mockwish.merchant.orders.keys import OrderKeys
from mockwish.merchant.orders.store import Listing
from support import Wish, freeze, on_store

TX = "/sandbox/api/transactions"


def mid(wish: Wish) -> str:
    return str(wish.ok("auth_test")["merchant_id"])


def api_ids(wish: Wish, **window: Any) -> list[str]:
    """Every order of the multi-get listing, page by page through the API (served from OrderKeys)."""
    out: list[str] = []
    while True:
        page = wish.ok("order/multi-get", "GET", start=len(out), limit=7, **window)
        out += [o["Order"]["order_id"] for o in page]
        if len(page) < 7:
            return out


def sql_ids(client: TestClient, merchant: str, since: datetime | None = None,
            upto: datetime | None = None) -> list[str]:
    return on_store(client, lambda conn: Listing.changed(since=since, upto=upto).ids(conn, merchant))


def index_of(client: TestClient, merchant: str) -> OrderKeys | None:
    cache = client.app.state.ctx.read_cache  # type: ignore[attr-defined]
    on_store(client, cache.sync)
    return cache.get(("order-keys", merchant))  # type: ignore[no-any-return]


def check_same(client: TestClient, wish: Wish, at: datetime) -> None:
    m = mid(wish)
    assert api_ids(wish) == sql_ids(client, m)
    since, upto = at - timedelta(days=3), at + timedelta(hours=1)
    assert api_ids(wish, since=since.strftime("%Y-%m-%dT%H:%M:%S"),
                   upto=upto.strftime("%Y-%m-%dT%H:%M:%S")) == sql_ids(client, m, since.replace(microsecond=0),
                                                                        upto.replace(microsecond=0))


def test_pages_follow_writes_the_clock_and_raw_sql(client: TestClient, wish: Wish, advance: Any) -> None:
    at = freeze(client)
    check_same(client, wish, at)
    index = index_of(client, mid(wish))
    assert index is not None and len(index.keys) == len(sql_ids(client, mid(wish)))
    rng = random.Random(7)
    approved = [o["Order"]["order_id"] for o in wish.ok("order/get-fulfill", "GET", limit=500)]
    for oid in rng.sample(approved, 4):
        advance(61)
        wish.ok("order/fulfill-one", id=oid, tracking_provider="USPS", tracking_number="9400100000000000000000",
                origin_country_code="CN")
        assert api_ids(wish)[-1] == oid  # moved to the end of the listing, without a rebuild
        assert index_of(client, mid(wish)) is index
    client.post(TX, json={"count": 3}, headers={"Authorization": f"Bearer {wish.token}"})
    advance(30 * 86400)  # the clock confirms tracking and releases orders: their last_updated moves
    on_store(client, lambda conn: conn.exec_driver_sql(
        "UPDATE orders SET last_updated = '2001-01-01 00:00:00.000000' WHERE id = ?", (approved[-1],)))
    ids = api_ids(wish)
    assert ids[0] == approved[-1] and ids == sql_ids(client, mid(wish))
    check_same(client, wish, at + timedelta(days=30))
    assert index_of(client, mid(wish)) is index  # followed all along


def test_a_deleted_order_leaves_the_listing(client: TestClient, wish: Wish) -> None:
    first = api_ids(wish)
    on_store(client, lambda conn: conn.exec_driver_sql("DELETE FROM orders WHERE id = ?", (first[3],)))
    assert api_ids(wish) == first[:3] + first[4:]


def test_too_many_changes_drop_the_index_and_it_comes_back(client: TestClient, wish: Wish,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(order_keys, "MAX_FOLLOWED", 5)
    api_ids(wish)
    assert index_of(client, mid(wish)) is not None
    r = client.post(TX, json={"count": 6}, headers={"Authorization": f"Bearer {wish.token}"})
    assert r.status_code == 200, r.text
    assert index_of(client, mid(wish)) is None
    assert api_ids(wish) == sql_ids(client, mid(wish))
    assert index_of(client, mid(wish)) is not None


def test_other_merchants_index_is_untouched(client: TestClient, wish: Wish, other: Wish) -> None:
    mine, theirs = api_ids(wish), api_ids(other)
    index = index_of(client, mid(other))
    oid = wish.ok("order/get-fulfill", "GET", limit=1)[0]["Order"]["order_id"]
    wish.ok("order/fulfill-one", id=oid, tracking_provider="USPS", tracking_number="9400100000000000000000",
            origin_country_code="CN")
    assert api_ids(other) == theirs and index_of(client, mid(other)) is index
    assert api_ids(wish) == [o for o in mine if o != oid] + [oid]


def test_a_rolled_back_write_leaves_nothing_behind(client: TestClient, wish: Wish) -> None:
    """A transaction that changed orders, let the cache follow them, then rolled back: the cache forgets
    what it read, so the listing is the committed one."""
    before = api_ids(wish)
    cache = client.app.state.ctx.read_cache  # type: ignore[attr-defined]

    def write_then_fail(conn: Connection) -> None:
        conn.exec_driver_sql("UPDATE orders SET last_updated = '2001-01-01 00:00:00.000000' WHERE id = ?",
                             (before[-1],))
        cache.sync(conn)  # the index follows the uncommitted change
        assert cache.get(("order-keys", mid_value)).keys[0][1] == before[-1]
        raise RuntimeError("the request failed after its write")

    mid_value = mid(wish)
    with pytest.raises(RuntimeError):
        on_store(client, write_then_fail)
    assert api_ids(wish) == before == sql_ids(client, mid_value)


def test_the_index_counts_in_the_cache_bytes(client: TestClient, wish: Wish) -> None:
    cache = client.app.state.ctx.read_cache  # type: ignore[attr-defined]
    api_ids(wish)
    index = index_of(client, mid(wish))
    assert index is not None and index.size >= order_keys.BYTES_PER_ORDER * len(index.keys)
    assert cache.bytes >= index.size


def test_bytes_per_order_is_what_the_index_holds() -> None:
    """BYTES_PER_ORDER is not a guess: an index of 5,000 orders holds about that much per order."""
    import tracemalloc

    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        # the strings are made here, as the driver makes them for each row read
        index = OrderKeys("m" * 24, [(f"2026-12-{1 + i % 28:02d} 10:00:{i % 60:02d}.{i:06d}", f"{i:024x}")
                                     for i in range(5000)])
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert len(index.keys) == 5000 and grown <= order_keys.BYTES_PER_ORDER * 5000 <= 1.2 * grown
