"""Parcels on demand (the seed, `POST /sandbox/api/wishpost/parcels`, `mockwish generate --wishpost`): valid
create_order fields (checked by the same rules as the API), shipped to the buyers of the linked merchant's
Wish orders when there are any, with the instants that put each parcel in the state asked for at `now`."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, select

from mockwish.errors import WishError
from mockwish.ids import new_hex
from mockwish.store.tables import Order, table_of
from mockwish.wishpost import reference
from mockwish.wishpost.parcels import rules, store
from mockwish.wishpost.parcels.link import held_orders, link_orders

ORD = table_of(Order)
STATES = ("created", "reviewing", "accepted", "shipping", "completed", "rejected", "canceled", "invalid")
DEFAULT_CHANNELS = ("36-1", "36-1", "1", "0", "11-1")  # mostly EPC, as Wish sellers ship
MAX_PARCELS = 2_000

# senders in China (pickup addresses as EPC wants them) and goods, as the docs' examples show them
SENDERS = (
    {"from": "ZENG WEI", "sender_province": "GUANGDONG", "sender_city": "SHENZHEN",
     "sender_addres": "756 ROOM 2 DANYUAN MEILONGYUAN LONGHUA", "sender_phone": "18620352867",
     "sender_zipcode": "518000", "pickup_from_local": "曾伟", "pickup_phone": "18620352867",
     "pickup_addres_local": "龙华区美龙苑丹园2室756号", "pickup_province_local": "广东省",
     "pickup_city_local": "深圳市"},
    {"from": "SU BILONG", "sender_province": "FUJIAN", "sender_city": "FUZHOU",
     "sender_addres": "GULOU DISTRICT DARUSHIJIA 3-201", "sender_phone": "13763813216", "sender_zipcode": "350001",
     "pickup_from_local": "苏碧龙", "pickup_phone": "13763813216", "pickup_addres_local": "鼓楼区大儒世家3号201室",
     "pickup_province_local": "福建省", "pickup_city_local": "福州市"},
)
GOODS = (("LED light", "发光二极管", 0.15, 2.0), ("Wrist watch", "手表", 0.12, 6.5),
         ("Phone case", "手机壳", 0.05, 1.8), ("Knit beanie", "毛线帽", 0.1, 3.2),
         ("Ceramic candle holder", "烛台", 0.3, 5.0))
RECIPIENTS = {
    "US": {"to": "Kalynn Stiles", "recipient_addres": "25380 County Rd. 21A", "recipient_city": "Esparto",
           "recipient_province": "California", "recipient_postcode": "95627", "recipient_phone": "(530)787-3999",
           "recipient_country": "United States"},
    "GB": {"to": "Oliver Bennett", "recipient_addres": "14 Mill Lane", "recipient_city": "Leeds",
           "recipient_province": "West Yorkshire", "recipient_postcode": "LS6 2DX", "recipient_phone": "+447700900123",
           "recipient_country": "United Kingdom"},
    "DE": {"to": "Lena Hoffmann", "recipient_addres": "Schillerstrasse 12", "recipient_city": "Berlin",
           "recipient_province": "Berlin", "recipient_postcode": "10625", "recipient_phone": "+4930901820",
           "recipient_country": "Germany"},
    "AU": {"to": "Kali West", "recipient_addres": "20/37 Gerrale Street", "recipient_city": "Cronulla",
           "recipient_province": "New South Wales", "recipient_postcode": "2230", "recipient_phone": "+61295230000",
           "recipient_country": "Australia"},
}


@dataclass(frozen=True)
class Made:
    rows: list[dict[str, Any]]


def _recipient(order: dict[str, Any] | None, rng: random.Random) -> tuple[str, dict[str, str]]:
    """(ISO2, the recipient fields): the Wish order's buyer when there is one."""
    if order is not None and order.get("shipping_detail"):
        d = order["shipping_detail"]
        country = reference.normalize_country(str(d.get("country") or "US"))
        if reference.iso3(country) is not None:
            raw_phone = str(d.get("phone_number") or "").strip()
            # as create_order takes it: digits, one leading + (a buyer's "(+30) 2145 305051" is +302145305051)
            phone = ("+" if "+" in raw_phone else "") + "".join(ch for ch in raw_phone if ch.isdigit())
            return country, {"to": str(d.get("name") or "Buyer"),
                             "recipient_addres": str(d.get("street_address1") or "1 Main Street")[:100],
                             "recipient_city": str(d.get("city") or "City"),
                             "recipient_province": str(d.get("state") or d.get("city") or "Province"),
                             "recipient_postcode": str(d.get("zipcode") or "00000"),
                             "recipient_phone": phone or "11", "recipient_country": country}
    country = rng.choice(sorted(RECIPIENTS))
    return country, dict(RECIPIENTS[country])


