"""The WishPost parcel (domain, no HTTP): what create_order accepts (supplement-wishpost.md 3.3 and 9), the
states a parcel moves through on the mock's clock (8.1), its tracking events (5), cancels (8.3) and
collection options. A parcel's state and events are derived from the instants fixed at its creation and the
clock, so nothing needs settling to read them; only cancels, collection options and sandbox hooks write."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from mockwish.errors import WishError
from mockwish.wishpost import reference

# ---- states (order_status appendix: 0 Error ... 8 Completed) -------------------------------------------------

CREATED, INVALID, REJECTED, CANCELED, REVIEWING, ACCEPTED, SHIPPING, COMPLETED = 1, 2, 3, 4, 5, 6, 7, 8
STATE_NAMES = {0: "Error", CREATED: "Created", INVALID: "Invalid", REJECTED: "Rejected", CANCELED: "Canceled",
               REVIEWING: "Reviewing", ACCEPTED: "Accepted", SHIPPING: "Shipping", COMPLETED: "Completed"}
STATE_BY_NAME = {name.lower(): code for code, name in STATE_NAMES.items() if code}
CANCELLABLE = frozenset({CREATED, REVIEWING, ACCEPTED})
CLOSED = frozenset({INVALID, REJECTED, CANCELED})

# ---- tracking paths (supplement 5: "1 -> 2 -> 31 (EPC) or 3 -> 5 -> 15 -> 16 -> 20 -> 21 -> 43 -> 23") ------

EPC_PATH = (1, 2, 31, 5, 15, 16, 20, 21, 43, 23)
POST_PATH = (1, 2, 3, 5, 15, 16, 20, 21, 43, 23)
WAREHOUSE_EVENTS = frozenset({31, 3})  # the first warehouse scan: where the charge and the last mile appear
SHIPPING_FROM = 2  # Accepted -> Shipping at the first event from "Picked up" on
DELIVERED = frozenset({23, 24, 27})
CANCEL_EVENT = 48  # "Order is canceled" (WP-DOC's newer codes)

NON_WISH = "nonwishorder"
WISH_ORDER_ID = re.compile(r"[0-9a-f]{24}")
MAX_WISH_ORDER_IDS = 20
PHONE = re.compile(r"\+?[0-9()\-]+")
PICKUP_SERVICES = frozenset({"25-1", "27-1", "42-0"})
TYPE_NOS = frozenset({1, 2, 3, 4, 5})  # 1 gift, 2 documents, 3 commercial sample, 4 other, 5 sale of goods
IOSS_THRESHOLD_EUR = 150.0


@dataclass(frozen=True)
class Policy:
    """What the settings decide for new parcels (supplement 8.1, 5)."""

    review_share: float = 0.2
    reject_share: float = 0.1
    accept_seconds: int = 0
    step_seconds: int = 6 * 3600
    seed: int = 42

    @classmethod
    def from_settings(cls, s: Any) -> Policy:
        """From the MOCKWISH_WISHPOST_* settings (a mockwish.config.Settings)."""
        return cls(s.wishpost_review_share, s.wishpost_reject_share, s.wishpost_accept_seconds,
                   s.wishpost_tracking_step_seconds, s.seed)


class Refused(Exception):
    """One order of a create_order refused: `code` (1000 invalid, 1001 missing) and its message in both
    languages (the request goes on with its other orders)."""

    def __init__(self, code: int, en: str, zh: str) -> None:
        super().__init__(en)
        self.code, self.en, self.zh = code, en, zh

    def message(self, locale: str) -> str:
        return self.zh if locale == "zh" else self.en


def missing(name: str) -> Refused:
    return Refused(1001, f"Required Param '{name}' Missing", f"缺少必需参数 '{name}'")


def invalid(name: str, value: str, why_en: str = "", why_zh: str = "") -> Refused:
    return Refused(1000, f"{name} is invalid: {value!r}" + (f" ({why_en})" if why_en else ""),
                   f"{name} 无效：{value!r}" + (f"（{why_zh}）" if why_zh else ""))


# ---- create_order: one <order> -----------------------------------------------------------------------------

@dataclass
class Draft:
    """A valid order, ready to be stored."""

    guid: str
    otype: str
    dest_country: str  # ISO2
    wish_order_ids: list[str]
    warehouse_code: int | None
    fields: dict[str, str]
    items: list[dict[str, str]]
    weight_kg: float
    declared_value: float


def _int(fields: dict[str, str], name: str, allowed: Iterable[int] | None = None, *, low: int | None = None,
         high: int | None = None, label: str | None = None) -> int | None:
    """fields[name] as an int within its documented values; errors name it `label` (the field as sent)."""
    raw = fields.get(name, "").strip()
    name = label or name
    if not raw:
        return None
    try:
        value = int(raw)
    except ValueError:
        raise invalid(name, raw, "not an integer", "不是整数") from None
    if allowed is not None and value not in set(allowed):
        raise invalid(name, raw)
    if (low is not None and value < low) or (high is not None and value > high):
        raise invalid(name, raw, "out of range", "超出范围")
    return value


def _float(value: str, name: str, high: float) -> float:
    try:
        number = float(value)
    except ValueError:
        raise invalid(name, value, "not a number", "不是数字") from None
    if not 0 <= number <= high or number != number:
        raise invalid(name, value, "out of range", "超出范围")
    return number


def _wish_order_ids(raw: str, name: str) -> list[str]:
    """NonWishOrder (any case): none; else up to 20 comma separated 24-hex Wish order ids, no spaces."""
    text = raw.strip()
    if not text:
        raise missing(name)
    if text.lower() == NON_WISH:
        return []
    ids = text.split(",")
    if len(ids) > MAX_WISH_ORDER_IDS:
        raise invalid(name, text, f"at most {MAX_WISH_ORDER_IDS} Wish order ids",
                      f"最多 {MAX_WISH_ORDER_IDS} 个订单号")
    for oid in ids:
        if not WISH_ORDER_ID.fullmatch(oid):
            raise invalid(name, text, "NonWishOrder or 24-character Wish order ids separated by commas",
                          "应为 NonWishOrder 或以逗号分隔的 24 位 Wish 订单号")
    return ids


LEGACY_GOODS = ("content", "content_chinese", "num", "weight", "single_price")
# the goods and order ids: flat fields of the legacy form, <product_item> fields of the other
GOODS_FIELDS = frozenset({"content", "content_chinese", "num", "weight", "single_price", "trande_no",
                          "wish_order_id", "has_battery", "product_url", "sensitivity_type"})
ITEM_FIELDS = ("num", "weight", "single_price", "has_battery", "sensitivity_type", "product_url", "hs_code",
               "from_country", "intrinsic_value", "intrinsic_vat_amount")
# a legacy order's goods are checked as one product item; its errors name the fields the client sent
LEGACY_NAMES = {f"product_item_{k}": k for k in ITEM_FIELDS} | {"product_item_name": "content",
                                                                "product_item_name_chinese": "content_chinese"}
CHINESE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def _goods(fields: dict[str, str], items: list[dict[str, str]] | None
           ) -> tuple[list[dict[str, str]], list[str], bool]:
    """The goods as product items (the legacy flat fields become one item), the Wish order ids, and whether
    the order used the legacy form (`items` None: no <product_items>; an empty list: one without goods)."""
    if items is not None:
        if not items:
            raise missing("product_item")
        order_ids: list[str] = []
        for item in items:
            order_ids += _wish_order_ids(item.get("wish_order_id", ""), "wish_order_id")
        for key in ("wish_order_id", "trande_no"):  # an order-level id list as well
            if fields.get(key, "").strip():
                order_ids += _wish_order_ids(fields[key], key)
        order_ids = list(dict.fromkeys(order_ids))
        if len(order_ids) > MAX_WISH_ORDER_IDS:  # per order, however its items spread them
            raise invalid("wish_order_id", ",".join(order_ids), f"at most {MAX_WISH_ORDER_IDS} Wish order ids",
                          f"最多 {MAX_WISH_ORDER_IDS} 个订单号")
        return items, order_ids, False
    for name in LEGACY_GOODS:
        if not fields.get(name, "").strip():
            raise missing(name)
    key = "trande_no" if fields.get("trande_no", "").strip() else "wish_order_id"
    order_ids = _wish_order_ids(fields.get(key, ""), key)
    item = {f"product_item_{k}": fields.get(k, "") for k in ITEM_FIELDS}
    item["product_item_name"] = fields.get("content", "")
    item["product_item_name_chinese"] = fields.get("content_chinese", "")
    return [item], order_ids, True


def _check_item(item: dict[str, str], legacy: bool) -> tuple[float, float]:
    """(weight in kg, value) of one product item; refuses what the parameter table refuses, naming the field
    as the client sent it. A sensitivity type below has_battery takes has_battery's value (WP-DOC)."""
    def name(key: str) -> str:
        return LEGACY_NAMES.get(key, key) if legacy else key

    title = item.get("product_item_name", "").strip()
    if not title:
        raise missing(name("product_item_name"))
    if not re.search(r"[A-Za-z]", title):
        raise invalid(name("product_item_name"), title, "it must contain at least one English character",
                      "必须包含至少一个英文字符")
    chinese = item.get("product_item_name_chinese", "").strip()
    if not chinese:
        raise missing(name("product_item_name_chinese"))
    if not CHINESE.search(chinese):
        raise invalid(name("product_item_name_chinese"), chinese, "it must contain Chinese", "必须包含中文")
    num = _int(item, "product_item_num", low=1, high=99_999, label=name("product_item_num"))
    if num is None:
        raise missing(name("product_item_num"))
    raw_weight = item.get("product_item_weight", "").strip()
    if not raw_weight:
        raise missing(name("product_item_weight"))
    weight = _float(raw_weight, name("product_item_weight"), 2.0)
    raw_price = item.get("product_item_single_price", "").strip()
    if not raw_price:
        raise missing(name("product_item_single_price"))
    price = _float(raw_price, name("product_item_single_price"), 99_999.0)
    battery = _int(item, "product_item_has_battery", (0, 1), label=name("product_item_has_battery"))
    if battery is None:
        raise missing(name("product_item_has_battery"))
    sensitivity = _int(item, "product_item_sensitivity_type", (0, 1, 2), label=name("product_item_sensitivity_type"))
    if sensitivity is None or sensitivity < battery:
        item["product_item_sensitivity_type"] = str(battery)
    if not item.get("product_item_product_url", "").strip():
        raise missing(name("product_item_product_url"))
    return weight * num, price * num


