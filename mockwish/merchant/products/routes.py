"""Wire layer of /product/*: the parameters each endpoint documents and how its answer is rendered."""

from __future__ import annotations

from typing import Any

import orjson

from mockwish.auth.scopes import NONE  # noqa: F401  (scopes are declared per route below)
from mockwish.errors import WishError
from mockwish.merchant import download_jobs
from mockwish.merchant.catalogue import render, store
from mockwish.merchant.catalogue.money import Wallet
from mockwish.merchant.catalogue.render import STANDARD
from mockwish.merchant.products import download, rules, shipping
from mockwish.merchant.variants.rules import warehouse
from mockwish.reference import shippable_countries
from mockwish.store.read_cache import entry_size, kept_json
from mockwish.wire.spec import Bool, CsvList, Enum, Id, Int, Json, Num, Str, When, spec
from mockwish.wire.v2 import Call, V2Result, V2Router

router = V2Router("Product")

ID_OR_SKU = (Id("id", "The unique Wish identifier of the product"),
             Str("parent_sku", "The parent SKU of the product", max_len=255))
EITHER = (("id", "parent_sku"),)
CONDITION = ("NEW", "USED", "REFURBISHED")
WAREHOUSE = Str("warehouse_name", "Warehouse whose shippings and inventories are used (default STANDARD)",
                max_len=100)
LOGISTICS = (
    Num("length", "Packaged length (cm)", low=0, high=10_000, low_exclusive=True),
    Num("width", "Packaged width (cm)", low=0, high=10_000, low_exclusive=True),
    Num("height", "Packaged height (cm)", low=0, high=10_000, low_exclusive=True),
    Num("weight", "Packaged weight (g)", low=0, high=1_000_000, low_exclusive=True),
    Str("declared_name", "Product name for logistics declaration (2-200 Latin characters)", max_len=200),
    Str("declared_local_name", "Product name in local language for declaration (2-200 characters)", max_len=200),
    Int("pieces", "Number of pieces", low=1, high=100_000),
    Str("declared_value", "Value declared to customs, e.g. 10.99 or $100.99", max_len=32),
    Str("hscode", "Harmonization System Code, e.g. 6403.20", max_len=32),
    Str("origin_country", "ISO 3166 alpha-2 country of manufacture", max_len=2),
    Bool("has_powder", "Contains powder"), Bool("has_liquid", "Contains liquid"),
    Bool("has_battery", "Contains battery"), Bool("has_metal", "Contains metal"),
)
UNIT = Str("unit", "Unit of measurement (OUNCE, POUND, GRAM, ...)", max_len=20)


def _wallet(call: Call) -> Wallet:
    return Wallet(call.principal.payment_currency, call.principal.localized_currency)


def _merchant(call: Call) -> dict[str, Any]:
    return store.merchant_cached(call.conn, call.ctx.read_cache, call.merchant_id)


def _product_view(call: Call, product_id: str, warehouse_name: str = STANDARD) -> dict[str, Any]:
    p = store.product_by_id(call.conn, call.merchant_id, product_id)
    assert p is not None
    variants = store.variants_of(call.conn, call.merchant_id, [p["id"]])[p["id"]]
    return render.product(p, variants, _wallet(call), warehouse_name)


def _checked(call: Call, p: dict[str, Any]) -> dict[str, Any]:
    from mockwish.merchant.catalogue import validate

    if "upc" in p:
        p["upc"] = validate.upc(p["upc"])
    if "unit" in p:  # the documented enum ends with null: an empty value clears the unit
        p["unit"] = validate.unit(p["unit"]) if p["unit"].strip() else None
    if "shipping_time" in p:
        p["shipping_time"] = validate.shipping_time(p["shipping_time"])
    return p


@router.op("/product", scope="products:read", summary="Retrieve a Product",
           spec=spec(*ID_OR_SKU, WAREHOUSE, either=EITHER), errors=("invalid_id", "product_not_found",
                                                                   "missing_either", "no_warehouse"))
def retrieve(call: Call) -> V2Result:
    """Retrieve the details about a product which exists on the Wish platform, by id or parent_sku."""
    p = call.params
    mid = call.merchant_id
    key = ("product", mid, p.get("id"), p.get("parent_sku"), p.get("warehouse_name"))
    cache = call.ctx.read_cache
    cache.sync(call.conn)
    cached = cache.get(key)
    if cached is None:
        product = rules.resolve(call.conn, mid, p)
        name = p.get("warehouse_name")
        wh = warehouse(_merchant(call), name) if name else STANDARD  # the hot path reads no merchant row
        wallet = _wallet(call)
        body = render.product(product, [], wallet, wh)
        body["Product"]["variants"] = _variant_parts(call, product, wallet, wh)
        cached = kept_json(body)  # bytes: nothing for the GC
        cache.put(call.conn, key, cached, entry_size(len(cached)), [("p", mid, product["id"])])
    return V2Result(orjson.Fragment(cached) if call.fmt == "json" else orjson.loads(cached))


