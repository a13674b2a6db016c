"""HTTP tests of the order endpoints: /order, /order/multi-get, /order/multi-get-fbw, /order/get-fulfill,
/order/fulfill-one, /order/modify-tracking, /order/refund, /order/change-shipping and the order download job
(/order/create-download-job, /order/get-download-job-status, /order/cancel-download-job).

Everything goes through HTTP as a client's would: orders come from POST /sandbox/api/transactions, the clock
moves through /sandbox/api/clock, and the expected error texts come from the error registry
(mockwish.errors.message), so a wording change is made once. The supplement (supplement-merchant.md
sections 1-4 and 8) is the reference for every assertion."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from starlette.testclient import TestClient

from conformance.shape import compare
from mockwish.config import Settings
from mockwish.errors import message
from mockwish.merchant.orders.routes import router
from support import (
    DEFAULT_TOKEN,
    SECOND_TOKEN,
    WORLDWIDE_TOKEN,
    Wish,
    assert_envelope_error,
    freeze,
    minted_token,
)

TX = "/sandbox/api/transactions"
NOWHERE = "aaaaaaaaaaaaaaaaaaaaaaaa"  # well formed, nobody's order
STAMP = "%Y-%m-%dT%H:%M:%S"
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
OBJECT_ID = re.compile(r"^[0-9a-f]{24}$")
LINK = re.compile(r"^http://testserver/static/sweeper-production-merchant-export/"
                  r"(?P<merchant>[0-9a-f]{24})-(?P<job>[0-9a-f]{24})-\d{4}-\d{2}-\d{2}-\d{2}:\d{2}:\d{2}\.csv$")
JOB_TS = "%Y-%m-%d %H:%M:%S.%f"
PENDING_S, RUNNING_S = 2, 5  # tests/conftest.py job settings
USPS_1, USPS_2 = "9400100000000000000001", "9400100000000000000002"
FULFILLED = "Your order is been processed right now!"  # sic: the v2 docs' text (supplement 2.5)

ENDPOINTS = ("order", "order/multi-get", "order/multi-get-fbw", "order/get-fulfill", "order/fulfill-one",
             "order/modify-tracking", "order/refund", "order/change-shipping", "order/create-download-job",
             "order/get-download-job-status", "order/cancel-download-job")
READS = ("order", "order/multi-get", "order/multi-get-fbw", "order/get-fulfill", "order/create-download-job",
         "order/get-download-job-status", "order/cancel-download-job")
WRITES = ("order/fulfill-one", "order/modify-tracking", "order/refund", "order/change-shipping")
NEW_ADDRESS = {"street_address1": "500 Queen St W", "street_address2": "Unit 4", "city": "Toronto", "state": "ON",
               "zipcode": "M5V 2B5", "country": "CA", "phone_number": "4165550100"}
# keys the supplement (3.1) lists for the Order object, and the ones that are not strings
STRING_KEYS = {
    "order_id", "transaction_id", "buyer_id", "state", "order_time", "last_updated", "released_to_merchant_time",
    "product_id", "variant_id", "product_name", "product_image_url", "sku", "color", "size", "quantity", "price",
    "cost", "shipping", "shipping_cost", "order_total", "currency_code", "pay_customer_vat_required",
    "days_to_fulfill", "hours_to_fulfill", "expected_ship_date", "requires_delivery_confirmation",
    "is_wish_express", "we_required_delivery_date", "wish_express_tier", "is_wish_express_late_arrival",
    "is_combined_order", "shipping_provider", "tracking_number", "shipped_date", "ship_note", "tracking_confirmed",
    "tracking_confirmed_date", "confirmed_delivery", "date_shipping_carrier_confirmed_delivery", "refunded_by",
    "refunded_reason", "refunded_time", "merchant_responsible_refund_amount", "is_fbw", "fbw_warehouse_code",
}
OTHER_KEYS = {"fine_ids": list, "refunds": list, "fbw_fees": list, "ShippingDetail": dict,
              "OriginalShippingDetail": dict}
ADDRESS_KEYS = {"name", "street_address1", "street_address2", "city", "state", "zipcode", "country", "phone_number"}
TRACKING_KEYS = {"shipping_provider", "tracking_number", "shipped_date", "tracking_confirmed"}
REFUND_KEYS = {"refunded_by", "refunded_reason", "refunded_time", "refunds"}
FLAGS = ("requires_delivery_confirmation", "is_wish_express", "is_combined_order", "pay_customer_vat_required")


# ---- helpers ------------------------------------------------------------------------------------------

def tx(client: TestClient, token: str | None = DEFAULT_TOKEN, **body: Any) -> list[str]:
    """Generate test orders (default: APPROVED, shipped to Canada, which needs no Confirmed Delivery)."""
    body = {"count": 1, "country": "CA", **body}
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    r = client.post(TX, json=body, headers=headers)
    assert r.status_code == 200, r.text
    ids = r.json()["order_ids"]
    assert len(ids) == body["count"]
    return ids  # type: ignore[no-any-return]


def one(client: TestClient, token: str = DEFAULT_TOKEN, **body: Any) -> str:
    return tx(client, token, **body)[0]


def get(w: Wish, oid: str, **params: str) -> dict[str, Any]:
    return w.ok("order", "GET", id=oid, **params)["Order"]  # type: ignore[no-any-return]


def ship(w: Wish, oid: str, provider: str = "USPS", number: str = USPS_1, **extra: str) -> None:
    r = w.call("order/fulfill-one", id=oid, tracking_provider=provider, tracking_number=number,
               origin_country_code="CN", **extra)
    assert r.status_code == 200 and r.json() == {"code": 0, "data": {"success": True}, "message": FULFILLED}, r.text


def refund(w: Wish, oid: str, code: str = "1") -> None:
    assert w.ok("order/refund", id=oid, reason_code=code) == {"success": True}


def stamp(at: datetime) -> str:
    return at.strftime(STAMP)


def now_of(client: TestClient) -> datetime:
    return datetime.fromisoformat(client.get("/sandbox/api/clock").json()["now"][:19])


def walk(w: Wish, path: str = "order/multi-get", limit: int = 500, **params: Any) -> list[dict[str, Any]]:
    """Every order of a listing, following the paging links (start/limit) to the end."""
    out: list[dict[str, Any]] = []
    start = 0
    while True:
        body = w.call(path, "GET", start=start, limit=limit, **params).json()
        assert body["code"] == 0, body
        out += [o["Order"] for o in body["data"]]
        if "next" not in (body.get("paging") or {}):
            return out
        start += limit


def ids_of(orders: list[dict[str, Any]]) -> list[str]:
    return [o["order_id"] for o in orders]



def inventory(w: Wish, sku: str) -> int:
    return int(w.ok("variant", "GET", sku=sku)["Variant"]["inventory"])


def number_sold(w: Wish, pid: str) -> int:
    return int(w.ok("product", "GET", id=pid)["Product"]["number_sold"])


def create_job(w: Wish, **params: str) -> str:
    data = w.ok("order/create-download-job", **params)
    assert set(data) == {"job_id"} and OBJECT_ID.match(data["job_id"])
    return data["job_id"]  # type: ignore[no-any-return]


def finished(w: Wish, advance: Any, job_id: str) -> dict[str, Any]:
    advance(PENDING_S + RUNNING_S + 1)
    data = w.ok("order/get-download-job-status", job_id=job_id)
    assert data["status"] == "FINISHED", data
    return data  # type: ignore[no-any-return]


def csv_rows(client: TestClient, link: str) -> list[dict[str, str]]:
    assert LINK.match(link), link
    r = client.get(link)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv"), r.text[:200]
    rows = list(csv.reader(io.StringIO(r.text)))
    assert len(rows[0]) == 48 and rows[0][0] == "Transaction Date" and rows[0][-1] == (
        "Late Confirmed Fulfillment Fine Amount")
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def assert_order_shape(o: dict[str, Any]) -> None:
    """The wire shape of supplement 1 and 3.1: string scalars, fine_ids a list, keys that do not apply omitted,
    ShippingDetail without empty keys, and the money relations of 3.3."""
    assert set(o) <= STRING_KEYS | set(OTHER_KEYS), set(o) - STRING_KEYS - set(OTHER_KEYS)
    for key, value in o.items():
        assert isinstance(value, OTHER_KEYS.get(key, str)), (key, value)
        if isinstance(value, str) and key not in ("color", "size", "ship_note"):
            assert value != "", key  # keys that do not apply are omitted, not sent empty
    for key in ("order_id", "transaction_id", "buyer_id", "product_id", "variant_id"):
        assert OBJECT_ID.match(o[key]), key
    for key in ("order_time", "last_updated", "released_to_merchant_time", "expected_ship_date",
                "we_required_delivery_date", "tracking_confirmed_date", "date_shipping_carrier_confirmed_delivery"):
        if key in o:
            assert TIMESTAMP.match(o[key]), (key, o[key])
    for key in ("shipped_date", "refunded_time"):
        if key in o:
            assert DATE.match(o[key]), (key, o[key])
    for key in FLAGS:
        assert o[key] in ("True", "False"), key
    assert all(OBJECT_ID.match(f) for f in o["fine_ids"])
    detail = o["ShippingDetail"]
    assert set(detail) <= ADDRESS_KEYS and all(isinstance(v, str) and v for v in detail.values()), detail
    assert {"name", "street_address1", "city", "zipcode", "country"} <= set(detail)
    # money (3.3): cost = price x 0.85, shipping_cost = shipping x 0.85, order_total = quantity x (cost + shipping_cost)
    price, cost, shipping, shipping_cost = (float(o[k]) for k in ("price", "cost", "shipping", "shipping_cost"))
    assert cost == pytest.approx(price * 0.85, abs=0.006) and shipping_cost == pytest.approx(shipping * 0.85, abs=0.006)
    assert float(o["order_total"]) == pytest.approx(int(o["quantity"]) * (cost + shipping_cost), abs=0.006)
    assert o["quantity"].isdigit() and int(o["quantity"]) >= 1
    state, shipped = o["state"], "shipped_date" in o
    assert state in ("REQUIRE_REVIEW", "APPROVED", "SHIPPED", "REFUNDED")
    if state == "APPROVED":
        assert o["days_to_fulfill"].isdigit() and o["hours_to_fulfill"].isdigit()
        assert int(o["days_to_fulfill"]) == int(o["hours_to_fulfill"]) // 24
    else:
        assert "days_to_fulfill" not in o and "hours_to_fulfill" not in o and "expected_ship_date" not in o
    if state in ("APPROVED", "REQUIRE_REVIEW"):
        assert not set(o) & (TRACKING_KEYS | {"tracking_confirmed_date"} | REFUND_KEYS), o
    if state == "SHIPPED":
        assert TRACKING_KEYS <= set(o) and not set(o) & REFUND_KEYS
    if state == "SHIPPED" or (state == "REFUNDED" and shipped):
        assert o["tracking_confirmed"] in ("True", "False") and " " not in o["tracking_number"]
        assert ("tracking_confirmed_date" in o) == (o["tracking_confirmed"] == "True")
    if state == "REFUNDED":
        assert REFUND_KEYS <= set(o) and o["refunded_by"] == "REFUNDED BY MERCHANT"
        (info,) = o["refunds"]
        assert set(info) == {"RefundsInfo"} and all(isinstance(v, str) for v in info["RefundsInfo"].values())
    if state == "REQUIRE_REVIEW":
        assert "released_to_merchant_time" not in o
    if o["is_wish_express"] == "False":
        assert "we_required_delivery_date" not in o
    assert ("fbw_fees" in o) == ("is_fbw" in o)
    for fee in o.get("fbw_fees", []):
        assert set(fee) == {"FBWFee"} and set(fee["FBWFee"]) == {"currency", "amount", "fee_name", "fee_type_text",
                                                                 "fee_type"}
        assert all(isinstance(v, str) for v in fee["FBWFee"].values()) and float(fee["FBWFee"]["amount"]) > 0
        assert fee["FBWFee"]["currency"] == o["currency_code"]


# ---- the Order object ------------------------------------------------------------------------------------

def test_wire_shape_in_every_state(client: TestClient, wish: Wish) -> None:
    ids = tx(client, count=40, states={"REQUIRE_REVIEW": 1, "APPROVED": 1, "SHIPPED": 1, "REFUNDED": 1},
             country=None, wish_express_share=0.3, combined_share=0.3, fbw_share=0.1, confirmed_share=0.5,
             changed_address_share=0.2, seed=7)
    orders = [get(wish, oid) for oid in ids]
    for o in orders:
        assert_order_shape(o)
    states = {o["state"] for o in orders}
    assert states == {"REQUIRE_REVIEW", "APPROVED", "SHIPPED", "REFUNDED"}
    assert {o["tracking_confirmed"] for o in orders if o["state"] == "SHIPPED"} == {"True", "False"}
    # seeded orders too, read through every listing
    for path in ("order/multi-get", "order/get-fulfill", "order/multi-get-fbw"):
        listed = walk(wish, path)
        assert listed, path
        for o in listed:
            assert_order_shape(o)
    assert all(o["state"] == "APPROVED" for o in walk(wish, "order/get-fulfill"))
    assert all(o["is_fbw"] == "True" for o in walk(wish, "order/multi-get-fbw"))


def test_approved_and_shipped_keys(client: TestClient, wish: Wish) -> None:
    oid = one(client, seed=3)
    before = get(wish, oid)
    assert before["state"] == "APPROVED" and "days_to_fulfill" in before and "hours_to_fulfill" in before
    assert not set(before) & TRACKING_KEYS
    ship(wish, oid, ship_note="Left with the neighbour")
    after = get(wish, oid)
    assert after["state"] == "SHIPPED" and "days_to_fulfill" not in after and "hours_to_fulfill" not in after
    assert (after["shipping_provider"], after["tracking_number"], after["tracking_confirmed"]) == (
        "USPS", USPS_1, "False")
    assert after["ship_note"] == "Left with the neighbour" and "tracking_confirmed_date" not in after
    assert after["fine_ids"] == [] and isinstance(after["ShippingDetail"], dict)
    assert_order_shape(after)


def test_shipping_detail_omits_empty_keys(client: TestClient, wish: Wish) -> None:
    oid = one(client, country="GB", seed=1)  # British addresses have no state
    assert "state" not in get(wish, oid)["ShippingDetail"]
    address = dict(NEW_ADDRESS, street_address2="", state="  ", phone_number="")
    wish.ok("order/change-shipping", id=oid, **address)
    detail = get(wish, oid)["ShippingDetail"]
    assert "street_address2" not in detail and "state" not in detail
    assert detail["street_address1"] == "500 Queen St W" and detail["country"] == "CA"
    assert detail["phone_number"]  # the buyer's phone stays when none is given


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_retrieve_get_post_alias_and_xml(client: TestClient, wish: Wish, method: str) -> None:
    oid = one(client)
    data = wish.ok("order", method, id=oid)
    assert set(data) == {"Order"} and data["Order"]["order_id"] == oid
    alias = wish.call("/v2/order", method, id=oid)
    assert alias.status_code == 200 and alias.json()["data"] == data
    r = wish.call("order", method, id=oid, format="xml")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/xml")
    root = ET.fromstring(r.text)
    assert root.tag == "Response" and root.findtext("code") == "0"
    xml_order = root.find("data/Order")
    assert xml_order is not None
    assert xml_order.findtext("order_id") == oid and xml_order.findtext("price") == data["Order"]["price"]
    assert xml_order.findtext("ShippingDetail/country") == data["Order"]["ShippingDetail"]["country"]
    assert xml_order.find("tracking_number") is None  # omitted, as in JSON


def test_retrieve_errors(wish: Wish) -> None:
    body = wish.err("order", 1001, 400, "GET")
    assert body == {"code": 1001, "data": "id", "message": message("missing_param", param="id")}
    body = wish.err("order", 1000, 400, "GET", id="0")
    assert body == {"code": 1000, "data": 2014, "message": "0 is an invalid id"}
    assert wish.err("order", 1000, 400, "GET", id="xyz")["data"] == 2014
    assert wish.err("order", 1000, 400, "POST", id=NOWHERE + "0")["data"] == 2014
    body = wish.err("order", 1004, 400, "GET", id=NOWHERE)
    assert body == {"code": 1004, "data": 2021, "message": f"No 'Order' Found with id: '{NOWHERE}'"}
    assert body["message"] == message("order_not_found", id=NOWHERE)
    body = wish.err("order", 1000, 400, "GET", id=NOWHERE, show_original_shipping_detail="maybe")
    assert body["data"] == {}


def test_show_original_shipping_detail(client: TestClient, wish: Wish) -> None:
    oid = one(client, seed=4)
    first = get(wish, oid)["ShippingDetail"]
    assert "OriginalShippingDetail" not in get(wish, oid, show_original_shipping_detail="True")  # never changed
    wish.ok("order/change-shipping", id=oid, **NEW_ADDRESS)
    plain = get(wish, oid)
    assert "OriginalShippingDetail" not in plain
    assert plain["ShippingDetail"] == {"name": first["name"], **NEW_ADDRESS}
    shown = get(wish, oid, show_original_shipping_detail="True")
    assert shown["OriginalShippingDetail"] == first and shown["ShippingDetail"] == plain["ShippingDetail"]
    assert "OriginalShippingDetail" not in get(wish, oid, show_original_shipping_detail="False")
    # a second change keeps the first address as the original
    wish.ok("order/change-shipping", id=oid, **dict(NEW_ADDRESS, street_address1="1 Bay St"))
    assert get(wish, oid, show_original_shipping_detail="True")["OriginalShippingDetail"] == first
    listed = {o["order_id"]: o for o in walk(wish, show_original_shipping_detail="True")}
    assert listed[oid]["OriginalShippingDetail"] == first
    assert "OriginalShippingDetail" not in {o["order_id"]: o for o in walk(wish)}[oid]


def test_shipped_order_conforms_to_the_supplement_example(client: TestClient, wish: Wish) -> None:
    """Supplement 3.4's SHIPPED example (tests/conformance/supplement_order_example.json) against a SHIPPED order
    of the mock: every key of the example present with the same JSON type; the mock's extra keys are only
    fields 3.1 documents for a SHIPPED order."""
    fixture = json.loads((Path(__file__).parent / "conformance" / "supplement_order_example.json").read_text())
    expected = fixture["response"]
    # an order of a variant with a colour and a size, as the example's (color and size are there "if the variant
    # has them", supplement 3.1)
    sku = next(v["Variant"]["sku"] for p in wish.ok("product/multi-get", "GET", limit=50)
               for v in p["Product"]["variants"] if v["Variant"].get("color") and v["Variant"].get("size")
               and p["Product"]["review_status"] == "approved" and p["Product"]["enabled"] == "True"
               and v["Variant"]["enabled"] == "True" and int(v["Variant"]["inventory"]) > 0)
    oid = one(client, country="US", seed=12, sku=sku)
    ship(wish, oid, ship_note="fragile")
    actual = wish.call("order", "GET", id=oid).json()
    info: list[str] = []
    assert compare(expected, actual, info) == []
    extras = {line.removeprefix("data.Order.").split(": extra key")[0] for line in info}
    # 3.1: present for a SHIPPED order when they apply
    documented = {"currency_code", "pay_customer_vat_required", "size", "ship_note", "tracking_confirmed_date",
                  "we_required_delivery_date", "is_fbw", "fbw_warehouse_code", "ShippingDetail.state",
                  "ShippingDetail.street_address2", "confirmed_delivery"}  # the last: a Confirmed Delivery order
    assert extras <= documented, extras - documented
    # always there in the mock (2015+ fields the 2018 example leaves out), and here the ship_note given
    assert {"currency_code", "pay_customer_vat_required", "ship_note"} <= extras


# ---- /order/multi-get, /order/multi-get-fbw ----------------------------------------------------------------

def test_multi_get_since_upto_filter_on_last_updated(client: TestClient, wish: Wish, advance: Any) -> None:
    t0 = freeze(client)
    a, b, c = tx(client, count=3)
    advance(10)
    ship(wish, a)  # t0 + 10
    advance(10)
    refund(wish, b)  # t0 + 20
    advance(10)
    wish.ok("order/change-shipping", id=c, **NEW_ADDRESS)  # t0 + 30
    at = {oid: get(wish, oid)["last_updated"] for oid in (a, b, c)}
    assert at == {a: stamp(t0 + timedelta(seconds=10)), b: stamp(t0 + timedelta(seconds=20)),
                  c: stamp(t0 + timedelta(seconds=30))}

    def changed(**params: str) -> list[str]:
        return ids_of(walk(wish, **params))

    assert changed(since=stamp(t0 + timedelta(seconds=1))) == [a, b, c]  # by last_updated
    assert changed(since=stamp(t0 + timedelta(seconds=20))) == [b, c]  # since is inclusive
    assert changed(since=stamp(t0 + timedelta(seconds=11)), upto=stamp(t0 + timedelta(seconds=20))) == [b]
    assert changed(since=stamp(t0 + timedelta(seconds=10)), upto=stamp(t0 + timedelta(seconds=10))) == [a]
    before = set(changed(upto=stamp(t0 + timedelta(seconds=9))))
    assert not before & {a, b, c} and before  # seeded orders changed earlier
    assert set(changed(since=stamp(t0))) >= {a, b, c}
    # a date alone is midnight of that day
    assert set(changed(since=t0.strftime("%Y-%m-%d"))) >= {a, b, c}
    body = wish.call("order/multi-get", "GET", since=(t0 + timedelta(days=1)).strftime("%Y-%m-%d")).json()
    assert body["code"] == 0 and body["data"] == [] and "next" not in (body.get("paging") or {})


def test_get_fulfill_since(client: TestClient, wish: Wish, advance: Any) -> None:
    t0 = freeze(client)
    old = one(client)
    advance(60)
    new = one(client)
    listed = ids_of(walk(wish, "order/get-fulfill", since=stamp(t0 + timedelta(seconds=30))))
    assert new in listed and old not in listed


def test_multi_get_paging_links(client: TestClient, wish: Wish) -> None:
    t0 = freeze(client)
    mine = tx(client, count=7)
    params = {"since": stamp(t0), "limit": "3", "wish_express_only": "False", "show_original_shipping_detail": "True"}
    seen: list[str] = []
    start, pages = 0, []
    while True:
        body = wish.call("order/multi-get", "GET", start=str(start), **params).json()
        assert body["code"] == 0
        pages.append(body)
        seen += [o["Order"]["order_id"] for o in body["data"]]
        paging = body.get("paging") or {}
        if start == 0:
            assert "prev" not in paging and "previous" not in paging
        else:
            assert "prev" not in paging
            prev = parse_qs(urlsplit(paging["previous"]).query)
            assert prev["start"] == [str(start - 3)]
        if "next" not in paging:
            break
        nxt = urlsplit(paging["next"])
        assert f"{nxt.scheme}://{nxt.netloc}{nxt.path}" == "http://testserver/api/v2/order/multi-get"
        query = parse_qs(nxt.query)
        # every original parameter is repeated; start moves by limit
        assert query == {"start": [str(start + 3)], "limit": ["3"], "since": [stamp(t0)],
                         "wish_express_only": ["False"],
                         "show_original_shipping_detail": ["True"], "access_token": [DEFAULT_TOKEN]}
        follow = wish.client.get(paging["next"]).json()
        start += 3
        assert follow == wish.call("order/multi-get", "GET", start=str(start), **params).json()
    assert seen == mine and [len(p["data"]) for p in pages] == [3, 3, 1]


def test_multi_get_default_limit_and_bounds(client: TestClient, wish: Wish) -> None:
    tx(client, count=60)
    assert len(wish.ok("order/multi-get", "GET")) == 50
    assert len(wish.ok("order/multi-get", "GET", limit="500")) <= 500
    assert len(wish.ok("order/multi-get", "GET", limit="1")) == 1
    assert wish.ok("order/multi-get", "GET", start="10000000") == []


@pytest.mark.parametrize("path", ["order/multi-get", "order/multi-get-fbw", "order/get-fulfill"])
@pytest.mark.parametrize(("params", "text"), [
    ({"limit": "0"}, message("out_of_range", param="limit", low=1, high=500, value="0")),
    ({"limit": "501"}, message("out_of_range", param="limit", low=1, high=500, value="501")),
    ({"limit": "ten"}, None), ({"start": "-1"}, None),
    ({"since": "yesterday"}, message("invalid_param", value="yesterday", param="since")),
    ({"since": "2018/06/10"}, message("invalid_param", value="2018/06/10", param="since")),
    ({"wish_express_only": "maybe"}, None),
])
def test_list_errors(wish: Wish, path: str, params: dict[str, str], text: str | None) -> None:
    for method in ("GET", "POST"):
        body = wish.err(path, 1000, 400, method, **params)
        assert body["data"] == {}
        if text is not None:
            assert body["message"] == text


def test_multi_get_bad_upto(wish: Wish) -> None:
    body = wish.err("order/multi-get", 1000, 400, "GET", upto="2018-13-01")
    assert body == {"code": 1000, "data": {}, "message": message("invalid_param", value="2018-13-01", param="upto")}


def test_wish_express_only_and_fbw(client: TestClient, wish: Wish) -> None:
    t0 = freeze(client)
    express = tx(client, count=3, country=None, wish_express_share=1.0, seed=2)
    plain = tx(client, count=3, seed=2)
    fbw = tx(client, count=3, fbw_share=1.0, seed=2)
    since = stamp(t0)
    assert ids_of(walk(wish, since=since, wish_express_only="True")) == express
    assert ids_of(walk(wish, since=since)) == express + plain + fbw
    assert ids_of(walk(wish, "order/multi-get-fbw", since=since)) == fbw
    assert set(express) <= set(ids_of(walk(wish, "order/get-fulfill", wish_express_only="True")))
    assert not set(plain) & set(ids_of(walk(wish, "order/get-fulfill", wish_express_only="True")))
    fbw_order = get(wish, fbw[0])
    assert fbw_order["is_fbw"] == "True" and fbw_order["fbw_warehouse_code"]
    assert_order_shape(fbw_order)
    fees = {f["FBWFee"]["fee_name"]: f["FBWFee"] for f in fbw_order["fbw_fees"]}
    assert fees["FBW_FULFILLMENT_FEE"]["amount"] == str(1.5 * int(fbw_order["quantity"]))  # per unit, USD
    assert fees["FBW_PACKING_FEE"]["amount"] == "0.3"  # per order
    cny = get(Wish(client, SECOND_TOKEN), tx(client, SECOND_TOKEN, count=1, fbw_share=1.0, seed=2)[0])
    assert {f["FBWFee"]["currency"] for f in cny["fbw_fees"]} == {"CNY"}  # in the order's currency
    assert next(f["FBWFee"]["amount"] for f in cny["fbw_fees"] if f["FBWFee"]["fee_type"] == "2") == "1.8"
    assert "is_fbw" not in get(wish, plain[0])
    # Wish ships its own warehouse's orders: they never await the merchant, who cannot fulfil them
    assert not set(fbw) & set(ids_of(walk(wish, "order/get-fulfill")))
    approved_fbw = next(o for o in fbw if get(wish, o)["state"] == "APPROVED")
    body = wish.err("order/fulfill-one", 1000, 400, id=approved_fbw, tracking_provider="USPS",
                    tracking_number=USPS_1, origin_country_code="CN")
    assert body["message"] == message("order_fulfilled_by_wish", id=approved_fbw) and body["data"] == {}


def test_an_empty_list_still_has_paging(client: TestClient, wish: Wish) -> None:
    body = wish.call("order/multi-get", "GET", since="2999-01-01").json()
    assert body["code"] == 0 and body["data"] == [] and body["paging"] == {}


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_lists_xml_and_alias(client: TestClient, wish: Wish, method: str) -> None:
    t0 = freeze(client)
    mine = tx(client, count=2)
    r = wish.call("order/multi-get", method, since=stamp(t0), format="xml")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/xml")
    root = ET.fromstring(r.text)
    assert [e.findtext("order_id") for e in root.iterfind("data/Order")] == mine
    for path in ("order/multi-get", "order/multi-get-fbw", "order/get-fulfill"):
        a = wish.call("/v2/" + path, method, limit=5).json()
        b = wish.call("/api/v2/" + path, method, limit=5).json()
        assert a["code"] == 0 and a["data"] == b["data"], path


# ---- /order/get-fulfill ---------------------------------------------------------------------------------

def test_get_fulfill_lists_approved_only_oldest_first(client: TestClient, wish: Wish) -> None:
    listed = walk(wish, "order/get-fulfill")
    assert listed and all(o["state"] == "APPROVED" and "hours_to_fulfill" in o for o in listed)
    times = [(o["order_time"], o["order_id"]) for o in listed]
    assert times == sorted(times)
    every = walk(wish)
    assert {o["order_id"] for o in every if o["state"] == "APPROVED"} == set(ids_of(listed))
    review = one(client, state="REQUIRE_REVIEW")
    approved = one(client)
    now = ids_of(walk(wish, "order/get-fulfill"))
    assert approved in now and review not in now
    ship(wish, approved)
    assert approved not in ids_of(walk(wish, "order/get-fulfill"))


# ---- /order/fulfill-one ------------------------------------------------------------------------------------

def test_fulfill_one(client: TestClient, wish: Wish, advance: Any) -> None:
    t0 = freeze(client)
    oid = one(client)
    advance(5)
    r = wish.call("order/fulfill-one", "GET", id=oid, tracking_provider="usps", tracking_number=USPS_1,
                  origin_country_code="cn", ship_note="box 3")
    assert r.status_code == 200 and r.json() == {"code": 0, "data": {"success": True}, "message": FULFILLED}
    o = get(wish, oid)
    assert o["state"] == "SHIPPED" and o["shipping_provider"] == "USPS"  # the accepted carrier's own spelling
    assert (o["tracking_number"], o["ship_note"], o["tracking_confirmed"]) == (USPS_1, "box 3", "False")
    assert o["shipped_date"] == (t0 + timedelta(seconds=5)).strftime("%Y-%m-%d")
    assert o["last_updated"] == stamp(t0 + timedelta(seconds=5))


def test_fulfill_one_xml_and_alias(client: TestClient, wish: Wish) -> None:
    a, b = tx(client, count=2)
    r = wish.call("order/fulfill-one", id=a, tracking_provider="USPS", tracking_number=USPS_1,
                  origin_country_code="CN", format="xml")
    root = ET.fromstring(r.text)
    assert r.status_code == 200 and root.findtext("code") == "0" and root.findtext("data/success") == "True"
    assert root.findtext("message") == FULFILLED
    r = wish.call("/v2/order/fulfill-one", id=b, tracking_provider="USPS", tracking_number=USPS_1,
                  origin_country_code="CN")
    assert r.status_code == 200 and r.json()["data"] == {"success": True}
    assert get(wish, a)["state"] == get(wish, b)["state"] == "SHIPPED"


def test_fulfill_one_with_every_accepted_carrier_family(client: TestClient, wish: Wish) -> None:
    carriers = wish.ok("fulfillment/get-shipping-carriers")["shipping_carriers"]
    assert {"USPS", "YunExpress", "EPacket", "DHL"} <= set(carriers)
    for carrier, oid in zip(("YunExpress", "EPacket", "DHL"), tx(client, count=3), strict=True):
        ship(wish, oid, provider=carrier, number="AB123456789CN")
        assert get(wish, oid)["shipping_provider"] == carrier


def test_fulfill_one_errors(client: TestClient, wish: Wish) -> None:
    oid = one(client)
    args = {"id": oid, "tracking_provider": "USPS", "tracking_number": USPS_1, "origin_country_code": "CN"}
    body = wish.err("order/fulfill-one", 1000, 400, **dict(args, tracking_provider="Pigeon Post"))
    assert body == {"code": 1000, "data": 2003,
                    "message": "Tracking provider is not one of the accepted providers on Wish"}
    assert body["message"] == message("carrier_not_accepted")
    body = wish.err("order/fulfill-one", 1001, 400, **{k: v for k, v in args.items() if k != "origin_country_code"})
    assert body == {"code": 1001, "data": "origin_country_code",
                    "message": "Required Param 'origin_country_code' Missing"}
    assert wish.err("order/fulfill-one", 1001, 400, **dict(args, origin_country_code=" "))["data"] == (
        "origin_country_code")
    body = wish.err("order/fulfill-one", 1000, 400, **dict(args, origin_country_code="ZZ"))
    assert body["message"] == message("invalid_param", value="ZZ", param="origin_country_code")
    body = wish.err("order/fulfill-one", 1000, 400, **dict(args, tracking_number="9400 1000 0000"))
    assert body == {"code": 1000, "data": {},
                    "message": message("invalid_tracking_number", value="9400 1000 0000")}
    body = wish.err("order/fulfill-one", 1001, 400, **{k: v for k, v in args.items() if k != "tracking_number"})
    assert body == {"code": 1001, "data": "tracking_number",
                    "message": message("missing_param", param="tracking_number")}
    for missing in ("id", "tracking_provider"):
        body = wish.err("order/fulfill-one", 1001, 400, **{k: v for k, v in args.items() if k != missing})
        assert body == {"code": 1001, "data": missing, "message": message("missing_param", param=missing)}
    assert wish.err("order/fulfill-one", 1000, 400, **dict(args, id="0"))["data"] == 2014
    body = wish.err("order/fulfill-one", 1004, 400, **dict(args, id=NOWHERE))
    assert body == {"code": 1004, "data": 2021, "message": message("order_not_found", id=NOWHERE)}
    assert get(wish, oid)["state"] == "APPROVED"  # none of these shipped it
    wish.ok("order/fulfill-one", **args)
    body = wish.err("order/fulfill-one", 1002, 400, **dict(args, tracking_number=USPS_2))
    assert body == {"code": 1002, "data": {}, "message": message("order_already_fulfilled", id=oid)}
    assert get(wish, oid)["tracking_number"] == USPS_1


def test_fulfill_under_review_and_refunded(client: TestClient, wish: Wish) -> None:
    review, cancelled = one(client, state="REQUIRE_REVIEW"), one(client)
    refund(wish, cancelled)
    args = {"tracking_provider": "USPS", "tracking_number": USPS_1, "origin_country_code": "CN"}
    body = wish.err("order/fulfill-one", 1000, 400, id=review, **args)
    assert body == {"code": 1000, "data": {}, "message": message("order_under_review", id=review)}
    body = wish.err("order/fulfill-one", 1000, 400, id=cancelled, **args)
    assert body == {"code": 1000, "data": {}, "message": message("order_already_refunded", id=cancelled)}
    assert get(wish, review)["state"] == "REQUIRE_REVIEW" and get(wish, cancelled)["state"] == "REFUNDED"


def test_confirmed_delivery_country_needs_a_confirmed_delivery_carrier(client: TestClient, wish: Wish) -> None:
    orders = [get(wish, oid) for oid in tx(client, count=8, country="US", seed=21)]
    needing = [o for o in orders if o["requires_delivery_confirmation"] == "True"]
    assert needing, "US orders of 10 USD or more need Confirmed Delivery"
    assert all(int(o["quantity"]) * (float(o["price"]) + float(o["shipping"])) >= 10 for o in needing)
    oid = needing[0]["order_id"]
    us_carriers = wish.ok("fulfillment/get-confirmed-delivery-shipping-carriers-for-country",
                          country_code="US")["carriers"]
    assert "USPS" in us_carriers and "YunExpress" not in us_carriers
    body = wish.err("order/fulfill-one", 1000, 400, id=oid, tracking_provider="YunExpress",
                    tracking_number="YT1900000000001", origin_country_code="CN")
    assert body == {"code": 1000, "data": {}, "message": message("confirmed_delivery_carrier", id=oid, country="US",
                                                                 provider="YunExpress")}
    ship(wish, oid, provider="USPS")
    assert get(wish, oid)["state"] == "SHIPPED"
    # modify-tracking is held to the same rule
    body = wish.err("order/modify-tracking", 1000, 400, id=oid, tracking_provider="YunExpress",
                    tracking_number="YT1900000000001", origin_country_code="CN")
    assert body["message"] == message("confirmed_delivery_carrier", id=oid, country="US", provider="YunExpress")
    # an order that needs none ships with any accepted carrier
    cheap = next((o for o in orders if o["requires_delivery_confirmation"] == "False"), None)
    if cheap is not None:
        ship(wish, cheap["order_id"], provider="YunExpress", number="YT1900000000002")


def test_the_carrier_confirms_delivery_on_the_clock(client: TestClient, wish: Wish, advance: Any,
                                                    settings: Settings) -> None:
    """A Confirmed Delivery order: confirmed_delivery "False" once shipped; the first scan, then the delivery
    scan on the clock, each stamped at its instant; the CSV's two columns say the same. An order outside the
    policy carries neither key, and its CSV row still shows the carrier's delivery scan."""
    freeze(client)
    orders = [get(wish, oid) for oid in tx(client, count=8, country="US", seed=21)]
    cd = next(o["order_id"] for o in orders if o["requires_delivery_confirmation"] == "True")
    plain = one(client, seed=4)  # Canada: outside the policy
    shipped_at = now_of(client)
    ship(wish, cd)
    ship(wish, plain, number=USPS_2)
    o = get(wish, cd)
    assert o["confirmed_delivery"] == "False" and "date_shipping_carrier_confirmed_delivery" not in o
    assert "confirmed_delivery" not in get(wish, plain)
    scan = timedelta(seconds=settings.order_tracking_confirm_seconds)
    delivery = timedelta(seconds=settings.order_delivery_confirm_seconds)
    advance(int((scan + delivery).total_seconds()) - 1)  # scanned, not yet delivered
    o = get(wish, cd)
    assert (o["tracking_confirmed"], o["confirmed_delivery"]) == ("True", "False")
    assert o["last_updated"] == stamp(shipped_at + scan)
    advance(1)
    o = get(wish, cd)
    delivered = stamp(shipped_at + scan + delivery)
    assert (o["confirmed_delivery"], o["date_shipping_carrier_confirmed_delivery"], o["last_updated"]) == (
        "True", delivered, delivered)
    assert_order_shape(o)
    assert cd in ids_of(walk(wish, since=delivered))  # since-polling sees the delivery
    rows = {r["Order Id"]: r for r in csv_rows(client, finished(wish, advance, create_job(wish))["download_link"])}
    assert (rows[cd]["Confirmed Delivery"], rows[cd]["Date Shipping Carrier Confirmed Delivery"]) == (
        "True", delivered)
    assert rows[plain]["Confirmed Delivery"] == "True"
    unshipped = next(o["order_id"] for o in orders if o["order_id"] != cd)
    assert rows[unshipped]["Confirmed Delivery"] == rows[unshipped]["Date Shipping Carrier Confirmed Delivery"] == ""