def _country(fields: dict[str, str], channel: reference.Channel) -> str:
    raw = fields.get("recipient_country_short", "").strip().upper()
    if not raw:
        if channel.family == "epc":  # optional for Wishpost EPC: its hub learns it from the Wish order
            return "US"
        raise missing("recipient_country_short")
    code = reference.normalize_country(raw)
    if reference.iso3(code) is None:
        raise invalid("recipient_country_short", raw, "not an ISO 3166 country code", "不是有效的国家代码")
    return code


def check_order(fields: dict[str, str], items: list[dict[str, str]] | None) -> Draft:
    """One <order> of create_order as sent (its flat fields, and its <product_items>, None when it has none):
    a Draft, or Refused with the first problem found."""
    otype = fields.get("otype", "").strip()
    if not otype:
        raise missing("otype")
    channel = reference.channels().get(otype)
    if channel is None:
        raise Refused(1000, "otype is invalid", "otype 无效")
    for name in reference.required_fields(channel):
        if name not in GOODS_FIELDS and not fields.get(name, "").strip():  # goods: per item, in _check_item
            raise missing(name)
    for name in ("sender_phone", "recipient_phone", "pickup_phone", "receive_phone"):
        phone = fields.get(name, "").strip()
        if phone and not PHONE.fullmatch(phone):
            raise invalid(name, phone, "digits, one leading +, - and () only",
                          "只能包含数字、开头的 +、- 和 ()")
    email = fields.get("recipient_email", "").strip()
    if email and "@" not in email:
        raise invalid("recipient_email", email, "it must contain @", "必须包含 @")
    dest = _country(fields, channel)
    rule = reference.postcode_rule(dest)
    postcode = fields.get("recipient_postcode", "").strip()
    if rule is not None and postcode and not rule.fullmatch(postcode):
        raise Refused(1000, reference.postcode_error(dest, postcode, "en") or "recipient_postcode is invalid",
                      reference.postcode_error(dest, postcode, "zh") or "收件人邮编错误")
    _int(fields, "type_no", TYPE_NOS)
    _int(fields, "doorpickup", (0, 1, 2))
    _int(fields, "platform", low=0, high=100)
    _int(fields, "bid", low=0, high=99_999)
    service = fields.get("pickup_service", "").strip()
    if service and service not in PICKUP_SERVICES:
        raise invalid("pickup_service", service, "25-1, 27-1 or 42-0", "应为 25-1、27-1 或 42-0")
    warehouse = _warehouse(fields, channel)
    items, order_ids, legacy = _goods(fields, items)
    weight = value = 0.0
    for item in items:
        w, v = _check_item(item, legacy)
        weight, value = weight + w, value + v
    _customs(fields, items, dest, non_wish=not order_ids, value=value)
    return Draft(fields.get("guid", "").strip(), otype, dest, order_ids, warehouse, fields, items,
                 round(weight, 3), round(value, 2))


