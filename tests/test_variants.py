"""HTTP tests of the Product Variation endpoints: /variant, /variant/multi-get, /variant/add, /variant/update,
/variant/change-sku, /variant/enable, /variant/disable, /variant/update-inventory; plus, for every /variant/*
endpoint, the /v2 alias, GET and POST, authentication, locales, tenant isolation and malformed input. The bulk
update job has its own file (test_variant_bulk.py).

Values the docs show are asserted as the docs show them: scalars as strings ("True", "100.0"), entities wrapped
({"Variant": {...}}), errors as {"code": <nonzero>, "data": ..., "message": "..."}. Note that the seeded bulk job
of the docs (59e00339b2d5b8367ac3e8bd) is FINISHED, so from the first request on SKU aaa has inventory 10 and
SKU bbb is disabled."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Connection
from starlette.testclient import TestClient

from mockwish.errors import message
from mockwish.merchant.catalogue import store
from mockwish.merchant.variants.routes import router
from support import DEFAULT_TOKEN, SECOND_TOKEN, Wish, assert_envelope_error, check_answer, on_store

RED_SHOE = "57bb5803ba2a1f181de31b01"  # parent_sku ML-SZ52019: red-shoe-8 (red/8), aaa (red/9), bbb (red/10)
SHOE = "123456789009876543211234"  # parent_sku blue-shoe: blue-shoe-11 (blue/11), blue-shoe-10, productsku (navy/11)
HAT = "111122223333444455556666"  # parent_sku summer-hat: summer-hat-m (size M only)
BOTTLE = "4ef2858a9795c776ce000120"  # parent_sku Bottle-parent: Bottle (neither size nor colour)
RED_SHOE_8_ID = "51e0a2c61111a236cfffe3a2"
OBJECT_ID = re.compile(r"^[0-9a-f]{24}$")
RATE = 6.0  # the seeded CNY rate: the docs' examples pair price 10 with localized 60
IMG = "https://img.example.com/variant.jpg"

ENDPOINTS = (
    "variant", "variant/multi-get", "variant/add", "variant/update", "variant/change-sku", "variant/enable",
    "variant/disable", "variant/update-inventory", "variant/bulk-sku-update", "variant/get-bulk-update-job-status",
    "variant/get-bulk-update-job-successes", "variant/get-bulk-update-job-failures",
    "variant/cancel-bulk-update-job",
)
# the SKU-taking endpoints and what else each needs to get as far as the SKU lookup
BY_SKU: dict[str, dict[str, str]] = {
    "variant": {}, "variant/update": {"inventory": "1", "price": "1"}, "variant/change-sku": {"new_sku": "hijack"},
    "variant/enable": {}, "variant/disable": {}, "variant/update-inventory": {"inventory": "1"},
}
WRITES_BY_SKU = tuple(p for p in BY_SKU if p != "variant")
ADD = {"parent_sku": "ML-SZ52019", "sku": "red-shoe-12", "inventory": "10", "price": "10", "size": "12"}
CNY_ADD = {"sku": "cny-new", "inventory": "10", "localized_price": "60", "localized_currency_code": "CNY",
           "size": "3XL-new"}


# ---- helpers ------------------------------------------------------------------------------------------

def variant(w: Wish, sku: str, **params: str) -> dict[str, Any]:
    return assert_variant_shape(w.ok("variant", "GET", sku=sku, **params))


def assert_variant_shape(entity: dict[str, Any]) -> dict[str, Any]:
    """{"Variant": {...}} with the keys and scalar types of the docs' examples."""
    assert set(entity) == {"Variant"}, entity
    v = entity["Variant"]
    assert {"id", "product_id", "sku", "enabled", "inventory", "price", "localized_price",
            "localized_currency_code", "shipping"} <= set(v), v
    assert OBJECT_ID.match(v["id"]) and OBJECT_ID.match(v["product_id"])
    for key, value in v.items():
        if key == "LogisticsMetadata":
            assert isinstance(value, dict)
        elif key == "shipping":  # "If normal shipping is not set for the variant, shipping column will be null"
            assert value is None or isinstance(value, str)
        else:
            assert isinstance(value, str), (key, value)
    assert v["enabled"] in ("True", "False") and v["inventory"].isdigit()
    for key in ("price", "localized_price", "msrp", "localized_msrp", "localized_shipping"):
        if key in v:
            float(v[key])
    return v


