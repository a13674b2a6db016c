"""The docs' own example requests of the WishPost parcel endpoints, replayed through HTTP, each answer compared
with the documented example answer: the same elements, attributes and keys with the same kinds of values
(ids, timestamps and tokens differ). WP-DOC = wishpost-api.txt: create_order (both sections, the
`<product_items>` form and the legacy flat one), order/collection_option/confirm, order_status, cancel_orders,
generate_label (and its PDF), tracking. WP-V3 = wishpost-v3-api-3.0.6.txt: cancel_orders with a bare JSON
array. Each request is cut from the doc file at test time, so the test proves it sends the docs' own bytes;
only the access token and the ids are swapped for the seeded token and parcels that exist, put first in the
state the documented answer shows. Where the mock contradicts the docs the test says so as a strict xfail."""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit
from xml.etree.ElementTree import Element

import pytest
from defusedxml.ElementTree import fromstring
from pypdf import PdfReader
from starlette.testclient import TestClient
from wishpost_support import DEFAULT_WISHPOST_TOKEN, bearer

from support import freeze

XML_HEADERS = {"content-type": "text/xml"}
JSON_HEADERS = {"content-type": "application/json"}
HEADER = {"status", "timestamp"}  # WP-DOC prints them in either order; live traffic: status first (supplement 3.1)
ERROR_REF = "error_ref_id"  # every XML error carries one (supplement 3.2); some WP-DOC examples leave it out
EXTRA_LABEL_URLS = {"PDF_A4_EN_URL", "PDF_A4_LCL_URL", "PDF_15_EN_URL"}  # supplement 3.3 (15 is in WP-DOC's table)
WISH_ORDER_IDS = re.compile(r"(?i)nonwishorder|[0-9a-f]{24}(,[0-9a-f]{24})*")  # supplement 9
WOSP = re.compile(r"WOSP\d{12}[A-Z]{3}")  # supplement 3.3
HEX32 = re.compile(r"[0-9a-f]{32}")
# WP-V3's bare-array cancel answer: one item per request item (the mock's choice, supplement 8.3's result keys)
V3_CANCEL_KEYS = {"user_id", "tracking_id", "wish_standard_tracking_id", "cancel_result_code",
                  "cancel_result_message"}


# ---- the docs --------------------------------------------------------------------------------------------------







def _between(text: str, start: str, end: str) -> str:
    i = text.index(start) + len(start)
    return text[i:text.index(end, i)].strip()


@dataclass(frozen=True)
class Example:
    request: str
    success: str
    error: str


def example(doc: str, heading: str) -> Example:
    """The example texts of the WP-DOC section whose heading line is `heading` (the line above its endpoint)."""
    start = doc.index(f"\n{heading}\nAPI endpoint:")
    nxt = doc.find("\nAPI endpoint:", start + len(heading) + 16)
    section = doc[start:nxt if nxt != -1 else len(doc)] + "\n"
    return Example(_between(section, "\nExample Request\n", "\nSuccess Response\n"),
                   _between(section, "\nSuccess Response\n", "\nError Response\n"),
                   _between(section, "\nError Response\n", "\n"))


def doc_token(request: str) -> str:
    """The access token a doc example request carries (XML element or JSON key)."""
    found = re.search(r"<access_token>([^<]+)</access_token>", request) or re.search(
        r'"access_token"\s*:\s*"([^"]+)"', request)
    assert found, request[:200]
    return found.group(1)


def seeded(request: str) -> str:
    """The example request with its access token swapped for the seeded WishPost token."""
    return request.replace(doc_token(request), DEFAULT_WISHPOST_TOKEN)


# the docs' XML examples put bare `&` in URLs (not well-formed XML): escaped before parsing
_BARE_AMP = re.compile(r"&(?!(?:[A-Za-z]+|#\d+|#x[0-9A-Fa-f]+);)")


def doc_xml(text: str) -> list[Element]:
    """Every XML document of a doc example text (they are joined by "or", or by nothing)."""
    parts = [p.rstrip().removesuffix(" or") for p in text.split("<?xml") if p.strip()]
    return [fromstring(_BARE_AMP.sub("&amp;", "<?xml" + p)) for p in parts]


# WP-DOC's JSON examples: order_status lacks a comma after `"wish_transaction_ids": [...]` (a doc typo, supplement
# 8.2), repaired here (a `]` followed by the next key); some error examples are several objects in a row
_MISSING_COMMA = re.compile(r'\]\s+(?=")')


