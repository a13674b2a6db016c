"""Test transactions on demand: the generator (domain), POST /sandbox/api/transactions, the order hooks,
the seeded orders and `mockwish generate`."""

from __future__ import annotations

import re
import time
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, select
from starlette.testclient import TestClient
from typer.testing import CliRunner

from mockwish.app import build_context, create_app
from mockwish.cli import cli
from mockwish.config import Settings
from mockwish.merchant.orders import rules
from mockwish.merchant.orders.generate import generate
from mockwish.merchant.orders.rules import OrderPolicy
from mockwish.reference import accepted_carriers, iso_countries
from mockwish.store.tables import Merchant, Order
from support import DEFAULT_TOKEN, SECOND_TOKEN, WORLDWIDE_TOKEN, Wish, assert_envelope_error, freeze, on_store

ORDERS = Order.__table__  # type: ignore[attr-defined]
TX = "/sandbox/api/transactions"
IMAGE = re.compile(r"^https://contestimg\.wish\.com/api/webimage/[0-9a-f]{24}-normal\.jpg\?cache_buster=[0-9a-f]{32}$")


def _merchants(client: TestClient) -> dict[str, str]:
    """token -> merchant id"""
    return {t: m["id"] for m in client.get("/sandbox/api/merchants").json() for t in m["tokens"]}