def _variant_parts(call: Call, product: dict[str, Any], wallet: Wallet, wh: str) -> list[orjson.Fragment]:
    """The product's variants, each rendered and kept on its own (tagged with its id: mockwish.store.changes), so
    that the product's next read after a write to one of them (an ERP's inventory sync) reads and renders that
    one alone. A variant's rendering depends on its row, and else only on the wallet, the warehouse and the
    product's condition (a variant without its own shows it): those are the rest of its key."""
    cache, conn, mid = call.ctx.read_cache, call.conn, call.merchant_id
    ids = store.variant_ids_of(conn, mid, product["id"])
    keys = [("variant", mid, vid, wh, wallet.payment_currency, wallet.localized_currency, product["condition"])
            for vid in ids]
    parts = cache.get_many(keys)
    missing = [vid for vid, part in zip(ids, parts, strict=True) if part is None]
    if missing:
        rows = store.variants_by_ids(conn, mid, missing)
        for i, vid in enumerate(ids):
            if parts[i] is None:
                part = kept_json(render.variant(rows[vid], wallet, wh, product=product, in_product=True))
                cache.put(conn, keys[i], part, entry_size(len(part)), [("v", mid, vid)])
                parts[i] = part
    return [orjson.Fragment(part) for part in parts]


@router.op("/product/multi-get", scope="products:read", summary="List all Products",
           spec=spec(Int("start", "Offset into the list (max 25000)", low=0, high=25000),
                     Int("limit", "Number of products, 1 to 250 (default 50)", low=1, high=250),
                     When("since", "Only products updated since (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS)"),
                     When("upto", "Only products updated before"),
                     Bool("show_rejected", "Include products rejected during review"), WAREHOUSE),
           errors=("out_of_range", "no_warehouse"))
def multi_get(call: Call) -> V2Result:
    """Products sorted by last update time then id, newest first; paged with `next`/`prev` links."""
    p = call.params
    start, limit = p.get("start", 0), p.get("limit", 50)
    wh = warehouse(_merchant(call), p.get("warehouse_name"))
    rows = store.list_products(call.conn, call.merchant_id, start=start, limit=limit + 1, since=p.get("since"),
                               upto=p.get("upto"), show_rejected=p.get("show_rejected", False))
    page = rows[:limit]
    variants = store.variants_of(call.conn, call.merchant_id, [r["id"] for r in page])
    wallet = _wallet(call)
    data = [render.product(r, variants[r["id"]], wallet, wh) for r in page]
    return V2Result(data, paging=call.paging(start, limit, len(rows) > limit))


PRODUCT_FIELDS = (
    Str("name", "Name of the product", min_len=1, max_len=500),
    Str("description", "Description of the product (no HTML)", min_len=1, max_len=10000),
    Str("tags", "Comma separated tags (only 10 are kept)", max_len=5000),
)


# optional listing attributes that /product/add and /product/update read alike
LISTING_FIELDS = (
    Str("requested_product_brand_id", "Brand ID", max_len=100),
    Str("landing_page_url", "URL on your website", max_len=2000),
    Str("upc", "8 to 14 digits GTIN", max_len=14),
    Str("clean_image", "URL of the clean image (the main image or one of the extra images)", max_len=2000),
    Int("max_quantity", "Maximum quantity per order", low=1, high=100_000),
    Num("reference_value", "Reference value for price per unit", low=0, high=1e6),
)


