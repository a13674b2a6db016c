"""Seeded orders: every merchant gets orders in every state through the same generator the sandbox API
uses, placed relative to the instant of seeding on the mock's clock (so right after startup APPROVED
orders have days left to fulfil and REQUIRE_REVIEW ones are released an hour later). Only the generated
catalogue is bought from: the products the docs' examples name keep the inventory the docs show. The
orders the docs' examples name (fixtures/doc_catalogue.json) are made apart, by seed_doc_orders."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select, update

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


def seed_doc_orders(conn: Connection, *, merchant_id: str, orders: Sequence[Mapping[str, Any]], seed: int,
                    now: datetime, policy: OrderPolicy) -> int:
    """The orders the docs' examples name (the "orders" of fixtures/doc_catalogue.json: id, sku, state,
    country), each placed by the generator like any seeded order (that SKU, a buyer in that country, carried
    to that state) and then given the docs' id. The docs show their products' inventory and number sold as
    they are with these orders placed: what the generator took from the variant and added to the product is
    put back."""
    V, P = store.V, store.P
    for k, spec in enumerate(orders):
        before = conn.execute(select(V.c.id, V.c.product_id, V.c.stock, P.c.num_sold).join(
            P, P.c.id == V.c.product_id).where(V.c.merchant_id == merchant_id, V.c.sku == spec["sku"])).first()
        made = generate(conn, merchant_id=merchant_id, count=1, now=now, policy=policy, seed=seed * 1000 + k,
                        states={spec["state"]: 1.0}, skus=[spec["sku"]], country=spec["country"])
        store.save(conn, made.order_ids[0], {"id": spec["id"]})
        if before is not None:  # (an unknown SKU: generate() has raised)
            conn.execute(update(V).where(V.c.id == before.id).values(stock=before.stock))
            conn.execute(update(P).where(P.c.id == before.product_id).values(num_sold=before.num_sold))
    return len(orders)
