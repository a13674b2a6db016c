"""The Order object on the wire, as supplement-merchant.md section 3 shows it: {"Order": {...}}, every scalar
a string (money as Python str(float), booleans "True"/"False"), keys that do not apply omitted, fine_ids a
JSON array, ShippingDetail without empty keys."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import orjson

from mockwish.merchant.orders import rules
from mockwish.merchant.orders.rules import REFUNDED, OrderPolicy
from mockwish.store.read_cache import kept_json
from mockwish.wire.format import compact, count, flag, money, ts

Row = dict[str, Any]


def _date(value: datetime | None) -> str | None:
    return None if value is None else value.strftime("%Y-%m-%d")


def escape_name(name: str) -> str:
    """Product names are HTML-entity-escaped on the wire (Women&#39;s), as live payloads show."""
    return html.escape(name, quote=True).replace("&#x27;", "&#39;")


def address(detail: dict[str, Any] | None) -> dict[str, str]:
    return {k: str(detail[k]) for k in rules.ADDRESS_KEYS if detail and detail.get(k)}


@dataclass(frozen=True)
class Rendered:
    """An order rendered once: the body is the same at every instant until the order changes, but for the
    fulfilment countdown of an APPROVED order (`due`), which `at` fills in for the instant asked."""

    body: dict[str, Any]
    due: datetime | None


def order(o: Row, now: datetime, policy: OrderPolicy, *, show_original: bool = False) -> dict[str, Any]:
    return at(rendered(o, policy, show_original=show_original), now)


def at(r: Rendered, now: datetime) -> dict[str, Any]:
    """The {"Order": ...} of a rendered order at `now` (a copy only where the countdown moves)."""
    if r.due is None:
        return r.body
    days, hours = rules.countdown(r.due, now)
    return {"Order": {**r.body["Order"], "days_to_fulfill": str(days), "hours_to_fulfill": str(hours)}}


class Entry:
    """A rendered order as the read cache keeps it: its JSON for the countdown hour it was made at (a page of
    cached orders is then a join of byte strings; the countdown moves once an hour), and, for an order with a
    countdown, the body to fill in again, as JSON too. Bytes only: the garbage collector has nothing to walk
    in tens of thousands of cached orders (nested dicts made every full collection a pause of its own)."""

    __slots__ = ("raw", "fragment", "template", "due", "after", "until")

    def __init__(self, r: Rendered) -> None:
        self.due = r.due
        self.template: bytes | None = kept_json(r.body) if r.due is not None else None
        self.raw = kept_json(r.body) if r.due is None else b""
        self.fragment = orjson.Fragment(self.raw)  # made once: a page hands over a hundred of them
        self.after = self.until = datetime.min  # the instants between which `raw` holds: (after, until]

    @property
    def nbytes(self) -> int:
        """What the read cache's size estimate counts."""
        return len(self.raw) + (len(self.template) if self.template is not None else 0)

    def as_json(self, now: datetime) -> orjson.Fragment:
        if self.due is None or self.after < now <= self.until:
            return self.fragment
        # no await in here: concurrent requests cannot interleave
        self.raw = kept_json(self.body(now))
        self.fragment = orjson.Fragment(self.raw)
        hours = rules.countdown(self.due, now)[1]  # hours_to_fulfill = h while due - now lies in [h, h + 1) hours
        self.after = self.due - timedelta(hours=hours + 1)
        self.until = self.due - timedelta(hours=hours) if hours else datetime.max
        return self.fragment

    def body(self, now: datetime) -> dict[str, Any]:
        """The {"Order": ...} at `now`, as data (for XML answers)."""
        if self.template is None:
            return orjson.loads(self.raw)
        return at(Rendered(orjson.loads(self.template), self.due), now)

def rendered(o: Row, policy: OrderPolicy, *, show_original: bool = False) -> Rendered:
    shipped = o["shipped_at"] is not None
    refunded = o["state"] == REFUNDED
    due = rules.deadline(o, policy)
    approved = due is not None  # the countdown's keys hold their place; `at` fills them
    cd_order = o["requires_delivery_confirmation"]
    body: dict[str, Any] = compact({
        "order_id": o["id"], "transaction_id": o["transaction_id"], "buyer_id": o["buyer_id"],
        "state": o["state"], "order_time": ts(o["order_time"]),
        "released_to_merchant_time": ts(o["released_at"]) if o["state"] != rules.REQUIRE_REVIEW else None,
        "last_updated": ts(o["last_updated"]),
        "product_id": o["product_id"], "variant_id": o["variant_id"],
        "product_name": escape_name(o["product_name"]), "product_image_url": o["product_image_url"],
        "sku": o["sku"], "color": o["color"] or None, "size": o["size"] or None,
        "quantity": count(o["quantity"]), "price": money(o["price"]), "cost": money(o["cost"]),
        "shipping": money(o["shipping"]), "shipping_cost": money(o["shipping_cost"]),
        "order_total": money(rules.order_total(o)), "currency_code": o["currency_code"],
        "pay_customer_vat_required": "False",
        "days_to_fulfill": "" if approved else None,
        "hours_to_fulfill": "" if approved else None,
        "expected_ship_date": ts(due),
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
        # the Confirmed Delivery Policy's own keys: only on the orders it covers (supplement 3.4's SHIPPED
        # example, requires_delivery_confirmation "False", has neither)
        "confirmed_delivery": flag(o["delivery_confirmed"]) if shipped and cd_order else None,
        "date_shipping_carrier_confirmed_delivery":
            ts(o["delivery_confirm_at"]) if shipped and cd_order and o["delivery_confirmed"] else None,
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
        body["fbw_fees"] = [{"FBWFee": {
            "currency": o["currency_code"], "amount": money(amount), "fee_name": fee["fee_name"],
            "fee_type_text": fee["fee_type_text"], "fee_type": fee["fee_type"]}} for fee, amount in rules.fbw_fees(o)]
    body["ShippingDetail"] = address(o["shipping_detail"])
    if show_original and o["original_shipping_detail"]:
        body["OriginalShippingDetail"] = address(o["original_shipping_detail"])
    return Rendered({"Order": body}, due)
