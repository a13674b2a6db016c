"""How charges are shown: a payment request and a parcel's entry of get_order_payment, key for key as WP-DOC's
example shows them (strings for amounts and instants, numbers in flat_rate_shipping)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from mockwish.wishpost.payments import rules
from mockwish.wishpost.wire_v3 import beijing


def _lang(locale: str) -> str:
    return "zh" if locale == "zh" else "en"


def _ts(at: datetime | None) -> str | None:
    return beijing(at) if at is not None else None


def payment_request(c: rules.Charge, locale: str) -> dict[str, Any]:
    lang = _lang(locale)
    weight_fee, parcel_fee, discount = c.flat
    return {
        "remark": c.remark_in(lang),
        "type": rules.TYPE_NAMES[lang].get(c.type, c.type),
        "bill_type": None,
        "state": c.state,
        "wishpost_order_type": rules.ORDER_TYPE[lang],
        "prid": c.prid,
        "currency": rules.CURRENCY[lang],
        "amount": f"{c.amount:.2f}",
        "fee_type": c.fee_type,
        "charge_complete_ts": _ts(c.completed_at),
        "flat_rate_shipping": {"actual_weight_fee": round(weight_fee, 2), "actual_parcel_fee": round(parcel_fee, 2),
                               "actual_discount": round(discount, 2)},
    }


def parcel_entry(tracking_id: str, p: dict[str, Any], charges: list[rules.Charge], now: datetime,
                 locale: str) -> dict[str, Any]:
    """One id of get_order_payment: `created_time` is its first payment request's (null before there is one),
    `ready_payment_ts` when the parcel became payable (its acceptance; null if it never was)."""
    return {
        "created_time": _ts(charges[0].created_at) if charges else None,
        "tracking_id": tracking_id,
        "ready_payment_ts": _ts(rules.ready_payment(p, now)),
        "payment_requests": [payment_request(c, locale) for c in charges],
    }
