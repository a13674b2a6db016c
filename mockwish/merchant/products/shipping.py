"""Product shipping per warehouse and country: the /product/*shipping* rules and views.

The product keeps `shipping[warehouse][country] = {price, localized_price, enabled, regions}` where a
price of None means "Use Product Shipping Price" (the variations' own shipping)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from mockwish.errors import WishError
from mockwish.merchant.catalogue import store
from mockwish.merchant.catalogue.money import Wallet
from mockwish.merchant.catalogue.render import STANDARD, printed, usd
from mockwish.merchant.products.rules import SHIPPING_MAX, editable
from mockwish.reference import regions, shippable_countries
from mockwish.wire.format import flag, money
from mockwish.wire.spec import Num

_REGION = re.compile(r"^([A-Z]{2})_([A-Z0-9]{2,3})$")


def express(cc: str) -> str:
    return f"EXPRESS-{cc}"


def check_ships_to(merchant: dict[str, Any], cc: str) -> None:
    if cc not in shippable_countries():
        raise WishError("invalid_param", value=cc, param="country")
    if not merchant["ships_worldwide"] and cc not in merchant["shipping_settings"]:
        raise WishError("country_not_shipped", country=cc)


def _entry(product: dict[str, Any], wh: str, cc: str) -> dict[str, Any] | None:
    e = product["shipping"].get(wh, {}).get(cc)
    if e is None and wh == STANDARD:
        return {"price": product["default_shipping_price"],
                "localized_price": product["localized_default_shipping_price"], "enabled": True, "regions": {}}
    return e


def _local(wallet: Wallet, e: dict[str, Any]) -> str:
    """The localized shipping price of an entry: "" when the variations' prices apply (as documented)."""
    if e.get("price") is None:
        return ""
    local = e.get("localized_price")
    return printed(e, "localized_price", local if local is not None else e["price"] * wallet.rate) or ""


def _region_price(wallet: Wallet, r: dict[str, Any], key: str) -> str:
    value = r.get(key)
    if value is None:
        return "None"
    return (usd(wallet, value) if key == "price" else money(value)) or "None"


def _warehouse_view(wallet: Wallet, wh: str, cc: str, e: dict[str, Any], localized_key: str,
                    with_regions: bool) -> dict[str, Any]:
    price = e.get("price")
    body: dict[str, Any] = {
        "price_type": "normal" if wh == STANDARD else "wish_express",
        "price": usd(wallet, price) if price is not None else "None",
        localized_key: _local(wallet, e),
        "localized_currency_code": wallet.localized_currency,
        "warehouse_name": wh,
        "enabled": flag(e.get("enabled", True)),
        "use_product_shipping": flag(price is None),
    }
    if with_regions and e.get("regions"):
        body["regional_shippings"] = [{"RegionalShipping": {
            "state": regions()[f"{cc}_{rc}"]["name"] if f"{cc}_{rc}" in regions() else rc,
            "use_country_shipping": flag(r.get("use_country_shipping", False)),
            "localized_currency_code": wallet.localized_currency,
            "price": _region_price(wallet, r, "price"),
            "enabled": flag(r.get("enabled", True)),
            "localized_price": _region_price(wallet, r, "localized_price"),
            "state_code": rc}} for rc, r in sorted(e["regions"].items())]
    return {"WarehouseShipping": body}


def _country(merchant: dict[str, Any], wallet: Wallet, product: dict[str, Any], cc: str, localized_key: str,
             with_regions: bool) -> dict[str, Any]:
    warehouses = []
    for wh in (express(cc), STANDARD):
        e = _entry(product, wh, cc)
        if e is not None and (wh == STANDARD or wh in merchant["warehouses"]):
            warehouses.append(_warehouse_view(wallet, wh, cc, e, localized_key, with_regions))
    we = product["shipping"].get(express(cc), {}).get(cc)
    enabled = any(w["WarehouseShipping"]["enabled"] == "True" for w in warehouses)
    return {"ProductCountryWarehouseShipping": {
        "wish_express": flag(bool(we and we.get("enabled", True))), "warehouses": warehouses,
        "enabled": flag(enabled), "id": product["id"], "country_code": cc}}


def countries_of(merchant: dict[str, Any], product: dict[str, Any]) -> list[str]:
    listed = set(merchant["shipping_settings"]) if not merchant["ships_worldwide"] else set(shippable_countries())
    for table in product["shipping"].values():
        listed.update(table)
    return sorted(c for c in listed if c in shippable_countries())