def _warehouse(fields: dict[str, str], channel: reference.Channel) -> int | None:
    code = _int(fields, "warehouse_code", low=0, high=10**10)
    table = reference.warehouse_codes(channel)
    if code is None:
        return None
    if table and code not in table:
        raise invalid("warehouse_code", str(code), "not a warehouse of this channel", "不是该渠道的仓库")
    return code


def _customs(fields: dict[str, str], items: list[dict[str, str]], dest: str, *, non_wish: bool,
             value: float) -> None:
    """The tax fields of a non-Wish order (WP-DOC): UK needs the sender's tax id and EORI; an EU destination
    needs the intrinsic value, and below 150 EUR the sender's IOSS VAT id."""
    if not non_wish:
        return
    if dest == "GB":
        for name in ("sender_tax_id", "sender_eori"):
            if not fields.get(name, "").strip():
                raise missing(name)
    if dest in reference.EU_MEMBERS:
        intrinsic = fields.get("intrinsic_value", "").strip() or items[0].get("product_item_intrinsic_value", "")
        if not intrinsic.strip():
            raise missing("intrinsic_value")
        if _float(intrinsic.strip(), "intrinsic_value", 10**7) < IOSS_THRESHOLD_EUR and not fields.get(
                "sender_ioss_vat_id", "").strip():
            raise missing("sender_ioss_vat_id")


