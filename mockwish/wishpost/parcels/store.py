"""Parcel and label-batch queries. Every function takes the WishPost user and filters on it: another user's
parcel answers exactly as one that does not exist."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, insert, or_, select, update

from mockwish.store import numbered
from mockwish.store.chunks import chunks
from mockwish.store.fast import FastRead
from mockwish.store.tables import (
    Order,
    WishPostLabelBatch,
    WishPostParcel,
    WishPostUser,
    table_of,
)

P = table_of(WishPostParcel)
B = table_of(WishPostLabelBatch)
U = table_of(WishPostUser)
ORD = table_of(Order)
Row = dict[str, Any]


def next_seq(conn: Connection) -> int:
    """The next parcel number (the 12 digits of the WOSP id), over every user: ids are global, as on WishPost."""
    return numbered.next_seq(conn, P)


def insert_parcels(conn: Connection, rows: list[Row]) -> None:
    if rows:
        conn.execute(insert(P), rows)


_BY_IDS = FastRead(P, "id IN ({ids})")
_BY_BARCODES = FastRead(P, "user_id = ? AND barcode IN ({ids})")
_BY_CODES = FastRead(P, "user_id = ? AND logistics_order_code IN ({ids})")


def by_ids(conn: Connection, user_id: str, ids: Sequence[str]) -> dict[str, Row]:
    """The user's parcels among these WOSP ids. Looked up by id alone, the owner checked on the rows found:
    with `user_id = ?` beside `id IN (...)`, SQLite (without statistics) walks every parcel of the user
    through ix_parcel_user_seq instead of the primary key."""
    out: dict[str, Row] = {}
    for r in _BY_IDS.rows_in(conn, (), ids):
        if r["user_id"] == user_id:
            out[r["id"]] = r
    return out


def any_by_id(conn: Connection, parcel_id: str) -> Row | None:
    """A parcel of any user (the sandbox's hooks)."""
    row = conn.execute(select(P).where(P.c.id == parcel_id)).mappings().first()
    return dict(row) if row else None


def by_numbers(conn: Connection, user_id: str, numbers: Sequence[str]) -> dict[str, Row]:
    """The user's parcels named by tracking number (barcode or logistics order code) or WOSP id, by the name
    given. A number the client cannot know yet (a parcel still under review) is matched all the same: the
    caller decides what the parcel's state shows. A parcel named twice (by id and by number) is one row."""
    out = by_ids(conn, user_id, [n for n in numbers if n.startswith("WOSP")])
    rows = {row["id"]: row for row in out.values()}
    for query in (_BY_BARCODES, _BY_CODES):  # each through its (user_id, number) index
        rest = [n for n in dict.fromkeys(numbers) if n not in out]
        for part in chunks(rest):
            for row in query.rows(conn, (user_id, *part), query.sql.format(ids=", ".join("?" * len(part)))):
                row = rows.setdefault(row["id"], row)
                for key in (row["barcode"], row["logistics_order_code"]):
                    if key in part:
                        out.setdefault(key, row)
    return out


def by_transactions(conn: Connection, user_id: str, transaction_ids: Sequence[str]) -> list[Row]:
    """The user's parcels linked to Wish orders of these transactions, oldest first."""
    order_ids = [r[0] for r in conn.execute(select(ORD.c.id).where(ORD.c.transaction_id.in_(list(transaction_ids))))]
    if not order_ids:
        return []
    rows = conn.execute(select(P).where(P.c.user_id == user_id).order_by(P.c.seq)).mappings()
    wanted = set(order_ids)
    return [dict(r) for r in rows if wanted & set(r["linked_order_ids"])]  # the merchant's own orders only


def exists_elsewhere(conn: Connection, user_id: str, number: str) -> bool:
    """Whether another user has a parcel of this WOSP id or tracking number (cancel result code 2)."""
    return conn.execute(select(P.c.id).where(P.c.user_id != user_id, or_(
        P.c.id == number, P.c.barcode == number, P.c.logistics_order_code == number)).limit(1)).first() is not None


def save(conn: Connection, parcel_id: str, values: Row) -> None:
    conn.execute(update(P).where(P.c.id == parcel_id).values(**values))


def linked_merchant(conn: Connection, user_id: str) -> str | None:
    return conn.execute(select(U.c.merchant_id).where(U.c.id == user_id)).scalar()


def merchant_orders(conn: Connection, merchant_id: str, order_ids: Sequence[str]) -> dict[str, Row]:
    """The merchant's orders among these ids: id -> {transaction_id, state}."""
    rows = conn.execute(select(ORD.c.id, ORD.c.transaction_id, ORD.c.state).where(
        ORD.c.merchant_id == merchant_id, ORD.c.id.in_(list(order_ids)))).mappings()
    return {r["id"]: dict(r) for r in rows}


def transactions_of(conn: Connection, order_ids: Sequence[str]) -> list[str]:
    """The Wish transaction ids of these orders, in the order given (one per transaction)."""
    if not order_ids:
        return []
    found = dict(conn.execute(select(ORD.c.id, ORD.c.transaction_id).where(ORD.c.id.in_(list(order_ids)))).all())
    return list(dict.fromkeys(found[o] for o in order_ids if o in found))


# ---- label batches ----------------------------------------------------------------------------------------------

def batch(conn: Connection, user_id: str, batch_id: str, kind: str | None = None) -> Row | None:
    q = select(B).where(B.c.id == batch_id, B.c.user_id == user_id)
    if kind is not None:
        q = q.where(B.c.kind == kind)
    row = conn.execute(q).mappings().first()
    return dict(row) if row else None


def insert_batches(conn: Connection, rows: list[Row]) -> None:
    """New label batches (their ids fresh), in one statement."""
    if rows:
        conn.execute(insert(B), rows)


def put_batch(conn: Connection, row: Row) -> None:
    where = (B.c.id == row["id"]) & (B.c.user_id == row["user_id"])
    if conn.execute(select(B.c.id).where(where)).first() is None:
        conn.execute(insert(B).values(**row))
    else:
        conn.execute(update(B).where(where).values(parcel_ids=row["parcel_ids"], kind=row["kind"]))
