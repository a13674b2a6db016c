"""Test transactions on demand (supplement-merchant.md 7: the sandbox's "Generate Orders", here as a domain
function the sandbox API, the CLI and the seed share). No HTTP here.

Orders are bought from the merchant's real catalogue (approved, enabled products and their enabled
variants: ids, SKU, colour, size, name, price and shipping), shipped to Faker addresses valid for the
buyer's country, and carried into their state through the rules' own transitions (fulfill_one,
confirm_tracking, refund, change_shipping), so a generated order is exactly what the API would have made
of it. Every generated order gets `last_updated = now` and an id that sorts after every earlier one, so a
client paging multi-get by (last_updated, id) meets new orders only at the end.

Deterministic for a given seed: the same catalogue and seed give the same orders (products, quantities,
addresses, states and timestamps relative to `now`); only the ids are new each time."""

from __future__ import annotations

import hashlib
import math
import random
import secrets
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from mockwish.errors import WishError
from mockwish.ids import ordered_id, seeded_id
from mockwish.merchant.catalogue import store as catalogue
from mockwish.merchant.catalogue.render import STANDARD
from mockwish.merchant.orders import rules, store, tracking_numbers
from mockwish.merchant.orders.addresses import AddressBook
from mockwish.merchant.orders.rules import APPROVED, REFUNDED, REQUIRE_REVIEW, SHIPPED, OrderPolicy
from mockwish.merchant.products.shipping import check_ships_to, express
from mockwish.reference import (
    IMAGE_BASE,
    accepted_carriers,
    confirmed_delivery_carriers,
    currency_rates,
    refund_reason_era,
    shippable_countries,
)

Row = dict[str, Any]
MAX_COUNT = rules.MAX_GENERATED
IMAGE_URL = IMAGE_BASE + "/{pid}-normal.jpg?cache_buster={buster}"
ORIGIN = "CN"  # where the sandbox's merchants ship from (every seeded logistics record says CN)
WE_DELIVERY = timedelta(days=5)  # Wish Express promises delivery within 5 days of the order
# buyers' countries: Wish's big markets weigh more; any other allowed country weighs 1
COUNTRY_WEIGHTS = {"US": 30, "GB": 8, "DE": 7, "FR": 7, "CA": 5, "AU": 4, "ES": 4, "IT": 4, "MX": 3, "BR": 3,
                   "NL": 2, "SE": 2, "JP": 2}
QUANTITIES = ((1, 85), (2, 10), (3, 5))
# carriers a China-based merchant uses; their tracking numbers fit each carrier's format (tracking_numbers)
CARRIERS = ("WishPost", "EPacket", "ChinaAirPost", "EMS (China)", "4PX", "YunExpress", "SFExpress", "DHL", "UPS",
            "FedEx", "USPS")
# Fulfilled By Wish warehouses (the sources never list them; mock choice)
FBW_WAREHOUSES = {"US": ("FBW-LAX", "FBW-CVG"), "CA": ("FBW-LAX",), "MX": ("FBW-LAX",)}
FBW_DEFAULT = ("FBW-AMS",)


@dataclass(frozen=True)
class Generated:
    order_ids: list[str]
    transaction_ids: list[str]  # one per buyer transaction, in creation order


@dataclass
class _Group:
    """One buyer transaction: its orders share the buyer, address, timeline, and (once shipped) parcel."""

    state: str
    size: int
    country: str = ""
    express: bool = False
    fbw: bool = False
    confirmed: bool = False
    refund_after_shipping: bool = False
    changed_address: bool = False
    times: dict[str, datetime] = field(default_factory=dict)


