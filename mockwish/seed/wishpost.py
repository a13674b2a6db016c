"""The seeded WishPost users and app: fixed identities (usernames, long-lived tokens) so tests and docs can
name them; ids and display names come from the seed's generator."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from faker import Faker
from sqlalchemy import Connection, insert

from mockwish.auth.oauth import WISHPOST, create_app
from mockwish.store.tables import WishPostAccessToken, WishPostUser, table_of
from mockwish.wishpost.scopes import WISHPOST_SCOPES

DEFAULT_WISHPOST_TOKEN = "an_example_wishpost_token"
SECOND_WISHPOST_TOKEN = "second_wishpost_token"


@dataclass(frozen=True)
class WishPostUserPlan:
    key: str
    token: str
    username: str
    password: str


WISHPOST_PLANS: tuple[WishPostUserPlan, ...] = (
    WishPostUserPlan("default", DEFAULT_WISHPOST_TOKEN, "wishpost@example.com", "sandbox-password"),
    WishPostUserPlan("second", SECOND_WISHPOST_TOKEN, "wishpost2@example.com", "sandbox-password"),
)

# the ready-made WishPost OAuth app (public, every scope), printed at startup
WISHPOST_APP_NAME = "Example Shipping ERP"
WISHPOST_APP_REDIRECT_URI = "http://localhost:8765/wishpost/callback"

_USER = table_of(WishPostUser)
_TOKEN = table_of(WishPostAccessToken)


def seed_wishpost(conn: Connection, *, rng: random.Random, fake: Faker, object_id: Any, anchor: datetime) -> int:
    """Users, their long-lived tokens (every scope, no expiry) and the seeded app; answers the user count."""
    for n, plan in enumerate(WISHPOST_PLANS):
        user_id = object_id()
        created = anchor + timedelta(seconds=n)  # listed in plan order
        conn.execute(insert(_USER), [{
            "id": user_id, "username": plan.username, "password": plan.password,
            "display_name": fake.company().replace(",", "") + " Logistics", "locale": "en", "created_at": created}])
        conn.execute(insert(_TOKEN), [{
            "token": plan.token, "user_id": user_id, "scopes": list(WISHPOST_SCOPES), "app_id": None,
            "created_at": created, "expires_at": None, "revoked_at": None}])
    create_app(conn, name=WISHPOST_APP_NAME, redirect_uri=WISHPOST_APP_REDIRECT_URI, public=True, scopes=None,
               now=anchor, client_id=object_id(), client_secret=f"{rng.getrandbits(128):032x}", realm=WISHPOST)
    return len(WISHPOST_PLANS)
