"""A cached order's JSON follows the fulfilment countdown exactly as a fresh rendering would."""

from __future__ import annotations

from datetime import timedelta

import orjson
from test_order_rules import NOW, order, shipped

from mockwish.merchant.orders import render
from mockwish.merchant.orders.rules import OrderPolicy

POLICY = OrderPolicy()
RENDERED_ONLY = {  # what the rules' test orders lack and the wire shows
    "transaction_id": "5b1c0a7e9d3f2a0012ab3300", "buyer_id": "5a00112233445566778899aa",
    "product_id": "5ae0c0ffee0123456789abcd", "variant_id": "5ae0c0ffee0123456789abce", "product_name": "Spatula",
    "product_image_url": "https://x/y.jpg", "sku": "SPAT", "color": None, "size": None,
    "we_required_delivery_date": None, "is_wish_express": False, "is_combined_order": False, "is_fbw": False,
    "fbw_warehouse_code": None, "fine_ids": [], "refunded_at": None, "refunded_by": None, "refunded_reason": None,
    "refund_amount": None, "merchant_responsible_amount": None}


def fresh(o: dict, at) -> dict:  # noqa: ANN001
    return render.order(o, at, POLICY)


def test_cached_json_moves_with_the_countdown_hour() -> None:
    o = {**order(), **RENDERED_ONLY}
    entry = render.Entry(render.rendered(o, POLICY))
    due = render.rendered(o, POLICY).due
    assert due is not None
    instants = [NOW, due - timedelta(hours=3), due - timedelta(hours=3, seconds=1), due - timedelta(hours=2),
                due - timedelta(seconds=3599), due - timedelta(seconds=1), due, due + timedelta(days=3), NOW]
    for at in instants:
        assert orjson.loads(orjson.dumps(entry.as_json(at))) == fresh(o, at), at


def test_an_order_without_countdown_is_rendered_once() -> None:
    o = {**shipped(), **RENDERED_ONLY}
    entry = render.Entry(render.rendered(o, POLICY))
    first = entry.as_json(NOW)
    made = entry.raw
    entry.as_json(NOW + timedelta(days=30))
    assert entry.raw is made  # the same bytes: not rendered again
    assert "days_to_fulfill" not in orjson.loads(orjson.dumps(first))["Order"]