# ---- identities and outcomes ---------------------------------------------------------------------------------

def wosp_id(seq: int, dest_country: str) -> str:
    """WOSP + 12 digits + the destination's ISO3 (WOSP000000022891AUS)."""
    code = reference.iso3(dest_country)
    assert code is not None  # check_order accepts only countries with an ISO3 code
    return f"WOSP{seq:012d}{code}"


def _digits(seq: int, salt: str, n: int) -> str:
    return str(int(hashlib.sha256(f"{salt}:{seq}".encode()).hexdigest(), 16))[-n:].zfill(n)


SERIAL_STEP = 7919  # prime to 10: seq -> (seq * step + offset) mod 10^n is one-to-one below 10^n


def _serial(seq: int, n: int, offset: int) -> str:
    """n digits that look drawn at random yet never repeat: parcel numbers are unique (seq is), so two parcels
    never share a tracking number, whatever their channels."""
    return f"{(seq * SERIAL_STEP + offset) % 10 ** n:0{n}d}"


def _s10(serial: str, prefix: str) -> str:
    """A UPU S10 number: 2 letters, 8 digits, the check digit, CN."""
    weights = (8, 6, 4, 2, 3, 5, 9, 7)
    check = 11 - sum(int(d) * w for d, w in zip(serial, weights, strict=True)) % 11
    check = 5 if check == 11 else 0 if check == 10 else check
    return f"{prefix}{serial}{check}CN"


def tracking_number(seq: int, channel: reference.Channel) -> str:
    """A tracking number of the channel's shape (supplement 3.3 and the docs' examples)."""
    style = channel.barcode_style
    if style == "wi_epc":
        return f"WI{seq:012d}EPC"
    if style == "s10_cn":
        return _s10(_serial(seq, 8, 99_007_325), "RQ" if channel.registered else "UH")
    if style == "s10_local":  # a sorting centre's own S10 series (PP001764319BJ)
        return f"PP{_serial(seq, 9, 1_764_319)}BJ"
    return _serial(seq, 11, 80_300_000_000)  # numeric_11 (80300000001 ...)


