"""Orders age on the mock's clock: REQUIRE_REVIEW orders are released at `released_at`, shipped orders'
tracking is confirmed at `tracking_confirm_at` and their delivery at `delivery_confirm_at`. The transitions
are the rules' `release`, `confirm_tracking` and `confirm_delivery`, carried out the first time anything
reads the store after their instant, and stamped with that instant, so advancing the clock walks an order
through its life and `since` polling sees it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, bindparam, func, select, update

from mockwish.merchant.orders import rules
from mockwish.store.tables import Order, table_of

T = table_of(Order)
_NEVER = datetime.max
_MOVED = ("state", "tracking_confirmed", "delivery_confirmed", "last_updated")  # what the clock's steps change
_DUE_COLUMNS = (T.c.id, T.c.state, T.c.released_at, T.c.last_updated, T.c.tracking_confirm_at,
                T.c.tracking_confirmed, T.c.delivery_confirm_at, T.c.delivery_confirmed)
_STEPS = (rules.release, rules.confirm_tracking, rules.confirm_delivery)  # in the order a parcel lives them
_AWAITING_SCAN = (T.c.state == rules.SHIPPED) & T.c.tracking_confirmed.is_(False)
# delivery is only awaited once the first scan is in (a scan due too is found by _AWAITING_SCAN)
_AWAITING_DELIVERY = ((T.c.state == rules.SHIPPED) & T.c.tracking_confirmed.is_(True)
                      & T.c.delivery_confirmed.is_(False))


class OrderClock:
    def __init__(self) -> None:
        self.next_due: datetime = datetime.min  # recomputed on the first settle (and after a reset)

    def reset(self) -> None:
        self.next_due = datetime.min

    def schedule(self, at: datetime | None) -> None:
        """A transition was scheduled at `at` (an order created under review, or shipped)."""
        if at is not None and at < self.next_due:
            self.next_due = at

    def settle_due(self, conn: Connection, now: datetime) -> None:
        if now < self.next_due:
            return
        due = conn.execute(select(*_DUE_COLUMNS).where(
            ((T.c.state == rules.REQUIRE_REVIEW) & (T.c.released_at <= now))
            | (_AWAITING_SCAN & (T.c.tracking_confirm_at <= now))
            | (_AWAITING_DELIVERY & (T.c.delivery_confirm_at <= now))
        )).mappings().all()
        updates = []
        for row in due:
            order, moved = dict(row), False
            for step in _STEPS:  # a long jump of the clock can be due for a scan and the delivery at once
                changes = step(order, now)
                if changes:
                    order.update(changes)
                    moved = True
            if moved:
                updates.append({"_id": order["id"], **{k: order[k] for k in _MOVED}})
        if updates:
            conn.execute(update(T).where(T.c.id == bindparam("_id")).values(
                {k: bindparam(k) for k in _MOVED}), updates)
        review = conn.execute(select(func.min(T.c.released_at)).where(T.c.state == rules.REQUIRE_REVIEW)).scalar()
        scan = conn.execute(select(func.min(T.c.tracking_confirm_at)).where(_AWAITING_SCAN)).scalar()
        delivery = conn.execute(select(func.min(T.c.delivery_confirm_at)).where(_AWAITING_DELIVERY)).scalar()
        self.next_due = min(review or _NEVER, scan or _NEVER, delivery or _NEVER)
