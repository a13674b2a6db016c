"""HTTP tests of the Wish Returns Program (/returns/*) and its sandbox routes: every endpoint's success, each
error it registers, tenant isolation (another merchant's warehouses, products and variations answer exactly as
ids that do not exist), scopes, XML and a non-English locale. The acceptance flow is test_returns_flow.py; the
validation rules are unit-tested in test_returns_rules.py."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import pytest
from starlette.testclient import TestClient

from mockwish.errors import message
from mockwish.merchant.returns import errors, rules
from support import DEFAULT_TOKEN, SECOND_TOKEN, Wish, assert_envelope_error, freeze, minted_token

DOC_WAREHOUSE = "59a024d19fbc5131da8917ed"  # the doc's get-all-warehouses example, seeded VALID USER ADDRESS
BOTTLE = "4ef2858a9795c776ce000120"  # the doc's Bottle: full logistics, seeded enrolled in the US
BOTTLE_VARIANT = "51e0a2c67d41a236cfffe3a2"
SHOE = "123456789009876543211234"  # blue-shoe: three variations, no logistics
UNKNOWN = "0123456789abcdef01234567"
DOC_ID = "123456789012"  # the doc's 12-digit example ids are no Wish ids
WAREHOUSE_KEYS = {"city", "country", "region", "zipcode", "street_address1", "street_address2", "email",
                  "phone_number", "state", "ship_to", "warehouse_name", "id", "address_valid_state"}
DOC_EXAMPLE = {  # get-all-warehouses' example response, as printed
    "city": "Bentonville", "country": "US", "region": "US", "zipcode": "12345",
    "street_address1": "4123 Example Street", "email": "example@gmail.com", "state": "AR",
    "ship_to": "Example User", "warehouse_name": "Example Warehouse Name", "id": DOC_WAREHOUSE,
    "address_valid_state": "VALID USER ADDRESS"}
US = {"region": "US", "street_address1": "805 Moberly Ln", "city": "Bentonville", "state": "AR", "country": "US",
      "zipcode": "72712", "warehouse_name": "Bentonville Returns", "ship_to": "Returns Dept."}
EU = {"region": "EU", "street_address1": "Kabelweg 37", "city": "Amsterdam", "state": "Noord-Holland",
      "country": "NL", "zipcode": "1043 AP", "phone_number": "+31 20 555 0100", "email": "returns@example.com",
      "warehouse_name": "Amsterdam Returns", "ship_to": "Returns Dept."}
MX = {"region": "MX", "street_address1": "Av. Lázaro Cárdenas 120", "city": "Guadalajara", "state": "Jalisco",
      "country": "MX", "zipcode": "44940", "phone_number": "+52 33 555 0100"}
DIMS = {"height": "3", "length": "3", "width": "3", "weight": "3"}


# ---- helpers ---------------------------------------------------------------------------------------------------

def warehouses(w: Wish) -> dict[str, dict[str, Any]]:
    data = w.ok("returns/get-all-warehouses", "GET")
    assert isinstance(data, list)
    out = {}
    for entity in data:
        assert set(entity) == {"MerchantReturnWarehouse"}, entity
        body = entity["MerchantReturnWarehouse"]
        assert set(body) <= WAREHOUSE_KEYS and WAREHOUSE_KEYS - {"street_address2", "phone_number", "email"} <= set(
            body), body
        assert all(isinstance(v, str) for v in body.values()), body
        assert body["address_valid_state"] in rules.STATES
        out[body["id"]] = body
    return out


def warehouse(w: Wish, wid: str) -> dict[str, Any]:
    return warehouses(w)[wid]


def in_state(w: Wish, state: str, region: str | None = None) -> dict[str, Any]:
    return next(b for b in warehouses(w).values()
                if b["address_valid_state"] == state and region in (None, b["region"]))


def create(w: Wish, **params: str) -> str:
    data = w.ok("returns/create-return-warehouse", **params)
    assert set(data) == {"MerchantReturnWarehouse"} and set(data["MerchantReturnWarehouse"]) == {"id"}, data
    return data["MerchantReturnWarehouse"]["id"]  # type: ignore[no-any-return]


def sandbox(client: TestClient, path: str, token: str = DEFAULT_TOKEN, **body: Any) -> Any:
    r = client.post(f"/sandbox/api/{path}", json=body, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200, r.text
    return r.json()


def validate(client: TestClient, wid: str) -> dict[str, Any]:
    return sandbox(client, f"return-warehouses/{wid}/validate")["MerchantReturnWarehouse"]  # type: ignore[no-any-return]


def valid_warehouse(client: TestClient, w: Wish, params: dict[str, str]) -> str:
    wid = create(w, **params)
    validate(client, wid)
    return wid


def settings(w: Wish, pid: str) -> dict[str, dict[str, str]]:
    data = w.ok("returns/get-product-return-settings", "GET", id=pid)
    out = {}
    for entity in data:
        assert set(entity) == {"ProductReturnSetting"}, entity
        body = entity["ProductReturnSetting"]
        assert set(body) == {"region", "is_active", "warehouse_id"} and body["is_active"] in ("True", "False")
        out[body["region"]] = body
    return out


def variations(w: Wish, pid: str) -> list[dict[str, Any]]:
    return [v["Variant"] for v in w.ok("product", "GET", id=pid)["Product"]["variants"]]


def dimensions(w: Wish, pid: str, variation_id: str | None = None) -> dict[str, str]:
    data = w.ok("returns/get-product-variation-dimensions", "GET", id=pid, variation_id=variation_id)
    assert set(data) == {"ProductVariationLogistics"}, data
    body = data["ProductVariationLogistics"]
    assert list(body) == ["width", "length", "id", "weight", "variation_id", "height"], body
    assert all(isinstance(v, str) for v in body.values()), body
    return body  # type: ignore[no-any-return]


def foreign_product(other: Wish) -> dict[str, Any]:
    """A product of the second merchant, with its variations."""
    return other.ok("product/multi-get", "GET", limit="1")[0]["Product"]  # type: ignore[no-any-return]


def merchant_name(client: TestClient) -> str:
    return next(m["name"] for m in client.get("/sandbox/api/merchants").json() if DEFAULT_TOKEN in m["tokens"])


# ---- get-all-warehouses ----------------------------------------------------------------------------------------

def test_seeded_warehouses_in_every_state_and_the_doc_example(wish: Wish) -> None:
    found = warehouses(wish)
    assert found[DOC_WAREHOUSE] == DOC_EXAMPLE
    assert {b["address_valid_state"] for b in found.values()} == set(rules.STATES)
    suggested = in_state(wish, rules.VALID_SUGGESTED)
    assert suggested["region"] == "EU" and suggested["country"] in rules.EU_MEMBERS
    assert suggested["email"] and suggested["phone_number"]
    invalid = in_state(wish, rules.INVALID)
    assert rules.postcode(invalid["country"], invalid["zipcode"]) is None


def test_get_all_warehouses_in_xml(wish: Wish) -> None:
    r = wish.call("returns/get-all-warehouses", "GET", format="xml")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/xml")
    root = ET.fromstring(r.text)
    ids = [e.findtext("id") for e in root.iter("MerchantReturnWarehouse")]
    assert DOC_WAREHOUSE in ids and len(ids) == len(warehouses(wish))
    doc = next(e for e in root.iter("MerchantReturnWarehouse") if e.findtext("id") == DOC_WAREHOUSE)
    assert doc.findtext("address_valid_state") == "VALID USER ADDRESS" and doc.findtext("city") == "Bentonville"


def test_each_merchant_sees_only_its_warehouses(wish: Wish, other: Wish) -> None:
    mine, theirs = warehouses(wish), warehouses(other)
    assert not set(mine) & set(theirs) and len(theirs) == 4
    wid = create(other, **US)
    assert wid in warehouses(other) and wid not in warehouses(wish)


# ---- create-return-warehouse ------------------------------------------------------------------------------------

def test_create_the_docs_example_with_defaults(client: TestClient, wish: Wish) -> None:
    """The doc's curl example sends neither warehouse_name nor ship_to; its TestState is no US state."""
    wid = create(wish, region="US", street_address1="20 Test Drive", city="TestCity", state="TestState",
                 country="US", zipcode="11111")
    shown = warehouse(wish, wid)
    assert shown == {"city": "TestCity", "country": "US", "region": "US", "zipcode": "11111",
                     "street_address1": "20 Test Drive", "state": "TestState", "ship_to": merchant_name(client),
                     "warehouse_name": "TestCity Return Warehouse", "id": wid, "address_valid_state": "VALIDATING"}
    assert validate(client, wid)["address_valid_state"] == rules.INVALID
    assert warehouse(wish, wid)["address_valid_state"] == rules.INVALID


