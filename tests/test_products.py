"""HTTP tests of the product endpoints: /product, /product/multi-get, /product/add, /product/update,
/product/change-sku, /product/enable, /product/disable, /product/remove, /product/remove-extra-images;
plus, for all 18 /product/* endpoints, the /v2 alias, GET and POST, tenant isolation and malformed input.

Values the docs show are asserted as the docs show them: scalars as strings ("True", "100.0"), entities
wrapped ({"Product": {...}}), errors as {"code": <nonzero>, "data": ..., "message": "..."}."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import pytest
from starlette.testclient import TestClient

from mockwish.errors import message
from mockwish.merchant.products.routes import router
from support import DEFAULT_TOKEN, SECOND_TOKEN, WORLDWIDE_TOKEN, Wish, assert_envelope_error, check_answer, freeze

DOC_PRODUCT = "4ef2858a9795c776ce000120"  # "Retrieve a Product" example
SHOE = "123456789009876543211234"  # update / enable / shipping examples (parent_sku blue-shoe)
RED_SHOE = "57bb5803ba2a1f181de31b01"  # "Remove Product" example (parent_sku ML-SZ52019)
HAT = "111122223333444455556666"  # get-products-shipping example (parent_sku summer-hat)
DOC_JOB = "57bb5803ba2a1f181de31b01"  # the seeded, finished product download job
NOWHERE = "aaaaaaaaaaaaaaaaaaaaaaaa"  # well formed, belongs to nobody
OBJECT_ID = re.compile(r"^[0-9a-f]{24}$")
LAST_UPDATED = "%m-%d-%YT%H:%M:%S"  # "Time when product was last updated (%m-%d-%YT%H:%M:%S)"

ENDPOINTS = (
    "product", "product/multi-get", "product/add", "product/update", "product/change-sku", "product/enable",
    "product/disable", "product/remove", "product/remove-extra-images", "product/update-shipping",
    "product/update-multi-shipping", "product/get-shipping", "product/get-all-shipping",
    "product/get-products-shipping", "product/get-shipping-setting", "product/create-download-job",
    "product/get-download-job-status", "product/cancel-download-job",
)
WRITES_BY_ID = ("product/update", "product/change-sku", "product/enable", "product/disable", "product/remove",
                "product/remove-extra-images", "product/update-shipping", "product/update-multi-shipping")
# the extra parameters each id-taking endpoint needs to get as far as the product lookup
BY_ID_EXTRA: dict[str, dict[str, str]] = {
    "product": {}, "product/update": {"name": "Hijacked"}, "product/change-sku": {"new_parent_sku": "hijacked"},
    "product/enable": {}, "product/disable": {}, "product/remove": {}, "product/remove-extra-images": {},
    "product/update-shipping": {"country": "CA", "price": "1.0"}, "product/update-multi-shipping": {"CA": "1.0"},
    "product/get-shipping": {"country": "CA"}, "product/get-all-shipping": {},
}
# the docs' /product/add example (the curl and PHP versions agree on these values)
DOC_ADD = {
    "name": "red shoe", "parent_sku": "red-shoe", "sku": "red-shoe-11", "inventory": "100", "price": "100",
    "localized_price": "600", "shipping": "10", "localized_shipping": "60", "localized_currency_code": "CNY",
    "country_shipping_prices": '{"US":3.99,"CA":4.99,"LOCAL_US":24.0}', "description": "this is a cool shoe",
    "tags": "red,shoe,cool", "main_image": "http://i.imgur.com/Q1a32kD.jpg",
    "extra_images": "http://i.imgur.com/Cxagv.jpg|http://i.imgur.com/Cxagv.jpg",
}
MINIMAL_ADD = {"name": "Plain mug", "description": "A white mug", "sku": "mug-1", "inventory": "5", "price": "10",
               "shipping": "2", "main_image": "https://img.example.com/mug.jpg"}
CNY_ADD = {"name": "Plain mug", "description": "A white mug", "sku": "mug-1", "inventory": "5",
           "localized_price": "60", "localized_shipping": "12", "localized_currency_code": "CNY",
           "main_image": "https://img.example.com/mug.jpg"}


# ---- helpers ------------------------------------------------------------------------------------------

def product(w: Wish, pid: str, **params: str) -> dict[str, Any]:
    return w.ok("product", "GET", id=pid, **params)["Product"]


def variants(p: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {v["Variant"]["sku"]: v["Variant"] for v in p["variants"]}


def tags(p: dict[str, Any]) -> list[str]:
    return [t["Tag"]["name"] for t in p["tags"]]


def all_ids(w: Wish, **params: str) -> list[str]:
    data = w.ok("product/multi-get", "GET", limit="250", **params)
    return [p["Product"]["id"] for p in data]




def stamp(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%S")




def assert_product_shape(entity: dict[str, Any]) -> dict[str, Any]:
    """{"Product": {...}} with the scalar types of the docs' examples."""
    assert set(entity) == {"Product"}
    p = entity["Product"]
    assert {"id", "name", "description", "parent_sku", "number_sold", "number_saves", "review_status",
            "removed_by_merchant", "tags", "variants", "enabled", "main_image", "date_uploaded",
            "last_updated", "country_shippings", "wish_express_country_codes"} <= set(p)
    assert OBJECT_ID.match(p["id"])
    for key, value in p.items():
        if key == "removed_by_merchant":
            assert isinstance(value, bool)  # a JSON boolean in every doc example
        elif key in ("tags", "variants", "country_shippings", "wish_express_country_codes"):
            assert isinstance(value, list)
        else:
            assert isinstance(value, str), (key, value)
    assert p["enabled"] in ("True", "False") and p["review_status"] in ("approved", "rejected", "pending")
    assert p["number_sold"].isdigit() and p["number_saves"].isdigit()
    datetime.strptime(p["last_updated"], LAST_UPDATED)
    datetime.strptime(p["date_uploaded"], "%Y-%m-%d")
    for t in p["tags"]:
        assert set(t) == {"Tag"} and set(t["Tag"]) == {"id", "name"}
    for cs in p["country_shippings"]:
        assert set(cs) == {"CountryShipping"}
        assert {"price", "localized_price", "localized_currency_code", "country_code"} <= set(cs["CountryShipping"])
    assert p["variants"], "each product has at least one variation"
    for v in p["variants"]:
        assert set(v) == {"Variant"}
        body = v["Variant"]
        assert body["product_id"] == p["id"] and OBJECT_ID.match(body["id"])
        for key, value in body.items():
            if key == "LogisticsMetadata":
                assert isinstance(value, dict)
            elif key == "shipping":  # "If normal shipping is not set for the variant, shipping will be null"
                assert value is None or isinstance(value, str)
            else:
                assert isinstance(value, str), (key, value)
        assert body["enabled"] in ("True", "False") and body["inventory"].isdigit()
    return p


# ---- /product ------------------------------------------------------------------------------------------

