"""Wire layer of /variant/*."""

from __future__ import annotations

from typing import Any

import orjson

from mockwish.errors import WishError
from mockwish.jobs import CANCELLED, FINISHED, PENDING, RUNNING, JobView
from mockwish.merchant import download_jobs
from mockwish.merchant.catalogue import render, store
from mockwish.merchant.catalogue.money import Wallet
from mockwish.merchant.products.routes import CONDITION, LOGISTICS, WAREHOUSE
from mockwish.merchant.variants import bulk, rules
from mockwish.wire.format import ts
from mockwish.wire.spec import Bool, Enum, Id, Int, Json, Num, Str, spec
from mockwish.wire.v2 import Call, V2Result, V2Router

router = V2Router("Product Variation")

SKU = Str("sku", "The unique identifier of the variation", required=True, min_len=1, max_len=255)
STATUS_CODES = {PENDING: 1, RUNNING: 2, CANCELLED: 3, FINISHED: 4}


def _wallet(call: Call) -> Wallet:
    return Wallet(call.principal.payment_currency, call.principal.localized_currency)


def _merchant(call: Call) -> dict[str, Any]:
    return store.merchant_cached(call.conn, call.ctx.read_cache, call.merchant_id)


def _view(call: Call, variant_id_or_row: dict[str, Any], warehouse: str = "STANDARD") -> dict[str, Any]:
    product = store.product_by_id(call.conn, call.merchant_id, variant_id_or_row["product_id"])
    return render.variant(variant_id_or_row, _wallet(call), warehouse, product=product)


def _checked(p: dict[str, Any]) -> dict[str, Any]:
    from mockwish.merchant.catalogue import validate

    if "shipping_time" in p:
        p["shipping_time"] = validate.shipping_time(p["shipping_time"])
    if "main_image" in p:
        p["main_image"] = validate.image_url(p["main_image"])
    return p


PRICES = (
    Num("price", "Price in USD, max 100,000", low=0, high=100_000, low_exclusive=True),
    Num("localized_price", "Price in the merchant's local currency", low=0, high=1e8, low_exclusive=True),
    Str("localized_currency_code", "The merchant's local currency code", max_len=3),
    Num("msrp", "Reference price in USD", low=0, high=100_000),
    Num("localized_msrp", "Reference price in the local currency", low=0, high=1e8),
    Str("shipping_time", "(DEPRECATED) e.g. 5-10", max_len=20),
)


@router.op("/variant/add", scope="products:write", summary="Create a Product Variation",
           spec=spec(Str("parent_sku", "Parent SKU of the product (or a SKU of one of its variations)",
                         required=True, min_len=1, max_len=255),
                     SKU, Str("color", "Color of the variation", max_len=100),
                     Str("size", "Size of the variation (fewer than 50 characters)", max_len=49),
                     Enum("condition", "NEW, USED or REFURBISHED", values=CONDITION),
                     Int("inventory", "Physical quantity, max 500,000", required=True, low=0, high=500_000),
                     *PRICES,
                     Num("shipping", "Shipping price in USD, max 1000", low=0, high=1000),
                     Num("localized_shipping", "Shipping in the local currency", low=0, high=1e6),
                     Str("main_image", "URL of a photo of this variation", max_len=2000),
                     Num("quantity_value", "Total quantity in the product's unit", low=0, high=1e6),
                     *LOGISTICS),
           errors=("product_not_found", "size_or_color", "duplicate_variation", "duplicate_sku",
                   "too_many_variations", "product_removed", "image_url", "currency_mismatch", "out_of_range"))
def add(call: Call) -> V2Result:
    """Add a variation to a product; answers the new Variant."""
    p = _checked(dict(call.params))
    if "main_image" in p:
        p["variant_main_image"] = p.pop("main_image")
    vid = rules.add(call.conn, _merchant(call), _wallet(call), p, call.now)
    variant = store.variant_by_sku(call.conn, call.merchant_id, p["sku"])
    assert variant is not None and variant["id"] == vid
    return V2Result(_view(call, variant))


@router.op("/variant", scope="products:read", summary="Retrieve a Product Variation",
           spec=spec(SKU, WAREHOUSE), errors=("variant_not_found", "no_warehouse"))
def retrieve(call: Call) -> V2Result:
    """The Variant with this SKU."""
    variant = rules.resolve(call.conn, call.merchant_id, call.params["sku"])
    wh = rules.warehouse(_merchant(call), call.params.get("warehouse_name"))
    return V2Result(_view(call, variant, wh))