def test_new_tracking_starts_the_scans_again_and_a_refund_stops_them(client: TestClient, wish: Wish,
                                                                    advance: Any, settings: Settings) -> None:
    freeze(client)
    orders = [get(wish, oid) for oid in tx(client, count=8, country="US", seed=21)]
    first, second = [o["order_id"] for o in orders if o["requires_delivery_confirmation"] == "True"][:2]
    ship(wish, first)
    advance(settings.order_tracking_confirm_seconds + settings.order_delivery_confirm_seconds)
    assert get(wish, first)["confirmed_delivery"] == "True"
    assert wish.ok("order/modify-tracking", id=first, tracking_provider="USPS", tracking_number=USPS_2,
                   origin_country_code="CN") == {"success": True}
    o = get(wish, first)
    assert (o["tracking_confirmed"], o["confirmed_delivery"]) == ("False", "False")
    assert "date_shipping_carrier_confirmed_delivery" not in o
    # returned to sender after the first scan: the delivery scan never comes
    ship(wish, second, number=USPS_2)
    advance(settings.order_tracking_confirm_seconds)
    refund(wish, second, "32")
    advance(settings.order_delivery_confirm_seconds * 2)
    o = get(wish, second)
    assert (o["state"], o["tracking_confirmed"], o["confirmed_delivery"]) == ("REFUNDED", "True", "False")
    assert "date_shipping_carrier_confirmed_delivery" not in o


