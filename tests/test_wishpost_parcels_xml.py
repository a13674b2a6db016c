"""The WishPost v2 XML parcel operations through HTTP only: create_order (both goods forms, many orders, marks,
label URLs, per-order refusals, request-level errors), generate_label, download_label and tracking (events on
the mock's clock, languages, the 300/min throttle), user isolation and scopes. The specification is
wishpost-api.txt (WP-DOC) and supplement-wishpost.md (3 envelope and create_order, 4 labels, 5 tracking, 9
channels)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit
from xml.etree.ElementTree import Element

import pytest
from fastapi import FastAPI
from pypdf import PdfReader
from starlette.testclient import TestClient
from wishpost_support import (
    DEFAULT_WISHPOST_TOKEN,
    SECOND_WISHPOST_TOKEN,
    basic,
    bearer,
    user_id,
    xml_answer,
    xml_children,
    xml_error,
    xml_mint_token,
)

from mockwish.app import create_app
from mockwish.config import Settings
from mockwish.errors import message
from mockwish.seed.wishpost import DEFAULT_WISHPOST_API_KEY
from mockwish.wishpost import reference
from support import freeze, fresh_client

T, T2 = DEFAULT_WISHPOST_TOKEN, SECOND_WISHPOST_TOKEN
CREATE = "/wishpost/api/v2/create_order"
LABEL = "/wishpost/api/v2/generate_label"
DOWNLOAD = "/wishpost/api/v2/download_label"
TRACK = "/wishpost/api/v2/tracking"
ORDER_STATUS = "/wishpost/api/v3/order_status"
OUTCOMES = "/sandbox/api/wishpost/parcel-outcomes"
SANDBOX_PARCELS = "/sandbox/api/wishpost/parcels"

HEX32 = re.compile(r"[0-9a-f]{32}")
WOSP = re.compile(r"WOSP(\d{12})([A-Z]{3})")  # WOSP + 12 digits + the destination's ISO3 (supplement 3.3)
MM = 72 / 25.4
PAGE_SIZES = {"A4": (210 * MM, 297 * MM), "10": (100 * MM, 100 * MM), "15": (100 * MM, 50 * MM)}  # supplement 4
LABEL_URLS = ("PDF_A4_EN_URL", "PDF_A4_LCL_URL", "PDF_10_EN_URL", "PDF_10_LCL_URL", "PDF_15_EN_URL")
URL_FORMATS = {"PDF_A4_EN_URL": ("A4", "false"), "PDF_A4_LCL_URL": ("A4", "true"), "PDF_10_EN_URL": ("10", "false"),
               "PDF_10_LCL_URL": ("10", "true"), "PDF_15_EN_URL": ("15", "false")}
WISH_ID = "5a80417edf3b162557f66545"  # WP-DOC's example Wish order id
PRODUCT_URL = "https://www.wish.com/c/561f48726475cc5873cda03e"
EPC_PATH = [1, 2, 31, 5, 15, 16, 20, 21, 43, 23]  # supplement 5: "1 -> 2 -> 31 (EPC) or 3 -> 5 -> ... -> 23"
POST_PATH = [1, 2, 3, 5, 15, 16, 20, 21, 43, 23]

# a value for every field reference.required_fields() names, in the legacy flat form (WP-DOC's example values)
SAMPLES = {
    "to": "Kali West", "content": "LED light", "content_chinese": "发光二极管", "num": "2", "weight": "0.1",
    "single_price": "2", "trande_no": "NonWishOrder", "has_battery": "0", "product_url": PRODUCT_URL,
    "recipient_country": "Australia", "recipient_country_short": "AU", "recipient_province": "New South Wales",
    "recipient_city": "Cronulla", "recipient_addres": "20/37 Gerrale Street", "recipient_postcode": "2230",
    "recipient_phone": "+61295230000", "pickup_from_local": "曾伟", "pickup_phone": "18620352867",
    "pickup_addres_local": "龙华区美龙苑丹园2室756号", "pickup_province_local": "广东省", "pickup_city_local": "深圳市",
}
RECIPIENT = ("recipient_country", "recipient_country_short", "recipient_province", "recipient_city",
             "recipient_addres", "recipient_postcode", "recipient_phone")
GOODS = frozenset(reference.product_item_fields())  # the legacy goods fields (trande_no, content, num, ...)
FAMILY_OTYPES: dict[str, str] = {}
for _ch in reference.channels().values():  # the first channel of each family
    FAMILY_OTYPES.setdefault(_ch.family, _ch.otype)

Order = dict[str, str] | tuple[dict[str, str], list[dict[str, str]]]


# ---- building requests -----------------------------------------------------------------------------------------

def order(otype: str = "0", guid: str = "g1", /, *, minimal: bool = False, **over: str | None) -> dict[str, str]:
    """A valid legacy (flat) order of the channel: its required fields (reference.required_fields), the
    recipient fields unless `minimal`; `over` adds or replaces fields, None drops one."""
    channel = reference.channels()[otype]
    names = [*reference.required_fields(channel), *(() if minimal else RECIPIENT)]
    fields = {"guid": guid}
    for name in dict.fromkeys(names):
        if name == "otype":
            fields[name] = otype
        elif name == "warehouse_code":
            fields[name] = str(min(reference.warehouse_codes(channel)))
        else:
            fields[name] = SAMPLES[name]
    for name, value in over.items():
        if value is None:
            fields.pop(name, None)
        else:
            fields[name] = value
    return fields


def item(**over: str | None) -> dict[str, str]:
    """One <product_item> (WP-DOC's example values)."""
    fields = {"wish_order_id": "NonWishOrder", "product_item_from_country": "China", "product_item_name": "LED light",
              "product_item_name_chinese": "发光二极管", "product_item_num": "3", "product_item_weight": "0.15",
              "product_item_single_price": "2", "product_item_has_battery": "0",
              "product_item_sensitivity_type": "0", "product_item_product_url": PRODUCT_URL}
    for name, value in over.items():
        if value is None:
            fields.pop(name, None)
        else:
            fields[name] = value
    return fields


def items_order(otype: str = "0", guid: str = "g1", items: list[dict[str, str]] | None = None, /,
                **over: str | None) -> tuple[dict[str, str], list[dict[str, str]]]:
    """An order in the <product_items> form: no legacy goods fields, the goods in `items`."""
    fields = {k: v for k, v in order(otype, guid, **over).items() if k not in GOODS or k in over}
    return fields, items if items is not None else [item()]


def order_xml(o: Order) -> str:
    fields, items = o if isinstance(o, tuple) else (o, None)
    goods = "" if items is None else "<product_items>" + "".join(
        f"<product_item>{xml_children(i)}</product_item>" for i in items) + "</product_items>"
    return f"<order>{xml_children(fields)}{goods}</order>"


def body(*orders: Order, token: str | None = T, mark: str | None = "", root: str = "orders", extra: str = "",
         token_tag: str = "access_token") -> bytes:
    """A create_order document: `mark` "" sends <mark/>, None no mark element."""
    head = "" if token is None else f"<{token_tag}>{token}</{token_tag}>"
    mark_el = "" if mark is None else "<mark/>" if mark == "" else f"<mark>{mark}</mark>"
    return (f'<?xml version="1.0" encoding="utf-8"?><{root}>{head}{mark_el}<bid>0</bid>{extra}'
            f'{"".join(order_xml(o) for o in orders)}</{root}>').encode()


def create(client: TestClient, *orders: Order, token: str = T, mark: str | None = "", path: str = CREATE,
           headers: dict[str, str] | None = None, **kw: Any) -> Element:
    r = client.post(path, content=body(*orders, token=token, mark=mark, **kw),
                    headers=headers if headers is not None else {"Content-Type": "text/xml; charset=utf-8"})
    return xml_answer(r)


def force(client: TestClient, *outcomes: str, token: str = T) -> None:
    """The outcomes of the user's next created parcels (supplement 3.3: Created, or Reviewing)."""
    r = client.post(OUTCOMES, json={"outcomes": list(outcomes)}, headers=bearer(token))
    assert r.status_code == 200, r.text


def results(root: Element) -> list[dict[str, Any]]:
    """create_order's per-order answer in document order: a created order (its WOSP id element, barcode and
    warehouse) or a refused one (its error_message)."""
    out: list[dict[str, Any]] = []
    for el in root:
        if el.tag == "wish_standard_tracking_id":
            assert set(el.attrib) == {"guid", "state"}, el.attrib
            out.append({"kind": "created", "guid": el.get("guid"), "wosp": el.text or "",
                        "wosp_state": el.get("state")})
        elif el.tag == "barcode":
            assert out and out[-1]["kind"] == "created" and "barcode" not in out[-1], "barcode without its WOSP id"
            assert set(el.attrib) == {"guid", "state"} and el.get("guid") == out[-1]["guid"], el.attrib
            out[-1] |= {"barcode": el.text or "", "state": el.get("state")}
        elif el.tag == "warehouse":
            assert out and out[-1]["kind"] == "created" and "barcode" in out[-1]
            out[-1]["warehouse"] = (el.get("warehouse_code"), el.text or "")
        elif el.tag == "error_message":
            assert set(el.attrib) == {"guid", "code", "error_ref_id", "wish_standard_tracking_id"}, el.attrib
            assert HEX32.fullmatch(el.get("error_ref_id") or "") and el.get("wish_standard_tracking_id") == ""
            out.append({"kind": "error", "guid": el.get("guid"), "code": el.get("code"), "message": el.text or ""})
    return out


def created(root: Element) -> list[dict[str, Any]]:
    return [r for r in results(root) if r["kind"] == "created"]


def refused(root: Element) -> dict[str, dict[str, Any]]:
    return {r["guid"]: r for r in results(root) if r["kind"] == "error"}


def seq(wosp: str) -> int:
    found = WOSP.fullmatch(wosp)
    assert found, wosp
    return int(found.group(1))


def probe_seq(client: TestClient) -> int:
    """The 12 digits of the WOSP id of a new parcel: ids are max + 1, so the next probe after a request that
    stored nothing is exactly the previous one plus one."""
    (one,) = created(create(client, order(guid="probe")))
    return seq(one["wosp"])


def status_of(client: TestClient, *wosp: str, token: str = T) -> dict[str, Any]:
    r = client.post(ORDER_STATUS, json={"wish_standard_tracking_ids": list(wosp)}, headers=bearer(token))
    assert r.status_code == 200, r.text
    return r.json()


def labels_doc(barcodes: list[str], token: str = T, printlang: int | None = None,
               printcode: int | None = None) -> bytes:
    extra = "" if printlang is None else f"<printlang>{printlang}</printlang>"
    extra += "" if printcode is None else f"<printcode>{printcode}</printcode>"
    codes = "".join(f"<barcode>{b}</barcode>" for b in barcodes)
    return f"<root><access_token>{token}</access_token>{extra}<barcodes>{codes}</barcodes></root>".encode()


def generate(client: TestClient, barcodes: list[str], token: str = T, **kw: int | None) -> Element:
    return xml_answer(client.post(LABEL, content=labels_doc(barcodes, token, **kw)))


def pdf(r: Any) -> PdfReader:
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf", (r.status_code, r.text[:300])
    assert r.content.startswith(b"%PDF-") and len(r.content) > 1000  # supplement 4: a real PDF over 1 KB
    return PdfReader(io.BytesIO(r.content))


def pdf_text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def page_size(reader: PdfReader, index: int = 0) -> tuple[float, float]:
    box = reader.pages[index].mediabox
    return float(box.width), float(box.height)


def assert_size(reader: PdfReader, fmt: str) -> None:
    want = PAGE_SIZES[fmt]
    for n in range(len(reader.pages)):
        got = page_size(reader, n)
        assert abs(got[0] - want[0]) < 0.5 and abs(got[1] - want[1]) < 0.5, (fmt, got, want)


def track(client: TestClient, *barcodes: str, language: str | None = "cn", token: str = T) -> Any:
    lang = "" if language is None else f"<language>{language}</language>"
    codes = "".join(f"<track><barcode>{b}</barcode></track>" for b in barcodes)
    return client.post(TRACK, content=f"<tracks><access_token>{token}</access_token>{lang}{codes}</tracks>".encode())


def tracks_of(r: Any) -> list[Element]:
    root = xml_answer(r)
    assert root.findtext("status") == "0", r.text[:500]
    return root.findall("tracks")


def events(tracks: Element) -> list[dict[str, str]]:
    return [{child.tag: child.text or "" for child in t} for t in tracks.findall("track")]


def beijing(at: datetime) -> str:
    return (at + timedelta(hours=8)).strftime("%Y-%m-%d %H:%M:%S")


def doc_text(root: Element) -> str:
    """An answer as text, for assertion messages."""
    from xml.etree.ElementTree import tostring

    return tostring(root, encoding="unicode")


def clock(client: TestClient, **body: Any) -> None:
    r = client.post("/sandbox/api/clock", json=body)
    assert r.status_code == 200, r.text


# ---- an app with small limits and a review delay -----------------------------------------------------------------

SMALL_BODY, SMALL_ORDERS, ACCEPT_SECONDS = 8192, 3, 3600


@pytest.fixture(scope="module")
def tuned_app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    data: Path = tmp_path_factory.mktemp("wp-xml")
    return create_app(Settings(data_dir=data, products_per_merchant=0, seed=42, max_body_bytes=SMALL_BODY,
                               wishpost_max_orders_per_request=SMALL_ORDERS, wishpost_accept_seconds=ACCEPT_SECONDS,
                               sandbox_allowed_hosts="testserver"))


@pytest.fixture
def tuned(tuned_app: FastAPI) -> Iterator[TestClient]:
    with fresh_client(tuned_app) as c:
        yield c


# ==== 1. create_order: success ====================================================================================

def test_both_goods_forms_many_orders_in_request_order(client: TestClient) -> None:
    force(client, "created", "created", "created")
    root = create(client, order("0", "flat"),
                  items_order("1", "items", [item(), item(product_item_name="Knit beanie", wish_order_id=WISH_ID)]),
                  items_order("36-1", "epc"))
    assert root.findtext("status") == "0" and root.find("error_message") is None
    got = created(root)
    assert [g["guid"] for g in got] == ["flat", "items", "epc"]  # one of each per order, in request order
    assert [el.get("guid") for el in root.findall("wish_standard_tracking_id")] == ["flat", "items", "epc"]
    assert [el.get("guid") for el in root.findall("barcode")] == ["flat", "items", "epc"]
    for g in got:
        assert g["wosp_state"] == g["state"] == "Created" and g["barcode"], g
        assert WOSP.fullmatch(g["wosp"]) and g["wosp"].endswith("AUS"), g
    assert [seq(g["wosp"]) for g in got] == [seq(got[0]["wosp"]) + n for n in range(3)]
    # the warehouse: the China Post code the order named, EPC's own warehouse table for EPC (WP-DOC's example)
    assert got[0]["warehouse"] == ("1", reference.china_post_warehouses()[1])
    assert got[1]["warehouse"] == ("1", reference.china_post_warehouses()[1])
    code, name = got[2]["warehouse"]
    assert reference.epc_warehouses()[int(code)].name_cn == name
    assert HEX32.fullmatch(root.findtext("mark") or "")
    assert [el.tag for el in root if el.tag.startswith("PDF_")] == list(LABEL_URLS)


def test_barcode_shapes_per_channel(client: TestClient) -> None:
    force(client, "created", "created", "created", "created")
    got = created(create(client, order("0", "a"), order("1", "b"), order("36-1", "c"), order("11-1", "d")))
    numeric, s10, epc, eub = (g["barcode"] for g in got)
    assert re.fullmatch(r"\d{11}", numeric), numeric  # China Post unregistered (supplement 3.3, live 2016)
    assert re.fullmatch(r"[A-Z]{2}\d{9}CN", s10) and re.fullmatch(r"[A-Z]{2}\d{9}CN", eub), (s10, eub)
    assert re.fullmatch(r"WI\d{12}EPC", epc), epc  # WP-DOC's EPC logistics codes
    for number in (s10, eub):  # UPU S10: the ninth digit checks the first eight
        digits = [int(d) for d in number[2:10]]
        check = 11 - sum(d * w for d, w in zip(digits, (8, 6, 4, 2, 3, 5, 9, 7), strict=True)) % 11
        assert int(number[10]) == {10: 0, 11: 5}.get(check, check), number


def test_a_repeated_guid_gets_one_result_per_order(client: TestClient) -> None:
    force(client, "created", "created")
    got = created(create(client, order("0", "same"), order("1", "same")))
    assert [g["guid"] for g in got] == ["same", "same"]
    assert len({g["wosp"] for g in got}) == 2 and len({g["barcode"] for g in got}) == 2


def test_reviewing_gives_an_empty_barcode(client: TestClient) -> None:
    force(client, "reviewing", "created")
    r = client.post(CREATE, content=body(order("36-1", "rev"), order("36-1", "now")))
    rev, now = created(xml_answer(r))
    assert (rev["wosp_state"], rev["state"], rev["barcode"]) == ("Created", "Reviewing", "")
    assert (now["state"], bool(now["barcode"])) == ("Created", True)
    assert '<barcode guid="rev" state="Reviewing"></barcode>' in r.text  # WP-DOC's second success example


def test_label_urls_point_back_at_the_mock_and_download_pdfs_of_their_size(client: TestClient) -> None:
    force(client, "created", "created")
    root = create(client, order("0", "a"), order("36-1", "b"))
    mark = root.findtext("mark") or ""
    barcodes = [g["barcode"] for g in created(root)]
    for tag in LABEL_URLS:
        url = root.findtext(tag) or ""
        parts = urlsplit(url)
        assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"http://testserver{DOWNLOAD}", url
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        fmt, local = URL_FORMATS[tag]
        assert query == {"access_token": T, "format": fmt, "use_local": local, "mark": mark}, (tag, query)
        reader = pdf(client.get(url))
        assert len(reader.pages) == 2, tag  # one label per parcel of the mark
        assert_size(reader, fmt)
        text = pdf_text(reader)
        assert all(b in text for b in barcodes), (tag, text[:300])


def test_a_mark_sent_again_is_echoed_and_both_requests_print_together(client: TestClient) -> None:
    force(client, "created", "created", "created")
    first = create(client, order("0", "a"), mark=None)  # no <mark> at all: a new one as well
    mark = first.findtext("mark") or ""
    assert HEX32.fullmatch(mark)
    second = create(client, order("1", "b"), order("36-1", "c"), mark=mark)
    assert second.findtext("mark") == mark
    fresh = create(client, order("0", "d"), mark="")
    assert HEX32.fullmatch(fresh.findtext("mark") or "") and fresh.findtext("mark") != mark
    barcodes = [g["barcode"] for g in created(first) + created(second)]
    reader = pdf(client.get(second.findtext("PDF_10_EN_URL") or ""))
    assert len(reader.pages) == 3 and all(b in pdf_text(reader) for b in barcodes)
    assert created(fresh)[0]["barcode"] not in pdf_text(reader)


def test_mark_zero_is_echoed(client: TestClient) -> None:
    root = create(client, order("0", "z"), mark="0")  # supplement 3.3: "0 appears when the client sent 0"
    assert root.findtext("status") == "0" and root.findtext("mark") == "0"
    assert "mark=0" in (root.findtext("PDF_10_EN_URL") or "")


@pytest.mark.parametrize(("root_tag", "headers"), [
    ("orders", {"Content-Type": "text/xml"}),
    ("orders", {"Content-Type": "text/xml; charset=utf-8"}),
    ("orders", {"Content-Type": "application/xml"}),
    ("orders", {}),  # no Content-Type at all (supplement 2)
    ("root", {"Content-Type": "text/xml"}),  # one Java client's root (supplement 3.1)
    ("root", {}),
], ids=["text-xml", "text-xml-charset", "application-xml", "no-content-type", "root-text-xml", "root-bare"])
def test_request_roots_and_content_types(client: TestClient, root_tag: str, headers: dict[str, str]) -> None:
    r = client.post(CREATE, content=body(order("0", "x"), root=root_tag), headers=headers)
    root = xml_answer(r)
    assert root.findtext("status") == "0" and [g["guid"] for g in created(root)] == ["x"], r.text


def test_bearer_header_instead_of_the_body_token(client: TestClient) -> None:
    r = client.post(CREATE, content=body(order("0", "x"), token=None), headers=bearer(T))
    assert xml_answer(r).findtext("status") == "0"


def test_v1_alias_authenticates_with_api_key(client: TestClient) -> None:
    force(client, "created")
    root = create(client, order("0", "v1"), path="/wishpost/api/v1/create_order", token=DEFAULT_WISHPOST_API_KEY,
                  token_tag="api_key")
    assert root.findtext("status") == "0", doc_text(root)
    (one,) = created(root)
    reader = pdf(client.get(root.findtext("PDF_10_EN_URL") or ""))
    assert one["barcode"] in pdf_text(reader)
    r = client.post("/wishpost/api/v1/tracking", content=(
        f"<tracks><api_key>{DEFAULT_WISHPOST_API_KEY}</api_key><language>en</language>"
        f"<track><barcode>{one['barcode']}</barcode></track></tracks>").encode())
    (tracks,) = tracks_of(r)
    assert tracks.get("barcode") == one["barcode"] and events(tracks)[0]["status_number"] == "1"


def test_uk_is_accepted_as_gb(client: TestClient) -> None:
    root = create(client, order("0", "uk", recipient_country_short="UK", trande_no=WISH_ID),
                  order("0", "lower", recipient_country_short="uk", trande_no=WISH_ID),
                  order("0", "gb", recipient_country_short="GB", sender_tax_id="GB123456789",
                        sender_eori="GB123456789000"))
    got = created(root)
    assert [g["guid"] for g in got] == ["uk", "lower", "gb"], doc_text(root)
    assert all(g["wosp"].endswith("GBR") for g in got), got


# ==== 2. create_order: per-order refusals ======================================================================

def test_unknown_otype_is_refused(client: TestClient) -> None:
    before = probe_seq(client)
    root = create(client, order("0", "bad", otype="99-9"))
    assert root.findtext("status") == "2"  # none created
    assert refused(root) == {"bad": {"kind": "error", "guid": "bad", "code": "1000", "message": "otype is invalid"}}
    assert HEX32.fullmatch(root.findtext("mark") or "") and root.findtext("PDF_10_EN_URL")  # WP-DOC's status-2 shape
    assert probe_seq(client) == before + 1  # nothing stored


def test_every_otype_of_the_channel_table_is_accepted(client: TestClient) -> None:
    channels = list(reference.channels().values())
    force(client, *["created"] * len(channels))
    root = create(client, *(order(ch.otype, ch.otype, minimal=True) for ch in channels))
    assert root.findtext("status") == "0" and not refused(root), doc_text(root)[:2000]
    got = created(root)
    assert [g["guid"] for g in got] == [ch.otype for ch in channels]
    styles = reference.barcode_styles()
    for ch, g in zip(channels, got, strict=True):
        assert styles[ch.barcode_style].pattern.match(g["barcode"]), (ch.otype, ch.barcode_style, g["barcode"])
        assert WOSP.fullmatch(g["wosp"]), g
        if ch.family != "epc":  # EPC may leave the recipient's country out (WP-DOC)
            assert g["wosp"].endswith("AUS"), g


@pytest.mark.parametrize("family", sorted(FAMILY_OTYPES))
def test_a_missing_required_field_of_the_family_is_refused(client: TestClient, family: str) -> None:
    otype = FAMILY_OTYPES[family]
    names = [n for n in reference.required_fields(otype) if n not in GOODS]
    assert names, family
    if family in ("china_post", "ib"):
        assert "warehouse_code" in names  # "Mandatory for China Post and IB"
    if family in ("epc", "ib", "sinotrans", "yunexpress", "wiseexpress"):
        assert {"pickup_from_local", "pickup_phone", "pickup_addres_local"} <= set(names)
    before = probe_seq(client)
    root = create(client, *(order(otype, name, **{name: None}) for name in names))
    assert root.findtext("status") == "2" and not created(root)
    got = refused(root)
    assert list(got) == names
    for name in names:
        assert (got[name]["code"], got[name]["message"]) == ("1001", f"Required Param '{name}' Missing"), got[name]
    assert probe_seq(client) == before + 1


LEGACY_REQUIRED = ("content", "num", "weight", "single_price", "trande_no", "has_battery", "product_url")


def test_a_missing_legacy_goods_field_is_refused(client: TestClient) -> None:
    root = create(client, *(order("0", name, **{name: None}) for name in LEGACY_REQUIRED))
    got = refused(root)
    assert root.findtext("status") == "2" and list(got) == list(LEGACY_REQUIRED)
    for name in LEGACY_REQUIRED:
        names = {name, reference.product_item_fields()[name]}
        found = re.fullmatch(r"Required Param '(.+)' Missing", got[name]["message"])
        assert got[name]["code"] == "1001" and found and found.group(1) in names, got[name]


def test_legacy_errors_name_the_legacy_fields(client: TestClient) -> None:
    root = create(client, order("0", "has_battery", has_battery=None), order("0", "product_url", product_url=None),
                  order("0", "weight", weight="2.5"), order("0", "num", num="0"))
    got = refused(root)
    for name in ("has_battery", "product_url", "weight", "num"):
        assert f"'{name}'" in got[name]["message"] or got[name]["message"].startswith(f"{name} "), got[name]
        assert "product_item_" not in got[name]["message"], got[name]


PRODUCT_ITEM_REQUIRED = ("wish_order_id", "product_item_name", "product_item_num", "product_item_weight",
                         "product_item_single_price", "product_item_has_battery", "product_item_product_url")


def test_a_missing_product_item_field_is_refused(client: TestClient) -> None:
    root = create(client, *(items_order("0", name, [item(**{name: None})]) for name in PRODUCT_ITEM_REQUIRED))
    got = refused(root)
    assert root.findtext("status") == "2" and list(got) == list(PRODUCT_ITEM_REQUIRED)
    for name in PRODUCT_ITEM_REQUIRED:
        assert (got[name]["code"], got[name]["message"]) == ("1001", f"Required Param '{name}' Missing"), got[name]


def test_the_chinese_product_name_is_mandatory_and_chinese(client: TestClient) -> None:
    root = create(client, order("0", "flat-missing", content_chinese=None), order("0", "flat-latin",
                  content_chinese="LED light"),
                  items_order("0", "item-missing", [item(product_item_name_chinese=None)]),
                  items_order("0", "item-latin", [item(product_item_name_chinese="LED")]))
    got = refused(root)
    assert root.findtext("status") == "2" and set(got) == {"flat-missing", "flat-latin", "item-missing", "item-latin"}
    assert got["flat-missing"]["code"] == got["item-missing"]["code"] == "1001"
    assert got["flat-latin"]["code"] == got["item-latin"]["code"] == "1000"


def test_india_postcode_must_have_six_digits(client: TestClient) -> None:
    root = create(client, order("0", "in", recipient_country_short="IN", recipient_postcode="4501"),
                  order("0", "in-ok", recipient_country_short="IN", recipient_postcode="456001"))
    assert root.findtext("status") == "0" and [g["guid"] for g in created(root)] == ["in-ok"]
    assert created(root)[0]["wosp"].endswith("IND")
    got = refused(root)["in"]
    # the seeded user's locale is en: the mock's English text (reference.POSTCODE_ERROR_EN)
    assert (got["code"], got["message"]) == ("1000", reference.postcode_error("IN", "4501", "en"))


DOC_INDIA_ZH = "收件人邮编4501错误,印度的邮编是6位数字,如:456001"  # WP-DOC's create_order error example, verbatim


@pytest.mark.parametrize("how", ["query", "element"])
def test_india_postcode_error_in_zh_as_the_docs_print_it(client: TestClient, how: str) -> None:
    india = order("0", "0", recipient_country_short="IN", recipient_postcode="4501")
    if how == "query":
        r = client.post(CREATE + "?locale=zh", content=body(india))
    else:
        r = client.post(CREATE, content=body(india, extra="<locale>zh</locale>"))
    got = refused(xml_answer(r))["0"]
    assert (got["code"], got["message"]) == ("1000", DOC_INDIA_ZH)


@pytest.mark.parametrize("how", ["query", "element"])
def test_request_level_errors_follow_the_locale_parameter(client: TestClient, how: str) -> None:
    if how == "query":
        r = client.post(CREATE + "?locale=zh", content=body())
    else:
        r = client.post(CREATE, content=body(extra="<locale>zh</locale>"))
    assert xml_error(r, 1) == message("wp_no_orders", "zh") == "未提供订单"
    assert xml_error(client.post(CREATE, content=body()), 1) == "No order is provided"


def test_eu_non_wish_orders_need_intrinsic_value_and_ioss(client: TestClient) -> None:
    de = {"recipient_country_short": "DE", "recipient_country": "Germany", "recipient_postcode": "10625"}
    root = create(
        client,
        order("0", "no-intrinsic", **de),
        order("0", "no-ioss", intrinsic_value="24.01", **de),
        order("0", "ioss", intrinsic_value="24.01", sender_ioss_vat_id="IM2760000001", **de),
        order("0", "over-150", intrinsic_value="150", **de),
        order("0", "wish-order", trande_no=WISH_ID, **de),
        items_order("0", "item-no-ioss", [item(product_item_intrinsic_value="24.01")], **de),
        items_order("0", "item-ioss", [item(product_item_intrinsic_value="24.01")], sender_ioss_vat_id="IM1", **de))
    assert [g["guid"] for g in created(root)] == ["ioss", "over-150", "wish-order", "item-ioss"]
    assert all(g["wosp"].endswith("DEU") for g in created(root))
    got = refused(root)
    assert {k: (v["code"], v["message"]) for k, v in got.items()} == {
        "no-intrinsic": ("1001", "Required Param 'intrinsic_value' Missing"),
        "no-ioss": ("1001", "Required Param 'sender_ioss_vat_id' Missing"),
        "item-no-ioss": ("1001", "Required Param 'sender_ioss_vat_id' Missing")}


def test_gb_non_wish_orders_need_sender_tax_id_and_eori(client: TestClient) -> None:
    gb = {"recipient_country_short": "GB", "recipient_country": "United Kingdom", "recipient_postcode": "LS6 2DX"}
    root = create(client, order("0", "none", **gb), order("0", "tax-only", sender_tax_id="GB1", **gb),
                  order("0", "uk-none", **{**gb, "recipient_country_short": "UK"}),
                  order("0", "both", sender_tax_id="GB1", sender_eori="GB1000", **gb),
                  order("0", "wish", trande_no=WISH_ID, **gb))
    assert [g["guid"] for g in created(root)] == ["both", "wish"]
    got = refused(root)
    assert {k: (v["code"], v["message"]) for k, v in got.items()} == {
        "none": ("1001", "Required Param 'sender_tax_id' Missing"),
        "tax-only": ("1001", "Required Param 'sender_eori' Missing"),
        "uk-none": ("1001", "Required Param 'sender_tax_id' Missing")}


def _ids(n: int) -> str:
    return ",".join(f"{i:024x}" for i in range(1, n + 1))


def test_wish_order_id_rules(client: TestClient) -> None:
    cases = {  # guid -> trande_no (the legacy form) or a product item's wish_order_id; True: accepted
        "NonWishOrder": ("NonWishOrder", True), "nonwishorder": ("nonwishorder", True),
        "NONWISHORDER": ("NONWISHORDER", True), "nonWishOrder": ("nonWishOrder", True),
        "one": (WISH_ID, True), "twenty": (_ids(20), True), "twenty-one": (_ids(21), False),
        "23-chars": (WISH_ID[:23], False), "25-chars": (WISH_ID + "a", False),
        "space": (f"{WISH_ID}, {'5a80417edf3b162557f66544'}", False),
        "inner-space": (f"{WISH_ID[:12]} {WISH_ID[12:]}", False),
    }
    root = create(client, *(order("0", guid, trande_no=value) for guid, (value, _) in cases.items()),
                  items_order("0", "item-ok", [item(wish_order_id=WISH_ID)]),
                  items_order("0", "item-23", [item(wish_order_id=WISH_ID[:23])]))
    accepted = [guid for guid, (_, ok) in cases.items() if ok] + ["item-ok"]
    assert [g["guid"] for g in created(root)] == accepted
    got = refused(root)
    assert set(got) == {guid for guid, (_, ok) in cases.items() if not ok} | {"item-23"}
    for guid, error in got.items():
        assert error["code"] == "1000" and ("trande_no" in error["message"] or "wish_order_id" in error["message"]), (
            guid, error)


def test_value_rules(client: TestClient) -> None:
    cases: dict[str, tuple[dict[str, str | None], str | None]] = {  # guid -> fields, the field named when refused
        **{f"type_no-{n}": ({"type_no": str(n)}, None) for n in range(1, 6)},
        "type_no-0": ({"type_no": "0"}, "type_no"), "type_no-6": ({"type_no": "6"}, "type_no"),
        "weight-2": ({"weight": "2", "num": "1"}, None), "weight-2.001": ({"weight": "2.001"}, "weight"),
        "num-0": ({"num": "0"}, "num"), "num-x": ({"num": "two"}, "num"),
        "phone-ok": ({"recipient_phone": "+86(138)0013-8000"}, None),
        "phone-letters": ({"recipient_phone": "abc"}, "recipient_phone"),
        "phone-mark": ({"sender_phone": "1862#0352"}, "sender_phone"),
        "battery-1": ({"has_battery": "1", "sensitivity_type": "1"}, None),
        "battery-2": ({"has_battery": "2"}, "has_battery"),
        "sensitive": ({"has_battery": "1", "sensitivity_type": "2"}, None),
        "sensitivity-3": ({"sensitivity_type": "3"}, "sensitivity_type"),
        "warehouse-of-ib": ({"warehouse_code": "27"}, "warehouse_code"),
        "email": ({"recipient_email": "nobody"}, "recipient_email"),
    }
    root = create(client, *(order("0", guid, **fields) for guid, (fields, _) in cases.items()),
                  order("21-1", "ib-with-china-post-warehouse", warehouse_code="1"))
    assert root.findtext("status") == "0"
    assert [g["guid"] for g in created(root)] == [guid for guid, (_, bad) in cases.items() if bad is None]
    got = refused(root)
    want = {guid: bad for guid, (_, bad) in cases.items() if bad is not None} | {
        "ib-with-china-post-warehouse": "warehouse_code"}
    assert set(got) == set(want)
    for guid, name in want.items():
        assert got[guid]["code"] == "1000" and name in got[guid]["message"], (guid, got[guid])


def test_a_sensitivity_type_below_has_battery_is_raised_not_refused(client: TestClient) -> None:
    root = create(client, order("0", "flat", has_battery="1", sensitivity_type="0"),
                  items_order("0", "item", [item(product_item_has_battery="1", product_item_sensitivity_type="0")]))
    assert root.findtext("status") == "0" and not refused(root), doc_text(root)
    assert [g["guid"] for g in created(root)] == ["flat", "item"]


def test_partial_success_stores_only_the_created_orders(client: TestClient) -> None:
    force(client, "created", "created")
    root = create(client, order("0", "ok-1"), order("0", "bad-1", num="0"), order("0", "ok-2"),
                  order("0", "bad-2", otype="77-7"))
    assert root.findtext("status") == "0"  # some passed
    assert [(r["kind"], r["guid"]) for r in results(root)] == [
        ("created", "ok-1"), ("error", "bad-1"), ("created", "ok-2"), ("error", "bad-2")]
    ok1, ok2 = created(root)
    assert seq(ok2["wosp"]) == seq(ok1["wosp"]) + 1  # a refused order takes no number
    assert probe_seq(client) == seq(ok2["wosp"]) + 1  # nor any row
    last = seq(ok2["wosp"]) + 1
    none = create(client, order("0", "bad-3", type_no="9"), order("0", "bad-4", weight="3"))
    assert none.findtext("status") == "2" and not created(none) and set(refused(none)) == {"bad-3", "bad-4"}
    assert probe_seq(client) == last + 1
    # order_status knows the created ones, and nothing past the probes
    found = status_of(client, ok1["wosp"], ok2["wosp"], f"WOSP{last + 2:012d}AUS")
    assert [o["wish_standard_tracking_id"] for o in found["orders"]] == [ok1["wosp"], ok2["wosp"]]
    assert found["message"].startswith("Some orders are not found.")


# ==== 3. request-level errors =====================================================================================

def test_missing_and_unknown_tokens(client: TestClient) -> None:
    before = probe_seq(client)
    for doc in (body(order("0"), token=None), body(order("0"), token="nope"), body(order("0"), token="")):
        r = client.post(CREATE, content=doc)
        assert xml_error(r, 1) == "Unauthorized Request"  # WP-DOC's error example
        root = xml_answer(r)
        assert [el.tag for el in root] == ["status", "timestamp", "error_message", "error_ref_id"]
    r = client.post(CREATE, content=body(order("0"), token=None), headers={"Authorization": "Token abc"})
    assert xml_error(r, 1102) == message("wp_bad_auth_header")
    assert probe_seq(client) == before + 1


def _calls(client: TestClient, token: str, barcode: str, mark: str) -> dict[str, Any]:
    return {
        "create_order": client.post(CREATE, content=body(order("0"), token=token)),
        "generate_label": client.post(LABEL, content=labels_doc([barcode], token)),
        "download_label": client.get(DOWNLOAD, params={"access_token": token, "mark": mark, "format": "10"}),
        "tracking": track(client, barcode, token=token),
    }


def test_revoked_and_expired_tokens(client: TestClient) -> None:
    force(client, "created")
    root = create(client, order("0", "t"))
    barcode, mark = created(root)[0]["barcode"], root.findtext("mark") or ""
    minted = xml_mint_token(client, ["user.order.write", "user.label.read", "user.tracking.read"])
    for name, r in _calls(client, minted["access_token"], barcode, mark).items():
        if name == "download_label":
            pdf(r)
        else:
            assert xml_answer(r).findtext("status") == "0", (name, r.text)
    r = client.post("/wishpost/api/v3/oauth/refresh_token", headers=basic(minted), data={
        "client_id": minted["client_id"], "grant_type": "refresh_token", "refresh_token": minted["refresh_token"]})
    renewed = r.json()["access_token"]
    # (tracking's <language>cn</language> makes its messages Chinese)
    revoked = {"tracking": "访问令牌已被撤销"}
    for name, r in _calls(client, minted["access_token"], barcode, mark).items():  # refresh revoked the old one
        assert xml_error(r, 1008) == revoked.get(name, "The access token has been revoked"), name
    clock(client, advance_seconds=31 * 86400)  # tokens live 30 days
    expired = {"tracking": "访问令牌已过期"}
    for name, r in _calls(client, renewed, barcode, mark).items():
        assert xml_error(r, 1007) == expired.get(name, "The access token has been Expired"), name


BILLION_LAUGHS = ('<?xml version="1.0"?><!DOCTYPE orders [<!ENTITY lol "lol">'
                  '<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
                  '<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">]>')
EXTERNAL = '<?xml version="1.0"?><!DOCTYPE orders [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def _hostile(kind: str) -> tuple[bytes, str]:
    valid = body(order("0", "h")).decode().split("?>", 1)[1]  # the document without its declaration
    if kind == "not well-formed":
        return valid.removesuffix("</orders>").encode(), "not well-formed XML"
    if kind == "billion laughs":
        return (BILLION_LAUGHS + valid.replace("Kali West", "&lol2;")).encode(), "entities and DTDs are not allowed"
    if kind == "external entity":
        return (EXTERNAL + valid.replace("Kali West", "&xxe;")).encode(), "entities and DTDs are not allowed"
    if kind == "dtd":
        return ("<!DOCTYPE orders>" + valid).encode(), "entities and DTDs are not allowed"
    return b"\xff\xfe<<<" + valid.encode(), "not well-formed XML"


@pytest.mark.parametrize("kind", ["not well-formed", "billion laughs", "external entity", "dtd", "garbage"])
def test_hostile_or_broken_xml_is_1101_and_stores_nothing(client: TestClient, kind: str) -> None:
    before = probe_seq(client)
    doc, reason = _hostile(kind)
    r = client.post(CREATE, content=doc, headers={"Content-Type": "text/xml"})
    assert xml_error(r, 1101) == message("wp_invalid_body", reason=reason)
    assert probe_seq(client) == before + 1


def test_no_order_at_all(client: TestClient) -> None:
    assert xml_error(client.post(CREATE, content=body()), 1) == "No order is provided"
    r = client.post(CREATE, content=f"<orders><access_token>{T}</access_token></orders>".encode())
    assert xml_error(r, 1) == message("wp_no_orders")


def test_more_orders_than_the_setting_allows(tuned: TestClient) -> None:
    before = probe_seq(tuned)
    r = tuned.post(CREATE, content=body(*(order("0", str(n)) for n in range(SMALL_ORDERS + 1))))
    assert xml_error(r, 1) == f"At most {SMALL_ORDERS} orders per request"
    assert probe_seq(tuned) == before + 1
    root = create(tuned, *(order("0", str(n)) for n in range(SMALL_ORDERS)))
    assert root.findtext("status") == "0" and len(created(root)) == SMALL_ORDERS


def test_an_oversized_body(tuned: TestClient) -> None:
    before = probe_seq(tuned)
    doc = body(order("0", "big", user_desc="x" * 500), order("0", "pad", user_desc="y" * SMALL_BODY))
    assert len(doc) > SMALL_BODY
    r = tuned.post(CREATE, content=doc, headers={"Content-Type": "application/xml"})
    assert xml_error(r, 1101) == message("wp_body_too_large", limit=SMALL_BODY)
    assert probe_seq(tuned) == before + 1


# ==== 4. generate_label ===========================================================================================

@pytest.mark.parametrize(("printlang", "printcode", "use_local", "fmt"), [
    (1, 1, "false", "A4"), (2, 1, "true", "A4"), (1, 2, "false", "10"), (2, 2, "true", "10"),
    (1, 3, "false", "15"), (None, None, "false", "10"),
])
def test_printlang_and_printcode(client: TestClient, printlang: int | None, printcode: int | None, use_local: str,
                                 fmt: str) -> None:
    force(client, "created", "created")
    barcodes = [g["barcode"] for g in created(create(client, order("0", "a"), order("36-1", "b")))]
    root = generate(client, barcodes, printlang=printlang, printcode=printcode)
    assert root.findtext("status") == "0" and [el.tag for el in root] == ["status", "timestamp", "PDF_URL"]
    url = root.findtext("PDF_URL") or ""
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"http://testserver{DOWNLOAD}", url
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert set(query) == {"access_token", "use_local", "api_orderid", "format"} and query["access_token"] == T
    assert (query["format"], query["use_local"].lower()) == (fmt, use_local) and HEX32.fullmatch(query["api_orderid"])
    reader = pdf(client.get(url))
    assert len(reader.pages) == 2
    assert_size(reader, fmt)
    assert all(b in pdf_text(reader) for b in barcodes)


def test_fifty_barcodes_and_no_more(client: TestClient) -> None:
    r = client.post(SANDBOX_PARCELS, json={"count": 51, "state": "accepted", "channel": "0"}, headers=bearer(T))
    assert r.status_code == 200, r.text
    barcodes = [p["barcode"] for p in r.json()["parcels"]]
    assert xml_error(client.post(LABEL, content=labels_doc(barcodes)), 1) == "At most 50 barcodes per request"
    root = generate(client, barcodes[:50])
    reader = pdf(client.get(root.findtext("PDF_URL") or ""))
    text = pdf_text(reader)
    assert len(reader.pages) == 50 and all(b in text for b in barcodes[:50])


def test_unknown_or_missing_barcodes(client: TestClient) -> None:
    force(client, "created")
    (one,) = created(create(client, order("0")))
    r = client.post(LABEL, content=labels_doc([one["barcode"], "NOPE0000001"]))
    assert xml_error(r, 1) == "Invalid Barcode: NOPE0000001"
    assert xml_answer(r).find("PDF_URL") is None
    assert xml_error(client.post(LABEL, content=labels_doc([])), 1) == "No barcode is provided"


def test_a_wosp_id_names_its_parcel(client: TestClient) -> None:
    force(client, "created")
    (one,) = created(create(client, order("36-1")))
    reader = pdf(client.get(generate(client, [one["wosp"]]).findtext("PDF_URL") or ""))
    assert one["barcode"] in pdf_text(reader)


def test_a_reviewing_parcels_barcode_is_unknown_until_accepted(tuned: TestClient) -> None:
    t0 = freeze(tuned)
    force(tuned, "reviewing")
    root = create(tuned, order("36-1", "rev"))
    (rev,) = created(root)
    assert (rev["state"], rev["barcode"]) == ("Reviewing", "")
    assert status_of(tuned, rev["wosp"])["orders"][0]["logistics_order_code"] == ""
    clock(tuned, advance_seconds=ACCEPT_SECONDS)  # accepted: order_status gives the number (supplement 3.3)
    accepted = status_of(tuned, rev["wosp"])["orders"][0]
    number = accepted["logistics_order_code"]
    assert accepted["state_name"] == "Accepted" and re.fullmatch(r"WI\d{12}EPC", number)
    clock(tuned, set=(t0 + timedelta(seconds=60)).isoformat())  # back under review
    assert xml_error(tuned.post(LABEL, content=labels_doc([number])), 1) == f"Invalid Barcode: {number}"
    (tracks,) = tracks_of(track(tuned, number, language="en"))
    assert tracks.get("error_message") == "Invalid Barcode"
    by_wosp = generate(tuned, [rev["wosp"]])  # its WOSP id works all along, and the label prints it
    text = pdf_text(pdf(tuned.get(by_wosp.findtext("PDF_URL") or "")))
    assert rev["wosp"] in text and number not in text
    (tracks,) = tracks_of(track(tuned, rev["wosp"]))
    assert [e["status_number"] for e in events(tracks)] == ["1"]
    clock(tuned, set=(t0 + timedelta(seconds=ACCEPT_SECONDS)).isoformat())
    text = pdf_text(pdf(tuned.get(generate(tuned, [number]).findtext("PDF_URL") or "")))
    assert number in text
    (tracks,) = tracks_of(track(tuned, number))
    assert tracks.get("barcode") == number and tracks.get("error_message") is None


# ==== 5. download_label ===========================================================================================

def test_download_by_mark_and_by_api_orderid(client: TestClient) -> None:
    force(client, "created", "created")
    root = create(client, order("0", "a"), order("1", "b"))
    mark, barcodes = root.findtext("mark") or "", [g["barcode"] for g in created(root)]
    api_orderid = parse_qs(urlsplit(generate(client, barcodes[1:]).findtext("PDF_URL") or "").query)["api_orderid"][0]
    by_mark = {"access_token": T, "mark": mark, "format": "A4", "use_local": "false"}
    for r in (client.get(DOWNLOAD, params=by_mark), client.post(DOWNLOAD, params=by_mark),
              client.post(DOWNLOAD, content=f"<root>{xml_children(by_mark)}</root>".encode())):
        reader = pdf(r)
        assert len(reader.pages) == 2 and all(b in pdf_text(reader) for b in barcodes)
        assert_size(reader, "A4")
    by_id = {"access_token": T, "api_orderid": api_orderid, "format": "15", "use_local": "true"}
    for r in (client.get(DOWNLOAD, params=by_id), client.post(DOWNLOAD, params=by_id)):
        reader = pdf(r)
        assert len(reader.pages) == 1 and barcodes[1] in pdf_text(reader) and barcodes[0] not in pdf_text(reader)
        assert_size(reader, "15")


def test_download_errors_are_xml_status_1(client: TestClient) -> None:
    root = create(client, order("0"))
    mark = root.findtext("mark") or ""
    unknown = "f" * 32
    for method in ("GET", "POST"):
        r = client.request(method, DOWNLOAD, params={"access_token": T, "mark": unknown, "format": "10"})
        assert xml_error(r, 1) == f"No label found for mark {unknown}" and not r.content.startswith(b"%PDF")
        r = client.request(method, DOWNLOAD, params={"access_token": T, "api_orderid": unknown, "format": "10"})
        assert xml_error(r, 1) == f"No label found for api_orderid {unknown}"
        r = client.request(method, DOWNLOAD, params={"access_token": T, "mark": mark, "format": "A5"})
        assert xml_error(r, 1) == message("wp_invalid_label_param", param="format", value="A5")
    # the mark of an all-refused create_order names nothing
    empty = create(client, order("0", otype="99-9")).findtext("mark")
    assert xml_error(client.get(DOWNLOAD, params={"access_token": T, "mark": empty, "format": "10"}), 1)


# ==== 6. tracking ===================================================================================================

@pytest.mark.parametrize(("otype", "path", "last_mile"), [("36-1", EPC_PATH, True), ("1", POST_PATH, False)],
                         ids=["epc", "china-post"])
def test_a_parcel_walks_its_path_on_the_clock(client: TestClient, settings: Settings, otype: str, path: list[int],
                                              last_mile: bool) -> None:
    step = settings.wishpost_tracking_step_seconds
    t0 = freeze(client)
    force(client, "created")
    (one,) = created(create(client, order(otype, "walk")))
    statuses = reference.tracking_statuses()
    warehouse = path.index(31 if otype == "36-1" else 3)
    for k in range(len(path)):
        if k:
            clock(client, advance_seconds=step)
        (tracks,) = tracks_of(track(client, one["barcode"], language="cn"))
        got = events(tracks)
        assert [int(e["status_number"]) for e in got] == path[:k + 1], k
        for n, e in enumerate(got):  # in order, with every documented child
            assert e["date"] == beijing(t0 + n * timedelta(seconds=step)), (n, e)
            assert e["status_desc"] == statuses[path[n]].desc_cn, e
            assert {"remark", "city", "state", "country_code"} <= set(e), e
            charged = {"charge_status", "charge_status_message", "pricing_weight", "charged_shipping_fee"}
            if n == warehouse:  # the warehouse scan carries the charge (supplement 5, WP-DOC's example)
                assert e["charge_status"] == "0" and e["charge_status_message"] == "Charge successfully", e
                assert e["pricing_weight"] == "0.20" and re.fullmatch(r"\d+\.\d\d", e["charged_shipping_fee"]), e
                assert float(e["charged_shipping_fee"]) > 0
            else:
                assert not charged & set(e), e
        has_last_mile = last_mile and k >= warehouse
        assert set(tracks.attrib) == ({"barcode", "last_mile_tracking_id", "last_mile_carrier"} if has_last_mile
                                      else {"barcode"}), (k, tracks.attrib)
        if has_last_mile:
            assert tracks.get("last_mile_tracking_id") and tracks.get("last_mile_carrier")
            assert got[warehouse]["lm_tracking_id"] == tracks.get("last_mile_tracking_id")
            assert got[warehouse]["lm_carrier"] == tracks.get("last_mile_carrier")
    assert path[-1] == 23
    (tracks,) = tracks_of(track(client, one["barcode"], language="EN"))
    assert [e["status_desc"] for e in events(tracks)] == [statuses[n].desc_en for n in path]
    assert status_of(client, one["wosp"])["orders"][0]["state_name"] == "Completed"


@pytest.mark.parametrize(("language", "desc"), [("cn", "cn"), ("CN", "cn"), ("en", "en"), ("EN", "en"),
                                                (None, "cn")])
def test_tracking_language(client: TestClient, language: str | None, desc: str) -> None:
    force(client, "created")
    (one,) = created(create(client, order("0")))
    first, missing = tracks_of(track(client, one["barcode"], "WS000000141SH", language=language))
    want = reference.tracking_statuses()[1]
    assert events(first)[0]["status_desc"] == (want.desc_cn if desc == "cn" else want.desc_en)
    assert missing.attrib == {"barcode": "WS000000141SH",
                              "error_message": "无此运单号" if desc == "cn" else "Invalid Barcode"}
    assert len(missing) == 0


def test_unknown_barcodes_keep_status_0_and_the_request_order(client: TestClient) -> None:
    force(client, "created", "created")
    a, b = (g["barcode"] for g in created(create(client, order("0", "a"), order("1", "b"))))
    r = track(client, "X1", a, "X2", b)
    got = tracks_of(r)
    assert [t.get("barcode") for t in got] == ["X1", a, "X2", b]
    assert [t.get("error_message") for t in got] == ["无此运单号", None, "无此运单号", None]


def test_at_most_ten_barcodes(client: TestClient) -> None:
    force(client, "created")
    (one,) = created(create(client, order("0")))
    assert len(tracks_of(track(client, *[one["barcode"]] * 10))) == 10
    assert xml_error(track(client, *[one["barcode"]] * 11, language="en"), 1) == "At most 10 barcodes per request"
    assert xml_error(track(client, language="en"), 1) == "No barcode is provided"
    assert xml_error(track(client), 1) == "未提供barcode"  # <language>cn</language>: the call speaks Chinese


def test_over_ten_barcodes_in_cn_answers_the_docs_text(client: TestClient) -> None:
    assert xml_error(track(client, *["RW022229594CN"] * 11, language="cn"), 1) == "一次最多提交10个barcode"


def test_a_cancelled_parcel_shows_event_48(client: TestClient, settings: Settings) -> None:
    t0 = freeze(client)
    force(client, "created")
    (one,) = created(create(client, order("36-1")))
    clock(client, advance_seconds=60)  # Accepted, not yet picked up (supplement 8.1: Shipping from event 2 on)
    r = client.post("/wishpost/api/v3/cancel_orders", headers=bearer(T), json={
        "orders": [{"wish_standard_tracking_id": one["wosp"], "cancel_reason_code": 40101}]})
    assert r.status_code == 200 and len(r.json()["is_cancelling_orders"]) == 1, r.text
    (tracks,) = tracks_of(track(client, one["barcode"], language="en"))
    got = events(tracks)
    assert [e["status_number"] for e in got] == ["1", "48"]
    assert got[-1]["status_desc"] == reference.tracking_statuses()[48].desc_en == "Order is canceled"
    assert got[-1]["date"] == beijing(t0 + timedelta(seconds=60))
    clock(client, advance_seconds=5 * settings.wishpost_tracking_step_seconds)
    (tracks,) = tracks_of(track(client, one["barcode"]))
    assert [e["status_number"] for e in events(tracks)] == ["1", "48"]  # it goes no further
    assert status_of(client, one["wosp"])["orders"][0]["state_name"] == "Canceled"


def test_tracking_is_throttled_at_300_per_minute_per_ip_and_user(client: TestClient) -> None:
    freeze(client)  # one window for every call
    r = track(client, "X")
    assert r.headers["wish-rate-limit-remaining"] == "299"  # WP-DOC: 300 per minute (IP + user)
    assert track(client, "X").headers["wish-rate-limit-remaining"] == "298"
    # the 301st call, cheaply: the sandbox lowers the user's quota to what it has already used
    r = client.post("/sandbox/api/rate-limits", json={"wishpost_user_id": user_id(client, T), "quota": 2})
    assert r.status_code == 200, r.text
    r = track(client, "X", language="en")
    assert xml_error(r, 4292) == message("wp_rate_limited_4292", limit=2, per="minute", per_zh="分钟")
    assert xml_error(r, 4292) == ("This api can be called no more than 2 times per minute per ip and user, "
                                  "please slow down and call later")  # supplement 6.1's wording
    assert len(tracks_of(track(client, "X", token=T2))) == 1  # another user counts on its own
    clock(client, advance_seconds=60)  # fixed one-minute windows
    assert len(tracks_of(track(client, "X"))) == 1


# ==== 7. isolation ==================================================================================================

def test_another_users_parcels_are_unknown(client: TestClient) -> None:
    force(client, "created")
    root = create(client, order("36-1", "mine"))
    (mine,) = created(root)
    mark = root.findtext("mark") or ""
    api_orderid = parse_qs(urlsplit(generate(client, [mine["barcode"]]).findtext("PDF_URL") or "").query)[
        "api_orderid"][0]
    for number in (mine["barcode"], mine["wosp"]):
        (tracks,) = tracks_of(track(client, number, token=T2))
        assert tracks.attrib == {"barcode": number, "error_message": "无此运单号"} and len(tracks) == 0
        assert xml_error(client.post(LABEL, content=labels_doc([number], T2)), 1) == f"Invalid Barcode: {number}"
    r = client.get(DOWNLOAD, params={"access_token": T2, "mark": mark, "format": "10"})
    assert xml_error(r, 1) == f"No label found for mark {mark}"
    r = client.get(DOWNLOAD, params={"access_token": T2, "api_orderid": api_orderid, "format": "10"})
    assert xml_error(r, 1) == f"No label found for api_orderid {api_orderid}"
    assert status_of(client, mine["wosp"], token=T2)["orders"] == []
    pdf(client.get(DOWNLOAD, params={"access_token": T, "mark": mark, "format": "10"}))  # still the owner's


@pytest.mark.parametrize("shared", ["zero", "the first users mark"])
def test_a_mark_sent_by_two_users_keeps_each_users_labels(client: TestClient, shared: str) -> None:
    force(client, "created")
    force(client, "created", token=T2)
    first = create(client, order("0", "A"), mark="0" if shared == "zero" else "")
    mark = first.findtext("mark") or ""
    second = create(client, order("0", "B"), token=T2, mark=mark)
    (a,), (b,) = created(first), created(second)
    mine = pdf_text(pdf(client.get(first.findtext("PDF_10_EN_URL") or "")))
    assert a["barcode"] in mine and b["barcode"] not in mine
    theirs = pdf_text(pdf(client.get(second.findtext("PDF_10_EN_URL") or "")))
    assert b["barcode"] in theirs and a["barcode"] not in theirs


# ==== 8. scopes =====================================================================================================

def test_a_tracking_only_token_cannot_create_orders(client: TestClient) -> None:
    token = xml_mint_token(client, ["user.tracking.read"])["access_token"]
    before = probe_seq(client)
    r = client.post(CREATE, content=body(order("0"), token=token))
    assert xml_error(r, 1103) == message("wp_insufficient_scope")
    assert probe_seq(client) == before + 1
    assert xml_error(client.post(LABEL, content=labels_doc(["X"], token)), 1103)
    assert len(tracks_of(track(client, "X", token=token))) == 1  # what the scope covers answers


def test_an_order_write_token_may_generate_labels(client: TestClient) -> None:
    token = xml_mint_token(client, ["user.order.write"])["access_token"]
    force(client, "created")
    root = create(client, order("0"), token=token)
    assert root.findtext("status") == "0"
    assert generate(client, [created(root)[0]["barcode"]], token=token).findtext("status") == "0"