def test_retrieve_docs_example(wish: Wish) -> None:
    data = wish.ok("product", "GET", id=DOC_PRODUCT)
    p = assert_product_shape(data)
    assert p["id"] == DOC_PRODUCT and p["name"] == "TEST!!!"
    assert p["description"] == " Cotton Women Fashion Dresses" and p["category"] == "Fashion"
    assert (p["number_saves"], p["number_sold"], p["review_status"]) == ("12529", "14", "approved")
    assert p["removed_by_merchant"] is False and tags(p) == ["Dress"]
    assert p["default_shipping_price"] == "5.0"
    assert [c["CountryShipping"] for c in p["country_shippings"]] == [  # localized amounts as the doc prints them
        {"price": "4.99", "localized_price": "30", "localized_currency_code": "CNY", "country_code": "CA"},
        {"price": "3.99", "localized_price": "24", "localized_currency_code": "CNY", "country_code": "US"}]
    v = variants(p)["Bottle"]
    assert v["id"] == "51e0a2c67d41a236cfffe3a2" and v["product_id"] == DOC_PRODUCT
    assert (v["enabled"], v["inventory"], v["msrp"], v["price"], v["shipping"]) == (
        "True", "10000", "20000.0", "10000.0", "101.0")
    assert (v["localized_price"], v["localized_shipping"], v["localized_currency_code"]) == (
        "60000.0", "606.0", "CNY")
    lm = v["LogisticsMetadata"]
    assert lm["declared_name"] == "Bottle" and lm["declared_local_name"] == "瓶子"
    assert lm["pieces"] == 1  # an integer in the docs' example
    assert (lm["height"], lm["weight"], lm["width"], lm["length"]) == ("12.0", "2.0", "23.0", "2.0")
    assert (lm["origin_country"], lm["hscode"], lm["declared_value"]) == ("US", "6104299034", "32.0")
    assert lm["Composition"] == {"has_liquid": "True", "has_battery": "False", "has_powder": "False",
                                 "has_metal": "False"}


def test_retrieve_by_parent_sku_and_id_wins(wish: Wish) -> None:
    assert wish.ok("product", "GET", parent_sku="ML-SZ52019")["Product"]["id"] == RED_SHOE
    # both given: the id names the product (parent_sku is the fallback identifier)
    assert wish.ok("product", "GET", id=SHOE, parent_sku="ML-SZ52019")["Product"]["id"] == SHOE


def test_retrieve_accepts_quoted_id_and_upper_case_hex(wish: Wish) -> None:
    # the docs' own curl examples quote ids: id='57bb5803ba2a1f181de31b01'
    assert wish.ok("product", "POST", id=f"'{RED_SHOE}'")["Product"]["id"] == RED_SHOE
    assert wish.ok("product", "GET", id=DOC_PRODUCT.upper())["Product"]["id"] == DOC_PRODUCT


def test_retrieve_errors(wish: Wish) -> None:
    body = wish.err("product", 1001, 400, "GET")
    assert body["data"] == "id" and body["message"] == message("missing_either", a="id", b="parent_sku")
    body = wish.err("product", 1000, 400, "GET", id="0")
    assert body["data"] == 2014 and body["message"] == "0 is an invalid id"
    body = wish.err("product", 1004, 400, "GET", id=NOWHERE)
    assert body["data"] == 2018 and body["message"] == f"No 'Product' Found with id: '{NOWHERE}'"
    body = wish.err("product", 1004, 400, "GET", parent_sku="no-such-parent")
    assert body["message"] == "No 'Product' Found with parent_sku: 'no-such-parent'"
    body = wish.err("product", 1000, 400, "GET", id=SHOE, warehouse_name="NOWHERE")
    assert body["message"] == message("no_warehouse", name="NOWHERE")
    wish.err("product", 1000, 400, "GET", id=SHOE + "0")
    wish.err("product", 1000, 400, "GET", id="zzzzzzzzzzzzzzzzzzzzzzzz")


def test_retrieve_warehouse_inventory(wish: Wish) -> None:
    wish.ok("variant/update", sku="blue-shoe-11", inventory="7", warehouse_name="EXPRESS-US")
    express = variants(product(wish, SHOE, warehouse_name="EXPRESS-US"))
    standard = variants(product(wish, SHOE))
    assert express["blue-shoe-11"]["inventory"] == "7"
    assert standard["blue-shoe-11"]["inventory"] == "100"


def test_retrieve_non_usd_merchant_sees_hidden_usd(other: Wish) -> None:
    pid = all_ids(other)[0]
    p = assert_product_shape(other.ok("product", "GET", id=pid))
    # "This value will be returned as 999999 if you receive payments in a non-USD currency"
    assert p["default_shipping_price"] == "999999"
    float(p["localized_default_shipping_price"])
    for v in p["variants"]:
        assert v["Variant"]["price"] == "999999" and v["Variant"]["localized_currency_code"] == "CNY"
        assert float(v["Variant"]["localized_price"]) > 0


# ---- /product/multi-get --------------------------------------------------------------------------------

def test_multi_get_docs_example_and_paging_links(wish: Wish) -> None:
    r = wish.call("product/multi-get", "GET", limit="2", start="20", since="2014-10-15")
    body = r.json()
    assert r.status_code == 200 and body["code"] == 0 and len(body["data"]) == 2
    for entity in body["data"]:
        assert_product_shape(entity)
    nxt, prev = body["paging"]["next"], body["paging"]["previous"]
    assert nxt.startswith("http://testserver/api/v2/product/multi-get?")
    assert "start=22" in nxt and "limit=2" in nxt and "since=2014-10-15" in nxt
    assert f"access_token={DEFAULT_TOKEN}" in nxt
    assert "start=18" in prev and "limit=2" in prev
    # following the link answers the next page
    page = wish.client.get(nxt.removeprefix("http://testserver")).json()
    assert page["code"] == 0 and len(page["data"]) == 2
    assert {p["Product"]["id"] for p in page["data"]}.isdisjoint({p["Product"]["id"] for p in body["data"]})


def test_multi_get_sorted_newest_update_first(wish: Wish) -> None:
    data = wish.ok("product/multi-get", "GET", limit="250")
    keys = [(datetime.strptime(p["Product"]["last_updated"], LAST_UPDATED), p["Product"]["id"]) for p in data]
    assert keys == sorted(keys, reverse=True)


