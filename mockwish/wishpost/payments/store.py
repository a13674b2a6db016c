"""Queries of charges (statement jobs are the shared job machine's). Every function takes the WishPost user and
filters on it: another user's parcel or charge answers exactly as one that does not exist."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, or_, select

from mockwish.store.chunks import chunks
from mockwish.store.tables import WishPostCharge, WishPostParcel, table_of

C = table_of(WishPostCharge)
P = table_of(WishPostParcel)
Row = dict[str, Any]


def parcels_of(conn: Connection, user_id: str, before: datetime) -> list[Row]:
    """The user's parcels that can have been charged before `before`: accepted, or moved by a sandbox hook,
    before it (a charge comes at a warehouse scan, after either)."""
    q = select(P).where(P.c.user_id == user_id, or_(P.c.decided_at < before, P.c.forced_at < before))
    return [dict(r) for r in conn.execute(q.order_by(P.c.seq)).mappings()]


def parcels_by_ids(conn: Connection, user_id: str, ids: Sequence[str]) -> dict[str, Row]:
    out: dict[str, Row] = {}
    for part in chunks(ids):
        q = select(P).where(P.c.id.in_(part), P.c.user_id == user_id)
        out.update({r["id"]: dict(r) for r in conn.execute(q).mappings()})
    return out


def posted_of(conn: Connection, user_id: str, parcel_ids: Sequence[str]) -> dict[str, list[Row]]:
    """The user's posted charges of these parcels: parcel id -> rows."""
    out: dict[str, list[Row]] = {}
    for part in chunks(parcel_ids):
        q = select(C).where(C.c.user_id == user_id, C.c.parcel_id.in_(part))
        for r in conn.execute(q).mappings():
            out.setdefault(r["parcel_id"], []).append(dict(r))
    return out


def posted_before(conn: Connection, user_id: str, before: datetime) -> list[Row]:
    """The user's posted charges created before `before`."""
    q = select(C).where(C.c.user_id == user_id, C.c.created_at < before)
    return [dict(r) for r in conn.execute(q).mappings()]


def used_slots(conn: Connection, parcel_id: str) -> int:
    return int(conn.execute(select(func.count()).select_from(C).where(C.c.parcel_id == parcel_id)).scalar_one())


def insert_charges(conn: Connection, rows: list[Row]) -> None:
    if rows:
        conn.execute(insert(C), rows)
