"""The objects of WishPost's reference tables, account and announcements as the docs' examples print them,
key for key (WP-DOC's key order, its value types: otype a string, warehouse codes integers, amounts strings)."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from html import escape
from typing import Any

from mockwish.wishpost import reference
from mockwish.wishpost.account.rules import NA, Balances, Page

# account_info's words (WP-DOC prints the Chinese ones; the English ones are the mock's)
UNLIMITED = {"zh": "无上限的", "en": "Unlimited"}
CURRENCY_NAMES = {"CNY": {"zh": "人民币", "en": "CNY"}}
ALL_SUCCESS = "All success"  # announcements (WP-DOC)
WAREHOUSES_FETCHED = "All warehouses fetched."  # warehouse (WP-DOC)
HUB_OK = "successful"  # hub_warehouse_table (WP-DOC)
SCOPES_OK = "Success"  # scopes (WP-DOC)


# ---- channels ------------------------------------------------------------------------------------------------

def channel(ch: reference.Channel) -> dict[str, Any]:
    """One channel as WP-DOC's Get Channels example prints it (GET /api/v3/channels lists the same objects)."""
    listing = reference.channel_listings()[ch.otype]
    names, returns = reference.channel_warehouses(ch.otype)
    services = reference.pickup_services()
    return {
        "support_warehouses": ch.warehouse_table is not None, "channel_name": listing.channel_name,
        "channel_name_en": listing.channel_name_en, "is_only_online_payment": ch.online_payment,
        "otype": ch.otype, "allow_battery": listing.allow_battery, "sensitivity_types": list(listing.sensitivity_types),
        "pickup_service": {code: services[code] for code in ch.pickup_services if code in services},
        "is_registered": ch.registered, "warehouses": dict(names), "warehouses_return_address": dict(returns),
        "channel": ch.channel,
    }


# ---- warehouses ----------------------------------------------------------------------------------------------

ADDRESS_KEYS = ("province", "city", "name", "district", "zipcode", "address", "phone_number", "email")
_REGIONS = {"华东": "East China", "华南": "South China"}
_WORDS = ("Zero", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten", "Eleven", "Twelve")
_EPC_NAME = re.compile(r"(华东|华南)(HUB |BLUE )?(\d+)仓")


def _english(name_cn: str) -> tuple[str, str]:
    """(official_name_en, the English address name) of an EPC warehouse the docs give no details of, from its
    Chinese name: 华东2仓 -> EPC East China Warehouse 2, Wish EPC East China Warehouse Two."""
    m = _EPC_NAME.fullmatch(name_cn)
    if m is None:
        return f"EPC {name_cn}", f"Wish EPC {name_cn}"
    region, kind, number = _REGIONS[m.group(1)], (m.group(2) or "").strip(), int(m.group(3))
    label = f"{region} {kind + ' ' if kind else ''}Warehouse"
    word = _WORDS[number] if number < len(_WORDS) else str(number)
    return f"EPC {label} {number}", f"Wish EPC {label} {word}"


def _address(block: reference.WarehouseAddress | None, name: str) -> dict[str, Any]:
    if block is None:  # undocumented: the keys the example prints, only the name known
        return {**dict.fromkeys(ADDRESS_KEYS, ""), "name": name, "email": None}
    return {key: getattr(block, key) for key in ADDRESS_KEYS}


def warehouse(w: reference.EpcWarehouse) -> dict[str, Any]:
    """One warehouse as WP-DOC's Get Warehouse example prints it. 1001 and 1003 are the docs' own; for the other
    EPC codes the docs print only the Chinese name (epc_warehouse_table): official_name_cn is that name (as the
    example's are), official_name_en an English rendering of it, the address blocks carry the example's keys
    with only the name filled ("" for the rest, email null)."""
    name_en, address_name_en = _english(w.name_cn)
    return {
        "official_name_en": w.official_name_en or name_en,
        "warehouse_address_cn": _address(w.warehouse_address_cn, f"Wish EPC{w.name_cn}"),
        "official_name_cn": w.official_name_cn or w.name_cn,
        "warehouse_address_en": _address(w.warehouse_address_en, address_name_en),
        "enum_value": w.code,
    }


def epc_table() -> list[dict[str, Any]]:
    return [{"epc_warehouse_code": w.code, "epc_warehouse_name": w.name_cn}
            for w in reference.epc_warehouses().values()]


# WP-DOC's Query Hub Info example lists the South China hub first
HUB_ORDER = (3002, 3001)


def all_hubs() -> list[dict[str, Any]]:
    hubs = reference.hub_warehouses()
    order = [c for c in HUB_ORDER if c in hubs] + [c for c in hubs if c not in HUB_ORDER]
    return [{"hub_warehouse_code": c, "hub_warehouse_name": hubs[c].name_cn} for c in order]


def hub_row(trande_id: str, hub: int | None) -> dict[str, Any]:
    """One query_hub_table row (WP-DOC's key order); "NA"/"NA" for a transaction that ships through no hub."""
    if hub is None:
        return {"trande_id": trande_id, "hub_warehouse_name": NA, "hub_warehouse_code": NA}
    return {"trande_id": trande_id, "hub_warehouse_name": reference.hub_warehouses()[hub].name_cn,
            "hub_warehouse_code": hub}


# ---- account -------------------------------------------------------------------------------------------------

def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def account(b: Balances, locale: str) -> dict[str, Any]:
    """account_info's `data` (WP-DOC's key order), every value a string."""
    lang = "zh" if locale == "zh" else "en"
    unlimited = UNLIMITED[lang]
    currency = CURRENCY_NAMES.get(b.currency, {}).get(lang, b.currency)
    return {
        "total": _money(b.total), "unavailable": _money(b.unavailable), "debt_frozen": _money(b.debt_frozen),
        "debt_remaining": unlimited if b.debt_remaining is None else _money(b.debt_remaining),
        "debt_limit": unlimited if b.debt_limit is None else _money(b.debt_limit),
        "currency": currency, "withdrawable": _money(b.withdrawable), "debt": _money(b.debt),
        "remaining": _money(b.remaining),
    }


# ---- announcements -------------------------------------------------------------------------------------------

def announcement(row: dict[str, Any], url_of: Callable[[str], str]) -> dict[str, Any]:
    """One announcement (WP-DOC's key order)."""
    return {"url": url_of(row["id"]), "text": list(row["text"]), "publish_time": row["publish_date"],
            "title": row["title"]}


def announcements_data(items: list[dict[str, Any]], p: Page, start: str, end: str) -> dict[str, Any]:
    return {"announcements": items, "pagination": {"total": p.total, "next": p.next, "previous": p.previous},
            "extra_data": None, "start_date": start, "end_date": end}


def announcement_page(row: dict[str, Any]) -> str:
    """The small HTML page an announcement's url opens."""
    paragraphs = "".join(f"<p>{escape(t)}</p>" for t in row["text"])
    title = escape(row["title"])
    return (f'<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>{title} - WishPost</title>'
            '<style>body{font-family:sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.6}'
            'time{color:#666}</style></head>'
            f'<body><h1>{title}</h1><time>{escape(row["publish_date"])}</time>{paragraphs}'
            '<p><small>mockwish sandbox announcement</small></p></body></html>')