def generate(conn: Connection, *, merchant_id: str, count: int, now: datetime, policy: OrderPolicy,
             seed: int | None = None, states: Mapping[str, float] | None = None,
             product_ids: Sequence[str] = (), skus: Sequence[str] = (), reserved: Collection[str] = (),
             country: str | None = None,
             wish_express_share: float = 0.0, combined_share: float = 0.0, fbw_share: float = 0.0,
             confirmed_share: float = 0.5, refund_after_shipping_share: float = 0.5,
             changed_address_share: float = 0.0) -> Generated:
    """Create `count` orders for a merchant (the caller owns the transaction and tells the order clock to
    look again). `states` is a mix of weights ({"APPROVED": 0.7, "SHIPPED": 0.3}; default all APPROVED),
    split exactly (largest remainders); the shares are fractions of orders (of transactions for the
    per-transaction ones: Wish Express, FBW, confirmed tracking, refund after shipping, changed address).
    `reserved` products are bought only when a filter names them (the docs' example products keep the
    inventory the docs show)."""
    if not 1 <= count <= MAX_COUNT:
        raise WishError("out_of_range", param="count", low=1, high=MAX_COUNT, value=str(count))
    shares = {"wish_express_share": wish_express_share, "combined_share": combined_share, "fbw_share": fbw_share,
              "confirmed_share": confirmed_share, "refund_after_shipping_share": refund_after_shipping_share,
              "changed_address_share": changed_address_share}
    for name, value in shares.items():
        if not (isinstance(value, int | float) and 0.0 <= value <= 1.0):
            raise WishError("out_of_range", param=name, low=0, high=1, value=str(value))
    merchant = catalogue.find_merchant(conn, merchant_id)
    if merchant is None:
        raise WishError("invalid_param", value=merchant_id, param="merchant_id")
    counts = _apportion(_mix(states), count)
    countries = _countries(merchant, country)
    products, variants = _orderable(conn, merchant, product_ids, skus, reserved)
    rng = random.Random(seed if seed is not None else secrets.randbits(64))
    maker = _Maker(merchant, products, variants, policy, now, rng, AddressBook(rng.getrandbits(64)))
    groups = _groups(counts, combined_share, rng)
    express_countries = [cc for cc in countries if express(cc) in merchant["warehouses"]]
    for g in groups:
        g.fbw = rng.random() < fbw_share
        g.express = not g.fbw and rng.random() < wish_express_share
        pool = express_countries if g.express and express_countries and country is None else countries
        g.country = _weighted_country(rng, pool)
        # Wish Express ships from the merchant's warehouse in the buyer's country; without one, it is standard
        g.express = g.express and express(g.country) in merchant["warehouses"]
        g.confirmed = rng.random() < confirmed_share
        g.refund_after_shipping = rng.random() < refund_after_shipping_share
        g.changed_address = rng.random() < changed_address_share
        g.times = _timeline(g, now, policy, rng)
    rows: list[Row] = []
    transactions: list[str] = []
    for g in groups:
        transaction_id = ordered_id(now)
        transactions.append(transaction_id)
        rows.extend(maker.transaction(g, transaction_id))
    store.insert_many(conn, rows)
    store.adjust_stock(conn, merchant_id, maker.moves)
    return Generated([r["id"] for r in rows], transactions)


# ---- inputs --------------------------------------------------------------------------------------------

def _mix(states: Mapping[str, float] | None) -> dict[str, float]:
    if not states:
        return {APPROVED: 1.0}
    mix: dict[str, float] = {}
    for name, weight in states.items():
        key = str(name).strip().upper()
        if key not in rules.STATES:
            raise WishError("invalid_param", value=str(name), param="states (one of " + ", ".join(rules.STATES) + ")")
        if isinstance(weight, bool) or not isinstance(weight, int | float) or not math.isfinite(weight) or weight < 0:
            raise WishError("invalid_param", value=str(weight), param=f"states weight of {key}")
        mix[key] = mix.get(key, 0.0) + float(weight)
    if sum(mix.values()) <= 0:
        raise WishError("invalid_param", value=str(dict(states)), param="states (weights must not all be 0)")
    return mix


def _apportion(mix: dict[str, float], count: int) -> dict[str, int]:
    """Exact counts per state for the weights (largest remainders; ties in the rules' state order)."""
    total = sum(mix.values())
    quotas = {s: count * w / total for s, w in mix.items()}
    counts = {s: int(q) for s, q in quotas.items()}
    left = count - sum(counts.values())
    for s in sorted(quotas, key=lambda s: (-(quotas[s] - counts[s]), rules.STATES.index(s)))[:left]:
        counts[s] += 1
    return {s: counts[s] for s in rules.STATES if counts.get(s)}


