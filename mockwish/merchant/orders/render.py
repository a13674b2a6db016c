"""The Order object on the wire, as supplement-merchant.md section 3 shows it: {"Order": {...}}, every scalar
a string (money as Python str(float), booleans "True"/"False"), keys that do not apply omitted, fine_ids a
JSON array, ShippingDetail without empty keys."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from mockwish.merchant.orders import rules
from mockwish.merchant.orders.rules import APPROVED, REFUNDED, OrderPolicy
from mockwish.wire.format import compact, count, flag, money, ts

Row = dict[str, Any]


def _date(value: datetime | None) -> str | None:
    return None if value is None else value.strftime("%Y-%m-%d")


def address(detail: dict[str, Any] | None) -> dict[str, str]:
    return {k: str(detail[k]) for k in rules.ADDRESS_KEYS if detail and detail.get(k)}


def order(o: Row, now: datetime, policy: OrderPolicy, *, show_original: bool = False) -> dict[str, Any]:
    shipped = o["shipped_at"] is not None
    refunded = o["state"] == REFUNDED
    to_fulfill = rules.time_to_fulfill(o, now, policy)
    body: dict[str, Any] = compact({
        "order_id": o["id"], "transaction_id": o["transaction_id"], "buyer_id": o["buyer_id"],
        "state": o["state"], "order_time": ts(o["order_time"]),
        "released_to_merchant_time": ts(o["released_at"]) if o["state"] != rules.REQUIRE_REVIEW else None,
        "last_updated": ts(o["last_updated"]),
        "product_id": o["product_id"], "variant_id": o["variant_id"],
        "product_name": rules.escape_name(o["product_name"]), "product_image_url": o["product_image_url"],
        "sku": o["sku"], "color": o["color"] or None, "size": o["size"] or None,
        "quantity": count(o["quantity"]), "price": money(o["price"]), "cost": money(o["cost"]),
        "shipping": money(o["shipping"]), "shipping_cost": money(o["shipping_cost"]),
        "order_total": money(rules.order_total(o)), "currency_code": o["currency_code"],
        "pay_customer_vat_required": "False",
        "days_to_fulfill": str(to_fulfill[0]) if to_fulfill else None,
        "hours_to_fulfill": str(to_fulfill[1]) if to_fulfill else None,
        "expected_ship_date": ts(rules.deadline(o, policy)) if o["state"] == APPROVED else None,
        "requires_delivery_confirmation": flag(o["requires_delivery_confirmation"]),
        "is_wish_express": flag(o["is_wish_express"]),
        "we_required_delivery_date": ts(o["we_required_delivery_date"]) if o["is_wish_express"] else None,
        "is_combined_order": flag(o["is_combined_order"]),
        "shipping_provider": o["shipping_provider"] if shipped else None,
        "tracking_number": o["tracking_number"] if shipped else None,
        "shipped_date": _date(o["shipped_at"]),
        "ship_note": o["ship_note"] or None,
        "tracking_confirmed": flag(o["tracking_confirmed"]) if shipped else None,
        "tracking_confirmed_date": ts(o["tracking_confirm_at"]) if shipped and o["tracking_confirmed"] else None,
        "refunded_by": o["refunded_by"] if refunded else None,
        "refunded_reason": o["refunded_reason"] if refunded else None,
        "refunded_time": _date(o["refunded_at"]) if refunded else None,
    })
    body["fine_ids"] = list(o["fine_ids"])
    if refunded and o["refund_amount"] is not None:
        body["refunds"] = [{"RefundsInfo": {
            "refund_time": ts(o["refunded_at"]), "refund_amount": money(o["refund_amount"]),
            "merchant_responsible_amount": money(o["merchant_responsible_amount"]),
            "refund_reason": o["refunded_reason"], "currency_code": o["currency_code"]}}]
    if o["is_fbw"]:
        body["is_fbw"] = "True"
        if o["fbw_warehouse_code"]:
            body["fbw_warehouse_code"] = o["fbw_warehouse_code"]
    body["ShippingDetail"] = address(o["shipping_detail"])
    if show_original and o["original_shipping_detail"]:
        body["OriginalShippingDetail"] = address(o["original_shipping_detail"])
    return {"Order": body}
