"""Order queries. Every function takes the merchant id and filters on it: another merchant's order answers
exactly as an id that does not exist (1004/2021). Lists read on the driver connection with SQL written
once (the hot path of an ERP's polling loop)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import orjson
from sqlalchemy import Connection, bindparam, func, insert, select, update

from mockwish.errors import WishError
from mockwish.merchant.orders.rules import APPROVED
from mockwish.store.fast import FastRead
from mockwish.store.shift import shift_table
from mockwish.store.tables import Order, Product, Variant, table_of

T = table_of(Order)
P = table_of(Product)
V = table_of(Variant)
Row = dict[str, Any]

_BY_ID = FastRead(T, "id = ? AND merchant_id = ?")
_PAGE = FastRead(T, "merchant_id = ? {extra}", "ORDER BY {order} LIMIT ? OFFSET ?")
_BY_IDS = FastRead(T, "merchant_id = ? AND id IN ({ids})")


def db_time(value: datetime) -> str:
    """A datetime as SQLAlchemy stores it in SQLite, for comparisons in hand-written SQL."""
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def get(conn: Connection, merchant_id: str, order_id: str) -> Row:
    row = _BY_ID.first(conn, (order_id, merchant_id))
    if row is None:
        raise WishError("order_not_found", id=order_id)
    return row


def _bounds(sql: list[str], params: list[Any], column: str, low: datetime | None, high: datetime | None,
            high_op: str = "<=") -> None:
    """Append `column >= low` and `column <high_op> high` for the bounds given."""
    if low is not None:
        sql.append(f"AND {column} >= ?")
        params.append(db_time(low))
    if high is not None:
        sql.append(f"AND {column} {high_op} ?")
        params.append(db_time(high))


def _filters(since: datetime | None, upto: datetime | None, we_only: bool, fbw_only: bool
             ) -> tuple[str, list[Any]]:
    sql: list[str] = []
    params: list[Any] = []
    _bounds(sql, params, "last_updated", since, upto)
    if we_only:
        sql.append("AND is_wish_express = 1")
    if fbw_only:
        sql.append("AND is_fbw = 1")
    return " ".join(sql), params


@dataclass(frozen=True)
class Listing:
    """One of the merchant's order listings, paged through the index that orders it: `ids` reads the index
    alone (no row); `rows` reads the page's rows in the same query, in index order (much cheaper than looking
    up scattered ids one by one, when few of the page's orders are in the read cache)."""

    extra: str  # conditions after merchant_id = ?
    params: tuple[Any, ...]
    order: str
    # every order by last_updated, only bounded by [since, upto]: a page of it can come from the merchant's
    # OrderKeys (orders.keys) instead of the index walk
    window: tuple[datetime | None, datetime | None] | None = None

    @classmethod
    def changed(cls, *, since: datetime | None = None, upto: datetime | None = None, we_only: bool = False,
                fbw_only: bool = False) -> Listing:
        """The orders updated in [since, upto], by last_updated then order id: a stable order for paging, in
        which new and newly changed orders come last."""
        extra, params = _filters(since, upto, we_only, fbw_only)
        window = (since, upto) if not (we_only or fbw_only) else None
        return cls(extra, tuple(params), "last_updated, id", window)

    @classmethod
    def to_fulfill(cls, *, since: datetime | None = None, we_only: bool = False) -> Listing:
        """The APPROVED orders the merchant ships (the ones awaiting fulfilment; FBW orders are Wish's), oldest
        first."""
        extra, params = _filters(since, None, we_only, False)
        return cls(f"AND state = '{APPROVED}' AND is_fbw = 0 {extra}", tuple(params), "order_time, id")

    def ids(self, conn: Connection, merchant_id: str, start: int = 0, count: int = -1) -> list[str]:
        """`count` ids from `start` (-1: all)."""
        sql = f"SELECT id FROM orders WHERE merchant_id = ? {self.extra} ORDER BY {self.order} LIMIT ? OFFSET ?"
        raw = conn.connection.driver_connection
        return [r[0] for r in raw.execute(sql, (merchant_id, *self.params, count, start))]  # type: ignore[union-attr]  # driver_connection is typed Any | None; here always a sqlite3.Connection

    def rows(self, conn: Connection, merchant_id: str, start: int, count: int) -> dict[str, Row]:
        sql = _PAGE.sql.format(extra=self.extra, order=self.order)
        return {r["id"]: r for r in _PAGE.rows(conn, (merchant_id, *self.params, count, start), sql)}


