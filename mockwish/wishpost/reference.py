"""WishPost reference data read from the docs (wishpost-api.txt, wishpost-v3-api-3.0.6.txt, supplement-wishpost.md):
channels (otypes) and the fields each channel family requires, warehouses, tracking statuses, order and bag
states, cancel reasons, ISO3 codes and postcode rules. The tables are the JSON files
mockwish/reference/data/wishpost_*.json (each names its source); each is loaded once per process, on first use.
The dicts the accessors return are shared: do not mutate them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Any, Literal

from mockwish.reference import _load

Family = Literal["china_post", "epc", "ib", "sinotrans", "yunexpress", "wiseexpress", "dle", "dlp", "eub", "other"]
Locale = Literal["zh", "en"]


# ---- channels: wishpost_channels.json ------------------------------------------------------------------------

@dataclass(frozen=True)
class Channel:
    otype: str  # as create_order sends it: "0", "1", "36-1", ...
    channel: int  # get_channels "channel"
    name: str  # English, as WP-DOC's otype row prints it
    name_cn: str | None  # get_channels channel_name, where the docs print it
    channel_name_en: str | None  # get_channels channel_name_en, where the docs print it
    registered: bool
    family: Family
    barcode_style: str  # a key of barcode_styles()
    barcode_style_source: str  # "inferred" (a doc example's shape) or "choice" (the docs print none)
    last_mile: bool
    online_payment: bool
    warehouse_table: str | None  # "china_post", "ib" or None: which warehouse_code table the channel takes
    pickup_services: tuple[str, ...]
    allow_battery: bool | None  # None: the docs do not say
    sensitivity_types: tuple[int, ...] | None  # None: the docs do not say
    source: str
    note: str = ""


@dataclass(frozen=True)
class BarcodeStyle:
    name: str
    pattern: re.Pattern[str]  # anchored: pattern.match(barcode) checks the whole barcode
    examples: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class ConditionalRule:
    """Fields create_order requires only under a condition. `when` keys: see conditional_when_keys in the JSON
    (destination 'EU'/'GB', non_wish_order, net_value_eur_below, orders_from, families, doorpickup,
    return_action_in_country, bag_pickup_service)."""
    fields: tuple[str, ...]
    when: MappingProxyType[str, Any]
    quote: str  # the doc's wording
    note: str = ""


@cache
def _channels_table() -> dict[str, Any]:
    return _load("wishpost_channels.json")


@cache
def channels() -> dict[str, Channel]:
    """otype -> Channel: WP-DOC's otype list, the otypes of its example requests and the supplement's additions."""
    out: dict[str, Channel] = {}
    for row in _channels_table()["channels"]:
        types = row["sensitivity_types"]
        out[row["otype"]] = Channel(
            otype=row["otype"], channel=row["channel"], name=row["name"], name_cn=row["name_cn"],
            channel_name_en=row["channel_name_en"], registered=row["registered"], family=row["family"],
            barcode_style=row["barcode_style"], barcode_style_source=row["barcode_style_source"],
            last_mile=row["last_mile"], online_payment=row["online_payment"], warehouse_table=row["warehouse_table"],
            pickup_services=tuple(row["pickup_services"]), allow_battery=row["allow_battery"],
            sensitivity_types=None if types is None else tuple(types), source=row["source"],
            note=row.get("note", ""))
    return out


def channel(otype: str) -> Channel | None:
    """The channel of an otype as a client sends it (surrounding blanks ignored); None for an unknown otype."""
    return channels().get(otype.strip())


@cache
def barcode_styles() -> dict[str, BarcodeStyle]:
    """Style tag -> the tracking-number shape the docs' examples show for it."""
    return {name: BarcodeStyle(name=name, pattern=re.compile(rf"\A(?:{row['pattern']})\Z"),
                               examples=tuple(row["examples"]), source=row["source"])
            for name, row in _channels_table()["barcode_styles"].items()}


@dataclass(frozen=True)
class ChannelListing:
    """A channel as get_channels and GET /api/v3/channels list it: the docs' values where they print them
    (otype 0), else the mock's choice (wishpost_channels.json "listing")."""
    channel_name: str
    channel_name_en: str
    allow_battery: bool
    sensitivity_types: tuple[int, ...]
    source: str  # "doc" or "choice"


