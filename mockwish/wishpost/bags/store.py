"""Bag queries, through the request's connection. Who may see a bag is decided by the caller passed in (a user
sees the bags it made; a carrier those bound for its hub: rules.visible); the queries filter on it, so another
caller's bag answers exactly as one that does not exist."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from mockwish.store.chunks import chunks
from mockwish.store.tables import WishPostBag, WishPostBagParcel, WishPostParcel, WishPostUser, table_of
from mockwish.wishpost.bags.rules import Caller

BAG = table_of(WishPostBag)
BP = table_of(WishPostBagParcel)
P = table_of(WishPostParcel)
U = table_of(WishPostUser)
Row = dict[str, Any]
def _owned(q: Any, caller: Caller) -> Any:
    """The tenant filter of every bag read: the caller's own bags, or a carrier's hub's."""
    if caller.is_carrier:
        return q.where(BAG.c.hub_warehouse_code == caller.carrier_hub)
    return q.where(BAG.c.user_id == caller.user_id)


def next_seq(conn: Connection) -> int:
    """The next bag number's sequence, over every bag: numbers are global, as on WishPost."""
    return int(conn.execute(select(func.coalesce(func.max(BAG.c.seq), 0))).scalar_one()) + 1


def parcels_by_codes(conn: Connection, caller: Caller, codes: Sequence[str]) -> dict[str, Row]:
    """The parcels the caller may bag among these logistics order codes, by code: a user's own; for a carrier
    any user's (the hub is checked by the rules)."""
    out: dict[str, Row] = {}
    for part in chunks(codes):
        q = select(P).where(P.c.logistics_order_code.in_(part))
        if not caller.is_carrier:
            q = q.where(P.c.user_id == caller.user_id)
        for row in conn.execute(q).mappings():
            out.setdefault(row["logistics_order_code"], dict(row))
    return out


def parcels_of_user(conn: Connection, user_id: str) -> list[Row]:
    """Every parcel of a user, oldest first (the seed and the sandbox pick bag contents among them)."""
    return [dict(r) for r in conn.execute(select(P).where(P.c.user_id == user_id).order_by(P.c.seq)).mappings()]


def bagged_parcels(conn: Connection, parcel_ids: Sequence[str]) -> set[str]:
    """Those of these parcels that are in a bag not cancelled (whoever made it)."""
    out: set[str] = set()
    for part in chunks(parcel_ids):
        q = (select(BP.c.parcel_id).join(BAG, BAG.c.bag_number == BP.c.bag_number)
             .where(BP.c.parcel_id.in_(part), BAG.c.cancelled_at.is_(None)))
        out.update(r[0] for r in conn.execute(q))
    return out


def insert_bag(conn: Connection, bag: Row, parcels: Sequence[Row]) -> None:
    conn.execute(insert(BAG), [bag])
    if parcels:
        conn.execute(insert(BP), [{"bag_number": bag["bag_number"], "parcel_id": p["id"], "position": n,
                                   "logistics_order_code": p["logistics_order_code"], "user_id": p["user_id"]}
                                  for n, p in enumerate(parcels)])


def bags_by_numbers(conn: Connection, caller: Caller, numbers: Sequence[str]) -> dict[str, Row]:
    """The caller's bags among these bag numbers, by number."""
    out: dict[str, Row] = {}
    for part in chunks(numbers):
        for row in conn.execute(_owned(select(BAG).where(BAG.c.bag_number.in_(part)), caller)).mappings():
            out[row["bag_number"]] = dict(row)
    return out


def bags_by_codes(conn: Connection, caller: Caller, codes: Sequence[str]) -> tuple[list[Row], set[str]]:
    """The caller's bags holding any of these logistics order codes (oldest first), and the codes found in one."""
    numbers: dict[str, None] = {}
    found: set[str] = set()
    for part in chunks(codes):
        q = _owned(select(BP.c.bag_number, BP.c.logistics_order_code)
                   .join(BAG, BAG.c.bag_number == BP.c.bag_number)
                   .where(BP.c.logistics_order_code.in_(part)).order_by(BAG.c.seq), caller)
        for number, code in conn.execute(q):
            numbers.setdefault(number, None)
            found.add(code)
    rows = bags_by_numbers(conn, caller, list(numbers))
    return sorted(rows.values(), key=lambda r: r["seq"]), found


def contents(conn: Connection, bag_numbers: Sequence[str]) -> dict[str, list[Row]]:
    """Each bag's parcels (the stored parcel rows) in the order they were listed, by bag number."""
    out: dict[str, list[Row]] = {n: [] for n in bag_numbers}
    for part in chunks(bag_numbers):
        q = (select(BP.c.bag_number, P).join(P, P.c.id == BP.c.parcel_id)
             .where(BP.c.bag_number.in_(part)).order_by(BP.c.bag_number, BP.c.position))
        for row in conn.execute(q).mappings():
            parcel = dict(row)
            out[parcel.pop("bag_number")].append(parcel)
    return out


def save(conn: Connection, bag_number: str, values: Row) -> None:
    conn.execute(update(BAG).where(BAG.c.bag_number == bag_number).values(**values))


def any_bag(conn: Connection, bag_number: str) -> Row | None:
    """A bag of anyone (the sandbox's hooks)."""
    row = conn.execute(select(BAG).where(BAG.c.bag_number == bag_number)).mappings().first()
    return dict(row) if row else None


def user_name(conn: Connection, user_id: str) -> str | None:
    return conn.execute(select(U.c.username).where(U.c.id == user_id)).scalar()


def cancel(conn: Connection, bag_number: str, reason: str, now: datetime) -> None:
    save(conn, bag_number, {"cancelled_at": now, "cancel_reason": reason})