def doc_json(text: str) -> list[Any]:
    text, decoder, out, at = _MISSING_COMMA.sub("], ", text), json.JSONDecoder(), [], 0
    while at < len(text):
        if text[at].isspace():
            at += 1
            continue
        value, at = decoder.raw_decode(text, at)
        out.append(value)
    return out


# ---- comparing -------------------------------------------------------------------------------------------------

def texty(el: Element) -> bool:
    return bool((el.text or "").strip())


def shape(el: Element) -> tuple[str, frozenset[str], bool]:
    """What the comparison keeps of a leaf element: its tag, its attribute names and whether it has text."""
    return el.tag, frozenset(el.attrib), texty(el)


def header_and_rest(root: Element, status: str | None = None) -> list[Element]:
    """The children after <status> and <timestamp> (both with text); checks the status when given."""
    children = list(root)
    assert root.tag == "root" and {c.tag for c in children[:2]} == HEADER, [c.tag for c in children]
    assert all(texty(c) and not c.attrib for c in children[:2])
    if status is not None:
        assert root.findtext("status") == status, root.findtext("error_message")
    return children[2:]


def split_orders(rest: list[Element]) -> tuple[list[list[Element]], list[Element]]:
    """create_order's per-order results (a created order's WOSP id, barcode and warehouse, or one
    error_message) and what follows them (mark and label URLs)."""
    groups: list[list[Element]] = []
    trailer: list[Element] = []
    for el in rest:
        if not trailer and el.tag in ("wish_standard_tracking_id", "error_message"):
            groups.append([el])
        elif not trailer and groups and el.tag in ("barcode", "warehouse"):
            groups[-1].append(el)
        else:
            trailer.append(el)
    return groups, trailer


def kind(value: Any) -> str:
    """A JSON value's type (bool before int: True is an int in Python)."""
    for name, types in (("bool", bool), ("int", int), ("float", float), ("string", str), ("list", list),
                        ("object", dict)):
        if isinstance(value, types):
            return name
    assert value is None, value
    return "null"


def json_diff(doc: Any, got: Any, path: str = "$") -> tuple[list[str], list[str]]:
    """(keys the doc has that are missing or of another JSON type, keys the doc does not have); a list's items
    are compared with the doc list's first item."""
    wrong: list[str] = []
    extra: list[str] = []
    if kind(doc) != kind(got):
        return [f"{path}: {kind(got)} where the doc has {kind(doc)}"], []
    if isinstance(doc, dict):
        for key, value in doc.items():
            if key not in got:
                wrong.append(f"{path}.{key}: missing")
                continue
            w, e = json_diff(value, got[key], f"{path}.{key}")
            wrong, extra = wrong + w, extra + e
        extra += [f"{path}.{key}" for key in got if key not in doc]
    elif isinstance(doc, list) and doc:
        for i, item in enumerate(got):
            w, e = json_diff(doc[0], item, f"{path}[{i}]")
            wrong, extra = wrong + w, extra + e
    return wrong, extra


def label_text(client: TestClient, url: str) -> str:
    """The text of the label PDF a URL of the answers serves."""
    r = client.get(url)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/pdf"), (r.status_code, r.text)
    assert r.content.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(r.content)).pages)


def same_url_shape(doc_url: str, got_url: str) -> None:
    """A label URL names the documented path with the documented query parameters (the doc's stray spaces are
    typos: supplement 3.3)."""
    want, got = urlsplit(doc_url.replace(" ", "")), urlsplit(got_url)
    assert got.path.endswith(want.path), (got.path, want.path)
    assert set(parse_qs(got.query, keep_blank_values=True)) == set(parse_qs(want.query, keep_blank_values=True))
    assert parse_qs(got.query)["access_token"] == [DEFAULT_WISHPOST_TOKEN]


# ---- HTTP --------------------------------------------------------------------------------------------------------

@pytest.fixture
def wp(client: TestClient) -> TestClient:
    """The client on a frozen clock: the states sandbox parcels are put in stay as they are."""
    freeze(client)
    return client


def post_xml(client: TestClient, op: str, body: str, **query: str) -> Element:
    r = client.post(f"/wishpost/api/v2/{op}", content=body.encode(), headers=XML_HEADERS, params=query)
    assert r.status_code == 200 and r.content.startswith(b"<?xml"), (r.status_code, r.text[:300])
    return fromstring(r.content)


def post_json(client: TestClient, op: str, body: str, headers: dict[str, str] | None = None) -> Any:
    return client.post(f"/wishpost/api/v3/{op}", content=body.encode(), headers={**JSON_HEADERS, **(headers or {})})