def fields_for(otype: str, order_ids: list[str], order: dict[str, Any] | None, rng: random.Random,
               guid: str) -> tuple[dict[str, str], list[dict[str, str]]]:
    """create_order fields of one parcel (the <product_items> form), valid for its channel."""
    channel = reference.channels()[otype]
    country, recipient = _recipient(order, rng)
    fields = {"guid": guid, "otype": otype, **rng.choice(SENDERS), **recipient, "recipient_country_short": country,
              "type_no": "5", "doorpickup": "1", "user_desc": f"order {guid}"}
    codes = reference.warehouse_codes(channel)
    if codes:
        fields["warehouse_code"] = str(rng.choice(sorted(codes)))
    name, name_cn, weight, price = rng.choice(GOODS)
    if order is not None:
        name = str(order.get("product_name") or name)[:100]
        if not any(ch.isascii() and ch.isalpha() for ch in name):
            name = "Item " + name
    num = int(order["quantity"]) if order is not None and order.get("quantity") else rng.randint(1, 3)
    item = {"wish_order_id": ",".join(order_ids) or "NonWishOrder", "product_item_name": name,
            "product_item_name_chinese": name_cn, "product_item_num": str(num),
            "product_item_weight": f"{min(weight, 2.0 / num):.3f}",
            "product_item_single_price": f"{price:.2f}", "product_item_has_battery": "0",
            "product_item_sensitivity_type": "0", "product_item_from_country": "China",
            "product_item_product_url": "https://www.wish.com/c/561f48726475cc5873cda03e"}
    if not order_ids and country in reference.EU_MEMBERS:
        fields |= {"sender_ioss_vat_id": "IM2760000001", "intrinsic_value": f"{price * num:.2f}"}
    if not order_ids and country == "GB":
        fields |= {"sender_tax_id": "GB123456789", "sender_eori": "GB123456789000"}
    return fields, [item]


def instants(state: str, now: datetime, step: timedelta) -> dict[str, Any]:
    """created_at, decided_at, reviewed, outcome and the rest that put a parcel in `state` at `now`."""
    minute = timedelta(minutes=1)
    base: dict[str, Any] = {"reviewed": False, "outcome": "accepted", "cancel_requested_at": None,
                            "forced_state": None, "forced_at": None}
    if state in ("created", "reviewing"):
        return base | {"created_at": now - minute, "decided_at": now + step, "reviewed": state == "reviewing"}
    if state == "accepted":
        return base | {"created_at": now - 2 * minute, "decided_at": now - minute}
    if state == "shipping":
        return base | {"created_at": now - 4 * step, "decided_at": now - 3 * step - minute}
    if state == "completed":
        return base | {"created_at": now - 12 * step, "decided_at": now - 11 * step}
    if state == "rejected":
        return base | {"created_at": now - step, "decided_at": now - minute, "reviewed": True,
                       "outcome": "rejected"}
    if state == "canceled":
        return base | {"created_at": now - step, "decided_at": now - step + minute, "cancel_requested_at": now - minute}
    if state == "invalid":
        return base | {"created_at": now - step, "decided_at": now + step, "forced_state": "invalid",
                       "forced_at": now - minute}
    raise WishError("invalid_param", value=state, param="state (one of " + ", ".join(STATES) + ")")