def test_create_with_every_field_and_the_php_alias(client: TestClient, wish: Wish) -> None:
    wid = create(wish, **{**US, "street_address2": "Dock 4", "phone_number": "+1 479 555 0100",
                          "email": "returns@example.com"})
    assert warehouse(wish, wid) == {**US, "street_address2": "Dock 4", "phone_number": "+1 479 555 0100",
                                    "email": "returns@example.com", "id": wid, "address_valid_state": "VALIDATING"}
    params = {k: v for k, v in US.items() if k != "street_address1"}
    alias = create(wish, **params, street_address_1="1 Alias Road")  # the doc's PHP example's spelling
    assert warehouse(wish, alias)["street_address1"] == "1 Alias Road"
    both = create(wish, **US, street_address_1="1 Alias Road")
    assert warehouse(wish, both)["street_address1"] == US["street_address1"]
    assert validate(client, wid)["address_valid_state"] == rules.VALID_USER


def test_create_answers_get_and_post_and_the_v2_alias(client: TestClient, wish: Wish) -> None:
    r = wish.call("/v2/returns/create-return-warehouse", "GET", **EU)
    assert r.status_code == 200 and r.json()["code"] == 0
    assert warehouse(wish, r.json()["data"]["MerchantReturnWarehouse"]["id"])["region"] == "EU"


def test_the_country_case_is_set_at_once(wish: Wish) -> None:
    wid = create(wish, **{**US, "country": "us"})
    assert warehouse(wish, wid)["country"] == "US"