def parcels(client: TestClient, state: str, channel: str, count: int = 1) -> list[dict[str, Any]]:
    """Parcels of the seeded user in a state (a fixed seed: the same parcels every run)."""
    r = client.post("/sandbox/api/wishpost/parcels", headers=bearer(DEFAULT_WISHPOST_TOKEN),
                    json={"count": count, "state": state, "channel": channel, "seed": 7})
    assert r.status_code == 200, r.text
    return r.json()["parcels"]


def force(client: TestClient, outcome: str, count: int) -> None:
    """The outcome of the seeded user's next `count` create_order parcels."""
    r = client.post("/sandbox/api/wishpost/parcel-outcomes", headers=bearer(DEFAULT_WISHPOST_TOKEN),
                    json={"outcomes": [outcome] * count})
    assert r.status_code == 200, r.text


# ---- create_order ------------------------------------------------------------------------------------------------

NEW, LEGACY = "Create an order(New)", "Create an order"


def request_orders(request: str) -> list[Element]:
    return list(fromstring(request).iter("order"))


def order_ids(order: Element) -> list[str]:
    """The Wish order ids an <order> names: its trande_no (legacy form), else each product item's wish_order_id."""
    legacy = (order.findtext("trande_no") or "").strip()
    return [legacy] if legacy else [(e.text or "").strip() for e in order.iter("wish_order_id")]


def created_reference(wp_doc: str, heading: str, variant: int) -> list[tuple[str, frozenset[str], bool]]:
    """The documented shape of one created order (variant 0: Created, 1: Reviewing). The warehouse element
    both response tables list ("Combine Warehouse") is in the legacy section's example only: taken from there."""
    group = split_orders(header_and_rest(doc_xml(example(wp_doc, heading).success)[variant]))[0]
    assert len(group) == 1
    shapes = [shape(e) for e in group[0]]
    if heading == NEW and [s[0] for s in shapes] == ["wish_standard_tracking_id", "barcode"]:
        shapes.append(created_reference(wp_doc, LEGACY, variant)[2])
    assert [s[0] for s in shapes] == ["wish_standard_tracking_id", "barcode", "warehouse"]
    return shapes


def check_trailer(trailer: list[Element], doc_trailer: list[Element]) -> None:
    """mark, then the label URLs: WP-DOC's and the ones supplement 3.3 adds."""
    tags = [e.tag for e in trailer]
    assert tags[0] == "mark" and len(set(tags)) == len(tags), tags
    assert set(tags) == {e.tag for e in doc_trailer} | EXTRA_LABEL_URLS, tags
    assert all(texty(e) and not e.attrib for e in trailer)
    assert HEX32.fullmatch(trailer[0].text or "")  # a new mark: the request sent <mark/>
    for doc_url in doc_trailer[1:]:
        same_url_shape(doc_url.text or "", next(e.text or "" for e in trailer if e.tag == doc_url.tag))


