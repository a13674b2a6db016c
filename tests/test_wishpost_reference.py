"""WishPost reference data (mockwish/wishpost/reference.py and mockwish/reference/data/wishpost_*.json) checked
against the docs' own text: the otypes of every example request, the tracking appendix and example texts, the
cancel enum, the warehouse tables, the required fields against the example orders."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path

import pytest

from mockwish.wishpost import reference as ref

ROOT = Path(__file__).resolve().parent.parent
DATA_FILES = ("wishpost_channels.json", "wishpost_warehouses.json", "wishpost_tracking_statuses.json",
              "wishpost_states.json", "wishpost_cancel_reasons.json", "wishpost_iso3.json", "wishpost_postcodes.json")








def _section(text: str, start: str, end: str) -> str:
    i = text.index(start)
    return text[i:text.index(end, i)]


# ---- the files -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", DATA_FILES)
def test_data_file_is_pretty_utf8_json_with_a_source(name: str) -> None:
    text = resources.files("mockwish.reference").joinpath("data", name).read_text(encoding="utf-8")
    data = json.loads(text)
    assert isinstance(data["source"], str) and data["source"]
    assert text.count("\n") > 5 and "\\u" not in text  # pretty-printed, Chinese kept as UTF-8


def test_nothing_is_loaded_at_import_time() -> None:
    code = ("import functools, mockwish.wishpost.reference as r\n"
            "cached = [f for f in vars(r).values() if hasattr(f, 'cache_info')]\n"
            "assert len(cached) > 10 and all(f.cache_info().currsize == 0 for f in cached)\n")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_every_table_loads() -> None:
    assert len(ref.channels()) == 30 and ref.barcode_styles() and ref.pickup_services()
    assert len(ref.china_post_warehouses()) == 36 and ref.ib_warehouses() == {27: "EastChina", 28: "SouthChina"}
    assert len(ref.epc_warehouses()) == 20 and set(ref.hub_warehouses()) == {3001, 3002}
    assert len(ref.tracking_statuses()) == 92 and len(ref.order_states()) == 9 and len(ref.bag_states()) == 5
    assert len(ref.cancel_reasons()) == 24 and ref.conditional_rules() and ref.product_item_fields()
    assert ref.hub_pickup_services() == {2801: "STO pickup", 9999: "self-delivery"}


# ---- channels --------------------------------------------------------------------------------------------------

def test_every_otype_of_the_docs_example_requests_is_a_channel(wp_doc: str, wp_v3: str) -> None:
    seen: set[str] = set()
    for text in (wp_doc, wp_v3):
        seen |= {m.strip() for m in re.findall(r"<otype>([^<]*)</otype>", text)}
        seen |= set(re.findall(r'"otype"\s*:\s*"([^"]*)"', text))
    assert {"0", "1", "9-0", "10-0", "11-0", "21-1", "33-0", "300-1"} <= seen  # the regexes do find them
    assert seen <= set(ref.channels()), seen - set(ref.channels())


def test_every_otype_of_the_otype_row_is_a_channel_named_as_printed(wp_doc: str) -> None:
    row = next(ln for ln in wp_doc.splitlines() if ln.startswith("China Post Unregistered=0"))
    listed = re.findall(r"([A-Za-z][A-Za-z +\-]*?)=(\d+(?:-\d)?)(\(Online Payment\))?", row)
    assert len(listed) == 25
    for name, otype, online in listed:
        ch = ref.channel(otype)
        assert ch is not None, otype
        if name.strip() != "China Post Simplified Tracked Packet":  # printed "=1"; the supplement's 33-0
            assert ch.name == name.strip() and ch.online_payment == bool(online), (otype, name)
    assert {ch.otype for ch in ref.channels().values() if ch.online_payment} == {
        otype for _, otype, online in listed if online}
    for otype in ("9-0", "9-1", "33-0", "10-0", "11-0", "14-0"):  # supplement section 9
        assert ref.channel(otype) is not None


def test_channel_attributes() -> None:
    chans = ref.channels()
    assert not chans["0"].registered and chans["1"].registered and chans["36-1"].registered
    assert not chans["54-0"].registered and chans["33-0"].family == "china_post"
    cp = chans["0"]  # get_channels' example
    assert (cp.channel, cp.name_cn, cp.channel_name_en) == (1, "WISH邮中国邮政", "Wishpost - China Post")
    assert cp.allow_battery is False and cp.sensitivity_types == (0,) and cp.warehouse_table == "china_post"
    assert chans["36-1"].family == "epc" and chans["36-1"].last_mile and chans["36-1"].barcode_style == "wi_epc"
    assert {ch.otype for ch in chans.values() if ch.last_mile} == {"36-1"}
    assert {ch.family for ch in chans.values()} == {"china_post", "epc", "ib", "sinotrans", "yunexpress",
                                                    "wiseexpress", "dle", "dlp", "eub", "other"}
    assert ref.channel(" 36-1 ") is chans["36-1"] and ref.channel("99-1") is None
    styles = ref.barcode_styles()
    for ch in chans.values():
        assert ch.barcode_style in styles and ch.barcode_style_source in ("inferred", "choice")
        assert (ch.warehouse_table is not None) == (ch.family in ("china_post", "ib")), ch.otype
    for style in styles.values():
        assert style.examples and all(style.pattern.match(e) for e in style.examples), style.name
    assert styles["wi_epc"].pattern.match("WI000000022037EPC") and not styles["wi_epc"].pattern.match("WI00000001EPC")
    assert styles["s10_cn"].pattern.match("RQ990073255CN") and not styles["s10_cn"].pattern.match("RQ990073255CNX")
    assert styles["numeric_11"].pattern.match("01922451085")
    assert set(ref.pickup_services()) == {"25-1", "27-1", "42-0"} == set(chans["36-1"].pickup_services)


def test_required_fields_per_family() -> None:
    common = {"otype", "to", "content", "content_chinese", "num", "weight", "single_price", "trande_no",
              "has_battery", "product_url"}
    recipient = {"recipient_country", "recipient_country_short", "recipient_province", "recipient_city",
                 "recipient_addres", "recipient_postcode", "recipient_phone"}
    pickup = {"pickup_from_local", "pickup_phone", "pickup_addres_local", "pickup_province_local", "pickup_city_local"}
    assert set(ref.required_fields("36-1")) == common | pickup  # recipient fields are optional for EPC
    assert set(ref.required_fields("0")) == common | recipient | {"warehouse_code"}
    assert set(ref.required_fields(ref.channels()["21-1"])) == common | recipient | pickup | {"warehouse_code"}
    for otype in ("23-1", "37-1", "44-1"):
        assert set(ref.required_fields(otype)) == common | recipient | pickup
    for otype in ("10-1", "11-1", "9-0", "300-1", "14-1"):
        assert set(ref.required_fields(otype)) == common | recipient
    assert ref.required_fields("nope") == ()
    assert len(ref.required_fields("21-1")) == len(set(ref.required_fields("21-1")))


def _example_orders(doc: str) -> list[ET.Element]:
    """The <order>s of create_order's two example requests (product_items and legacy flat fields)."""
    orders: list[ET.Element] = []
    for body in re.findall(r"<orders>.*?</orders>", doc, re.S):
        orders += ET.fromstring(body).findall("order")
    return orders


