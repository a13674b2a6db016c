"""Seeded returns of a merchant: a return warehouse in each validation state (a VALID USER ADDRESS one in the US,
a VALID SUGGESTED ADDRESS one in the EU, one in Mexico still VALIDATING an hour after seeding, an INVALID one in
the US) and two products whose every variation has its dimensions, enrolled in the US, the first one also
disabled in the EU. The docs' merchant's US warehouse is the doc's example (Bentonville, AR) and the doc's
Bottle product is enrolled too."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, func, select

from mockwish.merchant.catalogue import store as catalogue
from mockwish.merchant.returns import generate, rules, store

VALIDATING_FOR = timedelta(hours=1)  # the seeded VALIDATING warehouse: long enough to be seen
VALIDATION = timedelta(minutes=5)  # the validations the seeded valid and invalid warehouses went through
DOC_WAREHOUSE = {  # get-all-warehouses' example response
    "id": "59a024d19fbc5131da8917ed", "city": "Bentonville", "country": "US", "region": "US", "zipcode": "12345",
    "street_address1": "4123 Example Street", "street_address2": None, "email": "example@gmail.com",
    "phone_number": None, "state": "AR", "ship_to": "Example User", "warehouse_name": "Example Warehouse Name",
}
DOC_PRODUCT = "4ef2858a9795c776ce000120"  # the docs' Bottle, whose logistics the doc prints in full


def seed_merchant(conn: Connection, *, merchant_id: str, rng: random.Random, now: datetime, doc: bool) -> None:
    """Insert the merchant's seeded returns (deterministic for rng); `doc`: the docs' merchant."""
    merchant = catalogue.find_merchant(conn, merchant_id)
    assert merchant is not None
    us = (_doc_warehouse(merchant_id, now) if doc else
          generate.warehouse_row(merchant, now=now, rng=rng, region=rules.US, state=rules.VALID_USER,
                                 validation=VALIDATION))
    eu = generate.warehouse_row(merchant, now=now, rng=rng, region=rules.EU, state=rules.VALID_SUGGESTED,
                                validation=VALIDATION)
    mx = generate.warehouse_row(merchant, now=now, rng=rng, region=rules.MX, state=rules.VALIDATING,
                                validation=VALIDATING_FOR)
    bad = generate.warehouse_row(merchant, now=now, rng=rng, region=rules.US, state=rules.INVALID,
                                 validation=VALIDATION)
    store.insert_warehouses(conn, [us, eu, mx, bad])
    picked = _ready_products(conn, merchant_id, rng, 2)
    if doc and DOC_PRODUCT not in picked and _ready(conn, merchant_id, DOC_PRODUCT):
        picked.append(DOC_PRODUCT)
    settings: list[dict[str, Any]] = []
    for i, pid in enumerate(picked):
        enrolled = max(us["validate_at"], now - timedelta(days=rng.uniform(0.5, 20))).replace(microsecond=0)
        settings.append(_setting(merchant_id, pid, rules.US, us["id"], True, enrolled))
        if i == 0:
            settings.append(_setting(merchant_id, pid, rules.EU, eu["id"], False, enrolled))
    store.insert_settings(conn, settings)


def _doc_warehouse(merchant_id: str, now: datetime) -> dict[str, Any]:
    created = (now - timedelta(days=45)).replace(microsecond=0)
    row = {**DOC_WAREHOUSE, "merchant_id": merchant_id, "undeliverable": False, "created_at": created,
           "last_updated": created, "validate_at": created + VALIDATION}
    row["outcome"] = rules.outcome(row)
    assert row["outcome"] == rules.VALID_USER
    return row


def _ready_products(conn: Connection, merchant_id: str, rng: random.Random, count: int) -> list[str]:
    """`count` of the merchant's live products whose every variation has its four dimensions (fewer when the
    catalogue has fewer; the docs' products other than the Bottle have no logistics, so none is picked). Reads
    the four dimensions only: decoding every variation's JSON columns would cost more than the rest of the seed."""
    P, V = catalogue.P, catalogue.V
    dims = [func.json_extract(V.c.logistics, f"$.{k}") for k in rules.DIMENSIONS]
    rows = conn.execute(select(V.c.product_id, V.c.sku, V.c.removed_by_wish, *dims)
                        .join(P, P.c.id == V.c.product_id)
                        .where(V.c.merchant_id == merchant_id, P.c.removed_by_merchant.is_(False),
                               P.c.id != DOC_PRODUCT)
                        .order_by(V.c.product_id, V.c.position))
    variants: dict[str, list[dict[str, Any]]] = {}
    for pid, sku, removed, *values in rows:
        logistics = dict(zip(rules.DIMENSIONS, values, strict=True))
        variants.setdefault(pid, []).append({"sku": sku, "removed_by_wish": removed, "logistics": logistics})
    ready = [pid for pid, found in variants.items() if rules.first_without(found) is None]
    return rng.sample(ready, min(count, len(ready)))


def _ready(conn: Connection, merchant_id: str, product_id: str) -> bool:
    variants = catalogue.variants_of(conn, merchant_id, [product_id])[product_id]
    return bool(variants) and rules.first_without(variants) is None


def _setting(merchant_id: str, product_id: str, region: str, warehouse_id: str, active: bool,
             at: datetime) -> dict[str, Any]:
    return {"merchant_id": merchant_id, "product_id": product_id, "region": region, "warehouse_id": warehouse_id,
            "is_active": active, "updated_at": at}
