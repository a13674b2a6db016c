"""Queries of notifications, Account Manager announcements and System Updates. Every read filters on the
merchant, so another merchant's notification answers exactly as one that does not exist."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, func, select, update

from mockwish.store.numbered import insert_numbered
from mockwish.store.tables import BDAnnouncement, Notification, Order, Product, SystemUpdate, Ticket, table_of

N = table_of(Notification)
BD = table_of(BDAnnouncement)
SU = table_of(SystemUpdate)
ORD = table_of(Order)
P = table_of(Product)
T = table_of(Ticket)  # tickets are the tickets area's: only their ids are read here
Row = dict[str, Any]


# ---- notifications ----------------------------------------------------------------------------------------

def insert_notifications(conn: Connection, rows: Sequence[Row]) -> None:
    insert_numbered(conn, N, rows)


def unviewed_page(conn: Connection, merchant_id: str, start: int, limit: int) -> list[Row]:
    """`limit` unviewed notifications from `start`, newest first (the order of creation within one second)."""
    q = (select(N).where(N.c.merchant_id == merchant_id, N.c.viewed.is_(False))
         .order_by(N.c.created_at.desc(), N.c.seq.desc()).offset(start).limit(limit))
    return [dict(r) for r in conn.execute(q).mappings()]


def unviewed_count(conn: Connection, merchant_id: str) -> int:
    q = select(func.count()).select_from(N).where(N.c.merchant_id == merchant_id, N.c.viewed.is_(False))
    return int(conn.execute(q).scalar_one())


def notification(conn: Connection, merchant_id: str, noti_id: str) -> Row | None:
    row = conn.execute(select(N).where(N.c.id == noti_id, N.c.merchant_id == merchant_id)).mappings().first()
    return dict(row) if row else None


def save_notification(conn: Connection, merchant_id: str, noti_id: str, values: Row) -> None:
    conn.execute(update(N).where(N.c.id == noti_id, N.c.merchant_id == merchant_id).values(**values))


# ---- Account Manager announcements ------------------------------------------------------------------------

def insert_bd(conn: Connection, rows: Sequence[Row]) -> None:
    insert_numbered(conn, BD, rows)


def latest_bd(conn: Connection, merchant_id: str) -> Row | None:
    """The most recent announcement of the merchant's Account Manager (the later one of a second)."""
    q = (select(BD).where(BD.c.merchant_id == merchant_id)
         .order_by(BD.c.created_at.desc(), BD.c.seq.desc()).limit(1))
    row = conn.execute(q).mappings().first()
    return dict(row) if row else None


# ---- System Updates ---------------------------------------------------------------------------------------

def insert_system_updates(conn: Connection, rows: Sequence[Row]) -> None:
    insert_numbered(conn, SU, rows)


def system_updates(conn: Connection, merchant_id: str) -> list[Row]:
    """Every System Update of the merchant, newest release first."""
    q = (select(SU).where(SU.c.merchant_id == merchant_id)
         .order_by(SU.c.release_date.desc(), SU.c.seq.desc()))
    return [dict(r) for r in conn.execute(q).mappings()]


# ---- what a notification may name (the merchant's orders, products, tickets, releases) ---------------------

def refunded_orders(conn: Connection, merchant_id: str, limit: int = 50) -> list[tuple[str, str]]:
    """(order id, refund reason) of some of the merchant's refunded orders, by id."""
    q = (select(ORD.c.id, ORD.c.refunded_reason).where(ORD.c.merchant_id == merchant_id, ORD.c.state == "REFUNDED")
         .order_by(ORD.c.id).limit(limit))
    return [(r[0], r[1] or "Item did not work as described") for r in conn.execute(q)]


def orders_to_fulfill(conn: Connection, merchant_id: str) -> int:
    q = select(func.count()).select_from(ORD).where(ORD.c.merchant_id == merchant_id, ORD.c.state == "APPROVED")
    return int(conn.execute(q).scalar_one())


def products(conn: Connection, merchant_id: str, limit: int = 200) -> list[tuple[str, str, str]]:
    """(id, name, review status) of the merchant's products, by id."""
    q = select(P.c.id, P.c.name, P.c.review_status).where(P.c.merchant_id == merchant_id).order_by(P.c.id).limit(limit)
    return [(r[0], r[1], r[2]) for r in conn.execute(q)]


def open_tickets(conn: Connection, merchant_id: str, limit: int = 50) -> list[str]:
    """Ids of the merchant's tickets not closed, by id."""
    q = (select(T.c.id).where(T.c.merchant_id == merchant_id, T.c.close_date.is_(None))
         .order_by(T.c.id).limit(limit))
    return [r[0] for r in conn.execute(q)]


def releases(conn: Connection, merchant_id: str) -> list[tuple[str, str]]:
    """(id, first feature's title) of the merchant's System Updates, newest first."""
    return [(r["id"], r["features"][0]["title"] if r["features"] else "")
            for r in system_updates(conn, merchant_id)]
