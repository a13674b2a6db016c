"""Wire layer of the Warehouse endpoint: /warehouse/get-all. The doc names no scope for it; the mock asks for
merchant:read (the v3 API keeps warehouses under the merchant's own resource)."""

from __future__ import annotations

from typing import Any

from mockwish.merchant.catalogue.store import merchant_cached
from mockwish.merchant.warehouses import rules
from mockwish.wire.spec import spec
from mockwish.wire.v2 import Call, V2Result, V2Router

router = V2Router("Warehouse")


def render(w: rules.Warehouse) -> dict[str, Any]:
    """{"MerchantWarehouse": {...}}: destination_countries only on a Wish Express warehouse, as documented."""
    body: dict[str, Any] = {"warehouse_type_name": w.type_name}
    if w.destination_countries:
        body["destination_countries"] = list(w.destination_countries)
    body |= {"warehouse_type": w.type, "id": w.id, "warehouse_unit_id": w.unit_id}
    return {"MerchantWarehouse": body}


@router.op("/warehouse/get-all", scope="merchant:read", summary="Get all Warehouses", spec=spec())
def get_all(call: Call) -> V2Result:
    """Every warehouse of the merchant: its Wish Express warehouses, then STANDARD."""
    merchant = merchant_cached(call.conn, call.ctx.read_cache, call.merchant_id)
    return V2Result([render(w) for w in rules.warehouses(merchant)])
