"""Orders age on the mock's clock: REQUIRE_REVIEW orders are released at `released_at`, shipped orders'
tracking is confirmed at `tracking_confirm_at`. The transitions are the rules' `release` and
`confirm_tracking`, carried out the first time anything reads the store after their instant, and stamped
with that instant, so advancing the clock walks an order through its life and `since` polling sees it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, bindparam, func, select, update

from mockwish.merchant.orders import rules
from mockwish.store.tables import Order

T = Order.__table__  # type: ignore[attr-defined]
_NEVER = datetime.max
_DUE_COLUMNS = (T.c.id, T.c.state, T.c.released_at, T.c.last_updated, T.c.tracking_confirm_at,
                T.c.tracking_confirmed)


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
            | ((T.c.state == rules.SHIPPED) & T.c.tracking_confirmed.is_(False) & (T.c.tracking_confirm_at <= now))
        )).mappings().all()
        updates = []
        for row in due:
            order = dict(row)
            changes = rules.release(order, now) or rules.confirm_tracking(order, now)
            if changes:
                updates.append({"_id": order["id"], "state": changes.get("state", order["state"]),
                                "tracking_confirmed": changes.get("tracking_confirmed", order["tracking_confirmed"]),
                                "last_updated": changes["last_updated"]})
        if updates:
            conn.execute(update(T).where(T.c.id == bindparam("_id")).values(
                state=bindparam("state"), tracking_confirmed=bindparam("tracking_confirmed"),
                last_updated=bindparam("last_updated")), updates)
        review = conn.execute(select(func.min(T.c.released_at)).where(T.c.state == rules.REQUIRE_REVIEW)).scalar()
        confirm = conn.execute(select(func.min(T.c.tracking_confirm_at)).where(
            T.c.state == rules.SHIPPED, T.c.tracking_confirmed.is_(False))).scalar()
        self.next_due = min(review or _NEVER, confirm or _NEVER)
