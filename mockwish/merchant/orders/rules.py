"""The order state machine and its preconditions, without HTTP.

    REQUIRE_REVIEW --(released on the clock)--> APPROVED --fulfill_one--> SHIPPED --modify_tracking--> SHIPPED
    APPROVED / SHIPPED --refund--> REFUNDED
    SHIPPED: tracking_confirmed False --(carrier scan on the clock)--> True
             delivery_confirmed False --(carrier's delivery scan on the clock, tracked parcels only)--> True

Each transition is a function that takes the order row (a dict) and answers the changes to store, or raises
the documented WishError. Every transition moves `last_updated`, which is what multi-get's since/upto read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from mockwish.config import Settings
from mockwish.errors import WishError
from mockwish.merchant.orders import tracking_numbers
from mockwish.reference import (
    carrier_canonical,
    carriers_without_tracking,
    confirmed_delivery_carriers,
    confirmed_delivery_countries,
    currency_rates,
    fbw_fee_schedule,
    iso_countries,
    refund_reason_era,
    refund_reasons,
)

REQUIRE_REVIEW, APPROVED, SHIPPED, REFUNDED = "REQUIRE_REVIEW", "APPROVED", "SHIPPED", "REFUNDED"
STATES = (REQUIRE_REVIEW, APPROVED, SHIPPED, REFUNDED)
MAX_GENERATED = 10_000  # test orders one generation may make (sandbox transactions, `mockwish generate`)
REFUNDED_BY_MERCHANT = "REFUNDED BY MERCHANT"  # the sources never show a merchant refund's text (supplement 2.7)
OTHER_REASON = -1
ADDRESS_KEYS = ("name", "street_address1", "street_address2", "city", "state", "zipcode", "country",
                "phone_number")

Row = dict[str, Any]


@dataclass(frozen=True)
class OrderPolicy:
    """The settings the rules read (one object, built once per app)."""

    commission: float = 0.15
    review: timedelta = timedelta(hours=1)
    fulfill_window: timedelta = timedelta(hours=120)
    tracking_confirm: timedelta = timedelta(days=2)
    delivery_confirm: timedelta = timedelta(days=5)  # after the first scan
    origin_country_required: bool = True
    refund_era: str = "2019"
    confirmed_delivery_min_total: float = 10.0
    tracking_number_check: bool = False  # refuse a number its carrier cannot have issued (tracking_numbers)

    @classmethod
    def from_settings(cls, s: Settings) -> OrderPolicy:
        return cls(commission=s.order_commission, review=timedelta(seconds=s.order_review_seconds),
                   fulfill_window=timedelta(hours=s.order_fulfill_hours),
                   tracking_confirm=timedelta(seconds=s.order_tracking_confirm_seconds),
                   delivery_confirm=timedelta(seconds=s.order_delivery_confirm_seconds),
                   origin_country_required=s.order_origin_country_required, refund_era=s.order_refund_reasons,
                   confirmed_delivery_min_total=s.order_confirmed_delivery_min_total,
                   tracking_number_check=s.order_tracking_number_check)


# ---- money (supplement 3.3) ----------------------------------------------------------------------------

def merchant_share(amount: float, policy: OrderPolicy) -> float:
    """cost = price x (1 - commission); shipping_cost likewise."""
    return round(amount * (1 - policy.commission), 2)


def order_total(order: Row) -> float:
    """What the merchant is paid: quantity x (cost + shipping_cost)."""
    return round(order["quantity"] * (order["cost"] + order["shipping_cost"]), 2)


def buyer_total(order: Row) -> float:
    """What the buyer paid: quantity x (price + shipping); what a full refund gives back."""
    return round(order["quantity"] * (order["price"] + order["shipping"]), 2)


def fbw_fees(order: Row) -> list[tuple[dict[str, Any], float]]:
    """What Wish charges for fulfilling an FBW order from its warehouse: (fee, amount in the order's
    currency) per fee of the schedule, per unit or per order."""
    rate = currency_rates().get(order["currency_code"]) or 1.0
    return [(fee, round(fee["usd"] * rate * (order["quantity"] if fee["per"] == "unit" else 1), 2))
            for fee in fbw_fee_schedule()]


def needs_confirmed_delivery(country: str, buyer_total_usd: float, policy: OrderPolicy) -> bool:
    """The Confirmed Delivery Policy: orders to the listed countries at or above the threshold."""
    return country in confirmed_delivery_countries() and buyer_total_usd >= policy.confirmed_delivery_min_total


# ---- the fulfilment clock ---------------------------------------------------------------------------------

def deadline(order: Row, policy: OrderPolicy) -> datetime | None:
    """When an APPROVED order must be shipped by; None in any other state (no countdown: the keys are
    omitted)."""
    return order["released_at"] + policy.fulfill_window if order["state"] == APPROVED else None


def countdown(due: datetime, now: datetime) -> tuple[int, int]:
    """(days, hours) left to a deadline: whole hours (never negative) and those hours in whole days."""
    hours = max(0, int((due - now).total_seconds() // 3600))
    return hours // 24, hours


# ---- preconditions shared by fulfil and modify-tracking -----------------------------------------------------

def _carrier(provider: str) -> str:
    found = carrier_canonical(provider.strip())
    if found is None:
        raise WishError("carrier_not_accepted")
    return found


def _country(value: str, param: str) -> str:
    code = value.strip().upper()
    if code not in iso_countries():
        raise WishError("invalid_param", value=value, param=param)
    return code


def _tracking(provider: str, number: str | None) -> str | None:
    if number is None or number.strip() == "":
        if provider in carriers_without_tracking():
            return None
        raise WishError("missing_param", param="tracking_number")
    if not (number.isascii() and number.isalnum()):  # alphanumeric, no spaces (supplement 2.5)
        raise WishError("invalid_tracking_number", value=number)
    return number


def _origin(origin: str | None, policy: OrderPolicy) -> str | None:
    if origin is None or origin.strip() == "":
        if policy.origin_country_required:
            raise WishError("missing_param", param="origin_country_code")
        return None
    return _country(origin, "origin_country_code")


def _confirmed_delivery(order: Row, provider: str) -> None:
    if not order["requires_delivery_confirmation"]:
        return
    country = order["shipping_detail"].get("country", "")
    if provider not in confirmed_delivery_carriers(country):
        raise WishError("confirmed_delivery_carrier", id=order["id"], country=country, provider=provider)


def _tracking_changes(order: Row, provider: str, number: str | None, origin: str | None, note: str | None,
                      now: datetime, policy: OrderPolicy) -> Row:
    carrier = _carrier(provider)
    tracking = _tracking(carrier, number)
    if tracking is not None and policy.tracking_number_check:
        tracking_numbers.check(carrier, tracking)
    origin_code = _origin(origin, policy)
    _confirmed_delivery(order, carrier)
    scan = now + policy.tracking_confirm
    changes: Row = {"shipping_provider": carrier, "tracking_number": tracking,
                    "origin_country_code": origin_code or order.get("origin_country_code"),
                    "tracking_confirmed": False, "tracking_confirm_at": scan,
                    # a parcel without a tracking number is never confirmed delivered
                    "delivery_confirmed": False,
                    "delivery_confirm_at": scan + policy.delivery_confirm if tracking is not None else None,
                    "last_updated": now}
    if note is not None:
        changes["ship_note"] = note
    return changes


# ---- transitions --------------------------------------------------------------------------------------------

def fulfill_one(order: Row, *, provider: str, tracking_number: str | None, origin_country_code: str | None,
                ship_note: str | None, now: datetime, policy: OrderPolicy, by_wish: bool = False) -> Row:
    """APPROVED -> SHIPPED (/order/fulfill-one; `by_wish`: Wish ships an FBW order from its warehouse)."""
    state = order["state"]
    if state == SHIPPED:
        raise WishError("order_already_fulfilled", id=order["id"])
    if state == REFUNDED:
        raise WishError("order_already_refunded", id=order["id"])
    if state == REQUIRE_REVIEW:
        raise WishError("order_under_review", id=order["id"])
    if order.get("is_fbw") and not by_wish:  # Wish ships these from its own warehouse
        raise WishError("order_fulfilled_by_wish", id=order["id"])
    changes = _tracking_changes(order, provider, tracking_number, origin_country_code, ship_note, now, policy)
    changes.update(state=SHIPPED, shipped_at=now)
    return changes


def require_shipped(order: Row) -> None:
    """A SHIPPED order (what its tracking and its carrier's scans need)."""
    if order["state"] == REFUNDED:
        raise WishError("order_already_refunded", id=order["id"])
    if order["state"] != SHIPPED:
        raise WishError("order_not_shipped", id=order["id"])


def modify_tracking(order: Row, *, provider: str, tracking_number: str | None, origin_country_code: str | None,
                    ship_note: str | None, now: datetime, policy: OrderPolicy) -> Row:
    """SHIPPED -> SHIPPED with new tracking (/order/modify-tracking); the carrier confirms it again."""
    require_shipped(order)
    changes = _tracking_changes(order, provider, tracking_number, origin_country_code, ship_note, now, policy)
    same_origin = origin_country_code is None or changes["origin_country_code"] == order["origin_country_code"]
    if (changes["shipping_provider"] == order["shipping_provider"]
            and changes["tracking_number"] == order["tracking_number"] and same_origin
            and (ship_note is None or ship_note == order["ship_note"])):
        raise WishError("tracking_unchanged")
    return changes


@dataclass(frozen=True)
class Refund:
    changes: Row
    restock: bool  # the units go back to the variant's inventory (refunded before shipping)


def refund(order: Row, *, reason_code: int, reason_note: str | None, now: datetime, policy: OrderPolicy) -> Refund:
    """APPROVED / SHIPPED -> REFUNDED (/order/refund), with the reason codes of the configured era."""
    state = order["state"]
    if state == REFUNDED:
        raise WishError("order_already_refunded", id=order["id"])
    if state == REQUIRE_REVIEW:
        raise WishError("order_under_review", id=order["id"])
    shipped_codes, unshipped_codes = refund_reason_era(policy.refund_era)
    shipped = state == SHIPPED
    if reason_code not in shipped_codes | unshipped_codes:
        raise WishError("invalid_reason_code", code=reason_code)
    if not shipped and reason_code not in unshipped_codes:
        raise WishError("reason_needs_shipment", code=reason_code, id=order["id"])
    note = (reason_note or "").strip()
    if reason_code == OTHER_REASON and not note:
        raise WishError("missing_param", param="reason_note")
    text = note if reason_code == OTHER_REASON else refund_reasons()[reason_code]
    delivered = order.get("delivery_confirmed")
    changes: Row = {"state": REFUNDED, "refunded_at": now, "refund_reason_code": reason_code,
                    "refunded_reason": text, "refunded_by": REFUNDED_BY_MERCHANT,
                    "refund_amount": buyer_total(order), "merchant_responsible_amount": order_total(order),
                    # what the carrier has not scanned yet never will be
                    "tracking_confirm_at": order["tracking_confirm_at"] if order["tracking_confirmed"] else None,
                    "delivery_confirm_at": order.get("delivery_confirm_at") if delivered else None,
                    "last_updated": now}
    return Refund(changes, restock=not shipped)


def change_shipping(order: Row, *, address: dict[str, str | None], now: datetime, policy: OrderPolicy) -> Row:
    """A new address for an order not shipped yet (/order/change-shipping). The first address is kept as
    OriginalShippingDetail; the Confirmed Delivery requirement follows the new country."""
    if order["state"] == SHIPPED:
        raise WishError("order_already_shipped", id=order["id"])
    if order["state"] == REFUNDED:
        raise WishError("order_already_refunded", id=order["id"])
    old = order["shipping_detail"]
    new: dict[str, str] = {"name": old.get("name", "")}
    for key in ADDRESS_KEYS[1:]:
        value = address.get(key)
        if value is not None and value.strip():
            new[key] = value.strip()
    new["country"] = _country(new.get("country", ""), "country")
    if "phone_number" not in new and old.get("phone_number"):
        new["phone_number"] = old["phone_number"]  # the buyer's phone stays unless a new one is given
    total_usd = buyer_total(order) / (currency_rates().get(order["currency_code"]) or 1.0)
    return {"shipping_detail": {k: new[k] for k in ADDRESS_KEYS if new.get(k)},
            "original_shipping_detail": order["original_shipping_detail"] or old,
            "requires_delivery_confirmation": needs_confirmed_delivery(new["country"], total_usd, policy),
            "last_updated": now}


# ---- the clock ---------------------------------------------------------------------------------------------

def release(order: Row, now: datetime) -> Row | None:
    """REQUIRE_REVIEW -> APPROVED once released_at has passed (the state moves at that instant)."""
    if order["state"] != REQUIRE_REVIEW or order["released_at"] > now:
        return None
    return {"state": APPROVED, "last_updated": max(order["last_updated"], order["released_at"])}


def confirm_tracking(order: Row, now: datetime) -> Row | None:
    """The carrier's first scan: tracking_confirmed becomes True at tracking_confirm_at."""
    at = order["tracking_confirm_at"]
    if order["state"] != SHIPPED or order["tracking_confirmed"] or at is None or at > now:
        return None
    return {"tracking_confirmed": True, "last_updated": max(order["last_updated"], at)}


def confirm_delivery(order: Row, now: datetime) -> Row | None:
    """The carrier's delivery scan: delivery_confirmed becomes True at delivery_confirm_at, after the first
    scan has confirmed the tracking."""
    at = order.get("delivery_confirm_at")
    if (order["state"] != SHIPPED or not order["tracking_confirmed"] or order.get("delivery_confirmed")
            or at is None or at > now):
        return None
    return {"delivery_confirmed": True, "last_updated": max(order["last_updated"], at)}
