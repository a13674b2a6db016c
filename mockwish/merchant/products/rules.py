"""Product rules: what a valid product is and what each /product/* write does to it. No HTTP here."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from mockwish.errors import WishError
from mockwish.ids import new_id
from mockwish.merchant.catalogue import store, validate
from mockwish.merchant.catalogue.money import Wallet, amount, check_currency_code
from mockwish.merchant.catalogue.render import STANDARD
from mockwish.merchant.variants.rules import new_variant_values
from mockwish.reference import shippable_countries

PRICE_MAX = 100_000.0
SHIPPING_MAX = 1000.0
_VIDEO_EXT = (".mp4", ".mov", ".wmv", ".flv", ".avi", ".mkv", ".webm")
_VIDEO_HOSTS = ("youtube.", "youtu.be", "amazon.", "ebay.", "etsy.")


def resolve(conn: Connection, merchant_id: str, params: dict[str, Any]) -> dict[str, Any]:
    """The product named by `id` (preferred) or `parent_sku`; another merchant's answers as not found."""
    if "id" in params:
        row = store.product_by_id(conn, merchant_id, params["id"])
        if row is None:
            raise WishError("product_not_found", field="id", value=params["id"])
        return row
    row = store.product_by_parent_sku(conn, merchant_id, params["parent_sku"])
    if row is None:
        raise WishError("product_not_found", field="parent_sku", value=params["parent_sku"])
    return row


def editable(product: dict[str, Any]) -> dict[str, Any]:
    if product["removed_by_merchant"]:
        raise WishError("product_removed", id=product["id"])
    return product


def video_url(url: str) -> str:
    if url == "":
        return url
    low = url.lower().split("?", 1)[0]
    if not validate._URL.match(url) or any(h in low for h in _VIDEO_HOSTS) or not low.endswith(_VIDEO_EXT):
        raise WishError("invalid_param", value=url, param="demo_video_asset_url")
    return url


WHOLE_UNITS_RATE = 5.0  # currencies with at least this many units per USD localize country prices to whole units


def localized_country_price(wallet: Wallet, usd: float) -> float:
    """The localized value of a country price given in USD only: whole units of a currency worth a fifth of a USD
    or less (the docs' add example shows CA 4.99 USD as localized_price "30.0" CNY at 6.0, as their Product
    example shows 30 and 24), cents otherwise."""
    local = usd * wallet.rate
    return float(round(local)) if wallet.rate >= WHOLE_UNITS_RATE else round(local, 2)


