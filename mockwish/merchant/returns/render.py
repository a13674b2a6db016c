"""Wire shapes of the Wish Returns Program, as the doc's examples print them: {"MerchantReturnWarehouse": {...}},
{"ProductReturnSetting": {...}} with is_active "True"/"False", {"ProductVariationLogistics": {...}} with every
number a string ("3.0"); keys that do not apply (a warehouse's unset phone number) are left out."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from mockwish.merchant.returns import rules
from mockwish.wire.format import compact, flag, money


def warehouse(row: dict[str, Any], now: datetime) -> dict[str, Any]:
    """A return warehouse as of `now`, in the doc's key order (street_address2 and phone_number when set)."""
    shown = rules.shown_address(row, now)
    return {"MerchantReturnWarehouse": compact({
        "city": shown["city"], "country": shown["country"], "region": shown["region"],
        "zipcode": shown["zipcode"], "street_address1": shown["street_address1"],
        "street_address2": shown["street_address2"] or None, "email": shown["email"] or None,
        "phone_number": shown["phone_number"] or None, "state": shown["state"], "ship_to": shown["ship_to"],
        "warehouse_name": shown["warehouse_name"], "id": shown["id"],
        "address_valid_state": rules.address_state(row, now),
    })}


def created(row: dict[str, Any]) -> dict[str, Any]:
    """create-return-warehouse answers the new warehouse's id only."""
    return {"MerchantReturnWarehouse": {"id": row["id"]}}


def setting(row: dict[str, Any]) -> dict[str, Any]:
    return {"ProductReturnSetting": {"region": row["region"], "is_active": flag(bool(row["is_active"])),
                                     "warehouse_id": row["warehouse_id"]}}


def dimensions(product_id: str, variation_id: str, dims: dict[str, float]) -> dict[str, Any]:
    """The doc's key order; `variation_id` is "" for a product's own dimensions."""
    return {"ProductVariationLogistics": {
        "width": money(dims["width"]), "length": money(dims["length"]), "id": product_id,
        "weight": money(dims["weight"]), "variation_id": variation_id, "height": money(dims["height"])}}