def test_the_delivery_scan_keeps_its_delay_after_a_hooked_first_scan(client: TestClient, wish: Wish, advance: Any,
                                                                     settings: Settings) -> None:
    freeze(client)
    orders = [get(wish, oid) for oid in tx(client, count=8, country="US", seed=21)]
    oid = next(o["order_id"] for o in orders if o["requires_delivery_confirmation"] == "True")
    ship(wish, oid)
    advance(60)
    scanned = now_of(client)
    assert client.post(f"/sandbox/api/orders/{oid}/confirm-tracking").status_code == 200
    advance(settings.order_delivery_confirm_seconds - 1)
    assert get(wish, oid)["confirmed_delivery"] == "False"
    advance(1)
    o = get(wish, oid)
    delivered = stamp(scanned + timedelta(seconds=settings.order_delivery_confirm_seconds))
    assert (o["confirmed_delivery"], o["date_shipping_carrier_confirmed_delivery"]) == ("True", delivered)


def test_confirm_delivery_hook(client: TestClient, wish: Wish) -> None:
    freeze(client)
    orders = [get(wish, oid) for oid in tx(client, count=8, country="US", seed=21)]
    oid = next(o["order_id"] for o in orders if o["requires_delivery_confirmation"] == "True")
    ship(wish, oid)
    now = stamp(now_of(client))
    r = client.post(f"/sandbox/api/orders/{oid}/confirm-delivery")  # before the first scan: both at once
    assert r.status_code == 200, r.text
    o = get(wish, oid)
    assert (o["tracking_confirmed"], o["tracking_confirmed_date"], o["confirmed_delivery"],
            o["date_shipping_carrier_confirmed_delivery"], o["last_updated"]) == ("True", now, "True", now, now)
    assert r.json()["Order"]["confirmed_delivery"] == "True"
    assert assert_envelope_error(client.post(f"/sandbox/api/orders/{oid}/confirm-delivery"))["code"] == 1000
    approved = next(o["order_id"] for o in orders if o["order_id"] != oid)
    assert assert_envelope_error(client.post(f"/sandbox/api/orders/{approved}/confirm-delivery"))["code"] == 1000
    assert assert_envelope_error(client.post(f"/sandbox/api/orders/{'f' * 24}/confirm-delivery"))["code"] == 1004