def test_the_docs_example_orders_carry_their_channels_required_fields(wp_doc: str) -> None:
    """Every example order sends the fields its channel requires, but for the omissions the data records."""
    orders = _example_orders(wp_doc)
    assert len(orders) == 16
    aliases, omitted = ref.product_item_fields(), ref.fields_examples_omit()
    seen_omissions: set[tuple[str, str]] = set()
    for order in orders:
        otype = (order.findtext("otype") or "").strip()
        sent = {el.tag for el in order.iter() if (el.text or "").strip()}
        for field in ref.required_fields(otype):
            if field not in sent and aliases.get(field) not in sent:
                assert otype in omitted.get(field, frozenset()), (otype, field)
                seen_omissions.add((field, otype))
    assert seen_omissions == {(f, o) for f, otypes in omitted.items() for o in otypes}  # no stale omission


def test_product_item_fields_name_both_tables(wp_doc: str) -> None:
    for legacy, item in ref.product_item_fields().items():
        assert re.search(rf"^{legacy} \|", wp_doc, re.M) and re.search(rf"^{item} \|", wp_doc, re.M)


def test_conditional_rules_quote_the_doc(wp_doc: str) -> None:
    flat = re.sub(r"\s+", " ", wp_doc)
    for rule in ref.conditional_rules():
        assert rule.quote in flat and rule.fields and rule.when, rule.quote
    eu = [r for r in ref.conditional_rules() if r.when.get("destination") == "EU"]
    assert {f for r in eu for f in r.fields} == {"sender_ioss_vat_id", "intrinsic_value"}


# ---- warehouses ------------------------------------------------------------------------------------------------