def _countries(merchant: Row, country: str | None) -> list[str]:
    """The countries the merchant ships to (shipping settings, or every shippable country when it ships
    worldwide), or the one asked for when the merchant ships there."""
    shippable = shippable_countries()
    allowed = list(shippable) if merchant["ships_worldwide"] else [
        cc for cc in shippable if cc in merchant["shipping_settings"]]
    if country is None:
        if not allowed:
            raise WishError("invalid_param", value=merchant["id"], param="merchant_id (it ships to no country)")
        return allowed
    cc = country.strip().upper()
    check_ships_to(merchant, cc)  # the catalogue's own rule (1000 not shippable, country_not_shipped)
    return [cc]


def _orderable(conn: Connection, merchant: Row, product_ids: Sequence[str], skus: Sequence[str],
               reserved: Collection[str] = ()) -> tuple[dict[str, Row], list[Row]]:
    """The catalogue buyers can order from, narrowed by the filters; a filter naming an unknown product
    or SKU answers not-found, one naming an item buyers cannot order says so."""
    mid = merchant["id"]
    products, variants = store.orderable_catalogue(conn, mid)
    wanted_products, wanted_skus = set(product_ids), set(skus)
    for pid in sorted(wanted_products - set(products)):
        if catalogue.product_by_id(conn, mid, pid) is None:
            raise WishError("product_not_found", field="id", value=pid)
        raise WishError("invalid_param", value=pid, param="product_id (not approved, disabled or removed: "
                                                            "buyers cannot order it)")
    orderable_skus = {v["sku"] for v in variants}
    for sku in sorted(wanted_skus - orderable_skus):
        if catalogue.variant_by_sku(conn, mid, sku) is None:
            raise WishError("variant_not_found", sku=sku)
        raise WishError("invalid_param", value=sku, param="sku (disabled, or its product is not approved, "
                                                          "disabled or removed: buyers cannot order it)")
    named = bool(wanted_products or wanted_skus)
    chosen = [v for v in variants if (not wanted_products or v["product_id"] in wanted_products)
              and (not wanted_skus or v["sku"] in wanted_skus) and (named or v["product_id"] not in reserved)]
    if not chosen:
        if wanted_skus and wanted_products:
            raise WishError("invalid_param", value=",".join(sorted(wanted_skus)),
                            param="sku (not a variation of product " + ",".join(sorted(wanted_products)) + ")")
        if wanted_products:
            raise WishError("invalid_param", value=",".join(sorted(wanted_products)),
                            param="product_id (no enabled variation to order)")
        raise WishError("invalid_param", value=mid, param="merchant_id (no approved, enabled product to order)")
    return products, chosen


def _weighted_country(rng: random.Random, pool: list[str]) -> str:
    if len(pool) == 1:
        return pool[0]
    return rng.choices(pool, weights=[COUNTRY_WEIGHTS.get(cc, 1) for cc in pool])[0]


def _groups(counts: dict[str, int], combined_share: float, rng: random.Random) -> list[_Group]:
    """Transactions: for each state, about `combined_share` of its orders in groups of 2-4 sharing a
    transaction (combined orders), the rest alone; then shuffled."""
    groups: list[_Group] = []
    for state, n in counts.items():
        combined = round(n * combined_share)
        if combined == 1:
            combined = 2 if n >= 2 else 0
        sizes: list[int] = []
        while combined > 0:
            size = min(rng.randint(2, 4), combined)
            if size == 1:  # one order left over: into the last group, or split a group of 4 into 3 + 2
                if sizes[-1] < 4:
                    sizes[-1] += 1
                else:
                    sizes[-1] = 3
                    sizes.append(2)
                break
            sizes.append(size)
            combined -= size
        groups += [_Group(state, s) for s in sizes] + [_Group(state, 1) for _ in range(n - sum(sizes))]
    rng.shuffle(groups)
    return groups