@router.op("/product/add", scope="products:write", summary="Create a Product",
           spec=spec(
               Str("name", "Name of the product", required=True, min_len=1, max_len=500),
               Str("description", "Description of the product (no HTML)", required=True, max_len=10000),
               Str("tags", "Comma separated tags (only 10 are kept)", max_len=5000),
               Str("sku", "Unique identifier of the first variation", required=True, min_len=1, max_len=255),
               Str("color", "Color of the product", max_len=100),
               Enum("condition", "NEW, USED or REFURBISHED", values=CONDITION),
               Str("size", "Size of the product (fewer than 50 characters)", max_len=49),
               Int("inventory", "Physical quantity, max 500,000", required=True, low=0, high=500_000),
               Num("price", "Price in USD, max 100,000", low=0, high=100_000, low_exclusive=True),
               Num("localized_price", "Price in the merchant's local currency", low=0, high=1e8,
                   low_exclusive=True),
               Num("shipping", "Default shipping price in USD, max 1000", low=0, high=1000),
               Num("localized_shipping", "Default shipping in the local currency", low=0, high=1e6),
               Str("localized_currency_code", "The merchant's local currency code", max_len=3),
               Json("country_shipping_prices", 'JSON dictionary, e.g. {"US":3.99,"CA":4.99,"LOCAL_CA":29.94}'),
               Num("msrp", "Reference price in USD", low=0, high=100_000),
               Num("localized_msrp", "Reference price in the local currency", low=0, high=1e8),
               Str("shipping_time", "(DEPRECATED) e.g. 15-20", max_len=20),
               Str("main_image", "URL of the main image", required=True, max_len=2000),
               Str("parent_sku", "Unique id of the product (defaults to sku)", min_len=1, max_len=255),
               Str("extra_images", "Extra image URLs separated by '|'", max_len=200_000),
               *LISTING_FIELDS,
               Num("quantity_value", "Total quantity of the variant in the given unit", low=0, high=1e6),
               UNIT, *LOGISTICS,
               Str("demo_video_asset_url", "URL of a demo video (mp4, mov, wmv, flv, avi, mkv, webm)",
                   max_len=2000)),
           errors=("duplicate_sku", "image_url", "too_many_images", "out_of_range", "currency_mismatch",
                   "localized_required", "usd_not_allowed", "invalid_json", "too_long"))
def add(call: Call) -> V2Result:
    """Create a new product with its first variation; answers the product with its new Wish id."""
    p = _checked(call, dict(call.params))
    pid = rules.add(call.conn, _merchant(call), _wallet(call), p, call.now)
    return V2Result(_product_view(call, pid))


@router.op("/product/update", scope="products:write", summary="Update a Product",
           spec=spec(*ID_OR_SKU, *PRODUCT_FIELDS,
                     Str("main_image", "URL of the main image", max_len=2000),
                     Str("extra_images", "All extra image URLs separated by '|'", max_len=200_000),
                     Enum("condition", "NEW, USED or REFURBISHED", values=CONDITION),
                     *LISTING_FIELDS,
                     UNIT,
                     Str("demo_video_asset_url", "Demo video URL; an empty string deletes it", max_len=2000),
                     either=EITHER),
           errors=("invalid_id", "product_not_found", "missing_either", "product_removed", "image_url",
                   "too_many_images"))
def update(call: Call) -> V2Result:
    """Update the attributes sent; everything else is left unchanged."""
    p = _checked(call, dict(call.params))
    product = rules.resolve(call.conn, call.merchant_id, p)
    rules.update(call.conn, call.merchant_id, product, p, call.now)
    return V2Result({})


@router.op("/product/change-sku", scope="products:write", summary="Change Product Parent SKU",
           spec=spec(*ID_OR_SKU, Str("new_parent_sku", "The new unique parent SKU", min_len=1, max_len=255),
                     Str("new_sku", "Alias of new_parent_sku (the docs' curl example sends it)", min_len=1,
                         max_len=255), either=EITHER),
           errors=("invalid_id", "product_not_found", "missing_either", "duplicate_sku", "product_removed"))
def change_sku(call: Call) -> V2Result:
    """Change a product's parent SKU; it must stay unique among parent SKUs and variation SKUs."""
    new = call.params.get("new_parent_sku") or call.params.get("new_sku")
    if new is None:
        raise WishError("missing_param", param="new_parent_sku")
    product = rules.resolve(call.conn, call.merchant_id, call.params)
    rules.change_parent_sku(call.conn, call.merchant_id, product, new, call.now)
    return V2Result({})


def _by_id_or_sku(summary: str, errors: tuple[str, ...] = ()) -> dict[str, Any]:
    return {"scope": "products:write", "summary": summary, "spec": spec(*ID_OR_SKU, either=EITHER),
            "errors": ("invalid_id", "product_not_found", "missing_either", "product_removed", *errors)}


@router.op("/product/enable", **_by_id_or_sku("Enable a Product"))
def enable(call: Call) -> V2Result:
    """Enable a product and all of its variations."""
    product = rules.resolve(call.conn, call.merchant_id, call.params)
    rules.set_enabled(call.conn, call.merchant_id, product, True, call.now)
    return V2Result({})