def test_multi_get_paging_walks_everything_once(wish: Wish) -> None:
    everything = all_ids(wish)
    seen: list[str] = []
    start, pages = 0, 0
    while True:
        body = wish.call("product/multi-get", "GET", start=str(start), limit="9").json()
        assert body["code"] == 0
        seen += [p["Product"]["id"] for p in body["data"]]
        pages += 1
        if "next" not in (body.get("paging") or {}):
            break
        start += 9
    assert seen == everything and len(set(seen)) == len(seen)
    assert pages == -(-len(everything) // 9)


def test_multi_get_rejected_and_removed(wish: Wish) -> None:
    plain = wish.ok("product/multi-get", "GET", limit="250")
    assert all(p["Product"]["review_status"] != "rejected" for p in plain)
    with_rejected = wish.ok("product/multi-get", "GET", limit="250", show_rejected="true")
    assert any(p["Product"]["review_status"] == "rejected" for p in with_rejected)
    assert {p["Product"]["id"] for p in plain} < {p["Product"]["id"] for p in with_rejected}
    wish.ok("product/remove", id=SHOE)
    after = all_ids(wish, show_rejected="true")
    assert SHOE not in after and len(after) == len(with_rejected) - 1


def test_multi_get_since_and_upto_filter_on_last_updated(wish: Wish, client: TestClient, advance: Any) -> None:
    t0 = freeze(client)
    advance(10)
    wish.ok("product/update", id=DOC_PRODUCT, name="Touched")
    advance(10)
    wish.ok("product/disable", id=HAT)
    assert all_ids(wish, since=stamp(t0 + timedelta(seconds=5))) == [HAT, DOC_PRODUCT]  # newest first
    assert all_ids(wish, since=stamp(t0 + timedelta(seconds=15))) == [HAT]
    before = all_ids(wish, upto=stamp(t0 + timedelta(seconds=5)))
    assert DOC_PRODUCT not in before and HAT not in before and SHOE in before
    window = all_ids(wish, since=stamp(t0 + timedelta(seconds=5)), upto=stamp(t0 + timedelta(seconds=15)))
    assert window == [DOC_PRODUCT]
    body = wish.call("product/multi-get", "GET", since=(t0 + timedelta(days=1)).strftime("%Y-%m-%d")).json()
    assert body["code"] == 0 and body["data"] == [] and "next" not in (body.get("paging") or {})


@pytest.mark.parametrize(("params", "code"), [
    ({"start": "25001"}, 1000), ({"start": "-1"}, 1000), ({"limit": "0"}, 1000), ({"limit": "251"}, 1000),
    ({"limit": "ten"}, 1000), ({"start": "1.5"}, 1000), ({"since": "2014/10/15"}, 1000),
    ({"upto": "yesterday"}, 1000), ({"show_rejected": "yes"}, 1000), ({"warehouse_name": "NOWHERE"}, 1000),
])
def test_multi_get_errors(wish: Wish, params: dict[str, str], code: int) -> None:
    wish.err("product/multi-get", code, 400, "GET", **params)


def test_multi_get_bounds(wish: Wish) -> None:
    assert wish.ok("product/multi-get", "GET", start="25000") == []  # the documented maximum is allowed
    assert len(wish.ok("product/multi-get", "GET", limit="1")) == 1
    assert len(wish.ok("product/multi-get", "GET")) == min(50, len(all_ids(wish)))  # default limit 50
    body = wish.err("product/multi-get", 1000, 400, "GET", limit="251")
    assert body["message"] == message("out_of_range", param="limit", low=1, high=250, value="251")


# ---- /product/add --------------------------------------------------------------------------------------

def test_add_docs_example_creates_a_readable_product(wish: Wish) -> None:
    data = wish.ok("product/add", **DOC_ADD)
    p = assert_product_shape(data)
    assert OBJECT_ID.match(p["id"]) and p["id"] not in (DOC_PRODUCT, SHOE, RED_SHOE, HAT)
    assert (p["name"], p["description"], p["parent_sku"]) == ("red shoe", "this is a cool shoe", "red-shoe")
    assert (p["number_saves"], p["number_sold"], p["review_status"]) == ("0", "0", "pending")
    assert p["removed_by_merchant"] is False and p["enabled"] == "True"
    assert tags(p) == ["red", "shoe", "cool"]
    assert [c["CountryShipping"] for c in p["country_shippings"]] == [
        {"price": "4.99", "localized_price": "30.0", "localized_currency_code": "CNY", "country_code": "CA"},
        {"price": "3.99", "localized_price": "24.0", "localized_currency_code": "CNY", "country_code": "US"}]
    (v,) = [v["Variant"] for v in p["variants"]]
    assert (v["sku"], v["inventory"], v["price"], v["shipping"], v["shipping_time"], v["enabled"]) == (
        "red-shoe-11", "100", "100.0", "10.0", "5-10", "True")
    assert (v["localized_price"], v["localized_shipping"], v["localized_currency_code"]) == ("600.0", "60.0", "CNY")
    assert p["default_shipping_price"] == "10.0" and p["localized_default_shipping_price"] == "60.0"
    # state is real: the next reads answer the same product
    assert wish.ok("product", "GET", id=p["id"]) == data
    assert wish.ok("product", "GET", parent_sku="red-shoe")["Product"]["id"] == p["id"]
    assert all_ids(wish)[0] == p["id"]  # the newest update comes first
    assert wish.ok("variant", "GET", sku="red-shoe-11")["Variant"]["product_id"] == p["id"]


def test_add_new_ids_and_parent_sku_defaults_to_sku(wish: Wish) -> None:
    a = wish.ok("product/add", **MINIMAL_ADD)["Product"]
    b = wish.ok("product/add", **dict(MINIMAL_ADD, sku="mug-2"))["Product"]
    assert a["id"] != b["id"] and OBJECT_ID.match(a["id"]) and OBJECT_ID.match(b["id"])
    assert a["parent_sku"] == "mug-1" and b["parent_sku"] == "mug-2"
    assert a["country_shippings"] == [] and a["wish_express_country_codes"] == []


@pytest.mark.parametrize("missing", ["name", "description", "sku", "inventory", "main_image", "price", "shipping"])
def test_add_required_params(wish: Wish, missing: str) -> None:
    params = {k: v for k, v in MINIMAL_ADD.items() if k != missing}
    body = wish.err("product/add", 1001, 400, **params)
    assert body["data"] == missing and body["message"] == f"Required Param '{missing}' Missing"
    body = wish.err("product/add", 1001, 400, **dict(MINIMAL_ADD, **{missing: "  "}))
    assert body["data"] == missing
    assert wish.call("product", "GET", parent_sku="mug-1").json()["code"] == 1004  # nothing was created


@pytest.mark.parametrize(("field", "sku"), [
    ("sku", "blue-shoe-11"),  # another product's variation SKU
    ("sku", "blue-shoe"),  # another product's parent SKU
    ("parent_sku", "ML-SZ52019"),
    ("parent_sku", "aaa"),
])
def test_add_duplicate_sku(wish: Wish, field: str, sku: str) -> None:
    before = all_ids(wish)
    body = wish.err("product/add", 1000, 400, **dict(MINIMAL_ADD, **{field: sku}))
    assert body["message"] == message("duplicate_sku", sku=sku)
    assert all_ids(wish) == before  # nothing was created


def test_add_same_sku_twice(wish: Wish) -> None:
    wish.ok("product/add", **MINIMAL_ADD)
    body = wish.err("product/add", 1000, 400, **MINIMAL_ADD)
    assert body["message"] == message("duplicate_sku", sku="mug-1")


def test_add_sku_namespace_is_per_merchant(wish: Wish, other: Wish) -> None:
    # the default merchant's SKUs are no concern of the second merchant
    p = other.ok("product/add", **dict(CNY_ADD, sku="blue-shoe-11", parent_sku="blue-shoe"))["Product"]
    assert p["parent_sku"] == "blue-shoe"
    assert wish.ok("product", "GET", parent_sku="blue-shoe")["Product"]["id"] == SHOE
    assert other.ok("product", "GET", parent_sku="blue-shoe")["Product"]["id"] == p["id"]
    wish.err("product", 1004, 400, "GET", id=p["id"])


@pytest.mark.parametrize(("field", "value", "ok"), [
    ("price", "100000", True), ("price", "100000.01", False), ("price", "0", False), ("price", "-5", False),
    ("price", "1e400", False), ("price", "nan", False), ("price", "ten", False),
    ("shipping", "1000", True), ("shipping", "1000.01", False), ("shipping", "0", True), ("shipping", "-1", False),
    ("inventory", "500000", True), ("inventory", "500001", False), ("inventory", "-1", False),
    ("inventory", "5.5", False), ("inventory", "9" * 30, False),
    ("msrp", "100000", True), ("msrp", "100001", False),
    ("size", "x" * 49, True), ("size", "x" * 50, False),  # "must be less than 50"
    ("parent_sku", "   ", False), ("parent_sku", "", False), ("sku", "s" * 256, False),
    ("condition", "NEW", True), ("condition", "refurbished", True), ("condition", "BROKEN", False),
    ("upc", "12345678", True), ("upc", "12345678901234", True), ("upc", "1234567", False),
    ("upc", "123456789012345", False), ("upc", "1234567a", False), ("upc", "1234-5678", False),
    ("max_quantity", "3", True), ("max_quantity", "0", False),
    ("shipping_time", "15-20", True), ("shipping_time", "1-5", False), ("shipping_time", "20-15", False),
    ("main_image", "ftp://img.example.com/a.jpg", False), ("main_image", "not a url", False),
    ("demo_video_asset_url", "https://cdn.example.com/demo.mp4", True),
    ("demo_video_asset_url", "https://cdn.example.com/demo.webm", True),
    ("demo_video_asset_url", "https://cdn.example.com/demo.gif", False),
    ("demo_video_asset_url", "https://www.youtube.com/watch?v=demo.mp4", False),
    ("demo_video_asset_url", "https://www.amazon.com/demo.mp4", False),
    ("demo_video_asset_url", "https://www.ebay.com/demo.mp4", False),
    ("demo_video_asset_url", "https://www.etsy.com/demo.mp4", False),
    # LogisticsMetadata, with the docs' own Acceptable / Unacceptable examples
    ("length", "10", True), ("width", "13.40", True), ("height", "13.40", True), ("weight", "151.5", True),
    ("weight", "0", False), ("length", "-3", False),
    ("declared_name", "Repair Tools Kit Set", True), ("declared_name", "Rings", True),
    ("declared_name", "!Rings", False), ("declared_name", "T", False), ("declared_name", "Good 衬衫", False),
    ("declared_name", "N" * 201, False),
    ("declared_local_name", "棉质外套", True), ("declared_local_name", "!棉质外套", False),
    ("declared_local_name", "棉", False), ("declared_local_name", "棉" * 201, False),
    ("pieces", "2", True), ("pieces", "1", True), ("pieces", "-1", False),
    ("declared_value", "$100.99", True), ("declared_value", "10.99", True),
    ("declared_value", "$49.99 + S/H", False), ("declared_value", "100001", False),
    ("hscode", "33021010.00", True), ("hscode", "6403.20", True), ("hscode", "2", False), ("hscode", "a", False),
    ("origin_country", "CN", True), ("origin_country", "US", True), ("origin_country", "China", False),
    ("origin_country", "ZZ", False),
    ("has_powder", "True", True), ("has_liquid", "False", True), ("has_battery", "0", False),
    ("has_metal", "Yes", False),
])
def test_add_documented_value_rules(wish: Wish, field: str, value: str, ok: bool) -> None:
    r = wish.call("product/add", **dict(MINIMAL_ADD, **{field: value}))
    if ok:
        assert r.status_code == 200 and r.json()["code"] == 0, r.text
        pid = r.json()["data"]["Product"]["id"]
        assert product(wish, pid)["parent_sku"] == "mug-1"
    else:
        body = assert_envelope_error(r)
        assert body["code"] == 1000 and r.status_code == 400
        assert wish.call("product", "GET", parent_sku="mug-1").json()["code"] == 1004  # nothing created


def test_add_stores_what_was_sent(wish: Wish) -> None:
    p = wish.ok("product/add", **dict(
        MINIMAL_ADD, color="red", size="M", condition="used", upc="012345678905", unit="gram",
        reference_value="100", quantity_value="250", max_quantity="4", landing_page_url="https://shop.example.com/mug",
        requested_product_brand_id="brand-1", msrp="25", demo_video_asset_url="https://cdn.example.com/mug.mp4",
        declared_value="$12.50", hscode="6912.00", origin_country="cn", has_liquid="true", pieces="2",
        weight="151.5"))["Product"]
    assert (p["upc"], p["unit"], p["reference_value"], p["max_quantity"]) == ("012345678905", "GRAM", "100.0", "4")
    assert p["landing_page_url"] == "https://shop.example.com/mug" and p["requested_product_brand_id"] == "brand-1"
    assert p["demo_video_asset_url"] == "https://cdn.example.com/mug.mp4" and p["condition"] == "USED"
    v = p["variants"][0]["Variant"]
    assert (v["color"], v["size"], v["condition"], v["msrp"], v["quantity_value"]) == (
        "red", "M", "USED", "25.0", "250.0")
    lm = v["LogisticsMetadata"]
    assert (lm["declared_value"], lm["hscode"], lm["origin_country"], lm["pieces"], lm["weight"]) == (
        "12.5", "6912.00", "CN", 2, "151.5")
    assert lm["Composition"] == {"has_liquid": "True"}
    assert product(wish, p["id"]) == p


def test_add_tags_only_ten_kept(wish: Wish) -> None:
    sent = [f"tag{i}" for i in range(15)]
    p = wish.ok("product/add", **dict(MINIMAL_ADD, tags=",".join(sent)))["Product"]
    assert tags(p) == sent[:10]  # "Any tags past 10 will be ignored"


def test_add_images(wish: Wish) -> None:
    urls = [f"https://img.example.com/extra-{i}.jpg" for i in range(101)]
    p = wish.ok("product/add", **dict(MINIMAL_ADD, extra_images="|".join(urls[:100]), clean_image=urls[3]))["Product"]
    assert p["extra_images"].split("|") == urls[:100] and p["clean_image"] == urls[3]
    body = wish.err("product/add", 1000, 400, **dict(MINIMAL_ADD, sku="mug-2", extra_images="|".join(urls)))
    assert body["message"] == message("too_many_images", count=101)
    body = wish.err("product/add", 1000, 400, **dict(MINIMAL_ADD, sku="mug-3", main_image="not a url"))
    assert body["data"] == 13 and body["message"] == "Cannot get image from URL not a url"
    body = wish.err("product/add", 1000, 400, **dict(MINIMAL_ADD, sku="mug-3", extra_images="https://a.example/x.jpg|x"))
    assert body["data"] == 13
    # "Must be the same URL as the main_image_url or one of the extra_image_urls": otherwise not set
    q = wish.ok("product/add", **dict(MINIMAL_ADD, sku="mug-4", clean_image="https://elsewhere.example/c.jpg"))
    assert "clean_image" not in q["Product"]
    q = wish.ok("product/add", **dict(MINIMAL_ADD, sku="mug-5", clean_image=MINIMAL_ADD["main_image"]))
    assert q["Product"]["clean_image"] == MINIMAL_ADD["main_image"]


@pytest.mark.parametrize(("csp", "expect"), [
    ('{"US": 1000}', ["1000.0"]), ('{"US": 0, "CA": 2}', ["2.0", "0.0"]), ("{}", []),
    ("", []),  # an empty optional parameter counts as not sent
    ('{"US": 1001}', None), ('{"US": -1}', None), ('{"US": "3.99"}', None), ('{"US": true}', None),
    ('{"US": null}', None), ('{"US": 1e400}', None), ('{"US": [1]}', None),
    ("{US: 3.99}", None), ("[3.99]", None), ('"US"', None), ("3.99", None), ("{", None),
])
def test_add_country_shipping_prices_rules(wish: Wish, csp: str, expect: list[str] | None) -> None:
    r = wish.call("product/add", **dict(MINIMAL_ADD, country_shipping_prices=csp))
    if expect is not None:
        p = r.json()["data"]["Product"]
        assert [c["CountryShipping"]["price"] for c in p["country_shippings"]] == expect
    else:
        body = assert_envelope_error(r)
        assert body["code"] == 1000 and "country_shipping_prices" in body["message"]


def test_add_country_shipping_prices_ignores_countries_not_shipped(wish: Wish, client: TestClient) -> None:
    # "Any country you don't ship to is ignored"
    csp = '{"ZZ": 3, "CA": 2, "LOCAL_XX": 9, "de": 1.5}'
    p = wish.ok("product/add", **dict(MINIMAL_ADD, country_shipping_prices=csp, localized_currency_code="CNY"))
    assert [c["CountryShipping"]["country_code"] for c in p["Product"]["country_shippings"]] == ["CA", "DE"]
    # a merchant shipping worldwide ships to every shippable country, and still to no made-up one
    ww = Wish(client, WORLDWIDE_TOKEN)
    p = ww.ok("product/add", **dict(MINIMAL_ADD, country_shipping_prices='{"ZZ": 3, "JP": 2}'))
    assert [c["CountryShipping"]["country_code"] for c in p["Product"]["country_shippings"]] == ["JP"]


def test_add_localized_rules_usd_merchant(wish: Wish) -> None:
    body = wish.err("product/add", 1001, 400, **dict(MINIMAL_ADD, localized_price="60"))
    assert body["data"] == "localized_currency_code"
    body = wish.err("product/add", 1001, 400, **dict(MINIMAL_ADD, country_shipping_prices='{"LOCAL_US": 24}'))
    assert body["data"] == "localized_currency_code"
    body = wish.err("product/add", 1000, 400, **dict(MINIMAL_ADD, localized_price="60", localized_currency_code="EUR"))
    assert body["message"] == message("currency_mismatch", expected="CNY", value="EUR")
    # the localized value follows the CNY rate (6.0) unless given
    p = wish.ok("product/add", **MINIMAL_ADD)["Product"]
    assert p["variants"][0]["Variant"]["localized_price"] == "60.0"
    assert p["variants"][0]["Variant"]["localized_shipping"] == "12.0"


def test_add_localized_rules_non_usd_merchant(wish: Wish, other: Wish) -> None:
    body = other.err("product/add", 1000, 400, **dict(CNY_ADD, price="10"))
    assert body["message"] == message("usd_not_allowed", param="price", currency="CNY", localized="localized_price")
    body = other.err("product/add", 1000, 400, **dict(CNY_ADD, shipping="2"))
    assert "shipping" in body["message"]
    params = {k: v for k, v in CNY_ADD.items() if k != "localized_price"}
    body = other.err("product/add", 1000, 400, **params)
    assert body["message"] == message("localized_required", param="localized_price", currency="CNY")
    params = {k: v for k, v in CNY_ADD.items() if k != "localized_shipping"}
    other.err("product/add", 1000, 400, **params)
    params = {k: v for k, v in CNY_ADD.items() if k != "localized_currency_code"}
    assert other.err("product/add", 1001, 400, **params)["data"] == "localized_currency_code"
    other.err("product/add", 1000, 400, **dict(CNY_ADD, localized_currency_code="USD"))
    # max 100,000 USD, or what's equivalent in local currency (CNY 6.0 per USD)
    other.err("product/add", 1000, 400, **dict(CNY_ADD, localized_price="600001"))
    other.err("product/add", 1000, 400, **dict(CNY_ADD, localized_shipping="6001"))
    # country prices must be localized too ("Use LOCAL_CC to set the localized price")
    body = other.err("product/add", 1000, 400, **dict(CNY_ADD, country_shipping_prices='{"US": 3.99}'))
    assert "LOCAL_US" in body["message"]
    p = other.ok("product/add", **dict(CNY_ADD, country_shipping_prices='{"LOCAL_US": 24}'))["Product"]
    v = p["variants"][0]["Variant"]
    assert (v["price"], v["localized_price"], v["shipping"], v["localized_shipping"]) == (
        "999999", "60.0", "999999", "12.0")
    assert p["country_shippings"] == [{"CountryShipping": {
        "price": "999999", "localized_price": "24.0", "localized_currency_code": "CNY", "country_code": "US"}}]
    assert product(other, p["id"]) == p
    wish.err("product", 1004, 400, "GET", id=p["id"])


# ---- /product/update -----------------------------------------------------------------------------------

def test_update_docs_example(wish: Wish, client: TestClient, advance: Any) -> None:
    t0 = freeze(client)
    advance(60)
    before = product(wish, SHOE)
    assert wish.ok("product/update", id=SHOE, name="Awesome shoe", description="This shoe is the best on Wish",
                   tags="shoe, awesome, size 11") == {}
    after = product(wish, SHOE)
    assert after["name"] == "Awesome shoe" and after["description"] == "This shoe is the best on Wish"
    assert tags(after) == ["shoe", "awesome", "size 11"]
    assert after["last_updated"] == (t0 + timedelta(seconds=60)).strftime(LAST_UPDATED)
    # "Any attribute not provided will be left unchanged"
    unchanged = ("parent_sku", "main_image", "extra_images", "variants", "country_shippings", "enabled")
    assert {k: after.get(k) for k in unchanged} == {k: before.get(k) for k in unchanged}


def test_update_by_parent_sku_only_changes_what_is_sent(wish: Wish) -> None:
    before = product(wish, RED_SHOE)
    wish.ok("product/update", parent_sku="ML-SZ52019", description="New description")
    after = product(wish, RED_SHOE)
    assert after["description"] == "New description"
    assert {k: v for k, v in after.items() if k not in ("description", "last_updated")} == {
        k: v for k, v in before.items() if k not in ("description", "last_updated")}


def test_update_attributes(wish: Wish) -> None:
    wish.ok("product/update", id=SHOE, upc="12345678", unit="ounce", reference_value="2.5", max_quantity="5",
            condition="REFURBISHED", landing_page_url="https://shop.example.com/shoe",
            requested_product_brand_id="brand-9", demo_video_asset_url="https://cdn.example.com/shoe.mov")
    p = product(wish, SHOE)
    assert (p["upc"], p["unit"], p["reference_value"], p["max_quantity"], p["condition"]) == (
        "12345678", "OUNCE", "2.5", "5", "REFURBISHED")
    assert p["landing_page_url"] == "https://shop.example.com/shoe" and p["requested_product_brand_id"] == "brand-9"
    assert p["demo_video_asset_url"] == "https://cdn.example.com/shoe.mov"
    # "To delete a product video, set this value an empty string"; the unit enum ends with null
    wish.ok("product/update", id=SHOE, demo_video_asset_url="", unit="")
    p = product(wish, SHOE)
    assert "demo_video_asset_url" not in p and "unit" not in p and p["upc"] == "12345678"


def test_update_images(wish: Wish) -> None:
    urls = [f"https://img.example.com/shoe-{i}.jpg" for i in range(101)]
    wish.ok("product/update", id=SHOE, extra_images="|".join(urls[:2]), clean_image=urls[1])
    p = product(wish, SHOE)
    assert p["extra_images"] == "|".join(urls[:2]) and p["clean_image"] == urls[1]
    # "If none of the extra image URLs is provided, no update will be done"
    wish.ok("product/update", id=SHOE, extra_images="")
    assert product(wish, SHOE)["extra_images"] == "|".join(urls[:2])
    # a clean image that is not one of the product's images is not set
    wish.ok("product/update", id=SHOE, clean_image="https://elsewhere.example/c.jpg")
    assert product(wish, SHOE)["clean_image"] == urls[1]
    wish.ok("product/update", id=SHOE, main_image=urls[50], clean_image=urls[50])
    p = product(wish, SHOE)
    assert p["main_image"] == urls[50] and p["clean_image"] == urls[50]
    body = wish.err("product/update", 1000, 400, id=SHOE, extra_images="|".join(urls))
    assert body["message"] == message("too_many_images", count=101)
    assert wish.err("product/update", 1000, 400, id=SHOE, main_image="nope")["data"] == 13
    assert product(wish, SHOE)["extra_images"] == "|".join(urls[:2])


@pytest.mark.parametrize(("params", "code"), [
    ({"name": "x"}, 1001),  # neither id nor parent_sku
    ({"id": "0", "name": "x"}, 1000),
    ({"id": NOWHERE, "name": "x"}, 1004),
    ({"parent_sku": "no-such-parent", "name": "x"}, 1004),
    ({"id": SHOE, "name": ""}, 1000),
    ({"id": SHOE, "description": ""}, 1000),
    ({"id": SHOE, "upc": "1234567"}, 1000),
    ({"id": SHOE, "upc": "123456789012345"}, 1000),
    ({"id": SHOE, "unit": "kg"}, 1000),
    ({"id": SHOE, "condition": "BROKEN"}, 1000),
    ({"id": SHOE, "max_quantity": "0"}, 1000),
    ({"id": SHOE, "demo_video_asset_url": "https://youtu.be/abc.mp4"}, 1000),
    ({"id": SHOE, "landing_page_url": "u" * 2001}, 1000),
])
def test_update_errors(wish: Wish, params: dict[str, str], code: int) -> None:
    before = product(wish, SHOE)
    wish.err("product/update", code, 400, **params)
    assert product(wish, SHOE) == before


# ---- /product/change-sku -------------------------------------------------------------------------------

def test_change_sku_docs_example(wish: Wish) -> None:
    # the curl example sends new_sku; the parameter list names new_parent_sku
    assert wish.ok("product/change-sku", parent_sku="ML-SZ52019", new_sku="ML-SZ520190") == {}
    assert product(wish, RED_SHOE)["parent_sku"] == "ML-SZ520190"
    assert wish.ok("product", "GET", parent_sku="ML-SZ520190")["Product"]["id"] == RED_SHOE
    wish.err("product", 1004, 400, "GET", parent_sku="ML-SZ52019")
    wish.ok("product/change-sku", id=RED_SHOE, new_parent_sku="ML-SZ52019")
    assert product(wish, RED_SHOE)["parent_sku"] == "ML-SZ52019"
    # the old SKU is free again for a new product
    wish.ok("product/change-sku", id=RED_SHOE, new_parent_sku="red-classic")
    assert wish.ok("product/add", **dict(MINIMAL_ADD, parent_sku="ML-SZ52019"))["Product"]["parent_sku"] == "ML-SZ52019"


def test_change_sku_uniqueness(wish: Wish) -> None:
    for taken in ("blue-shoe", "blue-shoe-11", "summer-hat-m", "Bottle"):
        body = wish.err("product/change-sku", 1000, 400, id=RED_SHOE, new_parent_sku=taken)
        assert body["message"] == message("duplicate_sku", sku=taken)
    assert product(wish, RED_SHOE)["parent_sku"] == "ML-SZ52019"
    wish.ok("product/change-sku", id=RED_SHOE, new_parent_sku="ML-SZ52019")  # unchanged: fine
    wish.ok("product/change-sku", id=RED_SHOE, new_parent_sku="aaa")  # its own variation's SKU: fine
    assert product(wish, RED_SHOE)["parent_sku"] == "aaa"


@pytest.mark.parametrize(("params", "code", "data"), [
    ({"id": RED_SHOE}, 1001, "new_parent_sku"),
    ({"id": RED_SHOE, "new_parent_sku": ""}, 1000, {}),
    ({"id": RED_SHOE, "new_parent_sku": "   "}, 1000, {}),
    ({"id": RED_SHOE, "new_parent_sku": "s" * 256}, 1000, {}),
    ({"new_parent_sku": "x"}, 1001, "id"),
    ({"id": "57bb5803", "new_parent_sku": "x"}, 1000, 2014),
    ({"id": NOWHERE, "new_parent_sku": "x"}, 1004, 2018),
    ({"parent_sku": "no-such-parent", "new_parent_sku": "x"}, 1004, 2018),
])
def test_change_sku_errors(wish: Wish, params: dict[str, str], code: int, data: Any) -> None:
    assert wish.err("product/change-sku", code, 400, **params)["data"] == data
    assert product(wish, RED_SHOE)["parent_sku"] == "ML-SZ52019"


# ---- /product/enable, /product/disable -----------------------------------------------------------------

def test_disable_then_enable(wish: Wish, client: TestClient, advance: Any) -> None:
    t0 = freeze(client)
    advance(5)
    assert wish.ok("product/disable", id=SHOE) == {}
    p = product(wish, SHOE)
    assert p["enabled"] == "False" and {v["Variant"]["enabled"] for v in p["variants"]} == {"False"}
    assert wish.ok("variant", "GET", sku="blue-shoe-10")["Variant"]["enabled"] == "False"
    assert SHOE in all_ids(wish, since=stamp(t0 + timedelta(seconds=1)))
    assert wish.ok("product/enable", parent_sku="blue-shoe") == {}
    p = product(wish, SHOE)
    assert p["enabled"] == "True" and {v["Variant"]["enabled"] for v in p["variants"]} == {"True"}
    # idempotent
    wish.ok("product/enable", id=SHOE)
    assert product(wish, SHOE)["enabled"] == "True"


@pytest.mark.parametrize("path", ["product/enable", "product/disable", "product/remove",
                                  "product/remove-extra-images"])
@pytest.mark.parametrize(("params", "code", "data"), [
    ({}, 1001, "id"), ({"id": ""}, 1001, "id"), ({"id": "123"}, 1000, 2014), ({"id": NOWHERE}, 1004, 2018),
    ({"parent_sku": "no-such-parent"}, 1004, 2018),
])
def test_by_id_errors(wish: Wish, path: str, params: dict[str, str], code: int, data: Any) -> None:
    assert wish.err(path, code, 400, **params)["data"] == data


# ---- /product/remove -----------------------------------------------------------------------------------

def test_remove_docs_example_makes_product_uneditable(wish: Wish) -> None:
    assert wish.ok("product/remove", id=f"'{RED_SHOE}'") == {}  # the docs' curl quotes the id
    p = product(wish, RED_SHOE)  # still readable by id
    assert p["removed_by_merchant"] is True and p["enabled"] == "False"
    assert RED_SHOE not in all_ids(wish, show_rejected="true")
    wish.err("product", 1004, 400, "GET", parent_sku="ML-SZ52019")  # SKUs were modified
    for path in WRITES_BY_ID:
        body = wish.err(path, 1000, 400, id=RED_SHOE, **BY_ID_EXTRA[path])
        assert body["message"] == message("product_removed", id=RED_SHOE), path
    assert product(wish, RED_SHOE) == p


def test_remove_frees_skus_for_reuse(wish: Wish) -> None:
    wish.ok("product/remove", parent_sku="ML-SZ52019")
    # "the SKUs of the product will be modified to allow reusing them"
    new = wish.ok("product/add", **dict(MINIMAL_ADD, sku="aaa", parent_sku="ML-SZ52019"))["Product"]
    assert new["id"] != RED_SHOE
    assert wish.ok("product", "GET", parent_sku="ML-SZ52019")["Product"]["id"] == new["id"]
    assert wish.ok("variant", "GET", sku="aaa")["Variant"]["product_id"] == new["id"]


# ---- /product/remove-extra-images ----------------------------------------------------------------------

def test_remove_extra_images(wish: Wish) -> None:
    before = product(wish, SHOE)
    assert before["extra_images"]
    assert wish.ok("product/remove-extra-images", id=SHOE) == {}
    after = product(wish, SHOE)
    assert "extra_images" not in after and after["main_image"] == before["main_image"]
    assert after["variants"] == before["variants"]  # "variation images will not be affected"
    wish.ok("product/remove-extra-images", id=SHOE)  # nothing left to remove: still fine


def test_remove_extra_images_clears_an_extra_clean_image(wish: Wish) -> None:
    extra = "https://img.example.com/clean.jpg"
    wish.ok("product/update", id=SHOE, extra_images=extra, clean_image=extra)
    wish.ok("product/remove-extra-images", parent_sku="blue-shoe")
    assert "clean_image" not in product(wish, SHOE)
    main = product(wish, HAT)["main_image"]
    wish.ok("product/update", id=HAT, extra_images=extra, clean_image=main)
    wish.ok("product/remove-extra-images", id=HAT)
    assert product(wish, HAT)["clean_image"] == main


# ---- tenant isolation ----------------------------------------------------------------------------------

def _same_answer(a: Any, b: Any, id_a: str, id_b: str) -> None:
    ba, bb = a.json(), b.json()
    assert (a.status_code, ba["code"], ba["data"]) == (b.status_code, bb["code"], bb["data"])
    assert ba["message"].replace(id_a, "<id>") == bb["message"].replace(id_b, "<id>")


@pytest.mark.parametrize("path", sorted(BY_ID_EXTRA))
def test_tenant_isolation_by_id(wish: Wish, other: Wish, path: str) -> None:
    before = (product(wish, SHOE), wish.ok("product/get-all-shipping", id=SHOE))
    foreign = other.call(path, id=SHOE, **BY_ID_EXTRA[path])
    missing = other.call(path, id=NOWHERE, **BY_ID_EXTRA[path])
    assert foreign.json()["code"] == 1004 and foreign.json()["data"] == 2018
    _same_answer(foreign, missing, SHOE, NOWHERE)
    assert (product(wish, SHOE), wish.ok("product/get-all-shipping", id=SHOE)) == before


@pytest.mark.parametrize("path", sorted(set(BY_ID_EXTRA) - {"product/update-multi-shipping"}))  # id only
def test_tenant_isolation_by_parent_sku(wish: Wish, other: Wish, path: str) -> None:
    before = product(wish, SHOE)
    foreign = other.call(path, parent_sku="blue-shoe", **BY_ID_EXTRA[path])
    missing = other.call(path, parent_sku="no-such-parent", **BY_ID_EXTRA[path])
    assert foreign.json()["code"] == 1004
    _same_answer(foreign, missing, "blue-shoe", "no-such-parent")
    assert product(wish, SHOE) == before


def test_tenant_isolation_both_ways_in_listings(wish: Wish, other: Wish) -> None:
    mine = set(all_ids(wish, show_rejected="true"))
    theirs: list[str] = []
    start = 0
    while True:
        body = other.call("product/multi-get", "GET", start=str(start), limit="10", show_rejected="true").json()
        theirs += [p["Product"]["id"] for p in body["data"]]
        nxt = (body.get("paging") or {}).get("next")
        if not nxt:
            break
        assert f"access_token={SECOND_TOKEN}" in nxt and DEFAULT_TOKEN not in nxt
        start += 10
    assert theirs and mine and mine.isdisjoint(theirs)
    assert {DOC_PRODUCT, SHOE, RED_SHOE, HAT} <= mine
    for pid in theirs[:3]:
        wish.err("product", 1004, 400, "GET", id=pid)
    created = wish.ok("product/add", **MINIMAL_ADD)["Product"]["id"]
    assert created not in all_ids(other, show_rejected="true")


# ---- /v2 alias, GET and POST ---------------------------------------------------------------------------

def _minimal(path: str, i: int, spare: list[str]) -> dict[str, str]:
    """Valid parameters for each endpoint; `i` keeps non-idempotent calls apart."""
    return {
        "product": {"id": DOC_PRODUCT}, "product/multi-get": {"limit": "3"},
        "product/add": dict(MINIMAL_ADD, sku=f"alias-{i}"),
        "product/update": {"id": SHOE, "name": f"Name {i}"},
        "product/change-sku": {"id": SHOE, "new_parent_sku": f"alias-parent-{i}"},
        "product/enable": {"id": SHOE}, "product/disable": {"id": SHOE}, "product/remove": {"id": spare[i]},
        "product/remove-extra-images": {"id": SHOE},
        "product/update-shipping": {"id": SHOE, "country": "CA", "price": f"{i + 1}"},
        "product/update-multi-shipping": {"id": SHOE, "AU": f"{i + 1}"},
        "product/get-shipping": {"id": SHOE, "country": "CA"}, "product/get-all-shipping": {"id": SHOE},
        "product/get-products-shipping": {"ids": f"{SHOE},{HAT}"}, "product/get-shipping-setting": {},
        "product/create-download-job": {}, "product/get-download-job-status": {"job_id": DOC_JOB},
        "product/cancel-download-job": {"job_id": DOC_JOB},
    }[path]


def test_every_documented_endpoint_is_routed() -> None:
    assert sorted(op.path.lstrip("/") for op in router.operations) == sorted(ENDPOINTS)


@pytest.mark.parametrize("path", ENDPOINTS)
def test_alias_and_methods(wish: Wish, path: str) -> None:
    spare = all_ids(wish)[-4:]
    combos = [(prefix, method) for prefix in ("/api/v2/", "/v2/") for method in ("GET", "POST")]
    answers = []
    for i, (prefix, method) in enumerate(combos):
        r = wish.call(prefix + path, method, **_minimal(path, i, spare))
        body = r.json()
        assert r.status_code == 200 and body["code"] == 0 and body["message"] == "", (prefix, method, body)
        assert r.headers["content-type"].startswith("application/json")
        answers.append(body["data"])
    if path in ("product", "product/get-shipping", "product/get-all-shipping", "product/get-shipping-setting",
                "product/get-download-job-status", "product/get-products-shipping"):
        assert all(a == answers[0] for a in answers), "reads answer the same on every route"
    if path == "product/remove":
        assert all(product(wish, pid)["removed_by_merchant"] is True for pid in spare)
    if path == "product/add":
        assert len({a["Product"]["id"] for a in answers}) == 4


def test_bearer_header_and_json_body(wish: Wish, client: TestClient) -> None:
    r = wish.call("product", "GET", bearer=True, id=SHOE)
    assert r.status_code == 200 and r.json()["data"]["Product"]["id"] == SHOE
    r = client.post("/v2/product/update", json={"access_token": DEFAULT_TOKEN, "id": SHOE, "name": "Via JSON"})
    assert r.status_code == 200 and r.json() == {"code": 0, "data": {}, "message": ""}
    assert product(wish, SHOE)["name"] == "Via JSON"
    r = client.post("/api/v2/product/add", json={**MINIMAL_ADD, "access_token": DEFAULT_TOKEN, "inventory": 5,
                                                  "price": 9.5, "country_shipping_prices": {"CA": 2.5}})
    p = r.json()["data"]["Product"]
    assert p["variants"][0]["Variant"]["price"] == "9.5"
    assert p["country_shippings"][0]["CountryShipping"]["price"] == "2.5"


def test_unauthenticated_calls_are_refused(wish: Wish) -> None:
    for path in ENDPOINTS:
        body = assert_envelope_error(wish.call(path, "POST", token="", **_minimal(path, 0, [SHOE])))
        assert body["code"] == 4000, path
    assert product(wish, SHOE)["removed_by_merchant"] is False


# ---- malformed input -----------------------------------------------------------------------------------

BAD_VALUES = ("", " ", "abc", "-1", "1e400", "9" * 40, "nan", "ü✓漢字🎉", "'\"<>&", "{", "[]", "\x00",
              "2026-13-45T25:61:61", "x" * 3000)
EXTRA_NAMES = ("format", "locale", "access_token")
SHIPPING_NAMES = ("CA", "localized_CA", "US_HI", "localized_US_HI", "ZZ")  # update-multi-shipping's dynamic names





@pytest.mark.parametrize("op", router.operations, ids=lambda op: op.path)
def test_malformed_values_always_get_a_wish_envelope(wish: Wish, op: Any) -> None:
    """Every declared parameter of every endpoint meets a share of the bad values (a rotating third, to keep
    the run short), alternately by GET and POST: always a Wish envelope, never a 5xx or a FastAPI 422."""
    names = [p.name for p in op.spec.params]
    base = {k: v for k, v in {"id": SHOE, "job_id": DOC_JOB, "country": "CA", "ids": SHOE, "sku": "fuzz",
                              "name": "n", "description": "d", "inventory": "1", "price": "1", "shipping": "1",
                              "main_image": "https://img.example.com/f.jpg", "limit": "1"}.items() if k in names}
    extra = SHIPPING_NAMES if op.path == "/product/update-multi-shipping" else ()
    for n, name in enumerate([*names, *extra, *EXTRA_NAMES]):
        for m, value in enumerate(BAD_VALUES):
            if (n + m) % 3:
                continue
            method = "GET" if (n + m) % 2 and len(value) < 1000 else "POST"
            params = dict(base, **{name: value})
            if name == "sku" and value.strip():
                params["sku"] = f"{value}-{n}-{m}"
            check_answer(wish.call(op.path.lstrip("/"), method, **params), (op.path, name, value))


def test_repeated_params_and_body_over_query(wish: Wish, client: TestClient) -> None:
    q = f"access_token={DEFAULT_TOKEN}"
    # the last repeat wins, as with Wish's own (Python) parameter parsing
    r = client.get(f"/api/v2/product?{q}&id=zz&id={SHOE}")
    assert r.json()["data"]["Product"]["id"] == SHOE
    r = client.get(f"/api/v2/product?{q}&id={SHOE}&id=zz")
    assert assert_envelope_error(r)["data"] == 2014
    r = client.get(f"/api/v2/product/multi-get?{q}&limit=1&limit=999")
    assert assert_envelope_error(r)["code"] == 1000
    # the form body wins over the query string
    r = client.post(f"/api/v2/product?{q}&id=zz", data={"id": SHOE})
    assert r.json()["data"]["Product"]["id"] == SHOE


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b'"text"', b"\xff\xfe\x00", b"null"])
def test_malformed_json_bodies(client: TestClient, body: bytes) -> None:
    r = client.post("/api/v2/product/add", content=body, headers={"content-type": "application/json"})
    assert assert_envelope_error(r)["code"] == 1000