def test_change_shipping_to_a_confirmed_delivery_country(client: TestClient, wish: Wish) -> None:
    orders = [get(wish, oid) for oid in tx(client, count=6, seed=5)]
    dear = next(o for o in orders if int(o["quantity"]) * (float(o["price"]) + float(o["shipping"])) >= 10)
    assert dear["requires_delivery_confirmation"] == "False"  # Canada needs no Confirmed Delivery
    wish.ok("order/change-shipping", id=dear["order_id"], street_address1="1 Main St", city="Austin", state="TX",
            zipcode="73301", country="US")
    assert get(wish, dear["order_id"])["requires_delivery_confirmation"] == "True"


# ---- /order/modify-tracking ---------------------------------------------------------------------------------

def test_modify_tracking(client: TestClient, wish: Wish, advance: Any) -> None:
    t0 = freeze(client)
    oid = one(client)
    ship(wish, oid)
    advance(30)
    r = wish.call("order/modify-tracking", "GET", id=oid, tracking_provider="DHL", tracking_number="1234567890",
                  origin_country_code="CN")
    assert r.status_code == 200 and r.json() == {"code": 0, "data": {"success": True}, "message": ""}
    o = get(wish, oid)
    assert (o["state"], o["shipping_provider"], o["tracking_number"]) == ("SHIPPED", "DHL", "1234567890")
    assert o["last_updated"] == stamp(t0 + timedelta(seconds=30)) and o["tracking_confirmed"] == "False"
    assert o["shipped_date"] == t0.strftime("%Y-%m-%d")
    r = wish.call("/v2/order/modify-tracking", id=oid, tracking_provider="DHL", tracking_number="1234567891",
                  origin_country_code="CN", format="xml")
    assert r.status_code == 200 and ET.fromstring(r.text).findtext("data/success") == "True"
    assert get(wish, oid)["tracking_number"] == "1234567891"