def test_a_suggested_address_shows_the_suggestion_once_validated(client: TestClient, wish: Wish,
                                                                  advance: Any) -> None:
    wid = create(wish, **{**US, "state": "Arkansas", "zipcode": "727121404"})
    before = warehouse(wish, wid)
    assert (before["state"], before["zipcode"], before["address_valid_state"]) == ("Arkansas", "727121404",
                                                                                    "VALIDATING")
    advance(300)
    after = warehouse(wish, wid)
    assert (after["state"], after["zipcode"], after["address_valid_state"]) == ("AR", "72712-1404",
                                                                                 rules.VALID_SUGGESTED)
    mx = create(wish, **{**MX, "state": "JAL"})
    assert validate(client, mx)["state"] == "Jalisco"


def test_every_region_validates_on_the_clock(client: TestClient, wish: Wish, advance: Any) -> None:
    freeze(client)  # 299 s later is still before validate_at, however slow the run
    ids = [create(wish, **params) for params in (US, EU, MX)]
    assert {warehouse(wish, wid)["address_valid_state"] for wid in ids} == {rules.VALIDATING}
    advance(299)
    assert {warehouse(wish, wid)["address_valid_state"] for wid in ids} == {rules.VALIDATING}
    advance(2)
    assert {warehouse(wish, wid)["address_valid_state"] for wid in ids} == {rules.VALID_USER}


@pytest.mark.parametrize("param", ["region", "city", "state", "country", "zipcode", "street_address1"])
def test_create_refuses_a_missing_param(wish: Wish, param: str) -> None:
    before = warehouses(wish)
    body = wish.err("returns/create-return-warehouse", 1001, 400, **{k: v for k, v in US.items() if k != param})
    assert body == {"code": 1001, "data": param, "message": message("missing_param", param=param)}
    assert warehouses(wish) == before  # nothing half-written


@pytest.mark.parametrize(("params", "key", "args"), [
    ({"region": "CN"}, "invalid_param", {"value": "CN", "param": "region"}),
    ({"country": "XX"}, "invalid_param", {"value": "XX", "param": "country"}),
    ({"country": "FR"}, errors.COUNTRY_NOT_IN_REGION, {"country": "FR", "region": "US", "allowed": "US"}),
    ({"region": "MX", "phone_number": "+52 33 555 0100"}, errors.COUNTRY_NOT_IN_REGION,
     {"country": "US", "region": "MX", "allowed": "MX"}),
    ({"region": "EU", "country": "GB", "phone_number": "+44 20 555 0100", "email": "r@example.com"},
     errors.COUNTRY_NOT_IN_REGION, {"country": "GB", "region": "EU", "allowed": ", ".join(rules.EU_MEMBERS)}),
    ({"email": "returns-at-example.com"}, "invalid_param", {"value": "returns-at-example.com", "param": "email"}),
    ({"phone_number": "call us"}, "invalid_param", {"value": "call us", "param": "phone_number"}),
    ({"warehouse_name": "x" * 101}, "too_long", {"param": "warehouse_name", "max": 100}),
])
def test_create_refuses_bad_input(wish: Wish, params: dict[str, str], key: str, args: dict[str, Any]) -> None:
    before = warehouses(wish)
    body = wish.err("returns/create-return-warehouse", 1000, 400, **{**US, **params})
    assert body["message"] == message(key, **args)
    assert warehouses(wish) == before


@pytest.mark.parametrize(("params", "missing"), [
    ({**MX, "phone_number": None}, "phone_number"),
    ({**EU, "phone_number": ""}, "phone_number"),
    ({**EU, "email": None}, "email"),
])
def test_contacts_a_region_requires(wish: Wish, params: dict[str, Any], missing: str) -> None:
    body = wish.err("returns/create-return-warehouse", 1001, 400, **params)
    assert body == {"code": 1001, "data": missing,
                    "message": message(errors.REQUIRED_FOR_REGION, param=missing, region=params["region"])}
    assert create(wish, **{**MX, "email": ""})  # email is optional for MX, phone for the US
    assert create(wish, **{**US, "phone_number": ""})


def test_errors_speak_the_callers_locale(wish: Wish) -> None:
    body = wish.err("returns/create-return-warehouse", 1000, 400, locale="fr", **{**US, "country": "MX"})
    assert body["message"] == message(errors.COUNTRY_NOT_IN_REGION, "fr", country="MX", region="US", allowed="US")
    assert body["message"].startswith("Le pays")


# ---- edit-return-warehouse --------------------------------------------------------------------------------------

def test_an_address_edit_is_validated_anew(client: TestClient, wish: Wish, advance: Any) -> None:
    assert wish.ok("returns/edit-return-warehouse", warehouse_id=DOC_WAREHOUSE, city="Rogers", zipcode="72756") == {}
    shown = warehouse(wish, DOC_WAREHOUSE)
    assert (shown["city"], shown["zipcode"], shown["address_valid_state"]) == ("Rogers", "72756", "VALIDATING")
    advance(300)
    assert warehouse(wish, DOC_WAREHOUSE)["address_valid_state"] == rules.VALID_USER


def test_an_edit_fixes_an_invalid_address(client: TestClient, wish: Wish) -> None:
    bad = in_state(wish, rules.INVALID)
    fixed = rules.postcode(bad["country"], bad["zipcode"] + "0")
    assert fixed is not None
    wish.ok("returns/edit-return-warehouse", warehouse_id=bad["id"], zipcode=fixed)
    assert warehouse(wish, bad["id"])["address_valid_state"] == rules.VALIDATING
    assert validate(client, bad["id"])["address_valid_state"] in rules.VALID


