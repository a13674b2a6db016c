"""Cached product reads are never stale: any write, a sandbox reset, or another process's commit drops them."""

from __future__ import annotations

import sqlite3

from fastapi import FastAPI
from starlette.testclient import TestClient

from support import Wish

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