@pytest.mark.parametrize("value", [12345, 1.5, True, None, ["a"], {"a": 1}, "x" * 5000])
def test_json_body_wrong_types(wish: Wish, client: TestClient, value: Any) -> None:
    for path, field in (("product", "id"), ("product/update", "name"), ("product/add", "price"),
                        ("product/get-products-shipping", "ids"), ("product/multi-get", "limit"),
                        ("product/update-multi-shipping", "CA"), ("product/add", "country_shipping_prices")):
        payload = {"access_token": DEFAULT_TOKEN, "id": SHOE, **MINIMAL_ADD, field: value}
        check_answer(client.post(f"/api/v2/{path}", json=payload), (path, field, value))


def test_huge_and_unicode_values(wish: Wish) -> None:
    for value in ("9" * 19, "1" + "0" * 400, "1e308", "-0", "Infinity", "0.0000001e-400"):
        r = wish.call("product/add", **dict(MINIMAL_ADD, price=value))
        assert assert_envelope_error(r)["code"] == 1000  # out of range, or not a positive price
        if value != "-0":  # "-0" is a fine start offset
            assert assert_envelope_error(wish.call("product/multi-get", "GET", start=value))["code"] == 1000
    p = wish.ok("product/add", **dict(MINIMAL_ADD, name="Tasse à café ☕ 咖啡杯", description="Ünïcödé 🎉",
                                      tags="咖啡,café"))["Product"]
    assert p["name"] == "Tasse à café ☕ 咖啡杯" and tags(p) == ["咖啡", "café"]
    assert product(wish, p["id"])["description"] == "Ünïcödé 🎉"
    fullwidth = "ａｂｃｄｅｆ０１２３４５６７８９ａｂｃｄｅｆ０１２３４５"  # 24 characters, none of them hex digits
    assert assert_envelope_error(wish.call("product", "GET", id=fullwidth))["data"] == 2014


def test_worldwide_merchant_reads_its_own_catalogue(client: TestClient) -> None:
    ww = Wish(client, WORLDWIDE_TOKEN)
    ids = all_ids(ww)
    assert ids and SHOE not in ids
    assert_product_shape(ww.ok("product", "GET", id=ids[0]))