def _span(rng: random.Random, low: timedelta, high: timedelta) -> timedelta:
    return low + (high - low) * rng.random() if high > low else low


def _timeline(g: _Group, now: datetime, policy: OrderPolicy, rng: random.Random) -> dict[str, datetime]:
    """The instants of a transaction's life, all at or before `now` except the scheduled ones (a review's
    release, a carrier's scans). APPROVED orders keep at least 40 % of the fulfilment window; half the orders
    whose tracking is confirmed are delivered too. A scan still ahead is at least a tenth of its delay ahead,
    so nothing generated changes in the moments after."""
    hour, window, scan = timedelta(hours=1), policy.fulfill_window, policy.tracking_confirm
    delivery = policy.delivery_confirm
    now_s = now.replace(microsecond=0)
    review_delay = _span(rng, timedelta(minutes=5), 6 * hour)
    if g.state == REQUIRE_REVIEW:  # just placed: under review for policy.review from now
        return {"order_time": now, "released_at": now + policy.review}
    shipped = g.state == SHIPPED or (g.state == REFUNDED and g.refund_after_shipping)
    t: dict[str, datetime] = {}
    if shipped:
        if g.confirmed:
            delivered = rng.random() < 0.5
            since_scan = (_span(rng, delivery, delivery + 72 * hour) if delivered
                          else _span(rng, timedelta(0), min(72 * hour, delivery * 0.9)))
            t["shipped_at"] = now_s - scan - since_scan
        else:  # the scan is still ahead
            t["shipped_at"] = now_s - _span(rng, timedelta(0), scan * 0.9)
        t["released_at"] = t["shipped_at"] - _span(rng, hour, min(window * 0.8, 72 * hour))
        if g.state == REFUNDED:
            first = t["shipped_at"] + scan if g.confirmed else t["shipped_at"]
            last = now_s if g.confirmed else min(now_s, t["shipped_at"] + scan)
            t["refunded_at"] = first + _span(rng, timedelta(0), last - first)
    elif g.state == REFUNDED:  # cancelled before shipping
        t["released_at"] = now_s - _span(rng, hour, window * 0.8)
        t["refunded_at"] = t["released_at"] + _span(rng, timedelta(0), now_s - t["released_at"])
    else:  # APPROVED
        t["released_at"] = now_s - _span(rng, timedelta(0), window * 0.6)
    t["order_time"] = t["released_at"] - review_delay
    return {k: v.replace(microsecond=0) if v < now else v for k, v in t.items()}


# ---- building the rows ----------------------------------------------------------------------------------