def test_modify_tracking_errors(client: TestClient, wish: Wish) -> None:
    approved, shipped, refunded = tx(client, count=3)
    ship(wish, shipped)
    ship(wish, refunded)
    refund(wish, refunded, "25")
    args = {"tracking_provider": "USPS", "tracking_number": USPS_2, "origin_country_code": "CN"}
    body = wish.err("order/modify-tracking", 1000, 400, id=approved, **args)
    assert body == {"code": 1000, "data": {}, "message": message("order_not_shipped", id=approved)}
    assert body["message"] == f"Order {approved} is not shipped"
    body = wish.err("order/modify-tracking", 1000, 400, id=refunded, **args)
    assert body == {"code": 1000, "data": {}, "message": message("order_already_refunded", id=refunded)}
    body = wish.err("order/modify-tracking", 1014, 400, id=shipped, **dict(args, tracking_number=USPS_1))
    assert body == {"code": 1014, "data": {}, "message": "Tracking information is unchanged"}
    body = wish.err("order/modify-tracking", 1000, 400, id=shipped, **dict(args, tracking_provider="Nobody Express"))
    assert body == {"code": 1000, "data": 2003, "message": message("carrier_not_accepted")}
    body = wish.err("order/modify-tracking", 1000, 400, id=shipped, **dict(args, tracking_number="A B"))
    assert body["message"] == message("invalid_tracking_number", value="A B")
    body = wish.err("order/modify-tracking", 1001, 400, id=shipped, **{k: v for k, v in args.items()
                                                                      if k != "origin_country_code"})
    assert body["data"] == "origin_country_code"
    assert wish.err("order/modify-tracking", 1004, 400, id=NOWHERE, **args)["data"] == 2021
    assert wish.err("order/modify-tracking", 1000, 400, id="0", **args)["data"] == 2014
    assert get(wish, shipped)["tracking_number"] == USPS_1


# ---- /order/refund ------------------------------------------------------------------------------------------

