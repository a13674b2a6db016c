"""Queries of return warehouses and product return settings. Every function but the sandbox's `any_warehouse`
filters on the merchant, so another merchant's ids answer exactly as ids that do not exist."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from mockwish.store.tables import ProductReturnSetting, ReturnWarehouse, table_of

W = table_of(ReturnWarehouse)
S = table_of(ProductReturnSetting)

Row = dict[str, Any]


def warehouses(conn: Connection, merchant_id: str) -> list[Row]:
    """The merchant's return warehouses, oldest first."""
    q = select(W).where(W.c.merchant_id == merchant_id).order_by(W.c.created_at, W.c.id)
    return [dict(r) for r in conn.execute(q).mappings()]


def warehouse(conn: Connection, merchant_id: str, warehouse_id: str) -> Row | None:
    q = select(W).where(W.c.id == warehouse_id, W.c.merchant_id == merchant_id)
    found = conn.execute(q).mappings().first()
    return None if found is None else dict(found)


def any_warehouse(conn: Connection, warehouse_id: str) -> Row | None:
    """A warehouse of any merchant (the sandbox's hooks)."""
    found = conn.execute(select(W).where(W.c.id == warehouse_id)).mappings().first()
    return None if found is None else dict(found)


def insert_warehouses(conn: Connection, rows: list[Row]) -> None:
    if rows:
        conn.execute(insert(W), rows)


def update_warehouse(conn: Connection, merchant_id: str, warehouse_id: str, values: Row) -> None:
    if values:
        conn.execute(update(W).where(W.c.id == warehouse_id, W.c.merchant_id == merchant_id).values(**values))


def settings_of(conn: Connection, merchant_id: str, product_id: str) -> list[Row]:
    """A product's return settings, by region."""
    q = select(S).where(S.c.merchant_id == merchant_id, S.c.product_id == product_id).order_by(S.c.region)
    return [dict(r) for r in conn.execute(q).mappings()]


def setting(conn: Connection, merchant_id: str, product_id: str, region: str) -> Row | None:
    q = select(S).where(S.c.merchant_id == merchant_id, S.c.product_id == product_id, S.c.region == region)
    found = conn.execute(q).mappings().first()
    return None if found is None else dict(found)


def save_setting(conn: Connection, merchant_id: str, product_id: str, region: str, warehouse_id: str,
                 now: datetime) -> None:
    """Enrol the product in `region` with `warehouse_id` (again: the warehouse changes, returns are active)."""
    values = {"warehouse_id": warehouse_id, "is_active": True, "updated_at": now}
    if setting(conn, merchant_id, product_id, region) is None:
        conn.execute(insert(S).values(merchant_id=merchant_id, product_id=product_id, region=region, **values))
    else:
        _where_setting(conn, merchant_id, product_id, region, values)


def deactivate(conn: Connection, merchant_id: str, product_id: str, region: str, now: datetime) -> None:
    _where_setting(conn, merchant_id, product_id, region, {"is_active": False, "updated_at": now})


def insert_settings(conn: Connection, rows: list[Row]) -> None:
    if rows:
        conn.execute(insert(S), rows)


def _where_setting(conn: Connection, merchant_id: str, product_id: str, region: str, values: Row) -> None:
    conn.execute(update(S).where(S.c.merchant_id == merchant_id, S.c.product_id == product_id,
                                 S.c.region == region).values(**values))