@pytest.mark.parametrize("variant", ["created", "reviewing"])
@pytest.mark.parametrize("heading", [NEW, LEGACY])
def test_create_order_example(wp: TestClient, wp_doc: str, heading: str, variant: str) -> None:
    """The section's example request, all its <order>s in one call: one result per order in request order (the
    doc repeats guids), each the documented Created or Reviewing shape, or, for an order the mock refuses (the
    legacy example's trande_no 1534563462 is neither NonWishOrder nor 24-hex Wish ids: supplement 9), the
    documented error_message; status 0 since some were created (supplement 3.2); then mark and the label URLs,
    whose PDFs print the parcels."""
    ex = example(wp_doc, heading)
    docs = doc_xml(ex.success)
    assert len(docs) == 2  # the Created and the Reviewing answers
    index = 0 if variant == "created" else 1
    reference = created_reference(wp_doc, heading, index)
    error_ref = [shape(e) for e in split_orders(header_and_rest(doc_xml(ex.error)[1], "2"))[0][0]]
    orders = request_orders(ex.request)
    # refused: trande_no 1534563462 (neither NonWishOrder nor 24-hex Wish ids: supplement 9), and the legacy
    # 300-1 order without its content_chinese (WP-DOC: "mandatory, must contains Chinese")
    refused = [not all(WISH_ORDER_IDS.fullmatch(ids) for ids in order_ids(o))
               or (o.find("content") is not None and not (o.findtext("content_chinese") or "").strip())
               for o in orders]
    assert any(refused) == (heading == LEGACY)
    force(wp, variant, refused.count(False))

    answer = post_xml(wp, "create_order", seeded(ex.request))
    groups, trailer = split_orders(header_and_rest(answer, "0"))
    assert len(groups) == len(orders)
    numbers = []
    for order, is_refused, group in zip(orders, refused, groups, strict=True):
        guid = (order.findtext("guid") or "").strip()
        if is_refused:
            assert [shape(e) for e in group] == error_ref, [e.tag for e in group]
            err = group[0].attrib
            bad_ids = WISH_ORDER_IDS.fullmatch(order.findtext("trande_no") or "") is None
            reason, code = (order.findtext("trande_no"), "1000") if bad_ids else ("content_chinese", "1001")
            assert (err["guid"], err["code"], err["wish_standard_tracking_id"]) == (guid, code, "")
            assert HEX32.fullmatch(err["error_ref_id"]) and (reason or "") in (group[0].text or ""), group[0].text
            continue
        # the warehouse element comes with the warehouse the order names (none of the examples' orders is EPC,
        # whose parcels go to an EPC warehouse unnamed)
        has_warehouse = bool((order.findtext("warehouse_code") or "").strip())
        assert [shape(e) for e in group] == reference[:3 if has_warehouse else 2], (guid, [shape(e) for e in group])
        wosp, barcode = group[0], group[1]
        assert (wosp.get("guid"), barcode.get("guid")) == (guid, guid) and WOSP.fullmatch(wosp.text or "")
        assert (wosp.get("state"), barcode.get("state")) == ("Created", variant.capitalize())
        numbers.append(barcode.text if variant == "created" else wosp.text)  # under review: the label shows the WOSP
    check_trailer(trailer, split_orders(header_and_rest(docs[index]))[1])

    urls = {e.tag: e.text or "" for e in trailer[1:]}
    every = heading == NEW and variant == "created"  # each URL once; one PDF per answer otherwise (time)
    for tag in sorted(urls) if every else ["PDF_10_EN_URL"]:
        text = label_text(wp, urls[tag])
        assert all(str(n) in text for n in numbers), (tag, numbers)


@pytest.mark.parametrize("heading", [NEW, LEGACY])
def test_create_order_unauthorized_example(wp: TestClient, wp_doc: str, heading: str) -> None:
    """The example request as printed: its token is nobody's, so the first error example (status 1)."""
    ex = example(wp_doc, heading)
    want = header_and_rest(doc_xml(ex.error)[0], "1")
    got = header_and_rest(post_xml(wp, "create_order", ex.request), "1")
    assert [shape(e) for e in got] == [shape(e) for e in want]
    assert got[0].text == want[0].text == "Unauthorized Request" and HEX32.fullmatch(got[1].text or "")


def india_order(request: str) -> str:
    """The example request cut to its first order, changed into the second error example's order (guid 0, an
    Indian postcode of 4 digits: "收件人邮编4501错误,印度的邮编是6位数字,如:456001")."""
    head, rest = request.split("<order>", 1)
    order = "<order>" + rest.split("</order>", 1)[0] + "</order>"
    order = re.sub(r"<guid>[^<]*</guid>", "<guid>0</guid>", order)
    order = re.sub(r"<recipient_country_short>[^<]*<", "<recipient_country_short>IN<", order)
    order = re.sub(r"<recipient_postcode>[^<]*<", "<recipient_postcode>4501<", order)
    return head + order + "</orders>"


@pytest.mark.parametrize("heading", [NEW, LEGACY])
def test_create_order_order_error_example(wp: TestClient, wp_doc: str, heading: str) -> None:
    """No order created: status 2 with the error_message of the order, mark and the label URLs."""
    ex = example(wp_doc, heading)
    want_groups, want_trailer = split_orders(header_and_rest(doc_xml(ex.error)[1], "2"))
    groups, trailer = split_orders(header_and_rest(post_xml(wp, "create_order", india_order(seeded(ex.request))), "2"))
    assert [[shape(e) for e in g] for g in groups] == [[shape(e) for e in g] for g in want_groups]
    got, want = groups[0][0], want_groups[0][0]
    assert {k: got.get(k) for k in ("guid", "code", "wish_standard_tracking_id")} == {
        k: want.get(k) for k in ("guid", "code", "wish_standard_tracking_id")}
    assert "4501" in (got.text or "")
    check_trailer(trailer, want_trailer)