@router.op("/product/disable", **_by_id_or_sku("Disable a Product"))
def disable(call: Call) -> V2Result:
    """Disable a product and all of its variations."""
    product = rules.resolve(call.conn, call.merchant_id, call.params)
    rules.set_enabled(call.conn, call.merchant_id, product, False, call.now)
    return V2Result({})


@router.op("/product/remove", **_by_id_or_sku("Remove Product"))
def remove(call: Call) -> V2Result:
    """Permanently remove a product; it can no longer be edited and its SKUs may be reused."""
    product = rules.resolve(call.conn, call.merchant_id, call.params)
    rules.remove(call.conn, call.merchant_id, product, call.now)
    return V2Result({})


@router.op("/product/remove-extra-images", **_by_id_or_sku("Remove Extra Images from a Product"))
def remove_extra_images(call: Call) -> V2Result:
    """Remove all extra images; the main image and variation images stay."""
    product = rules.resolve(call.conn, call.merchant_id, call.params)
    rules.remove_extra_images(call.conn, call.merchant_id, product, call.now)
    return V2Result({})


SHIPPING_PRICE = Num("price", "Shipping price in USD, max 1000", low=0, high=1000)
DEFAULTS = (Num("default_shipping_price", "Default shipping price (USD)", low=0, high=1000),
            Num("localized_default_shipping_price", "Default shipping price (local currency)", low=0, high=1e6),
            Str("localized_currency_code", "The merchant's local currency code", max_len=3))


@router.op("/product/update-shipping", scope="products:write", summary="Edit Shipping Price of a Product",
           spec=spec(*ID_OR_SKU,
                     Str("country", "Country code (or CC_RC region code)", required=True, max_len=6),
                     SHIPPING_PRICE, Num("localized_price", "Shipping price in local currency", low=0, high=1e6),
                     Bool("enabled", "Whether the product is sold in this country"),
                     Bool("wish_express", "Enrol the product in Wish Express for this country"),
                     Bool("use_country_shipping", "Regions only: use the country's shipping price (overrides price)"),
                     *DEFAULTS, WAREHOUSE, either=EITHER),
           errors=("invalid_id", "product_not_found", "missing_either", "product_removed", "country_not_shipped",
                   "no_warehouse", "region_price", "usd_not_allowed"))
def update_shipping(call: Call) -> V2Result:
    """Edit the shipping price of a product to one country (or region)."""
    p = call.params
    product = rules.resolve(call.conn, call.merchant_id, p)
    _currency(call, p)
    shipping.update_shipping(call.conn, _merchant(call), _wallet(call), product, p, call.now)
    return V2Result({})


def _currency(call: Call, p: dict[str, Any]) -> None:
    from mockwish.merchant.catalogue.money import check_currency_code

    check_currency_code(_wallet(call), p, ("localized_price", "localized_default_shipping_price"))


def _country_code(value: str) -> str:
    return value.upper()


@router.op("/product/update-multi-shipping", scope="products:write", summary="Edit Shipping Prices of a Product",
           spec=spec(Id("id", "The unique Wish identifier of the product", required=True),
                     Str("disabled_countries", "Country or region codes separated by comma", max_len=5000),
                     Str("enabled_countries", "Country or region codes separated by comma", max_len=5000),
                     Str("wish_express_add_countries", "Country codes separated by comma", max_len=5000),
                     Str("wish_express_remove_countries", "Country codes separated by comma", max_len=5000),
                     Str("regions_use_country_shipping", "Region codes separated by comma", max_len=5000),
                     *DEFAULTS, WAREHOUSE,
                     extra=shipping.parse_country_fields),
           description=("Edit the shipping prices of a product. Besides the parameters below, send `CC` "
                        "(USD price), `localized_CC`, `CC_RC` and `localized_CC_RC` for any shippable country "
                        "CC and region RC. Priority: disabled/enabled_countries, then "
                        "wish_express_remove_countries, then wish_express_add_countries."),
           errors=("invalid_id", "product_not_found", "product_removed", "country_not_shipped", "no_warehouse",
                   "region_price", "localized_required", "usd_not_allowed"))
def update_multi_shipping(call: Call) -> V2Result:
    p = dict(call.params)
    for key in ("disabled_countries", "enabled_countries", "wish_express_add_countries",
                "wish_express_remove_countries", "regions_use_country_shipping"):
        if key in p:
            p[key] = CsvList(key).convert(p[key])
    product = rules.resolve(call.conn, call.merchant_id, p)
    _currency(call, p)
    shipping.update_multi_shipping(call.conn, _merchant(call), _wallet(call), product, p, call.now)
    return V2Result({})