def last_mile(seq: int, dest_country: str) -> tuple[str, str]:
    """(carrier, tracking id) of the last-mile carrier a parcel is handed to."""
    carriers = {"US": ("USPS", "94001" + _digits(seq, "usps", 17)), "GB": ("Royal Mail", "ZH" + _digits(seq, "rm", 8)),
                "DE": ("DHL", "00340" + _digits(seq, "dhl", 15)), "FR": ("La Poste", "6A" + _digits(seq, "lp", 11))}
    return carriers.get(dest_country, ("Local Post", "LP" + _digits(seq, "lp", 10)))


def _share(seq: int, salt: str, seed: int) -> float:
    """A number in [0, 1) fixed by the parcel and the seed: the same run, the same outcomes."""
    return int(hashlib.sha256(f"{seed}:{salt}:{seq}".encode()).hexdigest()[:8], 16) / 2**32


def outcome(seq: int, policy: Policy, forced: str | None = None) -> tuple[bool, str]:
    """(goes through Reviewing, "accepted" or "rejected") for a new parcel; `forced` is the sandbox's choice
    for it: "created", "reviewing" (then accepted) or "rejected" (after review)."""
    if forced == "created":
        return False, "accepted"
    if forced == "reviewing":
        return True, "accepted"
    if forced == "rejected":
        return True, "rejected"
    reviewed = _share(seq, "review", policy.seed) < policy.review_share
    rejected = reviewed and _share(seq, "reject", policy.seed) < policy.reject_share
    return reviewed, "rejected" if rejected else "accepted"


def new_row(draft: Draft, seq: int, *, user_id: str, mark: str, step_seconds: int, reviewed: bool,
            outcome: str, created_at: datetime, decided_at: datetime, linked: list[str],
            merchant_id: str | None) -> dict[str, Any]:
    """The stored row of a new parcel (create_order's and the sandbox's alike): its identities, tracking
    number and last mile, the outcome and instants decided now, and the Wish orders it is linked to."""
    channel = reference.channels()[draft.otype]
    number = tracking_number(seq, channel)
    carrier, lm_id = last_mile(seq, draft.dest_country) if channel.last_mile else ("", "")
    return {"id": wosp_id(seq, draft.dest_country), "seq": seq, "user_id": user_id, "guid": draft.guid,
            "mark": mark, "otype": draft.otype, "barcode": number, "logistics_order_code": number,
            "reviewed": reviewed, "outcome": outcome, "created_at": created_at, "decided_at": decided_at,
            "step_seconds": step_seconds, "cancel_requested_at": None, "cancel_reason_code": None,
            "invalid_reason": None, "forced_state": None, "forced_at": None, "extra_events": [],
            "wish_order_ids": draft.wish_order_ids, "merchant_id": merchant_id, "linked_order_ids": linked,
            "auto_fulfilled": False, "dest_country": draft.dest_country, "warehouse_code": draft.warehouse_code,
            "last_mile_carrier": carrier, "last_mile_tracking_id": lm_id, "fields": draft.fields,
            "items": draft.items, "collection": {}}


# ---- the parcel as of now -------------------------------------------------------------------------------------

class Event(NamedTuple):  # a tuple: a tracking call makes a hundred of them
    at: datetime
    status: int
    charge: bool = False  # the warehouse scan: charge fields and the last mile appear here
    remark: str = ""


@dataclass
class View:
    state: int
    events: list[Event] = field(default_factory=list)
    last_mile_assigned: bool = False

    @property
    def state_name(self) -> str:
        return STATE_NAMES[self.state]

    @property
    def accepted(self) -> bool:
        """Accepted or later along the way (the tracking number is known)."""
        return self.state in (ACCEPTED, SHIPPING, COMPLETED)


def path_of(p: dict[str, Any]) -> tuple[int, ...]:
    channel = reference.channels().get(p["otype"])
    return EPC_PATH if channel is not None and channel.family == "epc" else POST_PATH


def schedule(p: dict[str, Any]) -> list[Event]:
    """Every tracking event the parcel will have if nothing stops it: 1 at creation, then one per step from
    the moment it is accepted."""
    step = timedelta(seconds=p["step_seconds"])
    out = [Event(p["created_at"], 1)]
    for n, status in enumerate(path_of(p)[1:], start=1):
        out.append(Event(p["decided_at"] + n * step, status, charge=status in WAREHOUSE_EVENTS))
    return out