def test_name_ship_to_and_contact_edits_keep_the_state(client: TestClient, wish: Wish) -> None:
    suggested = in_state(wish, rules.VALID_SUGGESTED)
    validating = in_state(wish, rules.VALIDATING)
    for shown in (warehouse(wish, DOC_WAREHOUSE), suggested, validating):
        wish.ok("returns/edit-return-warehouse", warehouse_id=shown["id"], warehouse_name="Renamed",
                ship_to="Someone Else", phone_number="+1 479 555 0199", email="new@example.com")
        after = warehouse(wish, shown["id"])
        assert after == {**shown, "warehouse_name": "Renamed", "ship_to": "Someone Else",
                         "phone_number": "+1 479 555 0199", "email": "new@example.com"}
    # the address as it was sent (the doc's, unchanged) is no change either
    wish.ok("returns/edit-return-warehouse", warehouse_id=DOC_WAREHOUSE, city="Bentonville", state="AR")
    assert warehouse(wish, DOC_WAREHOUSE)["address_valid_state"] == rules.VALID_USER


def test_blank_optional_fields_are_cleared(client: TestClient, wish: Wish) -> None:
    wid = valid_warehouse(client, wish, {**US, "street_address2": "Dock 4", "phone_number": "+1 479 555 0100"})
    wish.ok("returns/edit-return-warehouse", warehouse_id=wid, phone_number="", email="")
    shown = warehouse(wish, wid)
    assert "phone_number" not in shown and "email" not in shown and shown["address_valid_state"] == rules.VALID_USER
    wish.ok("returns/edit-return-warehouse", warehouse_id=wid, street_address2="")
    shown = warehouse(wish, wid)
    assert "street_address2" not in shown and shown["address_valid_state"] == rules.VALIDATING


def test_edit_refusals(wish: Wish) -> None:
    eu = in_state(wish, rules.VALID_SUGGESTED)
    before = warehouses(wish)
    for param in ("phone_number", "email"):
        body = wish.err("returns/edit-return-warehouse", 1001, 400, warehouse_id=eu["id"], **{param: ""})
        assert body["message"] == message(errors.REQUIRED_FOR_REGION, param=param, region="EU")
    body = wish.err("returns/edit-return-warehouse", 1001, 400, warehouse_id=DOC_WAREHOUSE, city=" ")
    assert body == {"code": 1001, "data": "city", "message": message("missing_param", param="city")}
    body = wish.err("returns/edit-return-warehouse", 1000, 400, warehouse_id=DOC_WAREHOUSE, email="nope")
    assert body["message"] == message("invalid_param", value="nope", param="email")
    body = wish.err("returns/edit-return-warehouse", 1001, 400, city="Rogers")
    assert body["message"] == message("missing_param", param="warehouse_id")
    assert warehouses(wish) == before


def test_edit_of_an_unknown_or_foreign_warehouse(wish: Wish, other: Wish) -> None:
    theirs = next(iter(warehouses(other)))
    for wid in (UNKNOWN, theirs):
        body = wish.err("returns/edit-return-warehouse", 1004, 400, warehouse_id=wid, city="Rogers")
        assert body == {"code": 1004, "data": {}, "message": message(errors.WAREHOUSE_NOT_FOUND, id=wid)}
    assert warehouses(other)[theirs]["city"] != "Rogers"
    body = wish.err("returns/edit-return-warehouse", 1000, 400, warehouse_id=DOC_ID, city="TestCity")
    assert body["message"] == message("invalid_id", value=DOC_ID)


# ---- get-product-return-settings --------------------------------------------------------------------------------

def test_seeded_settings(wish: Wish) -> None:
    assert settings(wish, BOTTLE) == {"US": {"region": "US", "is_active": "True", "warehouse_id": DOC_WAREHOUSE}}
    assert settings(wish, SHOE) == {}
    r = wish.call("returns/get-product-return-settings", "GET", id=BOTTLE, format="xml")
    root = ET.fromstring(r.text)
    assert root.findtext("data/ProductReturnSetting/is_active") == "True"


def test_settings_of_unknown_foreign_or_malformed_products(wish: Wish, other: Wish) -> None:
    theirs = foreign_product(other)["id"]
    for pid in (UNKNOWN, theirs):
        body = wish.err("returns/get-product-return-settings", 1004, 400, "GET", id=pid)
        assert body == {"code": 1004, "data": 2018, "message": message("product_not_found", field="id", value=pid)}
    body = wish.err("returns/get-product-return-settings", 1000, 400, "GET", id="123456789013")
    assert body["message"] == message("invalid_id", value="123456789013")
    wish.err("returns/get-product-return-settings", 1001, 400, "GET")


# ---- enroll-product-in-returns ----------------------------------------------------------------------------------