def test_create_order_order_error_text_in_chinese(wp: TestClient, wp_doc: str) -> None:
    ex = example(wp_doc, NEW)
    want = split_orders(header_and_rest(doc_xml(ex.error)[1], "2"))[0][0][0]
    got = split_orders(header_and_rest(post_xml(wp, "create_order", india_order(seeded(ex.request)),
                                                locale="zh"), "2"))[0][0][0]
    assert got.text == want.text == "收件人邮编4501错误,印度的邮编是6位数字,如:456001"


# ---- order/collection_option/confirm -----------------------------------------------------------------------------

def test_collection_option_example(wp: TestClient, wp_doc: str) -> None:
    """The example (door pickup by 42-0, return to the return address) on an Accepted parcel: the documented
    keys and types. (The section's error examples belong to /api/v3/warehouse: warehouse_ids, code 30.)"""
    ex = example(wp_doc, "Confirm Collection Option")
    parcel = parcels(wp, "accepted", "36-1")[0]
    doc_id = json.loads(ex.request)["wish_standard_tracking_id"]
    r = post_json(wp, "order/collection_option/confirm",
                  seeded(ex.request).replace(doc_id, parcel["wish_standard_tracking_id"]))
    assert r.status_code == 200, r.text
    (want,) = doc_json(ex.success)
    assert json_diff(want, r.json()) == ([], []), r.json()
    assert r.json()["code"] == want["code"] == 0 and r.json()["message"]


# ---- order_status ------------------------------------------------------------------------------------------------

def order_status_answer(wp: TestClient, wp_doc: str) -> tuple[Any, Any]:
    """The example request with its listed order (WOSP000000023915USA, Rejected in the answer) swapped for a
    Rejected EPC parcel; the three other ids stay unknown, as the answer's "not found" says."""
    ex = example(wp_doc, "Get order status")
    (want,) = doc_json(ex.success)
    listed = want["orders"][0]
    parcel = parcels(wp, listed["state_name"].lower(), "36-1")[0]
    r = post_json(wp, "order_status", seeded(ex.request).replace(listed["wish_standard_tracking_id"],
                                                                 parcel["wish_standard_tracking_id"]))
    assert r.status_code == 200, r.text
    got = r.json()
    assert [o["wish_standard_tracking_id"] for o in got["orders"]] == [parcel["wish_standard_tracking_id"]]
    return want, got


def test_order_status_example(wp: TestClient, wp_doc: str) -> None:
    """Every key of the documented answer, at every level, with its JSON type; the same call message."""
    want, got = order_status_answer(wp, wp_doc)
    wrong, _ = json_diff(want, got)
    assert wrong == [], wrong
    assert got["message"] == want["message"] == "Some orders are not found. Some orders are not accepted. "
    order, doc_order = got["orders"][0], want["orders"][0]
    assert (order["state_code"], order["state_name"]) == (doc_order["state_code"], doc_order["state_name"])
    assert order["logistics_order_code"] == "" and order["wish_transaction_ids"]


def test_order_status_example_has_no_other_keys(wp: TestClient, wp_doc: str) -> None:
    want, got = order_status_answer(wp, wp_doc)
    assert json_diff(want, got) == ([], [])


def order_status_error(wp: TestClient, wp_doc: str) -> tuple[Any, Any]:
    """The example request with an empty id list: the error example ("No valid wish_standard_tracking_ids is
    provided", 1001)."""
    ex = example(wp_doc, "Get order status")
    (want,) = doc_json(ex.error)
    body = json.loads(seeded(ex.request)) | {"wish_standard_tracking_ids": []}
    r = post_json(wp, "order_status", json.dumps(body))
    assert r.status_code == 400, r.text  # 1001: HTTP 400 (supplement 6)
    return want, r.json()


def test_order_status_error_example(wp: TestClient, wp_doc: str) -> None:
    want, got = order_status_error(wp, wp_doc)
    assert (got["code"], got["message"]) == (want["code"], want["message"])
    assert all(kind(got[k]) == kind(want[k]) for k in ("timestamp", "message", "code"))


def test_order_status_error_example_keys(wp: TestClient, wp_doc: str) -> None:
    want, got = order_status_error(wp, wp_doc)
    assert json_diff(want, got) == ([], [])


# ---- cancel_orders (WP-DOC) --------------------------------------------------------------------------------------