def get_shipping(merchant: dict[str, Any], wallet: Wallet, product: dict[str, Any], cc: str) -> dict[str, Any]:
    """/product/get-shipping: errors when the merchant does not ship there or uses variation prices."""
    check_ships_to(merchant, cc)
    if not merchant["ships_worldwide"] and merchant["shipping_settings"].get(cc) is None:
        raise WishError("uses_product_shipping", country=cc)
    view = _country(merchant, wallet, product, cc, "localized_price", with_regions=False)
    std = _entry(product, STANDARD, cc) or {}
    inner = view["ProductCountryWarehouseShipping"]
    # the price a buyer there pays: STANDARD's while it is enabled, else the first enabled Wish Express
    # warehouse's, else STANDARD's; use_product_shipping stays STANDARD's (the docs' example: EXPRESS-CA 3.0 over
    # a disabled STANDARD that uses the variations' prices answers shipping_price "3.0", use_product_shipping "True")
    enabled = [w["WarehouseShipping"] for w in inner["warehouses"] if w["WarehouseShipping"]["enabled"] == "True"]
    standard_on = any(w["warehouse_name"] == STANDARD for w in enabled)
    shown = None if standard_on or not enabled else enabled[0]
    return {"ProductCountryShipping": {
        "DataV2": view,
        "shipping_price": shown["price"] if shown else
        (usd(wallet, std.get("price")) if std.get("price") is not None else "None"),
        "localized_shipping_price": shown["localized_price"] if shown else _local(wallet, std),
        "localized_currency_code": wallet.localized_currency, "country_code": cc,
        "wish_express": inner["wish_express"], "enabled": inner["enabled"], "id": product["id"],
        "use_product_shipping": flag(std.get("price") is None)}}


def all_shipping(merchant: dict[str, Any], wallet: Wallet, product: dict[str, Any], localized_key: str,
                 enabled_only: bool) -> dict[str, Any]:
    countries = []
    for cc in countries_of(merchant, product):
        view = _country(merchant, wallet, product, cc, localized_key, with_regions=True)
        if enabled_only and view["ProductCountryWarehouseShipping"]["enabled"] != "True":
            continue
        countries.append(view)
    return {"ProductCountryAllShipping": {"id": product["id"], "DataV2": {
        "ProductCountryWarehouseAllShipping": {"id": product["id"], "countries": countries}}}}


def settings_view(merchant: dict[str, Any]) -> dict[str, Any]:
    out = []
    for cc, price in sorted(merchant["shipping_settings"].items()):
        out.append({"CountryShippingSetting": {
            "country_code": cc,
            "shipping_price": f"{price:.2f}" if price is not None else "Use Product Shipping Price",
            "use_product_shipping": flag(price is None),
            "currency_code": "USD" if price is not None else "N/A"}})
    return {"ShippingSetting": {"country_settings": out}}


# ---- writes ------------------------------------------------------------------------------------------

def _pair(wallet: Wallet, usd_value: float | None, local: float | None, name: str) -> tuple[float, float] | None:
    if wallet.non_usd:
        if usd_value is not None:
            raise WishError("usd_not_allowed", param=name, currency=wallet.payment_currency,
                            localized=f"localized_{name}")
        if local is None:
            return None
        usd_value = round(local / wallet.rate, 2)
    elif usd_value is None:
        if local is None:
            return None
        usd_value = round(local / wallet.rate, 2)
    if local is None:
        local = round(usd_value * wallet.rate, 2)
    if usd_value > SHIPPING_MAX:
        raise WishError("out_of_range", param=name, low=0, high=1000, value=f"{usd_value:g}")
    return (usd_value, local)


def _table(shipping: dict[str, Any], wh: str) -> dict[str, Any]:
    return shipping.setdefault(wh, {})


def _country_entry(product: dict[str, Any], shipping: dict[str, Any], wh: str, cc: str) -> dict[str, Any]:
    """The entry of `cc` in warehouse `wh`, created when missing with the country's effective STANDARD price
    (its own or the product default), so a region or enabled flag never changes the country's price."""
    e = shipping.get(wh, {}).get(cc)
    if e is None:
        std = shipping.get(STANDARD, {}).get(cc) or _entry(product, STANDARD, cc) or {}
        e = _table(shipping, wh)[cc] = {"price": std.get("price"), "localized_price": std.get("localized_price"),
                                        "enabled": True, "regions": {}}
    e.setdefault("regions", {})
    return e


def _set_price(shipping: dict[str, Any], wh: str, cc: str, pair: tuple[float, float]) -> None:
    e = _table(shipping, wh).setdefault(cc, {"regions": {}})
    e.update(price=pair[0], localized_price=pair[1], enabled=True)


