"""Applying a validated scenario, in two steps:

1. `apply_rows(conn, scenario, ...)` writes the store rows inside the caller's transaction (the caller commits,
   or rolls back on ScenarioInvalid): merchants, their tokens, products, orders and tickets, OAuth apps, WishPost
   users with their tokens, account and parcels. Generated data goes through the generators the seed and the
   sandbox API use (orders.generate, tickets.make_tickets, parcels.make_parcels, the seed's catalogue), so a
   scenario's order is exactly what POST /sandbox/api/transactions would have made.
2. `apply_controls(ctx, applied)`, once the rows are committed: the in-memory parts of the scenario (rate limits
   and fault rules, each fault the tenant's own in a tenant), and the clocks told to look at the store again.

No HTTP here: the sandbox route, the CLI and the start-up hook call these."""

from __future__ import annotations

import hashlib
import random
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from faker import Faker
from sqlalchemy import Connection, insert, select

from mockwish.auth.oauth import MERCHANT, WISHPOST, create_app
from mockwish.auth.scopes import ALL_SCOPES
from mockwish.errors import WishError
from mockwish.ids import new_id
from mockwish.merchant.catalogue.render import STANDARD
from mockwish.merchant.orders.generate import generate as generate_orders
from mockwish.merchant.orders.rules import OrderPolicy
from mockwish.merchant.tickets.generate import make_tickets
from mockwish.reference import IMAGE_BASE, currency_rates, shippable_countries
from mockwish.scenarios.load import Problem, ScenarioInvalid
from mockwish.scenarios.model import FaultSpec, MerchantSpec, ProductSpec, RateLimitSpec, Scenario, TokenSpec
from mockwish.seed.catalogue import CatalogueGenerator
from mockwish.store.tables import Merchant, Product, Variant, WishPostUser, table_of
from mockwish.wishpost.account.generate import seed_account
from mockwish.wishpost.parcels import rules as parcel_rules
from mockwish.wishpost.parcels.generate import make_parcels
from mockwish.wishpost.scopes import WISHPOST_SCOPES

if TYPE_CHECKING:
    from mockwish.context import Ctx

_M, _U = table_of(Merchant), table_of(WishPostUser)
_P, _V = table_of(Product), table_of(Variant)
DEFAULT_SHIPPING = 4.99  # USD, per country of the shipping settings (as the seeded merchants have)
TAKEN = "already in the store (load into a new tenant, or choose another)"


@dataclass
class TokenMade:
    token: str
    scopes: list[str]
    expires_at: datetime | None

    def describe(self) -> dict[str, Any]:
        return {"token": self.token, "scopes": self.scopes, "expires_at": _iso(self.expires_at)}


@dataclass
class MerchantMade:
    key: str
    id: str
    name: str
    username: str
    password: str
    tokens: list[TokenMade]
    product_ids: list[str] = field(default_factory=list)
    order_ids: list[str] = field(default_factory=list)
    ticket_ids: list[str] = field(default_factory=list)


@dataclass
class WishPostUserMade:
    key: str
    id: str
    username: str
    password: str
    tokens: list[TokenMade]
    api_key: str
    merchant_id: str | None
    parcel_ids: list[str] = field(default_factory=list)


@dataclass
class AppMade:
    name: str
    client_id: str
    client_secret: str
    public: bool
    merchant_id: str | None
    scopes: list[str]


@dataclass
class RateLimitControl:
    """A rate-limit setting still to apply: for a merchant, or a WishPost user (`wishpost`)."""

    key: str
    tenant_id: str
    wishpost: bool
    spec: RateLimitSpec