def test_refund_writes_the_refund_fields(client: TestClient, wish: Wish, advance: Any) -> None:
    t0 = freeze(client)
    oid = one(client)
    advance(7)
    r = wish.call("order/refund", "GET", id=oid, reason_code="1", reason_note="out of stock")
    assert r.status_code == 200 and r.json() == {"code": 0, "data": {"success": True}, "message": ""}
    o = get(wish, oid)
    assert o["state"] == "REFUNDED" and o["refunded_by"] == "REFUNDED BY MERCHANT"
    assert o["refunded_reason"] == "Store is unable to fulfill order"
    assert o["refunded_time"] == (t0 + timedelta(seconds=7)).strftime("%Y-%m-%d")
    assert o["last_updated"] == stamp(t0 + timedelta(seconds=7))
    info = o["refunds"][0]["RefundsInfo"]
    buyer_paid = int(o["quantity"]) * (float(o["price"]) + float(o["shipping"]))
    assert float(info["refund_amount"]) == pytest.approx(buyer_paid, abs=0.006)
    assert float(info["merchant_responsible_amount"]) == pytest.approx(float(o["order_total"]), abs=0.006)
    assert info["refund_reason"] == o["refunded_reason"] and info["currency_code"] == o["currency_code"]
    assert info["refund_time"] == stamp(t0 + timedelta(seconds=7))
    assert not set(o) & TRACKING_KEYS and "days_to_fulfill" not in o
    assert_order_shape(o)


@pytest.mark.parametrize(("code", "text"), [("25", "Item is damaged"), ("32", "Item was returned to sender"),
                                            ("1", "Store is unable to fulfill order")])
def test_refund_after_shipping_with_each_era_c_reason(client: TestClient, wish: Wish, code: str, text: str) -> None:
    oid = one(client)
    ship(wish, oid)
    r = wish.call("/v2/order/refund", id=oid, reason_code=code, format="xml")
    assert r.status_code == 200 and ET.fromstring(r.text).findtext("data/success") == "True"
    o = get(wish, oid)
    assert o["state"] == "REFUNDED" and o["refunded_reason"] == text
    # shipped before the refund: its tracking stays on the order
    assert (o["shipping_provider"], o["tracking_number"]) == ("USPS", USPS_1) and "shipped_date" in o
    assert_order_shape(o)


def test_refund_errors(client: TestClient, wish: Wish) -> None:
    approved, shipped, review = one(client), one(client), one(client, state="REQUIRE_REVIEW")
    ship(wish, shipped)
    for refused in ("2", "0", "-1", "18", "20", "1001"):  # era A and B codes are refused by default (era C)
        for oid in (approved, shipped):
            body = wish.err("order/refund", 1000, 400, id=oid, reason_code=refused, reason_note="because")
            assert body == {"code": 1000, "data": {}, "message": message("invalid_reason_code", code=int(refused))}
    assert message("invalid_reason_code", code=2) == "Invalid reason_code 2"
    for needs_parcel in ("25", "32"):  # damaged and returned-to-sender need a shipped order
        body = wish.err("order/refund", 1000, 400, id=approved, reason_code=needs_parcel)
        assert body == {"code": 1000, "data": {},
                        "message": message("reason_needs_shipment", code=int(needs_parcel), id=approved)}
    body = wish.err("order/refund", 1000, 400, id=review, reason_code="1")
    assert body == {"code": 1000, "data": {}, "message": message("order_under_review", id=review)}
    body = wish.err("order/refund", 1001, 400, id=approved)
    assert body == {"code": 1001, "data": "reason_code", "message": message("missing_param", param="reason_code")}
    assert wish.err("order/refund", 1000, 400, id=approved, reason_code="one")["data"] == {}
    assert wish.err("order/refund", 1004, 400, id=NOWHERE, reason_code="1")["data"] == 2021
    assert wish.err("order/refund", 1000, 400, id="0", reason_code="1")["data"] == 2014
    assert get(wish, approved)["state"] == "APPROVED" and get(wish, shipped)["state"] == "SHIPPED"
    refund(wish, approved)
    body = wish.err("order/refund", 1000, 400, id=approved, reason_code="1")
    assert body == {"code": 1000, "data": {}, "message": message("order_already_refunded", id=approved)}
    assert body["message"] == f"Order {approved} has already been refunded"


def test_refund_before_shipping_gives_inventory_back_and_not_after(client: TestClient, wish: Wish) -> None:
    probe = get(wish, one(client, seed=11))
    sku, pid = probe["sku"], probe["product_id"]
    stock, sold = inventory(wish, sku), number_sold(wish, pid)
    assert stock > 20, "a SKU with stock to spare"
    before, after = tx(client, count=2, sku=sku, seed=12)
    units = {oid: int(get(wish, oid)["quantity"]) for oid in (before, after)}
    assert inventory(wish, sku) == stock - sum(units.values())  # an order takes its units
    assert number_sold(wish, pid) == sold + sum(units.values())
    refund(wish, before)  # not shipped: the units go back
    assert inventory(wish, sku) == stock - units[after]
    assert number_sold(wish, pid) == sold + units[after]
    ship(wish, after)
    refund(wish, after, "25")  # shipped: the units are gone
    assert inventory(wish, sku) == stock - units[after]
    assert number_sold(wish, pid) == sold + units[after]


# ---- /order/change-shipping -------------------------------------------------------------------------------

def test_change_shipping(client: TestClient, wish: Wish, advance: Any) -> None:
    t0 = freeze(client)
    oid = one(client)
    advance(3)
    r = wish.call("order/change-shipping", "GET", **NEW_ADDRESS, id=oid)
    assert r.status_code == 200 and r.json() == {"code": 0, "data": {"success": True}, "message": ""}
    o = get(wish, oid)
    assert o["state"] == "APPROVED" and o["last_updated"] == stamp(t0 + timedelta(seconds=3))
    assert {k: v for k, v in o["ShippingDetail"].items() if k != "name"} == NEW_ADDRESS
    r = wish.call("/v2/order/change-shipping", **dict(NEW_ADDRESS, city="Ottawa"), id=oid, format="xml")
    assert r.status_code == 200 and ET.fromstring(r.text).findtext("data/success") == "True"
    assert get(wish, oid)["ShippingDetail"]["city"] == "Ottawa"


def test_change_shipping_errors(client: TestClient, wish: Wish) -> None:
    approved, shipped, refunded = tx(client, count=3)
    ship(wish, shipped)
    refund(wish, refunded)
    body = wish.err("order/change-shipping", 1000, 400, id=shipped, **NEW_ADDRESS)
    assert body == {"code": 1000, "data": {}, "message": message("order_already_shipped", id=shipped)}
    assert body["message"] == f"Order {shipped} has already been shipped"
    body = wish.err("order/change-shipping", 1000, 400, id=refunded, **NEW_ADDRESS)
    assert body == {"code": 1000, "data": {}, "message": message("order_already_refunded", id=refunded)}
    for missing in ("street_address1", "city", "zipcode", "country"):
        body = wish.err("order/change-shipping", 1001, 400, id=approved,
                        **{k: v for k, v in NEW_ADDRESS.items() if k != missing})
        assert body == {"code": 1001, "data": missing, "message": message("missing_param", param=missing)}
    body = wish.err("order/change-shipping", 1000, 400, id=approved, **dict(NEW_ADDRESS, country="Canada"))
    assert body == {"code": 1000, "data": {}, "message": message("invalid_param", value="Canada", param="country")}
    assert wish.err("order/change-shipping", 1004, 400, id=NOWHERE, **NEW_ADDRESS)["data"] == 2021
    assert wish.err("order/change-shipping", 1000, 400, id="0", **NEW_ADDRESS)["data"] == 2014
    assert get(wish, approved)["ShippingDetail"]["street_address1"] != NEW_ADDRESS["street_address1"]


# ---- last_updated and the clock ------------------------------------------------------------------------------

def test_last_updated_moves_on_every_transition(client: TestClient, wish: Wish, advance: Any,
                                                settings: Settings) -> None:
    t0 = freeze(client)
    oid = one(client, state="REQUIRE_REVIEW")
    assert get(wish, oid)["last_updated"] == stamp(t0)
    advance(settings.order_review_seconds)  # released on the clock
    t = t0 + timedelta(seconds=settings.order_review_seconds)
    o = get(wish, oid)
    assert (o["state"], o["last_updated"], o["released_to_merchant_time"]) == ("APPROVED", stamp(t), stamp(t))
    steps: list[tuple[str, Any]] = [
        ("change-shipping", lambda: wish.ok("order/change-shipping", id=oid, **NEW_ADDRESS)),
        ("fulfill-one", lambda: ship(wish, oid)),
        ("modify-tracking", lambda: wish.ok("order/modify-tracking", id=oid, tracking_provider="USPS",
                                            tracking_number=USPS_2, origin_country_code="CN")),
    ]
    for name, step in steps:
        advance(60)
        t += timedelta(seconds=60)
        step()
        assert get(wish, oid)["last_updated"] == stamp(t), name
        assert ids_of(walk(wish, since=stamp(t))) == [oid], name  # what an ERP's since-polling sees
    advance(settings.order_tracking_confirm_seconds)  # the carrier's scan
    t += timedelta(seconds=settings.order_tracking_confirm_seconds)
    o = get(wish, oid)
    assert (o["tracking_confirmed"], o["tracking_confirmed_date"], o["last_updated"]) == ("True", stamp(t), stamp(t))
    advance(60)
    refund(wish, oid, "32")
    assert get(wish, oid)["last_updated"] == stamp(t + timedelta(seconds=60))
    assert oid in ids_of(walk(wish, since=stamp(t + timedelta(seconds=60))))
    assert oid not in ids_of(walk(wish, upto=stamp(t + timedelta(seconds=59)),
                                  since=stamp(t - timedelta(seconds=1))))