def _std_price(product: dict[str, Any], shipping: dict[str, Any], cc: str) -> float | None:
    e = shipping.get(STANDARD, {}).get(cc)
    return e.get("price") if e else product["default_shipping_price"]


def _set_region(product: dict[str, Any], shipping: dict[str, Any], wh: str, code: str,
                pair: tuple[float, float]) -> None:
    cc, rc = code.split("_", 1)
    country_price = _std_price(product, shipping, cc)
    if country_price is not None and pair[0] > 2 * country_price:
        raise WishError("region_price", region=code, max=money(2 * country_price))
    _country_entry(product, shipping, wh, cc)["regions"][rc] = {
        "price": pair[0], "localized_price": pair[1], "enabled": True, "use_country_shipping": False}


def _region_uses_country(product: dict[str, Any], shipping: dict[str, Any], wh: str, code: str) -> None:
    cc, rc = code.split("_", 1)
    region = _country_entry(product, shipping, wh, cc)["regions"].setdefault(rc, {"enabled": True})
    region.update(price=None, localized_price=None, use_country_shipping=True)


def _enable_region(product: dict[str, Any], shipping: dict[str, Any], wh: str, code: str, enabled: bool) -> None:
    cc, rc = code.split("_", 1)
    region = _country_entry(product, shipping, wh, cc)["regions"].setdefault(
        rc, {"price": None, "localized_price": None, "use_country_shipping": True})
    region["enabled"] = enabled


def _add_express(merchant: dict[str, Any], product: dict[str, Any], shipping: dict[str, Any],
                 cc: str) -> None:
    wh = express(cc)
    if wh not in merchant["warehouses"]:
        raise WishError("no_warehouse", name=wh)
    current = shipping.get(wh, {}).get(cc)
    if current is not None:  # "no values will be modified if already set"
        current["enabled"] = True
        return
    _country_entry(product, shipping, wh, cc)  # a copy of the STANDARD price, including one set in this call


def _set_enabled(shipping: dict[str, Any], product: dict[str, Any], cc: str, enabled: bool,
                 warehouses: list[str]) -> None:
    for wh in warehouses:
        if wh == STANDARD:
            _country_entry(product, shipping, wh, cc)["enabled"] = enabled
        elif cc in shipping.get(wh, {}):
            shipping[wh][cc]["enabled"] = enabled


def _target(merchant: dict[str, Any], name: str | None) -> str:
    if name is None or name == STANDARD:
        return STANDARD
    if name not in merchant["warehouses"]:
        raise WishError("no_warehouse", name=name)
    return name


def _all_warehouses(shipping: dict[str, Any], cc: str) -> list[str]:
    return [STANDARD, *(wh for wh in shipping if wh != STANDARD and cc in shipping[wh])]


def _defaults(wallet: Wallet, p: dict[str, Any], values: dict[str, Any]) -> None:
    pair = _pair(wallet, p.get("default_shipping_price"), p.get("localized_default_shipping_price"),
                 "default_shipping_price")
    if pair is not None:
        values["default_shipping_price"], values["localized_default_shipping_price"] = pair


def _working_copy(merchant: dict[str, Any], wallet: Wallet, product: dict[str, Any], p: dict[str, Any]
                  ) -> tuple[str, dict[str, Any], dict[str, Any], dict[str, Any]]:
    """What both shipping updates start from: the target warehouse, a deep copy of the shipping table to
    change, the new product-level defaults, and the product as seen with those defaults applied."""
    wh = _target(merchant, p.get("warehouse_name"))
    shipping = {k: {c: dict(e, regions=dict(e.get("regions", {}))) for c, e in t.items()}
                for k, t in product["shipping"].items()}
    values: dict[str, Any] = {}
    _defaults(wallet, p, values)
    return wh, shipping, values, {**product, **values}  # a new default applies at once to unset countries