@router.op("/variant/update", scope="products:write", summary="Update a Product Variation",
           spec=spec(SKU, Int("inventory", "Physical quantity, max 500,000", low=0, high=500_000), *PRICES,
                     Bool("enabled", "True if the variation is for sale"),
                     Str("size", "Size of the variation", max_len=49), Str("color", "Color of the variation",
                                                                           max_len=100),
                     Enum("condition", "NEW, USED or REFURBISHED", values=CONDITION),
                     Num("shipping", "Shipping price in USD, max 1000", low=0, high=1000),
                     Num("localized_shipping", "Shipping in the local currency", low=0, high=1e6),
                     Str("main_image", "URL of a photo of this variation", max_len=2000),
                     Bool("update_product_image", "Also replace the product's main image (default True)"),
                     WAREHOUSE, Num("quantity_value", "Total quantity in the product's unit", low=0, high=1e6),
                     *LOGISTICS),
           errors=("variant_not_found", "product_removed", "no_warehouse", "size_or_color", "duplicate_variation",
                   "variant_removed_by_wish", "image_url", "currency_mismatch", "out_of_range"))
def update(call: Call) -> V2Result:
    """Update the attributes sent; inventory and shipping apply to the named warehouse (STANDARD by default)."""
    p = _checked(dict(call.params))
    variant = rules.resolve(call.conn, call.merchant_id, p["sku"])
    rules.update(call.conn, _merchant(call), _wallet(call), variant, p, call.now)
    return V2Result({})


@router.op("/variant/change-sku", scope="products:write", summary="Change a Product Variation's SKU",
           spec=spec(SKU, Str("new_sku", "The new unique SKU", required=True, min_len=1, max_len=255)),
           errors=("variant_not_found", "duplicate_sku", "product_removed"))
def change_sku(call: Call) -> V2Result:
    variant = rules.resolve(call.conn, call.merchant_id, call.params["sku"])
    rules.change_sku(call.conn, call.merchant_id, variant, call.params["new_sku"], call.now)
    return V2Result({})


@router.op("/variant/enable", scope="products:write", summary="Enable a Product Variation", spec=spec(SKU),
           errors=("variant_not_found", "product_removed", "variant_removed_by_wish"))
def enable(call: Call) -> V2Result:
    variant = rules.resolve(call.conn, call.merchant_id, call.params["sku"])
    rules.set_enabled(call.conn, call.merchant_id, variant, True, call.now)
    return V2Result({})


@router.op("/variant/disable", scope="products:write", summary="Disable a Product Variation", spec=spec(SKU),
           errors=("variant_not_found", "product_removed"))
def disable(call: Call) -> V2Result:
    variant = rules.resolve(call.conn, call.merchant_id, call.params["sku"])
    rules.set_enabled(call.conn, call.merchant_id, variant, False, call.now)
    return V2Result({})


@router.op("/variant/update-inventory", scope="products:write", summary="Update Inventory",
           spec=spec(SKU, Int("inventory", "Physical quantity, max 500,000", required=True, low=0, high=500_000),
                     WAREHOUSE),
           errors=("variant_not_found", "product_removed", "no_warehouse", "out_of_range"))
def update_inventory(call: Call) -> V2Result:
    rules.set_inventory(call.conn, _merchant(call), call.params["sku"], call.params["inventory"],
                        call.params.get("warehouse_name"), call.now)
    return V2Result({})


@router.op("/variant/multi-get", scope="products:read", summary="List all Product Variations",
           spec=spec(Int("start", "Offset into the list", low=0, high=10_000_000),
                     Int("limit", "Number of variations, 1 to 500 (default 50)", low=1, high=500), WAREHOUSE),
           errors=("out_of_range", "no_warehouse"))
def multi_get(call: Call) -> V2Result:
    start, limit = call.params.get("start", 0), call.params.get("limit", 50)
    wh = rules.warehouse(_merchant(call), call.params.get("warehouse_name"))
    rows = store.list_variants(call.conn, call.merchant_id, start=start, limit=limit + 1)
    page = rows[:limit]
    products = store.products_by_ids(call.conn, call.merchant_id, list({r["product_id"] for r in page}))
    wallet = _wallet(call)
    data = [render.variant(r, wallet, wh, product=products.get(r["product_id"])) for r in page]
    return V2Result(data, paging=call.paging(start, limit, len(rows) > limit))


@router.op("/variant/bulk-sku-update", scope="products:write", summary="Bulk Update Product Variations",
           spec=spec(Json("updates", 'JSON array: [{"sku":"aaa","inventory":10},{"sku":"bbb","enabled":false}]',
                          required=True, kind=list), WAREHOUSE),
           errors=("invalid_json", "invalid_param", "bulk_too_large", "no_warehouse"))