def by_ids(conn: Connection, merchant_id: str, ids: Sequence[str]) -> dict[str, Row]:
    """The merchant's orders among `ids` (at most a page: under SQLite's bound-parameter limit)."""
    return {r["id"]: r for r in _BY_IDS.rows_in(conn, (merchant_id,), ids)}


def save(conn: Connection, order_id: str, changes: Row) -> None:
    conn.execute(update(T).where(T.c.id == order_id).values(**changes))


def adjust_stock(conn: Connection, merchant_id: str, moves: Sequence[tuple[str, str | None, int]]) -> None:
    """Apply (variant_id, warehouse, units) moves: units leave the variant's inventory in that warehouse
    (negative units come back) and the product's number sold moves the other way. Warehouse None: only the
    number sold moves (Fulfilled By Wish: the units are Wish's stock)."""
    if not moves:
        return
    by_variant: dict[tuple[str, str | None], int] = {}
    for variant_id, warehouse, units in moves:
        by_variant[(variant_id, warehouse)] = by_variant.get((variant_id, warehouse), 0) + units
    ids = list({v for v, _ in by_variant})
    variants: dict[str, Row] = {}
    for i in range(0, len(ids), 500):
        for r in conn.execute(select(V.c.id, V.c.product_id, V.c.stock).where(
                V.c.merchant_id == merchant_id, V.c.id.in_(ids[i:i + 500]))).mappings():
            variants[r["id"]] = {"product_id": r["product_id"], "stock": r["stock"]}
    sold: dict[str, int] = {}
    for (variant_id, warehouse), units in by_variant.items():
        v = variants.get(variant_id)
        if v is None:
            continue
        sold[v["product_id"]] = sold.get(v["product_id"], 0) + units
        if warehouse is None:
            continue
        entry = dict(v["stock"].get(warehouse) or v["stock"].get("STANDARD") or {"inventory": 0})
        entry["inventory"] = max(0, int(entry.get("inventory", 0)) - units)
        v["stock"] = {**v["stock"], warehouse if warehouse in v["stock"] else "STANDARD": entry}
    if variants:
        conn.execute(update(V).where(V.c.id == bindparam("_id")).values(stock=bindparam("stock")),
                     [{"_id": k, "stock": v["stock"]} for k, v in variants.items()])
    if sold:
        conn.execute(update(P).where(P.c.id == bindparam("_id")).values(
            num_sold=P.c.num_sold + bindparam("units")), [{"_id": k, "units": u} for k, u in sold.items()])
        # never below zero (a seeded product may have sold fewer than a refund gives back)
        conn.execute(update(P).where(P.c.id.in_(list(sold)), P.c.num_sold < 0).values(num_sold=0))


def insert_many(conn: Connection, rows: list[Row]) -> None:
    for i in range(0, len(rows), 2000):
        conn.execute(insert(T), rows[i:i + 2000])


def _placed(merchant_id: str, start: datetime | None, end: datetime | None) -> tuple[str, list[Any]]:
    sql, params = ["WHERE merchant_id = ?"], [merchant_id]
    _bounds(sql, params, "order_time", start, end, "<")
    return " ".join(sql), params


# The export's instants, cut by SQLite from the stored text (SQLAlchemy writes "YYYY-MM-DD HH:MM:SS.ffffff")
# into the CSV's "YYYY-MM-DDTHH:MM:SS": the same text as wire.format.ts of the parsed value, without a
# datetime per cell (100,000 orders x 8 instants).
CSV_TIMES = frozenset(("order_time", "released_at", "last_updated", "we_required_delivery_date", "shipped_at",
                       "tracking_confirm_at", "delivery_confirm_at", "refunded_at"))
_JSON_COLUMNS = frozenset(c.name for c, f in zip(T.columns, _BY_ID.convert, strict=True) if f is orjson.loads)


