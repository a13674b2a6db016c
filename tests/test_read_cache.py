"""Cached reads are never stale: a write drops the entries of what it changed (and only those), a sandbox reset
or another process's commit drops everything, and renders follow the mock's clock."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from starlette.testclient import TestClient

from mockwish.app import create_app
from mockwish.config import Settings
from support import Wish, freeze, minted_token, on_store

PID = "4ef2858a9795c776ce000120"


def name(wish: Wish) -> str:
    return wish.ok("product", "GET", id=PID)["Product"]["name"]


def test_write_through_the_api_is_seen(wish: Wish) -> None:
    assert name(wish) == name(wish) == "TEST!!!"
    wish.ok("product/update", id=PID, name="Renamed")
    assert name(wish) == "Renamed"
    wish.ok("variant/update-inventory", sku="Bottle", inventory=7)
    assert wish.ok("product", "GET", id=PID)["Product"]["variants"][0]["Variant"]["inventory"] == "7"


def test_reset_is_seen(client: TestClient, wish: Wish) -> None:
    wish.ok("product/update", id=PID, name="Renamed")
    assert name(wish) == "Renamed"
    client.post("/sandbox/api/reset")
    assert name(wish) == "TEST!!!"


def test_another_process_commit_is_seen(app: FastAPI, wish: Wish) -> None:
    assert name(wish) == "TEST!!!"
    other = sqlite3.connect(app.state.ctx.settings.db_path)
    other.execute("UPDATE product SET name = 'From outside' WHERE id = ?", (PID,))
    other.commit()
    other.close()
    assert name(wish) == "From outside"


def test_each_merchant_and_warehouse_has_its_own_entry(wish: Wish, other: Wish) -> None:
    assert name(wish) == "TEST!!!"
    other.err("product", 1004, method="GET", id=PID)  # the cache never answers across tenants
    std = wish.ok("product", "GET", id="123456789009876543211234")
    express = wish.ok("product", "GET", id="123456789009876543211234", warehouse_name="EXPRESS-US")
    assert std != express


# ---- targeted invalidation (issue 12): a write drops what it changed, and only that -----------------------

OTHER_PID = "123456789009876543211234"


def cached(client: TestClient, key: tuple[object, ...]) -> object:
    """The entry as the next read would find it (after it looked at what changed)."""
    cache = client.app.state.ctx.read_cache  # type: ignore[attr-defined]
    on_store(client, cache.sync)
    return cache.get(key)


def product_key(wish: Wish, pid: str) -> tuple[object, ...]:
    return ("product", wish.ok("auth_test")["merchant_id"], pid, None, None)


def test_a_write_drops_only_the_entries_of_what_it_changed(client: TestClient, wish: Wish, other: Wish) -> None:
    theirs = other.ok("product/multi-get", "GET", limit=1)[0]["Product"]["id"]
    for w, pid in ((wish, PID), (wish, OTHER_PID), (other, theirs)):
        w.ok("product", "GET", id=pid)
    assert all(cached(client, product_key(w, pid)) is not None
               for w, pid in ((wish, PID), (wish, OTHER_PID), (other, theirs)))
    wish.ok("variant/update-inventory", sku="Bottle", inventory=3)  # a variant of PID
    assert cached(client, product_key(wish, PID)) is None
    assert cached(client, product_key(wish, OTHER_PID)) is not None  # same merchant, other product: kept
    assert cached(client, product_key(other, theirs)) is not None  # other merchant: kept
    assert wish.ok("product", "GET", id=PID)["Product"]["variants"][0]["Variant"]["inventory"] == "3"


def test_a_write_by_any_code_path_is_seen(client: TestClient, wish: Wish) -> None:
    """The change feed is SQLite triggers, not a list of the store's functions: a write no function
    reports (raw SQL here) still drops its entries."""
    assert name(wish) == "TEST!!!"
    on_store(client, lambda conn: conn.exec_driver_sql("UPDATE product SET name = 'Raw' WHERE id = ?", (PID,)))
    assert name(wish) == "Raw"
    on_store(client, lambda conn: conn.exec_driver_sql("UPDATE variant SET enabled = 0 WHERE sku = 'Bottle'"))
    assert wish.ok("product", "GET", id=PID)["Product"]["variants"][0]["Variant"]["enabled"] == "False"


def test_a_merchant_change_drops_that_merchants_renders(client: TestClient, wish: Wish) -> None:
    wish.ok("product", "GET", id=PID)
    on_store(client, lambda conn: conn.exec_driver_sql(
        "UPDATE merchant SET localized_currency = 'EUR' WHERE username = 'merchant@example.com'"))
    assert cached(client, product_key(wish, PID)) is None


def variants(wish: Wish, pid: str, **params: str) -> list[dict[str, Any]]:
    return [v["Variant"] for v in wish.ok("product", "GET", id=pid, **params)["Product"]["variants"]]


def test_a_write_to_one_variant_renders_that_variant_alone(client: TestClient, wish: Wish,
                                                           monkeypatch: Any) -> None:
    """A product's variants are kept rendered one by one: the product's read after an inventory write renders
    the written variant again, and takes its others as they were."""
    from mockwish.merchant.catalogue import render

    rendered: list[str] = []
    real = render.variant
    monkeypatch.setattr(render, "variant", lambda v, *a, **k: rendered.append(v["id"]) or real(v, *a, **k))
    before = variants(wish, OTHER_PID)
    assert len(before) > 1 and len(rendered) == len(before)
    rendered.clear()
    sku, untouched = before[0]["sku"], before[1:]
    wish.ok("variant/update-inventory", sku=sku, inventory=41)
    after = variants(wish, OTHER_PID)
    assert rendered == [before[0]["id"]]
    assert after[0]["inventory"] == "41" and after[1:] == untouched
    rendered.clear()
    assert variants(wish, OTHER_PID) == after and rendered == []  # the product's own entry again


def test_variant_parts_follow_the_warehouse_the_condition_and_new_variants(client: TestClient, wish: Wish) -> None:
    pid = "123456789009876543211234"
    std = variants(wish, pid)
    express = variants(wish, pid, warehouse_name="EXPRESS-US")
    assert [v["id"] for v in std] == [v["id"] for v in express] and std != express  # each warehouse its own
    # a variant without a condition of its own shows its product's: the product's change is seen in each
    on_store(client, lambda conn: conn.exec_driver_sql(
        "UPDATE variant SET condition = NULL WHERE product_id = ?", (pid,)))
    assert {v["condition"] for v in variants(wish, pid)} == {"NEW"}  # rendered and kept with the product's
    wish.ok("product/update", id=pid, condition="USED")
    assert {v["condition"] for v in variants(wish, pid)} == {"USED"}
    parent = wish.ok("product", "GET", id=pid)["Product"]["parent_sku"]
    wish.ok("variant/add", parent_sku=parent, sku="fragment-new", inventory=5, price=3, shipping=1, size="XS")
    listed = variants(wish, pid)
    assert [v["id"] for v in listed[:-1]] == [v["id"] for v in std] and listed[-1]["sku"] == "fragment-new"


def test_orders_after_a_write_and_after_the_clock_moves(client: TestClient, wish: Wish, advance: Any) -> None:
    freeze(client)
    page = wish.ok("order/get-fulfill", "GET", limit=100)
    oid = page[0]["Order"]["order_id"]
    hours = int(page[0]["Order"]["hours_to_fulfill"])
    assert wish.ok("order", "GET", id=oid)["Order"]["state"] == "APPROVED"
    advance(2 * 3600 + 1)  # cached renders follow the clock: the countdown moves without any write
    assert int(wish.ok("order", "GET", id=oid)["Order"]["hours_to_fulfill"]) == max(0, hours - 2)
    wish.ok("order/fulfill-one", id=oid, tracking_provider="USPS", tracking_number="9400100000000000000000",
            origin_country_code="CN")
    assert wish.ok("order", "GET", id=oid)["Order"]["state"] == "SHIPPED"
    assert oid not in [o["Order"]["order_id"] for o in wish.ok("order/get-fulfill", "GET", limit=100)]
    changed = wish.ok("order/multi-get", "GET", limit=500)
    assert changed[-1]["Order"]["order_id"] == oid  # newly changed orders come last


def test_a_job_and_a_token_follow_the_clock(client: TestClient, wish: Wish, advance: Any) -> None:
    freeze(client)
    job = wish.ok("product/create-download-job")["job_id"]
    assert wish.ok("product/get-download-job-status", job_id=job)["status"] == "PENDING"
    advance(60)
    assert wish.ok("product/get-download-job-status", job_id=job)["status"] == "FINISHED"
    token = minted_token(client, ["products:read"])
    Wish(client, token).ok("product", "GET", id=PID)
    advance(31 * 86400)
    Wish(client, token).err("product", 1015, 401, "GET", id=PID)


def test_the_cache_is_bounded_in_bytes(tmp_path: Path) -> None:
    app = create_app(Settings(data_dir=tmp_path, products_per_merchant=40, read_cache_max_bytes=60_000,
                              sandbox_allowed_hosts="testserver"))
    with TestClient(app) as c:
        w = Wish(c)
        ids = [p["Product"]["id"] for p in w.ok("product/multi-get", "GET", limit=40)]
        first = w.ok("product", "GET", id=ids[0])
        for pid in ids:
            w.ok("product", "GET", id=pid)
        cache = app.state.ctx.read_cache
        assert 0 < cache.bytes <= 60_000 and 0 < len(cache) < len(ids)  # the oldest went first
        assert cached(c, product_key(w, ids[-1])) is not None and cached(c, product_key(w, ids[0])) is None
        assert w.ok("product", "GET", id=ids[0]) == first  # rendered again, the same


def test_kept_json_costs_its_length() -> None:
    """What the cache counts is what it holds: orjson's own result would keep a 16 KiB buffer for 1 KiB of JSON,
    so a cache bounded at 64 MB of JSON would hold over a gigabyte."""
    import tracemalloc

    from mockwish.store.read_cache import kept_json

    value = {"Order": {"order_id": "x" * 24, "product_name": "y" * 1000}}
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        kept = [kept_json(value) for _ in range(200)]
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert grown < 2 * sum(len(k) for k in kept)