def test_cancel_orders_example(wp: TestClient, wp_doc: str) -> None:
    """The example cancels WI000000022037EPC and the answer fails it with 3 "already invalidated": here an
    Invalid EPC parcel's tracking id."""
    ex = example(wp_doc, "Cancel Orders")
    (want,) = doc_json(ex.success)
    doc_id = json.loads(ex.request)["orders"][0]["tracking_id"]
    parcel = parcels(wp, "invalid", "36-1")[0]
    r = post_json(wp, "cancel_orders", seeded(ex.request).replace(doc_id, parcel["barcode"]))
    assert r.status_code == 200, r.text
    got = r.json()
    assert json_diff(want, got) == ([], []), got
    assert (got["message"], got["is_cancelling_orders"]) == (want["message"], want["is_cancelling_orders"])
    (failed,) = got["failed_cancel_orders"]
    doc_failed = want["failed_cancel_orders"][0]
    assert {k: failed[k] for k in ("cancel_result_code", "cancel_result_message")} == {
        k: doc_failed[k] for k in ("cancel_result_code", "cancel_result_message")}
    assert (failed["tracking_id"], failed["wish_standard_tracking_id"]) == (parcel["barcode"],
                                                                            parcel["wish_standard_tracking_id"])


def cancel_error(wp: TestClient, wp_doc: str) -> tuple[Any, Any]:
    """The example request with its order's tracking_id left out: the error example ("tracking_id must be
    provided", 1001)."""
    ex = example(wp_doc, "Cancel Orders")
    (want,) = doc_json(ex.error)
    body = json.loads(seeded(ex.request))
    del body["orders"][0]["tracking_id"]
    r = post_json(wp, "cancel_orders", json.dumps(body))
    assert r.status_code == 400, r.text
    return want, r.json()


def test_cancel_orders_error_example(wp: TestClient, wp_doc: str) -> None:
    want, got = cancel_error(wp, wp_doc)
    assert (got["code"], got["message"]) == (want["code"], want["message"])
    assert all(kind(got[k]) == kind(want[k]) for k in ("timestamp", "message", "code"))


def test_cancel_orders_error_example_keys(wp: TestClient, wp_doc: str) -> None:
    want, got = cancel_error(wp, wp_doc)
    assert json_diff(want, got) == ([], [])


# ---- cancel_orders (WP-V3: a bare array) -------------------------------------------------------------------------

@dataclass(frozen=True)
class V3Cancel:
    fields: list[str]
    reasons: list[str]
    request: list[Any]
    response: list[Any]


def v3_cancel(wp_v3: str) -> V3Cancel:
    """WP-V3's "Cancel orders": the item fields of its request schema, the reason enum, and its samples (one
    empty object each way: the bullets of the page are dropped)."""
    section = wp_v3[wp_v3.index("\nCancel orders\n"):]
    schema = _between(section, "Request Body schema: application/json", "Responses")
    fields = re.findall(r"^([a-z][a-z_]+)\n(?:required\n)?string$", schema, re.M)
    reasons = re.findall(r'"([A-Z_]+)"', _between(schema, "Enum:", "\n"))

    def sample(text: str) -> list[Any]:
        value = json.loads(text.replace("•", "").split("application/json", 1)[1])
        assert isinstance(value, list)
        return value
    return V3Cancel(fields, reasons, sample(_between(section, "Request samples", "Response samples")),
                    sample(section.split("Response samples", 1)[1]))


def v3_items(doc: V3Cancel, wp: TestClient) -> tuple[list[dict[str, Any]], list[int]]:
    """One request item per kind of result, the schema's fields filled: an Accepted EPC parcel (cancelled), an
    Invalid one (3) and a tracking id nobody has (1); the expected result codes."""
    assert doc.fields == ["cancel_reason_code", "tracking_id", "invalid_reason"] and len(doc.reasons) == 24
    accepted, invalid = parcels(wp, "accepted", "36-1")[0], parcels(wp, "invalid", "36-1")[0]
    other = doc.reasons[-1]  # USER_OTHER_REASON: invalid_reason is required with it
    items = [{"cancel_reason_code": doc.reasons[0], "tracking_id": accepted["barcode"]},
             {"cancel_reason_code": other, "tracking_id": invalid["barcode"], "invalid_reason": "duplicate label"},
             {"cancel_reason_code": other, "tracking_id": "WI999999999999EPC", "invalid_reason": "not ours"}]
    return items, [0, 3, 1]