def all_variants(w: Wish, **params: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    start = 0
    while True:
        body = w.call("variant/multi-get", "GET", start=str(start), limit="100", **params).json()
        out += [assert_variant_shape(e) for e in body["data"]]
        if not (body.get("paging") or {}).get("next"):
            return out
        start += 100


def first_own(w: Wish) -> dict[str, Any]:
    """A live variation of the merchant behind `w` (for the second merchant, whose catalogue is generated)."""
    return assert_variant_shape(w.ok("variant/multi-get", "GET", limit="1")[0])


def product_variants(w: Wish, pid: str) -> dict[str, dict[str, Any]]:
    p = w.ok("product", "GET", id=pid)["Product"]
    return {v["Variant"]["sku"]: v["Variant"] for v in p["variants"]}


def db_set_variant(client: TestClient, token: str, sku: str, **values: Any) -> None:
    """Set store columns no Wish endpoint sets (e.g. removed_by_wish, which only Wish's policy team sets)."""
    mid = Wish(client, token).ok("auth_test")["merchant_id"]

    def update(conn: Connection) -> None:
        row = store.variant_by_sku(conn, mid, sku)
        assert row is not None, sku
        store.update_variant(conn, mid, row["id"], values)
    on_store(client, update)


def db_set_product(client: TestClient, token: str, pid: str, **values: Any) -> None:
    mid = Wish(client, token).ok("auth_test")["merchant_id"]
    on_store(client, lambda conn: store.update_product(conn, mid, pid, values))


def removed_red_shoe(w: Wish) -> tuple[str, str]:
    """Remove the red shoe product; answer its (renamed) parent SKU and the renamed SKU of red-shoe-8."""
    w.ok("product/remove", id=RED_SHOE)
    p = w.ok("product", "GET", id=RED_SHOE)["Product"]
    assert p["removed_by_merchant"] is True
    sku = next(v["Variant"]["sku"] for v in p["variants"] if v["Variant"]["id"] == RED_SHOE_8_ID)
    return p["parent_sku"], sku




# ---- /variant ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("method", ["GET", "POST"])
def test_retrieve_docs_example(wish: Wish, method: str) -> None:
    v = assert_variant_shape(wish.ok("variant", method, sku="red-shoe-8"))
    assert v["id"] == RED_SHOE_8_ID and v["product_id"] == RED_SHOE and v["sku"] == "red-shoe-8"
    # the docs' Example Response values, the localized ones as the doc prints them
    assert (v["enabled"], v["inventory"], v["msrp"], v["price"], v["shipping"]) == (
        "True", "10100", "21100.0", "100.0", "10.0")
    assert (v["localized_price"], v["localized_shipping"], v["localized_currency_code"]) == ("60", "18", "CNY")
    assert (v["color"], v["size"]) == ("red", "8")


def test_retrieve_images_and_omitted_keys(wish: Wish) -> None:
    v = variant(wish, "blue-shoe-11")
    product = wish.ok("product", "GET", id=SHOE)["Product"]
    # "main_image: The variant image which defaults to product.main_image if not set"
    assert v["main_image"] == product["main_image"]
    assert v["all_images"] == "|".join([product["main_image"], product["extra_images"]])
    # keys that do not apply are left out rather than sent as null
    bottle = variant(wish, "Bottle")
    assert "color" not in bottle and "size" not in bottle and "removed_by_wish" not in bottle
    assert bottle["LogisticsMetadata"]["declared_name"] == "Bottle"
    assert bottle["LogisticsMetadata"]["Composition"]["has_liquid"] == "True"


def test_retrieve_warehouse(wish: Wish) -> None:
    standard = variant(wish, "blue-shoe-11")
    express = variant(wish, "blue-shoe-11", warehouse_name="EXPRESS-US")
    assert express["inventory"] == "100" and express["shipping"] is None  # no Wish Express shipping set
    assert {k: v for k, v in express.items() if k not in ("inventory", "shipping", "localized_shipping")} == {
        k: v for k, v in standard.items() if k not in ("inventory", "shipping", "localized_shipping")}
    # a warehouse of the merchant's that holds none of this variation: nothing in stock, no shipping
    fr = variant(wish, "blue-shoe-11", warehouse_name="EXPRESS-FR")
    assert fr["inventory"] == "0" and fr["shipping"] is None and "localized_shipping" not in fr
    # "left blank in XML"
    r = wish.call("variant", "GET", sku="blue-shoe-11", warehouse_name="EXPRESS-FR", format="xml")
    assert r.status_code == 200 and "<shipping></shipping>" in r.text and "<inventory>0</inventory>" in r.text
    # an empty warehouse_name is no warehouse_name (clients that send every parameter)
    assert variant(wish, "blue-shoe-11", warehouse_name="") == standard
    assert variant(wish, "blue-shoe-11", warehouse_name="STANDARD") == standard


@pytest.mark.parametrize(("params", "code", "data", "msg"), [
    ({"sku": "no-such-sku"}, 1004, {}, message("variant_not_found", sku="no-such-sku")),
    ({}, 1001, "sku", message("missing_param", param="sku")),
    ({"sku": ""}, 1001, "sku", message("missing_param", param="sku")),
    ({"sku": "RED-SHOE-8"}, 1004, {}, message("variant_not_found", sku="RED-SHOE-8")),  # SKUs are exact
    ({"sku": "red-shoe-8", "warehouse_name": "EXPRESS-IT"}, 1000, {}, message("no_warehouse", name="EXPRESS-IT")),
    ({"sku": "x" * 256}, 1000, {}, message("too_long", param="sku", max=255)),
])
def test_retrieve_errors(wish: Wish, params: dict[str, str], code: int, data: Any, msg: str) -> None:
    body = wish.err("variant", code, 400, "GET", **params)
    assert body["data"] == data and body["message"] == msg


def test_retrieve_non_usd_merchant_sees_hidden_usd(other: Wish) -> None:
    v = variant(other, first_own(other)["sku"])
    # "The price value will be returned as 999999 if you receive payments in a non-USD currency"
    assert v["price"] == "999999" and v["shipping"] == "999999" and v["msrp"] == "999999"
    assert float(v["localized_price"]) > 0 and v["localized_currency_code"] == "CNY"


# ---- /variant/multi-get --------------------------------------------------------------------------------

def test_multi_get_docs_example_and_paging_links(wish: Wish, client: TestClient) -> None:
    body = wish.call("variant/multi-get", "GET", limit="2", start="20").json()
    assert body["code"] == 0 and body["message"] == "" and len(body["data"]) == 2
    for entity in body["data"]:
        assert_variant_shape(entity)
    nxt, prev = body["paging"]["next"], body["paging"]["previous"]
    assert nxt.startswith("http://testserver/api/v2/variant/multi-get?start=22&limit=2&")
    assert prev.startswith("http://testserver/api/v2/variant/multi-get?start=18&limit=2&")
    assert f"access_token={DEFAULT_TOKEN}" in nxt
    following = client.get(nxt).json()
    assert following["data"] == wish.ok("variant/multi-get", "GET", start="22", limit="2")
    assert client.get(prev).json()["data"] == wish.ok("variant/multi-get", "GET", start="18", limit="2")
    # the first page has no back link
    first = wish.call("variant/multi-get", "GET", limit="2").json()
    assert set(first["paging"]) == {"next"}


def test_multi_get_walks_every_live_variation_once(wish: Wish) -> None:
    everything = all_variants(wish)
    skus = [v["sku"] for v in everything]
    assert len(skus) == len(set(skus)) > 100
    assert {"red-shoe-8", "aaa", "bbb", "blue-shoe-11", "blue-shoe-10", "productsku", "summer-hat-m",
            "Bottle"} <= set(skus)
    assert not any("-removed-" in s for s in skus), "variations of removed products are not listed"
    # default limit 50; the last page has no next link
    assert len(wish.ok("variant/multi-get", "GET")) == 50
    last = wish.call("variant/multi-get", "GET", start=str(len(skus) - 3), limit="10").json()
    assert [e["Variant"]["sku"] for e in last["data"]] == skus[-3:] and "next" not in last["paging"]
    past = wish.call("variant/multi-get", "GET", start=str(len(skus) + 100)).json()
    assert past["code"] == 0 and past["data"] == [] and "next" not in (past.get("paging") or {})
    # limit 500 is the documented maximum
    assert [v["Variant"]["sku"] for v in wish.ok("variant/multi-get", "GET", limit="500")] == skus[:500]


def test_multi_get_follows_writes(wish: Wish) -> None:
    wish.ok("variant/add", **ADD)
    wish.ok("variant/update-inventory", sku="blue-shoe-11", inventory="3")
    listed = {v["sku"]: v for v in all_variants(wish)}
    assert "red-shoe-12" in listed and listed["blue-shoe-11"]["inventory"] == "3"
    wish.ok("product/remove", id=SHOE)
    listed = {v["sku"] for v in all_variants(wish)}
    assert not listed & {"blue-shoe-11", "blue-shoe-10", "productsku"}


def test_multi_get_warehouse(wish: Wish) -> None:
    wish.ok("variant/update-inventory", sku="blue-shoe-11", inventory="77", warehouse_name="EXPRESS-US")
    express = {v["sku"]: v for v in all_variants(wish, warehouse_name="EXPRESS-US")}
    standard = {v["sku"]: v for v in all_variants(wish)}
    assert express.keys() == standard.keys()
    assert express["blue-shoe-11"]["inventory"] == "77" and standard["blue-shoe-11"]["inventory"] == "100"
    assert express["summer-hat-m"]["inventory"] == "0"  # nothing of it in that warehouse


@pytest.mark.parametrize(("params", "msg"), [
    ({"limit": "0"}, message("out_of_range", param="limit", low=1, high=500, value="0")),
    ({"limit": "501"}, message("out_of_range", param="limit", low=1, high=500, value="501")),
    ({"limit": "-5"}, None), ({"limit": "ten"}, message("invalid_param", value="ten", param="limit")),
    ({"limit": "2.5"}, None), ({"start": "-1"}, None), ({"start": "1e2"}, None),
    ({"warehouse_name": "NOWHERE"}, message("no_warehouse", name="NOWHERE")),
])
def test_multi_get_errors(wish: Wish, params: dict[str, str], msg: str | None) -> None:
    body = wish.err("variant/multi-get", 1000, 400, "GET", **params)
    assert body["data"] == {}
    if msg is not None:
        assert body["message"] == msg


# ---- /variant/add --------------------------------------------------------------------------------------

def test_add_docs_example_is_readable_next_call(wish: Wish) -> None:
    v = assert_variant_shape(wish.ok("variant/add", **ADD))
    assert (v["sku"], v["size"], v["inventory"], v["price"], v["enabled"]) == ("red-shoe-12", "12", "10", "10.0",
                                                                                "True")
    assert v["product_id"] == RED_SHOE and v["localized_currency_code"] == "CNY"
    assert v["localized_price"] == "60.0"  # follows the CNY rate when only the USD price is sent
    # "If the default shipping price is set, it will be used as the shipping price for the new variation"
    assert (v["shipping"], v["localized_shipping"]) == ("10.0", "60.0")
    assert variant(wish, "red-shoe-12") == v
    assert product_variants(wish, RED_SHOE)["red-shoe-12"]["id"] == v["id"]


def test_add_parent_sku_may_be_a_variation_sku(wish: Wish) -> None:
    # "If the product is missing a parent_sku, then this should be the SKU of a product variation of the product"
    v = assert_variant_shape(wish.ok("variant/add", parent_sku="blue-shoe-11", sku="blue-shoe-9", size="9",
                                     color="blue", inventory="4", price="9.5"))
    assert v["product_id"] == SHOE
    assert "blue-shoe-9" in product_variants(wish, SHOE)


def test_add_stores_everything_sent(wish: Wish) -> None:
    v = assert_variant_shape(wish.ok(
        "variant/add", parent_sku="blue-shoe", sku="blue-shoe-12", color="Blue", size="12", condition="used",
        inventory="500000", price="100000", localized_price="612", localized_currency_code="cny", msrp="150",
        localized_msrp="900", shipping="1000", localized_shipping="6000", shipping_time="15-20", main_image=IMG,
        quantity_value="2.5", length="10", width="13.40", height="13.40", weight="151.5",
        declared_name="Repair Tools Kit Set", declared_local_name="棉质外套", pieces="2", declared_value="$100.99",
        hscode="6403.20", origin_country="cn", has_powder="False", has_liquid="True", has_battery="false",
        has_metal="TRUE"))
    assert (v["color"], v["size"], v["condition"], v["inventory"]) == ("Blue", "12", "USED", "500000")
    assert (v["price"], v["localized_price"], v["msrp"], v["localized_msrp"]) == ("100000.0", "612.0", "150.0",
                                                                                 "900.0")
    assert (v["shipping"], v["localized_shipping"], v["shipping_time"]) == ("1000.0", "6000.0", "15-20")
    assert v["main_image"] == IMG and v["quantity_value"] == "2.5"
    lm = v["LogisticsMetadata"]
    assert (lm["length"], lm["width"], lm["height"], lm["weight"]) == ("10.0", "13.4", "13.4", "151.5")
    assert (lm["declared_name"], lm["declared_local_name"], lm["pieces"]) == ("Repair Tools Kit Set", "棉质外套", 2)
    assert (lm["declared_value"], lm["hscode"], lm["origin_country"]) == ("100.99", "6403.20", "CN")
    assert lm["Composition"] == {"has_powder": "False", "has_liquid": "True", "has_battery": "False",
                                 "has_metal": "True"}
    assert lm["id"] == v["id"] and lm["product_id"] == SHOE
    assert variant(wish, "blue-shoe-12") == v
    # the variation's own image is not the product's, and the product's images are unchanged
    product = wish.ok("product", "GET", id=SHOE)["Product"]
    assert product["main_image"] != IMG and IMG not in v["all_images"]


def test_add_shipping_falls_back_to_highest_active_variation(wish: Wish, client: TestClient) -> None:
    # "Otherwise, the highest active variation shipping price will be used."
    db_set_product(client, DEFAULT_TOKEN, SHOE, default_shipping_price=None, localized_default_shipping_price=None)
    wish.ok("variant/update", sku="blue-shoe-10", shipping="7.5")
    wish.ok("variant/update", sku="productsku", shipping="9")
    wish.ok("variant/disable", sku="productsku")  # not active: its 9.0 does not count
    v = assert_variant_shape(wish.ok("variant/add", parent_sku="blue-shoe", sku="bs-8", size="8", inventory="1",
                                     price="10"))
    assert (v["shipping"], v["localized_shipping"]) == ("7.5", "45.0")


def test_add_sku_may_be_its_own_products_parent_sku(wish: Wish) -> None:
    # /product/add gives a product its first SKU as parent SKU, so a product's parent SKU and one of its own
    # variation SKUs may coincide (as /variant/change-sku also allows); other products' parent SKUs are taken.
    v = assert_variant_shape(wish.ok("variant/add", parent_sku="summer-hat", sku="summer-hat", size="L",
                                     inventory="1", price="3"))
    assert v["product_id"] == HAT
    body = wish.err("variant/add", 1000, 400, parent_sku="summer-hat", sku="blue-shoe", size="XL", inventory="1",
                    price="3")
    assert body["message"] == message("duplicate_sku", sku="blue-shoe")


@pytest.mark.parametrize("missing", ["parent_sku", "sku", "inventory", "price"])
def test_add_required_params(wish: Wish, missing: str) -> None:
    params = {k: v for k, v in ADD.items() if k != missing}
    body = wish.err("variant/add", 1001, 400, **params)
    assert body["data"] == missing and body["message"] == message("missing_param", param=missing)
    wish.err("variant", 1004, 400, "GET", sku="red-shoe-12")  # nothing was created


@pytest.mark.parametrize(("params", "code", "data", "msg"), [
    ({"parent_sku": "no-such-parent"}, 1004, 2018,
     message("product_not_found", field="parent_sku", value="no-such-parent")),
    ({"size": ""}, 1000, 2219, message("size_or_color")),
    ({"size": "   ", "color": " "}, 1000, 2219, message("size_or_color")),
    ({"size": "8", "color": "red"}, 1000, {}, message("duplicate_variation", color="red", size="8")),
    ({"size": " 8 ", "color": "RED"}, 1000, {}, message("duplicate_variation", color="RED", size="8")),
    ({"sku": "blue-shoe-11"}, 1000, {}, message("duplicate_sku", sku="blue-shoe-11")),  # another product's SKU
    ({"sku": "aaa"}, 1000, {}, message("duplicate_sku", sku="aaa")),  # a sibling's SKU
    ({"sku": "blue-shoe"}, 1000, {}, message("duplicate_sku", sku="blue-shoe")),  # another product's parent SKU
    ({"inventory": "500001"}, 1000, {}, message("out_of_range", param="inventory", low=0, high=500000,
                                                value="500001")),
    ({"inventory": "-1"}, 1000, {}, None), ({"inventory": "1.5"}, 1000, {}, None),
    ({"price": "100000.01"}, 1000, {}, message("out_of_range", param="price", low="0", high="100000",
                                               value="100000.01")),
    ({"price": "0"}, 1000, {}, None), ({"price": "-3"}, 1000, {}, None), ({"price": "ten"}, 1000, {}, None),
    ({"shipping": "1000.5"}, 1000, {}, message("out_of_range", param="shipping", low="0", high="1000",
                                               value="1000.5")),
    ({"msrp": "100001"}, 1000, {}, None),
    ({"main_image": "not a url"}, 1000, 13, message("image_url", url="not a url")),
    ({"shipping_time": "1-5"}, 1000, {}, None),  # "Lower bound cannot be less than 2 days"
    ({"condition": "BROKEN"}, 1000, {}, None),
    ({"size": "x" * 50}, 1000, {}, message("too_long", param="size", max=49)),  # "fewer than 50 characters"
    ({"declared_name": "!Rings"}, 1000, {}, None), ({"declared_local_name": "棉"}, 1000, {}, None),
    ({"pieces": "-1"}, 1000, {}, None), ({"declared_value": "$49.99 + S/H"}, 1000, {}, None),
    ({"hscode": "a"}, 1000, {}, None), ({"origin_country": "China"}, 1000, {}, None),
    ({"has_battery": "Yes"}, 1000, {}, None), ({"has_metal": "0"}, 1000, {}, None),
    ({"localized_price": "60"}, 1001, "localized_currency_code",
     message("missing_param", param="localized_currency_code")),
    ({"localized_price": "60", "localized_currency_code": "USD"}, 1000, {},
     message("currency_mismatch", expected="CNY", value="USD")),
])
def test_add_errors(wish: Wish, params: dict[str, str], code: int, data: Any, msg: str | None) -> None:
    body = wish.err("variant/add", code, 400, **{**ADD, **params})
    assert body["data"] == data
    if msg is not None:
        assert body["message"] == msg
    if params.get("sku") is None:
        wish.err("variant", 1004, 400, "GET", sku=ADD["sku"])  # nothing was created


def test_add_documented_maxima_are_accepted(wish: Wish) -> None:
    v = assert_variant_shape(wish.ok("variant/add", **{**ADD, "inventory": "500000", "price": "100000",
                                                       "shipping": "1000", "size": "x" * 49}))
    assert (v["inventory"], v["price"], v["shipping"]) == ("500000", "100000.0", "1000.0")
    v = assert_variant_shape(wish.ok("variant/add", **{**ADD, "sku": "zero", "inventory": "0", "size": "0"}))
    assert v["inventory"] == "0"


def test_add_color_only_and_trimmed(wish: Wish) -> None:
    v = assert_variant_shape(wish.ok("variant/add", parent_sku="summer-hat", sku="hat-red", color=" red ",
                                     size="", inventory="2", price="12"))
    assert v["color"] == "red" and "size" not in v


def test_add_too_many_variations(wish: Wish, client: TestClient) -> None:
    # "The number of variations of a product must not exceed 400": fill the hat up to 399 in the store
    mid = wish.ok("auth_test")["merchant_id"]

    def fill(conn: Connection) -> None:
        template = store.variant_by_sku(conn, mid, "summer-hat-m")
        assert template is not None
        for i in range(398):
            store.insert_variant(conn, {**template, "id": f"{i + 1:024x}", "sku": f"hat-{i}", "size": f"S{i}",
                                        "position": i + 1})
    on_store(client, fill)
    wish.ok("variant/add", parent_sku="summer-hat", sku="hat-400", size="S400", inventory="1", price="1")
    body = wish.err("variant/add", 1000, 400, parent_sku="summer-hat", sku="hat-401", size="S401", inventory="1",
                    price="1")
    assert body["message"] == message("too_many_variations", max=400)
    wish.err("variant", 1004, 400, "GET", sku="hat-401")


def test_add_to_removed_product(wish: Wish) -> None:
    parent, sku = removed_red_shoe(wish)
    for ref in (parent, sku):
        body = wish.err("variant/add", 1000, 400, **{**ADD, "parent_sku": ref})
        assert body["message"] == message("product_removed", id=RED_SHOE)
    # the old parent SKU is free: no product has it any more
    body = wish.err("variant/add", 1004, 400, **ADD)
    assert body["data"] == 2018


def test_add_localized_rules_usd_merchant(wish: Wish) -> None:
    # a USD-paid merchant may send both, or only the localized display value (the USD value follows the rate)
    v = assert_variant_shape(wish.ok("variant/add", **{**ADD, "price": "10", "localized_price": "65",
                                                       "localized_currency_code": "CNY"}))
    assert (v["price"], v["localized_price"]) == ("10.0", "65.0")
    v = assert_variant_shape(wish.ok("variant/add", **{**ADD, "sku": "loc-only", "size": "13", "price": None,
                                                       "localized_price": "120", "localized_currency_code": "CNY"}))
    assert (v["price"], v["localized_price"]) == (str(round(120 / RATE, 2)), "120.0")


def test_add_localized_rules_non_usd_merchant(other: Wish) -> None:
    parent = first_own(other)["sku"]
    base = {**CNY_ADD, "parent_sku": parent}
    cases: list[tuple[dict[str, str | None], int, str]] = [
        ({"price": "10"}, 1000, message("usd_not_allowed", param="price", currency="CNY", localized="localized_price")),
        ({"shipping": "1"}, 1000, message("usd_not_allowed", param="shipping", currency="CNY",
                                          localized="localized_shipping")),
        ({"msrp": "20"}, 1000, message("usd_not_allowed", param="msrp", currency="CNY", localized="localized_msrp")),
        ({"localized_price": None}, 1000, message("localized_required", param="localized_price", currency="CNY")),
        ({"localized_currency_code": None}, 1001, message("missing_param", param="localized_currency_code")),
        ({"localized_currency_code": "USD"}, 1000, message("currency_mismatch", expected="CNY", value="USD")),
    ]
    for extra, code, msg in cases:
        body = other.err("variant/add", code, 400, **{**base, **extra})
        assert body["message"] == msg, extra
    # "max 100,000" USD applies to the localized price too, converted at the merchant's rate
    body = other.err("variant/add", 1000, 400, **{**base, "localized_price": str(100_001 * RATE)})
    assert body["message"].startswith("localized_price must be between 0 and 100000 USD, got "), body
    other.ok("variant/add", **{**base, "sku": "cny-max", "size": "max", "localized_price": str(100_000 * RATE)})
    other.err("variant", 1004, 400, "GET", sku="cny-new")
    v = assert_variant_shape(other.ok("variant/add", **base, localized_shipping="12", localized_msrp="99"))
    assert (v["price"], v["localized_price"], v["localized_currency_code"]) == ("999999", "60.0", "CNY")
    assert (v["shipping"], v["localized_shipping"], v["localized_msrp"]) == ("999999", "12.0", "99.0")
    assert variant(other, "cny-new") == v


# ---- /variant/update -----------------------------------------------------------------------------------

def test_update_docs_example(wish: Wish) -> None:
    before, sibling = variant(wish, "blue-shoe-11"), variant(wish, "blue-shoe-10")
    assert wish.ok("variant/update", sku="blue-shoe-11", price="10.11", localized_price="60",
                   localized_currency_code="CNY", inventory="1000") == {}
    after = variant(wish, "blue-shoe-11")
    assert (after["price"], after["localized_price"], after["inventory"]) == ("10.11", "60.0", "1000")
    # "Any attribute not provided will be left unchanged."
    unchanged = {k: v for k, v in before.items() if k not in ("price", "localized_price", "inventory")}
    assert {k: v for k, v in after.items() if k not in ("price", "localized_price", "inventory")} == unchanged
    assert variant(wish, "blue-shoe-10") == sibling


def test_update_attributes(wish: Wish) -> None:
    wish.ok("variant/update", sku="blue-shoe-11", size="11.5", color="Sky Blue", condition="refurbished",
            msrp="30", shipping="2.5", shipping_time="7-14", quantity_value="3", hscode="33021010.00",
            weight="10", has_battery="True")
    v = variant(wish, "blue-shoe-11")
    assert (v["size"], v["color"], v["condition"], v["msrp"]) == ("11.5", "Sky Blue", "REFURBISHED", "30.0")
    assert (v["shipping"], v["localized_shipping"], v["shipping_time"]) == ("2.5", "15.0", "7-14")
    assert v["quantity_value"] == "3.0" and v["LogisticsMetadata"]["hscode"] == "33021010.00"
    assert v["LogisticsMetadata"]["Composition"] == {"has_battery": "True"}
    # clearing one of size and colour is fine while the other remains
    wish.ok("variant/update", sku="blue-shoe-11", color="")
    v = variant(wish, "blue-shoe-11")
    assert "color" not in v and v["size"] == "11.5"
    # a USD-paid merchant may send the USD price alone: the localized price follows the rate
    wish.ok("variant/update", sku="blue-shoe-11", price="20")
    v = variant(wish, "blue-shoe-11")
    assert (v["price"], v["localized_price"]) == ("20.0", "120.0")


def test_update_enabled(wish: Wish) -> None:
    wish.ok("variant/update", sku="blue-shoe-11", enabled="False")
    assert variant(wish, "blue-shoe-11")["enabled"] == "False"
    wish.ok("variant/update", sku="blue-shoe-11", enabled="true")
    assert variant(wish, "blue-shoe-11")["enabled"] == "True"


def test_update_warehouse(wish: Wish) -> None:
    # "only the shipping price and inventory ... will be applied to the STANDARD warehouse" when none is named;
    # "The price, size, color, and MSRP are set to the product regardless of the warehouse."
    wish.ok("variant/update", sku="blue-shoe-11", warehouse_name="EXPRESS-US", inventory="5", shipping="1.5",
            price="12")
    express = variant(wish, "blue-shoe-11", warehouse_name="EXPRESS-US")
    standard = variant(wish, "blue-shoe-11")
    assert (express["inventory"], express["shipping"], express["price"]) == ("5", "1.5", "12.0")
    assert (standard["inventory"], standard["shipping"], standard["price"]) == ("100", "2.0", "12.0")
    wish.ok("variant/update", sku="blue-shoe-11", warehouse_name="EXPRESS-DE", inventory="9")
    assert variant(wish, "blue-shoe-11", warehouse_name="EXPRESS-DE")["inventory"] == "9"
    wish.ok("variant/update", sku="blue-shoe-11", warehouse_name="", inventory="8")  # empty = STANDARD
    assert variant(wish, "blue-shoe-11")["inventory"] == "8"


def test_update_main_image(wish: Wish) -> None:
    product_image = wish.ok("product", "GET", id=SHOE)["Product"]["main_image"]
    # update_product_image=False: only this variation's image changes
    wish.ok("variant/update", sku="blue-shoe-10", main_image=IMG, update_product_image="False")
    assert variant(wish, "blue-shoe-10")["main_image"] == IMG
    assert variant(wish, "blue-shoe-11")["main_image"] == product_image
    # default True: the product's main image, and every variation that used it, follow
    other = "https://img.example.com/new-main.jpg"
    wish.ok("variant/update", sku="blue-shoe-11", main_image=other)
    assert wish.ok("product", "GET", id=SHOE)["Product"]["main_image"] == other
    assert variant(wish, "blue-shoe-11")["main_image"] == other
    assert variant(wish, "productsku")["main_image"] == other
    assert variant(wish, "blue-shoe-10")["main_image"] == IMG  # has its own picture


@pytest.mark.parametrize(("params", "code", "data", "msg"), [
    ({"sku": "no-such-sku"}, 1004, {}, message("variant_not_found", sku="no-such-sku")),
    ({"sku": None}, 1001, "sku", message("missing_param", param="sku")),
    ({"warehouse_name": "EXPRESS-IT"}, 1000, {}, message("no_warehouse", name="EXPRESS-IT")),
    ({"size": "10"}, 1000, {}, message("duplicate_variation", color="blue", size="10")),  # blue/10 exists
    ({"inventory": "500001"}, 1000, {}, None), ({"inventory": "-1"}, 1000, {}, None),
    ({"price": "100001"}, 1000, {}, None), ({"price": "0"}, 1000, {}, None),
    ({"shipping": "1001"}, 1000, {}, None), ({"msrp": "-1"}, 1000, {}, None),
    ({"enabled": "yes"}, 1000, {}, message("invalid_param", value="yes", param="enabled")),
    ({"update_product_image": "1", "main_image": IMG}, 1000, {}, None),
    ({"main_image": "ftp://x"}, 1000, 13, None), ({"shipping_time": "20-10"}, 1000, {}, None),
    ({"localized_price": "60"}, 1001, "localized_currency_code", None),
    ({"localized_shipping": "6", "localized_currency_code": "EUR"}, 1000, {},
     message("currency_mismatch", expected="CNY", value="EUR")),
])
def test_update_errors(wish: Wish, params: dict[str, str | None], code: int, data: Any, msg: str | None) -> None:
    before = variant(wish, "blue-shoe-11")
    body = wish.err("variant/update", code, 400, **{"sku": "blue-shoe-11", **params})
    assert body["data"] == data
    if msg is not None:
        assert body["message"] == msg
    assert variant(wish, "blue-shoe-11") == before


def test_update_size_or_color_required(wish: Wish) -> None:
    wish.ok("variant/update", sku="summer-hat-m", color="")  # had none: nothing changes
    body = wish.err("variant/update", 1000, 400, sku="summer-hat-m", size="")
    assert body["data"] == 2219 and body["message"] == message("size_or_color")
    wish.err("variant/update", 1000, 400, sku="blue-shoe-11", size=" ", color="")
    assert variant(wish, "summer-hat-m")["size"] == "M"


def test_update_localized_rules_non_usd_merchant(other: Wish) -> None:
    sku = first_own(other)["sku"]
    before = variant(other, sku)
    for extra, msg in (
            ({"price": "10"}, message("usd_not_allowed", param="price", currency="CNY", localized="localized_price")),
            ({"shipping": "1"}, message("usd_not_allowed", param="shipping", currency="CNY",
                                        localized="localized_shipping")),
            ({"msrp": "1"}, message("usd_not_allowed", param="msrp", currency="CNY", localized="localized_msrp")),
    ):
        assert other.err("variant/update", 1000, 400, sku=sku, **extra)["message"] == msg
    other.err("variant/update", 1001, 400, sku=sku, localized_price="70")
    assert variant(other, sku) == before
    other.ok("variant/update", sku=sku, localized_price="70", localized_shipping="8", localized_currency_code="CNY")
    after = variant(other, sku)
    assert (after["price"], after["localized_price"], after["localized_shipping"]) == ("999999", "70.0", "8.0")


def test_update_of_removed_variation(wish: Wish, client: TestClient) -> None:
    """'removed_by_wish: ... These variations cannot be re-enabled.' Other changes stay possible."""
    db_set_variant(client, DEFAULT_TOKEN, "productsku", removed_by_wish=True, enabled=False)
    v = variant(wish, "productsku")
    assert v["removed_by_wish"] == "True" and v["enabled"] == "False"
    body = wish.err("variant/update", 1000, 400, sku="productsku", enabled="True")
    assert body["message"] == message("variant_removed_by_wish", sku="productsku")
    wish.ok("variant/update", sku="productsku", inventory="3")
    assert variant(wish, "productsku")["inventory"] == "3"


# ---- /variant/change-sku -------------------------------------------------------------------------------

def test_change_sku_docs_example(wish: Wish) -> None:
    before = variant(wish, "blue-shoe-11")
    assert wish.ok("variant/change-sku", sku="blue-shoe-11", new_sku="blue-shoe-12") == {}
    wish.err("variant", 1004, 400, "GET", sku="blue-shoe-11")
    after = variant(wish, "blue-shoe-12")
    assert after == {**before, "sku": "blue-shoe-12"}
    assert "blue-shoe-12" in product_variants(wish, SHOE)
    # the old SKU is free again
    wish.ok("variant/add", parent_sku="blue-shoe", sku="blue-shoe-11", size="11", color="teal", inventory="1",
            price="1")


def test_change_sku_uniqueness(wish: Wish) -> None:
    for taken in ("aaa", "blue-shoe-10", "ML-SZ52019", "summer-hat"):
        body = wish.err("variant/change-sku", 1000, 400, sku="blue-shoe-11", new_sku=taken)
        assert body["message"] == message("duplicate_sku", sku=taken)
    wish.ok("variant/change-sku", sku="blue-shoe-11", new_sku="blue-shoe-11")  # unchanged: fine
    wish.ok("variant/change-sku", sku="blue-shoe-11", new_sku="blue-shoe")  # its own product's parent SKU
    assert variant(wish, "blue-shoe")["product_id"] == SHOE
    wish.ok("variant/change-sku", sku="blue-shoe", new_sku="蓝鞋 №11 ✓")
    assert variant(wish, "蓝鞋 №11 ✓")["product_id"] == SHOE


@pytest.mark.parametrize(("params", "code", "data"), [
    ({"sku": "no-such-sku", "new_sku": "x"}, 1004, {}), ({"new_sku": "x"}, 1001, "sku"),
    ({"sku": "aaa"}, 1001, "new_sku"), ({"sku": "aaa", "new_sku": " "}, 1001, "new_sku"),
    ({"sku": "aaa", "new_sku": "x" * 256}, 1000, {}),
])
def test_change_sku_errors(wish: Wish, params: dict[str, str], code: int, data: Any) -> None:
    assert wish.err("variant/change-sku", code, 400, **params)["data"] == data
    variant(wish, "aaa")


# ---- /variant/enable, /variant/disable -----------------------------------------------------------------

def test_disable_then_enable(wish: Wish) -> None:
    assert wish.ok("variant/disable", sku="blue-shoe-11") == {}
    assert variant(wish, "blue-shoe-11")["enabled"] == "False"
    assert variant(wish, "blue-shoe-10")["enabled"] == "True"
    wish.ok("variant/disable", sku="blue-shoe-11")  # again: still fine
    assert wish.ok("variant/enable", sku="blue-shoe-11") == {}
    assert variant(wish, "blue-shoe-11")["enabled"] == "True"
    assert variant(wish, "bbb")["enabled"] == "False"  # disabled by the seeded bulk job
    wish.ok("variant/enable", sku="bbb")
    assert variant(wish, "bbb")["enabled"] == "True"


def test_enable_removed_by_wish(wish: Wish, client: TestClient) -> None:
    db_set_variant(client, DEFAULT_TOKEN, "productsku", removed_by_wish=True, enabled=False)
    body = wish.err("variant/enable", 1000, 400, sku="productsku")
    assert body["data"] == {} and body["message"] == message("variant_removed_by_wish", sku="productsku")
    wish.ok("variant/disable", sku="productsku")
    assert variant(wish, "productsku")["enabled"] == "False"


@pytest.mark.parametrize("path", ["variant/enable", "variant/disable"])
def test_enable_disable_errors(wish: Wish, path: str) -> None:
    assert wish.err(path, 1004, 400, sku="no-such-sku")["message"] == message("variant_not_found",
                                                                             sku="no-such-sku")
    assert wish.err(path, 1001, 400)["data"] == "sku"


# ---- /variant/update-inventory -------------------------------------------------------------------------

def test_update_inventory_docs_example(wish: Wish) -> None:
    before = variant(wish, "blue-shoe-11")
    assert wish.ok("variant/update-inventory", sku="blue-shoe-11", inventory="100") == {}
    wish.ok("variant/update-inventory", sku="blue-shoe-11", inventory="42")
    assert variant(wish, "blue-shoe-11") == {**before, "inventory": "42"}
    wish.ok("variant/update-inventory", sku="blue-shoe-11", inventory="0")
    assert variant(wish, "blue-shoe-11")["inventory"] == "0"
    wish.ok("variant/update-inventory", sku="blue-shoe-11", inventory="500000")
    assert variant(wish, "blue-shoe-11")["inventory"] == "500000"


def test_update_inventory_warehouse(wish: Wish) -> None:
    wish.ok("variant/update-inventory", sku="blue-shoe-11", inventory="12", warehouse_name="EXPRESS-US")
    wish.ok("variant/update-inventory", sku="blue-shoe-11", inventory="13", warehouse_name="EXPRESS-GB")
    assert variant(wish, "blue-shoe-11", warehouse_name="EXPRESS-US")["inventory"] == "12"
    assert variant(wish, "blue-shoe-11", warehouse_name="EXPRESS-GB")["inventory"] == "13"
    assert variant(wish, "blue-shoe-11")["inventory"] == "100"


@pytest.mark.parametrize(("params", "code", "data", "msg"), [
    ({"inventory": "500001"}, 1000, {}, message("out_of_range", param="inventory", low=0, high=500000,
                                                value="500001")),
    ({"inventory": "-1"}, 1000, {}, None), ({"inventory": "many"}, 1000, {}, None),
    ({"inventory": "1e3"}, 1000, {}, None), ({"inventory": "9" * 30}, 1000, {}, None),
    ({"inventory": None}, 1001, "inventory", message("missing_param", param="inventory")),
    ({"inventory": ""}, 1001, "inventory", None),
    ({"sku": None}, 1001, "sku", None), ({"sku": "nope"}, 1004, {}, message("variant_not_found", sku="nope")),
    ({"warehouse_name": "EXPRESS-IT"}, 1000, {}, message("no_warehouse", name="EXPRESS-IT")),
])
def test_update_inventory_errors(wish: Wish, params: dict[str, str | None], code: int, data: Any,
                                 msg: str | None) -> None:
    body = wish.err("variant/update-inventory", code, 400, **{"sku": "blue-shoe-11", "inventory": "5", **params})
    assert body["data"] == data
    if msg is not None:
        assert body["message"] == msg
    assert variant(wish, "blue-shoe-11")["inventory"] == "100"


# ---- product removed by the merchant -------------------------------------------------------------------

@pytest.mark.parametrize("path", WRITES_BY_SKU)
def test_variation_of_removed_product_cannot_change(wish: Wish, path: str) -> None:
    _, sku = removed_red_shoe(wish)
    before = variant(wish, sku)  # still readable, like the removed product itself
    assert before["enabled"] == "False"
    body = wish.err(path, 1000, 400, sku=sku, **BY_SKU[path])
    assert body["data"] == {} and body["message"] == message("product_removed", id=RED_SHOE)
    assert variant(wish, sku) == before
    # its old SKU no longer names anything
    wish.err(path, 1004, 400, sku="red-shoe-8", **BY_SKU[path])


# ---- tenant isolation ----------------------------------------------------------------------------------

def _same_answer(a: Any, b: Any, ref_a: str, ref_b: str) -> None:
    ba, bb = a.json(), b.json()
    assert (a.status_code, ba["code"], ba["data"]) == (b.status_code, bb["code"], bb["data"]), (ba, bb)
    assert ba["message"].replace(ref_a, "<ref>") == bb["message"].replace(ref_b, "<ref>")


def _snapshot(w: Wish) -> list[dict[str, Any]]:
    return [variant(w, sku) for sku in ("blue-shoe-11", "blue-shoe-10", "productsku")]


@pytest.mark.parametrize("path", sorted(BY_SKU))
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_tenant_isolation_by_sku(wish: Wish, other: Wish, path: str, method: str) -> None:
    before = _snapshot(wish)
    foreign = other.call(path, method, sku="blue-shoe-11", **BY_SKU[path])
    missing = other.call(path, method, sku="no-such-sku-anywhere", **BY_SKU[path])
    assert foreign.json()["code"] == 1004, foreign.json()
    _same_answer(foreign, missing, "blue-shoe-11", "no-such-sku-anywhere")
    assert _snapshot(wish) == before


@pytest.mark.parametrize("parent", ["blue-shoe", "blue-shoe-11"])
def test_tenant_isolation_add(wish: Wish, other: Wish, parent: str) -> None:
    before = product_variants(wish, SHOE)
    params = {**CNY_ADD, "sku": "sneaky"}
    foreign = other.call("variant/add", parent_sku=parent, **params)
    missing = other.call("variant/add", parent_sku="no-such-parent", **params)
    assert foreign.json()["code"] == 1004 and foreign.json()["data"] == 2018
    _same_answer(foreign, missing, parent, "no-such-parent")
    assert product_variants(wish, SHOE) == before
    wish.err("variant", 1004, 400, "GET", sku="sneaky")


def test_sku_namespace_is_per_merchant(wish: Wish, other: Wish) -> None:
    own = first_own(other)
    # the second merchant may use SKUs the default merchant already has, and vice versa
    other.ok("variant/change-sku", sku=own["sku"], new_sku="aaa")
    assert variant(other, "aaa")["id"] == own["id"]
    assert variant(wish, "aaa")["product_id"] == RED_SHOE
    v = assert_variant_shape(other.ok("variant/add", parent_sku="aaa", **{**CNY_ADD, "sku": "blue-shoe-11"}))
    assert v["product_id"] == own["product_id"]
    assert variant(wish, "blue-shoe-11")["product_id"] == SHOE
    wish.ok("variant/update-inventory", sku="aaa", inventory="321")
    assert variant(other, "aaa")["inventory"] == own["inventory"]


def test_tenant_isolation_in_listings(wish: Wish, other: Wish) -> None:
    mine = {v["id"] for v in all_variants(wish)}
    theirs_pages: list[dict[str, Any]] = []
    start = 0
    while True:
        body = other.call("variant/multi-get", "GET", start=str(start), limit="40").json()
        theirs_pages += body["data"]
        nxt = (body.get("paging") or {}).get("next")
        if not nxt:
            break
        assert f"access_token={SECOND_TOKEN}" in nxt and DEFAULT_TOKEN not in nxt
        start += 40
    theirs = {e["Variant"]["id"] for e in theirs_pages}
    assert mine and theirs and mine.isdisjoint(theirs)
    assert {e["Variant"]["localized_currency_code"] for e in theirs_pages} == {"CNY"}
    assert {e["Variant"]["price"] for e in theirs_pages} == {"999999"}
    # paging past the end of one's own list never reaches another merchant's variations
    assert other.ok("variant/multi-get", "GET", start=str(len(theirs)), limit="500") == []
    added = assert_variant_shape(wish.ok("variant/add", **ADD))
    assert added["id"] not in {v["id"] for v in all_variants(other)}


# ---- /v2 alias, GET and POST, authentication, locale ---------------------------------------------------

def _minimal(path: str, i: int) -> dict[str, str]:
    """Valid parameters for each endpoint; `i` keeps non-idempotent calls apart."""
    return {
        "variant": {"sku": "red-shoe-8"}, "variant/multi-get": {"limit": "3", "start": "5"},
        "variant/add": {**ADD, "sku": f"alias-{i}", "size": f"alias-{i}"},
        "variant/update": {"sku": "blue-shoe-11", "inventory": str(10 + i)},
        "variant/change-sku": {"sku": "blue-shoe-11" if i == 0 else f"renamed-{i - 1}", "new_sku": f"renamed-{i}"},
        "variant/enable": {"sku": "aaa"}, "variant/disable": {"sku": "aaa"},
        "variant/update-inventory": {"sku": "aaa", "inventory": str(i)},
        "variant/bulk-sku-update": {"updates": f'[{{"sku": "aaa", "inventory": {i}}}]'},
        "variant/get-bulk-update-job-status": {"job_id": "59e00339b2d5b8367ac3e8bd"},
        "variant/get-bulk-update-job-successes": {"job_id": "59e00339b2d5b8367ac3e8bd", "limit": "4"},
        "variant/get-bulk-update-job-failures": {"job_id": "59e00339b2d5b8367ac3e8bd", "limit": "4"},
        "variant/cancel-bulk-update-job": {"job_id": "59e00339b2d5b8367ac3e8bd"},
    }[path]


def test_every_documented_endpoint_is_routed() -> None:
    assert sorted(op.path.lstrip("/") for op in router.operations) == sorted(ENDPOINTS)


@pytest.mark.parametrize("path", ENDPOINTS)
def test_alias_and_methods(wish: Wish, path: str) -> None:
    combos = [(prefix, method) for prefix in ("/api/v2/", "/v2/") for method in ("GET", "POST")]
    answers = []
    for i, (prefix, method) in enumerate(combos):
        r = wish.call(prefix + path, method, **_minimal(path, i))
        body = r.json()
        assert r.status_code == 200 and body["code"] == 0 and body["message"] == "", (prefix, method, body)
        assert r.headers["content-type"].startswith("application/json")
        answers.append(body["data"])
    if path in ("variant", "variant/multi-get", "variant/get-bulk-update-job-successes",
                "variant/get-bulk-update-job-failures", "variant/cancel-bulk-update-job"):
        assert all(a == answers[0] for a in answers), "reads answer the same on every route"
    if path == "variant/add":
        assert len({a["Variant"]["id"] for a in answers}) == 4
        assert all(variant(wish, f"alias-{i}") for i in range(4))
    if path == "variant/change-sku":
        assert variant(wish, "renamed-3")["product_id"] == SHOE
    if path == "variant/update-inventory":
        assert variant(wish, "aaa")["inventory"] == "3"


def test_bearer_header_and_json_body(wish: Wish, client: TestClient) -> None:
    r = wish.call("variant", "GET", bearer=True, sku="red-shoe-8")
    assert r.status_code == 200 and r.json()["data"]["Variant"]["sku"] == "red-shoe-8"
    r = wish.call("variant/update-inventory", "POST", bearer=True, sku="red-shoe-8", inventory="5")
    assert r.status_code == 200 and variant(wish, "red-shoe-8")["inventory"] == "5"
    r = client.post("/api/v2/variant/update", json={"access_token": DEFAULT_TOKEN, "sku": "aaa", "inventory": 6,
                                                    "price": 12.5, "enabled": False})
    assert r.status_code == 200 and r.json() == {"code": 0, "data": {}, "message": ""}
    v = variant(wish, "aaa")
    assert (v["inventory"], v["price"], v["enabled"]) == ("6", "12.5", "False")
    # the Bearer header wins over a bad access_token parameter, as Wish reads the header first
    r = client.get("/api/v2/variant", params={"sku": "aaa", "access_token": "junk"},
                   headers={"Authorization": f"Bearer {DEFAULT_TOKEN}"})
    assert r.status_code == 200


@pytest.mark.parametrize("path", ENDPOINTS)
def test_unauthenticated_calls_are_refused(wish: Wish, client: TestClient, path: str) -> None:
    before = _snapshot(wish)
    for token in ("", "not-a-token", DEFAULT_TOKEN + "x"):
        body = assert_envelope_error(wish.call(path, "POST", token=token, **_minimal(path, 0)))
        assert (body["code"], body["data"], body["message"]) == (4000, {}, "Unauthorized Request"), (path, token)
    r = client.get(f"/api/v2/{path}", params=_minimal(path, 0), headers={"Authorization": "Bearer nope"})
    assert r.status_code == 401 and r.json()["code"] == 4000
    r = client.get(f"/api/v2/{path}", params=_minimal(path, 0), headers={"Authorization": "Basic Zm9vOmJhcg=="})
    assert r.status_code == 401 and r.json()["code"] == 4000
    assert _snapshot(wish) == before
    variant(wish, "blue-shoe-11")


@pytest.mark.parametrize("locale", ["en", "zh", "fr", "de"])
def test_locale_translates_errors(wish: Wish, locale: str) -> None:
    body = wish.err("variant", 1004, 400, "GET", sku="nope", locale=locale)
    assert body["message"] == message("variant_not_found", locale, sku="nope")
    body = wish.err("variant/update-inventory", 1000, 400, sku="aaa", inventory="500001", locale=locale)
    assert body["message"] == message("out_of_range", locale, param="inventory", low=0, high=500000,
                                      value="500001")
    body = wish.err("variant/add", 1000, 400, **{**ADD, "size": ""}, locale=locale)
    assert body["message"] == message("size_or_color", locale)
    body = wish.err("variant", 4000, 401, "GET", sku="aaa", token="nope", locale=locale)
    assert body["message"] == message("unauthorized", locale)
    if locale != "en":
        assert body["message"] != message("unauthorized", "en")


def test_unknown_locale_falls_back_to_english(wish: Wish) -> None:
    body = wish.err("variant", 1004, 400, "GET", sku="nope", locale="xx")
    assert body["message"] == message("variant_not_found", sku="nope")
    body = wish.err("variant", 1004, 400, "GET", sku="nope", locale="ZH-cn")
    assert body["message"] == message("variant_not_found", "zh", sku="nope")


# ---- malformed input -----------------------------------------------------------------------------------

BAD_VALUES = ("", " ", "abc", "-1", "1e400", "9" * 40, "nan", "inf", "ü✓漢字🎉", "'\"<>&", "{", "[]", "\x00",
              "[{\"sku\": null}]", "x" * 3000)
EXTRA_NAMES = ("format", "locale", "access_token")





@pytest.mark.parametrize("op", router.operations, ids=lambda op: op.path)
def test_malformed_values_always_get_a_wish_envelope(wish: Wish, op: Any) -> None:
    """Every declared parameter of every endpoint meets a share of the bad values (a rotating half, to keep the
    run short), alternately by GET and POST: always a Wish envelope, never a 5xx or a FastAPI 422."""
    names = [p.name for p in op.spec.params]
    base = {k: v for k, v in {"sku": "blue-shoe-11", "parent_sku": "blue-shoe", "new_sku": "fuzzed",
                              "job_id": "59e00339b2d5b8367ac3e8bd", "inventory": "1", "price": "1",
                              "size": "fuzz", "updates": '[{"sku": "aaa", "inventory": 1}]'}.items() if k in names}
    for n, name in enumerate([*names, *EXTRA_NAMES]):
        for m, value in enumerate(BAD_VALUES):
            if (n + m) % 2:
                continue
            method = "GET" if (n + m) % 4 and len(value) < 1000 else "POST"
            params = dict(base, **{name: value})
            if name in ("sku", "new_sku") and op.path == "/variant/add" and value.strip():
                params["sku"] = f"{value}-{n}-{m}"
            check_answer(wish.call(op.path.lstrip("/"), method, **params), (op.path, name, value))


def test_repeated_params_and_body_over_query(wish: Wish, client: TestClient) -> None:
    q = f"access_token={DEFAULT_TOKEN}"
    # the last repeat wins, as with Wish's own (Python) parameter parsing
    r = client.get(f"/api/v2/variant?{q}&sku=nope&sku=aaa")
    assert r.json()["data"]["Variant"]["sku"] == "aaa"
    r = client.get(f"/api/v2/variant?{q}&sku=aaa&sku=nope")
    assert assert_envelope_error(r)["code"] == 1004
    r = client.get(f"/api/v2/variant/multi-get?{q}&limit=1&limit=501")
    assert assert_envelope_error(r)["code"] == 1000
    r = client.post(f"/api/v2/variant/update-inventory?{q}&sku=aaa&inventory=1&inventory=2")
    assert r.json()["code"] == 0 and variant(wish, "aaa")["inventory"] == "2"
    # the form body wins over the query string
    r = client.post(f"/api/v2/variant/update-inventory?{q}&sku=bbb&inventory=9", data={"sku": "aaa"})
    assert r.json()["code"] == 0
    assert variant(wish, "aaa")["inventory"] == "9" and variant(wish, "bbb")["inventory"] == "7"


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b'"text"', b"\xff\xfe\x00", b"null"])
@pytest.mark.parametrize("path", ["variant", "variant/add", "variant/update"])
def test_malformed_json_bodies(client: TestClient, body: bytes, path: str) -> None:
    r = client.post(f"/api/v2/{path}", content=body, headers={"content-type": "application/json"})
    assert assert_envelope_error(r)["code"] == 1000