def update_shipping(conn: Connection, merchant: dict[str, Any], wallet: Wallet, product: dict[str, Any],
                    p: dict[str, Any], now: datetime) -> None:
    """/product/update-shipping (one country or region)."""
    editable(product)
    code = p["country"].upper()
    m = _REGION.match(code)
    cc = m.group(1) if m else code
    if m and code not in regions():
        raise WishError("invalid_param", value=p["country"], param="country")
    check_ships_to(merchant, cc)
    wh, shipping, values, product = _working_copy(merchant, wallet, product, p)
    pair = _pair(wallet, p.get("price"), p.get("localized_price"), "price")
    if m:
        if p.get("use_country_shipping"):  # "Setting to True will override the price field"
            _region_uses_country(product, shipping, wh, code)
        elif pair is not None:
            _set_region(product, shipping, wh, code, pair)
        if "enabled" in p:  # without warehouse_name, "enabled will apply to standard warehouse only"
            _enable_region(product, shipping, wh, code, p["enabled"])
    else:
        if pair is not None:
            _set_price(shipping, wh, cc, pair)
        if p.get("warehouse_name") is None and "wish_express" in p:
            if p["wish_express"]:
                _add_express(merchant, product, shipping, cc)
            elif cc in shipping.get(express(cc), {}):
                shipping[express(cc)][cc]["enabled"] = False
        if "enabled" in p:
            targets = [wh] if p.get("warehouse_name") else _all_warehouses(shipping, cc)
            _set_enabled(shipping, product, cc, p["enabled"], targets)
    values.update(shipping=shipping, last_updated=now)
    store.update_product(conn, merchant["id"], product["id"], values)


def parse_country_fields(raw: dict[str, str]) -> dict[str, Any]:
    """The dynamic parameters of /product/update-multi-shipping: CC, localized_CC, CC_RC, localized_CC_RC."""
    countries, regs = shippable_countries(), regions()
    prices: dict[str, dict[str, float]] = {}
    for key, value in raw.items():
        local = key.startswith("localized_") and key != "localized_currency_code" \
            and key != "localized_default_shipping_price"
        code = key.removeprefix("localized_") if local else key
        if code in countries or code in regs:
            if value.strip() == "":
                continue
            amount = Num(key, low=0, high=1e7 if local else 1e6).convert(value)
            prices.setdefault(code, {})["localized" if local else "usd"] = amount
    return {"_prices": prices}


def update_multi_shipping(conn: Connection, merchant: dict[str, Any], wallet: Wallet, product: dict[str, Any],
                          p: dict[str, Any], now: datetime) -> None:
    """/product/update-multi-shipping. Priority: disabled/enabled_countries > wish_express_remove_countries >
    wish_express_add_countries, so they are applied in the reverse order (the strongest last)."""
    editable(product)
    wh, shipping, values, product = _working_copy(merchant, wallet, product, p)
    prices: dict[str, dict[str, float]] = p.get("_prices", {})
    if any("localized" in v for v in prices.values()) and "localized_currency_code" not in p:
        # required with localized prices for every merchant, and so for every non-USD merchant
        raise WishError("missing_param", param="localized_currency_code")
    we_add = [c.upper() for c in p.get("wish_express_add_countries", [])]
    for code, v in sorted(prices.items(), key=lambda kv: "_" in kv[0]):  # countries before their regions
        pair = _pair(wallet, v.get("usd"), v.get("localized"), code)
        if pair is None:
            raise WishError("localized_required", param=f"localized_{code}", currency=wallet.payment_currency)
        if "_" in code:
            check_ships_to(merchant, code.split("_", 1)[0])
            _set_region(product, shipping, wh, code, pair)
        else:
            check_ships_to(merchant, code)
            _set_price(shipping, wh, code, pair)
            if p.get("warehouse_name") is None and code in we_add:
                _set_price(shipping, express(code), code, pair)
    for code in p.get("regions_use_country_shipping", []):
        code = code.upper()
        if code not in regions():
            raise WishError("invalid_param", value=code, param="regions_use_country_shipping")
        _region_uses_country(product, shipping, wh, code)
    for cc in we_add:
        check_ships_to(merchant, cc)
        _add_express(merchant, product, shipping, cc)
    for cc in p.get("wish_express_remove_countries", []):
        cc = cc.upper()
        if cc not in shippable_countries():
            raise WishError("invalid_param", value=cc, param="wish_express_remove_countries")
        if cc in shipping.get(express(cc), {}):
            shipping[express(cc)][cc]["enabled"] = False
    for key, enabled in (("enabled_countries", True), ("disabled_countries", False)):
        for code in p.get(key, []):
            code = code.upper()
            m = _REGION.match(code)
            if m:
                if code not in regions():
                    raise WishError("invalid_param", value=code, param=key)
                _enable_region(product, shipping, wh, code, enabled)
                continue
            check_ships_to(merchant, code)
            targets = [wh] if p.get("warehouse_name") else _all_warehouses(shipping, code)
            _set_enabled(shipping, product, code, enabled, targets)
    values.update(shipping=shipping, last_updated=now)
    store.update_product(conn, merchant["id"], product["id"], values)
