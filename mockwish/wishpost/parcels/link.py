"""The join between a WishPost parcel and the Merchant orders it ships (supplement-wishpost.md 9): a parcel
naming Wish orders that the WishPost user's linked merchant holds is linked to them; from Accepted on, an
order fulfilled with carrier WishPost and the parcel's number takes its tracking confirmation and delivery
from the parcel's events."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, or_, select, update

from mockwish.store.chunks import chunks
from mockwish.store.tables import Order, WishPostParcel, table_of
from mockwish.wishpost.parcels import rules
from mockwish.wishpost.parcels.store import merchant_orders

P = table_of(WishPostParcel)
ORD = table_of(Order)
CARRIER = "WishPost"


def held_orders(conn: Connection, merchant_id: str | None, wish_order_ids: Iterable[str]) -> set[str]:
    """Which of these Wish orders the merchant holds: one query for a whole request's parcels."""
    ids = list(dict.fromkeys(wish_order_ids))
    if merchant_id is None or not ids:
        return set()
    return {o for part in chunks(ids) for o in merchant_orders(conn, merchant_id, part)}


def link_orders(held: set[str], merchant_id: str | None, wish_order_ids: list[str]) -> tuple[list[str], str | None]:
    """(the ids the merchant holds, the merchant when any): an id it does not hold stays unlinked, without an
    error, as NonWishOrder does."""
    linked = [o for o in wish_order_ids if o in held]
    return linked, merchant_id if linked else None


def parcel_for(conn: Connection, merchant_id: str, order_id: str, tracking_number: str | None) -> dict[str, Any] | None:
    """The parcel linked to this merchant's order whose tracking number (or logistics code) is this one."""
    if not tracking_number:
        return None
    rows = conn.execute(select(P).where(P.c.merchant_id == merchant_id, or_(
        P.c.barcode == tracking_number, P.c.logistics_order_code == tracking_number))).mappings()
    for row in rows:
        if order_id in row["linked_order_ids"]:
            return dict(row)
    return None


def carrier_instants(conn: Connection, merchant_id: str, order_id: str, provider: str,
                     tracking_number: str | None) -> tuple[datetime | None, datetime | None] | None:
    """(tracking confirmed at, delivered at) for an order shipped with WishPost and a linked parcel's number:
    the parcel's first scan and its delivery (None when it will not come: cancelled, rejected), or None when
    the order's own clock applies (another carrier, a number of no linked parcel)."""
    if provider.strip().lower() != CARRIER.lower():
        return None
    parcel = parcel_for(conn, merchant_id, order_id, tracking_number)
    if parcel is None:
        return None
    return rules.carrier_instants(parcel)


def confirmations(instants: tuple[datetime | None, datetime | None], now: datetime
                  ) -> tuple[datetime | None, datetime | None]:
    """The instants an order shipped `now` takes from its parcel: never before its own shipment (a parcel
    scanned before the order was marked shipped confirms it at once)."""
    scan, delivered = instants
    return (None if scan is None else max(scan, now), None if delivered is None else max(delivered, now))


def sync_orders(conn: Connection, parcel: dict[str, Any], now: datetime) -> bool:
    """The parcel's plan changed (a cancel, a sandbox hook): the Wish orders shipped with its number take its
    new first scan and delivery for what they have not confirmed yet (a parcel that will not travel leaves
    its orders SHIPPED, as on the platform where the merchant must modify the tracking, waiting for nothing).
    Answers whether an order changed (the order clock must look again)."""
    if parcel["merchant_id"] is None or not parcel["linked_order_ids"]:
        return False
    scan, delivered = rules.carrier_instants(parcel)
    numbers = [n for n in (parcel["barcode"], parcel["logistics_order_code"]) if n]
    mine = (ORD.c.merchant_id == parcel["merchant_id"]) & ORD.c.id.in_(parcel["linked_order_ids"]) \
        & ORD.c.tracking_number.in_(numbers)
    changed = conn.execute(update(ORD).where(mine, ORD.c.tracking_confirmed.is_(False)).values(
        tracking_confirm_at=None if scan is None else max(scan, now))).rowcount
    changed += conn.execute(update(ORD).where(mine, ORD.c.delivery_confirmed.is_(False)).values(
        delivery_confirm_at=None if delivered is None else max(delivered, now))).rowcount
    return bool(changed)
