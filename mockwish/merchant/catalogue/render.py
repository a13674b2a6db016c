"""Wire shapes of catalogue entities, exactly as the docs' examples show them: {"Product": {...}},
{"Variant": {...}}, {"Tag": {...}}, {"CountryShipping": {...}}; scalars as strings, n/a keys omitted."""

from __future__ import annotations

from typing import Any

from mockwish.merchant.catalogue.money import HIDDEN_USD, Wallet
from mockwish.merchant.catalogue.validate import tag_id
from mockwish.wire.format import compact, count, flag, money, ts

STANDARD = "STANDARD"
PRINTED = "printed"  # {field: text} beside stored amounts: the docs' fixtures keep an amount as the docs print it
DEFAULT_CONDITION = "NEW"  # a variation whose condition was never set shows NEW (the docs' Variant example)


def printed(entry: dict[str, Any] | None, key: str, value: float | None) -> str | None:
    """`value` as money, or as the text recorded beside it while that text still denotes the same amount (so any
    later change of the amount falls back to the usual form without anyone clearing the text)."""
    text = ((entry or {}).get(PRINTED) or {}).get(key)
    if text is not None and value is not None and float(text) == value:
        return str(text)
    return money(value)


def color_name(color: str | None) -> str | None:
    """The human readable colour name (Variant attributes: color is Wish's identifier, color_name its name)."""
    if not color:
        return None
    return " ".join(w.capitalize() for w in color.replace("_", " ").replace("-", " ").split())


def usd(wallet: Wallet, value: float | None) -> str | None:
    if value is None:
        return None
    return str(HIDDEN_USD) if wallet.non_usd else money(value)


def stock_of(variant: dict[str, Any], warehouse: str) -> dict[str, Any]:
    return variant["stock"].get(warehouse) or {"inventory": 0, "shipping": None, "localized_shipping": None}


def logistics(v: dict[str, Any]) -> dict[str, Any] | None:
    lg = v["logistics"]
    if not lg:
        return None

    def num(key: str) -> str | None:
        return money(lg[key]) if lg.get(key) is not None else None

    comp = compact({k: flag(lg.get(k)) for k in ("has_liquid", "has_battery", "has_powder", "has_metal")})
    out = compact({
        "declared_name": lg.get("declared_name"), "declared_local_name": lg.get("declared_local_name"),
        "pieces": lg.get("pieces"), "height": num("height"), "weight": num("weight"), "width": num("width"),
        "length": num("length"), "origin_country": lg.get("origin_country"), "hscode": lg.get("hscode"),
        "product_id": v["product_id"], "id": v["id"], "declared_value": num("declared_value"),
    })
    if comp:
        out["Composition"] = comp
    return out


def variant(v: dict[str, Any], wallet: Wallet, warehouse: str = STANDARD, *, product: dict[str, Any] | None = None,
            in_product: bool = False) -> dict[str, Any]:
    st = stock_of(v, warehouse)
    std = v["stock"].get(STANDARD)
    condition = v["condition"] or (product or {}).get("condition") or DEFAULT_CONDITION
    body = compact({
        "id": v["id"], "product_id": v["product_id"], "sku": v["sku"],
        "color": v["color"], "color_name": color_name(v["color"]), "size": v["size"], "condition": condition,
        "enabled": flag(v["enabled"]), "inventory": count(st.get("inventory", 0)),
        "price": usd(wallet, v["price"]), "localized_price": printed(std, "localized_price", v["localized_price"]),
        "msrp": usd(wallet, v["msrp"]), "localized_msrp": money(v["localized_msrp"]),
        "localized_currency_code": wallet.localized_currency,
        "shipping_time": v["shipping_time"],
        "removed_by_wish": flag(True) if v["removed_by_wish"] else None,
        "quantity_value": money(v["quantity_value"]),
    })
    # "If normal shipping is not set for the variant, shipping will be null in JSON" (Variation docs)
    body["shipping"] = usd(wallet, st.get("shipping"))
    if st.get("localized_shipping") is not None:
        body["localized_shipping"] = printed(st, "localized_shipping", st["localized_shipping"])
    if not in_product:
        main = v["main_image"] or (product["main_image"] if product else None)
        if main:
            body["main_image"] = main
        if product is not None:
            images = [product["main_image"], *product["extra_images"]]
            body["all_images"] = "|".join(i for i in images if i)
    lg = logistics(v)
    if lg:
        body["LogisticsMetadata"] = lg
    return {"Variant": body}


def country_shippings(p: dict[str, Any], wallet: Wallet) -> list[dict[str, Any]]:
    out = []
    for cc, entry in sorted(p["shipping"].get(STANDARD, {}).items()):
        if entry.get("enabled", True) and entry.get("price") is not None:
            out.append({"CountryShipping": compact({
                "price": usd(wallet, entry["price"]),
                "localized_price": printed(entry, "localized_price", entry.get("localized_price")),
                "localized_currency_code": wallet.localized_currency, "country_code": cc})})
    return out


def wish_express_countries(p: dict[str, Any]) -> list[str]:
    return sorted(wh.removeprefix("EXPRESS-") for wh, countries in p["shipping"].items()
                  if wh.startswith("EXPRESS-") and any(e.get("enabled", True) for e in countries.values()))


def product(p: dict[str, Any], variants: list[dict[str, Any]], wallet: Wallet,
            warehouse: str = STANDARD) -> dict[str, Any]:
    body = compact({
        "id": p["id"], "name": p["name"], "description": p["description"], "parent_sku": p["parent_sku"],
        "number_sold": count(p["num_sold"]), "number_saves": count(p["num_saves"]),
        "review_status": p["review_status"], "category": p["category"],
        "tags": [{"Tag": {"id": tag_id(t), "name": t}} for t in p["tags"]],
        "main_image": p["main_image"] or None,
        "extra_images": "|".join(p["extra_images"]) if p["extra_images"] else None,
        "clean_image": p["clean_image"], "original_image_url": p["original_image_url"],
        "enabled": flag(p["enabled"]), "is_promoted": flag(p["is_promoted"]),
        "default_shipping_price": usd(wallet, p["default_shipping_price"]),
        "localized_default_shipping_price": money(p["localized_default_shipping_price"]),
        "upc": p["upc"], "landing_page_url": p["landing_page_url"],
        "requested_product_brand_id": p["requested_product_brand_id"],
        "max_quantity": count(p["max_quantity"]), "condition": p["condition"], "unit": p["unit"],
        "reference_value": money(p["reference_value"]),
        "demo_video_asset_url": p["demo_video_asset_url"] or None,
        "date_uploaded": p["date_uploaded"].strftime("%Y-%m-%d"),
        "last_updated": p["last_updated"].strftime("%m-%d-%YT%H:%M:%S"),
    })
    body["removed_by_merchant"] = bool(p["removed_by_merchant"])  # a JSON boolean in every doc example
    body["wish_express_country_codes"] = wish_express_countries(p)
    body["country_shippings"] = country_shippings(p, wallet)
    body["variants"] = [variant(v, wallet, warehouse, product=p, in_product=True) for v in variants]
    return {"Product": body}


__all__ = ["color_name", "country_shippings", "printed", "product", "ts", "variant"]