def country_prices(merchant: dict[str, Any], wallet: Wallet, raw: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """country_shipping_prices ({"US":3.99,"LOCAL_US":24.0}): countries the merchant does not ship to are
    ignored, as documented; each value is a shipping price (max 1000 USD)."""
    shipped = merchant["shipping_settings"]
    out: dict[str, dict[str, Any]] = {}
    for key, value in raw.items():
        local = key.upper().startswith("LOCAL_")
        cc = key.upper().removeprefix("LOCAL_")
        if cc not in shippable_countries() or (cc not in shipped and not merchant["ships_worldwide"]):
            continue
        if wallet.non_usd and not local:  # "Use LOCAL_CC to set the localized price" (USD prices are hidden)
            raise WishError("usd_not_allowed", param=f"country_shipping_prices[{key}]",
                            currency=wallet.payment_currency, localized=f"LOCAL_{cc}")
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value:
            raise WishError("invalid_param", value=str(value), param=f"country_shipping_prices[{key}]")
        entry = out.setdefault(cc, {"price": None, "localized_price": None, "enabled": True, "regions": {}})
        entry["localized_price" if local else "price"] = float(value)
    for cc, entry in out.items():
        if entry["price"] is None and entry["localized_price"] is not None:
            entry["price"] = round(entry["localized_price"] / wallet.rate, 2)
        elif entry["localized_price"] is None and entry["price"] is not None:
            entry["localized_price"] = localized_country_price(wallet, entry["price"])
        if entry["price"] is not None and entry["price"] > SHIPPING_MAX:
            raise WishError("out_of_range", param=f"country_shipping_prices[{cc}]", low=0, high=1000,
                            value=f"{entry['price']:g}")
    return out


def add(conn: Connection, merchant: dict[str, Any], wallet: Wallet, p: dict[str, Any], now: datetime) -> str:
    """/product/add: a new product with its first variation."""
    mid = merchant["id"]
    check_currency_code(wallet, p, ("localized_price", "localized_shipping", "localized_msrp"))
    country_raw = p.get("country_shipping_prices", {})
    if "localized_currency_code" not in p and any(str(k).upper().startswith("LOCAL_") for k in country_raw):
        # "This must be provided in order to set localized pricing fields"
        raise WishError("missing_param", param="localized_currency_code")
    price = amount(wallet, p, "price", "localized_price", required=True, usd_max=PRICE_MAX)
    shipping = amount(wallet, p, "shipping", "localized_shipping", required=True, usd_max=SHIPPING_MAX)
    assert price is not None and shipping is not None
    sku = p["sku"]
    parent_sku = p.get("parent_sku") or sku
    if not parent_sku.strip():
        raise WishError("invalid_param", value=parent_sku, param="parent_sku")
    if store.sku_taken(conn, mid, parent_sku):
        raise WishError("duplicate_sku", sku=parent_sku)
    if sku != parent_sku and store.sku_taken(conn, mid, sku):
        raise WishError("duplicate_sku", sku=sku)
    main_image = validate.image_url(p["main_image"])
    extra = validate.image_list(p.get("extra_images", ""))
    variant_image = 1 if p.get("variant_main_image") else 0
    validate.count_images(extra, variant_image)
    clean = p.get("clean_image")
    if clean is not None and clean not in (main_image, *extra):
        clean = None  # "the clean image will not be set" when it is not one of the product's images
    shipping_table: dict[str, Any] = {STANDARD: country_prices(merchant, wallet, country_raw)}
    pid = new_id()
    store.insert_product(conn, {
        "id": pid, "merchant_id": mid, "parent_sku": parent_sku, "name": p["name"],
        "description": p["description"], "tags": validate.tags(p.get("tags", "")), "main_image": main_image,
        "extra_images": extra, "clean_image": clean, "original_image_url": main_image,
        "review_status": "pending", "enabled": True, "removed_by_merchant": False, "is_promoted": False,
        "num_sold": 0, "num_saves": 0, "category": None,
        "default_shipping_price": shipping[0], "localized_default_shipping_price": shipping[1],
        "landing_page_url": p.get("landing_page_url"), "upc": p.get("upc"),
        "requested_product_brand_id": p.get("requested_product_brand_id"),
        "max_quantity": p.get("max_quantity"), "condition": p.get("condition"), "unit": p.get("unit"),
        "reference_value": p.get("reference_value"),
        "demo_video_asset_url": video_url(p["demo_video_asset_url"]) if "demo_video_asset_url" in p else None,
        "shipping": shipping_table, "date_uploaded": now, "last_updated": now,
    })
    store.insert_variant(conn, new_variant_values(conn, mid, wallet, pid, p, price, shipping, now, position=0))
    return pid


def update(conn: Connection, merchant_id: str, product: dict[str, Any], p: dict[str, Any], now: datetime) -> None:
    """/product/update: only the attributes sent change."""
    editable(product)
    values: dict[str, Any] = {}
    for key in ("name", "description", "requested_product_brand_id", "landing_page_url", "upc", "max_quantity",
                "condition", "reference_value", "unit"):
        if key in p:
            values[key] = p[key]
    if "tags" in p:
        values["tags"] = validate.tags(p["tags"])
    main_image = product["main_image"]
    if "main_image" in p:
        main_image = values["main_image"] = validate.image_url(p["main_image"])
    extra = product["extra_images"]
    if p.get("extra_images", "").strip():
        extra = values["extra_images"] = validate.image_list(p["extra_images"])
        variants = store.variants_of(conn, merchant_id, [product["id"]])[product["id"]]
        validate.count_images(extra, sum(1 for v in variants if v["main_image"]))
    if "clean_image" in p and p["clean_image"] in (main_image, *extra):
        values["clean_image"] = p["clean_image"]
    if "demo_video_asset_url" in p:
        values["demo_video_asset_url"] = video_url(p["demo_video_asset_url"]) or None
    values["last_updated"] = now
    store.update_product(conn, merchant_id, product["id"], values)


def change_parent_sku(conn: Connection, merchant_id: str, product: dict[str, Any], new_sku: str,
                      now: datetime) -> None:
    editable(product)
    if not new_sku.strip():
        raise WishError("invalid_param", value=new_sku, param="new_parent_sku")
    if new_sku != product["parent_sku"]:
        if store.sku_taken(conn, merchant_id, new_sku, except_product=product["id"]):
            raise WishError("duplicate_sku", sku=new_sku)
        store.update_product(conn, merchant_id, product["id"], {"parent_sku": new_sku, "last_updated": now})


def set_enabled(conn: Connection, merchant_id: str, product: dict[str, Any], enabled: bool, now: datetime) -> None:
    """Enable/disable a product and all of its variations (variations removed by Wish stay disabled)."""
    editable(product)
    store.update_product(conn, merchant_id, product["id"], {"enabled": enabled, "last_updated": now})
    store.update_variants_of(conn, merchant_id, product["id"], {"enabled": enabled, "last_updated": now},
                             only_not_removed_by_wish=enabled)


def remove(conn: Connection, merchant_id: str, product: dict[str, Any], now: datetime) -> None:
    """Permanent: hidden, uneditable, and its SKUs renamed so they can be reused."""
    editable(product)
    suffix = f"-removed-{product['id'][-8:]}"
    store.update_product(conn, merchant_id, product["id"], {
        "removed_by_merchant": True, "enabled": False, "parent_sku": product["parent_sku"] + suffix,
        "last_updated": now})
    for v in store.variants_of(conn, merchant_id, [product["id"]])[product["id"]]:
        store.update_variant(conn, merchant_id, v["id"], {"sku": v["sku"] + suffix, "enabled": False,
                                                          "last_updated": now})


def remove_extra_images(conn: Connection, merchant_id: str, product: dict[str, Any], now: datetime) -> None:
    editable(product)
    values: dict[str, Any] = {"extra_images": [], "last_updated": now}
    if product["clean_image"] and product["clean_image"] != product["main_image"]:
        values["clean_image"] = None
    store.update_product(conn, merchant_id, product["id"], values)
