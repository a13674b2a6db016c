"""Seeded infractions of a merchant: three in each state (so each of the three stages has some), their proofs on
the merchant's seeded tickets, orders, products and variations, each with its "new infraction" notification
(mockwish.merchant.infractions.generate.seed_infractions)."""

from __future__ import annotations

import random
from datetime import datetime

from sqlalchemy import Connection

from mockwish.merchant.infractions.generate import seed_infractions


def seed_merchant(conn: Connection, *, merchant_id: str, rng: random.Random, now: datetime, doc: bool) -> None:
    """Insert the merchant's seeded infractions (deterministic for rng); `doc`: the docs' merchant, whose first
    AWAITING_MERCHANT infraction is the doc's example."""
    seed_infractions(conn, merchant_id=merchant_id, rng=rng, now=now, doc=doc)