@cache
def channel_listings() -> dict[str, ChannelListing]:
    """otype -> ChannelListing, for every channel, in the table's order."""
    chosen: dict[str, Any] = _channels_table()["listing"]["channels"]
    out: dict[str, ChannelListing] = {}
    for otype, ch in channels().items():
        row = chosen.get(otype, {})
        documented = ch.name_cn is not None and ch.channel_name_en is not None and ch.allow_battery is not None \
            and ch.sensitivity_types is not None
        types = ch.sensitivity_types if ch.sensitivity_types is not None else tuple(row["sensitivity_types"])
        out[otype] = ChannelListing(
            channel_name=ch.name_cn or row["channel_name"],
            channel_name_en=ch.channel_name_en or row["channel_name_en"],
            allow_battery=ch.allow_battery if ch.allow_battery is not None else bool(row["allow_battery"]),
            sensitivity_types=types, source="doc" if documented else "choice")
    return out


@cache
def pickup_services() -> dict[str, str]:
    """create_order pickup_service value -> name as WP-DOC prints it (25-1 'IVPX PICKUP' is 4PX)."""
    return dict(_channels_table()["pickup_services"])


@cache
def _required_table() -> dict[str, Any]:
    table: dict[str, Any] = _channels_table()["required_fields"]
    return table


@cache
def _required_by_family() -> dict[str, tuple[str, ...]]:
    table = _required_table()
    common: list[str] = table["common"]
    return {family: tuple(common + [f for f in fields if f not in common])
            for family, fields in table["families"].items()}


def required_fields(ch: Channel | str) -> tuple[str, ...]:
    """The create_order fields (legacy flat names; product_item_fields() maps them to <product_item> names) that
    are mandatory for a channel or otype: the common list plus its family's. Empty for an unknown otype."""
    found = channel(ch) if isinstance(ch, str) else ch
    return () if found is None else _required_by_family()[found.family]


@cache
def fields_examples_omit() -> dict[str, frozenset[str]]:
    """Mandatory field -> the otypes whose orders in WP-DOC's own (legacy) example request leave it out, so that
    a rule can decide to default those fields rather than refuse the docs' example."""
    return {f: frozenset(otypes) for f, otypes in _required_table()["examples_omit"].items()}


@cache
def product_item_fields() -> dict[str, str]:
    """Legacy flat create_order field -> its name inside <product_items><product_item> (trande_no -> wish_order_id,
    content -> product_item_name, ...)."""
    return dict(_required_table()["product_item_fields"])


@cache
def conditional_rules() -> tuple[ConditionalRule, ...]:
    """create_order fields required only under a condition (IOSS/VAT for the EU, UK tax ids, EPC pickup service,
    return address, bag number), with the doc's wording."""
    return tuple(ConditionalRule(fields=tuple(r["fields"]), when=MappingProxyType(dict(r["when"])), quote=r["quote"],
                                 note=r.get("note", "")) for r in _required_table()["conditional"])


# ---- warehouses: wishpost_warehouses.json --------------------------------------------------------------------

@dataclass(frozen=True)
class WarehouseAddress:
    province: str | None
    city: str | None
    name: str | None
    district: str | None
    zipcode: str | None
    address: str | None
    phone_number: str | None
    email: str | None


@dataclass(frozen=True)
class ChinaPostWarehouse:
    code: int
    name: str  # as create_order's warehouse_code row prints it ("Shanghai")
    channel_name: str  # as get_channels' warehouses prints it ("Shanghai Warehouse")
    return_address_cn: str  # get_channels' warehouses_return_address


@dataclass(frozen=True)
class EpcWarehouse:
    code: int
    name_cn: str  # epc_warehouse_table's epc_warehouse_name
    official_name_cn: str | None  # the warehouse call's fields: printed for 1001 and 1003 only
    official_name_en: str | None
    warehouse_address_cn: WarehouseAddress | None
    warehouse_address_en: WarehouseAddress | None


@dataclass(frozen=True)
class HubWarehouse:
    code: int
    name_en: str
    name_cn: str


@cache
def _warehouses_table() -> dict[str, Any]:
    return _load("wishpost_warehouses.json")


def _address(block: dict[str, Any] | None) -> WarehouseAddress | None:
    return None if block is None else WarehouseAddress(**block)


@cache
def china_post_warehouse_details() -> dict[int, ChinaPostWarehouse]:
    return {row["code"]: ChinaPostWarehouse(**row) for row in _warehouses_table()["china_post"]["warehouses"]}


@cache
def china_post_warehouses() -> dict[int, str]:
    """warehouse_code -> name of the China Post (registered/unregistered) warehouses: 1=Shanghai ... 38=Zhongshan
    (27 and 28 are IB's: ib_warehouses())."""
    return {code: w.name for code, w in china_post_warehouse_details().items()}


@cache
def ib_warehouses() -> dict[int, str]:
    """warehouse_code -> name of the IB Standard/Express warehouses: 27=EastChina, 28=SouthChina."""
    return {row["code"]: row["name"] for row in _warehouses_table()["ib"]["warehouses"]}