@dataclass
class Applied:
    """What apply_rows created, and the controls apply_controls is still to apply."""

    merchants: dict[str, MerchantMade] = field(default_factory=dict)  # by the file's key
    wishpost_users: dict[str, WishPostUserMade] = field(default_factory=dict)
    apps: list[AppMade] = field(default_factory=list)
    rate_limits: list[RateLimitControl] = field(default_factory=list)
    faults: list[FaultSpec] = field(default_factory=list)
    fault_ids: list[str] = field(default_factory=list)  # filled by apply_controls
    controls_applied: bool = False

    @property
    def has_controls(self) -> bool:
        return bool(self.rate_limits or self.faults)

    def report(self) -> dict[str, Any]:
        """What was created, as the sandbox API answers it (JSON-able)."""
        return {
            "merchants": [{"key": m.key, "id": m.id, "name": m.name, "username": m.username, "password": m.password,
                           "tokens": [t.describe() for t in m.tokens], "products": len(m.product_ids),
                           "orders": len(m.order_ids), "tickets": len(m.ticket_ids)}
                          for m in self.merchants.values()],
            "apps": [{"name": a.name, "client_id": a.client_id, "client_secret": a.client_secret, "public": a.public,
                      "merchant_id": a.merchant_id, "scopes": a.scopes} for a in self.apps],
            "wishpost_users": [{"key": u.key, "id": u.id, "username": u.username, "password": u.password,
                                "tokens": [t.describe() for t in u.tokens], "api_key": u.api_key,
                                "merchant_id": u.merchant_id, "parcels": len(u.parcel_ids)}
                               for u in self.wishpost_users.values()],
            "rate_limits": [{("wishpost_user_id" if r.wishpost else "merchant_id"): r.tenant_id, "key": r.key,
                             **r.spec.model_dump(exclude_none=True)} for r in self.rate_limits],
            # each rule as the file gives it, with its id once apply_controls added it (None before)
            "faults": [{"id": self.fault_ids[n] if n < len(self.fault_ids) else None,
                        **f.model_dump(exclude_none=True)} for n, f in enumerate(self.faults)],
            "controls_applied": self.controls_applied,
        }


def _iso(at: datetime | None) -> str | None:
    return at.isoformat(timespec="seconds") + "Z" if at is not None else None


def _derived(seed: int, *parts: object) -> int:
    """A seed of its own for each generator of the file: adding an entry changes no other entry's data."""
    digest = hashlib.sha256(":".join(map(str, (seed, *parts))).encode()).digest()
    return int.from_bytes(digest[:8], "big")


def _failed(where: str, err: WishError) -> ScenarioInvalid:
    return ScenarioInvalid([Problem(where, err.message("en"))])


# ---- step 1: the rows ----------------------------------------------------------------------------------

def apply_rows(conn: Connection, scenario: Scenario, *, now: datetime, token_prefix: str, order_policy: OrderPolicy,
               seed: int, parcel_policy: parcel_rules.Policy | None = None) -> Applied:
    """Write the scenario's rows in the caller's transaction. Raises ScenarioInvalid (every conflict with the
    store, or a generator's refusal) with nothing to keep: the caller rolls back. After the commit, call
    apply_controls(ctx, applied): it applies the controls and tells the clocks to look again."""
    seed = scenario.seed if scenario.seed is not None else seed
    plan = _Plan(scenario, token_prefix)
    problems = plan.conflicts(conn)
    if problems:
        raise ScenarioInvalid(problems)
    applied = Applied(faults=list(scenario.faults))
    for i, m in enumerate(scenario.merchants):
        applied.merchants[m.key] = _merchant(conn, f"merchants[{i}]", m, plan, now, order_policy, seed)
        if m.rate_limit is not None:
            applied.rate_limits.append(RateLimitControl(m.key, applied.merchants[m.key].id, False, m.rate_limit))
    for i, a in enumerate(scenario.apps):
        owner = applied.merchants[a.merchant].id if a.merchant is not None else None
        row = create_app(conn, name=a.name, redirect_uri=a.redirect_uri, public=a.public, owner_id=owner,
                         scopes=a.scopes, now=now, client_id=plan.client_ids[i], client_secret=a.client_secret,
                         realm=MERCHANT)
        applied.apps.append(AppMade(a.name, row["client_id"], row["client_secret"], a.public, owner, row["scopes"]))
    policy = parcel_policy or parcel_rules.Policy()
    for i, u in enumerate(scenario.wishpost_users):
        where = f"wishpost_users[{i}]"
        linked = applied.merchants[u.merchant].id if u.merchant is not None else None
        user_id = u.id or new_id()
        conn.execute(insert(_U), [{
            "id": user_id, "username": u.username or f"{u.key}@wishpost.scenario.example", "password": u.password,
            "display_name": u.display_name or _faker(seed, "wishpost", u.key).company().replace(",", "") + " Logistics",
            "locale": u.locale, "merchant_id": linked, "created_at": now}])
        tokens = _tokens(conn, WISHPOST.token, "user_id", user_id, u.tokens, plan.tokens[where], WISHPOST_SCOPES, now)
        api_key = plan.api_keys[where]
        conn.execute(insert(WISHPOST.token), [{"token": api_key, "user_id": user_id, "scopes": list(WISHPOST_SCOPES),
                                               "app_id": None, "created_at": now, "expires_at": None,
                                               "revoked_at": None}])
        seed_account(conn, user_id=user_id, rng=random.Random(_derived(seed, where, "account")), now=now)
        made = WishPostUserMade(u.key, user_id, u.username or f"{u.key}@wishpost.scenario.example", u.password,
                                tokens, api_key, linked)
        for j, p in enumerate(u.parcels):
            try:
                rows = make_parcels(conn, user_id=user_id, merchant_id=linked, count=p.count, now=now, policy=policy,
                                    rng=random.Random(_derived(seed, where, "parcels", j)), state=p.state,
                                    channel=p.channel)
            except WishError as err:
                raise _failed(f"{where}.parcels[{j}]", err) from None
            made.parcel_ids += [r["id"] for r in rows]
        applied.wishpost_users[u.key] = made
        if u.rate_limit is not None:
            applied.rate_limits.append(RateLimitControl(u.key, user_id, True, u.rate_limit))
    return applied


