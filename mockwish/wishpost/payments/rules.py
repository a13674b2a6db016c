"""WishPost charges (domain, no HTTP): the payment requests of a user's parcels as of the clock.

Two kinds of charge:

* derived from the parcel and the clock, as tracking is (nothing stored): the **logistics charge** (type
  CHARGE, fee type LOGISTICS) at the warehouse scan, the tracking event that carries `pricing_weight` and
  `charged_shipping_fee` (the same amount, weight and instant), and its **refund** (type REFUND, state
  SUCCESS) when the parcel is cancelled after that scan; the charge then shows state REFUNDED;
* posted (the sandbox, the seed): stored rows of any type and state, shown from their creation instant on.

Amounts are positive CNY with two decimals; the type says which way the money went. The net charged is
CHARGE (SUCCESS or REFUNDED) minus REFUND and COMPENSATE (SUCCESS)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from mockwish.errors import WishError
from mockwish.wishpost.dates import parse_day
from mockwish.wishpost.parcels import rules as parcel_rules
from mockwish.wishpost.wire_v3 import BEIJING

TYPES = ("RECHARGE", "REFUND", "CHARGE", "COMPENSATE", "WITHDRAW", "REPAYMENT", "OTHER")
STATES = ("EMPTY", "INIT", "PROCESS_PAYMENT", "PROCESS_REVIEW", "PROCESS_3RD", "PROCESS_ERP", "SUCCESS", "REFUNDED",
          "FAILED", "DECLINE", "CANCEL", "INVALID", "TIMEOUT", "OTHER")
COMPLETE = frozenset({"SUCCESS", "REFUNDED"})  # the states with a charge_complete_ts
LOGISTICS = "LOGISTICS"
# localized names (WP-DOC shows a CHARGE as "收款" and the currency as "人民币")
TYPE_NAMES = {
    "zh": {"RECHARGE": "充值", "REFUND": "退款", "CHARGE": "收款", "COMPENSATE": "赔付", "WITHDRAW": "提现",
           "REPAYMENT": "还款", "OTHER": "其他"},
    "en": {"RECHARGE": "Recharge", "REFUND": "Refund", "CHARGE": "Charge", "COMPENSATE": "Compensate",
           "WITHDRAW": "Withdraw", "REPAYMENT": "Repayment", "OTHER": "Other"},
}
CURRENCY = {"zh": "人民币", "en": "CNY"}
ORDER_TYPE = {"zh": "WOSP订单", "en": "WOSP order"}
REMARKS = {"zh": {LOGISTICS: "物流费", "COMPENSATION": "赔付", "ACCOUNT": "账户资金", "OTHER": "其他"},
           "en": {LOGISTICS: "Logistics fee", "COMPENSATION": "Compensation", "ACCOUNT": "Account funds",
                  "OTHER": "Other"}}
DEFAULT_FEE_TYPES = {"CHARGE": LOGISTICS, "REFUND": LOGISTICS, "COMPENSATE": "COMPENSATION", "RECHARGE": "ACCOUNT",
                     "WITHDRAW": "ACCOUNT", "REPAYMENT": "ACCOUNT", "OTHER": "OTHER"}
FEE_TYPE = re.compile(r"[A-Z][A-Z0-9_]{0,31}")
CENT = Decimal("0.01")
DERIVED_CHARGE, DERIVED_REFUND, FIRST_POSTED, LAST_POSTED = 1, 2, 10, 99  # a parcel's prid slots
DEBITS, CREDITS = frozenset({"CHARGE"}), frozenset({"REFUND", "COMPENSATE"})


@dataclass(frozen=True)
class Charge:
    """One payment request as of now."""

    prid: str
    parcel_id: str
    type: str
    state: str
    fee_type: str
    amount: Decimal
    created_at: datetime
    completed_at: datetime | None
    flat: tuple[float, float, float]  # actual_weight_fee, actual_parcel_fee, actual_discount
    remark: str | None = None  # None: the fee type's remark in the caller's language

    def remark_in(self, locale: str) -> str:
        if self.remark is not None:
            return self.remark
        names = REMARKS["zh" if locale == "zh" else "en"]
        return names.get(self.fee_type, "")


def prid(parcel_seq: int, slot: int) -> str:
    """WI + 12 digits + PR (WP-DOC's WI000508800478PR): the parcel's number and a slot, so derived ones are
    stable and posted ones never collide with them."""
    return f"WI{parcel_seq * 100 + slot:012d}PR"


def money(value: Decimal | float | str) -> Decimal:
    return Decimal(str(value)).quantize(CENT)


def split(amount: Decimal) -> tuple[float, float, float]:
    """The flat-rate split of a logistics fee: the parcel fee of the mock's tariff and the weight fee the rest
    (the two add up to the amount; the mock grants no discount)."""
    parcel = min(money(parcel_rules.PER_PARCEL_CNY), amount)
    return float(amount - parcel), float(parcel), 0.0


# ---- derived from the parcel ---------------------------------------------------------------------------------

def scan_of(view: parcel_rules.View) -> parcel_rules.Event | None:
    """The warehouse scan that charged the parcel, as its tracking shows it (None: not charged yet)."""
    return next((e for e in view.events if e.charge), None)


def cancelled_at(p: dict[str, Any], view: parcel_rules.View) -> datetime | None:
    """When a Canceled parcel was cancelled (a cancel_orders or a sandbox hook)."""
    if view.state != parcel_rules.CANCELED:
        return None
    event = next((e for e in view.events if e.status == parcel_rules.CANCEL_EVENT), None)
    if event is not None:
        return event.at
    return p["forced_at"] if p["forced_state"] == "canceled" else p["cancel_requested_at"]


def derived(p: dict[str, Any], now: datetime, complete_after: timedelta) -> list[Charge]:
    """The logistics charge of the parcel's warehouse scan and, once it is cancelled after that, its refund."""
    view = parcel_rules.view(p, now)
    scan = scan_of(view)
    if scan is None:
        return []
    _, fee = parcel_rules.charge(p)
    amount = money(fee)
    flat = split(amount)
    refund_at = cancelled_at(p, view)
    if refund_at is not None and refund_at < scan.at:
        refund_at = None
    def done(at: datetime) -> datetime | None:  # shown once it happened, as a posted request's
        return at + complete_after if at + complete_after <= now else None

    out = [Charge(prid(p["seq"], DERIVED_CHARGE), p["id"], "CHARGE", "REFUNDED" if refund_at else "SUCCESS",
                  LOGISTICS, amount, scan.at, done(scan.at), flat)]
    if refund_at is not None:
        out.append(Charge(prid(p["seq"], DERIVED_REFUND), p["id"], "REFUND", "SUCCESS", LOGISTICS, amount,
                          refund_at, done(refund_at), flat))
    return out


def posted(row: dict[str, Any], now: datetime) -> Charge | None:
    """A stored payment request, from its creation on (its completion shown once it happened)."""
    if row["created_at"] > now:
        return None
    flat = row["flat_rate_shipping"] or {}
    completed = row["completed_at"] if row["completed_at"] is not None and row["completed_at"] <= now else None
    return Charge(row["prid"], row["parcel_id"], row["type"], row["state"], row["fee_type"], money(row["amount"]),
                  row["created_at"], completed,
                  (float(flat.get("actual_weight_fee", 0.0)), float(flat.get("actual_parcel_fee", 0.0)),
                   float(flat.get("actual_discount", 0.0))), row["remark"])


def charges_of(p: dict[str, Any], rows: list[dict[str, Any]], now: datetime, complete_after: timedelta
               ) -> list[Charge]:
    """Every payment request of one parcel as of now (its posted `rows` included), oldest first."""
    out = derived(p, now, complete_after)
    out += [c for c in (posted(r, now) for r in rows) if c is not None]
    return sorted(out, key=lambda c: (c.created_at, c.prid))


def next_change(p: dict[str, Any], rows: list[dict[str, Any]], now: datetime, complete_after: timedelta
                ) -> datetime:
    """The first instant after `now` at which the parcel's payment requests can change by the clock alone: the
    parcel's next change (a scan, a cancel), a derived request completing, a posted one appearing or
    completing. Until then a render of them holds (writes aside)."""
    instants = [parcel_rules.next_change(p, now)]
    instants += [c.created_at + complete_after for c in derived(p, now, complete_after)]
    for r in rows:
        instants += [r["created_at"], r["completed_at"] or datetime.max]
    return min((at for at in instants if at > now), default=datetime.max)


def net(charges: list[Charge]) -> Decimal:
    """CHARGE (SUCCESS or REFUNDED) minus REFUND and COMPENSATE (SUCCESS); other types and states move no money
    out of or into the logistics account (recharges, withdrawals and repayments are the account's, not charges)."""
    total = Decimal("0.00")
    for c in charges:
        if c.type in DEBITS and c.state in COMPLETE:
            total += c.amount
        elif c.type in CREDITS and c.state == "SUCCESS":
            total -= c.amount
    return total.quantize(CENT)


def ready_payment(p: dict[str, Any], now: datetime) -> datetime | None:
    """When the parcel became payable: its acceptance (None for a parcel never accepted)."""
    return p["decided_at"] if parcel_rules.number_given(p, now) else None


def known_number(p: dict[str, Any], number: str, now: datetime) -> bool:
    """A WOSP id always names its parcel; a tracking number once the client could know it (a parcel under
    review has none until it is accepted), as tracking and generate_label decide."""
    return number == p["id"] or not p["reviewed"] or parcel_rules.number_given(p, now)


# ---- statements ---------------------------------------------------------------------------------------------------

def statement_range(start_raw: str, end_raw: str, max_days: int) -> tuple[date, date]:
    start, end = parse_day("start_date", start_raw), parse_day("end_date", end_raw)
    if end < start:
        raise WishError("wp_statement_reversed")
    if (end - start).days + 1 > max_days:
        raise WishError("wp_statement_too_long", days=max_days)
    return start, end


def utc_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The instants (naive UTC) of Beijing days start..end, both included: [start 00:00, end + 1 day 00:00)."""
    first = datetime.combine(start, datetime.min.time()) - BEIJING
    return first, datetime.combine(end, datetime.min.time()) + timedelta(days=1) - BEIJING
