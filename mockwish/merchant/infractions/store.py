"""Infraction queries, and the merchant's own objects a proof may name (tickets, orders, products, variations).
Every read of the API filters on the merchant, so another merchant's infraction is invisible to it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, func, select, update

from mockwish.store.numbered import insert_numbered, next_seq
from mockwish.store.tables import Infraction, Merchant, Order, Product, Ticket, Variant, table_of

INF = table_of(Infraction)
M = table_of(Merchant)
ORD = table_of(Order)
P = table_of(Product)
V = table_of(Variant)
T = table_of(Ticket)  # the tickets area's table: only ids are read here
Row = dict[str, Any]
SECOND = timedelta(seconds=1)
POOL = 200  # at most this many objects of a kind to pick proofs among


def insert_infractions(conn: Connection, rows: Sequence[Row]) -> None:
    """Insert in the order given, each numbered after every infraction there is."""
    insert_numbered(conn, INF, rows)


def _listing(merchant_id: str, states: Sequence[str], since: datetime | None, upto: datetime | None) -> list[Any]:
    """The conditions of a stage's listing. `upto` includes its whole second: the API shows whole seconds, so an
    infraction shown as updated at 12:00:00 is one a client asking up to 12:00:00 expects."""
    cond = [INF.c.merchant_id == merchant_id, INF.c.state.in_(list(states))]
    if since is not None:
        cond.append(INF.c.last_updated >= since)
    if upto is not None:
        cond.append(INF.c.last_updated < upto + SECOND)
    return cond


def page(conn: Connection, merchant_id: str, states: Sequence[str], *, since: datetime | None,
         upto: datetime | None, start: int, limit: int) -> list[Row]:
    """`limit` infractions from `start`, by last change (oldest first, as the API's other since-lists: an
    infraction changed while a client pages comes last, on a page it has not read yet)."""
    q = (select(INF).where(*_listing(merchant_id, states, since, upto))
         .order_by(INF.c.last_updated, INF.c.seq).offset(start).limit(limit))
    return [dict(r) for r in conn.execute(q).mappings()]


def count(conn: Connection, merchant_id: str, states: Sequence[str]) -> int:
    q = select(func.count()).select_from(INF).where(*_listing(merchant_id, states, None, None))
    return int(conn.execute(q).scalar_one())


def any_infraction(conn: Connection, infraction_id: str) -> Row | None:
    """An infraction of anyone (the sandbox's hooks)."""
    row = conn.execute(select(INF).where(INF.c.id == infraction_id)).mappings().first()
    return dict(row) if row else None


def save(conn: Connection, infraction_id: str, values: Row) -> None:
    """Save changes; the infraction's change number moves with them (it orders the changes of one second)."""
    conn.execute(update(INF).where(INF.c.id == infraction_id).values(**values, seq=next_seq(conn, INF)))


# ---- what a proof may name ---------------------------------------------------------------------------------

def payment_currency(conn: Connection, merchant_id: str) -> str:
    return str(conn.execute(select(M.c.payment_currency).where(M.c.id == merchant_id)).scalar_one())


def product_ids(conn: Connection, merchant_id: str) -> list[str]:
    q = select(P.c.id).where(P.c.merchant_id == merchant_id).order_by(P.c.id).limit(POOL)
    return [r[0] for r in conn.execute(q)]


def variants(conn: Connection, merchant_id: str) -> list[tuple[str, str]]:
    """(variant id, product id) of the merchant's variations."""
    q = select(V.c.id, V.c.product_id).where(V.c.merchant_id == merchant_id).order_by(V.c.id).limit(POOL * 4)
    return [(r[0], r[1]) for r in conn.execute(q)]


def orders(conn: Connection, merchant_id: str) -> list[tuple[str, str]]:
    """(order id, state) of the merchant's orders."""
    q = select(ORD.c.id, ORD.c.state).where(ORD.c.merchant_id == merchant_id).order_by(ORD.c.id).limit(POOL * 4)
    return [(r[0], r[1]) for r in conn.execute(q)]


def ticket_ids(conn: Connection, merchant_id: str) -> list[str]:
    q = select(T.c.id).where(T.c.merchant_id == merchant_id).order_by(T.c.id).limit(POOL)
    return [r[0] for r in conn.execute(q)]


def owns(conn: Connection, merchant_id: str, proof_type: str, object_id: str) -> bool:
    """Whether `object_id` is the merchant's own object of that proof type (a RATING names a buyer's rating,
    which the mock keeps no table of: any id will do)."""
    if proof_type == "MERCHANT":
        return object_id == merchant_id
    if proof_type == "RATING":
        return True
    table = {"TICKET": T, "ORDER": ORD, "PRODUCT": P, "VARIATION": V}[proof_type]
    q = select(table.c.id).where(table.c.id == object_id, table.c.merchant_id == merchant_id)
    return conn.execute(q).first() is not None
