"""Ticket queries. Every API read and write filters on the merchant: another merchant's ticket answers exactly
as an id that does not exist. (The sandbox, acting as the buyer or Wish Support, finds a ticket by id alone.)"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from mockwish.errors import WishError
from mockwish.merchant.tickets import errors, rules
from mockwish.store.chunks import chunks
from mockwish.store.tables import Order, Product, Ticket, TicketReply, table_of

T = table_of(Ticket)
R = table_of(TicketReply)
O = table_of(Order)  # noqa: E741
P = table_of(Product)
Row = dict[str, Any]


def get(conn: Connection, merchant_id: str, ticket_id: str) -> Row:
    row = conn.execute(select(T).where(T.c.id == ticket_id, T.c.merchant_id == merchant_id)).mappings().first()
    if row is None:
        raise WishError(errors.NOT_FOUND, id=ticket_id)
    return dict(row)


def find(conn: Connection, ticket_id: str) -> Row | None:
    """Any merchant's ticket (the sandbox plays the buyer and Wish Support, who see every store's)."""
    row = conn.execute(select(T).where(T.c.id == ticket_id)).mappings().first()
    return None if row is None else dict(row)


def by_ids(conn: Connection, merchant_id: str, ids: Sequence[str]) -> list[Row]:
    """The merchant's tickets among `ids`, in the order of `ids`."""
    found: dict[str, Row] = {}
    for part in chunks(ids):
        rows = conn.execute(select(T).where(T.c.merchant_id == merchant_id, T.c.id.in_(part)))
        found |= {r["id"]: dict(r) for r in rows.mappings()}
    return [found[i] for i in ids if i in found]


def action_required(conn: Connection, merchant_id: str, ticket_type: str, start: int, limit: int) -> list[Row]:
    """The tickets of `ticket_type` awaiting the merchant, the longest waiting first (then by id)."""
    q = (select(T).where(T.c.merchant_id == merchant_id, T.c.ticket_type == ticket_type,
                         T.c.state.in_(rules.ACTION_REQUIRED))
         .order_by(T.c.state_since, T.c.id).offset(start).limit(limit))
    return [dict(r) for r in conn.execute(q).mappings()]


def replies_of(conn: Connection, ticket_ids: Iterable[str]) -> dict[str, list[Row]]:
    """The replies of each ticket, in the order sent (callers pass ids of tickets they already own)."""
    ids = list(ticket_ids)
    out: dict[str, list[Row]] = {i: [] for i in ids}
    for part in chunks(ids):
        q = select(R).where(R.c.ticket_id.in_(part)).order_by(R.c.ticket_id, R.c.position)
        for r in conn.execute(q).mappings():
            out[r["ticket_id"]].append(dict(r))
    return out


def insert_tickets(conn: Connection, tickets: Sequence[Row], replies: Sequence[Row]) -> None:
    if tickets:
        conn.execute(insert(T), list(tickets))
    if replies:
        conn.execute(insert(R), list(replies))


def reply_row(ticket: Row, position: int, message: rules.Message, date: datetime) -> Row:
    return {"ticket_id": ticket["id"], "merchant_id": ticket["merchant_id"], "position": position,
            "sender": message.sender, "message": message.message, "translated_message": message.translated_message,
            "translated_message_zh": message.translated_message_zh, "image_urls": list(message.image_urls),
            "date": date}


def apply(conn: Connection, ticket: Row, step: rules.Step, now: datetime) -> Row:
    """Write what a rule decided: the ticket's changed columns and its new reply; answers the ticket as now."""
    conn.execute(update(T).where(T.c.id == ticket["id"], T.c.merchant_id == ticket["merchant_id"])
                 .values(**step.changes))
    if step.message is not None:
        last = conn.execute(select(func.max(R.c.position)).where(R.c.ticket_id == ticket["id"])).scalar()
        conn.execute(insert(R), [reply_row(ticket, 0 if last is None else last + 1, step.message, now)])
    return ticket | step.changes


def open_order_ids(conn: Connection, merchant_id: str) -> set[str]:
    """The orders of the merchant that an open ticket is about."""
    q = select(T.c.order_ids).where(T.c.merchant_id == merchant_id, T.c.state != rules.CLOSED)
    return {oid for (ids,) in conn.execute(q) for oid in ids}


def orders(conn: Connection, merchant_id: str, ids: Sequence[str] | None = None) -> list[Row]:
    """The merchant's orders (all, or those of `ids`) with what a ticket about them needs, oldest first."""
    q = select(O.c.id, O.c.transaction_id, O.c.buyer_id, O.c.state, O.c.product_id, O.c.shipping_detail,
               O.c.order_time, O.c.released_at, O.c.shipped_at, O.c.refunded_at).where(O.c.merchant_id == merchant_id)
    if ids is not None:
        q = q.where(O.c.id.in_(list(ids)))
    return [dict(r) for r in conn.execute(q.order_by(O.c.order_time, O.c.id)).mappings()]


def transaction_orders(conn: Connection, merchant_id: str, transaction_id: str) -> list[Row]:
    q = select(O.c.id, O.c.product_id).where(O.c.merchant_id == merchant_id, O.c.transaction_id == transaction_id)
    return [dict(r) for r in conn.execute(q.order_by(O.c.order_time, O.c.id)).mappings()]


def listed_products(conn: Connection, merchant_id: str, ids: Sequence[str] | None = None) -> list[str]:
    """Ids of the merchant's products a buyer can see (not removed, enabled), or those of `ids` that are."""
    q = select(P.c.id).where(P.c.merchant_id == merchant_id, P.c.removed_by_merchant.is_(False),
                             P.c.enabled.is_(True))
    if ids is not None:
        q = q.where(P.c.id.in_(list(ids)))
    return [r[0] for r in conn.execute(q.order_by(P.c.id))]