def test_enroll_then_again_with_another_warehouse(client: TestClient, wish: Wish) -> None:
    wish.ok("returns/set-product-logistics", id=SHOE, **DIMS)
    assert wish.ok("returns/enroll-product-in-returns", id=SHOE, region="US", warehouse_id=DOC_WAREHOUSE) == {}
    assert settings(wish, SHOE) == {"US": {"region": "US", "is_active": "True", "warehouse_id": DOC_WAREHOUSE}}
    second = valid_warehouse(client, wish, US)
    wish.ok("returns/enroll-product-in-returns", id=SHOE, region="us", warehouse_id=second)
    assert settings(wish, SHOE) == {"US": {"region": "US", "is_active": "True", "warehouse_id": second}}
    eu = in_state(wish, rules.VALID_SUGGESTED)["id"]  # a suggested address is a valid one
    wish.ok("returns/enroll-product-in-returns", id=SHOE, region="EU", warehouse_id=eu)
    assert set(settings(wish, SHOE)) == {"EU", "US"}


def test_enrolling_again_reactivates_a_disabled_region(wish: Wish) -> None:
    wish.ok("returns/disable-return-setting-for-region", id=BOTTLE, region="US")
    assert settings(wish, BOTTLE)["US"]["is_active"] == "False"
    wish.ok("returns/enroll-product-in-returns", id=BOTTLE, region="US", warehouse_id=DOC_WAREHOUSE)
    assert settings(wish, BOTTLE)["US"]["is_active"] == "True"


def test_enroll_refusals(client: TestClient, wish: Wish, other: Wish) -> None:
    validating = in_state(wish, rules.VALIDATING)
    invalid = in_state(wish, rules.INVALID)
    eu = in_state(wish, rules.VALID_SUGGESTED)
    theirs_product = foreign_product(other)["id"]
    theirs_warehouse = next(iter(warehouses(other)))
    enroll = "returns/enroll-product-in-returns"
    cases: list[tuple[dict[str, str], int, str, dict[str, Any]]] = [
        ({"id": UNKNOWN}, 1004, "product_not_found", {"field": "id", "value": UNKNOWN}),
        ({"id": theirs_product}, 1004, "product_not_found", {"field": "id", "value": theirs_product}),
        ({"warehouse_id": UNKNOWN}, 1004, errors.WAREHOUSE_NOT_FOUND, {"id": UNKNOWN}),
        ({"warehouse_id": theirs_warehouse}, 1004, errors.WAREHOUSE_NOT_FOUND, {"id": theirs_warehouse}),
        ({"warehouse_id": eu["id"]}, 1000, errors.REGION_MISMATCH,
         {"warehouse_id": eu["id"], "warehouse_region": "EU", "region": "US"}),
        ({"warehouse_id": validating["id"], "region": validating["region"]}, 1000, errors.WAREHOUSE_VALIDATING,
         {"warehouse_id": validating["id"]}),
        ({"warehouse_id": invalid["id"], "region": invalid["region"]}, 1000, errors.WAREHOUSE_INVALID,
         {"warehouse_id": invalid["id"]}),
        ({"id": SHOE}, 1000, errors.NO_LOGISTICS, {"id": SHOE, "sku": variations(wish, SHOE)[0]["sku"]}),
        ({"region": "CN"}, 1000, "invalid_param", {"value": "CN", "param": "region"}),
        ({"id": DOC_ID}, 1000, "invalid_id", {"value": DOC_ID}),
    ]
    for params, code, key, args in cases:
        body = wish.err(enroll, code, 400, **{"id": BOTTLE, "region": "US", "warehouse_id": DOC_WAREHOUSE, **params})
        assert body["message"] == message(key, **args), (params, body)
    for param in ("id", "region", "warehouse_id"):
        full = {"id": BOTTLE, "region": "US", "warehouse_id": DOC_WAREHOUSE}
        del full[param]
        assert wish.err(enroll, 1001, 400, **full)["message"] == message("missing_param", param=param)
    assert settings(wish, BOTTLE) == {"US": {"region": "US", "is_active": "True", "warehouse_id": DOC_WAREHOUSE}}
    assert settings(wish, SHOE) == {}


def test_one_variation_without_logistics_is_named(wish: Wish) -> None:
    shoes = variations(wish, SHOE)
    for v in shoes[:-1]:
        wish.ok("returns/set-product-logistics", id=SHOE, variation_id=v["id"], **DIMS)
    body = wish.err("returns/enroll-product-in-returns", 1000, 400, id=SHOE, region="US", warehouse_id=DOC_WAREHOUSE)
    assert body["message"] == message(errors.NO_LOGISTICS, id=SHOE, sku=shoes[-1]["sku"])


def test_an_undeliverable_warehouse_refuses_enrolment(client: TestClient, wish: Wish) -> None:
    shown = sandbox(client, f"return-warehouses/{DOC_WAREHOUSE}/undeliverable")
    assert shown == {"MerchantReturnWarehouse": {**DOC_EXAMPLE, "address_valid_state": "INVALID"}}
    body = wish.err("returns/enroll-product-in-returns", 1000, 400, id=BOTTLE, region="US",
                    warehouse_id=DOC_WAREHOUSE)
    assert body["message"] == message(errors.WAREHOUSE_INVALID, warehouse_id=DOC_WAREHOUSE)