class _Plan:
    """The credentials the scenario will issue (the tenant's prefix first), worked out before anything is
    written so that every conflict with the store is reported at once."""

    def __init__(self, s: Scenario, prefix: str) -> None:
        def value(given: str | None) -> str:
            return prefix + (given if given is not None else secrets.token_hex(16))

        self.scenario = s
        self.tokens: dict[str, list[str]] = {}
        self.api_keys: dict[str, str] = {}
        for i, m in enumerate(s.merchants):
            self.tokens[f"merchants[{i}]"] = [value(t.token) for t in m.tokens]
        for i, u in enumerate(s.wishpost_users):
            self.tokens[f"wishpost_users[{i}]"] = [value(t.token) for t in u.tokens]
            self.api_keys[f"wishpost_users[{i}]"] = value(u.api_key)
        self.client_ids = [prefix + (a.client_id if a.client_id is not None else secrets.token_hex(12))
                           for a in s.apps]

    def conflicts(self, conn: Connection) -> list[Problem]:
        """What the store already holds of what the scenario names: ids, usernames, tokens, client ids."""
        s = self.scenario
        problems = []
        checks: list[tuple[str, Any, str | None]] = []
        for i, m in enumerate(s.merchants):
            checks += [(f"merchants[{i}].id", _M.c.id, m.id),
                       (f"merchants[{i}].username", _M.c.username, m.username or f"{m.key}@scenario.example")]
        for i, u in enumerate(s.wishpost_users):
            checks += [(f"wishpost_users[{i}].id", _U.c.id, u.id),
                       (f"wishpost_users[{i}].username", _U.c.username,
                        u.username or f"{u.key}@wishpost.scenario.example")]
            checks.append((f"wishpost_users[{i}].api_key", WISHPOST.token.c.token,
                           self.api_keys[f"wishpost_users[{i}]"]))
        for where, values in self.tokens.items():
            for j, token in enumerate(values):
                checks += [(f"{where}.tokens[{j}].token", MERCHANT.token.c.token, token),
                           (f"{where}.tokens[{j}].token", WISHPOST.token.c.token, token)]
        checks += [(f"apps[{i}].client_id", MERCHANT.app.c.client_id, cid) for i, cid in enumerate(self.client_ids)]
        reported = set()
        for where, column, wanted in checks:
            if wanted is None or where in reported:
                continue
            if conn.execute(select(column).where(column == wanted).limit(1)).first() is not None:
                reported.add(where)
                problems.append(Problem(where, f"{wanted!r} is {TAKEN}"))
        return problems


