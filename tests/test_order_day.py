"""The acceptance scenario of the orders issue: an ERP's day against the sandbox, through HTTP only.

generate 5 orders -> get-fulfill lists them with days/hours to fulfil -> fulfil 3 with accepted carriers
-> modify the tracking of one -> change the address of an unshipped one -> refund one -> multi-get since
the start answers all five in their states -> the clock moves -> the carriers confirm the tracking ->
an order download job -> its CSV rows match what the API says of each order."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from typing import Any

from starlette.testclient import TestClient

from mockwish.config import Settings
from support import DEFAULT_TOKEN, Wish, freeze

STAMP = "%Y-%m-%dT%H:%M:%S"
NEW_ADDRESS = {"street_address1": "742 Evergreen Terrace", "city": "Springfield", "state": "OR",
               "zipcode": "97403", "country": "US", "phone_number": "5415550199"}


def stamp(at: datetime) -> str:
    return at.strftime(STAMP)


def order(w: Wish, oid: str) -> dict[str, Any]:
    return w.ok("order", "GET", id=oid, show_original_shipping_detail="True")["Order"]  # type: ignore[no-any-return]


def changed_since(w: Wish, since: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    start = 0
    while True:
        body = w.call("order/multi-get", "GET", since=since, start=start, limit=2,
                      show_original_shipping_detail="True").json()
        assert body["code"] == 0, body
        out += [o["Order"] for o in body["data"]]
        if "next" not in (body.get("paging") or {}):
            return out
        start += 2


def test_an_erps_day(client: TestClient, wish: Wish, advance: Any, settings: Settings) -> None:
    t0 = freeze(client)
    clock = t0

    def tick(seconds: int) -> datetime:
        nonlocal clock
        advance(seconds)
        clock += timedelta(seconds=seconds)
        return clock

    # morning: five new orders arrive
    r = client.post("/sandbox/api/transactions", json={"count": 5, "seed": 2026},
                    headers={"Authorization": f"Bearer {DEFAULT_TOKEN}"})
    assert r.status_code == 200, r.text
    ids: list[str] = r.json()["order_ids"]
    assert len(ids) == 5

    # the ERP downloads what needs fulfilling
    to_fulfill: dict[str, dict[str, Any]] = {}
    start = 0
    while True:
        body = wish.call("order/get-fulfill", "GET", start=start, limit=100).json()
        to_fulfill.update({o["Order"]["order_id"]: o["Order"] for o in body["data"]})
        if "next" not in (body.get("paging") or {}):
            break
        start += 100
    assert set(ids) <= set(to_fulfill)
    for oid in ids:
        o = to_fulfill[oid]
        assert o["state"] == "APPROVED"
        hours = int(o["hours_to_fulfill"])
        assert 0 < hours <= settings.order_fulfill_hours and int(o["days_to_fulfill"]) == hours // 24

    # it ships three of them with carriers Wish accepts (Confirmed Delivery where the order requires it)
    accepted = wish.ok("fulfillment/get-shipping-carriers")["shipping_carriers"]
    shipped, unshipped = ids[:3], ids[3:]
    carriers: dict[str, str] = {}
    tracking: dict[str, str] = {}
    shipped_at: dict[str, datetime] = {}
    for n, oid in enumerate(shipped):
        o = to_fulfill[oid]
        country = o["ShippingDetail"]["country"]
        if o["requires_delivery_confirmation"] == "True":
            choices = wish.ok("fulfillment/get-confirmed-delivery-shipping-carriers-for-country",
                              country_code=country)["carriers"]
        else:
            choices = [c for c in ("YunExpress", "EPacket", "4PX", "USPS") if c in accepted]
        assert choices and set(choices) <= set(accepted)
        carriers[oid], tracking[oid] = choices[n % len(choices)], f"LX{n}0000000{n}CN"
        shipped_at[oid] = tick(60)
        r = wish.call("order/fulfill-one", id=oid, tracking_provider=carriers[oid], tracking_number=tracking[oid],
                      origin_country_code="CN")
        assert r.status_code == 200 and r.json()["data"] == {"success": True}, r.text

    # a tracking number was mistyped: modify it
    fixed = shipped[1]
    tracking[fixed] = "LX999999999CN"
    shipped_at[fixed] = tick(60)  # the new tracking is confirmed counting from now
    assert wish.ok("order/modify-tracking", id=fixed, tracking_provider=carriers[fixed],
                   tracking_number=tracking[fixed], origin_country_code="CN") == {"success": True}

    # a buyer moved: change the address of an unshipped order
    moved, cancelled = unshipped
    first_address = to_fulfill[moved]["ShippingDetail"]
    moved_at = tick(60)
    assert wish.ok("order/change-shipping", id=moved, **NEW_ADDRESS) == {"success": True}

    # another one cannot be fulfilled: refund it
    refunded_at = tick(60)
    assert wish.ok("order/refund", id=cancelled, reason_code="1") == {"success": True}

    # multi-get since the start of the day answers all five, in the order they last changed
    day = changed_since(wish, stamp(t0))
    assert [o["order_id"] for o in day] == [shipped[0], shipped[2], fixed, moved, cancelled]
    by_id = {o["order_id"]: o for o in day}
    for oid in shipped:
        o = by_id[oid]
        assert o["state"] == "SHIPPED" and o["shipping_provider"] == carriers[oid]
        assert o["tracking_number"] == tracking[oid] and o["tracking_confirmed"] == "False"
        assert o["shipped_date"] == t0.strftime("%Y-%m-%d") and o["last_updated"] == stamp(shipped_at[oid])
        assert "days_to_fulfill" not in o and "tracking_confirmed_date" not in o
    m = by_id[moved]
    assert m["state"] == "APPROVED" and "hours_to_fulfill" in m and m["last_updated"] == stamp(moved_at)
    assert m["ShippingDetail"] == {"name": first_address["name"], **NEW_ADDRESS}
    assert m["OriginalShippingDetail"] == first_address
    c = by_id[cancelled]
    assert (c["state"], c["refunded_by"], c["refunded_reason"]) == (
        "REFUNDED", "REFUNDED BY MERCHANT", "Store is unable to fulfill order")
    assert c["refunded_time"] == refunded_at.strftime("%Y-%m-%d") and c["last_updated"] == stamp(refunded_at)
    assert "tracking_number" not in c and "hours_to_fulfill" not in c
    assert not set(shipped) & {o["Order"]["order_id"] for o in wish.ok("order/get-fulfill", "GET", limit=500)}

    # two days later the carriers have scanned every parcel
    tick(settings.order_tracking_confirm_seconds)
    for oid in shipped:
        o = order(wish, oid)
        confirmed = stamp(shipped_at[oid] + timedelta(seconds=settings.order_tracking_confirm_seconds))
        assert (o["tracking_confirmed"], o["tracking_confirmed_date"], o["last_updated"]) == ("True", confirmed,
                                                                                              confirmed)

    # the evening export
    job = wish.ok("order/create-download-job", sort="asc")["job_id"]
    assert wish.ok("order/get-download-job-status", job_id=job)["status"] == "PENDING"
    tick(10)
    status = wish.ok("order/get-download-job-status", job_id=job)
    assert status["status"] == "FINISHED" and status["processed_count"] == status["total_count"]
    r = client.get(status["download_link"])
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(r.text)))
    header, rows = table[0], [dict(zip(table[0], row, strict=True)) for row in table[1:]]
    assert len(header) == 48 and len(rows) == status["total_count"]
    csv_by_id = {row["Order Id"]: row for row in rows}
    assert set(ids) <= set(csv_by_id)
    for oid in ids:
        o, row = order(wish, oid), csv_by_id[oid]
        detail = o["ShippingDetail"]
        assert (row["Order State"], row["Transaction ID"], row["SKU"], row["Product ID"]) == (
            o["state"], o["transaction_id"], o["sku"], o["product_id"])
        assert (row["Price (each)"], row["Cost (each)"], row["Shipping (each)"], row["Shipping Cost (each)"],
                row["Quantity"], row["Total Cost"]) == (o["price"], o["cost"], o["shipping"], o["shipping_cost"],
                                                        o["quantity"], o["order_total"])
        assert (row["Provider"], row["Tracking"], row["Tracking Confirmed"], row["Tracking Confirmed Date"]) == (
            o.get("shipping_provider", ""), o.get("tracking_number", ""), o.get("tracking_confirmed", ""),
            o.get("tracking_confirmed_date", ""))
        assert row["Shipped on"] == o.get("shipped_date", "")
        assert (row["Name"], row["Street Address 1"], row["Street Address 2"], row["City"], row["State"],
                row["Zipcode"], row["Country Code"], row["Phone Number"]) == (
            detail["name"], detail["street_address1"], detail.get("street_address2", ""), detail["city"],
            detail.get("state", ""), detail["zipcode"], detail["country"], detail.get("phone_number", ""))
        assert row["Last Updated"] == o["last_updated"] and row["Transaction Date"] == o["order_time"]
        assert row["Refund Date"] == o.get("refunded_time", "")
        assert row["Refund Reason"] == o.get("refunded_reason", "")
        assert row["Is Wish Express"] == o["is_wish_express"]
        assert row["Requires Delivery Confirmation"] == o["requires_delivery_confirmation"]
    assert csv_by_id[moved]["Street Address 1"] == NEW_ADDRESS["street_address1"]