def test_a_removed_product_cannot_be_enrolled_nor_measured(wish: Wish) -> None:
    wish.ok("product/remove", id=BOTTLE)
    body = wish.err("returns/enroll-product-in-returns", 1000, 400, id=BOTTLE, region="US",
                    warehouse_id=DOC_WAREHOUSE)
    assert body["message"] == message("product_removed", id=BOTTLE)
    body = wish.err("returns/set-product-logistics", 1000, 400, id=BOTTLE, **DIMS)
    assert body["message"] == message("product_removed", id=BOTTLE)
    assert settings(wish, BOTTLE)["US"]["is_active"] == "True"  # what it was; it can still be disabled
    wish.ok("returns/disable-return-setting-for-region", id=BOTTLE, region="US")


# ---- disable-return-setting-for-region --------------------------------------------------------------------------

def test_disable_keeps_the_setting_listed_inactive(wish: Wish) -> None:
    assert wish.ok("returns/disable-return-setting-for-region", id=BOTTLE, region="US") == {}
    assert settings(wish, BOTTLE) == {"US": {"region": "US", "is_active": "False", "warehouse_id": DOC_WAREHOUSE}}


def test_disable_refusals(wish: Wish, other: Wish) -> None:
    path = "returns/disable-return-setting-for-region"
    wish.ok(path, id=BOTTLE, region="US")
    for region in ("US", "MX", "EU"):  # disabled already; never enrolled
        body = wish.err(path, 1002, 400, id=BOTTLE, region=region)
        assert body == {"code": 1002, "data": {}, "message": message(errors.NOT_ENROLLED, id=BOTTLE, region=region)}
    theirs = foreign_product(other)["id"]
    for pid in (UNKNOWN, theirs):
        body = wish.err(path, 1004, 400, id=pid, region="US")
        assert body["message"] == message("product_not_found", field="id", value=pid)
    assert wish.err(path, 1000, 400, id=BOTTLE, region="CA")["message"] == message(
        "invalid_param", value="CA", param="region")
    assert wish.err(path, 1001, 400, id=BOTTLE)["message"] == message("missing_param", param="region")


def test_the_seeded_eu_setting_is_disabled(wish: Wish) -> None:
    """A seeded product is enrolled in the US and disabled in the EU."""
    products = [p["Product"]["id"] for p in wish.ok("product/multi-get", "GET", limit="250")]
    found = {pid: settings(wish, pid) for pid in products}
    both = [s for s in found.values() if set(s) == {"US", "EU"}]
    assert both and both[0]["EU"]["is_active"] == "False" and both[0]["US"]["is_active"] == "True"
    assert sum(1 for s in found.values() if s.get("US", {}).get("is_active") == "True") >= 3


# ---- get-product-variation-dimensions ---------------------------------------------------------------------------

def test_the_bottles_dimensions(wish: Wish) -> None:
    """The doc prints the Bottle's logistics: height 12.0, weight 2.0, width 23.0, length 2.0."""
    assert dimensions(wish, BOTTLE) == {"width": "23.0", "length": "2.0", "id": BOTTLE, "weight": "2.0",
                                        "variation_id": "", "height": "12.0"}
    assert dimensions(wish, BOTTLE, BOTTLE_VARIANT) == {"width": "23.0", "length": "2.0", "id": BOTTLE,
                                                        "weight": "2.0", "variation_id": BOTTLE_VARIANT,
                                                        "height": "12.0"}


def test_the_product_dimensions_are_the_box_of_its_variations(wish: Wish) -> None:
    shoes = variations(wish, SHOE)
    sizes = [{"height": "10", "length": "30", "width": "12", "weight": "800"},
             {"height": "12", "length": "28", "width": "11.5", "weight": "950.25"},
             {"height": "9", "length": "31", "width": "10", "weight": "700"}]
    for v, dims in zip(shoes, sizes, strict=True):
        wish.ok("returns/set-product-logistics", id=SHOE, variation_id=v["id"], **dims)
    assert dimensions(wish, SHOE) == {"width": "12.0", "length": "31.0", "id": SHOE, "weight": "950.25",
                                      "variation_id": "", "height": "12.0"}
    assert dimensions(wish, SHOE, shoes[1]["id"])["weight"] == "950.25"


def test_dimensions_refusals(wish: Wish, other: Wish) -> None:
    path = "returns/get-product-variation-dimensions"
    shoes = variations(wish, SHOE)
    body = wish.err(path, 1004, 400, "GET", id=SHOE)
    assert body["message"] == message(errors.NO_DIMENSIONS, id=SHOE, variation_id=shoes[0]["id"], sku=shoes[0]["sku"])
    body = wish.err(path, 1004, 400, "GET", id=SHOE, variation_id=shoes[2]["id"])
    assert body["message"] == message(errors.NO_DIMENSIONS, id=SHOE, variation_id=shoes[2]["id"], sku=shoes[2]["sku"])
    theirs = foreign_product(other)
    their_variation = theirs["variants"][0]["Variant"]["id"]
    for vid in (BOTTLE_VARIANT, their_variation, UNKNOWN):  # another product's, another merchant's, none
        body = wish.err(path, 1004, 400, "GET", id=SHOE, variation_id=vid)
        assert body == {"code": 1004, "data": {},
                        "message": message(errors.VARIATION_NOT_FOUND, id=vid, product_id=SHOE)}
    for pid in (UNKNOWN, theirs["id"]):
        body = wish.err(path, 1004, 400, "GET", id=pid)
        assert body["message"] == message("product_not_found", field="id", value=pid)
    body = wish.err(path, 1000, 400, "GET", id=BOTTLE, variation_id="123456789013")
    assert body["message"] == message("invalid_id", value="123456789013")