def _faker(seed: int, *parts: object) -> Faker:
    fake = Faker("en_US")
    fake.seed_instance(_derived(seed, *parts))
    return fake


def _tokens(conn: Connection, table: Any, tenant_column: str, tenant_id: str, specs: list[TokenSpec],
            values: list[str], all_scopes: tuple[str, ...], now: datetime) -> list[TokenMade]:
    made = []
    for spec, token in zip(specs, values, strict=True):
        scopes = list(spec.scopes) if spec.scopes is not None else list(all_scopes)
        expires = now + timedelta(seconds=spec.expires_in_seconds) if spec.expires_in_seconds is not None else None
        conn.execute(insert(table), [{"token": token, tenant_column: tenant_id, "scopes": scopes, "app_id": None,
                                      "created_at": now, "expires_at": expires, "revoked_at": None}])
        made.append(TokenMade(token, scopes, expires))
    return made


def _merchant(conn: Connection, where: str, m: MerchantSpec, plan: _Plan, now: datetime, policy: OrderPolicy,
              seed: int) -> MerchantMade:
    fake = _faker(seed, where)
    countries = m.ships_to if m.ships_to is not None else list(shippable_countries())
    row: dict[str, Any] = {
        "id": m.id or new_id(), "name": m.name or fake.company().replace(",", "") + " Store",
        "username": m.username or f"{m.key}@scenario.example", "password": m.password,
        "payment_currency": m.payment_currency, "localized_currency": m.localized_currency or m.payment_currency,
        "ships_worldwide": m.ships_worldwide, "locale": m.locale,
        "shipping_settings": {} if m.ships_worldwide else dict.fromkeys(countries, DEFAULT_SHIPPING),
        "warehouses": list(m.warehouses), "created_at": now}
    conn.execute(insert(_M), [row])
    tokens = _tokens(conn, MERCHANT.token, "merchant_id", row["id"], m.tokens, plan.tokens[where], ALL_SCOPES, now)
    made = MerchantMade(m.key, row["id"], row["name"], row["username"], row["password"], tokens)
    made.product_ids = _products(conn, row, m, now, random.Random(_derived(seed, where, "products")), fake)
    for j, o in enumerate(m.orders):
        states = {o.state: 1.0} if o.state is not None else o.states
        try:
            made.order_ids += generate_orders(
                conn, merchant_id=row["id"], count=o.count, now=now, policy=policy,
                seed=_derived(seed, where, "orders", j), states=states, skus=o.skus or (), country=o.country,
                wish_express_share=o.wish_express_share, combined_share=o.combined_share, fbw_share=o.fbw_share,
                confirmed_share=o.confirmed_share, refund_after_shipping_share=o.refund_after_shipping_share,
                changed_address_share=o.changed_address_share).order_ids
        except WishError as err:
            raise _failed(f"{where}.orders[{j}]", err) from None
    for j, t in enumerate(m.tickets):
        try:
            made.ticket_ids += [r["id"] for r in make_tickets(
                conn, merchant_id=row["id"], now=now, rng=random.Random(_derived(seed, where, "tickets", j)),
                count=t.count, label=t.label, ticket_type=t.ticket_type, message=t.message, state=t.state)]
        except WishError as err:
            raise _failed(f"{where}.tickets[{j}]", err) from None
    return made


def _products(conn: Connection, merchant: dict[str, Any], m: MerchantSpec, now: datetime, rng: random.Random,
              fake: Faker) -> list[str]:
    """The file's own products, then the generated ones (any whose SKU the file's products hold left out)."""
    if m.products is None:
        return []
    rate = currency_rates().get(merchant["localized_currency"], 1.0)
    products: list[dict[str, Any]] = []
    variants: list[dict[str, Any]] = []
    for spec in m.products.items:
        p, vs = _product_rows(merchant, spec, now, rate)
        products.append(p)
        variants += vs
    if m.products.generate:
        taken = {p["parent_sku"] for p in products} | {v["sku"] for v in variants}
        made, made_variants = _FreshIds(rng, fake, now).products(merchant, m.products.generate)
        clash = {v["product_id"] for v in made_variants if v["sku"] in taken} | {
            p["id"] for p in made if p["parent_sku"] in taken}
        products += [p for p in made if p["id"] not in clash]
        variants += [v for v in made_variants if v["product_id"] not in clash]
    if products:
        conn.execute(insert(_P), products)
    if variants:
        conn.execute(insert(_V), variants)
    return [p["id"] for p in products]


