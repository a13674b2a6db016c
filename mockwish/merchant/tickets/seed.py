"""Seeded tickets of a merchant. (Skeleton: being written.)"""

from __future__ import annotations

import random
from datetime import datetime

from sqlalchemy import Connection


def seed_merchant(conn: Connection, *, merchant_id: str, rng: random.Random, now: datetime, doc: bool) -> None:
    """Insert the merchant's seeded tickets (deterministic for rng); `doc`: the docs' merchant."""