@cache
def create_order_warehouses() -> dict[int, str]:
    """create_order's whole warehouse_code table: China Post's and IB's codes together."""
    return dict(sorted({**china_post_warehouses(), **ib_warehouses()}.items()))


def warehouse_codes(ch: Channel) -> dict[int, str]:
    """The warehouse_code values a channel takes; empty for a channel without a warehouse table."""
    if ch.warehouse_table == "china_post":
        return china_post_warehouses()
    if ch.warehouse_table == "ib":
        return ib_warehouses()
    return {}


@cache
def epc_warehouses() -> dict[int, EpcWarehouse]:
    """EPC warehouse code (1001...) -> EpcWarehouse; official names and addresses only where the docs print them."""
    return {row["code"]: EpcWarehouse(
        code=row["code"], name_cn=row["name_cn"], official_name_cn=row["official_name_cn"],
        official_name_en=row["official_name_en"], warehouse_address_cn=_address(row["warehouse_address_cn"]),
        warehouse_address_en=_address(row["warehouse_address_en"]))
        for row in _warehouses_table()["epc"]["warehouses"]}


@cache
def hub_warehouses() -> dict[int, HubWarehouse]:
    """orders_bag hub_warehouse_code (3001, 3002) -> HubWarehouse."""
    return {row["code"]: HubWarehouse(**row) for row in _warehouses_table()["hub"]["warehouses"]}


@cache
def channel_warehouses(otype: str) -> tuple[dict[str, str], dict[str, str]]:
    """get_channels' `warehouses` (code as a string -> name) and `warehouses_return_address` of a channel: the
    Get Channels example's for China Post, IB's two warehouses without a documented return address, else empty."""
    ch = channel(otype)
    if ch is None or ch.warehouse_table is None:
        return {}, {}
    if ch.warehouse_table == "china_post":
        details = china_post_warehouse_details().values()
        return ({str(w.code): w.channel_name for w in details}, {str(w.code): w.return_address_cn for w in details})
    return {str(code): f"{name} Warehouse" for code, name in ib_warehouses().items()}, {}


@cache
def hub_pickup_services() -> dict[int, str]:
    """orders_bag pickup_service -> meaning: 2801 STO pickup, 9999 self-delivery."""
    return {int(k): v for k, v in _warehouses_table()["hub"]["pickup_services"].items()}


# ---- tracking statuses: wishpost_tracking_statuses.json ------------------------------------------------------

@dataclass(frozen=True)
class TrackingStatus:
    number: int
    desc_en: str  # exactly as WP-DOC's appendix prints it (26: the supplement's text)
    desc_cn: str
    cn_source: str  # "doc", "client" (a public client's list, YB) or "translation"
    group: str  # delivered, returned, failed, awaiting_pickup, cancelled, disposed, lost, in_transit
    desc_cn_variants: tuple[str, ...] = ()  # other Chinese texts seen for the number

    def desc(self, language: str) -> str:
        """The status_desc for a tracking request's language (CN/EN, any case; anything else is English)."""
        return self.desc_cn if language.strip().lower() in ("cn", "zh") else self.desc_en


@cache
def tracking_statuses() -> dict[int, TrackingStatus]:
    """Status number -> TrackingStatus: 1-94 without 58 and 59 (which no source defines), 26 included."""
    return {row["number"]: TrackingStatus(
        number=row["number"], desc_en=row["desc_en"], desc_cn=row["desc_cn"], cn_source=row["cn_source"],
        group=row["group"], desc_cn_variants=tuple(row.get("desc_cn_variants", ())))
        for row in _load("wishpost_tracking_statuses.json")["statuses"]}


@cache
def tracking_group(group: str) -> frozenset[int]:
    """The status numbers of a group ('delivered' -> {23, 24, 27})."""
    return frozenset(n for n, s in tracking_statuses().items() if s.group == group)


# ---- order and bag states: wishpost_states.json --------------------------------------------------------------

@cache
def _states_table() -> dict[str, Any]:
    return _load("wishpost_states.json")


@cache
def order_states() -> dict[int, str]:
    """order_status state_code -> state_name: 0 Error ... 8 Completed."""
    return {int(k): v for k, v in _states_table()["order_states"].items()}


@cache
def bag_states() -> dict[int, str]:
    """orders_bag state -> state_name: 0 Created, 1 Shipping, 2 Cancelled, 3 Terminated, 4 Abnormal."""
    return {int(k): v["name"] for k, v in _states_table()["bag_states"].items()}


# ---- cancel reasons: wishpost_cancel_reasons.json ------------------------------------------------------------

