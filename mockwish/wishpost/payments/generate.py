"""Posted payment requests: the sandbox's, and the seed's, which cover every documented type and state
(get_order_payment's appendix) on each seeded user's charged parcels."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection

from mockwish.errors import WishError
from mockwish.wishpost.payments import rules, store

# (type, state) of the seeded requests: every state and every type at least once, in plausible pairs
SEEDED: tuple[tuple[str, str], ...] = (
    ("CHARGE", "INIT"), ("CHARGE", "PROCESS_PAYMENT"), ("CHARGE", "PROCESS_REVIEW"), ("CHARGE", "PROCESS_3RD"),
    ("CHARGE", "PROCESS_ERP"), ("CHARGE", "FAILED"), ("CHARGE", "DECLINE"), ("CHARGE", "TIMEOUT"),
    ("CHARGE", "REFUNDED"), ("REFUND", "SUCCESS"), ("REFUND", "CANCEL"), ("COMPENSATE", "SUCCESS"),
    ("RECHARGE", "SUCCESS"), ("WITHDRAW", "INVALID"), ("REPAYMENT", "SUCCESS"), ("OTHER", "OTHER"),
    ("OTHER", "EMPTY"),
)


def post(conn: Connection, parcel: dict[str, Any], *, type_: str, state: str, amount: Decimal, fee_type: str,
         remark: str | None, created_at: datetime, completed_at: datetime | None,
         flat: dict[str, float]) -> dict[str, Any]:
    """Store one payment request on the parcel; answers its row. A parcel holds at most 90 posted ones."""
    used = store.used_slots(conn, parcel["id"])
    slot = rules.FIRST_POSTED + used
    if slot > rules.LAST_POSTED:
        raise WishError("invalid_param", value=parcel["id"],
                        param=f"tracking_id (at most {rules.LAST_POSTED - rules.FIRST_POSTED + 1} posted charges "
                              "per parcel)")
    row = {"prid": rules.prid(parcel["seq"], slot), "user_id": parcel["user_id"], "parcel_id": parcel["id"],
           "type": type_, "state": state, "fee_type": fee_type, "amount": f"{rules.money(amount):.2f}",
           "remark": remark, "created_at": created_at, "completed_at": completed_at,
           "flat_rate_shipping": {k: round(float(v), 2) for k, v in flat.items()}}
    store.insert_charges(conn, [row])
    return row


def seed_charges(conn: Connection, *, user_id: str, rng: random.Random, now: datetime) -> int:
    """The seeded user's posted requests (SEEDED), spread over its charged parcels (each created between the
    parcel's warehouse scan and now): answers how many were stored. A CHARGE REFUNDED and the REFUND SUCCESS
    after it share a parcel, so that parcel reconciles to zero."""
    from mockwish.wishpost.payments.ledger import user_charges

    charged = [(c, p) for c, p in user_charges(conn, user_id, now) if c.type == "CHARGE"]
    if not charged:
        return 0
    made = 0
    refunded: tuple[dict[str, Any], Decimal, datetime] | None = None  # the CHARGE REFUNDED: parcel, amount, when
    for n, (type_, state) in enumerate(SEEDED):
        scan, parcel = charged[n % len(charged)]
        span = max(1, int((now - scan.created_at).total_seconds()) - 120)
        created = min(now, scan.created_at + timedelta(seconds=rng.randint(1, span)))
        amount = scan.amount if type_ in ("CHARGE", "REFUND") else rules.money(rng.uniform(1, 40))
        if (type_, state) == ("CHARGE", "REFUNDED"):  # an extra charge, refunded by the next one
            amount = rules.money(rng.uniform(1, 10))
            refunded = (parcel, amount, created)
        elif (type_, state) == ("REFUND", "SUCCESS") and refunded is not None:
            parcel, amount, created = refunded[0], refunded[1], min(now, refunded[2] + timedelta(seconds=60))
        completed = created + timedelta(seconds=1) if state in rules.COMPLETE else None
        weight, fixed, _ = rules.split(amount) if type_ in ("CHARGE", "REFUND") else (float(amount), 0.0, 0.0)
        post(conn, parcel, type_=type_, state=state, amount=amount, fee_type=rules.DEFAULT_FEE_TYPES[type_],
             remark=None, created_at=created, completed_at=completed,
             flat={"actual_weight_fee": weight, "actual_parcel_fee": fixed, "actual_discount": 0.0})
        made += 1
    return made
