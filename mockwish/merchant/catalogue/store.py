"""Product and variant queries. Every function takes the merchant id and filters on it, so another
merchant's ids answer exactly as ids that do not exist."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

import orjson
from sqlalchemy import Connection, and_, delete, func, insert, or_, select, update

from mockwish.store.fast import FastRead, FastUpdate, binder
from mockwish.store.read_cache import ReadCache
from mockwish.store.tables import Merchant, Product, Variant, table_of

P = table_of(Product)
V = table_of(Variant)
M = table_of(Merchant)

Row = dict[str, Any]


_MERCHANT = FastRead(M, "id = ?")
_PRODUCT_BY_ID = FastRead(P, "id = ? AND merchant_id = ?")
_PRODUCT_BY_PARENT_SKU = FastRead(P, "parent_sku = ? AND merchant_id = ?")
_VARIANT_BY_SKU = FastRead(V, "sku = ? AND merchant_id = ?")
_VARIANTS_OF = FastRead(V, "merchant_id = ? AND product_id IN ({ids})", "ORDER BY product_id, position")
_VARIANTS_BY_IDS = FastRead(V, "merchant_id = ? AND id IN ({ids})")


def find_merchant(conn: Connection, merchant_id: str) -> Row | None:
    return _MERCHANT.first(conn, (merchant_id,))


def merchant_cached(conn: Connection, cache: ReadCache, merchant_id: str) -> Row:
    """The merchant row (read-only: shared), kept in the read cache: catalogue reads and writes read it on
    every call, and it changes only through the sandbox (any change drops it)."""
    cache.sync(conn)
    key = ("merchant", merchant_id)
    row: Row | None = cache.get(key)
    if row is None:
        row = merchant(conn, merchant_id)
        cache.put(conn, key, row, MERCHANT_ENTRY_BYTES, [("m", merchant_id, merchant_id)])
    return row


MERCHANT_ENTRY_BYTES = 4096  # a merchant row's estimated size: its shipping settings and warehouses


def merchant(conn: Connection, merchant_id: str) -> Row:
    row = find_merchant(conn, merchant_id)
    assert row is not None  # the authenticated merchant exists
    return row


def product_by_id(conn: Connection, merchant_id: str, product_id: str) -> Row | None:
    return _PRODUCT_BY_ID.first(conn, (product_id, merchant_id))


def product_removed(conn: Connection, merchant_id: str, product_id: str) -> bool | None:
    """Whether the merchant removed the product (None: no such product of the merchant's). Reads one column:
    a variant write needs no more of its product, and its JSON columns cost more to decode than the UPDATE."""
    raw = conn.connection.driver_connection
    row = raw.execute(_PRODUCT_REMOVED, (product_id, merchant_id)).fetchone()  # type: ignore[union-attr]  # always a sqlite3.Connection here
    return None if row is None else bool(row[0])


_PRODUCT_REMOVED = "SELECT removed_by_merchant FROM product WHERE id = ? AND merchant_id = ?"


def product_by_parent_sku(conn: Connection, merchant_id: str, parent_sku: str) -> Row | None:
    return _PRODUCT_BY_PARENT_SKU.first(conn, (parent_sku, merchant_id))


def products_by_ids(conn: Connection, merchant_id: str, ids: Sequence[str]) -> dict[str, Row]:
    rows = conn.execute(select(P).where(P.c.merchant_id == merchant_id, P.c.id.in_(list(ids)))).mappings()
    return {r["id"]: dict(r) for r in rows}


def _product_filter(merchant_id: str, since: datetime | None, upto: datetime | None,
                    show_rejected: bool) -> list[Any]:
    cond: list[Any] = [P.c.merchant_id == merchant_id, P.c.removed_by_merchant.is_(False)]
    if since is not None:
        cond.append(P.c.last_updated >= since)
    if upto is not None:
        cond.append(P.c.last_updated <= upto)
    if not show_rejected:
        cond.append(P.c.review_status != "rejected")
    return cond


def list_products(conn: Connection, merchant_id: str, *, start: int, limit: int, since: datetime | None = None,
                  upto: datetime | None = None, show_rejected: bool = False,
                  order: str = "updated_desc") -> list[Row]:
    """Products of a merchant, newest update first (the documented default order)."""
    cond = _product_filter(merchant_id, since, upto, show_rejected)
    orders = {
        "updated_desc": (P.c.last_updated.desc(), P.c.id.desc()),
        "id_desc": (P.c.id.desc(),),
        "id_asc": (P.c.id.asc(),),
    }[order]
    q = select(P).where(and_(*cond)).order_by(*orders).offset(start)
    if limit >= 0:
        q = q.limit(limit)
    return [dict(r) for r in conn.execute(q).mappings()]


def count_products(conn: Connection, merchant_id: str, *, since: datetime | None = None,
                   show_rejected: bool = False) -> int:
    cond = _product_filter(merchant_id, since, None, show_rejected)
    return int(conn.execute(select(func.count()).select_from(P).where(and_(*cond))).scalar_one())


def variants_of(conn: Connection, merchant_id: str, product_ids: Iterable[str]) -> dict[str, list[Row]]:
    ids = list(product_ids)
    out: dict[str, list[Row]] = {pid: [] for pid in ids}
    if not ids:
        return out
    for r in _VARIANTS_OF.rows_in(conn, (merchant_id,), ids):
        out[r["product_id"]].append(r)
    return out


def variant_ids_of(conn: Connection, merchant_id: str, product_id: str) -> list[str]:
    """The ids of a product's variants, in the order variants_of lists them (by position)."""
    raw = conn.connection.driver_connection
    return [r[0] for r in raw.execute(_VARIANT_IDS_OF, (product_id, merchant_id))]  # type: ignore[union-attr]  # always a sqlite3.Connection here


_VARIANT_IDS_OF = "SELECT id FROM variant WHERE product_id = ? AND merchant_id = ? ORDER BY position"


def variants_by_ids(conn: Connection, merchant_id: str, ids: Sequence[str]) -> dict[str, Row]:
    """The merchant's variants of these ids, by id."""
    return {r["id"]: r for r in _VARIANTS_BY_IDS.rows_in(conn, (merchant_id,), ids)}


def variant_by_sku(conn: Connection, merchant_id: str, sku: str) -> Row | None:
    return _VARIANT_BY_SKU.first(conn, (sku, merchant_id))


def variant_stock_by_sku(conn: Connection, merchant_id: str, sku: str) -> tuple[str, str, Row, bool] | None:
    """What an inventory write needs of a variant, in one statement: (its id, its product's id, its stock,
    whether the product was removed). The whole row and then the product's flag cost two statements and the
    decoding of every column, which the write never reads (profiled on variant/update-inventory)."""
    raw = conn.connection.driver_connection
    row = raw.execute(_STOCK_BY_SKU, (sku, merchant_id)).fetchone()  # type: ignore[union-attr]  # always a sqlite3.Connection here
    if row is None:
        return None
    return row[0], row[1], orjson.loads(row[2]), bool(row[3])


_STOCK_BY_SKU = ("SELECT v.id, v.product_id, v.stock, p.removed_by_merchant FROM variant AS v "
                 "JOIN product AS p ON p.id = v.product_id AND p.merchant_id = v.merchant_id "
                 "WHERE v.sku = ? AND v.merchant_id = ?")


def variants_by_skus(conn: Connection, merchant_id: str, skus: Sequence[str]) -> dict[str, Row]:
    out: dict[str, Row] = {}
    chunk = 500
    for i in range(0, len(skus), chunk):
        part = list(skus[i:i + chunk])
        for r in conn.execute(select(V).where(V.c.merchant_id == merchant_id, V.c.sku.in_(part))).mappings():
            out[r["sku"]] = dict(r)
    return out


def list_variants(conn: Connection, merchant_id: str, *, start: int, limit: int) -> list[Row]:
    """Variants of live (not removed) products, in a stable order (by product, then position)."""
    q = (select(V).join(P, P.c.id == V.c.product_id)
         .where(V.c.merchant_id == merchant_id, P.c.removed_by_merchant.is_(False))
         .order_by(V.c.product_id, V.c.position).offset(start).limit(limit))
    return [dict(r) for r in conn.execute(q).mappings()]


def sku_taken(conn: Connection, merchant_id: str, sku: str, *, except_product: str | None = None) -> bool:
    """SKUs and parent SKUs share one namespace per merchant (a product may reuse its own variant SKU)."""
    pq = select(P.c.id).where(P.c.merchant_id == merchant_id, P.c.parent_sku == sku)
    vq = select(V.c.product_id).where(V.c.merchant_id == merchant_id, V.c.sku == sku)
    if except_product is not None:
        pq = pq.where(P.c.id != except_product)
        vq = vq.where(V.c.product_id != except_product)
    return conn.execute(pq.limit(1)).first() is not None or conn.execute(vq.limit(1)).first() is not None


def insert_product(conn: Connection, values: Row) -> None:
    conn.execute(insert(P).values(**values))


def insert_variant(conn: Connection, values: Row) -> None:
    conn.execute(insert(V).values(**values))


_UPDATE_PRODUCT = FastUpdate(P)
_UPDATE_VARIANT = FastUpdate(V)


def update_product(conn: Connection, merchant_id: str, product_id: str, values: Row) -> None:
    if values:
        _UPDATE_PRODUCT(conn, merchant_id, product_id, values)


def update_variant(conn: Connection, merchant_id: str, variant_id: str, values: Row) -> None:
    if values:
        _UPDATE_VARIANT(conn, merchant_id, variant_id, values)


def update_variants_of(conn: Connection, merchant_id: str, product_id: str, values: Row,
                       only_not_removed_by_wish: bool = False) -> None:
    cond = [V.c.product_id == product_id, V.c.merchant_id == merchant_id]
    if only_not_removed_by_wish:
        cond.append(V.c.removed_by_wish.is_(False))
    conn.execute(update(V).where(*cond).values(**values))


def touch_product(conn: Connection, merchant_id: str, product_id: str, now: datetime) -> None:
    """The product changed (one of its variants did): last_updated moves to now, unless it already lies in
    now's whole second. The wire shows whole seconds and since/upto take whole seconds, so nothing a client
    sees differs, and a burst of variant writes (an ERP's inventory sync) rewrites the product row and its
    last_updated index once per second instead of once per write."""
    second = now.replace(microsecond=0)
    low, high = _DATETIME_BIND(second), _DATETIME_BIND(second + timedelta(seconds=1))
    raw = conn.connection.driver_connection
    raw.execute(_TOUCH, (_DATETIME_BIND(now), product_id, merchant_id, low, high))  # type: ignore[union-attr]  # always a sqlite3.Connection here


_TOUCH = ("UPDATE product SET last_updated = ? WHERE id = ? AND merchant_id = ? "
          "AND NOT (last_updated >= ? AND last_updated < ?)")
_DATETIME_BIND = binder(P.c.last_updated.type)


def next_position(conn: Connection, merchant_id: str, product_id: str) -> int:
    n = conn.execute(select(func.max(V.c.position)).where(V.c.product_id == product_id,
                                                         V.c.merchant_id == merchant_id)).scalar()
    return 0 if n is None else int(n) + 1


def variant_count(conn: Connection, merchant_id: str, product_id: str) -> int:
    return int(conn.execute(select(func.count()).select_from(V).where(
        V.c.product_id == product_id, V.c.merchant_id == merchant_id)).scalar_one())


def delete_merchant_catalogue(conn: Connection, merchant_id: str) -> None:
    conn.execute(delete(V).where(V.c.merchant_id == merchant_id))
    conn.execute(delete(P).where(P.c.merchant_id == merchant_id))


__all__ = ["P", "V", "M", "or_"]
