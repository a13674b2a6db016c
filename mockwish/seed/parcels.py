"""Each seeded WishPost user's parcels: two in every state, with their tracking so far, the accepted and
later ones shipping the linked merchant's seeded orders."""

from __future__ import annotations

import random
from datetime import datetime

from sqlalchemy import Connection

from mockwish.wishpost.parcels import rules
from mockwish.wishpost.parcels.generate import STATES, make_parcels

PER_STATE = 2


def seed_parcels(conn: Connection, *, user_id: str, merchant_id: str | None, rng: random.Random,
                 now: datetime) -> int:
    policy = rules.Policy()
    made = 0
    for state in STATES:
        made += len(make_parcels(conn, user_id=user_id, merchant_id=merchant_id, count=PER_STATE, now=now,
                                 policy=policy, rng=rng, state=state,
                                 linked_share=1.0 if state in ("accepted", "shipping", "completed") else 0.0))
    return made
