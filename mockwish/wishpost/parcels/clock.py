"""The parcel's part of the timeline (mockwish.timeline): with MOCKWISH_WISHPOST_AUTO_FULFILL, a Wish order
linked to a parcel is fulfilled (carrier WishPost, the parcel's number) at the instant the parcel is
Accepted, as a shipping integration would do it. Everything else about a parcel is derived from the clock
when it is read (parcels.rules.view), so there is nothing else to settle."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Connection, func, select, update

from mockwish.errors import WishError
from mockwish.merchant.orders import rules as order_rules
from mockwish.merchant.orders import store as order_store
from mockwish.store.tables import WishPostParcel, table_of
from mockwish.wishpost.parcels import link, rules

if TYPE_CHECKING:
    from mockwish.merchant.orders.lifecycle import OrderClock
    from mockwish.merchant.orders.rules import OrderPolicy

P = table_of(WishPostParcel)
_NEVER = datetime.max
_PENDING = ((P.c.merchant_id.is_not(None)) & (P.c.auto_fulfilled.is_(False)) & (P.c.outcome == "accepted")
            & P.c.cancel_requested_at.is_(None) & P.c.forced_state.is_(None))


class ParcelClock:
    def __init__(self, enabled: bool, orders: OrderClock, policy: OrderPolicy) -> None:
        self.enabled = enabled
        self.orders = orders
        self.policy = policy
        self.next_due: datetime = datetime.min if enabled else _NEVER

    def reset(self) -> None:
        self.next_due = datetime.min if self.enabled else _NEVER

    def schedule(self, at: datetime) -> None:
        """A parcel linked or not was created, Accepted at `at`."""
        if self.enabled and at < self.next_due:
            self.next_due = at

    def settle_due(self, conn: Connection, now: datetime) -> None:
        if not self.enabled or now < self.next_due:
            return
        due = conn.execute(select(P).where(_PENDING, P.c.decided_at <= now)).mappings().all()
        for row in due:
            parcel = dict(row)
            for order_id in parcel["linked_order_ids"]:
                self._fulfil(conn, parcel, order_id, parcel["decided_at"])
            conn.execute(update(P).where(P.c.id == parcel["id"]).values(auto_fulfilled=True))
        nxt = conn.execute(select(func.min(P.c.decided_at)).where(_PENDING)).scalar()
        self.next_due = nxt or _NEVER

    def _fulfil(self, conn: Connection, parcel: dict[str, object], order_id: str, at: datetime) -> None:
        """Ship an APPROVED order with the parcel's number; an order in another state stays as it is."""
        try:
            order = order_store.get(conn, str(parcel["merchant_id"]), order_id)
            changes = order_rules.fulfill_one(order, provider=link.CARRIER, tracking_number=str(parcel["barcode"]),
                                              origin_country_code="CN", ship_note=None, now=at, policy=self.policy)
        except WishError:
            return
        changes["tracking_confirm_at"], changes["delivery_confirm_at"] = link.confirmations(
            rules.carrier_instants(parcel), at)
        order_store.save(conn, order_id, changes)
        self.orders.schedule(changes["tracking_confirm_at"])
