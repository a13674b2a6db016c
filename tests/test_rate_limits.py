"""Merchant API rate limits: headers on every answer, the documented 429, reset by the clock, quotas and
forced 429s through the sandbox API, exact counting under concurrency."""

from __future__ import annotations

import asyncio
from datetime import datetime

import httpx
import pytest
from fastapi import FastAPI
from starlette.testclient import TestClient

from mockwish.wire.ratelimit import RateLimiter
from support import DEFAULT_TOKEN, SECOND_TOKEN, Wish, freeze


@pytest.fixture(autouse=True)
def one_window(client: TestClient) -> None:
    """Counts are per clock window: a wall-clock minute turning mid-test would hand out a fresh quota."""
    freeze(client)


def merchant_id(client: TestClient, token: str) -> str:
    return next(m["id"] for m in client.get("/sandbox/api/merchants").json() if token in m["tokens"])


def set_quota(client: TestClient, token: str, quota: int, window: int = 60) -> str:
    mid = merchant_id(client, token)
    r = client.post("/sandbox/api/rate-limits", json={"merchant_id": mid, "quota": quota, "window_seconds": window})
    assert r.status_code == 200, r.text
    return mid


def test_remaining_header_on_every_answer(wish: Wish) -> None:
    first = wish.call("auth_test", "GET")
    second = wish.call("product", "GET", id="ffffffffffffffffffffffff")  # an error still counts and says so
    assert int(first.headers["wish-rate-limit-remaining"]) == 999
    assert second.status_code == 400 and int(second.headers["wish-rate-limit-remaining"]) == 998
    assert "wish-rate-limit-reset" not in first.headers


def test_unknown_token_has_no_tenant_and_no_header(wish: Wish) -> None:
    r = wish.call("auth_test", "GET", token="nobody")
    assert r.status_code == 401 and "wish-rate-limit-remaining" not in r.headers


def test_429_body_headers_and_reset_by_clock(client: TestClient, wish: Wish) -> None:
    client.post("/sandbox/api/clock", json={"freeze": True, "set": "2030-05-19T16:36:10Z"})
    set_quota(client, DEFAULT_TOKEN, 2)
    assert wish.call("auth_test", "GET").status_code == 200
    assert wish.call("auth_test", "GET").headers["wish-rate-limit-remaining"] == "0"
    r = wish.call("auth_test", "GET")
    assert r.status_code == 429
    assert r.json() == {"message": "Too many requests.", "code": 1056, "data": {}}
    assert r.headers["wish-rate-limit-remaining"] == "0"
    assert r.headers["wish-rate-limit-reset"] == "2030-05-19T16:37:00.000+00:00"
    assert r.headers["wish-request-id"]
    client.post("/sandbox/api/clock", json={"advance_seconds": 50})
    r = wish.call("auth_test", "GET")
    assert r.status_code == 200 and r.headers["wish-rate-limit-remaining"] == "1"


def test_limits_are_per_merchant(client: TestClient, wish: Wish, other: Wish) -> None:
    set_quota(client, DEFAULT_TOKEN, 1)
    assert wish.call("auth_test", "GET").status_code == 200
    assert wish.call("auth_test", "GET").status_code == 429
    assert other.call("auth_test", "GET").status_code == 200


def test_forced_429_then_back_to_normal(client: TestClient, wish: Wish) -> None:
    mid = merchant_id(client, DEFAULT_TOKEN)
    r = client.post("/sandbox/api/rate-limits", json={"merchant_id": mid, "force_429": 2})
    assert r.json()["forced"] == {mid: 2}
    assert [wish.call("auth_test", "GET").status_code for _ in range(3)] == [429, 429, 200]


def test_sandbox_and_health_are_never_limited(client: TestClient) -> None:
    client.post("/sandbox/api/rate-limits", json={"quota": 0})
    assert all(client.get("/sandbox/api/clock").status_code == 200 for _ in range(5))
    assert client.get("/healthz").status_code == 200
    assert Wish(client).call("auth_test", "GET").status_code == 429  # the default quota of 0 applies to v2


def test_reset_restores_defaults(client: TestClient, wish: Wish) -> None:
    set_quota(client, DEFAULT_TOKEN, 0)
    assert wish.call("auth_test", "GET").status_code == 429
    client.post("/sandbox/api/reset")
    assert wish.call("auth_test", "GET").status_code == 200
    limits = client.get("/sandbox/api/rate-limits").json()
    assert limits["overrides"] == [] and limits["default"]["quota"] == 1000


def test_control_api_errors(client: TestClient) -> None:
    for body in ({"force_429": 3}, {"quota": -1}, {"merchant_id": "short", "quota": 1}, {"window_seconds": 0}):
        r = client.post("/sandbox/api/rate-limits", json=body)
        assert r.status_code == 400 and r.json()["code"] in (1000, 1001), (body, r.text)


def test_exact_counts_under_concurrency(app: FastAPI, client: TestClient) -> None:
    set_quota(client, SECOND_TOKEN, 100)

    async def burst() -> list[int]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as ac:
            calls = [ac.get("/api/v2/auth_test", params={"access_token": SECOND_TOKEN}) for _ in range(200)]
            return [r.status_code for r in await asyncio.gather(*calls)]

    codes = client.portal.call(burst)  # on the serving loop, which owns the store  # type: ignore[union-attr]
    assert codes.count(200) == 100 and codes.count(429) == 100


def test_window_is_aligned_and_per_app() -> None:
    lim = RateLimiter(2, 60)
    t = datetime(2030, 1, 1, 0, 0, 59)
    assert [lim.hit("m", None, t).allowed for _ in range(3)] == [True, True, False]
    assert lim.hit("m", "app-1", t).allowed  # another app of the same merchant has its own count
    d = lim.hit("m", None, datetime(2030, 1, 1, 0, 1, 0))
    assert d.allowed and d.remaining == 1 and d.reset_at == datetime(2030, 1, 1, 0, 2, 0)