def carrier_instants(p: dict[str, Any]) -> tuple[datetime | None, datetime | None]:
    """(first carrier scan, delivery) of the parcel as planned now: its schedule, a sandbox hook's state or
    events, a cancel; None for what will not happen (a rejected, cancelled or invalid parcel is never
    delivered). A linked Wish order's carrier confirmations follow these (parcels.link)."""
    extra = [Event(_at(e["at"]), int(e["status"])) for e in p["extra_events"]]
    forced, at = p["forced_state"], p["forced_at"]
    if p["outcome"] == "rejected" or forced in ("canceled", "rejected", "invalid", "created", "reviewing"):
        return None, None
    events = sorted(schedule(p) + extra, key=lambda e: e.at)
    stop = p["cancel_requested_at"]
    if forced is not None:  # shipping or completed from `at` on: the schedule stops there
        events = [e for e in events if e.at <= at] + [Event(at, SHIPPING_FROM)]
        if forced == "completed":
            events.append(Event(at, 23))
    elif stop is not None:
        events = [e for e in events if e.at <= stop]
    scan = next((e.at for e in events if e.status >= SHIPPING_FROM and e.at >= p["decided_at"]), None)
    delivered = next((e.at for e in events if e.status in DELIVERED), None)
    return scan, delivered


def number_given(p: dict[str, Any], now: datetime) -> bool:
    """Whether a reviewed parcel's tracking number was handed out by `now`: it was accepted at decided_at
    (not rejected, not cancelled or moved by a hook before that), whatever happened to it since."""
    decided = p["decided_at"]
    if p["outcome"] != "accepted" or decided > now:
        return False
    cancelled, forced = p["cancel_requested_at"], p["forced_at"]
    return (cancelled is None or cancelled >= decided) and (forced is None or forced >= decided)


def view(p: dict[str, Any], now: datetime) -> View:
    """The parcel's state and tracking events at `now`."""
    extra = [Event(_at(e["at"]), int(e["status"]), remark=e.get("remark", "")) for e in p["extra_events"]]
    if p["forced_state"] is not None and p["forced_at"] is not None and p["forced_at"] <= now:
        return _forced(p, now, extra)
    if p["cancel_requested_at"] is not None and p["cancel_requested_at"] <= now:
        cancelled = p["cancel_requested_at"]
        events = [e for e in schedule(p) if e.at <= cancelled]
        return View(CANCELED, _merge(events + [Event(cancelled, CANCEL_EVENT)], extra, now),
                    any(e.charge for e in events))
    if now < p["decided_at"]:
        return View(REVIEWING if p["reviewed"] else CREATED, _merge([Event(p["created_at"], 1)], extra, now))
    if p["outcome"] == "rejected":
        return View(REJECTED, _merge([Event(p["created_at"], 1)], extra, now))
    events = [e for e in schedule(p) if e.at <= now]
    merged = _merge(events, extra, now)
    statuses = {e.status for e in merged}
    # Shipping from the first event after creation (a hook's too), Completed at delivery
    moved = any(e.status >= SHIPPING_FROM for e in merged if e.at >= p["decided_at"] or e in extra)
    state = COMPLETED if statuses & DELIVERED else SHIPPING if moved else ACCEPTED
    return View(state, merged, any(e.charge for e in events))


def next_change(p: dict[str, Any], now: datetime) -> datetime:
    """The first instant after `now` at which the parcel's view can change by the clock alone (its next event,
    its review ending, a cancel or a hook taking effect): until then a render of it holds (writes aside)."""
    instants = [e.at for e in schedule(p)] + [p["decided_at"]]
    for key in ("cancel_requested_at", "forced_at"):
        if p[key] is not None:
            instants.append(p[key])
    instants += [_at(e["at"]) for e in p["extra_events"]]
    return min((at for at in instants if at > now), default=datetime.max)


