"""Product and variant queries. Every function takes the merchant id and filters on it, so another
merchant's ids answer exactly as ids that do not exist."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, delete, func, insert, or_, select, update

from mockwish.store.tables import Merchant, Product, Variant

P = Product.__table__  # type: ignore[attr-defined]
V = Variant.__table__  # type: ignore[attr-defined]
M = Merchant.__table__  # type: ignore[attr-defined]

Row = dict[str, Any]


def merchant(conn: Connection, merchant_id: str) -> Row:
    row = conn.execute(select(M).where(M.c.id == merchant_id)).mappings().one()
    return dict(row)


def product_by_id(conn: Connection, merchant_id: str, product_id: str) -> Row | None:
    row = conn.execute(select(P).where(P.c.id == product_id, P.c.merchant_id == merchant_id)).mappings().first()
    return dict(row) if row else None


def product_by_parent_sku(conn: Connection, merchant_id: str, parent_sku: str) -> Row | None:
    row = conn.execute(select(P).where(P.c.parent_sku == parent_sku, P.c.merchant_id == merchant_id)
                       ).mappings().first()
    return dict(row) if row else None


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
    rows = conn.execute(select(V).where(V.c.merchant_id == merchant_id, V.c.product_id.in_(ids))
                        .order_by(V.c.product_id, V.c.position)).mappings()
    for r in rows:
        out[r["product_id"]].append(dict(r))
    return out


def variant_by_sku(conn: Connection, merchant_id: str, sku: str) -> Row | None:
    row = conn.execute(select(V).where(V.c.sku == sku, V.c.merchant_id == merchant_id)).mappings().first()
    return dict(row) if row else None


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


def update_product(conn: Connection, merchant_id: str, product_id: str, values: Row) -> None:
    conn.execute(update(P).where(P.c.id == product_id, P.c.merchant_id == merchant_id).values(**values))


def update_variant(conn: Connection, merchant_id: str, variant_id: str, values: Row) -> None:
    conn.execute(update(V).where(V.c.id == variant_id, V.c.merchant_id == merchant_id).values(**values))


def update_variants_of(conn: Connection, merchant_id: str, product_id: str, values: Row,
                       only_not_removed_by_wish: bool = False) -> None:
    cond = [V.c.product_id == product_id, V.c.merchant_id == merchant_id]
    if only_not_removed_by_wish:
        cond.append(V.c.removed_by_wish.is_(False))
    conn.execute(update(V).where(*cond).values(**values))


def touch_product(conn: Connection, merchant_id: str, product_id: str, now: datetime) -> None:
    update_product(conn, merchant_id, product_id, {"last_updated": now})


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
