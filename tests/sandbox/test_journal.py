"""The request journal over HTTP: real calls on every Wish surface appear in GET /sandbox/api/requests with
their fields and masked credentials; every filter; paging; clearing (all, one tenant, a reset); verification
with count, at_least and near misses; bad filters refused naming the field."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import pytest
from starlette.testclient import TestClient
from wishpost_support import DEFAULT_WISHPOST_TOKEN, bearer, user_id

from mockwish.errors import message
from support import DEFAULT_TOKEN, SECOND_TOKEN, Wish, freeze

REQUESTS = "/sandbox/api/requests"
VERIFY = "/sandbox/api/requests/verify"
ISO_MS = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
SKU = "blue-shoe-11"
TRACK_XML = (f"<tracks><access_token>{DEFAULT_WISHPOST_TOKEN}</access_token><barcode>WS000000141SH</barcode>"
             "</tracks>").encode()


def listed(client: TestClient, **params: Any) -> dict[str, Any]:
    r = client.get(REQUESTS, params=params)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def entries(client: TestClient, **params: Any) -> list[dict[str, Any]]:
    return listed(client, limit=1000, **params)["requests"]  # type: ignore[no-any-return]


def verify(client: TestClient, **body: Any) -> dict[str, Any]:
    r = client.post(VERIFY, json=body)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def merchant_id(client: TestClient, username: str = "merchant@example.com") -> str:
    return next(m["id"] for m in client.get("/sandbox/api/merchants").json() if m["username"] == username)


def only(client: TestClient, **params: Any) -> dict[str, Any]:
    (entry,) = entries(client, **params)
    return entry


# ---- what is journaled ----------------------------------------------------------------------------------------

def test_a_merchant_get_is_journaled_with_every_field(client: TestClient, wish: Wish) -> None:
    at = freeze(client)
    r = wish.call("variant", "GET", sku=SKU)
    assert r.status_code == 200
    e = only(client)
    assert e["request_id"] == r.headers["wish-request-id"]
    assert ISO_MS.fullmatch(e["time"]) and e["mock_time"] == at.isoformat(timespec="milliseconds") + "Z"
    assert (e["surface"], e["method"], e["path"]) == ("merchant", "GET", "/api/v2/variant")
    assert e["query"] == {"sku": [SKU], "access_token": ["an_e…"]}
    assert e["headers"]["host"] == "testserver"
    assert (e["body"], e["body_truncated"], e["body_bytes"]) == (None, False, 0)
    assert (e["tenant"], e["status"], e["code"], e["fault"]) == (merchant_id(client), 200, 0, None)
    assert isinstance(e["latency_ms"], float) and e["latency_ms"] >= 0
    assert isinstance(e["id"], int)


def test_a_merchant_form_post_is_journaled_with_its_body_masked(client: TestClient, wish: Wish) -> None:
    wish.ok("variant/update-inventory", sku=SKU, inventory=7)
    e = only(client)
    assert (e["surface"], e["method"], e["path"]) == ("merchant", "POST", "/api/v2/variant/update-inventory")
    assert e["headers"]["content-type"] == "application/x-www-form-urlencoded"
    assert e["body"] == f"sku={SKU}&inventory=7&access_token=an_e…"
    assert e["body_bytes"] == len(f"sku={SKU}&inventory=7&access_token={DEFAULT_TOKEN}")
    assert DEFAULT_TOKEN not in str(e)


def test_a_merchant_json_post_and_its_error_code(client: TestClient) -> None:
    r = client.post("/api/v2/variant", json={"access_token": DEFAULT_TOKEN, "sku": "no-such-sku"})
    assert r.status_code == 400 and r.json()["code"] == 1004
    e = only(client)
    assert e["body"] == '{"access_token":"an_e…","sku":"no-such-sku"}'
    assert (e["status"], e["code"], e["tenant"]) == (400, 1004, merchant_id(client))


def test_a_merchant_xml_answer_gives_its_code(client: TestClient, wish: Wish) -> None:
    r = wish.call("variant", "GET", sku="no-such-sku", format="xml")
    assert "xml" in r.headers["content-type"]
    assert only(client)["code"] == 1004


def test_a_merchant_oauth_call_is_journaled_with_its_header_masked(client: TestClient, wish: Wish) -> None:
    assert wish.call("/api/v3/oauth/test", "GET", bearer=True).status_code == 200
    e = only(client)
    assert (e["surface"], e["path"], e["code"]) == ("merchant-oauth", "/api/v3/oauth/test", 0)
    assert e["headers"]["authorization"] == "Bearer an_e…"
    assert e["tenant"] == merchant_id(client)


def test_a_wishpost_v3_call_is_journaled(client: TestClient) -> None:
    r = client.post("/wishpost/api/v3/account_info", headers=bearer(DEFAULT_WISHPOST_TOKEN), json={})
    assert r.status_code == 200 and r.json()["code"] == 0
    e = only(client)
    assert (e["surface"], e["method"], e["path"]) == ("wishpost", "POST", "/wishpost/api/v3/account_info")
    assert e["headers"]["authorization"] == "Bearer an_e…"
    assert (e["tenant"], e["status"], e["code"]) == (user_id(client, DEFAULT_WISHPOST_TOKEN), 200, 0)


def test_a_wishpost_xml_call_is_journaled_with_its_token_masked(client: TestClient) -> None:
    r = client.post("/wishpost/api/v2/tracking", content=TRACK_XML)
    assert r.status_code == 200
    e = only(client)
    assert (e["surface"], e["path"], e["code"]) == ("wishpost-xml", "/wishpost/api/v2/tracking", 0)
    assert e["body"] == TRACK_XML.decode().replace(DEFAULT_WISHPOST_TOKEN, "an_e…")
    assert e["tenant"] == user_id(client, DEFAULT_WISHPOST_TOKEN)


def test_an_unauthenticated_call_has_no_tenant(client: TestClient, wish: Wish) -> None:
    r = wish.as_("not-a-token").call("variant", "GET", sku=SKU)
    e = only(client)
    assert e["tenant"] is None and e["status"] == r.status_code and e["code"] == r.json()["code"] != 0
    assert e["query"]["access_token"] == ["not-…"]


def test_sandbox_and_health_calls_are_never_journaled(client: TestClient, wish: Wish) -> None:
    wish.ok("variant", "GET", sku=SKU)
    client.get("/healthz")
    client.get("/sandbox/api/clock")
    client.post("/sandbox/api/clock", json={"advance_seconds": 1})
    client.get(REQUESTS)
    client.post(VERIFY, json={})
    assert [e["path"] for e in entries(client)] == ["/api/v2/variant"]


def test_a_faulted_request_shows_its_fault(client: TestClient, wish: Wish) -> None:
    r = client.get("/api/v2/variant", params={"access_token": DEFAULT_TOKEN, "sku": SKU},
                   headers={"Mockwish-Fault": "status=503"})
    assert r.status_code == 503
    e = only(client)
    assert e["status"] == 503 and e["fault"] is not None


def test_a_disabled_journal_records_nothing_and_says_so(client: TestClient, wish: Wish) -> None:
    journal = client.app.state.ctx.journal  # type: ignore[attr-defined]
    journal.enabled = False  # as MOCKWISH_JOURNAL_ENABLED=false builds it
    try:
        wish.ok("auth_test", "GET")
        assert listed(client) == {"requests": [], "total": 0, "dropped": 0, "enabled": False}
    finally:
        journal.enabled = True


# ---- filters and paging -----------------------------------------------------------------------------------

def traffic(client: TestClient, wish: Wish) -> dict[str, str]:
    """One call of each surface, and an error; the request id of each, by name."""
    rid: dict[str, str] = {}
    rid["get"] = wish.call("variant", "GET", sku=SKU).headers["wish-request-id"]
    rid["error"] = wish.call("variant", "POST", sku="no-such-sku").headers["wish-request-id"]
    rid["other"] = wish.as_(SECOND_TOKEN).call("auth_test", "GET").headers["wish-request-id"]
    rid["oauth"] = wish.call("/api/v3/oauth/test", "GET", bearer=True).headers["wish-request-id"]
    rid["v3"] = client.post("/wishpost/api/v3/account_info",
                            json={"access_token": DEFAULT_WISHPOST_TOKEN}).headers["wish-request-id"]
    rid["xml"] = client.post("/wishpost/api/v2/tracking", content=TRACK_XML).headers["wish-request-id"]
    return rid


FILTERS: list[tuple[dict[str, Any], list[str]]] = [
    ({}, ["xml", "v3", "oauth", "other", "error", "get"]),
    ({"surface": "merchant"}, ["oauth", "other", "error", "get"]),  # the family, as fault rules match it
    ({"surface": "merchant-oauth"}, ["oauth"]),
    ({"surface": "wishpost"}, ["xml", "v3"]),
    ({"surface": "wishpost-xml"}, ["xml"]),
    ({"method": "get"}, ["oauth", "other", "get"]),
    ({"method": "POST"}, ["xml", "v3", "error"]),
    ({"path": "/api/v2/variant"}, ["error", "get"]),
    ({"path": "/wishpost/*"}, ["xml", "v3"]),
    ({"path": "*/oauth/*"}, ["oauth"]),
    ({"code": 1004}, ["error"]),
    ({"status": 400}, ["error"]),
    ({"code": 0, "surface": "wishpost"}, ["xml", "v3"]),
]


@pytest.mark.parametrize(("params", "expected"), FILTERS)
def test_each_filter(client: TestClient, wish: Wish, params: dict[str, Any], expected: list[str]) -> None:
    rid = traffic(client, wish)
    answer = listed(client, **params)
    assert [e["request_id"] for e in answer["requests"]] == [rid[name] for name in expected]
    assert answer["total"] == len(expected) and answer["dropped"] == 0 and answer["enabled"] is True


def test_filter_by_tenant_and_request_id(client: TestClient, wish: Wish) -> None:
    rid = traffic(client, wish)
    ours = [e["request_id"] for e in entries(client, tenant=merchant_id(client))]
    assert ours == [rid["oauth"], rid["error"], rid["get"]]
    assert [e["request_id"] for e in entries(client, tenant=merchant_id(client, "second@example.com"))] == [
        rid["other"]]
    assert [e["request_id"] for e in entries(client, tenant=user_id(client, DEFAULT_WISHPOST_TOKEN))] == [
        rid["xml"], rid["v3"]]
    assert only(client, request_id=rid["v3"])["path"] == "/wishpost/api/v3/account_info"


def test_filter_by_real_and_mock_time(client: TestClient, wish: Wish) -> None:
    at = freeze(client)
    wish.ok("variant", "GET", sku=SKU)
    client.post("/sandbox/api/clock", json={"advance_seconds": 3600})
    wish.ok("auth_test", "GET")
    first, second = sorted(entries(client), key=lambda e: e["id"])
    later = (at + timedelta(minutes=30)).isoformat() + "Z"
    assert [e["path"] for e in entries(client, mock_since=later)] == ["/api/v2/auth_test"]
    assert [e["path"] for e in entries(client, mock_until=later)] == ["/api/v2/variant"]
    # real time: the first entry's own instant is included (bounds are), a minute later nothing
    assert len(entries(client, since=first["time"])) == 2
    assert entries(client, since=second["time"])[0]["id"] == second["id"]
    real_later = datetime.fromisoformat(second["time"].removesuffix("Z")) + timedelta(minutes=1)
    assert entries(client, since=real_later.isoformat() + "+00:00") == []
    assert len(entries(client, until=real_later.isoformat())) == 2


def test_paging_newest_first(client: TestClient, wish: Wish) -> None:
    for n in range(5):
        wish.ok("variant/update-inventory", sku=SKU, inventory=n)
    page = listed(client, start=1, limit=2)
    assert page["total"] == 5
    assert [e["body"].split("inventory=")[1].split("&")[0] for e in page["requests"]] == ["3", "2"]
    assert listed(client, start=10)["requests"] == []
    ids = [e["id"] for e in entries(client)]
    assert ids == sorted(ids, reverse=True)


def test_the_ring_reports_what_it_dropped(client: TestClient, wish: Wish) -> None:
    journal = client.app.state.ctx.journal  # type: ignore[attr-defined]
    wish.ok("auth_test", "GET")
    for n in range(journal.capacity + 2):  # fill the ring past its capacity, cheaply
        journal.record(real=0.0, mock=datetime(2024, 1, 1), surface="merchant", method="GET", path="/api/v2/x",
                       query=b"", headers=[], body=None, tenant=None, status=200, response_body=None,
                       content_type=None, latency_ms=0.0, request_id=f"r{n}", fault=None)
    answer = listed(client, limit=1)
    assert answer["total"] == journal.capacity and answer["dropped"] == 3
    assert answer["requests"][0]["request_id"] == f"r{journal.capacity + 1}"
    assert listed(client, path="/api/v2/auth_test")["total"] == 0  # the oldest went first


# ---- clearing ----------------------------------------------------------------------------------------------

def test_delete_clears_everything(client: TestClient, wish: Wish) -> None:
    traffic(client, wish)
    r = client.delete(REQUESTS)
    assert r.status_code == 200 and r.json() == {"cleared": 6, "tenant": None}
    assert listed(client) == {"requests": [], "total": 0, "dropped": 0, "enabled": True}


def test_delete_clears_one_tenant(client: TestClient, wish: Wish) -> None:
    rid = traffic(client, wish)
    mine = merchant_id(client)
    r = client.delete(REQUESTS, params={"tenant": mine})
    assert r.status_code == 200 and r.json() == {"cleared": 3, "tenant": mine}
    assert [e["request_id"] for e in entries(client)] == [rid["xml"], rid["v3"], rid["other"]]
    assert listed(client)["dropped"] == 0


def test_a_reset_clears_the_journal(client: TestClient, wish: Wish) -> None:
    wish.ok("auth_test", "GET")
    assert client.post("/sandbox/api/reset").status_code == 200
    assert listed(client)["total"] == 0


# ---- verification -------------------------------------------------------------------------------------------

def test_verify_count_and_at_least(client: TestClient, wish: Wish) -> None:
    for inventory in (3, 4):
        wish.ok("variant/update-inventory", sku=SKU, inventory=inventory)
    path = "/api/v2/variant/update-inventory"
    assert verify(client, path=path) == {"matched": True, "count": 2, "expected": {"path": path, "at_least": 1},
                                         "near_misses": []}
    assert verify(client, path=path, count=2)["matched"] is True
    assert verify(client, path=path, at_least=3)["matched"] is False
    answer = verify(client, path=path, count=1)
    assert answer["matched"] is False and answer["count"] == 2 and answer["expected"]["count"] == 1
    assert verify(client, path="/api/v2/order/fulfill-one", count=0)["matched"] is True  # never called
    assert verify(client, path=path, params={"sku": SKU, "inventory": 3}, count=1)["matched"] is True
    assert verify(client, surface="merchant", method="post", tenant=merchant_id(client), code=0,
                  status=200, params={"inventory": "4"}, count=1)["matched"] is True


def test_verify_matches_json_and_xml_body_params(client: TestClient) -> None:
    client.post("/api/v2/variant", json={"access_token": DEFAULT_TOKEN, "sku": SKU})
    client.post("/wishpost/api/v2/tracking", content=TRACK_XML)
    assert verify(client, path="/api/v2/variant", params={"sku": SKU}, count=1)["matched"] is True
    assert verify(client, surface="wishpost-xml", params={"barcode": "WS000000141SH"}, count=1)["matched"] is True


def test_verify_lists_the_near_misses_and_what_differed(client: TestClient, wish: Wish) -> None:
    wish.ok("variant/update-inventory", sku=SKU, inventory=3)
    wish.ok("variant", "GET", sku=SKU)
    wish.ok("auth_test", "GET")
    answer = verify(client, method="POST", path="/api/v2/variant/update-inventory", params={"inventory": 5})
    assert answer["matched"] is False and answer["count"] == 0
    misses = answer["near_misses"]
    assert [m["request"]["path"] for m in misses] == ["/api/v2/variant/update-inventory", "/api/v2/variant",
                                                      "/api/v2/auth_test"]
    assert misses[0]["differences"] == [{"field": "params.inventory", "expected": 5, "actual": "3"}]
    assert [d["field"] for d in misses[1]["differences"]] == ["method", "path", "params.inventory"]
    assert misses[1]["differences"][1] == {"field": "path", "expected": "/api/v2/variant/update-inventory",
                                           "actual": "/api/v2/variant"}
    assert DEFAULT_TOKEN not in str(answer)


def test_a_near_miss_on_a_token_param_stays_masked(client: TestClient, wish: Wish) -> None:
    wish.ok("auth_test", "GET")
    answer = verify(client, params={"access_token": "another_token"})
    assert answer["near_misses"][0]["differences"] == [
        {"field": "params.access_token", "expected": "another_token", "actual": "an_e…"}]


def test_verify_without_a_body_asks_for_any_request(client: TestClient, wish: Wish) -> None:
    r = client.post(VERIFY)
    assert r.status_code == 200 and r.json()["matched"] is False and r.json()["count"] == 0
    wish.ok("auth_test", "GET")
    assert client.post(VERIFY).json()["matched"] is True


# ---- bad filters ------------------------------------------------------------------------------------------

def refused(r: Any, field: str) -> str:
    """A 400 Wish envelope (code 1000 or 1001) whose message names the field."""
    assert r.status_code == 400, (r.status_code, r.text)
    body = r.json()
    assert body["code"] in (1000, 1001) and set(body) >= {"code", "data", "message"}, body
    assert field in body["message"], body
    return body["message"]  # type: ignore[no-any-return]


@pytest.mark.parametrize(("params", "field"), [
    ({"surface": "nope"}, "surface"),
    ({"limit": 0}, "limit"),
    ({"limit": 1001}, "limit"),
    ({"start": -1}, "start"),
    ({"status": 99}, "status"),
    ({"since": "yesterday"}, "since"),
    ({"mock_since": "2024-13-01"}, "mock_since"),
    ({"method": ""}, "method"),
])
def test_a_bad_query_filter_is_refused_naming_it(client: TestClient, params: dict[str, Any], field: str) -> None:
    refused(client.get(REQUESTS, params=params), field)


def test_a_query_filter_that_is_not_a_number_an_unknown_or_a_repeated_one(client: TestClient) -> None:
    assert refused(client.get(REQUESTS, params={"code": "abc"}), "code") == message(
        "invalid_param", value="abc", param="code")
    assert refused(client.get(REQUESTS, params={"paht": "/api/v2/x"}), "paht") == message(
        "unknown_field", param="paht")
    refused(client.get(f"{REQUESTS}?path=/a&path=/b"), "path")
    assert refused(client.delete(REQUESTS, params={"tenent": "x"}), "tenent") == message(
        "unknown_field", param="tenent")


@pytest.mark.parametrize(("body", "field"), [
    ({"surface": "nope"}, "surface"),
    ({"count": -1}, "count"),
    ({"at_least": -2}, "at_least"),
    ({"count": "1"}, "count"),
    ({"code": 1.5}, "code"),
    ({"since": "not a time"}, "since"),
    ({"pathh": "/api/v2/product"}, "pathh"),
    ({"params": {"sku": {"nested": 1}}}, "params"),
    ({"params": {"sku": None}}, "params"),
    ({"params": ["sku"]}, "params"),
])
def test_a_bad_verify_body_is_refused_naming_the_field(client: TestClient, body: dict[str, Any], field: str
                                                       ) -> None:
    refused(client.post(VERIFY, json=body), field)


def test_verify_refuses_count_with_at_least(client: TestClient) -> None:
    r = client.post(VERIFY, json={"path": "/api/v2/product", "count": 1, "at_least": 1})
    assert refused(r, "at_least") == message("invalid_field", param="at_least",
                                             reason="count and at_least exclude each other", value="1")


def test_the_journal_can_be_paused_and_resumed(client: TestClient) -> None:
    settings = client.get("/sandbox/api/requests/settings").json()
    assert settings == {"enabled": True, "capacity": 10_000, "body_bytes": 16_384}
    client.delete("/sandbox/api/requests")
    assert client.post("/sandbox/api/requests/settings", json={"enabled": False}).json()["enabled"] is False
    try:
        Wish(client).ok("auth_test", "GET")
        assert client.get("/sandbox/api/requests").json()["total"] == 0
    finally:
        assert client.post("/sandbox/api/requests/settings", json={"enabled": True}).json()["enabled"] is True
    Wish(client).ok("auth_test", "GET")
    assert client.get("/sandbox/api/requests").json()["total"] == 1
    for bad in ({"enabled": "no"}, {}, {"enabled": True, "size": 1}):
        r = client.post("/sandbox/api/requests/settings", json=bad)
        assert r.status_code == 400 and r.json()["code"] in (1000, 1001), r.text
