"""What a new tenant's store holds: one merchant (whose id is the tenant's id) with its token and private
OAuth app, optionally a WishPost user linked to it, and `none`, `small` or `full` data made by the same
generators as the default data.

Credentials come from the tenant's id alone, never from the seed: a reset or a reseed of the tenant keeps
the tokens a test already holds. Each starts with the tenant's id, which is how a request finds its tenant
(mockwish.tenants.registry)."""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any, Literal

from faker import Faker
from sqlalchemy import Connection, insert

from mockwish.auth.oauth import WISHPOST, create_app
from mockwish.auth.scopes import ALL_SCOPES
from mockwish.merchant.orders.rules import APPROVED, REFUNDED, REQUIRE_REVIEW, SHIPPED, OrderPolicy
from mockwish.seed.catalogue import CatalogueGenerator
from mockwish.seed.database import ANCHOR, SeedReport, _merchant_row
from mockwish.seed.merchants import SEED_APP_REDIRECT_URI, MerchantPlan
from mockwish.seed.orders import seed_orders
from mockwish.seed.support import seed_support
from mockwish.seed.wishpost import WISHPOST_APP_REDIRECT_URI, WishPostUserPlan, add_user, seed_user_data
from mockwish.store.tables import AccessToken, Merchant, Product, SandboxState, Variant, WishPostCarrier, table_of
from mockwish.tenants.credentials import PASSWORD, Credentials
from mockwish.wishpost.parcels import rules as parcel_rules
from mockwish.wishpost.parcels.generate import STATES as PARCEL_STATES
from mockwish.wishpost.parcels.generate import make_parcels

DataSize = Literal["none", "small", "full"]
DATA_SIZES: tuple[str, ...] = ("none", "small", "full")
SMALL_PRODUCTS = 10
# a `small` tenant's orders: one or two in each state a client meets first
SMALL_ORDERS: tuple[tuple[int, str], ...] = ((2, REQUIRE_REVIEW), (5, APPROVED), (2, SHIPPED), (1, REFUNDED))
WAREHOUSES = ("EXPRESS-US", "EXPRESS-GB")
_T = {t.__tablename__: table_of(t) for t in (Merchant, AccessToken, Product, Variant, SandboxState, WishPostCarrier)}


def seed_tenant(conn: Connection, *, tenant_id: str, data: str, wishpost: bool, seed: int, now: datetime,
                order_policy: OrderPolicy, products_per_merchant: int) -> SeedReport:
    """Fill an empty schema with a tenant's data (the caller owns the transaction)."""
    creds = Credentials.of(tenant_id)
    # the same seed, the same catalogue in any tenant; not the default data's (its products' ids are other ids)
    rng = random.Random(f"tenant:{seed}")
    fake = _faker(seed)
    gen = CatalogueGenerator(rng, fake, ANCHOR)
    plan = MerchantPlan("tenant", creds.access_token, creds.username, PASSWORD, "USD", "USD", False, WAREHOUSES,
                        False)
    merchant: dict[str, Any] = {**_merchant_row(plan, gen, fake), "id": tenant_id}
    conn.execute(insert(_T["merchant"]), [merchant])
    conn.execute(insert(_T["access_token"]), [{
        "token": creds.access_token, "merchant_id": tenant_id, "scopes": list(ALL_SCOPES), "app_id": None,
        "created_at": ANCHOR, "expires_at": None, "revoked_at": None}])
    create_app(conn, name="Tenant ERP", redirect_uri=SEED_APP_REDIRECT_URI, public=False, owner_id=tenant_id,
               scopes=list(ALL_SCOPES), now=ANCHOR, client_id=creds.client_id, client_secret=creds.client_secret)
    n_products = n_variants = 0
    if data != "none":
        count = SMALL_PRODUCTS if data == "small" else products_per_merchant
        products, variants = gen.products(merchant, count)
        conn.execute(insert(_T["product"]), products)
        if variants:
            conn.execute(insert(_T["variant"]), variants)
        n_products, n_variants = len(products), len(variants)
        among = {p["id"] for p in products}
        if data == "full":
            seed_orders(conn, merchant_id=tenant_id, seed=seed, now=now, policy=order_policy, among=among)
        else:
            _small_orders(conn, tenant_id, seed, now, order_policy, among)
        seed_support(conn, merchant_id=tenant_id, seed=seed, now=now, doc=False)
    if wishpost:
        _wishpost_user(conn, creds, fake, data, seed, now)
    conn.execute(insert(_T["sandbox_state"]), [{"key": "seed", "value": str(seed)},
                                               {"key": "seeded_at", "value": ANCHOR.isoformat()}])
    return SeedReport(seed, 1, n_products, n_variants)


def _faker(seed: int) -> Faker:
    fake = Faker("en_US")
    fake.seed_instance(seed)
    return fake


def _small_orders(conn: Connection, merchant_id: str, seed: int, now: datetime, policy: OrderPolicy,
                  among: set[str]) -> None:
    from mockwish.merchant.orders import store
    from mockwish.merchant.orders.generate import generate

    orderable, _ = store.orderable_catalogue(conn, merchant_id)
    chosen = [pid for pid in orderable if pid in among]
    for k, (count, state) in enumerate(SMALL_ORDERS if chosen else ()):
        generate(conn, merchant_id=merchant_id, count=count, now=now, policy=policy, seed=seed * 100 + k,
                 states={state: 1.0}, product_ids=chosen)


def _wishpost_user(conn: Connection, creds: Credentials, fake: Faker, data: str, seed: int, now: datetime) -> None:
    """The tenant's WishPost user (shipping its merchant's orders), its OAuth app and a pickup carrier; `small`
    data is one parcel in each state, `full` the default users' data."""
    plan = WishPostUserPlan("tenant", creds.wishpost_token, creds.wishpost_username, PASSWORD, creds.wishpost_api_key)
    user_id, merchant_id = creds.wishpost_user_id, creds.tenant_id
    add_user(conn, plan, user_id=user_id, display_name=fake.company().replace(",", "") + " Logistics",
             merchant_id=merchant_id, created=ANCHOR)
    create_app(conn, name="Tenant Shipping ERP", redirect_uri=WISHPOST_APP_REDIRECT_URI, public=False,
               owner_id=user_id, scopes=None, now=ANCHOR, client_id=creds.wishpost_client_id,
               client_secret=creds.wishpost_client_secret, realm=WISHPOST)
    conn.execute(insert(_T["wishpost_carrier"]), [{
        "id": creds.tenant_id[:12] + user_id[:12], "name": "Tenant pickup carrier (sandbox)",
        "api_key": creds.carrier_key, "hub_warehouse_code": 3001, "created_at": ANCHOR}])
    rng = random.Random(f"{seed}:parcels")
    if data == "small":
        for state in PARCEL_STATES:
            make_parcels(conn, user_id=user_id, merchant_id=merchant_id, count=1, now=now,
                         policy=parcel_rules.Policy(), rng=rng, state=state,
                         linked_share=1.0 if state in ("accepted", "shipping", "completed") else 0.0)
    seed_user_data(conn, user_id=user_id, merchant_id=merchant_id, rng=rng, now=now, parcels=data == "full")
