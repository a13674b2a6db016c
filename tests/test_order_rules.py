"""The order state machine without HTTP: every transition and precondition of orders.rules."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from mockwish.errors import WishError
from mockwish.merchant.orders import render, rules
from mockwish.merchant.orders.rules import APPROVED, REFUNDED, REQUIRE_REVIEW, SHIPPED, OrderPolicy

NOW = datetime(2026, 3, 1, 12, 0, 0)
POLICY = OrderPolicy()
OID = "5b1c0a7e9d3f2a0012ab3400"


def order(**over: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": OID, "state": APPROVED, "quantity": 2, "price": 4.0, "shipping": 2.0, "cost": 3.4,
        "shipping_cost": 1.7, "currency_code": "USD", "order_time": NOW - timedelta(hours=3),
        "released_at": NOW - timedelta(hours=2), "last_updated": NOW - timedelta(hours=2),
        "requires_delivery_confirmation": False, "shipping_provider": None, "tracking_number": None,
        "origin_country_code": None, "ship_note": None, "shipped_at": None, "tracking_confirm_at": None,
        "tracking_confirmed": False, "delivery_confirm_at": None, "delivery_confirmed": False,
        "original_shipping_detail": None,
        "shipping_detail": {"name": "A. Buyer", "street_address1": "Hauptstr. 5", "city": "Bamberg",
                            "zipcode": "96047", "country": "DE", "phone_number": "0900000000"},
    }
    base.update(over)
    return base


def shipped(**over: Any) -> dict[str, Any]:
    o = order(state=SHIPPED, shipping_provider="YunExpress", tracking_number="YT1900000000001",
              origin_country_code="CN", shipped_at=NOW - timedelta(hours=1),
              tracking_confirm_at=NOW + timedelta(days=1), delivery_confirm_at=NOW + timedelta(days=6))
    o.update(over)
    return o


def fulfil(o: dict[str, Any], policy: OrderPolicy = POLICY, **over: Any) -> dict[str, Any]:
    args: dict[str, Any] = {"provider": "USPS", "tracking_number": "9400100000000000000000",
                            "origin_country_code": "CN", "ship_note": None, "now": NOW, "policy": policy}
    args.update(over)
    return rules.fulfill_one(o, **args)


def error_of(fn: Any, *args: Any, **kwargs: Any) -> WishError:
    with pytest.raises(WishError) as info:
        fn(*args, **kwargs)
    return info.value


# ---- money ----------------------------------------------------------------------------------------------

def test_money_relations() -> None:
    assert rules.merchant_share(8.0, POLICY) == 6.8
    assert rules.merchant_share(1.0, OrderPolicy(commission=0.1)) == 0.9
    o = order(quantity=2, cost=6.8, shipping_cost=2.0, price=8.0, shipping=2.35)
    assert rules.order_total(o) == 17.6  # the CS example: 2 x (6.8 + 2)
    assert rules.buyer_total(o) == 20.7


def test_product_names_are_html_escaped() -> None:
    assert render.escape_name("Women's <Shoes> & more") == "Women&#39;s &lt;Shoes&gt; &amp; more"


def test_confirmed_delivery_needs_country_and_threshold() -> None:
    assert rules.needs_confirmed_delivery("US", 10.0, POLICY)
    assert not rules.needs_confirmed_delivery("US", 9.99, POLICY)
    assert not rules.needs_confirmed_delivery("JP", 100.0, POLICY)


# ---- fulfil ------------------------------------------------------------------------------------------------

def test_fulfill_ships_an_approved_order() -> None:
    changes = fulfil(order(), ship_note="left at door", provider="usps")
    assert changes["state"] == SHIPPED and changes["shipped_at"] == NOW and changes["last_updated"] == NOW
    assert changes["shipping_provider"] == "USPS"  # canonical spelling of an accepted carrier
    assert changes["tracking_confirmed"] is False
    assert changes["tracking_confirm_at"] == NOW + POLICY.tracking_confirm
    assert changes["origin_country_code"] == "CN" and changes["ship_note"] == "left at door"


@pytest.mark.parametrize(("state", "key"), [(SHIPPED, "order_already_fulfilled"),
                                            (REFUNDED, "order_already_refunded"),
                                            (REQUIRE_REVIEW, "order_under_review")])
def test_fulfill_needs_an_approved_order(state: str, key: str) -> None:
    err = error_of(fulfil, order(state=state))
    assert err.definition.key == key
    if key == "order_already_fulfilled":
        assert (err.code, err.status, err.data()) == (1002, 400, {})


def test_unknown_carrier() -> None:
    err = error_of(fulfil, order(), provider="PigeonPost")
    assert (err.code, err.data(), err.message()) == (1000, 2003,
                                                      "Tracking provider is not one of the accepted providers on Wish")


def test_origin_country_is_required_by_default_and_checked() -> None:
    err = error_of(fulfil, order(), origin_country_code=None)
    assert (err.code, err.data(), err.message()) == (1001, "origin_country_code",
                                                      "Required Param 'origin_country_code' Missing")
    relaxed = OrderPolicy(origin_country_required=False)
    assert fulfil(order(), relaxed, origin_country_code=None)["state"] == SHIPPED
    err = error_of(fulfil, order(), origin_country_code="XX")
    assert err.code == 1000 and err.message() == "XX is an invalid origin_country_code"


def test_tracking_number_rules() -> None:
    err = error_of(fulfil, order(), tracking_number="UG 0000 YW")
    assert err.code == 1000 and "letters and digits only" in err.message()
    for bad in ("１２３", "<script>", "AB-12"):
        assert error_of(fulfil, order(), tracking_number=bad).definition.key == "invalid_tracking_number"
    err = error_of(fulfil, order(), tracking_number=None)
    assert (err.code, err.data()) == (1001, "tracking_number")


def test_confirmed_delivery_order_needs_a_confirmed_delivery_carrier() -> None:
    us = order(requires_delivery_confirmation=True,
               shipping_detail={"name": "B", "street_address1": "1 Main", "city": "X", "zipcode": "1", "country": "US"})
    err = error_of(fulfil, us, provider="YunExpress")
    assert err.definition.key == "confirmed_delivery_carrier" and err.code == 1000 and "US" in err.message()
    assert fulfil(us, provider="USPS")["state"] == SHIPPED


# ---- modify tracking ------------------------------------------------------------------------------------

def test_modify_tracking_of_a_shipped_order() -> None:
    changes = rules.modify_tracking(shipped(tracking_confirmed=True), provider="USPS", tracking_number="NEW123",
                                    origin_country_code="CN", ship_note=None, now=NOW, policy=POLICY)
    assert changes["tracking_number"] == "NEW123" and changes["shipping_provider"] == "USPS"
    assert changes["tracking_confirmed"] is False and changes["last_updated"] == NOW
    assert "state" not in changes


def test_modify_tracking_needs_a_shipped_order_and_a_change() -> None:
    args = {"provider": "YunExpress", "tracking_number": "YT1900000000001", "origin_country_code": "CN",
            "ship_note": None, "now": NOW, "policy": POLICY}
    assert error_of(rules.modify_tracking, order(), **args).definition.key == "order_not_shipped"
    assert error_of(rules.modify_tracking, order(state=REFUNDED), **args).definition.key == "order_already_refunded"
    err = error_of(rules.modify_tracking, shipped(), **args)
    assert (err.code, err.message()) == (1014, "Tracking information is unchanged")


# ---- refund ------------------------------------------------------------------------------------------------

def test_refund_before_shipping_restocks() -> None:
    out = rules.refund(order(), reason_code=1, reason_note=None, now=NOW, policy=POLICY)
    assert out.restock is True
    c = out.changes
    assert c["state"] == REFUNDED and c["refunded_at"] == NOW and c["last_updated"] == NOW
    assert c["refunded_by"] == "REFUNDED BY MERCHANT" and c["refunded_reason"] == "Store is unable to fulfill order"
    assert c["refund_amount"] == 12.0 and c["merchant_responsible_amount"] == 10.2


def test_refund_after_shipping_keeps_stock() -> None:
    out = rules.refund(shipped(), reason_code=25, reason_note=None, now=NOW, policy=POLICY)
    assert out.restock is False and out.changes["refunded_reason"] == "Item is damaged"


def test_refund_reason_codes_of_the_2019_rules() -> None:
    err = error_of(rules.refund, order(), reason_code=20, reason_note=None, now=NOW, policy=POLICY)
    assert (err.code, err.message(), err.data()) == (1000, "Invalid reason_code 20", {})
    err = error_of(rules.refund, order(), reason_code=32, reason_note=None, now=NOW, policy=POLICY)
    assert err.definition.key == "reason_needs_shipment"


def test_refund_reason_codes_of_the_2017_rules() -> None:
    old = OrderPolicy(refund_era="2017")
    assert rules.refund(shipped(), reason_code=20, reason_note=None, now=NOW, policy=old).changes[
        "refunded_reason"] == "Shipping is taking too long"
    err = error_of(rules.refund, order(), reason_code=-1, reason_note=" ", now=NOW, policy=old)
    assert (err.code, err.data()) == (1001, "reason_note")
    c = rules.refund(order(), reason_code=-1, reason_note="buyer moved", now=NOW, policy=old).changes
    assert c["refunded_reason"] == "buyer moved"


@pytest.mark.parametrize(("state", "key"), [(REFUNDED, "order_already_refunded"),
                                            (REQUIRE_REVIEW, "order_under_review")])
def test_refund_preconditions(state: str, key: str) -> None:
    err = error_of(rules.refund, order(state=state), reason_code=1, reason_note=None, now=NOW, policy=POLICY)
    assert err.definition.key == key and err.code == 1000


# ---- change shipping ----------------------------------------------------------------------------------------

ADDRESS = {"street_address1": "1 Rue de Rivoli", "street_address2": None, "city": "Paris", "state": None,
           "zipcode": "75001", "country": "fr", "phone_number": None}


def test_change_shipping_keeps_the_original_once() -> None:
    o = order()
    c = rules.change_shipping(o, address=ADDRESS, now=NOW, policy=POLICY)
    assert c["shipping_detail"] == {"name": "A. Buyer", "street_address1": "1 Rue de Rivoli", "city": "Paris",
                                    "zipcode": "75001", "country": "FR", "phone_number": "0900000000"}
    assert c["original_shipping_detail"] == o["shipping_detail"] and c["last_updated"] == NOW
    assert c["requires_delivery_confirmation"] is True  # FR at 12.0 USD
    again = rules.change_shipping({**o, **c}, address={**ADDRESS, "city": "Lyon"}, now=NOW, policy=POLICY)
    assert again["original_shipping_detail"] == o["shipping_detail"]


def test_change_shipping_preconditions() -> None:
    assert error_of(rules.change_shipping, shipped(), address=ADDRESS, now=NOW,
                    policy=POLICY).definition.key == "order_already_shipped"
    assert error_of(rules.change_shipping, order(state=REFUNDED), address=ADDRESS, now=NOW,
                    policy=POLICY).definition.key == "order_already_refunded"
    err = error_of(rules.change_shipping, order(), address={**ADDRESS, "country": "ZZ"}, now=NOW, policy=POLICY)
    assert err.message() == "ZZ is an invalid country"


# ---- the clock ------------------------------------------------------------------------------------------------

def test_release_after_review() -> None:
    o = order(state=REQUIRE_REVIEW, released_at=NOW + timedelta(minutes=30), last_updated=NOW - timedelta(hours=1))
    assert rules.release(o, NOW) is None
    assert rules.release(o, NOW + timedelta(hours=1)) == {"state": APPROVED, "last_updated": o["released_at"]}
    assert rules.release(order(), NOW) is None


def test_carrier_confirms_tracking() -> None:
    o = shipped()
    assert rules.confirm_tracking(o, NOW) is None
    later = NOW + timedelta(days=2)
    assert rules.confirm_tracking(o, later) == {"tracking_confirmed": True, "last_updated": o["tracking_confirm_at"]}
    assert rules.confirm_tracking(shipped(tracking_confirmed=True), later) is None


def test_carrier_confirms_delivery_after_the_scan() -> None:
    o = shipped()
    at = o["delivery_confirm_at"]
    assert rules.confirm_delivery(o, at + timedelta(days=1)) is None  # the first scan is not in yet
    scanned = {**o, "tracking_confirmed": True}
    assert rules.confirm_delivery(scanned, at - timedelta(seconds=1)) is None
    assert rules.confirm_delivery(scanned, at + timedelta(days=1)) == {"delivery_confirmed": True, "last_updated": at}
    assert rules.confirm_delivery({**scanned, "delivery_confirmed": True}, at + timedelta(days=1)) is None
    assert rules.confirm_delivery({**scanned, "state": REFUNDED}, at + timedelta(days=1)) is None


def test_shipping_schedules_both_scans_and_new_tracking_starts_them_again() -> None:
    changes = fulfil(order())
    assert changes["delivery_confirm_at"] == NOW + POLICY.tracking_confirm + POLICY.delivery_confirm
    assert changes["delivery_confirmed"] is False
    delivered = shipped(tracking_confirmed=True, delivery_confirmed=True)
    again = rules.modify_tracking(delivered, provider="USPS", tracking_number="9400100000000000000001",
                                  origin_country_code="CN", ship_note=None, now=NOW, policy=POLICY)
    assert (again["tracking_confirmed"], again["delivery_confirmed"]) == (False, False)
    assert again["delivery_confirm_at"] == again["tracking_confirm_at"] + POLICY.delivery_confirm


def test_a_refund_cancels_the_scans_still_ahead() -> None:
    pending = rules.refund(shipped(tracking_confirmed=True), reason_code=32, reason_note=None, now=NOW,
                           policy=POLICY).changes
    assert pending["delivery_confirm_at"] is None and pending["tracking_confirm_at"] is not None
    done = shipped(tracking_confirmed=True, delivery_confirmed=True)
    kept = rules.refund(done, reason_code=32, reason_note=None, now=NOW, policy=POLICY).changes
    assert kept["delivery_confirm_at"] == done["delivery_confirm_at"]


def test_time_to_fulfill_counts_down() -> None:
    o = order(released_at=NOW - timedelta(hours=71, minutes=30))  # 120 h window: 48.5 h left
    due = rules.deadline(o, POLICY)
    assert due is not None and rules.countdown(due, NOW) == (2, 48)
    assert rules.countdown(due, NOW + timedelta(days=10)) == (0, 0)
    assert rules.deadline(shipped(), POLICY) is None


def test_wish_fulfils_its_own_fbw_orders() -> None:
    err = error_of(fulfil, order(is_fbw=True))
    assert (err.definition.key, err.code, err.status) == ("order_fulfilled_by_wish", 1000, 400)


def test_fbw_fees_per_unit_and_per_order_in_the_orders_currency() -> None:
    fees = {fee["fee_type"]: amount for fee, amount in rules.fbw_fees(order(quantity=3))}
    assert fees == {"1": 4.5, "2": 0.3}
    local = {fee["fee_type"]: amount for fee, amount in rules.fbw_fees(order(quantity=2, currency_code="CNY"))}
    assert local == {"1": 18.0, "2": 1.8}