def bulk_sku_update(call: Call) -> V2Result:
    """Start a non-blocking bulk update; answers its job_id. The array itself must be well formed (each
    element an object with a string or integer `sku`); a bad inventory or enabled value, or a SKU the store
    does not have, is reported per SKU by get-bulk-update-job-failures."""
    updates = call.params["updates"]
    if not updates:
        raise WishError("invalid_param", value="[]", param="updates")
    if len(updates) > bulk.MAX_UPDATES:
        raise WishError("bulk_too_large", max=bulk.MAX_UPDATES, count=len(updates))
    for u in updates:
        sku = u.get("sku") if isinstance(u, dict) else None
        if isinstance(sku, bool) or not isinstance(sku, str | int):
            raise WishError("invalid_param", value=_short(u), param="updates")
    wh = rules.warehouse(_merchant(call), call.params.get("warehouse_name"))
    clean = [{k: v for k, v in u.items() if k in ("inventory", "enabled")} | {"sku": str(u["sku"])}
             for u in updates]
    job_id = call.ctx.jobs.create(call.conn, call.merchant_id, bulk.KIND,
                                  {"updates": clean, "warehouse_name": wh}, call.now, len(clean))
    return V2Result({"job_id": job_id})


def _short(value: Any) -> str:
    text = orjson.dumps(value).decode()
    return text if len(text) <= 80 else text[:77] + "..."


JOB_ID = Id("job_id", "The id returned by /variant/bulk-sku-update", required=True)


def _job(call: Call) -> JobView:
    return call.ctx.jobs.view(call.conn, call.merchant_id, bulk.KIND, call.params["job_id"], call.now)


def _outcome(call: Call, job: JobView) -> dict[str, list[Any]]:
    """Successes and failures so far: the job's result once it is settled (finished or cancelled), the
    processed share's preview while it runs, nothing while it is pending."""
    if job.result is not None:
        return {"successes": job.result.get("successes", []), "failures": job.result.get("failures", [])}
    if job.state == RUNNING and job.processed_count:
        return bulk.preview(call.conn, call.merchant_id, job.params, job.processed_count)
    return {"successes": [], "failures": []}


@router.op("/variant/get-bulk-update-job-status", scope="products:read",
           summary="Get Job Status of Variation Bulk Updates", spec=spec(JOB_ID),
           errors=("invalid_id", "job_not_found"))
def get_bulk_update_job_status(call: Call) -> V2Result:
    job = _job(call)
    result = _outcome(call, job)
    successes, failures = len(result["successes"]), len(result["failures"])
    processed = successes + failures
    query = {"job_id": job.id}
    data: dict[str, Any] = {
        "id": job.id, "merchant_id": job.merchant_id, "uploader_id": call.merchant_id,
        "status": STATUS_CODES[job.state], "state": job.state,
        "processed_count": processed, "success_count": successes, "failure_count": failures,
        "total_count": job.total_count,
        "results": {"successes": call.api_url("/variant/get-bulk-update-job-successes", query),
                    "failures": call.api_url("/variant/get-bulk-update-job-failures", query)},
    }
    if job.started:
        data["start_time"] = ts(job.start_at)
    if job.state in (FINISHED, CANCELLED):
        data["end_time"] = ts(job.end_at if job.state == FINISHED else job.cancelled_at)
    return V2Result(data)


def _results_page(call: Call, key: str) -> V2Result:
    job = _job(call)
    items = _outcome(call, job)[key]
    start, limit = call.params.get("start", 0), call.params.get("limit", 50)
    return V2Result({"errors" if key == "failures" else key: items[start:start + limit]},
                    paging=call.paging(start, limit, start + limit < len(items)))


PAGE = (Int("start", "Offset into the list", low=0, high=10_000_000),
        Int("limit", "Number of items, 1 to 250 (default 50)", low=1, high=250))


@router.op("/variant/get-bulk-update-job-successes", scope="products:read",
           summary="Get Successfully Updated SKUs from Variation Bulk Updates", spec=spec(JOB_ID, *PAGE),
           errors=("invalid_id", "job_not_found", "out_of_range"))
def get_bulk_update_job_successes(call: Call) -> V2Result:
    return _results_page(call, "successes")


@router.op("/variant/get-bulk-update-job-failures", scope="products:read",
           summary="Get Errors from Variation Bulk Updates", spec=spec(JOB_ID, *PAGE),
           errors=("invalid_id", "job_not_found", "out_of_range"))
def get_bulk_update_job_failures(call: Call) -> V2Result:
    return _results_page(call, "failures")


@router.op("/variant/cancel-bulk-update-job", scope="products:read",
           summary="Cancel Bulk Product Variations Update Job", spec=spec(JOB_ID),
           errors=("invalid_id", "job_not_found"))
def cancel_bulk_update_job(call: Call) -> V2Result:
    """Cancel a bulk update; what was already processed stays applied."""
    return download_jobs.cancel(call, bulk.KIND)