@pytest.mark.parametrize("value", [12345, 1.5, True, None, ["a"], {"a": 1}, "x" * 5000, -1, 10**30])
def test_json_body_wrong_types(client: TestClient, value: Any) -> None:
    for path, field in (("variant", "sku"), ("variant/update", "inventory"), ("variant/update", "enabled"),
                        ("variant/add", "price"), ("variant/add", "size"), ("variant/multi-get", "limit"),
                        ("variant/update-inventory", "inventory"), ("variant/change-sku", "new_sku"),
                        ("variant/bulk-sku-update", "updates")):
        payload = {"access_token": DEFAULT_TOKEN, **ADD, "sku": "aaa", "new_sku": "aaa2", "updates": "[]",
                   field: value}
        check_answer(client.post(f"/api/v2/{path}", json=payload), (path, field, value))


def test_huge_and_unicode_values(wish: Wish) -> None:
    for value in ("9" * 19, "1" + "0" * 400, "1e308", "Infinity", "-0", "0.0000001e-400"):
        r = wish.call("variant/add", **{**ADD, "price": value})
        assert assert_envelope_error(r)["code"] == 1000  # out of range, or not a positive price
        r = wish.call("variant/update-inventory", sku="aaa", inventory=value)
        if value != "-0":  # "-0" is a fine inventory of 0
            assert assert_envelope_error(r)["code"] == 1000
    sku = "Tasse à café ☕ 咖啡杯 #1/2?&="
    v = assert_variant_shape(wish.ok("variant/add", **{**ADD, "sku": sku, "size": "Größe XL", "color": "红色"}))
    assert (v["sku"], v["size"], v["color"]) == (sku, "Größe XL", "红色")
    assert variant(wish, sku)["id"] == v["id"]
    assert wish.ok("variant", "POST", sku=sku)["Variant"]["id"] == v["id"]
    # a control character XML cannot carry is refused in any text (no such SKU can be made), quoted as \x00
    assert wish.err("variant", 1000, 400, "GET", sku="x\x00y")["message"] == "x\\x00y is an invalid sku"