# ---- set-product-logistics --------------------------------------------------------------------------------------

def test_set_a_variations_logistics_shows_in_variant(wish: Wish) -> None:
    before = wish.ok("variant", "GET", sku="Bottle")["Variant"]["LogisticsMetadata"]  # read (and cached) first
    wish.ok("returns/set-product-logistics", id=BOTTLE, variation_id=BOTTLE_VARIANT, height="3", width="3.5",
            length="4", weight="120")
    after = wish.ok("variant", "GET", sku="Bottle")["Variant"]["LogisticsMetadata"]
    assert after == {**before, "height": "3.0", "width": "3.5", "length": "4.0", "weight": "120.0"}
    assert after["declared_name"] == "Bottle"  # the other logistics are kept
    assert dimensions(wish, BOTTLE, BOTTLE_VARIANT) == {"width": "3.5", "length": "4.0", "id": BOTTLE,
                                                        "weight": "120.0", "variation_id": BOTTLE_VARIANT,
                                                        "height": "3.0"}


def test_dimensions_are_kept_as_shown(wish: Wish) -> None:
    """Two decimals, as /variant and get-product-variation-dimensions show them: what an ERP reads back is what
    enrolment checks."""
    wish.ok("returns/set-product-logistics", id=SHOE, height="3.14159", width="0.005", length="12", weight="0.996")
    assert dimensions(wish, SHOE) == {"width": "0.01", "length": "12.0", "id": SHOE, "weight": "1.0",
                                      "variation_id": "", "height": "3.14"}


def test_set_logistics_without_variation_sets_every_variation(wish: Wish) -> None:
    variations(wish, SHOE)  # read (and cached) first
    assert wish.ok("returns/set-product-logistics", id=SHOE, **DIMS) == {}
    for v in variations(wish, SHOE):
        lg = v["LogisticsMetadata"]
        assert (lg["height"], lg["length"], lg["width"], lg["weight"]) == ("3.0", "3.0", "3.0", "3.0"), v
    assert dimensions(wish, SHOE) == {"width": "3.0", "length": "3.0", "id": SHOE, "weight": "3.0",
                                      "variation_id": "", "height": "3.0"}


@pytest.mark.parametrize(("params", "code", "key", "args"), [
    ({"height": None}, 1001, "missing_param", {"param": "height"}),
    ({"weight": "0"}, 1000, "out_of_range", {"param": "weight", "low": "0", "high": "1000000", "value": "0"}),
    ({"width": "-2"}, 1000, "out_of_range", {"param": "width", "low": "0", "high": "10000", "value": "-2"}),
    ({"length": "three"}, 1000, "invalid_param", {"value": "three", "param": "length"}),
    # what would show as 0 (dimensions are kept and shown to two decimals) is refused like 0
    ({"height": "0.001"}, 1000, "out_of_range", {"param": "height", "low": "0", "high": "10000", "value": "0.001"}),
    ({"weight": "0.0049"}, 1000, "out_of_range",
     {"param": "weight", "low": "0", "high": "1000000", "value": "0.0049"}),
    ({"width": "1e-300"}, 1000, "out_of_range", {"param": "width", "low": "0", "high": "10000", "value": "1e-300"}),
    ({"id": UNKNOWN}, 1004, "product_not_found", {"field": "id", "value": UNKNOWN}),
    ({"id": "123456789012"}, 1000, "invalid_id", {"value": "123456789012"}),
    ({"variation_id": UNKNOWN}, 1004, errors.VARIATION_NOT_FOUND, {"id": UNKNOWN, "product_id": SHOE}),
    ({"variation_id": BOTTLE_VARIANT}, 1004, errors.VARIATION_NOT_FOUND, {"id": BOTTLE_VARIANT, "product_id": SHOE}),
])
def test_set_logistics_refusals(wish: Wish, params: dict[str, Any], code: int, key: str,
                                args: dict[str, Any]) -> None:
    body = wish.err("returns/set-product-logistics", code, 400, **{"id": SHOE, **DIMS, **params})
    assert body["message"] == message(key, **args)
    assert all("LogisticsMetadata" not in v for v in variations(wish, SHOE))


def test_set_logistics_of_a_foreign_product_or_variation(wish: Wish, other: Wish) -> None:
    theirs = foreign_product(other)
    body = wish.err("returns/set-product-logistics", 1004, 400, id=theirs["id"], **DIMS)
    assert body["message"] == message("product_not_found", field="id", value=theirs["id"])
    vid = theirs["variants"][0]["Variant"]["id"]
    body = wish.err("returns/set-product-logistics", 1004, 400, id=SHOE, variation_id=vid, **DIMS)
    assert body["message"] == message(errors.VARIATION_NOT_FOUND, id=vid, product_id=SHOE)
    assert other.ok("product", "GET", id=theirs["id"])["Product"] == theirs


# ---- scopes -----------------------------------------------------------------------------------------------------

READS = ("returns/get-all-warehouses", "returns/get-product-return-settings",
         "returns/get-product-variation-dimensions")