class _FreshIds(CatalogueGenerator):
    """The seed's generator with new ids: the same file loaded twice into one store makes the same products again
    (same names, SKUs, prices), never the same ids."""

    def object_id(self) -> str:
        return new_id()


def _product_rows(merchant: dict[str, Any], spec: ProductSpec, now: datetime,
                  rate: float) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A product as the catalogue stores one (the shape the seed's generator makes)."""
    pid = new_id()
    image = spec.main_image or f"{IMAGE_BASE}/{pid}-original.jpg"
    first_shipping = spec.variations[0].shipping
    product = {
        "id": pid, "merchant_id": merchant["id"], "parent_sku": spec.parent_sku, "name": spec.name,
        "description": spec.description or spec.name, "tags": list(spec.tags), "main_image": image,
        "extra_images": [], "clean_image": None, "original_image_url": image, "review_status": spec.review_status,
        "enabled": spec.enabled, "removed_by_merchant": False, "is_promoted": False, "num_sold": 0, "num_saves": 0,
        "category": None, "default_shipping_price": first_shipping,
        "localized_default_shipping_price": round(first_shipping * rate, 2), "landing_page_url": None, "upc": None,
        "requested_product_brand_id": None, "max_quantity": None, "condition": None, "unit": None,
        "reference_value": None, "demo_video_asset_url": None, "shipping": {STANDARD: {}},
        "date_uploaded": now, "last_updated": now,
    }
    variants = [{
        "id": new_id(), "merchant_id": merchant["id"], "product_id": pid, "position": n, "sku": v.sku,
        "color": v.color, "size": v.size, "condition": None, "price": v.price,
        "localized_price": round(v.price * rate, 2),
        "msrp": v.msrp, "localized_msrp": round(v.msrp * rate, 2) if v.msrp is not None else None,
        "shipping_time": "5-10", "main_image": None, "quantity_value": None, "enabled": spec.enabled and v.enabled,
        "removed_by_wish": False,
        "stock": {STANDARD: {"inventory": v.inventory, "shipping": v.shipping,
                             "localized_shipping": round(v.shipping * rate, 2)}},
        "logistics": None, "last_updated": now,
    } for n, v in enumerate(spec.variations)]
    return product, variants


# ---- step 2: the controls ------------------------------------------------------------------------------

def refresh(ctx: Ctx) -> None:
    """After the rows are committed: the order and parcel clocks find the new rows' instants themselves (review
    releases, carrier scans, parcel tracking) and no principal cached before the load is kept."""
    ctx.orders.reset()
    ctx.parcels.reset()
    ctx.auth.invalidate()


def apply_controls(ctx: Ctx, applied: Applied) -> Applied:
    """The in-memory controls of a committed scenario, on `ctx`: rate limits as POST /sandbox/api/rate-limits sets
    them, fault rules as POST /sandbox/api/faults adds them (in a tenant, each rule names the tenant, so a tenant's
    scenario never faults another tenant). Also calls `refresh(ctx)`. Answers `applied` with the rules' ids."""
    refresh(ctx)
    lim = ctx.limiter
    for r in applied.rate_limits:
        if r.spec.quota is not None or r.spec.window_seconds is not None:
            lim.set_quota(r.tenant_id, None, r.spec.quota, r.spec.window_seconds, wishpost=r.wishpost)
        if r.spec.force_429 is not None:
            lim.forced[r.tenant_id] = r.spec.force_429
    for f in applied.faults:
        rule = ctx.faults.add(f.effect(), surface=f.surface, method=f.method, path=f.path,
                              tenant=ctx.tenant_id if ctx.tenant_id else f.tenant, params=f.params, times=f.times,
                              probability=float(f.probability))
        applied.fault_ids.append(rule.id)
    applied.controls_applied = True
    return applied