def test_warehouse_code_tables(wp_doc: str) -> None:
    row = next(ln for ln in wp_doc.splitlines() if ln.startswith("Warshouse code(Mandatory for China Post and IB)"))
    printed = {int(k): v for k, v in re.findall(r"(\d+)=([A-Za-z]+)", row)}
    assert ref.create_order_warehouses() == printed
    assert ref.china_post_warehouses()[1] == "Shanghai" and ref.china_post_warehouses()[38] == "Zhongshan"
    assert not {27, 28} & set(ref.china_post_warehouses())
    detail = ref.china_post_warehouse_details()[1]
    assert detail.channel_name == "Shanghai Warehouse"
    assert detail.return_address_cn == "中国邮政集团公司上海市广商局国际小包业务收寄点"
    assert ref.warehouse_codes(ref.channels()["1"]) == ref.china_post_warehouses()
    assert ref.warehouse_codes(ref.channels()["22-1"]) == ref.ib_warehouses()
    assert ref.warehouse_codes(ref.channels()["36-1"]) == {}


def test_epc_and_hub_warehouses(wp_doc: str) -> None:
    table = re.findall(r'"epc_warehouse_code": (\d+), "epc_warehouse_name": "([^"]+)"', wp_doc)
    assert {int(k): v for k, v in table} == {k: w.name_cn for k, w in ref.epc_warehouses().items()}
    east = ref.epc_warehouses()[1001]
    assert east.official_name_en == "EPC WISE Shanghai Warehouse" and east.official_name_cn == "华东1仓"
    assert east.warehouse_address_cn is not None and east.warehouse_address_cn.address == "上海市宝山区共悦路419号"
    assert east.warehouse_address_cn.email is None and east.warehouse_address_cn.zipcode == "201901"
    assert east.warehouse_address_en is not None
    assert east.warehouse_address_en.name == "Wish EPC East China Warehouse One"
    south = ref.epc_warehouses()[1003]
    assert south.warehouse_address_cn is not None and south.warehouse_address_cn.phone_number == "076989226126"
    bare = [w for w in ref.epc_warehouses().values() if w.code not in (1001, 1003)]
    assert bare and all(w.warehouse_address_cn is None and w.official_name_en is None for w in bare)
    hubs = ref.hub_warehouses()
    assert (hubs[3001].name_cn, hubs[3001].name_en) == ("华东HUB 1仓", "Hub East China warehouse 1")
    assert hubs[3002].name_cn == "华南HUB 1仓"


# ---- tracking statuses -----------------------------------------------------------------------------------------

def test_tracking_statuses_are_the_appendix_plus_26(wp_doc: str) -> None:
    appendix = _section(wp_doc, "Status number | Description |", "Example Request")
    printed = {int(n): t.strip() for n, t in re.findall(r"^(\d+) \| (.*?) \|$", appendix, re.M)}
    statuses = ref.tracking_statuses()
    assert {n: s.desc_en for n, s in statuses.items() if n != 26} == printed
    assert statuses[26].desc_en == "Your parcel is being shipped."
    # 1-94, but for the two numbers no source defines (the appendix goes 57, 60)
    assert set(statuses) == set(range(1, 95)) - {58, 59} and not {58, 59} & set(printed)


def test_tracking_chinese_texts_of_the_doc_examples(wp_doc: str) -> None:
    pairs = re.findall(r"<status_number>(\d+)</status_number>\s*<status_desc>([^<]*)</status_desc>", wp_doc)
    assert len(pairs) >= 5
    statuses = ref.tracking_statuses()
    for number, text in pairs:
        status = statuses[int(number)]
        assert status.cn_source == "doc" and text in (status.desc_cn, *status.desc_cn_variants), (number, text)
    assert statuses[1].desc_cn == "Wishpost订单已生成" and statuses[31].desc_cn == "抵达 EPC 仓库"
    assert {n for n, s in statuses.items() if s.cn_source == "doc"} == {int(n) for n, _ in pairs}
    assert all(s.cn_source in ("doc", "client", "translation") and s.desc_cn for s in statuses.values())
    assert statuses[31].desc("CN") == "抵达 EPC 仓库" and statuses[31].desc("en").startswith("Arrived at Export")


def test_tracking_groups() -> None:
    assert ref.tracking_group("delivered") == {23, 24, 27}
    assert ref.tracking_group("returned") == {10, 25, 44}
    assert ref.tracking_group("failed") == {12, 37}
    assert ref.tracking_group("cancelled") == {48}
    assert ref.tracking_group("awaiting_pickup") == {30, 36, 47}
    assert ref.tracking_statuses()[62].group == "disposed" and ref.tracking_statuses()[64].group == "lost"
    assert ref.tracking_statuses()[31].group == "in_transit"