def _tx(client: TestClient, token: str | None = DEFAULT_TOKEN, **body: Any) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    r = client.post(TX, json=body, headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


def _order(wish: Wish, order_id: str) -> dict[str, Any]:
    return wish.ok("order", "GET", id=order_id, show_original_shipping_detail="True")["Order"]


# ---- the domain function, without HTTP ----------------------------------------------------------------

def test_generated_rows_follow_the_rules(client: TestClient) -> None:
    ctx = client.app.state.ctx  # type: ignore[attr-defined]
    policy: OrderPolicy = ctx.order_policy
    mid = _merchants(client)[DEFAULT_TOKEN]
    now = datetime(2026, 6, 1, 12, 0, 0, 500000)

    def make(conn: Connection) -> tuple[Any, list[dict[str, Any]]]:
        made = generate(conn, merchant_id=mid, count=400, now=now, policy=policy, seed=3,
                        states={"APPROVED": 1, "SHIPPED": 1, "REFUNDED": 1, "REQUIRE_REVIEW": 1},
                        combined_share=0.3, wish_express_share=0.3, fbw_share=0.1, changed_address_share=0.1)
        query = select(ORDERS).where(ORDERS.c.id.in_(made.order_ids)).order_by(ORDERS.c.id)
        rows = [dict(r) for r in conn.execute(query).mappings()]
        ctx.orders.reset()  # as the sandbox does after generating: the order clock looks again
        ctx.orders.settle_due(conn, now)
        return made, rows
    made, rows = on_store(client, make)
    assert made.order_ids == sorted(made.order_ids) and len(set(made.order_ids)) == 400
    assert made.transaction_ids == sorted(made.transaction_ids)
    assert Counter(r["state"] for r in rows) == dict.fromkeys(rules.STATES, 100)
    shipped = [r for r in rows if r["state"] == "SHIPPED"]
    # the earliest instant the order clock acts at is the earliest the new orders scheduled
    assert ctx.orders.next_due == min([r["released_at"] for r in rows if r["state"] == "REQUIRE_REVIEW"]
                                      + [r["tracking_confirm_at"] for r in shipped if not r["tracking_confirmed"]]
                                      + [r["delivery_confirm_at"] for r in shipped if not r["delivery_confirmed"]])
    by_tx = Counter(r["transaction_id"] for r in rows)
    for r in rows:
        assert r["last_updated"] == now and r["order_time"] <= now
        assert r["cost"] == rules.merchant_share(r["price"], policy)
        assert r["shipping_cost"] == rules.merchant_share(r["shipping"], policy)
        assert r["is_combined_order"] == (by_tx[r["transaction_id"]] > 1)
        assert IMAGE.match(r["product_image_url"]) and r["product_id"] in r["product_image_url"]
        assert r["shipping_detail"]["country"] in iso_countries() and r["shipping_detail"]["street_address1"]
        assert 1 <= r["quantity"] <= 3 and r["currency_code"] == "USD"
        if r["state"] == "REQUIRE_REVIEW":
            assert r["released_at"] == now + policy.review
        else:
            assert r["order_time"] < r["released_at"] <= now
        if r["shipped_at"] is not None:
            assert r["released_at"] < r["shipped_at"] <= now and r["origin_country_code"] == "CN"
            assert r["shipping_provider"] in accepted_carriers() and " " not in r["tracking_number"]
            if r["state"] == "SHIPPED":
                assert r["tracking_confirm_at"] == r["shipped_at"] + policy.tracking_confirm
                assert r["tracking_confirmed"] == (r["tracking_confirm_at"] <= now)
                assert r["delivery_confirm_at"] == r["tracking_confirm_at"] + policy.delivery_confirm
                assert r["delivery_confirmed"] == (r["delivery_confirm_at"] <= now)
                # a scan still ahead is at least a tenth of its delay ahead: nothing moves right after generating
                for at, delay in ((r["tracking_confirm_at"], policy.tracking_confirm),
                                  (r["delivery_confirm_at"], policy.delivery_confirm)):
                    assert at <= now or at - now >= delay / 10
        if r["state"] == "REFUNDED":
            assert r["refunded_by"] == rules.REFUNDED_BY_MERCHANT and r["refunded_at"] <= now
            assert r["refund_amount"] == rules.buyer_total(r)
            assert r["merchant_responsible_amount"] == rules.order_total(r)
            assert r["refunded_reason"]
        if r["is_wish_express"]:
            assert r["we_required_delivery_date"] is not None
        if r["original_shipping_detail"]:
            assert r["original_shipping_detail"] != r["shipping_detail"]
    assert any(r["is_fbw"] and r["fbw_warehouse_code"] for r in rows)
    assert any(r["warehouse"].startswith("EXPRESS-") for r in rows)
    assert {r["state"] for r in rows if r["shipped_at"] and r["state"] == "REFUNDED"}  # refunds after shipping
    assert any(r["state"] == "REFUNDED" and r["shipped_at"] is None for r in rows)  # and before
    assert {r["delivery_confirmed"] for r in shipped} == {True, False}  # delivered parcels, and some on the way


# ---- POST /sandbox/api/transactions -------------------------------------------------------------------

def test_default_merchant_from_bearer_and_orders_served_by_the_api(client: TestClient, wish: Wish) -> None:
    at = freeze(client)
    out = _tx(client, count=5)
    assert out["merchant_id"] == _merchants(client)[DEFAULT_TOKEN] and out["count"] == 5
    assert len(out["order_ids"]) == 5 and out["order_ids"] == sorted(out["order_ids"])
    assert len(out["transaction_ids"]) == 5
    for oid in out["order_ids"]:
        o = _order(wish, oid)
        assert o["state"] == "APPROVED" and o["last_updated"] == at.strftime("%Y-%m-%dT%H:%M:%S")
        assert int(o["hours_to_fulfill"]) > 0 and "days_to_fulfill" in o
        assert IMAGE.match(o["product_image_url"]) and o["transaction_id"] in out["transaction_ids"]
        variant = wish.ok("variant", "GET", sku=o["sku"])["Variant"]
        assert variant["id"] == o["variant_id"] and variant["product_id"] == o["product_id"]
        assert float(o["price"]) == float(variant["price"])
        assert float(o["cost"]) == round(float(o["price"]) * 0.85, 2)
        assert o["ShippingDetail"]["country"] in iso_countries()
    # another merchant sees none of them
    assert wish.as_(SECOND_TOKEN).err("order", 1004, 400, "GET", id=out["order_ids"][0])


def test_merchant_id_in_body_and_local_currency(client: TestClient, other: Wish) -> None:
    second = _merchants(client)[SECOND_TOKEN]
    out = _tx(client, token=None, merchant_id=second, count=3, seed=5)
    assert out["merchant_id"] == second
    for oid in out["order_ids"]:
        o = other.ok("order", "GET", id=oid)["Order"]
        assert o["currency_code"] == "CNY"
        local = other.ok("variant", "GET", sku=o["sku"])["Variant"]["localized_price"]
        assert float(o["price"]) == float(local)


def test_state_mix_is_split_exactly(client: TestClient, wish: Wish) -> None:
    out = _tx(client, count=10, states={"APPROVED": 0.5, "SHIPPED": 0.3, "REFUNDED": 0.2}, seed=1)
    orders = [_order(wish, oid) for oid in out["order_ids"]]
    assert Counter(o["state"] for o in orders) == {"APPROVED": 5, "SHIPPED": 3, "REFUNDED": 2}
    for o in orders:
        if o["state"] == "SHIPPED":
            assert o["shipping_provider"] in accepted_carriers() and " " not in o["tracking_number"]
            assert o["tracking_confirmed"] in ("True", "False") and "days_to_fulfill" not in o
        if o["state"] == "REFUNDED":
            assert o["refunded_by"] == "REFUNDED BY MERCHANT" and o["refunds"]
    single = _tx(client, count=2, state="shipped")
    assert {_order(wish, oid)["state"] for oid in single["order_ids"]} == {"SHIPPED"}


def test_sku_filter_decrements_inventory_and_raises_num_sold(client: TestClient, wish: Wish) -> None:
    probe = _order(wish, _tx(client, count=1, seed=11)["order_ids"][0])
    sku, pid = probe["sku"], probe["product_id"]
    inventory = int(wish.ok("variant", "GET", sku=sku)["Variant"]["inventory"])
    sold = int(wish.ok("product", "GET", id=pid)["Product"]["number_sold"])
    out = _tx(client, count=4, sku=sku, state="APPROVED")
    orders = [_order(wish, oid) for oid in out["order_ids"]]
    assert {o["sku"] for o in orders} == {sku}
    units = sum(int(o["quantity"]) for o in orders)
    assert int(wish.ok("variant", "GET", sku=sku)["Variant"]["inventory"]) == max(0, inventory - units)
    assert int(wish.ok("product", "GET", id=pid)["Product"]["number_sold"]) == sold + units
    # refunded before shipping: the units come back (no net move)
    _tx(client, count=3, sku=sku, state="REFUNDED", refund_after_shipping_share=0)
    assert int(wish.ok("product", "GET", id=pid)["Product"]["number_sold"]) == sold + units
    by_product = _tx(client, count=2, product_id=pid)
    assert {_order(wish, oid)["product_id"] for oid in by_product["order_ids"]} == {pid}


def test_country(client: TestClient, wish: Wish) -> None:
    out = _tx(client, count=4, country="de")
    assert {_order(wish, oid)["ShippingDetail"]["country"] for oid in out["order_ids"]} == {"DE"}
    jp = _tx(client, token=WORLDWIDE_TOKEN, count=2, country="JP", seed=2)
    for oid in jp["order_ids"]:
        detail = wish.as_(WORLDWIDE_TOKEN).ok("order", "GET", id=oid)["Order"]["ShippingDetail"]
        assert detail["country"] == "JP" and re.match(r"^\d{3}-\d{4}$", detail["zipcode"]) and detail["state"]
    us = _tx(client, count=3, country="US", seed=4)
    for oid in us["order_ids"]:
        detail = _order(wish, oid)["ShippingDetail"]
        assert re.match(r"^[A-Z]{2}$", detail["state"]) and re.match(r"^\d{5}$", detail["zipcode"])
    gb = _order(wish, _tx(client, count=1, country="GB")["order_ids"][0])["ShippingDetail"]
    assert "state" not in gb


def test_combined_orders_share_a_transaction(client: TestClient, wish: Wish) -> None:
    out = _tx(client, count=12, combined_share=1.0, seed=8)
    orders = [_order(wish, oid) for oid in out["order_ids"]]
    groups: dict[str, list[dict[str, Any]]] = {}
    for o in orders:
        groups.setdefault(o["transaction_id"], []).append(o)
    assert set(groups) == set(out["transaction_ids"]) and len(groups) < 12
    for members in groups.values():
        assert 2 <= len(members) <= 4
        assert all(o["is_combined_order"] == "True" for o in members)
        assert len({o["buyer_id"] for o in members}) == 1
        assert len({tuple(sorted(o["ShippingDetail"].items())) for o in members}) == 1
    alone = _order(wish, _tx(client, count=1)["order_ids"][0])
    assert alone["is_combined_order"] == "False"


def test_wish_express_share(client: TestClient, wish: Wish) -> None:
    out = _tx(client, count=5, wish_express_share=1.0, seed=9)
    for oid in out["order_ids"]:
        o = _order(wish, oid)
        assert o["is_wish_express"] == "True" and o["we_required_delivery_date"]
        assert o["ShippingDetail"]["country"] in ("US", "CA", "FR", "ES", "GB", "DE")  # its EXPRESS-* warehouses


def test_same_seed_same_orders_new_ids(client: TestClient, wish: Wish) -> None:
    freeze(client)

    def content(out: dict[str, Any]) -> list[tuple[Any, ...]]:
        keep = ("sku", "quantity", "state", "price", "shipping", "order_time", "tracking_number")
        return [(tuple(o.get(k) for k in keep), tuple(sorted(o["ShippingDetail"].items())))
                for o in (_order(wish, oid) for oid in out["order_ids"])]

    body = {"count": 6, "states": {"APPROVED": 1, "SHIPPED": 1}, "combined_share": 0.5, "seed": 42}
    a, b = _tx(client, **body), _tx(client, **body)
    assert content(a) == content(b)
    assert not set(a["order_ids"]) & set(b["order_ids"]) and max(a["order_ids"]) < min(b["order_ids"])
    assert content(_tx(client, **{**body, "seed": 43})) != content(a)


@pytest.mark.parametrize(("body", "code"), [
    ({"count": 0}, 1000), ({"count": 10_001}, 1000), ({"count": "3"}, 1000), ({"states": {"PAID": 1}}, 1000),
    ({"states": {"APPROVED": -1}}, 1000), ({"states": {"APPROVED": 0}}, 1000),
    ({"state": "APPROVED", "states": {"SHIPPED": 1}}, 1000), ({"combined_share": 1.5}, 1000),
    ({"country": "ZZ"}, 1000), ({"bogus": 1}, 1000), ({"merchant_id": "0" * 24}, 1000),
    ({"sku": "no-such-sku"}, 1004), ({"product_id": "0" * 24}, 1004), ({"seed": -1}, 1000),
])
def test_bad_input_answers_a_wish_error(client: TestClient, body: dict[str, Any], code: int) -> None:
    r = client.post(TX, json=body, headers={"Authorization": f"Bearer {DEFAULT_TOKEN}"})
    assert r.status_code == 400, r.text
    assert assert_envelope_error(r)["code"] == code


def test_merchant_errors(client: TestClient) -> None:
    assert assert_envelope_error(client.post(TX, json={}))["code"] == 1001  # no merchant_id, no token
    r = client.post(TX, json={}, headers={"Authorization": "Bearer nope"})
    assert r.status_code == 401 and assert_envelope_error(r)
    r = client.post(TX, content=b"{not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and assert_envelope_error(r)
    # the second merchant does not ship to JP
    r = client.post(TX, json={"country": "JP"}, headers={"Authorization": f"Bearer {SECOND_TOKEN}"})
    assert r.status_code == 400 and assert_envelope_error(r)["code"] == 1000
    # a product buyers cannot order (not approved or disabled) is refused with a clear message
    from mockwish.store.tables import Product
    p = Product.__table__  # type: ignore[attr-defined]
    pending = on_store(client, lambda conn: conn.execute(
        select(p.c.id).where(p.c.review_status == "pending").limit(1)).scalar())
    body = assert_envelope_error(client.post(TX, json={"product_id": pending},
                                             headers={"Authorization": f"Bearer {DEFAULT_TOKEN}"}))
    assert body["code"] in (1000, 1004) and ("cannot order" in body["message"] or "No 'Product'" in body["message"])


def test_ten_thousand_orders(client: TestClient) -> None:
    started = time.perf_counter()
    out = _tx(client, token=WORLDWIDE_TOKEN, count=10_000, states={"APPROVED": 3, "SHIPPED": 1}, combined_share=0.2)
    elapsed = time.perf_counter() - started
    print(f"\n10,000 orders generated in {elapsed:.2f} s (HTTP, worldwide merchant)")
    assert out["count"] == 10_000 and len(set(out["order_ids"])) == 10_000


def test_multi_get_pages_each_order_once_while_generating(client: TestClient) -> None:
    freeze(client)  # nothing moves on the clock: every generated batch has the same last_updated
    worldwide = Wish(client, WORLDWIDE_TOKEN)
    first = _tx(client, token=WORLDWIDE_TOKEN, count=1200)
    seen: list[str] = []
    start, generated = 0, list(first["order_ids"])
    while True:
        data = worldwide.ok("order/multi-get", "GET", start=start, limit=500)
        seen += [o["Order"]["order_id"] for o in data]
        if len(data) < 500:
            break
        start += 500
        if len(generated) < 2400:  # a client polls while the sandbox keeps generating
            generated += _tx(client, token=WORLDWIDE_TOKEN, count=400)["order_ids"]
    assert len(seen) == len(set(seen))
    assert set(generated) <= set(seen)


# ---- seeded orders ----------------------------------------------------------------------------------------

def test_seed_holds_every_state_for_every_merchant(client: TestClient, wish: Wish) -> None:
    summary = client.get("/sandbox/api/orders").json()["merchants"]
    assert len(summary) == 3
    for m in summary:
        assert all(m["counts"][s] > 0 for s in rules.STATES), m
    rows = on_store(client, lambda conn: [dict(r) for r in conn.execute(select(ORDERS)).mappings()])
    warehouses = dict(on_store(client, lambda conn: conn.execute(
        select(Merchant.__table__.c.id, Merchant.__table__.c.warehouses)).all()))  # type: ignore[attr-defined]
    for mid in {m["merchant_id"] for m in summary}:
        mine = [r for r in rows if r["merchant_id"] == mid]
        shipped = [r for r in mine if r["state"] == "SHIPPED"]
        refunded = [r for r in mine if r["state"] == "REFUNDED"]
        assert {r["tracking_confirmed"] for r in shipped} == {True, False}
        assert {r["shipped_at"] is None for r in refunded} == {True, False}
        assert any(r["is_combined_order"] for r in mine) and any(r["is_fbw"] for r in mine)
        # Wish Express orders where the merchant has an EXPRESS-<country> warehouse (the worldwide one has none)
        assert any(r["is_wish_express"] for r in mine) == bool(warehouses[mid])
        assert any(r["original_shipping_detail"] for r in mine)
    # right after startup, APPROVED orders have days left to fulfil and review orders are not released yet
    data = wish.ok("order/get-fulfill", "GET", limit=100)
    assert data and all(int(o["Order"]["hours_to_fulfill"]) > 24 for o in data)
    assert client.get("/sandbox/api/orders", params={"state": "REQUIRE_REVIEW"},
                      headers={"Authorization": f"Bearer {DEFAULT_TOKEN}"}).json()["merchants"][0]["total"] > 0
    assert assert_envelope_error(client.get("/sandbox/api/orders", params={"state": "PAID"}))["code"] == 1000


# ---- hooks ---------------------------------------------------------------------------------------------

def test_release_hook(client: TestClient, wish: Wish, advance: Any) -> None:
    freeze(client)
    oid = _tx(client, count=1, state="REQUIRE_REVIEW")["order_ids"][0]
    assert _order(wish, oid)["state"] == "REQUIRE_REVIEW"
    advance(60)
    now = client.get("/sandbox/api/clock").json()["now"][:19]
    r = client.post(f"/sandbox/api/orders/{oid}/release")
    assert r.status_code == 200, r.text
    assert r.json()["Order"]["state"] == "APPROVED"
    o = _order(wish, oid)
    assert o["state"] == "APPROVED" and o["last_updated"] == now and o["released_to_merchant_time"] == now
    assert o["hours_to_fulfill"] == "120"
    again = client.post(f"/sandbox/api/orders/{oid}/release")
    assert again.status_code == 400 and assert_envelope_error(again)["code"] == 1000


def test_confirm_tracking_hook(client: TestClient, wish: Wish, advance: Any) -> None:
    freeze(client)
    oid = _tx(client, count=1, state="SHIPPED", confirmed_share=0)["order_ids"][0]
    assert _order(wish, oid)["tracking_confirmed"] == "False"
    advance(30)
    now = client.get("/sandbox/api/clock").json()["now"][:19]
    r = client.post(f"/sandbox/api/orders/{oid}/confirm-tracking")
    assert r.status_code == 200, r.text
    o = _order(wish, oid)
    assert o["tracking_confirmed"] == "True" and o["tracking_confirmed_date"] == now and o["last_updated"] == now
    assert assert_envelope_error(client.post(f"/sandbox/api/orders/{oid}/confirm-tracking"))["code"] == 1000
    approved = _tx(client, count=1)["order_ids"][0]
    assert assert_envelope_error(client.post(f"/sandbox/api/orders/{approved}/confirm-tracking"))["code"] == 1000
    assert assert_envelope_error(client.post(f"/sandbox/api/orders/{'f' * 24}/release"))["code"] == 1004
    assert assert_envelope_error(client.post("/sandbox/api/orders/nope/release"))["code"] == 1000


# ---- CLI ------------------------------------------------------------------------------------------------

def test_cli_generate(tmp_path: Path) -> None:
    env = {"MOCKWISH_PRODUCTS_PER_MERCHANT": "10"}
    args = ["generate", "--count", "3", "--state", "SHIPPED", "--seed", "1", "--country", "US",
            "--data-dir", str(tmp_path)]
    out = CliRunner().invoke(cli, [*args, "--merchant", "merchant@example.com"], env=env)
    assert out.exit_code == 0, out.output
    ids = re.findall(r"^[0-9a-f]{24}$", out.output, re.M)
    assert len(ids) == 3 and "generated 3 orders" in out.output
    by_token = CliRunner().invoke(cli, [*args, "--merchant", DEFAULT_TOKEN], env=env)
    assert by_token.exit_code == 0, by_token.output
    ctx = build_context(Settings(data_dir=tmp_path, products_per_merchant=10))
    with ctx.engine.connect() as conn:
        rows = conn.execute(select(ORDERS.c.state, ORDERS.c.shipping_detail).where(ORDERS.c.id.in_(ids))).all()
    ctx.engine.dispose()
    assert [r[0] for r in rows] == ["SHIPPED"] * 3 and {r[1]["country"] for r in rows} == {"US"}
    bad = CliRunner().invoke(cli, ["generate", "--merchant", "nobody", "--data-dir", str(tmp_path)], env=env)
    assert bad.exit_code == 2 and "no merchant" in bad.output
    worse = CliRunner().invoke(cli, ["generate", "--merchant", DEFAULT_TOKEN, "--state", "PAID",
                                     "--data-dir", str(tmp_path)], env=env)
    assert worse.exit_code == 2 and "error" in worse.output


def test_cli_generate_merchant_kinds(tmp_path: Path) -> None:
    """`mockwish generate --merchant M --kind K` makes what the sandbox's POST /sandbox/api/<K> makes, in the
    state asked for, and the API then serves it: ids on stdout."""
    env = {"MOCKWISH_PRODUCTS_PER_MERCHANT": "10"}

    def made(kind: str, *extra: str) -> list[str]:
        out = CliRunner().invoke(cli, ["generate", "--merchant", DEFAULT_TOKEN, "--kind", kind, "--count", "2",
                                       "--seed", "5", *extra, "--data-dir", str(tmp_path)], env=env)
        assert out.exit_code == 0, out.output
        assert f"generated 2 {kind}" in out.output
        return re.findall(r"^[0-9a-f]{24}$", out.output, re.M)

    tickets = made("tickets", "--state", "awaiting_buyer")
    notifications = made("notifications")
    infractions = made("infractions", "--state", "AWAITING_ADMIN")
    warehouses = made("return-warehouses", "--state", "INVALID")
    updates = made("system-updates")
    titles = CliRunner().invoke(cli, ["generate", "--merchant", DEFAULT_TOKEN, "--kind", "bd-announcements",
                                      "--data-dir", str(tmp_path)], env=env)
    assert titles.exit_code == 0 and "generated 1 bd-announcements" in titles.output, titles.output
    assert all(len(ids) == 2 for ids in (tickets, notifications, infractions, warehouses, updates))
    with TestClient(create_app(Settings(data_dir=tmp_path, products_per_merchant=10,
                                        sandbox_allowed_hosts="testserver"))) as c:
        def data(path: str, **params: str) -> Any:
            body = c.get(f"/api/v2/{path}", params={"access_token": DEFAULT_TOKEN, **params}).json()
            assert body["code"] == 0, body
            return body["data"]
        assert {data("ticket", id=t)["Ticket"]["state"] for t in tickets} == {"Awaiting buyer response"}
        unviewed = {n["GetNotiResponse"]["id"] for n in data("noti/fetch-unviewed", limit="500")}
        assert set(notifications) <= unviewed
        stage2 = {i["Infraction"]["id"] for i in data("get/infractions", stage="2", limit="500")
                  ["InfractionsResponse"]["infractions"]}
        assert set(infractions) <= stage2
        shown = {w["MerchantReturnWarehouse"]["id"]: w["MerchantReturnWarehouse"]["address_valid_state"]
                 for w in data("returns/get-all-warehouses")}
        assert [shown[w] for w in warehouses] == ["INVALID", "INVALID"]
        assert set(updates) <= {u["SystemUpdatesResponse"]["id"] for u in data("fetch-sys-updates-noti")}
        assert data("fetch-bd-announcement")["GetBDAnnouncementResponse"]["title"] in titles.output
    for bad in (["--kind", "refunds"], ["--kind", "tickets", "--state", "lost"],
                ["--kind", "infractions", "--state", "lost"]):
        out = CliRunner().invoke(cli, ["generate", "--merchant", DEFAULT_TOKEN, *bad, "--data-dir", str(tmp_path)],
                                 env=env)
        assert out.exit_code == 2 and "error" in out.output, (bad, out.output)


def test_cli_generate_wishpost_parcels(tmp_path: Path) -> None:
    """`mockwish generate --wishpost USER` makes parcels as the sandbox does: the WOSP ids on stdout, served by
    order_status in the state asked for."""
    env = {"MOCKWISH_PRODUCTS_PER_MERCHANT": "10"}
    out = CliRunner().invoke(cli, ["generate", "--wishpost", "wishpost@example.com", "--count", "2", "--state",
                                   "shipping", "--seed", "3", "--data-dir", str(tmp_path)], env=env)
    assert out.exit_code == 0, out.output
    ids = re.findall(r"^WOSP\d{12}[A-Z]{3}$", out.output, re.M)
    assert len(ids) == 2 and "generated 2 shipping parcels" in out.output
    with TestClient(create_app(Settings(data_dir=tmp_path, products_per_merchant=10,
                                        sandbox_allowed_hosts="testserver"))) as c:
        r = c.post("/wishpost/api/v3/order_status", json={"access_token": "an_example_wishpost_token",
                                                          "wish_standard_tracking_ids": ids}).json()
        assert [o["state_name"] for o in r["orders"]] == ["Shipping", "Shipping"]
    neither = CliRunner().invoke(cli, ["generate", "--data-dir", str(tmp_path)], env=env)
    assert neither.exit_code == 2 and "--merchant" in neither.output
    nobody = CliRunner().invoke(cli, ["generate", "--wishpost", "nobody", "--data-dir", str(tmp_path)], env=env)
    assert nobody.exit_code == 2 and "no WishPost user" in nobody.output
    bad = CliRunner().invoke(cli, ["generate", "--wishpost", "wishpost@example.com", "--state", "lost",
                                   "--data-dir", str(tmp_path)], env=env)
    assert bad.exit_code == 2 and "error" in bad.output


def test_cli_generate_beside_a_server_uses_its_clock(tmp_path: Path) -> None:
    """`mockwish generate` next to a serving mockwish whose clock was moved: the server serves the new
    orders at once, stamped with its mock time, and its `since` polling finds them."""
    settings = Settings(data_dir=tmp_path, products_per_merchant=10, sandbox_allowed_hosts="testserver")
    with TestClient(create_app(settings), raise_server_exceptions=False) as c:
        moved = c.post("/sandbox/api/clock", json={"set": "2031-06-01T12:00:00Z", "freeze": True}).json()
        assert moved["now"].startswith("2031-06-01T12:00:00")
        out = CliRunner().invoke(cli, ["generate", "--count", "2", "--merchant", DEFAULT_TOKEN, "--data-dir",
                                       str(tmp_path)], env={"MOCKWISH_PRODUCTS_PER_MERCHANT": "10"})
        assert out.exit_code == 0, out.output
        ids = re.findall(r"^[0-9a-f]{24}$", out.output, re.M)
        me = Wish(c)
        found = me.ok("order/multi-get", "GET", since="2031-06-01T12:00:00")
        assert sorted(o["Order"]["order_id"] for o in found) == sorted(ids)
        assert {o["Order"]["last_updated"] for o in found} == {"2031-06-01T12:00:00"}
        assert all(o["Order"]["hours_to_fulfill"] != "0" for o in found)


def test_wish_express_only_where_the_merchant_has_a_warehouse(client: TestClient, wish: Wish) -> None:
    out = _tx(client, count=4, wish_express_share=1.0, country="BR", seed=3)
    for oid in out["order_ids"]:
        o = _order(wish, oid)
        assert o["ShippingDetail"]["country"] == "BR" and o["is_wish_express"] == "False"


def test_the_docs_example_products_are_bought_only_when_named(client: TestClient, wish: Wish) -> None:
    doc = {"4ef2858a9795c776ce000120", "123456789009876543211234", "57bb5803ba2a1f181de31b01",
           "111122223333444455556666"}
    out = _tx(client, count=300, seed=5)
    assert not {_order(wish, oid)["product_id"] for oid in out["order_ids"]} & doc
    assert client.get("/api/v2/variant", params={"sku": "summer-hat-m", "access_token": DEFAULT_TOKEN}
                      ).json()["data"]["Variant"]["inventory"] == "300"  # as the docs show it
    named = _tx(client, count=1, sku="summer-hat-m")
    assert _order(wish, named["order_ids"][0])["sku"] == "summer-hat-m"