WRITES = ("returns/create-return-warehouse", "returns/edit-return-warehouse", "returns/enroll-product-in-returns",
          "returns/disable-return-setting-for-region", "returns/set-product-logistics")


def test_scopes(client: TestClient, wish: Wish) -> None:
    products_only = Wish(client, minted_token(client, ["products:read"]))
    returns_read = Wish(client, minted_token(client, ["returns:read"]))
    denied = {"code": 4000, "data": {}, "message": message("insufficient_scope")}
    for path in (*READS, *WRITES):
        assert products_only.err(path, 4000, 401, id=BOTTLE) == denied, path
    for path in WRITES:
        assert returns_read.err(path, 4000, 401, id=BOTTLE, region="US", **DIMS) == denied, path
    assert settings(returns_read, BOTTLE)["US"]["is_active"] == "True"  # nothing was written
    assert dimensions(returns_read, BOTTLE)["height"] == "12.0"


# ---- sandbox ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("state", rules.STATES)
@pytest.mark.parametrize("region", rules.REGIONS)
def test_sandbox_creates_warehouses_in_a_state(client: TestClient, wish: Wish, region: str, state: str) -> None:
    made = sandbox(client, "return-warehouses", region=region, state=state, count=2)
    assert made["count"] == 2 and len(made["warehouses"]) == 2
    listed = warehouses(wish)
    for entity in made["warehouses"]:
        body = entity["MerchantReturnWarehouse"]
        assert body["region"] == region and body["address_valid_state"] == state
        assert listed[body["id"]] == body
        assert body["country"] in rules.COUNTRIES[region]


def test_sandbox_creates_for_a_named_merchant(client: TestClient, wish: Wish, other: Wish) -> None:
    second = next(m["id"] for m in client.get("/sandbox/api/merchants").json() if SECOND_TOKEN in m["tokens"])
    r = client.post("/sandbox/api/return-warehouses", json={"merchant_id": second, "seed": 7, "count": 3})
    assert r.status_code == 200 and r.json()["merchant_id"] == second, r.text
    ids = [e["MerchantReturnWarehouse"]["id"] for e in r.json()["warehouses"]]
    assert set(ids) <= set(warehouses(other)) and not set(ids) & set(warehouses(wish))
    again = client.post("/sandbox/api/return-warehouses", json={"merchant_id": second, "seed": 7, "count": 3}).json()
    strip = [{k: v for k, v in e["MerchantReturnWarehouse"].items() if k != "id"} for e in again["warehouses"]]
    assert strip == [{k: v for k, v in e["MerchantReturnWarehouse"].items() if k != "id"}
                     for e in r.json()["warehouses"]]  # same seed, same warehouses, new ids


def test_sandbox_create_refusals(client: TestClient) -> None:
    for body in ({"state": "VALID"}, {"region": "CN"}, {"count": 0}, {"count": 51}, {"colour": "red"}):
        r = client.post("/sandbox/api/return-warehouses", json=body,
                        headers={"Authorization": f"Bearer {DEFAULT_TOKEN}"})
        assert assert_envelope_error(r)["code"] == 1000, (body, r.text)
    r = client.post("/sandbox/api/return-warehouses", json={"merchant_id": UNKNOWN})
    assert assert_envelope_error(r)["message"] == message("invalid_param", value=UNKNOWN, param="merchant_id")
    r = client.post("/sandbox/api/return-warehouses", json={})
    assert assert_envelope_error(r)["code"] == 1001


def test_undeliverable_while_validating_ends_invalid_when_validation_completes(client: TestClient, wish: Wish,
                                                                              advance: Any) -> None:
    wid = create(wish, **US)
    shown = sandbox(client, f"return-warehouses/{wid}/undeliverable")["MerchantReturnWarehouse"]
    assert shown == warehouse(wish, wid) and shown["address_valid_state"] == rules.VALIDATING
    advance(300)
    assert warehouse(wish, wid)["address_valid_state"] == rules.INVALID
    # a new address is a new validation
    wish.ok("returns/edit-return-warehouse", warehouse_id=wid, street_address1="900 SE J St")
    assert validate(client, wid)["address_valid_state"] == rules.VALID_USER


def test_sandbox_validate_completes_now_and_is_idempotent(client: TestClient, wish: Wish) -> None:
    wid = create(wish, **EU)
    assert validate(client, wid) == warehouse(wish, wid)
    assert warehouse(wish, wid)["address_valid_state"] == rules.VALID_USER
    assert validate(client, wid)["address_valid_state"] == rules.VALID_USER
    theirs = next(iter(warehouses(Wish(client, SECOND_TOKEN))))  # any merchant's warehouse, as order hooks
    assert validate(client, theirs)["id"] == theirs


def test_sandbox_hooks_on_unknown_or_malformed_ids(client: TestClient) -> None:
    for hook in ("undeliverable", "validate"):
        r = client.post(f"/sandbox/api/return-warehouses/{UNKNOWN}/{hook}")
        assert r.status_code == 404 and assert_envelope_error(r)["message"] == message(
            "record_not_found", kind="return warehouse", id=UNKNOWN)
        r = client.post(f"/sandbox/api/return-warehouses/{DOC_ID}/{hook}")
        assert r.status_code == 400 and assert_envelope_error(r)["message"] == message("invalid_id", value=DOC_ID)
