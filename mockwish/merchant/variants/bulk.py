"""The variation bulk-update job: inventory and enabled flags for up to 100,000 SKUs, applied when the job
runs (a cancel while RUNNING keeps the share already processed, as the docs warn).

Each update either succeeds or lands in the failures list with the documented {sku, error_code, error}
shape: 29 for a SKU the store does not have (the docs' example), otherwise the top-level code the same change
gets from /variant/update (1000 invalid value, 1001 nothing to update)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from mockwish.errors import message
from mockwish.jobs import JobKind, Outcome
from mockwish.merchant.catalogue import store
from mockwish.merchant.catalogue.render import STANDARD

KIND = "variant_bulk_update"
MAX_UPDATES = 100_000
SKU_NOT_FOUND = 29
INVENTORY_MAX = 500_000

Row = dict[str, Any]


def _value_error(update: Row) -> tuple[int, str] | None:
    inv = update.get("inventory")
    if "inventory" in update and (isinstance(inv, bool) or not isinstance(inv, int) or not 0 <= inv <= INVENTORY_MAX):
        return 1000, f"Invalid inventory {inv!r} for SKU '{update.get('sku')}': must be an integer 0 to 500,000."
    if "enabled" in update and not isinstance(update["enabled"], bool):
        return 1000, f"Invalid enabled {update['enabled']!r} for SKU '{update.get('sku')}': must be true or false."
    if "inventory" not in update and "enabled" not in update:
        return 1001, f"Nothing to update for SKU '{update.get('sku')}': send inventory or enabled."
    return None


def _failure(sku: str, code: int, error: str) -> Row:
    return {"sku": sku, "error_code": code, "error": error}


def _classify(update: Row, variant: Row | None, products: dict[str, Row]) -> Row | None:
    """The failure entry for one update, or None when it applies."""
    sku = str(update.get("sku"))
    if variant is None:
        return _failure(sku, SKU_NOT_FOUND, f"Your store does not have product with SKU '{sku}', "
                                            "therefore no update can be done.")
    problem = _value_error(update)
    if problem is not None:
        return _failure(sku, *problem)
    product = products.get(variant["product_id"])
    if product is not None and product["removed_by_merchant"]:
        return _failure(sku, 1000, message("product_removed", id=product["id"]))
    if update.get("enabled") is True and variant["removed_by_wish"]:
        return _failure(sku, 1000, message("variant_removed_by_wish", sku=sku))
    return None


def _processed(job: Row, fraction: float) -> list[Row]:
    updates: list[Row] = job["params"]["updates"]
    return updates[: int(len(updates) * fraction)] if fraction < 1.0 else updates


def _checked(conn: Connection, merchant_id: str, updates: list[Row]) -> Iterator[tuple[Row, Row | None, Row | None]]:
    """Each update with its variant and, when it cannot apply, its failure entry (one query for all the
    variants and one for their products)."""
    found = store.variants_by_skus(conn, merchant_id, list(dict.fromkeys(str(u.get("sku")) for u in updates)))
    products = store.products_by_ids(conn, merchant_id, list({v["product_id"] for v in found.values()}))
    for u in updates:
        v = found.get(str(u.get("sku")))
        yield u, v, _classify(u, v, products)


def preview(conn: Connection, merchant_id: str, params: Row, processed: int) -> dict[str, list[Any]]:
    """What the first `processed` updates report while the job is still RUNNING, so that successes plus
    failures always equal processed_count (nothing is written: the updates apply when the job finishes, or
    when it is cancelled)."""
    successes: list[str] = []
    failures: list[Row] = []
    for u, _, failure in _checked(conn, merchant_id, params["updates"][:processed]):
        if failure is None:
            successes.append(str(u.get("sku")))
        else:
            failures.append(failure)
    return {"successes": successes, "failures": failures}


def work(conn: Connection, job: Row, at: datetime, fraction: float) -> Outcome:
    mid = job["merchant_id"]
    updates: list[Row] = job["params"]["updates"]
    wh = job["params"].get("warehouse_name") or STANDARD
    successes: list[str] = []
    failures: list[Row] = []
    touched: set[str] = set()
    for u, v, failure in _checked(conn, mid, _processed(job, fraction)):
        if failure is not None:
            failures.append(failure)
            continue
        assert v is not None
        values: dict[str, Any] = {"last_updated": at}
        if "inventory" in u:
            stock = {k: dict(s) for k, s in v["stock"].items()}
            stock.setdefault(wh, {"inventory": 0, "shipping": None, "localized_shipping": None})["inventory"] = \
                u["inventory"]
            v["stock"] = values["stock"] = stock
        if "enabled" in u:
            v["enabled"] = values["enabled"] = u["enabled"]
        store.update_variant(conn, mid, v["id"], values)
        touched.add(v["product_id"])
        successes.append(str(u.get("sku")))
    for pid in touched:
        store.touch_product(conn, mid, pid, at)
    return Outcome(result={"successes": successes, "failures": failures, "started": True},
                   total_count=len(updates))


JOB = JobKind(name=KIND, label="BulkUpdateJob", work=work)
