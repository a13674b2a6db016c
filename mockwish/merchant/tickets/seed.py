"""Seeded tickets of a merchant: ~24 on its seeded orders and products, in every state, closed by each of the
four closers, of the three ticket types, each on a transaction of its own. The docs' merchant also gets the
tickets its examples name (123456789009876543210164, and 098765432112345678901234 on the order of that id),
both awaiting its response, and a backlog of tickets awaiting it, so that get-action-required's example
(start=20, limit=2) answers a full page with a next link."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from mockwish.ids import seeded_id
from mockwish.merchant.catalogue import store as catalogue_store
from mockwish.merchant.tickets import labels, store
from mockwish.merchant.tickets.generate import Opening, build, buyer_of, shopper, since
from mockwish.merchant.tickets.labels import Label

Row = dict[str, Any]

# (ticket type, story, how many)
PLAN: tuple[tuple[str, str, int], ...] = (
    (labels.POST_PURCHASE, "awaiting_merchant", 4),
    (labels.POST_PURCHASE, "answered_back", 2),
    (labels.POST_PURCHASE, "awaiting_buyer", 3),
    (labels.POST_PURCHASE, "awaiting_wish", 2),
    (labels.POST_PURCHASE, "awaiting_store", 2),
    (labels.POST_PURCHASE, "closed_by_user", 1),
    (labels.POST_PURCHASE, "closed_by_merchant", 2),
    (labels.POST_PURCHASE, "closed_by_wish_support", 1),
    (labels.POST_PURCHASE, "closed_by_wish_automated_support", 1),
    (labels.CUSTOMER_SUPPORT, "awaiting_merchant", 2),
    (labels.CUSTOMER_SUPPORT, "awaiting_buyer", 1),
    (labels.PRE_PURCHASE, "awaiting_merchant", 2),
    (labels.PRE_PURCHASE, "closed_by_merchant", 1),
)
DOC_TICKET = "123456789009876543210164"  # "Retrieve a Ticket"
DOC_ORDER_TICKET = "098765432112345678901234"  # reply, close, appeal, re-open
DOC_ORDER = "098765432112345678901234"  # fixtures/doc_catalogue.json: the order of blue-shoe-11
DOC_BACKLOG = 14  # with the plan's 8 and the 2 above: 24 post-purchase tickets awaiting the docs' merchant
DOC_OPENING = Opening("Where is my product?", "Where is my product?", "哪里是我的产品?")  # the example's reply


class _Seeder:
    def __init__(self, conn: Connection, merchant_id: str, rng: random.Random, now: datetime) -> None:
        self.merchant_id, self.rng, self.now = merchant_id, rng, now
        self.store_name = catalogue_store.merchant(conn, merchant_id)["name"]
        by_tx: dict[str, list[Row]] = {}
        for order in store.orders(conn, merchant_id):
            by_tx.setdefault(order["transaction_id"], []).append(order)
        self.transactions = by_tx
        self.free = list(by_tx)
        rng.shuffle(self.free)
        self.products = store.listed_products(conn, merchant_id)
        self.tickets: list[Row] = []
        self.replies: list[Row] = []

    def _add(self, *, label: Label, buyer: dict[str, str], orders: Sequence[Row], product_ids: Sequence[str],
             base: datetime, story: str, ticket_id: str | None = None, opening: Opening | None = None,
             photo: bool | None = None) -> None:
        ticket, replies = build(ticket_id=ticket_id or seeded_id(self.rng), merchant_id=self.merchant_id,
                                store_name=self.store_name, label=label, buyer=buyer, orders=orders,
                                product_ids=product_ids, base=base, now=self.now, rng=self.rng, story=story,
                                opening=opening, photo=photo)
        self.tickets.append(ticket)
        self.replies += replies

    def on_order(self, ticket_type: str, story: str, *, label: Label | None = None, tx: str | None = None,
                 ticket_id: str | None = None, opening: Opening | None = None, photo: bool | None = None) -> None:
        """A ticket on a free transaction (`tx`, else the first free one whose first order a label fits)."""
        if tx is None:
            for candidate in self.free:
                fits = [label] if label else labels.fitting(ticket_type, self.transactions[candidate][0]["state"])
                if fits and (label is None or self.transactions[candidate][0]["state"] in label.order_states):
                    tx, label = candidate, self.rng.choice(fits)
                    break
            else:
                return  # every transaction has its ticket already (a merchant with few orders)
        if tx not in self.free or label is None:
            return
        self.free.remove(tx)
        orders = self.transactions[tx]
        items = orders if label.whole_transaction else orders[:1]
        self._add(label=label, buyer=buyer_of(orders[0]), orders=items, product_ids=[o["product_id"] for o in items],
                  base=since(orders[0], self.now), story=story, ticket_id=ticket_id, opening=opening, photo=photo)

    def on_product(self, story: str) -> None:
        if not self.products:
            return
        label = self.rng.choice(labels.of_type(labels.PRE_PURCHASE))
        self._add(label=label, buyer=shopper(self.rng, self.now), orders=[],
                  product_ids=[self.rng.choice(self.products)],
                  base=self.now - timedelta(days=self.rng.randint(1, 20)), story=story)

    def doc_tickets(self) -> None:
        doc_tx = next((tx for tx, orders in self.transactions.items() if any(o["id"] == DOC_ORDER for o in orders)),
                      None)
        if doc_tx is not None:
            self.on_order(labels.POST_PURCHASE, "awaiting_merchant", tx=doc_tx, ticket_id=DOC_ORDER_TICKET,
                          label=labels.BY_NAME["Request Refund/Cancel Order: Request a Different Color"])
        self.on_order(labels.POST_PURCHASE, "awaiting_merchant", label=labels.BY_NAME["Return or Exchange"],
                      ticket_id=DOC_TICKET, opening=DOC_OPENING, photo=True)
        for k in range(DOC_BACKLOG):
            self.on_order(labels.POST_PURCHASE, "answered_back" if k % 3 == 0 else "awaiting_merchant")


def seed_merchant(conn: Connection, *, merchant_id: str, rng: random.Random, now: datetime, doc: bool) -> None:
    """Insert the merchant's seeded tickets (deterministic for rng); `doc`: the docs' merchant."""
    seeder = _Seeder(conn, merchant_id, rng, now)
    if doc:
        seeder.doc_tickets()
    for ticket_type, story, n in PLAN:
        for _ in range(n):
            if ticket_type == labels.PRE_PURCHASE:
                seeder.on_product(story)
            else:
                seeder.on_order(ticket_type, story)
    store.insert_tickets(conn, seeder.tickets, seeder.replies)
