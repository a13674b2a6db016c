"""HTTP tests of the product shipping endpoints: /product/update-shipping, /product/update-multi-shipping,
/product/get-shipping, /product/get-all-shipping, /product/get-products-shipping and
/product/get-shipping-setting.

The default merchant (USD-paid, CNY localized at 6.0) ships to every shippable country at 4.99 except the
US, where its settings say "Use Product Shipping Price"; it has the Wish Express warehouses EXPRESS-US,
-CA, -FR, -ES, -GB and -DE. Product 123456789009876543211234 (blue-shoe, default shipping 4.0) ships
STANDARD to CA 4.99, US 3.99, AU 5.99, MX 6.99, BR 7.99, with EXPRESS-US 2.99 and EXPRESS-CA 3.49."""

from __future__ import annotations

from typing import Any

import pytest

from mockwish.errors import message
from mockwish.reference import shippable_countries
from support import WORLDWIDE_TOKEN, Wish

SHOE = "123456789009876543211234"
HAT = "111122223333444455556666"
DOC_PRODUCT = "4ef2858a9795c776ce000120"
RED_SHOE = "57bb5803ba2a1f181de31b01"
NOWHERE = "aaaaaaaaaaaaaaaaaaaaaaaa"
WAREHOUSE_KEYS = {"price_type", "price", "localized_currency_code", "warehouse_name", "enabled",
                  "use_product_shipping"}


# ---- helpers ------------------------------------------------------------------------------------------

def countries(w: Wish, pid: str) -> dict[str, dict[str, Any]]:
    """get-all-shipping as {country: {"enabled", "wish_express", warehouse name: WarehouseShipping}}."""
    data = w.ok("product/get-all-shipping", id=pid)["ProductCountryAllShipping"]
    out: dict[str, dict[str, Any]] = {}
    for c in data["DataV2"]["ProductCountryWarehouseAllShipping"]["countries"]:
        body = c["ProductCountryWarehouseShipping"]
        entry: dict[str, Any] = {"enabled": body["enabled"], "wish_express": body["wish_express"]}
        for wh in body["warehouses"]:
            entry[wh["WarehouseShipping"]["warehouse_name"]] = wh["WarehouseShipping"]
        out[body["country_code"]] = entry
    return out


def prices(w: Wish, pid: str, cc: str) -> dict[str, tuple[str, str, str]]:
    """{warehouse: (price, localized price, enabled)} of one country, from get-all-shipping."""
    entry = countries(w, pid)[cc]
    return {name: (wh["price"], wh["localized_shipping_price"], wh["enabled"])
            for name, wh in entry.items() if name not in ("enabled", "wish_express")}


def regions_of(w: Wish, pid: str, cc: str, warehouse: str = "STANDARD") -> dict[str, dict[str, str]]:
    wh = countries(w, pid)[cc][warehouse]
    return {r["RegionalShipping"]["state_code"]: r["RegionalShipping"] for r in wh.get("regional_shippings", [])}


def product(w: Wish, pid: str) -> dict[str, Any]:
    return w.ok("product", "GET", id=pid)["Product"]


