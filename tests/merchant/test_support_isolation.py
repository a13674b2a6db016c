"""Tenant isolation over the Warehouse, Ticket, Announcements, Notifications, Infractions and Wish Returns Program
endpoints: every endpoint that takes an id answers the second merchant asking for the default merchant's id
exactly as it answers an id that exists nowhere (same status, same code, the same message with the id in it, in
JSON, XML and another locale), and changes nothing; every list shows only the caller's own entities; the counts
are each merchant's own."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from mockwish.errors import message
from mockwish.merchant.notifications import errors as noti_errors
from mockwish.merchant.returns import errors as returns_errors
from mockwish.merchant.tickets import errors as ticket_errors
from support import Wish, freeze

DOC_TICKET = "123456789009876543210164"  # the docs' ids, seeded for the default merchant
DOC_TICKET_2 = "098765432112345678901234"
DOC_NOTI = "123456789009876543210164"
SHOWN = ({}, {"locale": "zh"}, {"format": "xml"})  # each answer compared in these forms too


def nowhere(wid: str) -> str:
    """An id of the same shape (24 hex digits) that names nothing."""
    return "%024x" % (int(wid, 16) ^ 0xFFFFFF)


def ok(w: Wish, path: str, method: str = "GET", **params: Any) -> Any:
    return w.ok(path, method, **params)


def every(w: Wish, path: str, items: Callable[[Any], list[Any]], limit: int = 500, **params: Any) -> list[Any]:
    """Every item of a paged list (pages of `limit`, the endpoint's largest)."""
    out: list[Any] = []
    start = 0
    while True:
        r = w.call(path, "GET", start=start, limit=limit, **params)
        body = r.json()
        assert r.status_code == 200 and body["code"] == 0, body
        out += items(body["data"])
        if not body.get("paging", {}).get("next"):
            return out
        start += limit


def tickets(w: Wish) -> list[dict[str, Any]]:
    return [t["Ticket"] for t in every(w, "ticket/get-action-required", lambda d: d)]


def notifications(w: Wish) -> list[str]:
    return [n["GetNotiResponse"]["id"] for n in every(w, "noti/fetch-unviewed", lambda d: d)]


def infractions(w: Wish, stage: int) -> list[dict[str, Any]]:
    return [i["Infraction"] for i in every(w, "get/infractions", lambda d: d["InfractionsResponse"]["infractions"],
                                           stage=stage)]


def return_warehouses(w: Wish) -> list[dict[str, Any]]:
    return [x["MerchantReturnWarehouse"] for x in ok(w, "returns/get-all-warehouses")]


def warehouses(w: Wish) -> list[dict[str, Any]]:
    return [x["MerchantWarehouse"] for x in ok(w, "warehouse/get-all")]


def merchant_id(w: Wish) -> str:
    return ok(w, "auth_test")["merchant_id"]  # type: ignore[no-any-return]


def product_with_variations(w: Wish) -> tuple[str, list[str]]:
    products = [p["Product"] for p in every(w, "product/multi-get", lambda d: d, limit=250)]
    product = min((p for p in products if p.get("variants")), key=lambda p: len(p["variants"]))
    return product["id"], [v["Variant"]["id"] for v in product["variants"]]


def valid_us_warehouse(w: Wish) -> str:
    valid = [x["id"] for x in return_warehouses(w) if x["region"] == "US"
             and x["address_valid_state"].startswith("VALID")]
    assert valid, f"no valid US return warehouse: {return_warehouses(w)}"
    return valid[0]  # type: ignore[no-any-return]


def same_as_nowhere(other: Wish, path: str, param: str, foreign: str, **params: Any) -> httpx.Response:
    """`other` naming `foreign` (the default merchant's) answers byte for byte as naming an id of nobody's."""
    absent = nowhere(foreign)
    first = None
    for shown in SHOWN:
        theirs = other.call(path, **{param: foreign}, **params, **shown)
        nobodys = other.call(path, **{param: absent}, **params, **shown)
        assert theirs.status_code == nobodys.status_code and 400 <= theirs.status_code < 500, (path, theirs.text)
        assert theirs.content.replace(foreign.encode(), b"<id>") == nobodys.content.replace(absent.encode(), b"<id>"), (
            path, shown, theirs.text, nobodys.text)
        assert foreign.encode() in theirs.content, (path, theirs.text)  # the message names the id asked for
        first = first or theirs
    assert first is not None
    return first


def snapshot(wish: Wish, product: str) -> dict[str, Any]:
    """What the foreign calls must leave as it was."""
    return {
        "tickets": {t: ok(wish, "ticket", id=t)["Ticket"] for t in (DOC_TICKET, DOC_TICKET_2)},
        "unviewed": notifications(wish),
        "return_warehouses": return_warehouses(wish),
        "settings": ok(wish, "returns/get-product-return-settings", id=product),
    }


def test_every_id_endpoint_answers_a_foreign_id_as_a_missing_one(client: TestClient, wish: Wish, other: Wish) -> None:
    freeze(client)  # the snapshots hold what moves with the clock (countdowns, 60-minute image links)
    product, variations = product_with_variations(wish)
    warehouse = valid_us_warehouse(wish)
    # the default merchant's product is enrolled and has logistics: the foreign calls must not reach any of it
    for v in variations:
        ok(wish, "returns/set-product-logistics", "POST", id=product, variation_id=v, height=3, width=3, length=3,
           weight=3)
    ok(wish, "returns/enroll-product-in-returns", "POST", id=product, region="US", warehouse_id=warehouse)
    before = snapshot(wish, product)

    # tickets
    for path, extra in (("ticket", {}), ("ticket/reply", {"reply": "hi"}), ("ticket/close", {}),
                        ("ticket/appeal-to-wish-support", {}), ("ticket/re-open", {"reply": "again"})):
        r = same_as_nowhere(other, path, "id", DOC_TICKET, **extra)
        assert r.json()["message"] == message(ticket_errors.NOT_FOUND, id=DOC_TICKET), (path, r.text)
    # notifications
    for param in ("noti_id", "id"):  # `id`: the name the official PHP SDK (and the docs' PHP example) sends
        r = same_as_nowhere(other, "noti/mark-as-viewed", param, DOC_NOTI)
        assert r.json()["message"] == message(noti_errors.NOTIFICATION_NOT_FOUND, id=DOC_NOTI), (param, r.text)

    # returns: the other merchant's own product (logistics set) and valid US warehouse, so that the foreign id is
    # the one thing wrong with each call
    own_product, own_variations = product_with_variations(other)
    own_warehouse = valid_us_warehouse(other)
    for v in own_variations:
        ok(other, "returns/set-product-logistics", "POST", id=own_product, variation_id=v, height=1, width=1,
           length=1, weight=1)
    own_settings = ok(other, "returns/get-product-return-settings", id=own_product)
    not_product = message("product_not_found", field="id", value=product)
    dims = {"height": 2, "width": 2, "length": 2, "weight": 2}
    for path, param, extra, expected in (
        ("returns/get-product-return-settings", "id", {}, not_product),
        ("returns/enroll-product-in-returns", "id", {"region": "US", "warehouse_id": own_warehouse}, not_product),
        ("returns/disable-return-setting-for-region", "id", {"region": "US"}, not_product),
        ("returns/get-product-variation-dimensions", "id", {}, not_product),
        ("returns/get-product-variation-dimensions", "id", {"variation_id": own_variations[0]}, not_product),
        ("returns/set-product-logistics", "id", dims, not_product),
        ("returns/set-product-logistics", "id", {**dims, "variation_id": own_variations[0]}, not_product),
    ):
        r = same_as_nowhere(other, path, param, product, **extra)
        assert r.json()["message"] == expected, (path, extra, r.text)
    not_variation = message(returns_errors.VARIATION_NOT_FOUND, id=variations[0], product_id=own_product)
    for path, extra in (("returns/get-product-variation-dimensions", {}),
                        ("returns/set-product-logistics", dims)):
        r = same_as_nowhere(other, path, "variation_id", variations[0], id=own_product, **extra)
        assert r.json()["message"] == not_variation, (path, r.text)
    not_warehouse = message(returns_errors.WAREHOUSE_NOT_FOUND, id=warehouse)
    r = same_as_nowhere(other, "returns/enroll-product-in-returns", "warehouse_id", warehouse, id=own_product,
                        region="US")
    assert r.json()["message"] == not_warehouse, r.text
    r = same_as_nowhere(other, "returns/edit-return-warehouse", "warehouse_id", warehouse, city="Elsewhere")
    assert r.json()["message"] == not_warehouse, r.text

    assert snapshot(wish, product) == before, "a foreign call changed the default merchant's data"
    assert ok(other, "returns/get-product-return-settings", id=own_product) == own_settings, "nor the other's"


def test_lists_show_only_the_callers_own(client: TestClient, wish: Wish, other: Wish) -> None:
    mine, theirs = merchant_id(wish), merchant_id(other)
    assert mine != theirs

    my_tickets, their_tickets = tickets(wish), tickets(other)
    assert my_tickets and their_tickets, "each merchant has tickets awaiting it"
    assert {t["merchant_id"] for t in my_tickets} == {mine} and {t["merchant_id"] for t in their_tickets} == {theirs}
    assert not {t["id"] for t in my_tickets} & {t["id"] for t in their_tickets}
    assert DOC_TICKET in {t["id"] for t in my_tickets}
    for w, ts, stranger in ((wish, my_tickets, other), (other, their_tickets, wish)):
        for t in ts[:5]:  # a ticket's orders and products are its merchant's own, the other's lookups miss them
            for item in t["items"]:
                oid = item["Order"]["order_id"]
                assert ok(w, "order", id=oid) == item
                assert stranger.call("order", "GET", id=oid).json()["code"] == 1004
            for p in t.get("products", []):
                assert ok(w, "product", id=p["Product"]["id"])["Product"]["id"] == p["Product"]["id"]
                assert stranger.call("product", "GET", id=p["Product"]["id"]).json()["code"] == 1004
            assert stranger.call("ticket", "GET", id=t["id"]).json()["message"] == message(
                ticket_errors.NOT_FOUND, id=t["id"])

    my_notis, their_notis = notifications(wish), notifications(other)
    assert my_notis and their_notis and not set(my_notis) & set(their_notis)

    for stage in (1, 2, 3):
        my_inf, their_inf = infractions(wish, stage), infractions(other, stage)
        assert not {i["id"] for i in my_inf} & {i["id"] for i in their_inf}, stage
        for w, stranger, found in ((wish, other, my_inf), (other, wish, their_inf)):
            for inf in found:  # the proofs name the merchant's own tickets, orders and products
                for proof in (p["InfractionProof"] for p in inf["proof"]):
                    kind, oid = proof["proof_type"], proof["object_id"]
                    path = {"TICKET": "ticket", "ORDER": "order", "PRODUCT": "product"}.get(kind)
                    if path is not None:
                        assert w.call(path, "GET", id=oid).json()["code"] == 0, (stage, kind, oid)
                        assert stranger.call(path, "GET", id=oid).json()["code"] == 1004, (stage, kind, oid)
    assert infractions(wish, 1) and infractions(other, 1), "each merchant has infractions awaiting it"

    my_rw, their_rw = return_warehouses(wish), return_warehouses(other)
    assert my_rw and their_rw and not {x["id"] for x in my_rw} & {x["id"] for x in their_rw}
    my_wh, their_wh = warehouses(wish), warehouses(other)
    assert my_wh and their_wh and not {x["id"] for x in my_wh} & {x["id"] for x in their_wh}


def test_counts_are_per_merchant(client: TestClient, wish: Wish, other: Wish) -> None:
    def counts() -> tuple[int, int, str, str]:
        return (ok(wish, "noti/get-unviewed-count")["count"], ok(other, "noti/get-unviewed-count")["count"],
                ok(wish, "count/infractions")["CountInfractionsResponse"]["count"],
                ok(other, "count/infractions")["CountInfractionsResponse"]["count"])

    mine, theirs, my_inf, their_inf = counts()
    assert (mine, theirs) == (len(notifications(wish)), len(notifications(other)))
    assert (my_inf, their_inf) == (str(len(infractions(wish, 1))), str(len(infractions(other, 1))))
    for stage in (1, 2, 3):
        assert ok(wish, "count/infractions", stage=stage)["CountInfractionsResponse"]["count"] == str(
            len(infractions(wish, stage))), stage

    assert ok(wish, "noti/mark-as-viewed", "POST", noti_id=DOC_NOTI) == {"success": True}
    assert counts() == (mine - 1, theirs, my_inf, their_inf)
    theirs_first = notifications(other)[0]
    assert ok(other, "noti/mark-as-viewed", "POST", noti_id=theirs_first) == {"success": True}
    assert counts() == (mine - 1, theirs - 1, my_inf, their_inf)
    # the one merchant's sandbox infraction counts for it alone
    r = client.post("/sandbox/api/infractions", json={"state": "NEW"},
                    headers={"Authorization": f"Bearer {other.token}"})
    assert r.status_code == 200, r.text
    after = counts()
    assert (after[0], after[2], after[3]) == (mine - 1, my_inf, str(int(their_inf) + 1))
    # (a new infraction may come with its notification: the other merchant's count is its own list's length)
    assert after[1] == len(notifications(other)) >= theirs - 1


@pytest.mark.parametrize("path", ["ticket/get-action-required", "noti/fetch-unviewed", "get/infractions",
                                  "returns/get-all-warehouses", "warehouse/get-all", "fetch-bd-announcement"])
def test_a_token_of_nobody_sees_nothing(wish: Wish, path: str) -> None:
    """No merchant behind the token: the token error, never somebody's data."""
    body = wish.err(path, 4000, 401, "GET", token="not_a_token_of_anybody")
    assert body["data"] in ({}, None, ""), body
