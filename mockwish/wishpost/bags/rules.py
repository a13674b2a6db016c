"""The WishPost bag (domain, no HTTP): which hub a parcel goes to, which logistics orders a bag may hold
(orders_bag/create), the states a bag moves through on the mock's clock (orders_bag's appendix: 0 Created,
1 Shipping, 2 Cancelled, 3 Terminated, 4 Abnormal) and which bags may be cancelled (orders_bag/cancel).

A bag's state is derived, when read, from the instants fixed at its creation and its parcels' own states
(parcels.rules.view):

* Created (0) from its creation until `pickup_at` (creation + wishpost_bag_pickup_seconds): the carrier has
  not picked it up, and the bag may still be cancelled;
* Shipping (1) from then on;
* Terminated (3) once every parcel in it is Completed, or at `terminate_at` (pickup +
  wishpost_bag_terminate_seconds) at the latest;
* Abnormal (4) when, after the pickup and before it is Terminated, a parcel in it is Canceled, Rejected or
  Invalid (or a sandbox hook said so). An Abnormal bag whose every parcel was cancelled may be cancelled: WP-DOC
  says a shipping bag's logistics orders "must be cancelled first";
* Cancelled (2) from a successful orders_bag/cancel on; its parcels may be bagged again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from mockwish.wishpost import reference
from mockwish.wishpost.bags import errors
from mockwish.wishpost.parcels import render as parcel_render
from mockwish.wishpost.parcels import rules as parcel_rules
from mockwish.wishpost.wire_v3 import BEIJING

CREATED, SHIPPING, CANCELLED, TERMINATED, ABNORMAL = 0, 1, 2, 3, 4
STATE_NAMES = {"en": {CREATED: "Created", SHIPPING: "Shipping", CANCELLED: "Cancelled", TERMINATED: "Terminated",
                      ABNORMAL: "Abnormal"},
               # WP-DOC prints only 已取消 (its example answers state 2 with it); the other four are the mock's
               "zh": {CREATED: "已创建", SHIPPING: "运输中", CANCELLED: "已取消", TERMINATED: "已终止",
                      ABNORMAL: "异常"}}
STATE_BY_NAME = {name.lower(): code for code, name in STATE_NAMES["en"].items()}

STO_PICKUP, SELF_DELIVERY = 2801, 9999  # orders_bag/create's pickup_service choices
MAX_CODES = 1000  # logistics_order_codes per bag (WP-DOC)
MAX_BAGS = 100  # bag numbers (and codes) per query, cancel or label call (WP-DOC)
MAX_REASON = 100  # cancel_reason's length (WP-DOC: 0-100)
BAG_NUMBER_SEQ = 10**8  # the 8 digits after the Beijing date


@dataclass(frozen=True)
class BagPolicy:
    """What the settings decide for new bags."""

    pickup_seconds: int = 12 * 3600
    terminate_seconds: int = 15 * 86400

    @classmethod
    def from_settings(cls, s: Any) -> BagPolicy:
        """From the MOCKWISH_WISHPOST_BAG_* settings (a mockwish.config.Settings)."""
        return cls(s.wishpost_bag_pickup_seconds, s.wishpost_bag_terminate_seconds)


@dataclass(frozen=True)
class Caller:
    """Who calls: a WishPost user (`user_id`) or a pickup carrier (`carrier_id` and its hub)."""

    user_id: str | None = None
    carrier_id: str | None = None
    carrier_hub: int | None = None

    @property
    def is_carrier(self) -> bool:
        return self.carrier_id is not None


# ---- hubs ------------------------------------------------------------------------------------------------------

EAST_CHINA_HUB, SOUTH_CHINA_HUB = 3001, 3002


def hub_of_warehouse(code: int) -> int | None:
    """The hub an EPC warehouse sends its bags to: the East China ones (华东…仓) to 3001, the South China ones
    (华南…仓) to 3002; None for any other code."""
    epc = reference.epc_warehouses().get(code)
    if epc is None:
        return None
    if epc.name_cn.startswith("华东"):
        return EAST_CHINA_HUB
    if epc.name_cn.startswith("华南"):
        return SOUTH_CHINA_HUB
    return None


def hub_of_parcel(parcel: dict[str, Any]) -> int | None:
    """The hub warehouse (3001, 3002) a parcel goes through, from its stored row: only EPC parcels go through
    a hub, that of their EPC warehouse (the one their create_order named, else EPC's first, 1001 华东1仓, as
    order_status shows it). None for a parcel of another channel (China Post, IB, ...)."""
    channel = reference.channels().get(parcel["otype"])
    if channel is None or channel.family != "epc":
        return None
    code, _ = parcel_render.warehouse_of(parcel)
    return hub_of_warehouse(code)


# ---- orders_bag/create -------------------------------------------------------------------------------------------

def check_pickup_service(value: int) -> bool:
    return value in reference.hub_pickup_services()


def check_hub(value: int) -> bool:
    return value in reference.hub_warehouses()


def _pickup_conflict(parcel: dict[str, Any], pickup_service: int) -> bool:
    """A parcel whose confirmed collection option is door pickup goes in an STO pickup bag only; one confirmed
    as drop-off in a self-delivery bag only; one without a confirmed option fits either."""
    option = parcel.get("collection") or {}
    if "doorpickup" not in option:
        return False
    door = int(option["doorpickup"]) == 1
    return door != (pickup_service == STO_PICKUP)


def reason_for(parcel: dict[str, Any] | None, code: str, *, hub: int, pickup_service: int, bagged: bool,
               now: datetime) -> str | None:
    """Why `code` (a logistics order code as the client sent it) cannot go into a new bag for `hub`, as a
    registry key; None when it may. `parcel` is the caller's parcel of that code (None: none the caller may
    bag), `bagged` whether it is in a live bag already."""
    if parcel is None or code != parcel["logistics_order_code"]:
        return errors.CODE_NOT_WISHPOST
    if parcel["reviewed"] and not parcel_rules.number_given(parcel, now):
        return errors.CODE_NOT_WISHPOST  # a number the client was never given is no logistics order code yet
    state = parcel_rules.view(parcel, now).state
    if state in parcel_rules.CLOSED:
        return errors.CODE_CLOSED
    if state == parcel_rules.COMPLETED:
        return errors.CODE_COMPLETED
    if state not in (parcel_rules.ACCEPTED, parcel_rules.SHIPPING):
        return errors.CODE_NOT_ACCEPTED
    parcel_hub = hub_of_parcel(parcel)
    if parcel_hub is None:
        return errors.CODE_NO_HUB
    if parcel_hub != hub:
        return errors.CODE_WRONG_HUB
    if _pickup_conflict(parcel, pickup_service):
        return errors.CODE_PICKUP_SERVICE
    if bagged:
        return errors.CODE_BAGGED
    return None


def group_failures(reasons: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """(code, reason key) pairs -> {reason key: [codes]}, reasons and codes in the order first met."""
    out: dict[str, list[str]] = {}
    for code, key in reasons:
        out.setdefault(key, []).append(code)
    return out


def unique_codes(codes: Sequence[str]) -> list[str]:
    """The codes, blanks dropped, each once, in the order sent (a code listed twice is bagged once)."""
    return list(dict.fromkeys(c for c in (s.strip() for s in codes) if c))


def bag_number(seq: int, created_at: datetime) -> str:
    """WI + the Beijing date (8 digits) + 8 digits of the bag's sequence + BAG (WI2019110400000123BAG)."""
    return f"WI{(created_at + BEIJING):%Y%m%d}{seq % BAG_NUMBER_SEQ:08d}BAG"