@router.op("/product/get-shipping", scope="products:read", summary="Get Shipping Prices of a Product",
           spec=spec(*ID_OR_SKU, Enum("country", "2 letter country code", required=True,
                                      values=tuple(shippable_countries())), either=EITHER),
           errors=("invalid_id", "product_not_found", "missing_either", "country_not_shipped",
                   "uses_product_shipping"))
def get_shipping(call: Call) -> V2Result:
    """Shipping price of a product to one country, per warehouse (DataV2)."""
    product = rules.resolve(call.conn, call.merchant_id, call.params)
    return V2Result(shipping.get_shipping(_merchant(call), _wallet(call), product, call.params["country"]))


@router.op("/product/get-all-shipping", scope="products:read", summary="Get All Shipping Prices of a Product",
           spec=spec(*ID_OR_SKU, either=EITHER),
           errors=("invalid_id", "product_not_found", "missing_either"))
def get_all_shipping(call: Call) -> V2Result:
    """Shipping prices of a product to all countries, enabled and disabled."""
    product = rules.resolve(call.conn, call.merchant_id, call.params)
    return V2Result(shipping.all_shipping(_merchant(call), _wallet(call), product, "localized_shipping_price",
                                          enabled_only=False))


@router.op("/product/get-products-shipping", scope="products:read", summary="Get Shipping Prices of Many Products",
           spec=spec(CsvList("ids", "Product ids separated by ',' (at most 50)", required=True, max_items=50,
                             item=lambda v: Id("ids").convert(v))),
           errors=("invalid_id", "product_not_found", "too_many_ids", "ships_worldwide"))
def get_products_shipping(call: Call) -> V2Result:
    """Shipping prices of up to 50 products to all enabled countries."""
    merchant = _merchant(call)
    if merchant["ships_worldwide"]:
        raise WishError("ships_worldwide")
    ids = list(dict.fromkeys(call.params["ids"]))
    if not ids:  # "ids=," names no product at all
        raise WishError("missing_param", param="ids")
    found = store.products_by_ids(call.conn, call.merchant_id, ids)
    for pid in ids:
        if pid not in found:
            raise WishError("product_not_found", field="id", value=pid)
    wallet = _wallet(call)
    return V2Result([shipping.all_shipping(merchant, wallet, found[pid], "localized_price", enabled_only=True)
                     for pid in ids])


@router.op("/product/get-shipping-setting", scope="products:read", summary="Get Merchant Shipping Settings",
           spec=spec())
def get_shipping_setting(call: Call) -> V2Result:
    """The merchant's shipping settings: a CountryShippingSetting per country shipped to."""
    return V2Result(shipping.settings_view(_merchant(call)))


@router.op("/product/create-download-job", scope="products:read", summary="Start a Batch Product Download",
           spec=spec(When("since", "Products last updated after this date"),
                     Int("limit", "Maximum number of products", low=1, high=10_000_000),
                     Enum("sort", "asc or desc by product id (default desc)", values=("asc", "desc")),
                     Bool("show_rejected", "Include rejected products"), WAREHOUSE),
           errors=("no_warehouse",))
def create_download_job(call: Call) -> V2Result:
    """Begin a CSV export of the products; poll get-download-job-status for its download_link."""
    p = call.params
    warehouse(_merchant(call), p.get("warehouse_name"))
    params = {"since": p["since"].isoformat() if p.get("since") else None, "limit": p.get("limit"),
              "sort": p.get("sort", "desc"), "show_rejected": p.get("show_rejected", False),
              "warehouse_name": p.get("warehouse_name")}
    total = download.count(call.conn, call.merchant_id, params)
    job_id = call.ctx.jobs.create(call.conn, call.merchant_id, download.KIND, params, call.now, total)
    return V2Result({"job_id": job_id})


@router.op("/product/get-download-job-status", scope="products:read",
           summary="Get the Status of Your Batch Product Download", spec=download_jobs.JOB_ID,
           errors=("invalid_id", "job_not_found"))
def get_download_job_status(call: Call) -> V2Result:
    """Progress of a product download; FINISHED answers carry the download_link (valid 72 hours)."""
    return download_jobs.status(call, download.KIND)


@router.op("/product/cancel-download-job", scope="products:read", summary="Cancel Your Batch Product Download",
           spec=download_jobs.JOB_ID, errors=("invalid_id", "job_not_found"))
def cancel_download_job(call: Call) -> V2Result:
    """Cancel a pending or running product download."""
    return download_jobs.cancel(call, download.KIND)