def for_download(conn: Connection, merchant_id: str, columns: Sequence[str], *, start: datetime | None,
                 end: datetime | None, limit: int | None, descending: bool) -> Iterator[Row]:
    """Orders placed in [start, end), by order time, for the CSV export: the named columns only, one row
    at a time (each is dropped before the next is made, so no batch of dicts outlives the garbage
    collector's youngest generation). JSON columns parsed; the CSV_TIMES instants as text already in the
    export's form (None stays None); flags as SQLite's 0/1."""
    where, params = _placed(merchant_id, start, end)
    order = "ORDER BY order_time DESC, id DESC" if descending else "ORDER BY order_time, id"
    selected = ", ".join(f"substr({c}, 1, 10) || 'T' || substr({c}, 12, 8)" if c in CSV_TIMES else c
                         for c in columns)
    sql = f"SELECT {selected} FROM orders {where} {order}"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    names, loads = tuple(columns), orjson.loads
    parsed = [c for c in names if c in _JSON_COLUMNS]
    cursor = conn.connection.driver_connection.execute(sql, params)  # type: ignore[union-attr]  # driver_connection is typed Any | None; here always a sqlite3.Connection
    while batch := cursor.fetchmany(2000):
        for raw in batch:
            o = dict(zip(names, raw, strict=True))
            for c in parsed:
                if o[c] is not None:
                    o[c] = loads(o[c])
            yield o


def count_for_download(conn: Connection, merchant_id: str, *, start: datetime | None, end: datetime | None,
                       limit: int | None) -> int:
    where, params = _placed(merchant_id, start, end)
    n = int(conn.connection.driver_connection.execute(  # type: ignore[union-attr]  # driver_connection is typed Any | None; here always a sqlite3.Connection
        f"SELECT COUNT(*) FROM orders {where}", params).fetchone()[0])
    return min(n, limit) if limit is not None else n


# ---- test transactions (mockwish.merchant.orders.generate) and the sandbox's order hooks ----------------

_ORDERABLE_PRODUCTS = ("SELECT id, name, main_image, shipping, default_shipping_price, "
                       "localized_default_shipping_price, max_quantity FROM product WHERE merchant_id = ? "
                       "AND review_status = 'approved' "
                       "AND enabled = 1 AND removed_by_merchant = 0 ORDER BY id")
_ORDERABLE_VARIANTS = ("SELECT v.id, v.product_id, v.sku, v.color, v.size, v.price, v.localized_price, v.stock "
                       "FROM variant v JOIN product p ON p.id = v.product_id WHERE v.merchant_id = ? "
                       "AND p.review_status = 'approved' AND p.enabled = 1 AND p.removed_by_merchant = 0 "
                       "AND v.enabled = 1 AND v.removed_by_wish = 0 ORDER BY v.product_id, v.position, v.id")


def orderable_catalogue(conn: Connection, merchant_id: str) -> tuple[dict[str, Row], list[Row]]:
    """What buyers can order from a merchant, read once per generation: approved, enabled, not removed
    products (by id) and their enabled variants, in a stable order (generation is deterministic)."""
    raw: sqlite3.Connection = conn.connection.driver_connection  # type: ignore[assignment]  # driver_connection is typed Any | None; here always a sqlite3.Connection
    products: dict[str, Row] = {}
    for pid, name, image, shipping, ship, local_ship, max_q in raw.execute(_ORDERABLE_PRODUCTS, (merchant_id,)):
        products[pid] = {"id": pid, "name": name, "main_image": image, "shipping": orjson.loads(shipping),
                         "default_shipping_price": ship, "localized_default_shipping_price": local_ship,
                         "max_quantity": max_q}
    variants = [{"id": vid, "product_id": pid, "sku": sku, "color": color, "size": size, "price": price,
                 "localized_price": local, "stock": orjson.loads(stock)}
                for vid, pid, sku, color, size, price, local, stock in raw.execute(_ORDERABLE_VARIANTS, (merchant_id,))]
    return products, variants


def owner_of(conn: Connection, order_id: str) -> str | None:
    """The merchant of an order (the sandbox's hooks name an order by id alone; reads then go through get)."""
    return conn.execute(select(T.c.merchant_id).where(T.c.id == order_id)).scalar()


def state_counts(conn: Connection, merchant_id: str) -> dict[str, int]:
    return {state: n for state, n in conn.execute(select(T.c.state, func.count()).where(
        T.c.merchant_id == merchant_id).group_by(T.c.state))}


_TIMES = tuple(sorted(CSV_TIMES))  # every instant of an order


def shift_times(conn: Connection, delta: timedelta) -> None:
    """Move every order's instants by `delta` (a sandbox reset brings the seeded orders to the clock)."""
    shift_table(conn, "orders", _TIMES, delta)