# ---- states and cancel reasons ---------------------------------------------------------------------------------

def test_order_and_bag_states() -> None:
    assert ref.order_states() == {0: "Error", 1: "Created", 2: "Invalid", 3: "Rejected", 4: "Canceled",
                                  5: "Reviewing", 6: "Accepted", 7: "Shipping", 8: "Completed"}
    assert ref.bag_states() == {0: "Created", 1: "Shipping", 2: "Cancelled", 3: "Terminated", 4: "Abnormal"}


def test_cancel_reasons_line_up_with_the_docs(wp_doc: str, wp_v3: str) -> None:
    reasons = ref.cancel_reasons()
    appendix = _section(wp_doc, "Order Cancel Reason Code |", "Example Request")
    assert list(reasons) == [int(n) for n in re.findall(r"^(\d+) \|", appendix, re.M)]
    enum_line = re.search(r"Enum: (.*)", wp_v3)
    assert enum_line is not None
    enums = re.findall(r'"([A-Z_]+)"', enum_line.group(1))
    assert [r.enum for r in reasons.values()] == enums and len(enums) == 24
    for r in reasons.values():
        assert f"{r.enum}: {r.desc_cn}." in wp_v3 and r.desc_en
    assert [r.code for r in reasons.values() if r.requires_invalid_reason] == [49999]


def test_cancel_reason_lookup() -> None:
    first = ref.cancel_reasons()[40101]
    assert first.enum == "USER_INCORRECT_CHANNEL"
    assert ref.cancel_reason(40101) is first and ref.cancel_reason("40101") is first
    assert ref.cancel_reason(" 40101 ") is first and ref.cancel_reason("USER_INCORRECT_CHANNEL") is first
    assert ref.cancel_reason("user_incorrect_channel") is first
    assert ref.cancel_reason("USER_INCORRECT_DECLEAR_VALUE") is ref.cancel_reasons()[40107]  # WP-V3's spelling
    assert ref.cancel_reason("USER_OTHER_REASON") is ref.cancel_reasons()[49999]
    for bad in (40100, "40100", "", "USER_INCORRECT_DECLARE_VALUE", "４０１０１", True):
        assert ref.cancel_reason(bad) is None, bad
    assert dict(ref.CANCEL_RESULTS) == {1: "Failed. The order is not found",
                                        2: "Failed. The order does not belong to the user",
                                        3: "Failed. The order is already invalidated",
                                        4: "Failed. The order is already shipped"}


# ---- countries and postcodes -----------------------------------------------------------------------------------

def test_countries(wp_doc: str) -> None:
    assert ref.iso3("AU") == "AUS" and ref.iso3("au") == "AUS" and ref.iso3("UK") == "GBR" and ref.iso3("XX") is None
    assert ref.normalize_country("UK") == "GB" and ref.normalize_country(" de ") == "DE"
    assert len(ref.EU_MEMBERS) == 27 and "GB" not in ref.EU_MEMBERS and {"DE", "FR", "HR", "GR"} <= ref.EU_MEMBERS
    assert all(ref.iso3(c) for c in ref.EU_MEMBERS)
    suffixes = set(re.findall(r"WOSP\d{12}([A-Z]{3})\b", wp_doc))
    assert {"AUS", "USA", "IND", "CHN"} <= suffixes
    iso3s = set(json.loads(resources.files("mockwish.reference").joinpath("data", "wishpost_iso3.json")
                           .read_text(encoding="utf-8"))["iso3"].values())
    assert suffixes <= iso3s


def test_india_postcode_rule(wp_doc: str) -> None:
    rule = ref.postcode_rule("IN")
    assert rule is not None and rule.match("456001")
    for bad in ("4501", "4560011", "456001\n", "45600a", "४५६००१"):
        assert not rule.match(bad), bad
    assert ref.postcode_rule("in") is rule and ref.postcode_rule("US") is None
    printed = ref.postcode_error("IN", "4501")
    assert printed == "收件人邮编4501错误,印度的邮编是6位数字,如:456001" and printed in wp_doc
    assert ref.postcode_error("IN", "4501", "en") == \
        "Recipient postcode 4501 is invalid, India postcodes are 6 digits, e.g. 456001"
    assert ref.postcode_error("IN", "456001") is None and ref.postcode_error("AU", "1") is None