def test_v3_cancel_orders_sample(wp: TestClient, wp_v3: str) -> None:
    """WP-V3's sample is an array of one (empty) item: filled from the schema, it answers an array of one."""
    doc = v3_cancel(wp_v3)
    assert doc.request == [{}] and doc.response == [{}]
    parcel = parcels(wp, "accepted", "36-1")[0]
    body = [item | {"cancel_reason_code": doc.reasons[0], "tracking_id": parcel["barcode"]} for item in doc.request]
    r = post_json(wp, "cancel_orders", json.dumps(body), bearer(DEFAULT_WISHPOST_TOKEN))
    assert r.status_code == 200, r.text
    got = r.json()
    assert isinstance(got, list) and len(got) == len(doc.response) == len(body)
    assert V3_CANCEL_KEYS <= set(got[0]) and got[0]["cancel_result_code"] == 0, got
    assert (got[0]["tracking_id"], got[0]["wish_standard_tracking_id"]) == (parcel["barcode"],
                                                                            parcel["wish_standard_tracking_id"])


def test_v3_cancel_orders_answers_one_item_per_request_item(wp: TestClient, wp_v3: str) -> None:
    """"An array of the same size as the request array where each item represent a response to the
    corresponding request": each with the result keys, their types, the outcome of its own request item."""
    items, codes = v3_items(v3_cancel(wp_v3), wp)
    r = post_json(wp, "cancel_orders", json.dumps(items), bearer(DEFAULT_WISHPOST_TOKEN))
    assert r.status_code == 200, r.text
    got = r.json()
    assert isinstance(got, list) and len(got) == len(items)
    assert [g["tracking_id"] for g in got] == [i["tracking_id"] for i in items]
    assert [g["cancel_result_code"] for g in got] == codes
    for g in got:
        assert V3_CANCEL_KEYS <= set(g), g
        assert all(kind(g[k]) == "string" for k in V3_CANCEL_KEYS - {"cancel_result_code"})
        assert kind(g["cancel_result_code"]) == "int" and g["cancel_result_message"]


def test_v3_cancel_orders_items_have_the_result_keys_only(wp: TestClient, wp_v3: str) -> None:
    items, _ = v3_items(v3_cancel(wp_v3), wp)
    got = post_json(wp, "cancel_orders", json.dumps(items), bearer(DEFAULT_WISHPOST_TOKEN)).json()
    assert [set(g) for g in got] == [V3_CANCEL_KEYS] * len(items)


# ---- generate_label ------------------------------------------------------------------------------------------------

def test_generate_label_example(wp: TestClient, wp_doc: str) -> None:
    """The example's two barcodes (an 11-digit China Post number and an RQ..CN one) swapped for Accepted parcels
    of China Post unregistered (0) and registered (1): one PDF_URL, whose PDF prints both."""
    ex = example(wp_doc, "Generate a Label")
    numbers = re.findall(r"<barcode>([^<]+)</barcode>", ex.request)
    ours = [parcels(wp, "accepted", channel)[0]["barcode"] for channel in ("0", "1")]
    assert len(numbers) == 2 and ours[0].isdigit() and len(ours[0]) == len(numbers[0]) and ours[1].endswith("CN")
    body = seeded(ex.request)
    for doc_number, number in zip(numbers, ours, strict=True):
        body = body.replace(f"<barcode>{doc_number}</barcode>", f"<barcode>{number}</barcode>")
    (want,) = doc_xml(ex.success)
    got = header_and_rest(post_xml(wp, "generate_label", body), "0")
    assert [shape(e) for e in got] == [shape(e) for e in header_and_rest(want, "0")]
    same_url_shape(want.findtext("PDF_URL") or "", got[0].text or "")
    text = label_text(wp, got[0].text or "")
    assert all(n in text for n in ours), text


def test_generate_label_unauthorized_example(wp: TestClient, wp_doc: str) -> None:
    ex = example(wp_doc, "Generate a Label")
    want = header_and_rest(doc_xml(ex.error)[0], "1")
    got = header_and_rest(post_xml(wp, "generate_label", ex.request), "1")
    assert [shape(e) for e in got] == [shape(e) for e in want] + [(ERROR_REF, frozenset(), True)]
    assert got[0].text == want[0].text == "Unauthorized Request"


# ---- tracking ------------------------------------------------------------------------------------------------------

def track_shape(track: Element) -> tuple[tuple[str, bool], ...]:
    assert not track.attrib and not texty(track)
    return tuple((c.tag, texty(c)) for c in track)


def tracking_request(request: str, numbers: list[str]) -> str:
    body = seeded(request)
    for doc_number, number in zip(re.findall(r"<barcode>([^<]+)</barcode>", request), numbers, strict=True):
        body = body.replace(f"<barcode>{doc_number}</barcode>", f"<barcode>{number}</barcode>")
    return body


