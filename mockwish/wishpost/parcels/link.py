"""The join between a WishPost parcel and the Merchant orders it ships (supplement-wishpost.md 9): a parcel
naming Wish orders that the WishPost user's linked merchant holds is linked to them; from Accepted on, an
order fulfilled with carrier WishPost and the parcel's number takes its tracking confirmation and delivery
from the parcel's events."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, or_, select, update

from mockwish.store.tables import Order, WishPostParcel, table_of
from mockwish.wishpost.parcels import rules
from mockwish.wishpost.parcels.store import merchant_orders

P = table_of(WishPostParcel)
ORD = table_of(Order)
CARRIER = "WishPost"


def link_orders(conn: Connection, merchant_id: str | None, wish_order_ids: list[str]) -> tuple[list[str], str | None]:
    """(the ids the merchant holds, the merchant when any): an id it does not hold stays unlinked, without an
    error, as NonWishOrder does."""
    if merchant_id is None or not wish_order_ids:
        return [], None
    held = merchant_orders(conn, merchant_id, wish_order_ids)
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


def stop_orders(conn: Connection, parcel: dict[str, Any]) -> None:
    """The parcel will not travel (cancelled, or moved by the sandbox): a Wish order shipped with its number
    stays SHIPPED (the merchant must modify the tracking, as on the platform), but waits for no scan or
    delivery the parcel will never have."""
    if parcel["merchant_id"] is None or not parcel["linked_order_ids"]:
        return
    numbers = [n for n in (parcel["barcode"], parcel["logistics_order_code"]) if n]
    conn.execute(update(ORD).where(
        ORD.c.merchant_id == parcel["merchant_id"], ORD.c.id.in_(parcel["linked_order_ids"]),
        ORD.c.tracking_number.in_(numbers), ORD.c.tracking_confirmed.is_(False)).values(tracking_confirm_at=None))
    conn.execute(update(ORD).where(
        ORD.c.merchant_id == parcel["merchant_id"], ORD.c.id.in_(parcel["linked_order_ids"]),
        ORD.c.tracking_number.in_(numbers), ORD.c.delivery_confirmed.is_(False)).values(delivery_confirm_at=None))