def _forced(p: dict[str, Any], now: datetime, extra: list[Event]) -> View:
    """A sandbox hook moved the parcel: the events up to its instant, then what the state implies."""
    state, at = STATE_BY_NAME[p["forced_state"]], p["forced_at"]
    events = [e for e in schedule(p) if e.at <= at]
    if state == COMPLETED and not any(e.status in DELIVERED for e in events):
        events.append(Event(at, 23))
    if state == SHIPPING and not any(e.status >= SHIPPING_FROM for e in events[1:]):
        events += [Event(at, 2), Event(at, path_of(p)[2], charge=True)]
    if state in (CREATED, REVIEWING, REJECTED, INVALID):
        events = events[:1]
    if state == CANCELED:
        events.append(Event(at, CANCEL_EVENT))
    return View(state, _merge(events, extra, now), any(e.charge for e in events))


def _merge(events: list[Event], extra: list[Event], now: datetime) -> list[Event]:
    return sorted(events + [e for e in extra if e.at <= now], key=lambda e: e.at)


def _at(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


# ---- cancel and collection option -----------------------------------------------------------------------------

CANCEL_ACCEPTED = 0
NOT_FOUND, NOT_OWNED, ALREADY_INVALID, ALREADY_SHIPPED = 1, 2, 3, 4


def cancel_result(state: int) -> int:
    """What cancelling a parcel in `state` does: accepted (it becomes Canceled), or the failure code."""
    if state in CANCELLABLE:
        return CANCEL_ACCEPTED
    if state in CLOSED:
        return ALREADY_INVALID
    return ALREADY_SHIPPED


def check_collection(state: int) -> None:
    """A collection option may change until the parcel ships."""
    if state not in CANCELLABLE:
        raise WishError("wp_collection_closed", state=STATE_NAMES[state])


def collection_option(p: dict[str, Any]) -> dict[str, Any]:
    """What order/collection_option/confirm stores: door pickup needs a pickup service among the documented
    three and a pickup address with a name, phone, address, province and city; return action 3 needs a return
    address."""
    option: dict[str, Any] = {"doorpickup": p["doorpickup"]}
    if p["doorpickup"] == 1:
        service = (p.get("pickup_service") or "").strip()
        if not service:
            raise WishError("wp_missing_param", param="pickup_service")
        if service not in PICKUP_SERVICES:
            raise WishError("wp_invalid_param", param="pickup_service", value=service)
        address = p.get("pickup_address")
        if not address:
            raise WishError("wp_missing_param", param="pickup_address")
        for name in ("pickup_from_local", "pickup_phone", "pickup_province_local", "pickup_city_local"):
            if not str(address.get(name) or "").strip():
                raise WishError("wp_missing_param", param=f"pickup_address.{name}")
        option |= {"pickup_service": service, "pickup_address": {k: str(v) for k, v in address.items()}}
    action = p.get("return_action_in_country")
    if action is not None:
        if action not in (0, 2, 3):
            raise WishError("wp_invalid_param", param="return_action_in_country", value=str(action))
        option["return_action_in_country"] = action
        if action == 3:
            address = p.get("return_address")
            if not address:
                raise WishError("wp_missing_param", param="return_address")
            option["return_address"] = {k: str(v) for k, v in address.items()}
    mode = p.get("reverse_logistics_mode")
    if mode is not None:
        if mode not in (1, 3):
            raise WishError("wp_invalid_param", param="reverse_logistics_mode", value=str(mode))
        option["reverse_logistics_mode"] = mode
    return option


# ---- money ------------------------------------------------------------------------------------------------------

PER_KG_CNY, PER_PARCEL_CNY, MIN_WEIGHT_KG = 60.0, 2.8, 0.05  # the mock's flat rate (WP-DOC prints no tariff)


def goods_totals(items: list[dict[str, Any]]) -> tuple[float, float]:
    """(weight in kg, declared value) of a parcel's items as stored."""
    weight = value = 0.0
    for item in items:
        num = int(item.get("product_item_num") or 1)
        weight += float(item.get("product_item_weight") or 0) * num
        value += float(item.get("product_item_single_price") or 0) * num
    return round(weight, 3), round(value, 2)


def charge(p: dict[str, Any]) -> tuple[float, float]:
    """(pricing weight in kg, shipping fee in CNY) the warehouse charges when it weighs the parcel."""
    weight = max(goods_totals(p["items"])[0], MIN_WEIGHT_KG)
    return round(weight, 2), round(PER_PARCEL_CNY + PER_KG_CNY * weight, 2)