def test_review_released_after_the_review_delay(client: TestClient, wish: Wish, advance: Any,
                                                settings: Settings) -> None:
    assert settings.order_review_seconds == 3600  # the documented default
    t0 = freeze(client)
    oid = one(client, state="REQUIRE_REVIEW")
    o = get(wish, oid)
    assert o["state"] == "REQUIRE_REVIEW" and "released_to_merchant_time" not in o and "hours_to_fulfill" not in o
    assert oid not in ids_of(walk(wish, "order/get-fulfill"))
    advance(settings.order_review_seconds - 1)
    assert get(wish, oid)["state"] == "REQUIRE_REVIEW"
    advance(1)
    o = get(wish, oid)
    released = stamp(t0 + timedelta(seconds=settings.order_review_seconds))
    assert o["state"] == "APPROVED" and o["released_to_merchant_time"] == released and o["last_updated"] == released
    assert oid in ids_of(walk(wish, "order/get-fulfill"))
    ship(wish, oid)  # now it can be fulfilled


@pytest.mark.parametrize("failing", [
    {"access_token": "bogus"},  # 4000 before anything is read
    {"id": "0" * 24},  # 1004 after the token and the lookup
])
def test_a_failed_request_does_not_lose_what_the_clock_did(client: TestClient, wish: Wish, advance: Any,
                                                            settings: Settings, failing: dict[str, str]) -> None:
    freeze(client)
    oid = one(client, state="REQUIRE_REVIEW")
    advance(settings.order_review_seconds * 2)
    # the first request after the release instant fails: the release is committed all the same
    r = client.get("/api/v2/order", params={"id": oid, "access_token": DEFAULT_TOKEN, **failing})
    assert r.json()["code"] in (4000, 1004), r.text
    assert get(wish, oid)["state"] == "APPROVED"
    assert oid in ids_of(walk(wish, "order/get-fulfill"))


def test_hours_to_fulfill_count_down(client: TestClient, wish: Wish, advance: Any, settings: Settings) -> None:
    t0 = freeze(client)
    oid = one(client, state="REQUIRE_REVIEW")
    advance(settings.order_review_seconds)
    window = settings.order_fulfill_hours
    assert window == 120

    def left() -> tuple[str, str]:
        o = get(wish, oid)
        return o["days_to_fulfill"], o["hours_to_fulfill"]

    assert left() == ("5", "120")
    released = t0 + timedelta(seconds=settings.order_review_seconds)
    assert get(wish, oid)["expected_ship_date"] == stamp(released + timedelta(hours=window))
    advance(1)
    assert left() == ("4", "119")  # whole hours left, rounded down
    advance(3599)
    assert left() == ("4", "119")
    advance(3600 * 23)
    assert left() == ("4", "96")
    advance(3600)
    assert left() == ("3", "95")
    advance(3600 * 95)
    assert left() == ("0", "0")
    advance(3600 * 5)
    assert left() == ("0", "0")  # past the deadline: never negative
    listed = {o["order_id"]: o for o in walk(wish, "order/get-fulfill")}
    assert listed[oid]["hours_to_fulfill"] == "0"


def test_tracking_confirmed_after_the_confirm_delay(client: TestClient, wish: Wish, advance: Any,
                                                    settings: Settings) -> None:
    assert settings.order_tracking_confirm_seconds == 2 * 86400
    t0 = freeze(client)
    oid = one(client)
    ship(wish, oid)
    advance(settings.order_tracking_confirm_seconds - 1)
    o = get(wish, oid)
    assert o["tracking_confirmed"] == "False" and "tracking_confirmed_date" not in o
    advance(1)
    confirmed = stamp(t0 + timedelta(seconds=settings.order_tracking_confirm_seconds))
    o = get(wish, oid)
    assert (o["tracking_confirmed"], o["tracking_confirmed_date"], o["last_updated"]) == ("True", confirmed, confirmed)
    assert ids_of(walk(wish, since=confirmed)) == [oid]
    # new tracking has to be confirmed again
    advance(10)
    wish.ok("order/modify-tracking", id=oid, tracking_provider="USPS", tracking_number=USPS_2,
            origin_country_code="CN")
    o = get(wish, oid)
    assert o["tracking_confirmed"] == "False" and "tracking_confirmed_date" not in o
    advance(settings.order_tracking_confirm_seconds)
    assert get(wish, oid)["tracking_confirmed"] == "True"


# ---- download jobs ------------------------------------------------------------------------------------------

def test_download_job_lifecycle_and_csv(client: TestClient, wish: Wish, advance: Any) -> None:
    freeze(client)
    mine = tx(client, count=3)
    ship(wish, mine[0])
    refund(wish, mine[1])
    job = create_job(wish, sort="asc")
    pending = wish.ok("order/get-download-job-status", "GET", job_id=job)
    assert set(pending) == {"status", "created_date"} and pending["status"] == "PENDING"
    datetime.strptime(pending["created_date"], JOB_TS)
    advance(PENDING_S + 1)
    running = wish.ok("order/get-download-job-status", job_id=job)
    assert running["status"] == "RUNNING" and isinstance(running["total_count"], int)
    data = finished(wish, advance, job)
    assert {"status", "created_date", "start_run_time", "end_run_time", "total_count", "processed_count",
            "download_link"} <= set(data)
    assert data["total_count"] == data["processed_count"] and isinstance(data["processed_count"], int)
    m = LINK.match(data["download_link"])
    assert m and m.group("job") == job
    rows = csv_rows(client, data["download_link"])
    assert len(rows) == data["total_count"]
    by_id = {r["Order Id"]: r for r in rows}
    assert set(mine) <= set(by_id)
    for oid in mine:
        o, row = get(wish, oid), by_id[oid]
        assert (row["Order State"], row["SKU"], row["Price (each)"], row["Cost (each)"], row["Quantity"]) == (
            o["state"], o["sku"], o["price"], o["cost"], o["quantity"])
        assert row["Transaction ID"] == o["transaction_id"] and row["Last Updated"] == o["last_updated"]
        detail = o["ShippingDetail"]
        assert row["Country Code"] == detail["country"] and row["Zipcode"] == detail["zipcode"]
        assert row["Tracking"] == o.get("tracking_number", "") and row["Provider"] == o.get("shipping_provider", "")
    times = [(r["Transaction Date"], r["Order Id"]) for r in rows]
    assert times == sorted(times)  # sort=asc
    # XML once, and the /v2 alias
    r = wish.call("/v2/order/get-download-job-status", job_id=job, format="xml")
    root = ET.fromstring(r.text)
    assert r.status_code == 200 and root.findtext("data/status") == "FINISHED"
    assert root.findtext("data/download_link") == data["download_link"]


def test_download_job_limit_and_default_sort(client: TestClient, wish: Wish, advance: Any) -> None:
    freeze(client)
    job = create_job(wish, limit="5")
    rows = csv_rows(client, finished(wish, advance, job)["download_link"])
    assert len(rows) == 5
    times = [(r["Transaction Date"], r["Order Id"]) for r in rows]
    assert times == sorted(times, reverse=True)  # desc by default


def test_cancel_download_job(client: TestClient, wish: Wish, advance: Any) -> None:
    freeze(client)
    job = create_job(wish)
    r = wish.call("order/cancel-download-job", "GET", job_id=job)
    assert r.json() == {"code": 0, "data": {"message": "Job cancelled successfully."}, "message": ""}
    assert wish.ok("order/cancel-download-job", job_id=job) == {"message": "Job has already been cancelled."}
    advance(60)
    data = wish.ok("order/get-download-job-status", job_id=job)
    assert data["status"] == "CANCELLED" and "download_link" not in data
    done = create_job(wish)
    finished(wish, advance, done)
    assert wish.ok("/v2/order/cancel-download-job", job_id=done) == {"message": "Job has already finished."}
    r = wish.call("order/cancel-download-job", job_id=done, format="xml")
    assert ET.fromstring(r.text).findtext("data/message") == "Job has already finished."


@pytest.mark.parametrize("path", ["order/get-download-job-status", "order/cancel-download-job"])
def test_download_job_errors(wish: Wish, path: str) -> None:
    body = wish.err(path, 1001, 400)
    assert body == {"code": 1001, "data": "job_id", "message": message("missing_param", param="job_id")}
    body = wish.err(path, 1000, 400, job_id="0")
    assert body == {"code": 1000, "data": 2014, "message": "0 is an invalid id"}
    body = wish.err(path, 1004, 400, job_id=NOWHERE)
    assert body == {"code": 1004, "data": {}, "message": f"No 'DownloadJob' Found with id: '{NOWHERE}'"}
    assert body["message"] == message("job_not_found", kind="DownloadJob", id=NOWHERE)


def test_create_download_job_errors(wish: Wish) -> None:
    for params in ({"start": "June"}, {"end": "2018-02-30"}, {"limit": "0"}, {"sort": "sideways"}):
        assert wish.err("order/create-download-job", 1000, 400, **params)["data"] == {}


def test_a_product_job_is_not_an_order_job(wish: Wish) -> None:
    product_job = "57bb5803ba2a1f181de31b01"  # the seeded product download job
    assert wish.ok("product/get-download-job-status", job_id=product_job)["status"] == "FINISHED"
    body = wish.err("order/get-download-job-status", 1004, 400, job_id=product_job)
    assert body["message"] == message("job_not_found", kind="DownloadJob", id=product_job)


# ---- tenant isolation ------------------------------------------------------------------------------------

