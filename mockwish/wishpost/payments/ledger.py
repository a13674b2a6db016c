"""The money a WishPost user's charges and refunds add up to (for account_info), and the user's charges as of
a moment (for statements)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection

from mockwish.wishpost.payments import rules, store

COMPLETE_AFTER = timedelta(seconds=1)  # the default of MOCKWISH_WISHPOST_CHARGE_COMPLETE_SECONDS


def user_charges(conn: Connection, user_id: str, now: datetime, *, before: datetime | None = None,
                 complete_after: timedelta = COMPLETE_AFTER) -> list[tuple[rules.Charge, dict[str, Any]]]:
    """Every payment request of the user as of `now` created before `before` (default: any), with its parcel's
    row, oldest first."""
    limit = min(before, now + timedelta(microseconds=1)) if before is not None else now + timedelta(microseconds=1)
    parcels = {p["id"]: p for p in store.parcels_of(conn, user_id, limit)}
    rows = store.posted_before(conn, user_id, limit)
    missing = [r["parcel_id"] for r in rows if r["parcel_id"] not in parcels]
    parcels.update(store.parcels_by_ids(conn, user_id, list(dict.fromkeys(missing))))
    out: list[tuple[rules.Charge, dict[str, Any]]] = []
    for p in parcels.values():
        out += [(c, p) for c in rules.derived(p, now, complete_after) if c.created_at < limit]
    for r in rows:
        charge = rules.posted(r, now)
        if charge is not None and r["parcel_id"] in parcels:
            out.append((charge, parcels[r["parcel_id"]]))
    return sorted(out, key=lambda cp: (cp[0].created_at, cp[0].prid))


def net_charged(conn: Connection, user_id: str, now: datetime) -> Decimal:
    """Charges minus refunds and compensations of the user's parcels up to `now`, in CNY (rules.net: CHARGE in
    SUCCESS or REFUNDED, less REFUND and COMPENSATE in SUCCESS; two decimals)."""
    return rules.net([c for c, _ in user_charges(conn, user_id, now)])
