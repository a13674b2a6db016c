"""WishPost rate limits: the documented levels (4291 per user, 4292 per IP and user), the 429 body and
headers, reset by the clock, quotas and forced 429s through the sandbox API, exact counts under concurrency."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from starlette.testclient import TestClient
from wishpost_support import DEFAULT_WISHPOST_TOKEN, SECOND_WISHPOST_TOKEN, bearer, user_id

from mockwish.app import create_app
from mockwish.config import Settings
from mockwish.errors import message
from mockwish.wire.ratelimit import WISHPOST_IP_USER_30
from mockwish.wire.spec import spec
from mockwish.wishpost.ops import WishPostRouter, WPCall, mount_wishpost
from support import DEFAULT_TOKEN, Wish, freeze

TEST = "/wishpost/api/v3/oauth/test"


def limit(client: TestClient, **body: Any) -> dict[str, Any]:
    r = client.post("/sandbox/api/rate-limits", json=body)
    assert r.status_code == 200, r.text
    return r.json()


def call(client: TestClient, token: str = DEFAULT_WISHPOST_TOKEN):  # noqa: ANN201
    return client.get(TEST, headers=bearer(token))


def test_default_level_is_600_per_user_per_endpoint(client: TestClient) -> None:
    r = call(client)
    assert r.status_code == 200 and r.headers["wish-rate-limit-remaining"] == "599"
    assert client.get("/sandbox/api/rate-limits").json()["wishpost_default"] == 600
    assert "wish-rate-limit-remaining" not in call(client, "nope").headers  # no tenant, no count


def test_4291_body_headers_and_reset_by_clock(client: TestClient) -> None:
    client.post("/sandbox/api/clock", json={"freeze": True, "set": "2030-05-19T16:36:10Z"})
    uid = user_id(client, DEFAULT_WISHPOST_TOKEN)
    out = limit(client, wishpost_user_id=uid, quota=2)
    assert {"merchant_id": None, "app_id": None, "quota": 2, "window_seconds": 60,
            "wishpost_user_id": uid} in out["overrides"]
    assert [call(client).status_code for _ in range(2)] == [200, 200]
    r = call(client)
    body = r.json()
    assert r.status_code == 429 and body["code"] == 4291 and set(body) == {"timestamp", "message", "code"}
    assert body["message"] == ("This api can be called no more than 2 times per minute per user, please slow "
                               "down and call later")
    assert r.headers["wish-rate-limit-remaining"] == "0"
    assert r.headers["wish-rate-limit-reset"] == "2030-05-19T16:37:00.000+00:00" and r.headers["wish-request-id"]
    zh = client.get(TEST, params={"locale": "zh"}, headers=bearer(DEFAULT_WISHPOST_TOKEN)).json()["message"]
    assert zh == message("wp_rate_limited_4291", "zh", limit=2, per="minute", per_zh="分钟") and "2" in zh
    assert call(client, SECOND_WISHPOST_TOKEN).status_code == 200  # another user has its own count
    client.post("/sandbox/api/clock", json={"advance_seconds": 50})
    assert call(client).status_code == 200


def test_forced_429_then_back_to_normal(client: TestClient) -> None:
    uid = user_id(client, DEFAULT_WISHPOST_TOKEN)
    assert limit(client, wishpost_user_id=uid, force_429=2)["forced"] == {uid: 2}
    assert [call(client).status_code for _ in range(3)] == [429, 429, 200]
    assert Wish(client).call("auth_test", "GET").status_code == 200  # merchants are not affected


def test_xml_answers_429_in_status(client: TestClient) -> None:
    uid = user_id(client, DEFAULT_WISHPOST_TOKEN)
    limit(client, wishpost_user_id=uid, force_429=1)
    r = client.post("/wishpost/api/v2/auth_test",
                    content=f"<root><access_token>{DEFAULT_WISHPOST_TOKEN}</access_token></root>")
    assert r.status_code == 200 and "<status>4291</status>" in r.text and "per minute per user" in r.text


def test_sandbox_and_health_are_never_limited(client: TestClient) -> None:
    uid = user_id(client, DEFAULT_WISHPOST_TOKEN)
    limit(client, wishpost_user_id=uid, quota=0)
    assert call(client).status_code == 429
    assert all(client.get("/sandbox/api/wishpost/users").status_code == 200 for _ in range(5))
    assert client.get("/healthz").status_code == 200
    client.post("/sandbox/api/reset")
    assert call(client).status_code == 200 and client.get("/sandbox/api/rate-limits").json()["overrides"] == []


def test_control_api_errors(client: TestClient) -> None:
    uid = user_id(client, DEFAULT_WISHPOST_TOKEN)
    for body in ({"wishpost_user_id": "short", "quota": 1},
                 {"wishpost_user_id": uid, "merchant_id": uid, "quota": 1},
                 {"wishpost_user_id": uid, "quota": -1}):
        r = client.post("/sandbox/api/rate-limits", json=body)
        assert r.status_code == 400 and r.json()["code"] in (1000, 1001), (body, r.text)


def test_exact_counts_under_concurrency(app: FastAPI, client: TestClient) -> None:
    freeze(client)  # one window for the whole burst, whatever the wall clock does
    limit(client, wishpost_user_id=user_id(client, SECOND_WISHPOST_TOKEN), quota=100)

    async def burst() -> list[int]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as ac:
            calls = [ac.get(TEST, headers=bearer(SECOND_WISHPOST_TOKEN)) for _ in range(200)]
            return [r.status_code for r in await asyncio.gather(*calls)]

    codes = client.portal.call(burst)  # on the serving loop, which owns the store  # type: ignore[union-attr]
    assert codes.count(200) == 100 and codes.count(429) == 100


# ---- a documented IP+user level (order_status: 30/min), on an operation declared the way later WishPost
# endpoints declare theirs --------------------------------------------------------------------------------

probe = WishPostRouter("Probe")


@probe.op("/api/v3/probe_status", scope="user.order.read", spec=spec(), level=WISHPOST_IP_USER_30,
          summary="A probe with order_status's throttle")
def probe_status(call: WPCall) -> dict[str, Any]:
    return {"user_id": call.user_id}


@pytest.fixture(scope="module")
def probe_app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    data: Path = tmp_path_factory.mktemp("wp-probe")
    app = create_app(Settings(data_dir=data, products_per_merchant=0, sandbox_allowed_hosts="testserver"))
    mount_wishpost(app, [probe])
    return app


def test_4292_counts_per_ip_and_user(probe_app: FastAPI) -> None:
    with TestClient(probe_app) as c:
        freeze(c)  # one window for all 31 calls
    async def run() -> tuple[list[int], dict[str, Any], int, int]:
        def client(ip: str) -> httpx.AsyncClient:
            return httpx.AsyncClient(transport=httpx.ASGITransport(app=probe_app, client=(ip, 1234)),
                                     base_url="http://testserver")
        async with client("10.0.0.1") as a, client("10.0.0.2") as b:
            url = "/wishpost/api/v3/probe_status"
            codes = [(await a.get(url, headers=bearer(DEFAULT_WISHPOST_TOKEN))).status_code for _ in range(30)]
            over = await a.get(url, headers=bearer(DEFAULT_WISHPOST_TOKEN))
            other_ip = (await b.get(url, headers=bearer(DEFAULT_WISHPOST_TOKEN))).status_code
            other_user = (await a.get(url, headers=bearer(SECOND_WISHPOST_TOKEN))).status_code
            assert over.status_code == 429
            return codes, over.json(), other_ip, other_user

    codes, body, other_ip, other_user = asyncio.run(run())
    assert codes == [200] * 30 and (other_ip, other_user) == (200, 200)
    assert body["code"] == 4292 and body["message"] == (
        "This api can be called no more than 30 times per minute per ip and user, please slow down and call later")


def test_probe_scope_and_openapi(probe_app: FastAPI) -> None:
    with TestClient(probe_app) as c:
        r = c.post("/sandbox/api/wishpost/oauth/codes", json={"scopes": ["user.label.read"]},
                   headers=bearer(DEFAULT_WISHPOST_TOKEN)).json()
        token = c.get("/wishpost/api/v3/oauth/access_token", params={
            "client_id": r["client_id"], "client_secret": r["client_secret"], "code": r["code"]}).json()["access_token"]
        denied = c.get("/wishpost/api/v3/probe_status", headers=bearer(token))
        assert (denied.status_code, denied.json()["code"]) == (403, 1103)
        assert Wish(c, DEFAULT_TOKEN).call("auth_test", "GET").status_code == 200
        op = c.get("/openapi.json").json()["paths"]["/wishpost/api/v3/probe_status"]["get"]
        assert op["x-wish-scope"] == "user.order.read" and "429" in op["responses"] and "403" in op["responses"]


def test_two_levels_of_one_code_keep_their_own_quotas() -> None:
    """order_status (30) and tracking (300) are both IP+user (4292): whichever is called first, each keeps its
    documented quota (the quota cache once keyed them by code alone)."""
    from datetime import datetime

    from mockwish.wire.ratelimit import WISHPOST_IP_USER_30, WISHPOST_IP_USER_300, RateLimiter

    limiter = RateLimiter(1000, 60)
    now = datetime(2026, 12, 7, 10, 0, 0)
    assert limiter.level_quota("u", WISHPOST_IP_USER_300).limit == 300
    assert limiter.level_quota("u", WISHPOST_IP_USER_30).limit == 30
    for _ in range(30):
        assert limiter.hit_level("/api/v3/order_status", WISHPOST_IP_USER_30, "u", "1.2.3.4", now).allowed
    assert not limiter.hit_level("/api/v3/order_status", WISHPOST_IP_USER_30, "u", "1.2.3.4", now).allowed
    assert limiter.hit_level("/api/v2/tracking", WISHPOST_IP_USER_300, "u", "1.2.3.4", now).allowed