def assert_all_strings(value: Any, path: str = "") -> None:
    """Every scalar of a shipping answer is a string, as in the docs' examples."""
    if isinstance(value, dict):
        for k, v in value.items():
            assert_all_strings(v, f"{path}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            assert_all_strings(v, f"{path}[{i}]")
    else:
        assert isinstance(value, str), (path, value)


# ---- /product/get-shipping -----------------------------------------------------------------------------

def test_get_shipping_docs_example(wish: Wish) -> None:
    data = wish.ok("product/get-shipping", id=SHOE, country="CA")
    assert_all_strings(data)
    top = data["ProductCountryShipping"]
    assert set(top) == {"DataV2", "shipping_price", "localized_shipping_price", "localized_currency_code",
                        "country_code", "wish_express", "enabled", "id", "use_product_shipping"}
    assert (top["id"], top["country_code"], top["localized_currency_code"]) == (SHOE, "CA", "CNY")
    # the docs' example, value for value: EXPRESS-CA at 3.0 over a STANDARD that is disabled and uses the
    # variations' prices
    assert (top["shipping_price"], top["localized_shipping_price"]) == ("3.0", "18.00")
    assert (top["wish_express"], top["enabled"], top["use_product_shipping"]) == ("True", "True", "True")
    inner = top["DataV2"]["ProductCountryWarehouseShipping"]
    assert set(inner) == {"wish_express", "warehouses", "enabled", "id", "country_code"}
    assert (inner["id"], inner["country_code"], inner["wish_express"], inner["enabled"]) == (
        SHOE, "CA", "True", "True")
    express, standard = (w["WarehouseShipping"] for w in inner["warehouses"])  # express first, as in the docs
    assert set(express) == set(standard) == WAREHOUSE_KEYS | {"localized_price"}
    assert (express["price_type"], express["warehouse_name"], express["price"], express["localized_price"]) == (
        "wish_express", "EXPRESS-CA", "3.0", "18.00")
    assert (standard["price_type"], standard["warehouse_name"], standard["price"], standard["localized_price"]) == (
        "normal", "STANDARD", "None", "")
    assert (express["enabled"], standard["enabled"], standard["use_product_shipping"]) == ("True", "False", "True")


def test_get_shipping_by_parent_sku_and_unset_country(wish: Wish) -> None:
    by_sku = wish.ok("product/get-shipping", parent_sku="blue-shoe", country="ca")  # case does not matter
    assert by_sku == wish.ok("product/get-shipping", id=SHOE, country="CA")
    # a country with no price of its own uses the product's default shipping price
    it = wish.ok("product/get-shipping", id=SHOE, country="IT")["ProductCountryShipping"]
    assert (it["shipping_price"], it["localized_shipping_price"], it["wish_express"]) == ("4.0", "24.0", "False")
    (only,) = it["DataV2"]["ProductCountryWarehouseShipping"]["warehouses"]
    assert only["WarehouseShipping"]["warehouse_name"] == "STANDARD"


@pytest.mark.parametrize(("params", "code", "data"), [
    ({"id": SHOE}, 1001, "country"),
    ({"country": "CA"}, 1001, "id"),
    ({"id": SHOE, "country": "ZZ"}, 1000, {}),
    ({"id": SHOE, "country": "US_HI"}, 1000, {}),
    ({"id": SHOE, "country": "CAN"}, 1000, {}),
    ({"id": "not-an-id", "country": "CA"}, 1000, 2014),
    ({"id": NOWHERE, "country": "CA"}, 1004, 2018),
    ({"parent_sku": "no-such-parent", "country": "CA"}, 1004, 2018),
])
def test_get_shipping_errors(wish: Wish, params: dict[str, str], code: int, data: Any) -> None:
    assert wish.err("product/get-shipping", code, 400, **params)["data"] == data


def test_get_shipping_country_using_product_shipping_is_an_error(wish: Wish) -> None:
    # "If merchant's shipping setting indicates that he/she uses the product variation level shipping
    # prices, the result will be an error." The default merchant's setting for US is exactly that.
    body = wish.err("product/get-shipping", 1000, 400, id=SHOE, country="US")
    assert body["message"] == message("uses_product_shipping", country="US")


def test_get_shipping_non_usd_merchant(other: Wish) -> None:
    pid = other.ok("product/multi-get", "GET", limit="1")[0]["Product"]["id"]
    top = other.ok("product/get-shipping", id=pid, country="CA")["ProductCountryShipping"]
    assert top["shipping_price"] == "999999" and top["localized_currency_code"] == "CNY"
    float(top["localized_shipping_price"])


def test_get_shipping_worldwide_merchant_ships_everywhere(client: Any) -> None:
    ww = Wish(client, WORLDWIDE_TOKEN)
    pid = ww.ok("product/multi-get", "GET", limit="1")[0]["Product"]["id"]
    for cc in ("US", "JP", "ZA"):
        top = ww.ok("product/get-shipping", id=pid, country=cc)["ProductCountryShipping"]
        assert top["country_code"] == cc and top["localized_currency_code"] == "USD"


# ---- /product/get-all-shipping -------------------------------------------------------------------------

def test_get_all_shipping_docs_example(wish: Wish) -> None:
    data = wish.ok("product/get-all-shipping", id=SHOE)
    assert_all_strings(data)
    top = data["ProductCountryAllShipping"]
    assert set(top) == {"id", "DataV2"} and top["id"] == SHOE
    inner = top["DataV2"]["ProductCountryWarehouseAllShipping"]
    assert set(inner) == {"id", "countries"} and inner["id"] == SHOE
    codes = [c["ProductCountryWarehouseShipping"]["country_code"] for c in inner["countries"]]
    # every country the merchant ships to, sorted
    assert codes == sorted(shippable_countries())
    for c in inner["countries"]:
        body = c["ProductCountryWarehouseShipping"]
        assert set(body) == {"wish_express", "warehouses", "enabled", "id", "country_code"} and body["id"] == SHOE
        for wh in body["warehouses"]:
            # get-all-shipping names the localized price localized_shipping_price (see its docs example)
            assert WAREHOUSE_KEYS | {"localized_shipping_price"} <= set(wh["WarehouseShipping"])
    us = countries(wish, SHOE)["US"]
    assert (us["EXPRESS-US"]["price"], us["EXPRESS-US"]["price_type"], us["wish_express"]) == (
        "2.99", "wish_express", "True")
    assert (us["STANDARD"]["price"], us["STANDARD"]["localized_shipping_price"]) == ("3.99", "23.94")
    assert prices(wish, SHOE, "JP") == {"STANDARD": ("4.0", "24.0", "True")}  # the default price


def test_get_all_shipping_lists_disabled_countries_too(wish: Wish) -> None:
    wish.ok("product/update-shipping", id=SHOE, country="MX", enabled="false")
    mx = countries(wish, SHOE)["MX"]
    assert mx["enabled"] == "False" and mx["STANDARD"]["enabled"] == "False"
    assert wish.ok("product/get-all-shipping", parent_sku="blue-shoe") == wish.ok("product/get-all-shipping", id=SHOE)


@pytest.mark.parametrize(("params", "code"), [
    ({}, 1001), ({"id": "xyz"}, 1000), ({"id": NOWHERE}, 1004), ({"parent_sku": "nope"}, 1004),
])
def test_get_all_shipping_errors(wish: Wish, params: dict[str, str], code: int) -> None:
    wish.err("product/get-all-shipping", code, 400, **params)


# ---- /product/get-products-shipping --------------------------------------------------------------------

def test_get_products_shipping_docs_example(wish: Wish) -> None:
    data = wish.ok("product/get-products-shipping", ids=f"{SHOE},{HAT}")
    assert_all_strings(data)
    assert [d["ProductCountryAllShipping"]["id"] for d in data] == [SHOE, HAT]
    first = data[0]["ProductCountryAllShipping"]["DataV2"]["ProductCountryWarehouseAllShipping"]
    assert first["id"] == SHOE
    for c in first["countries"]:
        for wh in c["ProductCountryWarehouseShipping"]["warehouses"]:
            # this endpoint's docs example names it localized_price
            assert WAREHOUSE_KEYS | {"localized_price"} <= set(wh["WarehouseShipping"])


def test_get_products_shipping_only_enabled_countries(wish: Wish) -> None:
    def listed() -> set[str]:
        data = wish.ok("product/get-products-shipping", ids=SHOE)[0]["ProductCountryAllShipping"]
        return {c["ProductCountryWarehouseShipping"]["country_code"]
                for c in data["DataV2"]["ProductCountryWarehouseAllShipping"]["countries"]}

    assert {"MX", "CA", "US"} <= listed()
    wish.ok("product/update-multi-shipping", id=SHOE, disabled_countries="MX,BR")
    assert "MX" not in listed() and "BR" not in listed() and "CA" in listed()


def test_get_products_shipping_ids(wish: Wish) -> None:
    # the same id twice is answered once; 50 ids are the most
    data = wish.ok("product/get-products-shipping", ids=",".join([SHOE] * 50))
    assert [d["ProductCountryAllShipping"]["id"] for d in data] == [SHOE]
    body = wish.err("product/get-products-shipping", 1000, 400, ids=",".join([SHOE] * 51))
    assert body["message"] == message("too_many_ids", max=50, param="ids", count=51)
    data = wish.ok("product/get-products-shipping", ids=f" {HAT} , {SHOE} ")
    assert [d["ProductCountryAllShipping"]["id"] for d in data] == [HAT, SHOE]


@pytest.mark.parametrize(("ids", "code", "data"), [
    (None, 1001, "ids"), ("", 1001, "ids"), (",", 1001, "ids"), (" , ,", 1001, "ids"),
    (f"{SHOE},nope", 1000, 2014), (f"{SHOE},{NOWHERE}", 1004, 2018),
])
def test_get_products_shipping_errors(wish: Wish, ids: str | None, code: int, data: Any) -> None:
    body = wish.err("product/get-products-shipping", code, 400, ids=ids)
    assert body["data"] == data
    if code == 1004:
        assert body["message"] == f"No 'Product' Found with id: '{NOWHERE}'"


def test_get_products_shipping_worldwide_merchant_is_an_error(client: Any) -> None:
    # "If merchant's shipping setting indicates that merchant ships worldwide, the result will be an error."
    ww = Wish(client, WORLDWIDE_TOKEN)
    pid = ww.ok("product/multi-get", "GET", limit="1")[0]["Product"]["id"]
    body = ww.err("product/get-products-shipping", 1000, 400, ids=pid)
    assert body["message"] == message("ships_worldwide")


# ---- /product/get-shipping-setting ---------------------------------------------------------------------

def test_get_shipping_setting(wish: Wish) -> None:
    data = wish.ok("product/get-shipping-setting", "GET")
    assert_all_strings(data)
    settings = [s["CountryShippingSetting"] for s in data["ShippingSetting"]["country_settings"]]
    assert [s["country_code"] for s in settings] == sorted(shippable_countries())
    by_cc = {s["country_code"]: s for s in settings}
    assert by_cc["US"] == {"country_code": "US", "shipping_price": "Use Product Shipping Price",
                           "use_product_shipping": "True", "currency_code": "N/A"}
    # the docs' example values for AU, CA and GB; the other countries at the seed's 4.99
    for cc, price in (("AU", "1.00"), ("CA", "2.00"), ("GB", "3.00"), ("FR", "4.99")):
        assert by_cc[cc] == {"country_code": cc, "shipping_price": price, "use_product_shipping": "False",
                             "currency_code": "USD"}


@pytest.mark.parametrize(("path", "extra"), [
    ("product/get-shipping", {}),
    ("product/update-shipping", {"localized_price": "10", "localized_currency_code": "CNY"}),
])
def test_country_left_out_of_the_shipping_settings(other: Wish, path: str, extra: dict[str, str]) -> None:
    # the second merchant's seeded settings leave out JP, KR, SG, NZ and IL
    pid = other.ok("product/multi-get", "GET", limit="1")[0]["Product"]["id"]
    body = other.err(path, 1000, 400, id=pid, country="JP", **extra)
    assert "JP" in body["message"]


def test_get_shipping_setting_per_merchant(other: Wish, client: Any) -> None:
    settings = other.ok("product/get-shipping-setting")["ShippingSetting"]["country_settings"]
    assert settings and "JP" not in {s["CountryShippingSetting"]["country_code"] for s in settings}
    ww = Wish(client, WORLDWIDE_TOKEN)
    assert ww.ok("product/get-shipping-setting") == {"ShippingSetting": {"country_settings": []}}


# ---- /product/update-shipping --------------------------------------------------------------------------

def test_update_shipping_docs_example(wish: Wish) -> None:
    assert wish.ok("product/update-shipping", id=SHOE, country="CA", price="2.99", localized_price="18",
                   localized_currency_code="CNY", localized_default_shipping_price="24", wish_express="true") == {}
    top = wish.ok("product/get-shipping", id=SHOE, country="CA")["ProductCountryShipping"]
    assert (top["shipping_price"], top["localized_shipping_price"], top["wish_express"]) == ("2.99", "18.0", "True")
    # "shipping will be copied to the corresponding Express warehouse ... no values will be modified if
    # already set": EXPRESS-CA keeps its own 3.0
    assert prices(wish, SHOE, "CA") == {"EXPRESS-CA": ("3.0", "18.00", "True"), "STANDARD": ("2.99", "18.0", "True")}
    p = product(wish, SHOE)
    assert (p["default_shipping_price"], p["localized_default_shipping_price"]) == ("4.0", "24.0")
    assert {"country_code": "CA", "price": "2.99", "localized_price": "18.0", "localized_currency_code": "CNY"} in [
        c["CountryShipping"] for c in p["country_shippings"]]


def test_update_shipping_wish_express(wish: Wish) -> None:
    wish.ok("product/update-shipping", id=SHOE, country="FR", price="6", wish_express="true")
    assert prices(wish, SHOE, "FR") == {"EXPRESS-FR": ("6.0", "36.0", "True"), "STANDARD": ("6.0", "36.0", "True")}
    assert "FR" in product(wish, SHOE)["wish_express_country_codes"]
    wish.ok("product/update-shipping", id=SHOE, country="US", wish_express="false")
    us = countries(wish, SHOE)["US"]
    assert us["wish_express"] == "False" and us["EXPRESS-US"]["enabled"] == "False"
    assert us["STANDARD"]["enabled"] == "True"
    assert product(wish, SHOE)["wish_express_country_codes"] == ["CA", "FR"]
    # "If the Wish Express warehouse for the destination country does not exist yet, an error"
    body = wish.err("product/update-shipping", 1000, 400, id=SHOE, country="IT", wish_express="true")
    assert body["message"] == message("no_warehouse", name="EXPRESS-IT")


def test_update_shipping_enabled_across_warehouses(wish: Wish) -> None:
    # no warehouse_name: "all standard / express warehouse's shipping to the specified country will be disabled"
    wish.ok("product/update-shipping", id=SHOE, country="US", enabled="false")
    assert prices(wish, SHOE, "US") == {"EXPRESS-US": ("2.99", "17.94", "False"),
                                        "STANDARD": ("3.99", "23.94", "False")}
    assert countries(wish, SHOE)["US"]["enabled"] == "False"
    assert "US" not in [c["CountryShipping"]["country_code"] for c in product(wish, SHOE)["country_shippings"]]
    # "To re-enable a product, set the 'enabled' field to true or set the shipping price"
    wish.ok("product/update-shipping", id=SHOE, country="US", price="3.5")
    assert prices(wish, SHOE, "US")["STANDARD"] == ("3.5", "21.0", "True")
    wish.ok("product/update-shipping", id=SHOE, country="US", enabled="true")
    assert prices(wish, SHOE, "US")["EXPRESS-US"][2] == "True"


def test_update_shipping_one_warehouse(wish: Wish) -> None:
    wish.ok("product/update-shipping", id=SHOE, country="US", enabled="false", warehouse_name="EXPRESS-US")
    assert prices(wish, SHOE, "US") == {"EXPRESS-US": ("2.99", "17.94", "False"),
                                        "STANDARD": ("3.99", "23.94", "True")}
    wish.ok("product/update-shipping", id=SHOE, country="US", price="1.5", warehouse_name="EXPRESS-US")
    assert prices(wish, SHOE, "US")["EXPRESS-US"] == ("1.5", "9.0", "True")
    assert prices(wish, SHOE, "US")["STANDARD"] == ("3.99", "23.94", "True")
    body = wish.err("product/update-shipping", 1000, 400, id=SHOE, country="US", price="1", warehouse_name="NOPE")
    assert body["message"] == message("no_warehouse", name="NOPE")


def test_update_shipping_regions(wish: Wish) -> None:
    wish.ok("product/update-shipping", id=SHOE, country="US_HI", price="5")
    hi = regions_of(wish, SHOE, "US")["HI"]
    assert hi == {"state": "Hawaii", "use_country_shipping": "False", "localized_currency_code": "CNY",
                  "price": "5.0", "enabled": "True", "localized_price": "30.0", "state_code": "HI"}
    # "The maximum value is 2 times the country shipping price" (US: 3.99)
    body = wish.err("product/update-shipping", 1000, 400, id=SHOE, country="US_HI", price="7.99")
    assert body["message"] == message("region_price", region="US_HI", max="7.98")
    wish.ok("product/update-shipping", id=SHOE, country="US_HI", enabled="false")
    assert regions_of(wish, SHOE, "US")["HI"]["enabled"] == "False"
    assert countries(wish, SHOE)["US"]["STANDARD"]["enabled"] == "True"  # the country stays enabled
    # use_country_shipping: "Setting to True will override the price field"
    wish.ok("product/update-shipping", id=SHOE, country="US_HI", price="5", use_country_shipping="true")
    hi = regions_of(wish, SHOE, "US")["HI"]
    assert (hi["use_country_shipping"], hi["price"], hi["localized_price"]) == ("True", "None", "None")
    wish.ok("product/update-shipping", id=SHOE, country="US_AK", use_country_shipping="true")
    assert regions_of(wish, SHOE, "US")["AK"]["use_country_shipping"] == "True"


def test_region_changes_keep_the_country_price(wish: Wish) -> None:
    # FR has no price of its own on this product: it ships at the default 4.0 (24.0 CNY)
    assert prices(wish, SHOE, "FR") == {"STANDARD": ("4.0", "24.0", "True")}
    wish.ok("product/update-shipping", id=SHOE, country="FR_RE", enabled="false")
    wish.ok("product/update-multi-shipping", id=SHOE, FR_GP="3", regions_use_country_shipping="FR_MQ",
            disabled_countries="FR_GF")
    wish.ok("product/update-shipping", id=SHOE, country="FR_YT", use_country_shipping="true")
    assert prices(wish, SHOE, "FR") == {"STANDARD": ("4.0", "24.0", "True")}
    top = wish.ok("product/get-shipping", id=SHOE, country="FR")["ProductCountryShipping"]
    assert (top["shipping_price"], top["localized_shipping_price"], top["use_product_shipping"]) == (
        "4.0", "24.0", "False")
    regs = regions_of(wish, SHOE, "FR")
    assert {rc: (r["enabled"], r["use_country_shipping"], r["price"]) for rc, r in regs.items()} == {
        "RE": ("False", "True", "None"), "GP": ("True", "False", "3.0"), "MQ": ("True", "True", "None"),
        "GF": ("False", "True", "None"), "YT": ("True", "True", "None")}
    assert_all_strings(wish.ok("product/get-all-shipping", id=SHOE))


@pytest.mark.parametrize(("params", "code", "data"), [
    ({"id": SHOE, "price": "1"}, 1001, "country"),
    ({"country": "CA", "price": "1"}, 1001, "id"),
    ({"id": "0x1", "country": "CA", "price": "1"}, 1000, 2014),
    ({"id": NOWHERE, "country": "CA", "price": "1"}, 1004, 2018),
    ({"parent_sku": "nope", "country": "CA", "price": "1"}, 1004, 2018),
    ({"id": SHOE, "country": "ZZ", "price": "1"}, 1000, {}),
    ({"id": SHOE, "country": "US_ZZ", "price": "1"}, 1000, {}),
    ({"id": SHOE, "country": "ZZZZZZZ", "price": "1"}, 1000, {}),
    ({"id": SHOE, "country": "CA", "price": "1000.01"}, 1000, {}),  # "max 1000"
    ({"id": SHOE, "country": "CA", "price": "-1"}, 1000, {}),
    ({"id": SHOE, "country": "CA", "price": "cheap"}, 1000, {}),
    ({"id": SHOE, "country": "CA", "localized_price": "6001", "localized_currency_code": "CNY"}, 1000, {}),
    ({"id": SHOE, "country": "CA", "localized_price": "18"}, 1001, "localized_currency_code"),
    ({"id": SHOE, "country": "CA", "localized_price": "18", "localized_currency_code": "EUR"}, 1000, {}),
    ({"id": SHOE, "country": "CA", "default_shipping_price": "1001"}, 1000, {}),
    ({"id": SHOE, "country": "CA", "enabled": "maybe"}, 1000, {}),
    ({"id": SHOE, "country": "CA", "wish_express": "1"}, 1000, {}),
])
def test_update_shipping_errors(wish: Wish, params: dict[str, str], code: int, data: Any) -> None:
    before = wish.ok("product/get-all-shipping", id=SHOE)
    assert wish.err("product/update-shipping", code, 400, **params)["data"] == data
    assert wish.ok("product/get-all-shipping", id=SHOE) == before


def test_update_shipping_non_usd_merchant(other: Wish) -> None:
    pid = other.ok("product/multi-get", "GET", limit="1")[0]["Product"]["id"]
    body = other.err("product/update-shipping", 1000, 400, id=pid, country="CA", price="2.99")
    assert body["message"] == message("usd_not_allowed", param="price", currency="CNY", localized="localized_price")
    other.err("product/update-shipping", 1000, 400, id=pid, country="CA", default_shipping_price="3")
    assert other.err("product/update-shipping", 1001, 400, id=pid, country="CA",
                     localized_price="18")["data"] == "localized_currency_code"
    other.err("product/update-shipping", 1000, 400, id=pid, country="CA", localized_price="6001",
              localized_currency_code="CNY")  # more than 1000 USD
    other.ok("product/update-shipping", id=pid, country="CA", localized_price="18", localized_currency_code="CNY",
             localized_default_shipping_price="30")
    top = other.ok("product/get-shipping", id=pid, country="CA")["ProductCountryShipping"]
    assert (top["shipping_price"], top["localized_shipping_price"]) == ("999999", "18.0")
    p = product(other, pid)
    assert (p["default_shipping_price"], p["localized_default_shipping_price"]) == ("999999", "30.0")


# ---- /product/update-multi-shipping --------------------------------------------------------------------

def test_update_multi_shipping_docs_example(wish: Wish) -> None:
    assert wish.ok("product/update-multi-shipping", id=SHOE, CA="2.99", AU="1.99", localized_CA="18",
                   localized_AU="12", localized_currency_code="CNY", disabled_countries="MX,BR",
                   wish_express_add_countries="FR,ES", wish_express_remove_countries="US,CA",
                   default_shipping_price="3.99", localized_default_shipping_price="24") == {}
    got = countries(wish, SHOE)
    assert prices(wish, SHOE, "AU") == {"STANDARD": ("1.99", "12.0", "True")}
    assert got["CA"]["STANDARD"]["price"] == "2.99" and got["CA"]["STANDARD"]["localized_shipping_price"] == "18.0"
    assert got["CA"]["EXPRESS-CA"]["enabled"] == "False" and got["CA"]["wish_express"] == "False"
    assert got["US"]["EXPRESS-US"]["enabled"] == "False" and got["US"]["STANDARD"]["enabled"] == "True"
    assert got["MX"]["enabled"] == got["BR"]["enabled"] == "False"
    # FR and ES have no price of their own: the new default (3.99) applies to them, and is what the
    # new express warehouses copy
    for cc in ("FR", "ES"):
        assert prices(wish, SHOE, cc) == {f"EXPRESS-{cc}": ("3.99", "24.0", "True"),
                                          "STANDARD": ("3.99", "24.0", "True")}
    p = product(wish, SHOE)
    assert (p["default_shipping_price"], p["localized_default_shipping_price"]) == ("3.99", "24.0")
    assert p["wish_express_country_codes"] == ["ES", "FR"]


@pytest.mark.parametrize(("params", "express", "standard"), [
    # "when 'US' is specified for disabled_countries, wish_express_remove_countries, and
    # wish_express_add_countries at the same time, the disabled_countries take effect above others"
    ({"disabled_countries": "US", "wish_express_remove_countries": "US", "wish_express_add_countries": "US"},
     "False", "False"),
    ({"disabled_countries": "US", "wish_express_add_countries": "US"}, "False", "False"),
    ({"enabled_countries": "US", "wish_express_remove_countries": "US"}, "True", "True"),
    ({"wish_express_remove_countries": "US", "wish_express_add_countries": "US"}, "False", "True"),
    ({"wish_express_add_countries": "US"}, "True", "True"),
])
def test_update_multi_shipping_parameter_priority(wish: Wish, params: dict[str, str], express: str,
                                                  standard: str) -> None:
    wish.ok("product/update-shipping", id=SHOE, country="US", wish_express="false")  # start from express off
    wish.ok("product/update-multi-shipping", id=SHOE, **params)
    us = prices(wish, SHOE, "US")
    assert (us["EXPRESS-US"][2], us["STANDARD"][2]) == (express, standard)


def test_update_multi_shipping_warehouse_scope(wish: Wish) -> None:
    wish.ok("product/update-multi-shipping", id=SHOE, disabled_countries="US,CA", warehouse_name="EXPRESS-US")
    assert prices(wish, SHOE, "US")["EXPRESS-US"][2] == "False"
    assert prices(wish, SHOE, "US")["STANDARD"][2] == "True"
    assert prices(wish, SHOE, "CA")["EXPRESS-CA"][2] == "True"  # another warehouse: untouched
    wish.ok("product/update-multi-shipping", id=SHOE, US="1.25", warehouse_name="EXPRESS-US")
    assert prices(wish, SHOE, "US") == {"EXPRESS-US": ("1.25", "7.5", "True"), "STANDARD": ("3.99", "23.94", "True")}
    wish.ok("product/update-multi-shipping", id=SHOE, disabled_countries="US")  # no warehouse: all of them
    assert {v[2] for v in prices(wish, SHOE, "US").values()} == {"False"}
    wish.ok("product/update-multi-shipping", id=SHOE, enabled_countries="US")
    assert {v[2] for v in prices(wish, SHOE, "US").values()} == {"True"}


def test_update_multi_shipping_localized_price_copied_to_new_express(wish: Wish) -> None:
    # "If country shipping price is provided in localized_CC and CC is in wish_express_add_countries, both
    # STANDARD warehouse and Wish Express warehouse will be enabled with that provided localized price"
    wish.ok("product/update-multi-shipping", id=SHOE, localized_GB="30", localized_currency_code="CNY",
            wish_express_add_countries="GB")
    assert prices(wish, SHOE, "GB") == {"EXPRESS-GB": ("5.0", "30.0", "True"), "STANDARD": ("5.0", "30.0", "True")}


def test_update_multi_shipping_regions(wish: Wish) -> None:
    wish.ok("product/update-multi-shipping", id=SHOE, US_HI="5", localized_US_AK="36", localized_currency_code="CNY")
    regs = regions_of(wish, SHOE, "US")
    assert (regs["HI"]["price"], regs["HI"]["localized_price"], regs["HI"]["enabled"]) == ("5.0", "30.0", "True")
    assert (regs["AK"]["price"], regs["AK"]["localized_price"]) == ("6.0", "36.0")
    body = wish.err("product/update-multi-shipping", 1000, 400, id=SHOE, US_HI="8")
    assert body["message"] == message("region_price", region="US_HI", max="7.98")
    # a region price may go with its country's new price in the same call
    wish.ok("product/update-multi-shipping", id=SHOE, US="5", US_HI="9.5")
    assert regions_of(wish, SHOE, "US")["HI"]["price"] == "9.5"
    # "If a region is entered here, it overrides the price"
    wish.ok("product/update-multi-shipping", id=SHOE, US_HI="6", regions_use_country_shipping="US_HI")
    hi = regions_of(wish, SHOE, "US")["HI"]
    assert (hi["use_country_shipping"], hi["price"]) == ("True", "None")
    wish.ok("product/update-multi-shipping", id=SHOE, disabled_countries="US_HI")
    assert regions_of(wish, SHOE, "US")["HI"]["enabled"] == "False"
    assert countries(wish, SHOE)["US"]["STANDARD"]["enabled"] == "True"
    wish.ok("product/update-multi-shipping", id=SHOE, enabled_countries="us_hi")
    assert regions_of(wish, SHOE, "US")["HI"]["enabled"] == "True"


@pytest.mark.parametrize(("params", "code", "data"), [
    ({"CA": "1"}, 1001, "id"),
    ({"parent_sku": "blue-shoe", "CA": "1"}, 1001, "id"),  # this endpoint takes the id only
    ({"id": "blue-shoe", "CA": "1"}, 1000, 2014),
    ({"id": NOWHERE, "CA": "1"}, 1004, 2018),
    ({"id": SHOE, "CA": "1000.01"}, 1000, {}),
    ({"id": SHOE, "CA": "-2"}, 1000, {}),
    ({"id": SHOE, "CA": "two"}, 1000, {}),
    ({"id": SHOE, "localized_CA": "6001", "localized_currency_code": "CNY"}, 1000, {}),
    ({"id": SHOE, "localized_CA": "18"}, 1001, "localized_currency_code"),
    ({"id": SHOE, "localized_CA": "18", "localized_currency_code": "USD"}, 1000, {}),
    ({"id": SHOE, "default_shipping_price": "1000.5"}, 1000, {}),
    ({"id": SHOE, "wish_express_add_countries": "IT"}, 1000, {}),
    ({"id": SHOE, "wish_express_add_countries": "ZZ"}, 1000, {}),
    ({"id": SHOE, "wish_express_remove_countries": "ZZ"}, 1000, {}),
    ({"id": SHOE, "disabled_countries": "ZZ"}, 1000, {}),
    ({"id": SHOE, "enabled_countries": "US_ZZ"}, 1000, {}),
    ({"id": SHOE, "regions_use_country_shipping": "US_ZZ"}, 1000, {}),
    ({"id": SHOE, "regions_use_country_shipping": "US"}, 1000, {}),
    ({"id": SHOE, "warehouse_name": "EXPRESS-IT", "CA": "1"}, 1000, {}),
    # all or nothing: a valid price beside an invalid express country changes nothing
    ({"id": SHOE, "CA": "1.11", "wish_express_add_countries": "IT"}, 1000, {}),
])
def test_update_multi_shipping_errors(wish: Wish, params: dict[str, str], code: int, data: Any) -> None:
    before = (wish.ok("product/get-all-shipping", id=SHOE), product(wish, SHOE))
    assert wish.err("product/update-multi-shipping", code, 400, **params)["data"] == data
    assert (wish.ok("product/get-all-shipping", id=SHOE), product(wish, SHOE)) == before


def test_update_multi_shipping_non_usd_merchant(other: Wish) -> None:
    pid = other.ok("product/multi-get", "GET", limit="1")[0]["Product"]["id"]
    body = other.err("product/update-multi-shipping", 1000, 400, id=pid, CA="2")
    assert body["message"] == message("usd_not_allowed", param="CA", currency="CNY", localized="localized_CA")
    other.err("product/update-multi-shipping", 1000, 400, id=pid, localized_CA="18", CA="3",
              localized_currency_code="CNY")
    # "localized_currency_code ... This is required for non-USD merchants"
    assert other.err("product/update-multi-shipping", 1001, 400, id=pid,
                     localized_CA="18")["data"] == "localized_currency_code"
    other.err("product/update-multi-shipping", 1000, 400, id=pid, default_shipping_price="2")
    other.ok("product/update-multi-shipping", id=pid, localized_CA="18", localized_currency_code="CNY",
             wish_express_add_countries="US")
    ca = prices(other, pid, "CA")["STANDARD"]
    assert ca == ("999999", "18.0", "True")
    assert "US" in product(other, pid)["wish_express_country_codes"]
    body = other.err("product/update-multi-shipping", 1000, 400, id=pid, wish_express_add_countries="CA")
    assert body["message"] == message("no_warehouse", name="EXPRESS-CA")  # the second merchant has EXPRESS-US only


# ---- removed products, tenant isolation ----------------------------------------------------------------

def test_removed_product_shipping_is_readable_but_not_editable(wish: Wish) -> None:
    wish.ok("product/remove", id=SHOE)
    before = wish.ok("product/get-all-shipping", id=SHOE)
    for path, extra in (("product/update-shipping", {"country": "CA", "price": "1"}),
                        ("product/update-multi-shipping", {"CA": "1"})):
        body = wish.err(path, 1000, 400, id=SHOE, **extra)
        assert body["message"] == message("product_removed", id=SHOE)
    assert wish.ok("product/get-all-shipping", id=SHOE) == before
    assert wish.ok("product/get-shipping", id=SHOE, country="CA")["ProductCountryShipping"]["id"] == SHOE


def test_tenant_isolation_of_shipping(wish: Wish, other: Wish) -> None:
    before = wish.ok("product/get-all-shipping", id=SHOE)
    for ids in (SHOE, f"{SHOE},{HAT}"):
        foreign = other.call("product/get-products-shipping", ids=ids).json()
        missing = other.call("product/get-products-shipping", ids=ids.replace(SHOE, NOWHERE)).json()
        assert foreign["code"] == missing["code"] == 1004 and foreign["data"] == missing["data"] == 2018
        assert foreign["message"].replace(SHOE, NOWHERE) == missing["message"]
    # mixing one's own id with another merchant's is still "not found"
    own = other.ok("product/multi-get", "GET", limit="1")[0]["Product"]["id"]
    other.err("product/get-products-shipping", 1004, 400, ids=f"{own},{SHOE}")
    for path, extra in (("product/update-shipping", {"country": "CA", "enabled": "false"}),
                        ("product/update-multi-shipping", {"disabled_countries": "CA,US"}),
                        ("product/update-shipping", {"country": "US_HI", "price": "1"})):
        other.err(path, 1004, 400, id=SHOE, **extra)
    assert wish.ok("product/get-all-shipping", id=SHOE) == before
    # and the other way round
    wish.err("product/get-all-shipping", 1004, 400, id=own)
    wish.err("product/get-shipping", 1004, 400, id=own, country="US")
