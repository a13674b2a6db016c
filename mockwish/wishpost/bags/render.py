"""How a bag is shown: the orders_bag query object (WP-DOC's example, key for key), the query's message, a
cancel failure, and what its label prints."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from mockwish.errors import message
from mockwish.wishpost import reference
from mockwish.wishpost.bags import rules
from mockwish.wishpost.labels import BagLabel
from mockwish.wishpost.parcels import rules as parcel_rules
from mockwish.wishpost.wire_v3 import beijing

SUCCESSFUL = "successful"  # create's and cancel's success message (WP-DOC)
# the query's message: WP-DOC prints "All success" (in English beside a Chinese state_name); the mock adds
# what was not found, as order_status does ("Some orders are not found. "), in the caller's language
ALL_SUCCESS = "All success"
BAGS_NOT_FOUND = {"en": "Some bags are not found.", "zh": "部分袋未找到。"}
CODES_NOT_BAGGED = {"en": "Some logistics orders are not in any bag.", "zh": "部分物流订单不在任何袋中。"}
CANCEL_FAIL_CODE = 0  # WP-DOC's two failed_bags examples both carry fail_code 0


def bag_object(bag: dict[str, Any], parcels: list[dict[str, Any]], now: datetime, locale: str) -> dict[str, Any]:
    """One bag as orders_bag lists it: {logistics_order_codes, state, bag_number, state_name}."""
    state = rules.view(bag, parcel_states(parcels, now), now)
    return {"logistics_order_codes": [p["logistics_order_code"] for p in parcels], "state": state,
            "bag_number": bag["bag_number"], "state_name": rules.state_name(state, locale)}


def parcel_states(parcels: list[dict[str, Any]], now: datetime) -> list[int]:
    return [parcel_rules.view(p, now).state for p in parcels]


def query_message(bags_missing: bool, codes_missing: bool, locale: str) -> str:
    parts = ([BAGS_NOT_FOUND[locale]] if bags_missing else []) + ([CODES_NOT_BAGGED[locale]] if codes_missing
                                                                  else [])
    return " ".join(parts) or ALL_SUCCESS


def failed_codes(groups: dict[str, list[str]], locale: str) -> dict[str, list[str]]:
    """{reason key: [codes]} -> WP-DOC's failed_logistics_orders: {message: [codes]}."""
    return {message(key, locale): codes for key, codes in groups.items()}


def cancel_failure(bag_number: str, key: str, locale: str) -> dict[str, Any]:
    """One failed_bags entry, WP-DOC's keys in its order."""
    return {"fail_code": CANCEL_FAIL_CODE, "fail_message": message(key, locale), "bag_number": bag_number}


def label_data(bag: dict[str, Any], parcels: list[dict[str, Any]], owner: str) -> BagLabel:
    hub = reference.hub_warehouses().get(bag["hub_warehouse_code"])
    weight = sum(parcel_rules.goods_totals(p["items"])[0] for p in parcels)
    return BagLabel(
        bag_number=bag["bag_number"], hub_warehouse_code=bag["hub_warehouse_code"],
        hub_warehouse_name=hub.name_cn if hub else "", hub_warehouse_name_en=hub.name_en if hub else "",
        pickup_service=bag["pickup_service"],
        pickup_service_name=reference.hub_pickup_services().get(bag["pickup_service"], ""),
        parcel_count=len(parcels), weight_kg=round(weight, 3), user_name=owner, created=beijing(bag["created_at"]))
