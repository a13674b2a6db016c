"""Scenarios through the sandbox API, as a test suite loads them: each shipped scenario as a tenant of its own
(and what it is for, over the API), POST /sandbox/api/scenarios into a new tenant, a tenant or the default data,
every problem of an invalid file answered at once with nothing changed, a tenant's reset bringing its scenario
back (controls included), and MOCKWISH_SCENARIO at start-up."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from mockwish.app import create_app
from mockwish.config import Settings
from mockwish.errors import REGISTRY
from mockwish.scenarios.errors import SCENARIO_INVALID
from support import DEFAULT_TOKEN, Wish

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "fixtures" / "scenarios"
TENANTS, SCENARIOS = "/sandbox/api/tenants", "/sandbox/api/scenarios"
INVALID = b"""merchants:
  - key: a
    tokens: [{token: t, scopes: [orders:read, nope]}]
    orders: [{count: 0, state: APPROVED}]
  - key: a
faults: [{probability: 2, status: 503}]
"""


def tenant_of(client: TestClient, scenario: Any, **extra: Any) -> dict[str, Any]:
    r = client.post(TENANTS, json={"scenario": scenario, **extra})
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


def post_scenario(client: TestClient, body: bytes, query: str = "", kind: str = "application/yaml") -> Any:
    return client.post(SCENARIOS + query, content=body, headers={"Content-Type": kind})


# ---- each shipped scenario, as a tenant -----------------------------------------------------------------------

def test_the_shipped_scenarios_are_listed(client: TestClient) -> None:
    listed = client.get(SCENARIOS).json()["scenarios"]
    assert [s["name"] for s in listed] == sorted(p.stem for p in SHIPPED.glob("*.yaml"))
    assert all(s["description"] for s in listed)
    schema = client.get(SCENARIOS + "/schema")
    assert schema.status_code == 200 and schema.json()["title"] == "mockwish scenario"


def test_empty_merchant(client: TestClient) -> None:
    t = tenant_of(client, "empty-merchant")
    assert t["data"] == "scenario" and t["merchant_id"] == t["id"]
    assert t["access_token"] == t["id"] + "empty_merchant_token"
    me = Wish(client, t["access_token"])
    assert me.ok("product/multi-get", "GET") == [] and me.ok("order/multi-get", "GET") == []
    assert me.ok("auth_test", "GET")["merchant_username"] == "empty@scenario.example"


def test_ten_orders_to_ship(client: TestClient) -> None:
    me = Wish(client, tenant_of(client, "ten-orders-to-ship")["access_token"])
    orders = me.ok("order/get-fulfill", "GET", limit=50)
    assert len(orders) == 10 and {o["Order"]["state"] for o in orders} == {"APPROVED"}
    order_id = orders[0]["Order"]["order_id"]
    me.ok("order/fulfill-one", id=order_id, tracking_provider="USPS", tracking_number="9400111899223344556677",
          origin_country_code="CN")
    assert me.ok("order", "GET", id=order_id)["Order"]["state"] == "SHIPPED"


def test_token_about_to_expire(client: TestClient) -> None:
    t = tenant_of(client, "token-about-to-expire")
    me = Wish(client, t["access_token"])
    assert me.ok("auth_test", "GET")["success"] is True
    client.post(f"{TENANTS}/{t['id']}/clock", json={"advance_seconds": 301})
    me.err("auth_test", REGISTRY["token_expired"].code, 401, "GET")
    Wish(client, t["id"] + "expiring_spare_token").ok("auth_test", "GET")
    Wish(client).ok("auth_test", "GET")  # the default data's clock did not move


def test_merchant_at_rate_limit(client: TestClient) -> None:
    t = tenant_of(client, "merchant-at-rate-limit")
    me = Wish(client, t["access_token"])
    for _ in range(5):
        me.err("auth_test", 1056, 429, "GET")
    assert me.call("auth_test", "GET").headers["Wish-Rate-Limit-Remaining"] == "19"  # then 20 a minute
    Wish(client).ok("auth_test", "GET")  # its quota is its own


def test_wishpost_parcels_in_transit(client: TestClient) -> None:
    t = tenant_of(client, "wishpost-parcels-in-transit")
    wp = t["wishpost"]
    assert wp["access_token"] == t["id"] + "transit_wishpost_token"
    r = client.get("/wishpost/api/v3/account_info", headers={"Authorization": f"Bearer {wp['access_token']}"})
    assert r.status_code == 200 and r.json()["code"] == 0, r.text
    assert t["scenario"]["wishpost_users"][0]["parcels"] == 7


def test_flaky_wish_faults_the_tenant_alone(client: TestClient) -> None:
    t = tenant_of(client, "flaky-wish", data="none")
    rules = client.get(f"{TENANTS}/{t['id']}/faults").json()["faults"]
    assert len(rules) == 2 and {r["tenant"] for r in rules} == {t["id"]}
    assert {r["probability"] for r in rules} == {0.05, 1.0} and all(r["latency_ms"] == [200, 800] for r in rules)
    assert t["scenario"]["faults"][0]["id"] == rules[0]["id"]
    client.delete(f"{TENANTS}/{t['id']}")
    assert client.get("/sandbox/api/faults").json()["faults"] == []


# ---- POST /sandbox/api/scenarios -------------------------------------------------------------------------

def test_a_yaml_or_json_file_into_a_new_tenant(client: TestClient) -> None:
    text = (SHIPPED / "ten-orders-to-ship.yaml").read_bytes()
    r = post_scenario(client, text)
    assert r.status_code == 201, r.text
    assert r.json()["access_token"].endswith("ten_orders_token")
    import yaml

    as_json = json.dumps(yaml.safe_load(text)).encode()
    r2 = post_scenario(client, as_json, kind="application/json")
    assert r2.status_code == 201 and r2.json()["id"] != r.json()["id"]
    assert len(client.get(TENANTS).json()["tenants"]) == 2


def test_into_a_tenant_and_into_the_default_data(client: TestClient) -> None:
    t = client.post(TENANTS, json={"data": "none"}).json()
    body = b"merchants: [{key: extra, tokens: [{token: extra_token}], products: {generate: 2}}]\n"
    r = post_scenario(client, body, f"?tenant={t['id']}")
    assert r.status_code == 200, r.text
    token = r.json()["scenario"]["merchants"][0]["tokens"][0]["token"]
    assert token == t["id"] + "extra_token"
    assert len(Wish(client, token).ok("product/multi-get", "GET")) == 2
    # under the tenant's path: the same
    r = client.post(f"{TENANTS}/{t['id']}/scenarios", content=body.replace(b"extra", b"other"),
                    headers={"Content-Type": "application/yaml"})
    assert r.status_code == 200, r.text
    assert r.json()["scenario"]["merchants"][0]["tokens"][0]["token"] == t["id"] + "other_token"
    r = post_scenario(client, body, "?into=default")
    assert r.status_code == 200
    assert Wish(client, "extra_token").ok("auth_test", "GET")["success"] is True
    # loaded into a live store, a scenario goes with a reset
    client.post("/sandbox/api/reset")
    Wish(client, "extra_token").err("auth_test", 4000, 401, "GET")
    client.post(f"{TENANTS}/{t['id']}/reset")
    Wish(client, token).err("auth_test", 4000, 401, "GET")


def test_every_problem_at_once_and_nothing_changed(client: TestClient) -> None:
    before = client.get("/sandbox/api/merchants").json()
    for query in ("", "?into=default"):
        r = post_scenario(client, INVALID, query)
        body = r.json()
        assert (r.status_code, body["code"]) == (400, 1000), r.text
        problems = body["data"]["problems"]
        where = {p["location"] for p in problems}
        assert {"merchants[0].orders[0].count", "faults[0].probability"} <= where, problems
        assert any("merchants[1]" in w or "key" in p["message"] for p in problems for w in [p["location"]])
        assert all(isinstance(p.get("line"), int) for p in problems)
        assert body["message"] == SCENARIO_INVALID.format(count=len(problems), first=_first(problems))
    assert client.get(TENANTS).json() == {"tenants": []}
    assert client.get("/sandbox/api/merchants").json() == before


def _first(problems: list[dict[str, Any]]) -> str:
    p = problems[0]
    return f"{p['location']} (line {p['line']}): {p['message']}"


def test_broken_syntax_and_bad_queries(client: TestClient) -> None:
    r = post_scenario(client, b"merchants: [\n  - key: a\n")
    assert r.status_code == 400 and r.json()["data"]["problems"][0].get("line"), r.text
    r = post_scenario(client, b'{"merchants": [}', kind="application/json")
    assert r.status_code == 400 and r.json()["code"] == 1000
    for query, status in (("?into=elsewhere", 400), (f"?tenant={'0' * 24}", 404), ("?tenant=x&into=default", 400)):
        r = post_scenario(client, b"merchants: []\n", query)
        assert r.status_code == status, (query, r.text)
    r = client.post(TENANTS, json={"scenario": "no-such-scenario"})
    assert (r.status_code, r.json()["code"]) == (404, 1004) and "ten-orders-to-ship" in r.json()["message"]
    r = client.post(TENANTS, json={"scenario": {"merchants": [{"key": "a", "colour": "red"}]}})
    assert r.status_code == 400 and r.json()["data"]["problems"][0]["location"] == "merchants[0].colour"


def test_the_store_refuses_what_is_taken(client: TestClient) -> None:
    body = b"merchants: [{key: a, username: twice@scenario.example, tokens: [{token: twice_token}]}]\n"
    assert post_scenario(client, body, "?into=default").status_code == 200
    r = post_scenario(client, body, "?into=default")
    assert r.status_code == 400 and {p["location"] for p in r.json()["data"]["problems"]} >= {
        "merchants[0].tokens[0].token"}, r.text


def test_a_tenants_reset_brings_its_scenario_back(client: TestClient) -> None:
    t = tenant_of(client, "merchant-at-rate-limit")
    me = Wish(client, t["access_token"])
    for _ in range(5):
        me.err("auth_test", 1056, 429, "GET")
    me.ok("auth_test", "GET")
    assert client.post(f"{TENANTS}/{t['id']}/reset").status_code == 200
    me.err("auth_test", 1056, 429, "GET")  # its forced 429s again, as the scenario says
    flaky = tenant_of(client, "flaky-wish", data="small")
    client.delete(f"{TENANTS}/{flaky['id']}/faults")
    assert client.get(f"{TENANTS}/{flaky['id']}/faults").json()["faults"] == []
    client.post(f"{TENANTS}/{flaky['id']}/reset")
    assert len(client.get(f"{TENANTS}/{flaky['id']}/faults").json()["faults"]) == 2


# ---- MOCKWISH_SCENARIO ----------------------------------------------------------------------------------

def _app(tmp_path: Path, scenario: Path | None) -> Any:
    return create_app(Settings(data_dir=tmp_path / "data", products_per_merchant=5, sandbox_allowed_hosts="testserver",
                               scenario=scenario))


def test_a_scenario_at_start_up_is_part_of_the_seeded_state(tmp_path: Path) -> None:
    app = _app(tmp_path, SHIPPED / "merchant-at-rate-limit.yaml")
    with TestClient(app) as c:
        me = Wish(c, "rate_limited_token")
        me.err("auth_test", 1056, 429, "GET")
        Wish(c, DEFAULT_TOKEN).ok("auth_test", "GET")  # the default data is there too
        c.post("/sandbox/api/reset")
        for _ in range(5):
            me.err("auth_test", 1056, 429, "GET")  # a reset: the scenario's controls again
        me.ok("auth_test", "GET")
    # a restart with the same scenario keeps the data; its controls come back
    with TestClient(_app(tmp_path, SHIPPED / "merchant-at-rate-limit.yaml")) as c:
        Wish(c, "rate_limited_token").err("auth_test", 1056, 429, "GET")
    # another scenario: the data is seeded again, with it
    with TestClient(_app(tmp_path, SHIPPED / "empty-merchant.yaml")) as c:
        Wish(c, "empty_merchant_token").ok("auth_test", "GET")
        Wish(c, "rate_limited_token").err("auth_test", 4000, 401, "GET")
    # none: the default data alone
    with TestClient(_app(tmp_path, None)) as c:
        Wish(c, "empty_merchant_token").err("auth_test", 4000, 401, "GET")


def test_an_invalid_scenario_stops_the_start(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(INVALID)
    with pytest.raises(SystemExit) as stopped:
        _app(tmp_path, bad)
    message = str(stopped.value)
    assert "merchants[0].orders[0].count" in message and "faults[0].probability" in message
