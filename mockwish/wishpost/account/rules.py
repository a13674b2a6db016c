"""The rules of WishPost's reference tables, account and announcements (no HTTP here): which channels a
get_channels call lists, which warehouse ids are valid, the hub a Wish transaction ships through, the balances
of an account after its charges, and the date window and page of an announcements call."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from mockwish.errors import WishError
from mockwish.wishpost import reference
from mockwish.wishpost.account import errors as _errors  # noqa: F401  (registers this area's errors)
from mockwish.wishpost.bags import rules as bag_rules
from mockwish.wishpost.dates import FORMAT
from mockwish.wishpost.parcels import rules as parcel_rules
from mockwish.wishpost.payments.rules import money
from mockwish.wishpost.wire_v3 import BEIJING

MAX_CHANNELS = 100  # get_channels `channels`: 1-100 otypes (WP-DOC)
MAX_WAREHOUSE_IDS = 500  # warehouse `warehouse_ids`: 1-500 (WP-DOC)
MAX_TRANDE_IDS = 100  # hub_warehouse_table `trande_ids`: 0-100 (WP-DOC)
MAX_OFFSET = 100  # announcements `offset` (WP-DOC "1-100"; 0 is the first page, as its `previous` shows)
MAX_LIMIT = 50  # announcements `limit`: 1-50 (WP-DOC)
NA = "NA"  # query_hub_table's hub of a transaction that ships through no hub (WP-DOC's example)
DATE = FORMAT  # the one date format of WishPost parameters (mockwish.wishpost.dates)


# ---- channels ------------------------------------------------------------------------------------------------

def list_channels(otypes: Sequence[str] | None) -> list[reference.Channel]:
    """The channels of these otypes in the table's order (none named: every channel). An otype the table does
    not know is left out, as /api/v3/scopes leaves out an unknown scope name (an empty list when none is known)."""
    table = reference.channels()
    if not otypes:
        return list(table.values())
    wanted = {o.strip() for o in otypes}
    return [ch for otype, ch in table.items() if otype in wanted]


# ---- warehouses ----------------------------------------------------------------------------------------------

def warehouse_ids(items: Iterable[str]) -> list[int]:
    """`warehouse_ids` as integers, each once, in the order given; a non-integer is WP-DOC's
    "xyz is an invalid integer" (1000)."""
    out: list[int] = []
    for item in items:
        text = item.strip()
        if not (text.isascii() and text.lstrip("-").isdigit()) or len(text) > 18:
            raise WishError("wp_invalid_integer", value=text[:80])
        out.append(int(text))
    return list(dict.fromkeys(out))


def warehouses(ids: Sequence[int]) -> list[reference.EpcWarehouse]:
    """The EPC warehouses among `ids`, in the order asked; none: WP-DOC's code 30. The call answers EPC
    warehouses only (its example's ids, 1001 and 1003, are EPC codes): China Post and IB codes are not valid."""
    table = reference.epc_warehouses()
    found = [table[i] for i in ids if i in table]
    if not found:
        raise WishError("wp_no_valid_warehouse")
    return found


# ---- hubs ----------------------------------------------------------------------------------------------------

def live_hub(parcel: dict[str, Any], now: datetime) -> int | None:
    """The hub (3001, 3002) a parcel ships (or shipped) through: the bags' rule (an EPC parcel's warehouse
    region: 华东 -> 3001, 华南 -> 3002; other channels none), and none for a parcel Rejected, Invalid or Canceled."""
    if parcel_rules.view(parcel, now).state in parcel_rules.CLOSED:
        return None
    return bag_rules.hub_of_parcel(parcel)


def hubs_of_transactions(ids: Sequence[str], parcels: Sequence[dict[str, Any]], order_transactions: dict[str, str],
                         now: datetime, only_hub: int | None = None) -> dict[str, int | None]:
    """trande_id -> the hub its parcels ship through, or None. A trande_id names a Wish order (the
    wish_order_id/trande_no a parcel was booked with) or a Wish transaction (whose orders a parcel ships:
    `order_transactions` maps order ids to transaction ids). The oldest parcel with a hub decides; with
    `only_hub` (a carrier's query), only a parcel bound for that hub counts."""
    names: dict[str, int | None] = {i: None for i in ids}
    for parcel in parcels:  # oldest first: the first hub found stays
        hub = live_hub(parcel, now)
        if hub is None or (only_hub is not None and hub != only_hub):
            continue
        orders = {*parcel["wish_order_ids"], *parcel["linked_order_ids"]}
        for name in (*orders, *(order_transactions[o] for o in orders if o in order_transactions)):
            if name in names and names[name] is None:
                names[name] = hub
    return names


# ---- account -------------------------------------------------------------------------------------------------



@dataclass(frozen=True)
class Balances:
    """account_info's amounts in CNY (debt amounts <= 0, as WP-DOC prints them); debt_limit None: no limit."""

    total: Decimal
    unavailable: Decimal
    withdrawable: Decimal
    remaining: Decimal
    debt: Decimal
    debt_frozen: Decimal
    debt_limit: Decimal | None
    debt_remaining: Decimal | None
    currency: str


def fen(value: int) -> Decimal:
    return money(Decimal(value) / 100)


def balances(account: dict[str, Any] | None, charged: Decimal) -> Balances:
    """The account after its parcels' net charges: cash less charges is the total; charges beyond the cash
    become debt (the total stays at 0); frozen cash is unavailable (at most the total); the rest is withdrawable
    and remaining (WP-DOC's example: withdrawable = remaining = total - unavailable). A user without an account
    row has an empty one with no debt limit."""
    row = account or {"cash_fen": 0, "unavailable_fen": 0, "debt_fen": 0, "debt_frozen_fen": 0,
                      "debt_limit_fen": None, "currency": "CNY"}
    balance = fen(row["cash_fen"]) - money(charged)
    total = max(balance, Decimal("0.00"))
    debt = fen(row["debt_fen"]) + min(balance, Decimal("0.00"))
    unavailable = min(fen(row["unavailable_fen"]), total)
    withdrawable = total - unavailable
    limit = None if row["debt_limit_fen"] is None else fen(row["debt_limit_fen"])
    remaining_debt = None if limit is None else max(limit + debt, Decimal("0.00"))
    return Balances(total=total, unavailable=unavailable, withdrawable=withdrawable, remaining=withdrawable,
                    debt=debt, debt_frozen=fen(row["debt_frozen_fen"]), debt_limit=limit,
                    debt_remaining=remaining_debt, currency=row["currency"])


# ---- announcements -------------------------------------------------------------------------------------------

def today(now: datetime) -> date:
    """The mock clock's date in Beijing (the date WishPost's timestamps and publish_time show)."""
    return (now + BEIJING).date()


@dataclass(frozen=True)
class Window:
    start: date
    end: date


def window(start: date | None, end: date | None, now: datetime, days: int) -> Window:
    """The dates an announcements (POST) call covers: start_date defaults to `days` days before today, end_date
    to today; start may not be before that (WP-DOC: "Start date should not be earlier than 30 days ago."), end
    may not be before start (same day: one day)."""
    first = today(now) - timedelta(days=days)
    start = first if start is None else start
    end = today(now) if end is None else end
    if end < start:
        raise WishError("wp_end_before_start")
    if start < first:
        raise WishError("wp_start_too_early", days=days)
    return Window(start, end)


def filter_window(start: date | None, end: date | None) -> None:
    """GET announcements (WP-V3): dates filter without the 30-day rule; end before start is the same error."""
    if start is not None and end is not None and end < start:
        raise WishError("wp_end_before_start")


@dataclass(frozen=True)
class Page:
    offset: int
    limit: int
    total: int
    next: dict[str, int] | None  # {"limit", "offset"} of the next page, None on the last (or past offset 100)
    previous: dict[str, int] | None  # of the page before, None on the first


def page(total: int, offset: int, limit: int) -> Page:
    nxt = offset + limit
    has_next = nxt < total and nxt <= MAX_OFFSET
    return Page(offset, limit, total, {"limit": limit, "offset": nxt} if has_next else None,
                {"limit": limit, "offset": max(offset - limit, 0)} if offset > 0 else None)
