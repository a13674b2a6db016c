"""The shipped scenarios loaded into the default data, then driven through HTTP as a client would, with the
scenario's own tokens."""

from __future__ import annotations

from typing import Any

from scenario_support import FIXTURES, load_into
from sqlalchemy import select
from starlette.testclient import TestClient

from mockwish.errors import REGISTRY
from mockwish.store.tables import WishPostParcel, table_of
from support import Wish, freeze, on_store


def test_ten_orders_to_ship_are_fulfillable(client: TestClient) -> None:
    applied = load_into(client, FIXTURES / "ten-orders-to-ship.yaml")
    shop = applied.merchants["shop"]
    assert len(shop.order_ids) == 10 and [t.token for t in shop.tokens] == ["ten_orders_token"]
    wish = Wish(client, "ten_orders_token")
    listed = wish.ok("order/get-fulfill", "GET", limit=50)
    assert sorted(o["Order"]["order_id"] for o in listed) == sorted(shop.order_ids)
    assert {o["Order"]["state"] for o in listed} == {"APPROVED"}
    assert {o["Order"]["sku"] for o in listed} <= {"MUG-BLUE-350", "MUG-BLUE-500", "TEE-CLASSIC-BLK-S",
                                                   "TEE-CLASSIC-BLK-M", "TEE-CLASSIC-BLK-L"}
    oid = shop.order_ids[0]
    wish.ok("order/fulfill-one", id=oid, tracking_provider="USPS", tracking_number="9400100000000000000000",
            origin_country_code="CN")
    assert wish.ok("order", "GET", id=oid)["Order"]["state"] == "SHIPPED"
    # the default merchant's data is untouched and does not see the scenario's orders
    assert Wish(client).err("order", 1004, id=oid)


def test_the_token_about_to_expire_expires_on_the_mock_clock(client: TestClient) -> None:
    freeze(client)
    applied = load_into(client, FIXTURES / "token-about-to-expire.yaml")
    tokens = {t.token: t for t in applied.merchants["expiring"].tokens}
    assert tokens["expiring_soon_token"].expires_at is not None and tokens["expiring_spare_token"].expires_at is None
    wish = Wish(client, "expiring_soon_token")
    assert wish.ok("auth_test", "GET")["merchant_id"] == applied.merchants["expiring"].id
    r = client.post("/sandbox/api/clock", json={"advance_seconds": 301})
    assert r.status_code == 200, r.text
    wish.err("auth_test", REGISTRY["token_expired"].code, method="GET")
    spare = Wish(client, "expiring_spare_token")
    assert spare.ok("auth_test", "GET")["merchant_id"] == applied.merchants["expiring"].id


def test_the_merchant_at_its_rate_limit_gets_429(client: TestClient) -> None:
    applied = load_into(client, FIXTURES / "merchant-at-rate-limit.yaml")
    busy = applied.merchants["busy"].id
    wish = Wish(client, "rate_limited_token")
    for _ in range(5):
        r = wish.call("auth_test", "GET")
        assert r.status_code == 429 and "Wish-Rate-Limit-Reset" in r.headers, r.text
    r = wish.call("auth_test", "GET")
    assert r.status_code == 200 and r.headers["Wish-Rate-Limit-Remaining"] == "19", r.text
    limits = client.get("/sandbox/api/rate-limits").json()
    assert {"merchant_id": busy, "app_id": None, "quota": 20, "window_seconds": 60,
            "wishpost_user_id": None} in limits["overrides"]
    assert Wish(client).call("auth_test", "GET").status_code == 200  # other merchants are not limited