# ---- the product's last_updated after a variant write (issue 12) -------------------------------------------

def test_a_variant_write_on_a_whole_second_is_in_since_of_that_second(client: TestClient, wish: Wish) -> None:
    """The fast UPDATE stores a whole second as SQLAlchemy does ("...:05.000000"), so `since` of that second
    finds the product (sqlite3's own adapter wrote "...:05", which sorts before it)."""
    from support import freeze

    at = freeze(client)
    wish.ok("variant/update-inventory", sku="Bottle", inventory=11)
    stamp = at.strftime("%Y-%m-%dT%H:%M:%S")
    found = wish.ok("product/multi-get", "GET", since=stamp, limit=250)
    assert "4ef2858a9795c776ce000120" in [p["Product"]["id"] for p in found]
    assert on_store(client, lambda conn: conn.exec_driver_sql(
        "SELECT last_updated FROM product WHERE id = '4ef2858a9795c776ce000120'").scalar()).endswith(".000000")


def test_variant_writes_in_one_second_touch_the_product_once(client: TestClient, wish: Wish, advance: Any) -> None:
    """The product row is rewritten once per second of variant writes; what the wire shows is the same."""
    from support import freeze

    at = freeze(client)
    changes = lambda: on_store(client, lambda conn: conn.connection.driver_connection.total_changes)  # noqa: E731
    wish.ok("variant/update-inventory", sku="Bottle", inventory=1)
    before = changes()
    wish.ok("variant/update-inventory", sku="Bottle", inventory=2)
    assert changes() - before == 1  # the variant alone
    advance(1)
    before = changes()
    wish.ok("variant/update-inventory", sku="Bottle", inventory=3)
    assert changes() - before == 2  # a new second: the product too
    product = wish.ok("product", "GET", id="4ef2858a9795c776ce000120")["Product"]
    assert product["last_updated"] == (at + timedelta(seconds=1)).strftime("%m-%d-%YT%H:%M:%S")


def test_fast_datetime_binding_is_sqlalchemys() -> None:
    from datetime import datetime

    from sqlalchemy import DateTime
    from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite

    from mockwish.store import fast

    dialect = SQLiteDialect_pysqlite()
    theirs = DateTime().dialect_impl(dialect).bind_processor(dialect)
    for value in (datetime(2026, 12, 7, 10, 0, 5), datetime(2026, 12, 7, 10, 0, 5, 7),
                  datetime(999, 1, 2, 3, 4, 5, 600), datetime(2026, 1, 1, 23, 59, 59, 999_999)):
        assert fast.datetime_text(value) == theirs(value)
