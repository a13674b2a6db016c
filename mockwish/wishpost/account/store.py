"""Account, announcement and hub-lookup queries. Every function that reads a user's rows takes the WishPost
user and filters on it: another user's announcement answers exactly as one that does not exist."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, and_, insert, select, text

from mockwish.store.tables import Order, WishPostAccount, WishPostAnnouncement, WishPostParcel, table_of

ACC = table_of(WishPostAccount)
ANN = table_of(WishPostAnnouncement)
P = table_of(WishPostParcel)
ORD = table_of(Order)
CHUNK = 400  # names per query: under SQLite's bound-parameter limit (trande_ids are at most 100)
Row = dict[str, Any]


# ---- accounts ------------------------------------------------------------------------------------------------

def account(conn: Connection, user_id: str) -> Row | None:
    row = conn.execute(select(ACC).where(ACC.c.user_id == user_id)).mappings().first()
    return dict(row) if row else None


def put_account(conn: Connection, row: Row) -> None:
    """Insert or replace the user's account row."""
    conn.execute(ACC.delete().where(ACC.c.user_id == row["user_id"]))
    conn.execute(insert(ACC), [row])


# ---- announcements -------------------------------------------------------------------------------------------

def insert_announcements(conn: Connection, rows: list[Row]) -> None:
    if rows:
        conn.execute(insert(ANN), rows)


def announcements(conn: Connection, user_id: str, start: str | None = None, end: str | None = None) -> list[Row]:
    """The user's announcements published between `start` and `end` (YYYY-MM-DD, inclusive; None: open),
    newest first; on one day, in the order they were published."""
    where = [ANN.c.user_id == user_id]
    if start is not None:
        where.append(ANN.c.publish_date >= start)
    if end is not None:
        where.append(ANN.c.publish_date <= end)
    q = select(ANN).where(and_(*where)).order_by(ANN.c.publish_date.desc(), ANN.c.created_at, ANN.c.id)
    return [dict(r) for r in conn.execute(q).mappings()]


def announcement(conn: Connection, announcement_id: str) -> Row | None:
    """One announcement by its id (the page its url opens: the id is the key, as a link is)."""
    row = conn.execute(select(ANN).where(ANN.c.id == announcement_id)).mappings().first()
    return dict(row) if row else None


# ---- hub lookup: parcels by the Wish orders they ship --------------------------------------------------------

_NAMING = ("SELECT DISTINCT p.id FROM wishpost_parcel AS p, json_each(p.{column}) AS j "
           "WHERE j.value IN ({ids}){owner}")


def transactions(conn: Connection, ids: Sequence[str]) -> dict[str, str]:
    """Wish order id -> its transaction id, for the Wish orders of these transaction ids (any merchant's: a
    parcel links only its own user's merchant's orders)."""
    if not ids:
        return {}
    rows = conn.execute(select(ORD.c.id, ORD.c.transaction_id).where(ORD.c.transaction_id.in_(list(ids))))
    return {r[0]: r[1] for r in rows}


def parcels_naming(conn: Connection, order_ids: Sequence[str], user_id: str | None) -> list[Row]:
    """Parcels that name any of these Wish order ids (sent in create_order, or linked to the merchant's order),
    oldest first: the user's, or (user_id None: a carrier's query) any user's."""
    ids = list(dict.fromkeys(order_ids))[:CHUNK]
    if not ids:
        return []
    params: dict[str, Any] = {f"o{n}": v for n, v in enumerate(ids)}
    owner = ""
    if user_id is not None:
        owner, params["user_id"] = " AND p.user_id = :user_id", user_id
    marks = ", ".join(f":o{n}" for n in range(len(ids)))
    found: set[str] = set()
    for column in ("wish_order_ids", "linked_order_ids"):
        sql = _NAMING.format(column=column, ids=marks, owner=owner)
        found.update(r[0] for r in conn.execute(text(sql), params))
    if not found:
        return []
    rows = conn.execute(select(P).where(P.c.id.in_(sorted(found))).order_by(P.c.seq)).mappings()
    return [dict(r) for r in rows]
