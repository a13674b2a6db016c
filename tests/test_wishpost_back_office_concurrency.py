"""The WishPost back office under real parallel clients, on a real server process: many creates of one bag
from the same parcels make exactly one bag, many cancels of one bag succeed exactly once, parallel statement
requests each get a job of their own, and none of it answers a 5xx."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import pytest
from wishpost_support import DEFAULT_WISHPOST_TOKEN, bearer

from mockwish.errors import message
from mockwish.wishpost.bags import errors as bag_errors
from server_process import Server, module_server

AUTH = bearer(DEFAULT_WISHPOST_TOKEN)
CLIENTS = 24


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from module_server(tmp_path_factory, "bo-concurrency")


def _parallel(calls: list[Any]) -> list[httpx.Response]:
    with ThreadPoolExecutor(CLIENTS) as pool:
        return list(pool.map(lambda call: call(), calls))


def _bag_codes(server: Server, count: int) -> list[str]:
    """Codes of Accepted parcels a new bag may take: those of a fresh sandbox bag, cancelled again."""
    r = httpx.post(f"{server.base}/sandbox/api/wishpost/bags", json={"count": count, "state": "cancelled"},
                   headers=AUTH, timeout=30)
    assert r.status_code == 200, r.text
    return list(r.json()["logistics_order_codes"])


def test_one_bag_from_parallel_creates(server: Server) -> None:
    codes = _bag_codes(server, 3)
    url = f"{server.base}/wishpost/api/v3/orders_bag/create"
    body = {"pickup_service": 9999, "hub_warehouse_code": 3001, "logistics_order_codes": codes}
    answers = _parallel([lambda: httpx.post(url, json=body, headers=AUTH, timeout=30)] * CLIENTS)
    assert all(r.status_code < 500 for r in answers)
    made = [r.json() for r in answers if r.json()["code"] == 0]
    assert len(made) == 1, Counter(r.json()["code"] for r in answers)
    for r in answers:
        if r.json()["code"] != 0:
            assert r.json()["failed_logistics_orders"] == {message(bag_errors.CODE_BAGGED): codes}


def test_one_cancel_from_parallel_cancels(server: Server) -> None:
    for _ in range(8):
        codes = _bag_codes(server, 1)
        created = httpx.post(f"{server.base}/wishpost/api/v3/orders_bag/create", headers=AUTH, timeout=30,
                             json={"pickup_service": 9999, "hub_warehouse_code": 3001, "logistics_order_codes": codes})
        bag = created.json()["bag_number"]
        url = f"{server.base}/wishpost/api/v3/orders_bag/cancel"
        answers = _parallel([partial(httpx.post, url, headers=AUTH, timeout=30, json={
            "bags": [{"bag_number": bag, "cancel_reason": f"reason {n}"}]}) for n in range(CLIENTS)])
        assert all(r.status_code < 500 for r in answers)
        assert [r.json()["code"] for r in answers].count(0) == 1
        assert {r.json()["failed_bags"][0]["fail_message"] for r in answers if r.json()["code"]} == {
            message(bag_errors.BAG_CANCELLED)}


def test_parallel_statements_each_get_their_job(server: Server, tmp_path: Path) -> None:
    stamp = httpx.get(f"{server.base}/wishpost/api/v3/oauth/test", headers=AUTH).json()["timestamp"]
    body = {"start_date": stamp[:10], "end_date": stamp[:10]}
    url = f"{server.base}/wishpost/api/v3/payment_statement/download"
    answers = _parallel([lambda: httpx.post(url, json=body, headers=AUTH, timeout=30)] * CLIENTS)
    assert all(r.status_code == 200 and r.json()["code"] == 0 for r in answers)
    assert len({r.json()["job_id"] for r in answers}) == CLIENTS