def _orders_of(conn: Connection, merchant_id: str | None, wanted: list[str] | None, count: int,
               rng: random.Random) -> list[dict[str, Any] | None]:
    """One Wish order (or None) per parcel: those named, else random unshipped orders of the merchant."""
    if merchant_id is None:
        return [None] * count
    q = select(ORD.c.id, ORD.c.shipping_detail, ORD.c.product_name, ORD.c.quantity).where(
        ORD.c.merchant_id == merchant_id)
    if wanted:
        named = {r["id"]: dict(r) for r in conn.execute(q.where(ORD.c.id.in_(wanted))).mappings()}
        return [named.get(o) for o in wanted][:count] + [None] * max(0, count - len(wanted))
    rows = [dict(r) for r in conn.execute(q.where(ORD.c.state == "APPROVED").order_by(ORD.c.id).limit(2000))
            .mappings()]
    rng.shuffle(rows)
    return [rows[i] if i < len(rows) else None for i in range(count)]


def make_parcels(conn: Connection, *, user_id: str, merchant_id: str | None, count: int, now: datetime,
                 policy: rules.Policy, rng: random.Random, state: str = "accepted", channel: str | None = None,
                 wish_order_ids: list[str] | None = None, linked_share: float = 1.0) -> list[dict[str, Any]]:
    """Store `count` parcels of the user in `state`; answers their rows."""
    if not 1 <= count <= MAX_PARCELS:
        raise WishError("invalid_param", value=str(count), param=f"count (1 to {MAX_PARCELS})")
    if channel is not None and channel not in reference.channels():
        raise WishError("invalid_param", value=channel, param="channel (an otype of create_order)")
    orders = _orders_of(conn, merchant_id, wish_order_ids, count, rng)
    seq = store.next_seq(conn)
    step = timedelta(seconds=policy.step_seconds)
    drafts = []
    for n in range(count):
        order = orders[n] if wish_order_ids or rng.random() < linked_share else None
        otype = channel or rng.choice(DEFAULT_CHANNELS)
        # the ids named are kept even when the merchant holds none of them (unlinked, as create_order does)
        order_ids = [wish_order_ids[n]] if wish_order_ids and n < len(wish_order_ids) else (
            [order["id"]] if order is not None else [])
        fields, items = fields_for(otype, order_ids, order, rng, guid=str(seq + n))
        try:
            draft = rules.check_order(fields, items)  # the same rules as create_order: never an invalid parcel
        except rules.Refused as refused:
            raise WishError("invalid_param", value=", ".join(order_ids) or otype,
                            param=f"parcel {n + 1} ({refused.en})") from None
        drafts.append(draft)
    held = held_orders(conn, merchant_id, [o for d in drafts for o in d.wish_order_ids])
    rows = []
    for n, draft in enumerate(drafts):
        linked, link_merchant = link_orders(held, merchant_id, draft.wish_order_ids)
        at = instants(state, now, step)
        row = rules.new_row(draft, seq + n, user_id=user_id, mark=new_hex(32),  # an id: never from the seed
                            step_seconds=policy.step_seconds, reviewed=at.pop("reviewed"), outcome=at.pop("outcome"),
                            created_at=at.pop("created_at"), decided_at=at.pop("decided_at"), linked=linked,
                            merchant_id=link_merchant)
        rows.append(row | at | {"cancel_reason_code": 40401 if state == "canceled" else None})
    store.insert_parcels(conn, rows)
    # each parcel prints on its own: its mark names it alone
    store.insert_batches(conn, [{"id": row["mark"], "kind": "mark", "user_id": user_id, "parcel_ids": [row["id"]],
                                 "printlang": 1, "printcode": 2, "created_at": row["created_at"]} for row in rows])
    return rows
