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
from mockwish.store.tables import WishPostAccessToken, WishPostCarrier, WishPostUser, table_of
from mockwish.wishpost.scopes import WISHPOST_SCOPES

DEFAULT_WISHPOST_TOKEN = "an_example_wishpost_token"
SECOND_WISHPOST_TOKEN = "second_wishpost_token"
# v1 credentials (`<api_key>` on /api/v1/<op>, 84 characters as WP-DOC sizes them): long-lived tokens too
DEFAULT_WISHPOST_API_KEY = "an_example_wishpost_api_key_".ljust(84, "0")
SECOND_WISHPOST_API_KEY = "second_wishpost_api_key_".ljust(84, "0")
# the seeded pickup carrier's `X-API-Key` (orders_bag, hub_warehouse_table), printed at startup
DEFAULT_CARRIER_KEY = "an_example_carrier_key"
DEFAULT_CARRIER_NAME = "STO Express pickup (sandbox)"
DEFAULT_CARRIER_HUB = 3001


@dataclass(frozen=True)
class WishPostUserPlan:
    key: str
    token: str
    username: str
    password: str
    api_key: str


WISHPOST_PLANS: tuple[WishPostUserPlan, ...] = (
    WishPostUserPlan("default", DEFAULT_WISHPOST_TOKEN, "wishpost@example.com", "sandbox-password",
                     DEFAULT_WISHPOST_API_KEY),
    WishPostUserPlan("second", SECOND_WISHPOST_TOKEN, "wishpost2@example.com", "sandbox-password",
                     SECOND_WISHPOST_API_KEY),
)

# the ready-made WishPost OAuth app (public, every scope), printed at startup
WISHPOST_APP_NAME = "Example Shipping ERP"
WISHPOST_APP_REDIRECT_URI = "http://localhost:8765/wishpost/callback"

_USER = table_of(WishPostUser)
_TOKEN = table_of(WishPostAccessToken)
_CARRIER = table_of(WishPostCarrier)


def seed_wishpost(conn: Connection, *, rng: random.Random, fake: Faker, object_id: Any, anchor: datetime,
                  merchant_ids: list[str] | None = None, now: datetime | None = None) -> int:
    """Users (each shipping the Wish orders of the merchant of the same rank: the default user the default
    merchant's), their long-lived tokens and v1 api keys (every scope, no expiry), the seeded app, and each
    user's parcels in every state; answers the user count."""
    merchant_ids = merchant_ids or []
    for n, plan in enumerate(WISHPOST_PLANS):
        user_id = object_id()
        merchant_id = merchant_ids[n] if n < len(merchant_ids) else None
        add_user(conn, plan, user_id=user_id, display_name=fake.company().replace(",", "") + " Logistics",
                 merchant_id=merchant_id, created=anchor + timedelta(seconds=n))  # listed in plan order
        if now is not None:
            seed_user_data(conn, user_id=user_id, merchant_id=merchant_id, rng=random.Random(rng.getrandbits(32)),
                           now=now)
    create_app(conn, name=WISHPOST_APP_NAME, redirect_uri=WISHPOST_APP_REDIRECT_URI, public=True, scopes=None,
               now=anchor, client_id=object_id(), client_secret=f"{rng.getrandbits(128):032x}", realm=WISHPOST)
    conn.execute(insert(_CARRIER), [{"id": object_id(), "name": DEFAULT_CARRIER_NAME, "api_key": DEFAULT_CARRIER_KEY,
                                     "hub_warehouse_code": DEFAULT_CARRIER_HUB, "created_at": anchor}])
    return len(WISHPOST_PLANS)


def add_user(conn: Connection, plan: WishPostUserPlan, *, user_id: str, display_name: str, merchant_id: str | None,
             created: datetime) -> None:
    """A user with its long-lived token and v1 api key (every scope, no expiry)."""
    conn.execute(insert(_USER), [{
        "id": user_id, "username": plan.username, "password": plan.password, "display_name": display_name,
        "locale": "en", "merchant_id": merchant_id, "created_at": created}])
    conn.execute(insert(_TOKEN), [{
        "token": token, "user_id": user_id, "scopes": list(WISHPOST_SCOPES), "app_id": None,
        "created_at": created, "expires_at": None, "revoked_at": None} for token in (plan.token, plan.api_key)])


def seed_user_data(conn: Connection, *, user_id: str, merchant_id: str | None, rng: random.Random,
                   now: datetime, parcels: bool = True) -> None:
    """A user's parcels in every state (`parcels`), bags, charges, announcements and account."""
    from mockwish.seed.parcels import seed_parcels  # only seeding needs the parcel generator
    from mockwish.wishpost.account.generate import seed_account, seed_announcements
    from mockwish.wishpost.bags.generate import seed_bags
    from mockwish.wishpost.payments.generate import seed_charges

    if parcels:
        seed_parcels(conn, user_id=user_id, merchant_id=merchant_id, rng=rng, now=now)
        seed_bags(conn, user_id=user_id, rng=random.Random(f"bags:{user_id}"), now=now)
        seed_charges(conn, user_id=user_id, rng=random.Random(f"charges:{user_id}"), now=now)
    # generators of their own (from the user's id): the seed's stream, and the data after, stay as they were
    seed_announcements(conn, user_id=user_id, rng=random.Random(f"{user_id}:announcements"), now=now)
    seed_account(conn, user_id=user_id, rng=random.Random(f"{user_id}:account"), now=now)
