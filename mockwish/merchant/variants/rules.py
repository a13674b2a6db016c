"""Variation rules: SKUs, size/colour pairs, inventory per warehouse, prices. No HTTP here."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from mockwish.errors import WishError
from mockwish.ids import new_id
from mockwish.merchant.catalogue import store, validate
from mockwish.merchant.catalogue.money import Wallet, amount, check_currency_code
from mockwish.merchant.catalogue.render import STANDARD

PRICE_MAX = 100_000.0
SHIPPING_MAX = 1000.0
INVENTORY_MAX = 500_000
DEFAULT_SHIPPING_TIME = "5-10"


def resolve(conn: Connection, merchant_id: str, sku: str) -> dict[str, Any]:
    row = store.variant_by_sku(conn, merchant_id, sku)
    if row is None:
        raise WishError("variant_not_found", sku=sku)
    return row


def product_of(conn: Connection, merchant_id: str, variant: dict[str, Any]) -> dict[str, Any]:
    product = store.product_by_id(conn, merchant_id, variant["product_id"])
    assert product is not None  # foreign key
    if product["removed_by_merchant"]:
        raise WishError("product_removed", id=product["id"])
    return product


def live_product_id(conn: Connection, merchant_id: str, variant: dict[str, Any]) -> str:
    """The id of the variant's product, which must not be removed (what product_of checks, reading one
    column: the hot variant writes need nothing else of the product)."""
    removed = store.product_removed(conn, merchant_id, variant["product_id"])
    assert removed is not None  # foreign key
    if removed:
        raise WishError("product_removed", id=variant["product_id"])
    return str(variant["product_id"])


def warehouse(merchant: dict[str, Any], name: str | None) -> str:
    """The warehouse a request names (STANDARD when none, or an empty value as clients that send every
    parameter do); unknown names are an error."""
    name = (name or "").strip()
    if not name or name == STANDARD:
        return STANDARD
    if name not in merchant["warehouses"]:
        raise WishError("no_warehouse", name=name)
    return name


def _attributes(p: dict[str, Any]) -> dict[str, Any]:
    """color and size as stored: trimmed, and a blank value is no value (so '  ' cannot pass for a colour)."""
    out = dict(p)
    for key in ("color", "size"):
        if key in out:
            out[key] = (out[key] or "").strip() or None
    return out


def sku_free(conn: Connection, merchant_id: str, sku: str, product_id: str) -> bool:
    """A SKU may be used by a variation of `product_id` when no variation has it and no other product has it
    as parent SKU (a product's parent SKU is often its first variation's SKU, as /product/add defaults it)."""
    return not (store.sku_taken(conn, merchant_id, sku, except_product=product_id)
                or store.variant_by_sku(conn, merchant_id, sku) is not None)


def _pair(color: str | None, size: str | None) -> tuple[str, str]:
    return ((color or "").strip().lower(), (size or "").strip().lower())


def new_variant_values(conn: Connection, merchant_id: str, wallet: Wallet, product_id: str, p: dict[str, Any],
                       price: tuple[float, float], shipping: tuple[float, float] | None, now: datetime,
                       position: int) -> dict[str, Any]:
    msrp = amount(wallet, p, "msrp", "localized_msrp", required=False, usd_max=PRICE_MAX)
    return {
        "id": new_id(), "merchant_id": merchant_id, "product_id": product_id, "position": position,
        "sku": p["sku"], "color": p.get("color"), "size": p.get("size"), "condition": p.get("condition"),
        "price": price[0], "localized_price": price[1],
        "msrp": msrp[0] if msrp else None, "localized_msrp": msrp[1] if msrp else None,
        "shipping_time": p.get("shipping_time", DEFAULT_SHIPPING_TIME), "main_image": p.get("variant_main_image"),
        "quantity_value": p.get("quantity_value"), "enabled": True, "removed_by_wish": False,
        "stock": {STANDARD: {"inventory": p["inventory"], "shipping": shipping[0] if shipping else None,
                             "localized_shipping": shipping[1] if shipping else None}},
        "logistics": validate.logistics(p, None), "last_updated": now,
    }


def add(conn: Connection, merchant: dict[str, Any], wallet: Wallet, p: dict[str, Any], now: datetime) -> str:
    """/variant/add: a new variation on the product named by parent_sku (or by one of its variant SKUs)."""
    mid = merchant["id"]
    p = _attributes(p)
    product = store.product_by_parent_sku(conn, mid, p["parent_sku"])
    if product is None:
        by_sku = store.variant_by_sku(conn, mid, p["parent_sku"])
        product = store.product_by_id(conn, mid, by_sku["product_id"]) if by_sku else None
    if product is None:
        raise WishError("product_not_found", field="parent_sku", value=p["parent_sku"])
    if product["removed_by_merchant"]:
        raise WishError("product_removed", id=product["id"])
    if not p.get("color") and not p.get("size"):
        raise WishError("size_or_color")
    siblings = store.variants_of(conn, mid, [product["id"]])[product["id"]]
    if len(siblings) >= validate.MAX_VARIATIONS:
        raise WishError("too_many_variations", max=validate.MAX_VARIATIONS)
    pair = _pair(p.get("color"), p.get("size"))
    if any(_pair(s["color"], s["size"]) == pair for s in siblings):
        raise WishError("duplicate_variation", color=p.get("color") or "", size=p.get("size") or "")
    if not sku_free(conn, mid, p["sku"], product["id"]):
        raise WishError("duplicate_sku", sku=p["sku"])
    if p.get("variant_main_image"):
        validate.count_images(product["extra_images"], 1 + sum(1 for s in siblings if s["main_image"]))
    check_currency_code(wallet, p, ("localized_price", "localized_shipping", "localized_msrp"))
    price = amount(wallet, p, "price", "localized_price", required=True, usd_max=PRICE_MAX)
    assert price is not None
    shipping = amount(wallet, p, "shipping", "localized_shipping", required=False, usd_max=SHIPPING_MAX)
    if shipping is None:
        # "If the default shipping price is set, it will be used ... Otherwise, the highest active variation
        # shipping price will be used."
        if product["default_shipping_price"] is not None:
            shipping = (product["default_shipping_price"],
                        product["localized_default_shipping_price"] or product["default_shipping_price"] * wallet.rate)
        else:
            active = [s["stock"].get(STANDARD, {}) for s in siblings if s["enabled"]]
            prices = [(a["shipping"], a.get("localized_shipping")) for a in active if a.get("shipping") is not None]
            if prices:
                best = max(prices)
                shipping = (best[0], best[1] if best[1] is not None else round(best[0] * wallet.rate, 2))
    values = new_variant_values(conn, mid, wallet, product["id"], p, price, shipping, now,
                                position=store.next_position(conn, mid, product["id"]))
    store.insert_variant(conn, values)
    store.touch_product(conn, mid, product["id"], now)
    return values["id"]


def update(conn: Connection, merchant: dict[str, Any], wallet: Wallet, variant: dict[str, Any],
           p: dict[str, Any], now: datetime) -> None:
    """/variant/update: only what is sent changes; inventory and shipping go to the named warehouse."""
    mid = merchant["id"]
    p = _attributes(p)
    product = product_of(conn, mid, variant)
    wh = warehouse(merchant, p.get("warehouse_name"))
    check_currency_code(wallet, p, ("localized_price", "localized_shipping", "localized_msrp"))
    values: dict[str, Any] = {}
    price = amount(wallet, p, "price", "localized_price", required=False, usd_max=PRICE_MAX)
    if price is not None:
        values["price"], values["localized_price"] = price
    msrp = amount(wallet, p, "msrp", "localized_msrp", required=False, usd_max=PRICE_MAX)
    if msrp is not None:
        values["msrp"], values["localized_msrp"] = msrp
    if "enabled" in p:
        if p["enabled"] and variant["removed_by_wish"]:
            raise WishError("variant_removed_by_wish", sku=variant["sku"])
        values["enabled"] = p["enabled"]
    color = p.get("color", variant["color"])
    size = p.get("size", variant["size"])
    if "color" in p or "size" in p:
        if not color and not size:
            raise WishError("size_or_color")
        siblings = store.variants_of(conn, mid, [product["id"]])[product["id"]]
        pair = _pair(color, size)
        if any(_pair(s["color"], s["size"]) == pair for s in siblings if s["id"] != variant["id"]):
            raise WishError("duplicate_variation", color=color or "", size=size or "")
        values["color"], values["size"] = color, size
    for key in ("shipping_time", "quantity_value", "condition"):
        if key in p:
            values[key] = p[key]
    logistics = validate.logistics(p, variant["logistics"])
    if logistics is not variant["logistics"]:
        values["logistics"] = logistics
    shipping = amount(wallet, p, "shipping", "localized_shipping", required=False, usd_max=SHIPPING_MAX)
    if "inventory" in p or shipping is not None:
        stock = {k: dict(v) for k, v in variant["stock"].items()}
        entry = stock.setdefault(wh, {"inventory": 0, "shipping": None, "localized_shipping": None})
        if "inventory" in p:
            entry["inventory"] = p["inventory"]
        if shipping is not None:
            entry["shipping"], entry["localized_shipping"] = shipping
        values["stock"] = stock
    if "main_image" in p:
        image = p["main_image"]
        if p.get("update_product_image", True):
            old_main = product["main_image"]
            store.update_product(conn, mid, product["id"], {"main_image": image, "last_updated": now})
            for s in store.variants_of(conn, mid, [product["id"]])[product["id"]]:
                if s["id"] != variant["id"] and s["main_image"] in (None, old_main):
                    store.update_variant(conn, mid, s["id"], {"main_image": None})
            values["main_image"] = None
        else:
            values["main_image"] = image
    values["last_updated"] = now
    store.update_variant(conn, mid, variant["id"], values)
    store.touch_product(conn, mid, product["id"], now)


def change_sku(conn: Connection, merchant_id: str, variant: dict[str, Any], new_sku: str, now: datetime) -> None:
    product_id = live_product_id(conn, merchant_id, variant)
    if new_sku == variant["sku"]:
        return
    if not sku_free(conn, merchant_id, new_sku, product_id):
        raise WishError("duplicate_sku", sku=new_sku)
    store.update_variant(conn, merchant_id, variant["id"], {"sku": new_sku, "last_updated": now})
    store.touch_product(conn, merchant_id, product_id, now)


def set_enabled(conn: Connection, merchant_id: str, variant: dict[str, Any], enabled: bool, now: datetime) -> None:
    product_id = live_product_id(conn, merchant_id, variant)
    if enabled and variant["removed_by_wish"]:
        raise WishError("variant_removed_by_wish", sku=variant["sku"])
    store.update_variant(conn, merchant_id, variant["id"], {"enabled": enabled, "last_updated": now})
    store.touch_product(conn, merchant_id, product_id, now)


def set_inventory(conn: Connection, merchant: dict[str, Any], sku: str, inventory: int, warehouse_name: str | None,
                  now: datetime) -> None:
    """variant/update-inventory: the checks of resolve, live_product_id and warehouse, in that order, on one
    read of what the write needs (the hottest write an ERP makes: its inventory sync)."""
    found = store.variant_stock_by_sku(conn, merchant["id"], sku)
    if found is None:
        raise WishError("variant_not_found", sku=sku)
    variant_id, product_id, stock, removed = found
    if removed:
        raise WishError("product_removed", id=product_id)
    wh = warehouse(merchant, warehouse_name)
    stock.setdefault(wh, {"inventory": 0, "shipping": None, "localized_shipping": None})["inventory"] = inventory
    store.update_variant(conn, merchant["id"], variant_id, {"stock": stock, "last_updated": now})
    store.touch_product(conn, merchant["id"], product_id, now)
