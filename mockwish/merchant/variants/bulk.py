"""The variation bulk-update job: inventory and enabled flags for up to 100,000 SKUs, applied when the job
runs (a cancel while RUNNING keeps the share already processed, as the docs warn)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from mockwish.jobs import JobKind, Outcome
from mockwish.merchant.catalogue import store
from mockwish.merchant.catalogue.render import STANDARD

KIND = "variant_bulk_update"
MAX_UPDATES = 100_000
SKU_NOT_FOUND = 29


def _error(update: dict[str, Any]) -> tuple[int, str] | None:
    inv = update.get("inventory")
    if "inventory" in update and (isinstance(inv, bool) or not isinstance(inv, int) or not 0 <= inv <= 500_000):
        return 1000, f"Invalid inventory {inv!r} for SKU '{update.get('sku')}': must be an integer 0 to 500,000."
    if "enabled" in update and not isinstance(update["enabled"], bool):
        return 1000, f"Invalid enabled {update['enabled']!r} for SKU '{update.get('sku')}': must be true or false."
    if "inventory" not in update and "enabled" not in update:
        return 1001, f"Nothing to update for SKU '{update.get('sku')}': send inventory or enabled."
    return None


def work(conn: Connection, job: dict[str, Any], at: datetime, fraction: float) -> Outcome:
    mid = job["merchant_id"]
    updates: list[dict[str, Any]] = job["params"]["updates"]
    wh = job["params"].get("warehouse_name") or STANDARD
    done = updates[: int(len(updates) * fraction)] if fraction < 1.0 else updates
    found = store.variants_by_skus(conn, mid, [str(u.get("sku")) for u in done])
    successes: list[str] = []
    failures: list[dict[str, Any]] = []
    touched: set[str] = set()
    for u in done:
        sku = str(u.get("sku"))
        v = found.get(sku)
        if v is None:
            failures.append({"sku": sku, "error_code": SKU_NOT_FOUND,
                             "error": f"Your store does not have product with SKU '{sku}', "
                                      "therefore no update can be done."})
            continue
        problem = _error(u)
        if problem is not None:
            failures.append({"sku": sku, "error_code": problem[0], "error": problem[1]})
            continue
        values: dict[str, Any] = {"last_updated": at}
        if "inventory" in u:
            stock = {k: dict(s) for k, s in v["stock"].items()}
            stock.setdefault(wh, {"inventory": 0, "shipping": None, "localized_shipping": None})["inventory"] = \
                u["inventory"]
            v["stock"] = values["stock"] = stock
        if "enabled" in u and not (u["enabled"] and v["removed_by_wish"]):
            values["enabled"] = u["enabled"]
        store.update_variant(conn, mid, v["id"], values)
        touched.add(v["product_id"])
        successes.append(sku)
    for pid in touched:
        store.touch_product(conn, mid, pid, at)
    return Outcome(result={"successes": successes, "failures": failures, "started": True},
                   total_count=len(updates))


JOB = JobKind(name=KIND, label="BulkUpdateJob", work=work)
