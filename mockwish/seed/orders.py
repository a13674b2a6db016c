"""Seeded orders: every merchant gets orders in every state through the same generator the sandbox API
uses, placed relative to the instant of seeding on the mock's clock (so right after startup APPROVED
orders have days left to fulfil and REQUIRE_REVIEW ones are released an hour later). Only the generated
catalogue is bought from: the products the docs' examples name keep the inventory the docs show."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from mockwish.merchant.orders import store
from mockwish.merchant.orders.generate import generate
from mockwish.merchant.orders.rules import APPROVED, REFUNDED, REQUIRE_REVIEW, SHIPPED, OrderPolicy

# (orders, state, generator options): ~57 orders per merchant covering each state and flavour
PLAN: tuple[tuple[int, str, dict[str, Any]], ...] = (
    (6, REQUIRE_REVIEW, {}),
    (16, APPROVED, {"combined_share": 0.4}),
    (6, APPROVED, {"wish_express_share": 1.0}),
    (2, APPROVED, {"changed_address_share": 1.0}),  # address changed: OriginalShippingDetail kept
    (8, SHIPPED, {"confirmed_share": 1.0}),
    (8, SHIPPED, {"confirmed_share": 0.0, "combined_share": 0.25}),
    (3, SHIPPED, {"fbw_share": 1.0, "confirmed_share": 1.0}),
    (4, REFUNDED, {"refund_after_shipping_share": 0.0}),  # cancelled before shipping
    (4, REFUNDED, {"refund_after_shipping_share": 1.0}),
)


def seed_orders(conn: Connection, *, merchant_id: str, seed: int, now: datetime, policy: OrderPolicy,
                among: Collection[str]) -> int:
    """Insert the PLAN's orders for one merchant, bought from the products `among` that buyers can order
    (deterministic for the seed); answers how many."""
    products, _ = store.orderable_catalogue(conn, merchant_id)
    chosen = [pid for pid in products if pid in among]
    if not chosen:
        return 0
    total = 0
    for k, (count, state, options) in enumerate(PLAN):
        total += len(generate(conn, merchant_id=merchant_id, count=count, now=now, policy=policy,
                              seed=seed * 100 + k, states={state: 1.0}, product_ids=chosen, **options).order_ids)
    return total