def test_tracking_example(wp: TestClient, wp_doc: str) -> None:
    """The example's two barcodes swapped for a Shipping EPC parcel (its <tracks> has the last-mile attributes,
    as the doc's first) and an Accepted one (none yet, as the doc's second). Each <track> has the documented
    children: the plain shape, or the EPC warehouse scan's (31: lm_carrier, lm_tracking_id and the charge)."""
    ex = example(wp_doc, "Get tracking info")
    (want,) = doc_xml(ex.success)
    doc_tracks = header_and_rest(want, "0")
    ours = [parcels(wp, "shipping", "36-1")[0]["barcode"], parcels(wp, "accepted", "36-1")[0]["barcode"]]
    got = header_and_rest(post_xml(wp, "tracking", tracking_request(ex.request, ours)), "0")
    assert [t.tag for t in got] == [t.tag for t in doc_tracks] == ["tracks", "tracks"]
    assert [set(t.attrib) for t in got] == [set(t.attrib) for t in doc_tracks]
    assert [t.get("barcode") for t in got] == ours and not any(texty(t) for t in got)
    doc_shapes = {t.findtext("status_number"): track_shape(t) for d in doc_tracks for t in d}
    assert set(doc_shapes) == {"1", "31"}
    doc_desc = {t.findtext("status_number"): t.findtext("status_desc") for d in doc_tracks for t in d}
    seen = set()
    for track in (t for d in got for t in d):
        number = track.findtext("status_number") or ""
        charged = track.find("charge_status") is not None
        assert track_shape(track) == doc_shapes["31" if charged else "1"], (number, track_shape(track))
        assert number == "31" or not charged  # the charge comes with the EPC warehouse scan, as in the doc
        if number in doc_desc:  # the appendix's Chinese texts (<language>cn</language>)
            assert track.findtext("status_desc") == doc_desc[number]
        seen.add(track_shape(track))
    assert seen == set(doc_shapes.values())
    assert [t.findtext("status_number") for t in got[1]] == ["1"]


def too_many(request: str) -> str:
    """The example request with its first <track> repeated past the error example's limit (一次最多提交10个barcode)."""
    body = seeded(request)
    track = re.search(r"<track>.*?</track>", body)
    assert track
    return body.replace(track.group(0), track.group(0) * 11, 1)


def test_tracking_too_many_barcodes_example(wp: TestClient, wp_doc: str) -> None:
    ex = example(wp_doc, "Get tracking info")
    want = header_and_rest(doc_xml(ex.error)[0], "1")
    got = header_and_rest(post_xml(wp, "tracking", too_many(ex.request)), "1")
    assert [shape(e) for e in got] == [shape(e) for e in want] + [(ERROR_REF, frozenset(), True)]
    assert "10" in (got[0].text or "")


def test_tracking_too_many_barcodes_text(wp: TestClient, wp_doc: str) -> None:
    ex = example(wp_doc, "Get tracking info")
    want = header_and_rest(doc_xml(ex.error)[0], "1")
    got = header_and_rest(post_xml(wp, "tracking", too_many(ex.request)), "1")
    assert got[0].text == want[0].text == "一次最多提交10个barcode"


def test_tracking_unknown_barcode_example(wp: TestClient, wp_doc: str) -> None:
    """The second error example: an unknown barcode (WS000000141SH) is a childless <tracks> with an
    error_message attribute; status stays 0. A known one answers as in the success example (the error example's
    error_message="" on it disagrees with the success example, which has no such attribute)."""
    ex = example(wp_doc, "Get tracking info")
    doc_error = header_and_rest(doc_xml(ex.error)[1], "0")
    unknown = doc_error[0].get("barcode") or ""
    ours = parcels(wp, "accepted", "36-1")[0]["barcode"]
    got = header_and_rest(post_xml(wp, "tracking", tracking_request(ex.request, [unknown, ours])), "0")
    assert [t.tag for t in got] == ["tracks", "tracks"]
    assert got[0].attrib == doc_error[0].attrib == {"barcode": unknown, "error_message": "无此运单号"}
    assert len(got[0]) == len(doc_error[0]) == 0
    doc_known = header_and_rest(doc_xml(ex.success)[0], "0")[1]
    assert set(got[1].attrib) == set(doc_known.attrib) and got[1].get("barcode") == ours
    assert [track_shape(t) for t in got[1]] == [track_shape(doc_known[0])]
