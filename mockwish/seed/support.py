"""Seeded customer support and account data of a merchant: tickets on its seeded orders, notifications and
announcements, infractions whose proofs name its tickets, orders and products, and return warehouses. Each
area seeds itself (mockwish/merchant/<area>/seed.py); this runs them in the order their references need."""

from __future__ import annotations

import random
from datetime import datetime

from sqlalchemy import Connection

from mockwish.merchant.infractions import seed as infractions
from mockwish.merchant.notifications import seed as notifications
from mockwish.merchant.returns import seed as returns
from mockwish.merchant.tickets import seed as tickets

AREAS = (("tickets", tickets.seed_merchant), ("notifications", notifications.seed_merchant),
         ("infractions", infractions.seed_merchant), ("returns", returns.seed_merchant))


def seed_support(conn: Connection, *, merchant_id: str, seed: int, now: datetime, doc: bool) -> None:
    """After the merchant's catalogue and orders: every area, each with a random stream of its own (adding data
    to one area changes no other's)."""
    for name, seed_area in AREAS:
        seed_area(conn, merchant_id=merchant_id, rng=random.Random(f"{seed}:{merchant_id}:{name}"), now=now, doc=doc)