@dataclass(frozen=True)
class CancelReason:
    code: int  # 40101 ... 49999
    enum: str  # WP-V3's enum name, spelled as printed (USER_INCORRECT_DECLEAR_VALUE)
    desc_en: str
    desc_cn: str  # WP-V3's Chinese meaning
    requires_invalid_reason: bool  # only 49999 USER_OTHER_REASON


# cancel_result_code -> cancel_result_message of failed_cancel_orders (supplement-wishpost.md 8.3: 3 is
# documented, also used for an order already cancelled; 1, 2 and 4 are the mock's choice)
CANCEL_RESULTS: MappingProxyType[int, str] = MappingProxyType({
    1: "Failed. The order is not found",
    2: "Failed. The order does not belong to the user",
    3: "Failed. The order is already invalidated",
    4: "Failed. The order is already shipped",
})


@cache
def cancel_reasons() -> dict[int, CancelReason]:
    """cancel_reason_code -> CancelReason, the 24 codes in the docs' order."""
    return {row["code"]: CancelReason(**row) for row in _load("wishpost_cancel_reasons.json")["reasons"]}


@cache
def _cancel_reasons_by_enum() -> dict[str, CancelReason]:
    return {r.enum: r for r in cancel_reasons().values()}


def cancel_reason(value: int | str) -> CancelReason | None:
    """The reason a cancel_reason_code names: an int (40101), a numeric string ("40101", as a Go client sends
    it) or the enum name as WP-V3 prints it, also in other case ("user_incorrect_channel"); None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return cancel_reasons().get(value)
    text = value.strip()
    if text.isascii() and text.isdigit():
        return cancel_reasons().get(int(text))
    by_enum = _cancel_reasons_by_enum()
    return by_enum.get(text) or by_enum.get(text.upper())


# ---- countries: wishpost_iso3.json ---------------------------------------------------------------------------

# The 27 EU member states (ISO 3166-1 alpha-2) since 2020-02-01, for create_order's IOSS/VAT rules
EU_MEMBERS: frozenset[str] = frozenset({
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU",
    "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
})


@cache
def _iso3_table() -> dict[str, Any]:
    return _load("wishpost_iso3.json")


def normalize_country(code: str) -> str:
    """A recipient_country_short as the mock keys it: upper case, blanks stripped, UK -> GB (supplement 9)."""
    text = code.strip().upper()
    aliases: dict[str, str] = _iso3_table()["aliases"]
    return aliases.get(text, text)


def iso3(iso2: str) -> str | None:
    """The ISO 3166-1 alpha-3 code of an alpha-2 code (any case; UK is GB), as the WOSP id ends in it
    (WOSP000000022891AUS); None for an unknown code."""
    codes: dict[str, str] = _iso3_table()["iso3"]
    return codes.get(normalize_country(iso2))


# ---- postcodes: wishpost_postcodes.json ----------------------------------------------------------------------

# create_order's error text for a bad recipient_postcode. The Chinese one reproduces WP-DOC's example
# (收件人邮编4501错误,印度的邮编是6位数字,如:456001) with its ASCII punctuation; the English one is the mock's.
POSTCODE_ERROR_ZH = "收件人邮编{postcode}错误,{country_cn}的邮编是{digits}位数字,如:{example}"
POSTCODE_ERROR_EN = ("Recipient postcode {postcode} is invalid, {country_en} postcodes are {digits} digits, "
                     "e.g. {example}")


@cache
def _postcode_rules() -> dict[str, dict[str, Any]]:
    return dict(_load("wishpost_postcodes.json")["rules"])


@cache
def _postcode_patterns() -> dict[str, re.Pattern[str]]:
    return {iso2: re.compile(rf"\A(?:{rule['pattern']})\Z") for iso2, rule in _postcode_rules().items()}


def postcode_rule(iso2: str) -> re.Pattern[str] | None:
    """The pattern a destination's recipient_postcode must match (anchored: use .match or .fullmatch); None where
    the docs state no rule (every country but India)."""
    return _postcode_patterns().get(normalize_country(iso2))


def postcode_error(iso2: str, postcode: str, locale: Locale = "zh") -> str | None:
    """The error text for a postcode that breaks its destination's rule; None when it passes or no rule applies."""
    pattern = postcode_rule(iso2)
    if pattern is None or pattern.match(postcode):
        return None
    rule = _postcode_rules()[normalize_country(iso2)]
    template = POSTCODE_ERROR_ZH if locale == "zh" else POSTCODE_ERROR_EN
    return template.format(postcode=postcode, country_cn=rule["country_cn"], country_en=rule["country_en"],
                           digits=rule["digits"], example=rule["example"])