BY_ID: dict[str, dict[str, str]] = {
    "order": {}, "order/fulfill-one": {"tracking_provider": "USPS", "tracking_number": USPS_1,
                                       "origin_country_code": "CN"},
    "order/modify-tracking": {"tracking_provider": "USPS", "tracking_number": USPS_2, "origin_country_code": "CN"},
    "order/refund": {"reason_code": "1"}, "order/change-shipping": NEW_ADDRESS,
}


@pytest.mark.parametrize("path", sorted(BY_ID))
@pytest.mark.parametrize("state", ["APPROVED", "SHIPPED"])
def test_tenant_isolation_by_id(client: TestClient, wish: Wish, other: Wish, path: str, state: str) -> None:
    oid = one(client, state=state, seed=3)
    before = get(wish, oid, show_original_shipping_detail="True")
    for method in ("GET", "POST"):
        foreign = other.call(path, method, id=oid, **BY_ID[path])
        missing = other.call(path, method, id=NOWHERE, **BY_ID[path])
        body = foreign.json()
        assert (foreign.status_code, body) == (400, {"code": 1004, "data": 2021,
                                                     "message": message("order_not_found", id=oid)})
        assert missing.json()["message"].replace(NOWHERE, oid) == body["message"]  # the same answer as "no such order"
    assert get(wish, oid, show_original_shipping_detail="True") == before  # untouched


def test_tenant_isolation_in_lists(client: TestClient, wish: Wish, other: Wish) -> None:
    mine = set(tx(client, count=5, states={"APPROVED": 1, "SHIPPED": 1}, fbw_share=0.5, seed=6))
    theirs_new = set(tx(client, SECOND_TOKEN, count=3, country=None, seed=6))
    everything_mine = set(ids_of(walk(wish)))
    assert mine <= everything_mine and not theirs_new & everything_mine
    for path in ("order/multi-get", "order/multi-get-fbw", "order/get-fulfill"):
        theirs = set(ids_of(walk(other, path)))
        assert not theirs & everything_mine, path
        assert not set(ids_of(walk(wish, path))) & theirs, path
        if path != "order/multi-get-fbw":
            assert theirs_new & theirs, path
    # the paging links carry the caller's own token
    body = other.call("order/multi-get", "GET", limit=1).json()
    assert f"access_token={SECOND_TOKEN}" in body["paging"]["next"] and DEFAULT_TOKEN not in body["paging"]["next"]


def test_tenant_isolation_of_download_jobs(client: TestClient, wish: Wish, other: Wish, advance: Any) -> None:
    freeze(client)
    mine = set(tx(client, count=3))
    theirs = set(tx(client, SECOND_TOKEN, count=2, country=None))
    their_job = create_job(other)
    my_job = create_job(wish)
    their_rows = csv_rows(client, finished(other, advance, their_job)["download_link"])
    assert theirs <= {r["Order Id"] for r in their_rows}
    every_mine = set(ids_of(walk(wish)))
    assert mine <= every_mine and not {r["Order Id"] for r in their_rows} & every_mine
    assert {r["Order Id"] for r in csv_rows(client, wish.ok("order/get-download-job-status", job_id=my_job)[
        "download_link"])} == every_mine
    for path in ("order/get-download-job-status", "order/cancel-download-job"):
        body = other.err(path, 1004, 400, job_id=my_job)
        assert body == {"code": 1004, "data": {}, "message": message("job_not_found", kind="DownloadJob", id=my_job)}
    assert wish.ok("order/get-download-job-status", job_id=my_job)["status"] == "FINISHED"  # not cancelled


# ---- scopes and credentials --------------------------------------------------------------------------------

def _valid(path: str, oid: str, job: str) -> dict[str, str]:
    return {"order": {"id": oid}, "order/multi-get": {}, "order/multi-get-fbw": {}, "order/get-fulfill": {},
            "order/create-download-job": {}, "order/get-download-job-status": {"job_id": job},
            "order/cancel-download-job": {"job_id": job}, **{p: {"id": oid, **BY_ID[p]} for p in WRITES}}[path]


def test_insufficient_scope(client: TestClient, wish: Wish) -> None:
    oid = one(client)
    job = create_job(wish)
    products_only = Wish(client, minted_token(client, ["products:read"]))
    orders_read = Wish(client, minted_token(client, ["orders:read"]))
    for path in ENDPOINTS:
        body = products_only.err(path, 4000, 401, **_valid(path, oid, job))
        assert body == {"code": 4000, "data": {}, "message": message("insufficient_scope")}, path
    for path in WRITES:
        body = orders_read.err(path, 4000, 401, **_valid(path, oid, job))
        assert body == {"code": 4000, "data": {}, "message": message("insufficient_scope")}, path
    assert get(wish, oid)["state"] == "APPROVED"  # nothing was written
    for path in READS:
        if path != "order/cancel-download-job":
            assert orders_read.call(path, **_valid(path, oid, job)).json()["code"] == 0, path
    writer = Wish(client, minted_token(client, ["orders:read", "orders:write"]))
    ship(writer, oid)


def test_unauthenticated(client: TestClient, wish: Wish) -> None:
    oid = one(client)
    for path in ENDPOINTS:
        for token in ("", "nope"):
            body = wish.err(path, 4000, 401, token=token, **_valid(path, oid, NOWHERE))
            assert body == {"code": 4000, "data": {}, "message": message("unauthorized")}, path
    assert get(wish, oid)["state"] == "APPROVED"


def test_bearer_header_and_json_body(client: TestClient, wish: Wish) -> None:
    oid = one(client)
    r = wish.call("order", "GET", bearer=True, id=oid)
    assert r.status_code == 200 and r.json()["data"]["Order"]["order_id"] == oid
    r = client.post("/api/v2/order/fulfill-one", json={"access_token": DEFAULT_TOKEN, "id": oid,
                                                       "tracking_provider": "USPS", "tracking_number": USPS_1,
                                                       "origin_country_code": "CN"})
    assert r.status_code == 200 and r.json()["data"] == {"success": True}
    r = client.post("/api/v2/order/refund", json={"id": oid, "reason_code": 25},
                    headers={"Authorization": f"Bearer {DEFAULT_TOKEN}"})
    assert r.status_code == 200 and get(wish, oid)["refunded_reason"] == "Item is damaged"


# ---- every endpoint: routed, GET and POST, /api/v2 and /v2 ---------------------------------------------------

def test_every_order_endpoint_is_routed() -> None:
    paths = {op.path.lstrip("/") for op in router.operations}
    assert set(ENDPOINTS) <= paths


@pytest.mark.parametrize("path", ENDPOINTS)
def test_get_post_and_alias(client: TestClient, wish: Wish, path: str) -> None:
    for prefix, method in (("/api/v2/", "GET"), ("/api/v2/", "POST"), ("/v2/", "GET"), ("/v2/", "POST")):
        oid = one(client)
        if path in ("order/modify-tracking", "order/refund"):
            ship(wish, oid)
        job = create_job(wish)
        params = dict(_valid(path, oid, job))
        if path == "order/refund":
            params["reason_code"] = "25"
        r = wish.call(prefix + path, method, **params)
        body = r.json()
        assert r.status_code == 200 and body["code"] == 0, (prefix, method, body)
        assert r.headers["content-type"].startswith("application/json")


def test_malformed_input_never_500(client: TestClient, wish: Wish) -> None:
    oid = one(client)
    for op in router.operations:
        for name in [p.name for p in op.spec.params]:
            for value in ("", " ", "\x00", "x" * 3000, "ü✓漢字", "'", "-1", "1e400", "{"):
                r = wish.call(op.path.lstrip("/"), "POST", **{"id": oid, name: value})
                assert r.status_code < 500 and "detail" not in r.json(), (op.path, name, value, r.text[:200])
                if r.status_code != 200:
                    assert_envelope_error(r)


# ---- volume: 10,000 orders, paged by 500 while more are generated ----------------------------------------------

def test_paging_ten_thousand_orders_while_generating(client: TestClient, advance: Any) -> None:
    """The real clock runs (not frozen): batches get different last_updated values. A client pages through
    multi-get with limit=500 from a `since` while the sandbox keeps generating; each order comes exactly once,
    in (last_updated, order_id) order, and the orders generated meanwhile come at the end."""
    worldwide = Wish(client, WORLDWIDE_TOKEN)
    since = stamp(now_of(client) + timedelta(seconds=1))  # after every seeded change
    advance(2)
    first = tx(client, WORLDWIDE_TOKEN, count=10_000, country=None, states={"APPROVED": 3, "SHIPPED": 1},
               combined_share=0.2, seed=1)
    later: list[str] = []
    seen: list[dict[str, Any]] = []
    start = 0
    while True:
        data = worldwide.ok("order/multi-get", "GET", since=since, start=start, limit=500)
        seen += [o["Order"] for o in data]
        if len(data) < 500:
            break
        start += 500
        if len(later) < 1000:
            advance(1)
            later += tx(client, WORLDWIDE_TOKEN, count=250, country=None)
    ids = ids_of(seen)
    assert len(ids) == len(set(ids)) == 10_000 + len(later)
    assert set(ids) == set(first) | set(later)
    assert ids[:10_000] == sorted(first) and ids[10_000:] == later
    keys = [(o["last_updated"], o["order_id"]) for o in seen]
    assert keys == sorted(keys)
    # the same walk again answers the same order
    assert ids_of(walk(worldwide, since=since)) == ids