def test_wishpost_parcels_in_transit_have_tracking(client: TestClient) -> None:
    applied = load_into(client, FIXTURES / "wishpost-parcels-in-transit.yaml")
    shipper, seller = applied.wishpost_users["shipper"], applied.merchants["seller"]
    assert shipper.merchant_id == seller.id and len(shipper.parcel_ids) == 7
    token = "transit_wishpost_token"
    r = client.post("/wishpost/api/v3/order_status", json={"access_token": token,
                                                           "wish_standard_tracking_ids": shipper.parcel_ids})
    assert r.status_code == 200 and r.json()["code"] == 0, r.text
    orders = r.json()["orders"]
    assert len(orders) == 7 and all(o["state_code"] in (6, 7, 8) for o in orders)  # accepted or later
    parcels = table_of(WishPostParcel)
    barcodes: list[Any] = on_store(client, lambda conn: [row[0] for row in conn.execute(
        select(parcels.c.barcode).where(parcels.c.id.in_(shipper.parcel_ids[:5])))])
    body = (f"<tracks><access_token>{token}</access_token><language>en</language>"
            + "".join(f"<track><barcode>{b}</barcode></track>" for b in barcodes) + "</tracks>")
    r = client.post("/wishpost/api/v2/tracking", content=body, headers={"content-type": "text/xml"})
    assert r.status_code == 200 and "<status>0</status>" in r.text, r.text
    assert r.text.count("<status_number>") >= 5 * 2  # every parcel in transit has scans already
    # the parcels ship the linked merchant's orders (8 APPROVED ones, one each)
    assert all(len(o["wish_transaction_ids"]) == 1 for o in orders)


def test_the_flaky_scenario_rules_are_listed(client: TestClient) -> None:
    applied = load_into(client, FIXTURES / "flaky-wish.yaml")
    rules = client.get("/sandbox/api/faults").json()["faults"]
    assert [r["id"] for r in rules] == applied.fault_ids == [f["id"] for f in applied.report()["faults"]]
    assert [(r["surface"], r.get("status"), r["latency_ms"], r["probability"]) for r in rules] == [
        ("merchant", 503, [200, 800], 0.05), ("merchant", None, [200, 800], 1.0)]
    assert all(r["tenant"] is None for r in rules)  # the default data: every caller


def test_in_a_tenant_every_fault_names_the_tenant(client: TestClient) -> None:
    from mockwish.scenarios.apply import Applied, apply_controls
    from mockwish.scenarios.load import load_path
    from mockwish.scenarios.model import Scenario

    ctx = client.app.state.ctx  # type: ignore[attr-defined]
    scenario = load_path(FIXTURES / "flaky-wish.yaml")
    assert isinstance(scenario, Scenario)
    ctx.tenant_id = "t-123"
    try:
        applied = ctx.owner.call(lambda: apply_controls(ctx, Applied(faults=list(scenario.faults))))
    finally:
        ctx.tenant_id = None
    rules = client.get("/sandbox/api/faults").json()["faults"]
    assert [r["id"] for r in rules] == applied.fault_ids and {r["tenant"] for r in rules} == {"t-123"}


def test_the_report_is_json_and_names_what_was_made(client: TestClient) -> None:
    import json

    applied = load_into(client, FIXTURES / "wishpost-parcels-in-transit.yaml")
    report = json.loads(json.dumps(applied.report()))
    assert report["merchants"][0]["key"] == "seller" and report["merchants"][0]["orders"] == 8
    assert report["merchants"][0]["tokens"][0] == {"token": "transit_merchant_token", "scopes": report[
        "merchants"][0]["tokens"][0]["scopes"], "expires_at": None}
    assert report["wishpost_users"][0]["parcels"] == 7 and report["controls_applied"] is True
    assert report["faults"] == [] and report["rate_limits"] == []


def test_a_tenant_prefix_starts_every_credential(client: TestClient) -> None:
    from scenario_support import parsed

    from mockwish.scenarios.apply import apply_rows

    ctx = client.app.state.ctx  # type: ignore[attr-defined]
    scenario = parsed("""
merchants:
  - key: m
    tokens: [{token: given}, {}]
apps:
  - {name: ERP, client_id: erp}
wishpost_users:
  - {key: u, api_key: key1}
""")

    def run() -> Any:
        with ctx.owner.begin() as conn:
            return apply_rows(conn, scenario, now=ctx.clock.now(), token_prefix="tp_", order_policy=ctx.order_policy,
                              seed=3)
    applied = ctx.owner.call(run)
    tokens = [t.token for t in applied.merchants["m"].tokens]
    assert tokens[0] == "tp_given" and tokens[1].startswith("tp_") and len(tokens[1]) == 3 + 32
    assert applied.apps[0].client_id == "tp_erp" and applied.wishpost_users["u"].api_key == "tp_key1"
    assert all(t.token.startswith("tp_") for t in applied.wishpost_users["u"].tokens)
