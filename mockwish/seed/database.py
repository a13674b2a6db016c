"""Seeding a database: the same seed gives the same merchants, tokens, products and jobs.

Timestamps are relative to a fixed anchor (not the wall clock), so two seeds with the same number are
byte-for-byte equal databases."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from faker import Faker
from sqlalchemy import Connection, delete, insert

from mockwish.auth.oauth import create_app
from mockwish.auth.scopes import ALL_SCOPES
from mockwish.merchant.orders.rules import OrderPolicy
from mockwish.seed import doc_fixtures
from mockwish.seed.catalogue import CatalogueGenerator
from mockwish.seed.merchants import PLANS, SEED_APP_NAME, SEED_APP_REDIRECT_URI, MerchantPlan, shipping_settings
from mockwish.seed.orders import seed_doc_orders, seed_orders
from mockwish.seed.support import seed_support
from mockwish.seed.wishpost import seed_wishpost
from mockwish.store.tables import AccessToken, Job, Merchant, Product, SandboxState, Variant, table_of

ANCHOR = datetime(2026, 1, 1)
_T = {t.__tablename__: table_of(t) for t in (Merchant, AccessToken, Product, Variant, Job, SandboxState)}


@dataclass(frozen=True)
class SeedReport:
    seed: int
    merchants: int
    products: int
    variants: int


def _merchant_row(plan: MerchantPlan, gen: CatalogueGenerator, fake: Faker) -> dict[str, Any]:
    return {
        "id": gen.object_id(), "name": fake.company().replace(",", "") + " Store", "username": plan.username,
        "password": plan.password, "payment_currency": plan.payment_currency,
        "localized_currency": plan.localized_currency, "ships_worldwide": plan.ships_worldwide, "locale": "en",
        "shipping_settings": shipping_settings(plan), "warehouses": list(plan.warehouses), "created_at": ANCHOR,
    }


def seed_database(conn: Connection, *, seed: int, products_per_merchant: int, fixtures_dir: Path | None,
                  now: datetime, order_policy: OrderPolicy) -> SeedReport:
    """Fill an empty schema. The caller owns the transaction. Orders are placed relative to `now` (the
    mock's clock at seeding), everything else relative to ANCHOR."""
    rng = random.Random(seed)
    fake = Faker("en_US")
    fake.seed_instance(seed)
    gen = CatalogueGenerator(rng, fake, ANCHOR)
    doc = doc_fixtures.load(fixtures_dir) if fixtures_dir and (fixtures_dir / "doc_catalogue.json").exists() else None
    n_products = n_variants = 0
    merchant_ids: list[str] = []
    for plan in PLANS:
        merchant = _merchant_row(plan, gen, fake)
        conn.execute(insert(_T["merchant"]), [merchant])
        merchant_ids.append(merchant["id"])
        conn.execute(insert(_T["access_token"]), [{
            "token": plan.token, "merchant_id": merchant["id"], "scopes": list(ALL_SCOPES), "app_id": None,
            "created_at": ANCHOR, "expires_at": None, "revoked_at": None}])
        products, variants = gen.products(merchant, products_per_merchant)
        generated = {p["id"] for p in products}  # orders buy these, not the docs' examples
        jobs: list[dict[str, Any]] = []
        if plan.doc_fixtures and doc is not None:
            dp, dv, jobs = doc_fixtures.rows(doc, merchant, gen, ANCHOR)
            products, variants = dp + products, dv + variants
        if products:
            conn.execute(insert(_T["product"]), products)
        if variants:
            conn.execute(insert(_T["variant"]), variants)
        if jobs:
            conn.execute(insert(_T["job"]), jobs)
        seed_orders(conn, merchant_id=merchant["id"], seed=seed * 10 + PLANS.index(plan), now=now,
                    policy=order_policy, among=generated)
        if plan.doc_fixtures and doc is not None:  # e.g. the order the overview's fulfill-one examples ship
            seed_doc_orders(conn, merchant_id=merchant["id"], orders=doc.get("orders", []), seed=seed, now=now,
                            policy=order_policy)
        seed_support(conn, merchant_id=merchant["id"], seed=seed, now=now, doc=plan.doc_fixtures and doc is not None)
        n_products += len(products)
        n_variants += len(variants)
    create_app(conn, name=SEED_APP_NAME, redirect_uri=SEED_APP_REDIRECT_URI, public=True,
               scopes=list(ALL_SCOPES), now=ANCHOR, client_id=gen.object_id(),
               client_secret=f"{rng.getrandbits(128):032x}")
    seed_wishpost(conn, rng=rng, fake=fake, object_id=gen.object_id, anchor=ANCHOR, merchant_ids=merchant_ids,
                  now=now)
    conn.execute(delete(_T["sandbox_state"]))
    conn.execute(insert(_T["sandbox_state"]), [{"key": "seed", "value": str(seed)},
                                               {"key": "seeded_at", "value": ANCHOR.isoformat()}])
    return SeedReport(seed, len(PLANS), n_products, n_variants)