def new_bag(seq: int, *, caller: Caller, hub: int, pickup_service: int, now: datetime,
            policy: BagPolicy) -> dict[str, Any]:
    """The stored row of a new bag, its instants decided now."""
    pickup = now + timedelta(seconds=policy.pickup_seconds)
    return {"bag_number": bag_number(seq, now), "seq": seq, "user_id": caller.user_id,
            "carrier_id": caller.carrier_id, "hub_warehouse_code": hub, "pickup_service": pickup_service,
            "created_at": now, "pickup_at": pickup,
            "terminate_at": pickup + timedelta(seconds=policy.terminate_seconds),
            "abnormal_at": None, "cancelled_at": None, "cancel_reason": None}


# ---- the bag as of now --------------------------------------------------------------------------------------------

def view(bag: dict[str, Any], parcel_states: Sequence[int], now: datetime) -> int:
    """The bag's state at `now`, given the states of its parcels at `now`."""
    if bag["cancelled_at"] is not None and bag["cancelled_at"] <= now:
        return CANCELLED
    if bag["abnormal_at"] is not None and bag["abnormal_at"] <= now:
        return ABNORMAL
    if now < bag["pickup_at"]:
        return CREATED
    if now >= bag["terminate_at"] or (parcel_states and all(s == parcel_rules.COMPLETED for s in parcel_states)):
        return TERMINATED
    if any(s in parcel_rules.CLOSED for s in parcel_states):
        return ABNORMAL
    return SHIPPING


def state_name(state: int, locale: str) -> str:
    return STATE_NAMES.get(locale, STATE_NAMES["en"])[state]


def visible(bag: dict[str, Any], caller: Caller) -> bool:
    """A user sees the bags it made; a carrier every bag bound for its hub (it picks them up)."""
    if caller.is_carrier:
        return bool(bag["hub_warehouse_code"] == caller.carrier_hub)
    return caller.user_id is not None and bag["user_id"] == caller.user_id


def may_cancel_as(bag: dict[str, Any], caller: Caller) -> bool:
    """A user cancels the bags it made, a carrier those it made itself (not a merchant's bag it will pick up)."""
    if caller.is_carrier:
        return bag["carrier_id"] == caller.carrier_id
    return caller.user_id is not None and bag["user_id"] == caller.user_id


def cancel_refusal(state: int, parcel_states: Sequence[int]) -> str | None:
    """Why a bag in `state` cannot be cancelled (a registry key), or None. An Abnormal bag whose parcels were
    all cancelled first may be (WP-DOC: "the logistics orders bound with the bag must be cancelled first")."""
    if state == CREATED:
        return None
    if state == ABNORMAL and parcel_states and all(s in parcel_rules.CLOSED for s in parcel_states):
        return None
    if state == CANCELLED:
        return errors.BAG_CANCELLED
    if state == TERMINATED:
        return errors.BAG_TERMINATED
    return errors.BAG_SHIPPED


def check_reason(value: Any) -> str | None:
    """A cancel_reason as stored: a string (a number is taken as its text) of at most 100 characters; None
    when it is not one."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    text = str(value)
    return text if len(text) <= MAX_REASON else None