class _Maker:
    def __init__(self, merchant: Row, products: dict[str, Row], variants: list[Row], policy: OrderPolicy,
                 now: datetime, rng: random.Random, book: AddressBook) -> None:
        self.merchant, self.products, self.variants = merchant, products, variants
        self.policy, self.now, self.rng, self.book = policy, now, rng, book
        self.local = merchant["payment_currency"] != "USD"
        self.rate = currency_rates().get(merchant["localized_currency"], 1.0) or 1.0
        self.left: dict[tuple[str, str], int] = {}  # units left per (variant, stock entry) as orders take them
        self.moves: list[tuple[str, str | None, int]] = []  # (variant, warehouse, units) for store.adjust_stock
        self.images = {pid: IMAGE_URL.format(pid=pid, buster=hashlib.md5(
            f"{pid}:{p['main_image']}".encode()).hexdigest()) for pid, p in products.items()}
        shipped, unshipped = refund_reason_era(policy.refund_era)
        self.refund_codes = (sorted(unshipped), sorted(shipped))

    def transaction(self, g: _Group, transaction_id: str) -> list[Row]:
        rng, cc = self.rng, g.country
        warehouse = express(cc) if g.express else STANDARD  # g.express: the merchant has that warehouse
        address = self.book.address(cc)
        buyer = seeded_id(rng)
        fbw_code = rng.choice(FBW_WAREHOUSES.get(cc, FBW_DEFAULT)) if g.fbw else None
        rows: list[Row] = []
        used: set[str] = set()
        for _ in range(g.size):
            variant = self._pick(cc, warehouse, used)
            used.add(variant["id"])
            rows.append(self._row(g, transaction_id, buyer, address, variant, warehouse, fbw_code))
        new_address = self.book.address(cc) if g.changed_address else None
        carrier = tracking = None
        if g.state == SHIPPED or (g.state == REFUNDED and g.refund_after_shipping):
            carrier = self._carrier(cc, any(r["requires_delivery_confirmation"] for r in rows))
            tracking = tracking_numbers.generate(rng, carrier)
        code = None
        if g.state == REFUNDED:
            code = rng.choice(self.refund_codes[1 if carrier else 0])
        for row in rows:
            self._advance(row, g, new_address, carrier, tracking, code)
            row["last_updated"] = self.now  # new rows sort last (see the module docstring)
        return rows

    def _pick(self, cc: str, warehouse: str, used: set[str]) -> Row:
        """A variant whose product ships to the country and that has units left (a few tries; a sold-out
        catalogue still sells, its inventory staying at 0). Another SKU than the transaction's others."""
        rng, variants = self.rng, self.variants
        best: Row | None = None
        for _ in range(12):
            v = variants[rng.randrange(len(variants))]
            entry = self.products[v["product_id"]]["shipping"].get(STANDARD, {}).get(cc)
            if (entry is not None and not entry.get("enabled", True)) or (v["id"] in used and len(variants) > 1):
                continue
            best = best or v
            if self._units_left(v, warehouse) > 0:
                return v
        return best or variants[rng.randrange(len(variants))]

    def _stock_key(self, v: Row, warehouse: str) -> str:
        return warehouse if warehouse in v["stock"] else STANDARD

    def _units_left(self, v: Row, warehouse: str) -> int:
        key = (v["id"], self._stock_key(v, warehouse))
        if key not in self.left:
            self.left[key] = int((v["stock"].get(key[1]) or {}).get("inventory", 0) or 0)
        return self.left[key]

    def _shipping(self, product: Row, v: Row, warehouse: str, cc: str) -> tuple[float, float]:
        """(USD, localized) shipping of one unit: the product's price for the country and warehouse when
        set, else the variation's own shipping there, else its STANDARD one, else the product default."""
        entry = product["shipping"].get(warehouse, {}).get(cc)
        if entry and entry.get("enabled", True) and entry.get("price") is not None:
            usd = float(entry["price"])
            return usd, float(entry["localized_price"]) if entry.get("localized_price") is not None else usd * self.rate
        for wh in (warehouse, STANDARD):
            st = v["stock"].get(wh) or {}
            if st.get("shipping") is not None:
                usd = float(st["shipping"])
                local = st.get("localized_shipping")
                return usd, float(local) if local is not None else usd * self.rate
        if warehouse != STANDARD:
            return self._shipping(product, v, STANDARD, cc)
        usd = float(product["default_shipping_price"] or 0.0)
        local = product["localized_default_shipping_price"]
        return usd, float(local) if local is not None else usd * self.rate

    def _row(self, g: _Group, transaction_id: str, buyer: str, address: dict[str, str], v: Row, warehouse: str,
             fbw_code: str | None) -> Row:
        rng, policy, product = self.rng, self.policy, self.products[v["product_id"]]
        quantity = rng.choices([q for q, _ in QUANTITIES], weights=[w for _, w in QUANTITIES])[0]
        if product["max_quantity"]:
            quantity = min(quantity, int(product["max_quantity"]))
        ship_usd, ship_local = self._shipping(product, v, warehouse, g.country)
        price_usd = float(v["price"])
        price_local = float(v["localized_price"]) if v["localized_price"] is not None else price_usd * self.rate
        price, shipping = (price_local, ship_local) if self.local else (price_usd, ship_usd)
        price, shipping = round(price, 2), round(shipping, 2)
        times = g.times
        express = warehouse != STANDARD or g.express
        if g.fbw:
            self.moves.append((v["id"], None, quantity))  # Wish's stock: only the number sold moves
        elif not (g.state == REFUNDED and not g.refund_after_shipping):  # a refund before shipping gives units back
            key = self._stock_key(v, warehouse)
            self.left[(v["id"], key)] = max(0, self._units_left(v, warehouse) - quantity)
            self.moves.append((v["id"], warehouse, quantity))
        return {
            "id": ordered_id(self.now), "merchant_id": self.merchant["id"], "transaction_id": transaction_id,
            "buyer_id": buyer, "product_id": v["product_id"], "variant_id": v["id"], "sku": v["sku"],
            "product_name": product["name"], "product_image_url": self.images[v["product_id"]],
            "color": v["color"], "size": v["size"], "quantity": quantity, "price": price, "shipping": shipping,
            "cost": rules.merchant_share(price, policy), "shipping_cost": rules.merchant_share(shipping, policy),
            "currency_code": self.merchant["payment_currency"] if self.local else "USD",
            "state": REQUIRE_REVIEW if g.state == REQUIRE_REVIEW else APPROVED,
            "order_time": times["order_time"], "released_at": times["released_at"], "last_updated": self.now,
            "warehouse": warehouse, "is_wish_express": express,
            "we_required_delivery_date": times["order_time"] + WE_DELIVERY if express else None,
            "requires_delivery_confirmation": rules.needs_confirmed_delivery(
                g.country, quantity * (price_usd + ship_usd), policy),
            "is_combined_order": g.size > 1, "is_fbw": g.fbw, "fbw_warehouse_code": fbw_code, "fine_ids": [],
            "shipping_detail": dict(address), "original_shipping_detail": None, "shipping_provider": None,
            "tracking_number": None, "origin_country_code": None, "ship_note": None, "shipped_at": None,
            "tracking_confirm_at": None, "tracking_confirmed": False, "delivery_confirm_at": None,
            "delivery_confirmed": False, "refunded_at": None,
            "refund_reason_code": None, "refunded_reason": None, "refunded_by": None, "refund_amount": None,
            "merchant_responsible_amount": None,
        }

    def _carrier(self, cc: str, confirmed_delivery: bool) -> str:
        if confirmed_delivery:
            allowed = confirmed_delivery_carriers(cc)
            preferred = [c for c in allowed if c in CARRIERS]
            return self.rng.choice(preferred or list(allowed))
        return self.rng.choice(_usual_carriers())

    def _advance(self, row: Row, g: _Group, new_address: dict[str, str] | None, carrier: str | None,
                 tracking: str | None, code: int | None) -> None:
        """Walk the APPROVED row to its state with the rules' own transitions, at the transaction's
        instants (an address change happens before anything ships)."""
        policy, times = self.policy, g.times
        if new_address is not None:
            address = {k: new_address.get(k) for k in rules.ADDRESS_KEYS[1:]}
            row.update(rules.change_shipping(row, address=address, now=self.now, policy=policy))
        if row["state"] == REQUIRE_REVIEW or g.state == APPROVED:
            return
        if carrier is not None:
            row.update(rules.fulfill_one(row, provider=carrier, tracking_number=tracking, origin_country_code=ORIGIN,
                                         ship_note=None, now=times["shipped_at"], policy=policy,
                                         by_wish=row["is_fbw"]))
            if g.confirmed:  # scanned (and perhaps delivered) before any refund
                at = times.get("refunded_at", self.now)
                row.update(rules.confirm_tracking(row, at) or {})
                row.update(rules.confirm_delivery(row, at) or {})
        if g.state == REFUNDED:
            assert code is not None
            note = "Buyer cancelled the order" if code == rules.OTHER_REASON else None
            row.update(rules.refund(row, reason_code=code, reason_note=note, now=times["refunded_at"],
                                    policy=policy).changes)


_USUAL: list[str] = []


def _usual_carriers() -> list[str]:
    if not _USUAL:
        accepted = set(accepted_carriers())
        _USUAL.extend(c for c in CARRIERS if c in accepted)
    return _USUAL

