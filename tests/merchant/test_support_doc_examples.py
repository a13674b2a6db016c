"""Conformance: every example request of the docs' Warehouse, Ticket, Announcements, Notifications, Infractions
and Wish Returns Program sections, replayed as its curl sends it, answers with the keys and value types of the
docs' example response (tests/conformance/support_doc_examples.json; shape rules in conformance/shape.py).

On top of shape.compare (same keys, same JSON types):
* entities the docs print in several forms (file-level `variants`: warehouses of each type, tickets, the Orders
  of each state, the replies of each sender, system-update features) are compared with the docs' element of
  their kind, from any example of the file; a kind the docs never show is held to the keys all of the docs'
  elements of that entity share;
* a list the docs show with items must not come back empty (nothing is silently left unchecked);
* where the docs print a timestamp, a date or a "True"/"False" string, the answer has one in the same format;
* values where the docs' value is not invented (success, code, message, the documented enums, the state a
  setup reached) are compared, and ids the request names come back (`echo`).

The docs' Wish Returns Program examples use 12-digit ids that no Wish id looks like: SUBSTITUTIONS, below, is the
one place where the test sends something else than the doc's curl, each with its reason."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest
from starlette.testclient import TestClient

from conformance.shape import PAGING, compare
from support import DEFAULT_TOKEN, freeze

EXAMPLES_FILE = Path(__file__).parents[1] / "conformance" / "support_doc_examples.json"
DATA: dict[str, Any] = json.loads(EXAMPLES_FILE.read_text(encoding="utf-8"))
EXAMPLES: list[dict[str, Any]] = DATA["examples"]
BY_NAME = {e["name"]: e for e in EXAMPLES}
VARIANTS: dict[str, dict[str, Any]] = DATA["variants"]
DOCS = Path(__file__).resolve().parents[3] / "shared" / "docs" / "wish-merchant-api-v2.txt"
SECTIONS = ("Warehouse", "Upload a Temporary Image")  # the sections' first heading, the next section's heading

# --- the documented exceptions: the only places the replay departs from the doc's curl ---------------------
PRODUCT, VARIATION, US_RETURN_WAREHOUSE = "product", "variation", "us_return_warehouse"
NOT_AN_ID = ("the doc's id is 12 digits, not a Wish id (24 hex digits): the mock answers it, like any malformed "
             "id, with the documented invalid-id error")
SUBSTITUTIONS: dict[str, dict[str, tuple[str, str]]] = {
    # example -> {param: (what replaces the doc's value, why)}
    "returns-set-product-logistics": {
        "id": (PRODUCT, NOT_AN_ID + "; a product of the default merchant that has variations"),
        "variation_id": (VARIATION, NOT_AN_ID + "; a variation of that product")},
    "returns-get-product-variation-dimensions": {
        "id": (PRODUCT, NOT_AN_ID + "; the product whose logistics the setup set"),
        "variation_id": (VARIATION, NOT_AN_ID + "; the variation whose logistics the setup set")},
    "returns-enroll-product-in-returns": {
        "warehouse_id": (US_RETURN_WAREHOUSE, NOT_AN_ID + "; a seeded US return warehouse whose address is valid "
                         "(enrolment needs one in the region)"),
        "id": (PRODUCT, NOT_AN_ID + "; the product whose variations all got logistics in the setup")},
    "returns-get-product-return-settings": {
        "id": (PRODUCT, NOT_AN_ID + "; the product the setup enrolled")},
    "returns-disable-return-setting-for-region": {
        "id": (PRODUCT, NOT_AN_ID + "; the product the setup enrolled")},
    "returns-edit-return-warehouse": {
        "warehouse_id": (US_RETURN_WAREHOUSE, NOT_AN_ID + "; a seeded return warehouse of the default merchant")},
}
# Setup the examples' own setup (earlier examples, by name) cannot say: example -> (what it does, why).
LOGISTICS_ON_EVERY_VARIATION = "set-product-logistics (the doc example's values) on every variation of the product"
EXTRA_SETUP: dict[str, tuple[str, str]] = {
    "returns-enroll-product-in-returns": (LOGISTICS_ON_EVERY_VARIATION, "enrolment needs logistics (dimensions and "
                                          "weight) on every variation: the doc's note and the issue's rule"),
}
# How the docs' Order objects inside tickets are read. The issue wants a ticket's items to be Order objects
# "rendered exactly as /order renders them" (test_doc_example checks that equality); the Ticket section's three
# Orders differ from that rendering in ways the Order object's own rules (supplement-merchant.md 3.1) explain:
ORDER_RENAMED: dict[str, tuple[str, str]] = {
    "sk": ("sku", "the Ticket section's Orders print 'sk' (all three) where the Order section's examples and "
                  "supplement 3.1 print 'sku' (always present): read as the same key"),
}
ORDER_OPTIONAL: dict[str, tuple[tuple[str, ...], str]] = {
    # the doc Order's state (or "*": every state) -> (keys the Order may lack, why)
    "*": (("color", "size", "ShippingDetail.street_address2", "ShippingDetail.city", "ShippingDetail.state",
           "ShippingDetail.zipcode", "ShippingDetail.phone_number"),
          "supplement 3.1: color and size only if the variant has them; a ShippingDetail's empty keys are omitted "
          "(the docs print one empty city)"),
    "REFUNDED": (("shipping_provider", "tracking_number", "shipped_date"),
                 "supplement 3.1: tracking keys only once shipped; a REFUNDED order may never have shipped (the "
                 "docs' second REFUNDED order has none)"),
}
# Known deviations of mockwish from the docs' examples: name -> the exact mismatch report. Strict, as in
# tests/test_doc_examples.py: once fixed the XPASS fails, and a different mismatch fails outright.
XFAIL: dict[str, str] = {}

# The page an example shows is full and has the links it shows: the setup makes sure there is enough to list,
# through the sandbox (one POST, JSON body, `count` more, a fixed seed: the same ones every run) until the
# listing endpoint holds `at_least` items.
ENSURE: dict[str, dict[str, Any]] = {
    "ticket-get-action-required": {"list": "/api/v2/ticket/get-action-required", "items": "data",
                                   "at_least": 23, "create": "/sandbox/api/tickets", "json": {"seed": 15}},
    "noti-fetch-unviewed": {"list": "/api/v2/noti/fetch-unviewed", "items": "data", "at_least": 23,
                            "create": "/sandbox/api/notifications", "json": {"seed": 15}},
    "get-infractions": {"list": "/api/v2/get/infractions", "items": "data.InfractionsResponse.infractions",
                        "at_least": 6, "create": "/sandbox/api/infractions", "json": {"state": "NEW", "seed": 15}},
}
# A count must be what the matching list holds: example -> (count path, list endpoint, items path).
CONSISTENT: dict[str, tuple[str, str, str]] = {
    "noti-get-unviewed-count": ("data.count", "/api/v2/noti/fetch-unviewed", "data"),
    "count-infractions": ("data.CountInfractionsResponse.count", "/api/v2/get/infractions",
                          "data.InfractionsResponse.infractions"),
}

TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
FORMATS = {"wish_id": re.compile(r"^[0-9a-f]{24}$"), "digits": re.compile(r"^[0-9]+$")}


# --- requests -----------------------------------------------------------------------------------------------
def send(client: TestClient, method: str, path: str, params: dict[str, str]) -> httpx.Response:
    """As the docs' curl does: `-d` = POST with an urlencoded form, otherwise GET with a query string."""
    if method == "GET":
        return client.get(path, params=params)
    return client.post(path, data=params)


def ok(r: httpx.Response, what: object) -> Any:
    if r.status_code != 200 or r.json().get("code") != 0:
        pytest.fail(f"{what}: HTTP {r.status_code}, expected 200 and code 0: {r.text[:2000]}")
    return r.json()


def value_at(body: Any, dotted: str) -> Any:
    for key in dotted.split("."):
        body = body[int(key)] if isinstance(body, list) else body[key]
    return body


def values_at(body: Any, pattern: str) -> list[Any]:
    """Every value at `pattern`, where `name[*]` goes through each item of a list."""
    found = [body]
    for part in pattern.split("."):
        key, each = (part[:-3], True) if part.endswith("[*]") else (part, False)
        found = [x[int(key)] if isinstance(x, list) else x[key] for x in found]
        if each:
            found = [item for x in found for item in x]
    return found


def list_all(client: TestClient, path: str, items: str, limit: int = 500) -> list[Any]:
    """Every item of a paged list (pages of `limit`, the endpoint's largest, then the next links' start)."""
    out: list[Any] = []
    start = 0
    while True:
        body = ok(client.get(path, params={"access_token": DEFAULT_TOKEN, "start": start, "limit": limit}), path)
        out += value_at(body, items)
        if not body.get("paging", {}).get("next"):
            return out
        start += limit


class Fixture:
    """The seeded fixture's real ids the SUBSTITUTIONS name, looked up through the API once per test."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.found: dict[str, str] = {}
        self.variations: list[str] = []

    def __getitem__(self, name: str) -> str:
        if name not in self.found:
            getattr(self, "_" + name)()
        return self.found[name]

    def _product(self) -> None:
        products = [p["Product"] for p in list_all(self.client, "/api/v2/product/multi-get", "data", 250)]
        with_variations = [p for p in products if p.get("variants")]
        if not with_variations:
            pytest.fail("the default merchant has no product with variations")
        for product in sorted(with_variations, key=lambda p: len(p["variants"])):  # the fewest to set logistics on
            settings = ok(self.client.get("/api/v2/returns/get-product-return-settings", params={
                "access_token": DEFAULT_TOKEN, "id": product["id"]}), "get-product-return-settings")["data"]
            if settings == []:  # not enrolled anywhere yet: its settings are then only what the examples do
                break
        else:
            pytest.fail("every product of the default merchant is enrolled in returns somewhere")
        self.found[PRODUCT] = product["id"]
        self.variations = [v["Variant"]["id"] for v in product["variants"]]
        self.found[VARIATION] = self.variations[0]

    def _variation(self) -> None:
        self._product()

    def _us_return_warehouse(self) -> None:
        body = ok(self.client.get("/api/v2/returns/get-all-warehouses", params={"access_token": DEFAULT_TOKEN}),
                  "returns/get-all-warehouses")
        valid = [w["MerchantReturnWarehouse"]["id"] for w in body["data"]
                 if w["MerchantReturnWarehouse"].get("region") == "US"
                 and str(w["MerchantReturnWarehouse"].get("address_valid_state", "")).startswith("VALID")]
        if not valid:
            pytest.fail(f"the default merchant has no valid US return warehouse: {body['data']}")
        self.found[US_RETURN_WAREHOUSE] = valid[0]


def params_of(example: dict[str, Any], fixture: Fixture) -> dict[str, str]:
    params = dict(example["params"])
    for name, (what, _why) in SUBSTITUTIONS.get(example["name"], {}).items():
        params[name] = fixture[what]
    return params


def run(client: TestClient, example: dict[str, Any], fixture: Fixture, sent: dict[str, dict[str, str]]
        ) -> httpx.Response:
    """The example's setup, then the example itself (whose answer is returned); `sent` records the params
    each example was sent with."""
    for step in example.get("setup", []):
        ok(run(client, BY_NAME[step], fixture, sent), f"setup {step}")
    name = example["name"]
    if name in EXTRA_SETUP:
        assert EXTRA_SETUP[name][0] == LOGISTICS_ON_EVERY_VARIATION
        logistics = BY_NAME["returns-set-product-logistics"]
        fixture[PRODUCT]
        for variation in fixture.variations:
            ok(send(client, logistics["method"], logistics["path"],
                    {**params_of(logistics, fixture), "variation_id": variation}), f"logistics of {variation}")
    if name in ENSURE:
        ensure(client, **ENSURE[name])
    params = sent[name] = params_of(example, fixture)
    return send(client, example["method"], example["path"], params)


def ensure(client: TestClient, *, list: str, items: str, at_least: int, create: str,  # noqa: A002
           json: dict[str, Any]) -> None:
    missing = at_least - len(list_all(client, list, items))
    if missing > 0:
        r = client.post(create, json={**json, "count": missing}, headers={"Authorization": f"Bearer {DEFAULT_TOKEN}"})
        assert r.status_code == 200, (create, r.status_code, r.text)
    assert len(list_all(client, list, items)) >= at_least, (list, "still too few after the sandbox made more")


# --- comparison ---------------------------------------------------------------------------------------------
def _wrapped(value: Any) -> str | None:
    """The entity name of a {"Name": {...}} the file's variants cover, else None."""
    if isinstance(value, dict) and len(value) == 1:
        (key, inner), = value.items()
        if key in VARIANTS and isinstance(inner, dict):
            return key
    return None


def _collect(value: Any, pool: dict[str, list[dict[str, Any]]]) -> None:
    name = _wrapped(value)
    if name is not None:
        pool[name].append(value[name])
    if isinstance(value, dict):
        for v in value.values():
            _collect(v, pool)
    elif isinstance(value, list):
        for v in value:
            _collect(v, pool)


def _common(items: list[dict[str, Any]]) -> dict[str, Any]:
    """The keys every item has (recursively for objects): what a kind the docs never print is held to."""
    keys = [k for k in items[0] if all(k in i for i in items)]
    out = {}
    for k in keys:
        values = [i[k] for i in items]
        out[k] = _common(values) if all(isinstance(v, dict) for v in values) else values[0]
    return out


def read_doc_order(order: dict[str, Any]) -> dict[str, Any]:
    """A docs' Order as ORDER_RENAMED and ORDER_OPTIONAL read it."""
    out = {ORDER_RENAMED.get(k, (k, ""))[0]: v for k, v in order.items()}
    for state in ("*", order.get("state", "")):
        for key in ORDER_OPTIONAL.get(state, ((), ""))[0]:
            parent, _, leaf = key.rpartition(".")
            holder = out.get(parent) if parent else out
            if isinstance(holder, dict):
                if parent:
                    holder = out[parent] = dict(holder)
                holder.pop(leaf, None)
    return out


POOL: dict[str, list[dict[str, Any]]] = {name: [] for name in VARIANTS}
for _example in EXAMPLES:
    _collect(_example["expected"], POOL)
POOL["Order"] = [read_doc_order(o) for o in POOL["Order"]]


def _has_variant(value: Any) -> bool:
    if _wrapped(value) is not None:
        return True
    if isinstance(value, dict):
        return any(_has_variant(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_variant(v) for v in value[:1])
    return False


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _at(path: str, line: str) -> str:
    """A report line of compare() (relative to a sub-tree) moved to the sub-tree's `path`."""
    if line.startswith("<root>"):
        return (path or "<root>") + line[len("<root>"):]
    if not path:
        return line
    return f"{path}{'' if line.startswith('[') else '.'}{line}"


def _formats(expected: Any, actual: Any, path: str) -> list[str]:
    """Timestamps, dates and "True"/"False" strings where the docs print them."""
    out: list[str] = []
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key, value in expected.items():
            if key in actual and key != "paging":
                out += _formats(value, actual[key], _join(path, key))
    elif isinstance(expected, list) and isinstance(actual, list) and expected:
        for i, item in enumerate(actual):
            out += _formats(expected[0], item, f"{path}[{i}]")
    elif isinstance(expected, str) and isinstance(actual, str):
        for pattern, kind in ((TIMESTAMP, "a YYYY-MM-DDTHH:MM:SS timestamp"), (DATE, "a YYYY-MM-DD date")):
            if pattern.match(expected) and not pattern.match(actual):
                out.append(f"{path}: expected {kind} as the docs print, got {actual!r}")
        if expected in ("True", "False") and actual not in ("True", "False"):
            out.append(f"{path}: expected 'True' or 'False' as the docs print, got {actual!r}")
    return out


def conform(expected: Any, actual: Any, path: str = "") -> list[str]:
    """Mismatches of `actual` against the docs' `expected` (see the module's docstring)."""
    name = _wrapped(expected)
    if name is not None:
        return _variant(name, actual, path)
    if _has_variant(expected) and type(expected) is type(actual):
        out: list[str] = []
        if isinstance(expected, dict):
            for key, value in expected.items():
                where = _join(path, key)
                if key not in actual:
                    out.append(f"{where}: missing key")
                elif key == PAGING:  # compared by shape.py's paging rule (presence of the links only)
                    out += [_at(path, m) for m in compare({key: value}, {key: actual[key]})]
                else:
                    out += conform(value, actual[key], where)
        else:
            if expected and not actual:
                out.append(f"{path}: empty list, the docs show items")
            for i, item in enumerate(actual):
                out += conform(expected[0], item, f"{path}[{i}]")
        return out
    info: list[str] = []
    out = [_at(path, m) for m in compare(expected, actual, info)]
    out += [_at(path, i).replace("element shape not checked", "the docs show items") for i in info
            if i.endswith("empty list, element shape not checked")]
    return out + _formats(expected, actual, path)


def _variant(name: str, actual: Any, path: str) -> list[str]:
    """An entity the docs print in several forms: it must conform to one of the docs' of its kind."""
    if _wrapped(actual) != name:
        return [f"{path or '<root>'}: expected a {{'{name}': {{...}}}} object, got {str(actual)[:60]}"]
    inner = actual[name]
    rule = VARIANTS[name]
    by, same = rule.get("by"), rule.get("same", [])
    candidates = [c for c in POOL[name] if by is None or c.get(by) == inner.get(by)]
    if not candidates:  # a kind the docs never print: the keys every printed one has
        candidates = [_common(POOL[name])]
    tries = []
    for candidate in candidates:
        found = conform(candidate, inner, _join(path, name))
        found += [f"{_join(path, name)}.{k}: {inner.get(k)!r}, the docs print {candidate.get(k)!r} with {by} "
                  f"{inner.get(by)!r}" for k in same if inner.get(k) != candidate.get(k)]
        if not found:
            return []
        tries.append(found)
    return min(tries, key=len)


def check_values(example: dict[str, Any], body: Any, sent: dict[str, dict[str, str]]) -> list[str]:
    out = []
    for dotted in example.get("same_values", []):
        if value_at(body, dotted) != value_at(example["expected"], dotted):
            out.append(f"{dotted}: {value_at(body, dotted)!r}, the example shows "
                       f"{value_at(example['expected'], dotted)!r}")
    for dotted, param in example.get("echo", {}).items():
        source, key = (param[1:].split(".", 1) if param.startswith("@") else (example["name"], param))
        if value_at(body, dotted) != sent[source][key]:
            out.append(f"{dotted}: {value_at(body, dotted)!r}, the request named {sent[source][key]!r}")
    for dotted, least in example.get("min_items", {}).items():
        if len(value_at(body, dotted)) < least:
            out.append(f"{dotted}: {len(value_at(body, dotted))} items, the example's page holds {least}")
    for pattern, allowed in example.get("allowed_values", {}).items():
        values = values_at(body, pattern)
        if not values:
            out.append(f"{pattern}: no value to check")
        out += [f"{pattern}: {v!r} is not one of the documented {allowed}" for v in values if v not in allowed]
    for dotted, kind in example.get("formats", {}).items():
        value = value_at(body, dotted)
        if not isinstance(value, str) or not FORMATS[kind].match(value):
            out.append(f"{dotted}: {value!r} is not {kind}")
    return out


def embedded(client: TestClient, body: Any) -> list[str]:
    """Orders and products inside tickets are the merchant's own, rendered exactly as /order and /product do."""
    out = []
    for i, ticket in enumerate(body["data"] if isinstance(body["data"], list) else [body["data"]]):
        for order in ticket["Ticket"].get("items", []):
            oid = order["Order"]["order_id"]
            got = ok(client.get("/api/v2/order", params={"access_token": DEFAULT_TOKEN, "id": oid}), oid)["data"]
            if got != order:
                out.append(f"ticket {i}: Order {oid} differs from /order's: {order} != {got}")
        for product in ticket["Ticket"].get("products", []):
            pid = product["Product"]["id"]
            got = ok(client.get("/api/v2/product", params={"access_token": DEFAULT_TOKEN, "id": pid}), pid)["data"]
            if got != product:
                out.append(f"ticket {i}: Product {pid} differs from /product's: {product} != {got}")
    return out


def consistent(client: TestClient, name: str, body: Any) -> list[str]:
    if name not in CONSISTENT:
        return []
    count_path, path, items = CONSISTENT[name]
    listed = len(list_all(client, path, items))
    count = value_at(body, count_path)
    return [] if int(count) == listed else [f"{count_path}: {count!r}, but {path} lists {listed}"]


# --- tests --------------------------------------------------------------------------------------------------
def doc_curls() -> Iterator[tuple[int, str]]:
    """(line, curl) of every example request of the sections."""
    lines = DOCS.read_text(encoding="utf-8").split("\n")
    first = lines.index(SECTIONS[0]) + 1
    last = lines.index(SECTIONS[1], first) + 1
    for n in range(first, last):
        if lines[n - 1].startswith("> curl"):
            yield n, lines[n - 1]


def curl_request(curl: str) -> tuple[str, str, dict[str, str]]:
    """(method, path, params) of a docs curl, its '®ion' read as the '&region' it stands for."""
    curl = curl.replace("®ion", "&region")
    m = re.match(r'> curl "?(?P<url>[^" ]+)"?(?: -d "(?P<body>[^"]*)")?$', curl)
    assert m is not None, curl
    url = urlsplit(m["url"])
    if m["body"] is not None:
        return "POST", url.path, dict(parse_qsl(m["body"], keep_blank_values=True))
    return "GET", url.path, dict(parse_qsl(url.query, keep_blank_values=True))


def test_examples_file_is_consistent() -> None:
    assert len(BY_NAME) == len(EXAMPLES), "example names must be unique"
    curls = dict(doc_curls())
    assert sorted(e["doc_line"] for e in EXAMPLES) == sorted(curls), "one entry per example request"
    doc = DOCS.read_text(encoding="utf-8").split("\n")
    for e in EXAMPLES:
        name = e["name"]
        assert (e["method"], e["path"], e["params"]) == curl_request(curls[e["doc_line"]]), name
        assert doc[e["response_line"] - 1] == "Example Response" and e["response_line"] > e["doc_line"], name
        assert e["expected"]["code"] == 0 and "data" in e["expected"] and e["notes"], name
        for step in e.get("setup", []):
            assert EXAMPLES.index(BY_NAME[step]) < EXAMPLES.index(e), (name, step)
        for dotted in e.get("same_values", []):
            value_at(e["expected"], dotted)
        for dotted in [*e.get("echo", {}), *e.get("min_items", {}), *e.get("formats", {})]:
            value_at(e["expected"], dotted)
        for pattern, allowed in e.get("allowed_values", {}).items():  # the doc's own values are documented ones
            assert set(values_at(e["expected"], pattern)) <= set(allowed), (name, pattern)
        for param in SUBSTITUTIONS.get(name, {}):
            assert param in e["params"], (name, param)
    assert set(SUBSTITUTIONS) | set(EXTRA_SETUP) | set(XFAIL) | set(ENSURE) | set(CONSISTENT) <= set(BY_NAME)
    assert all(POOL[name] for name in VARIANTS), "each variant entity appears in the docs' examples"


def _param(example: dict[str, Any]) -> Any:
    marks = []
    if example["name"] in XFAIL:
        marks.append(pytest.mark.xfail(reason=XFAIL[example["name"]], strict=True, raises=AssertionError))
    return pytest.param(example, id=example["name"], marks=marks)


@pytest.mark.parametrize("example", [_param(e) for e in EXAMPLES])
def test_doc_example(client: TestClient, example: dict[str, Any], record_property: Callable[[str, Any], None]
                     ) -> None:
    freeze(client)  # the embedded Orders' countdown is read twice: on one instant
    sent: dict[str, dict[str, str]] = {}
    r = run(client, example, Fixture(client), sent)
    body = ok(r, f"doc line {example['doc_line']}")
    problems = check_values(example, body, sent) + consistent(client, example["name"], body)
    if example["path"].startswith("/api/v2/ticket") and "Ticket" in json.dumps(example["expected"]):
        problems += embedded(client, body)
    if problems:  # not the shape: a known-shape xfail (raises=AssertionError) does not absorb these
        pytest.fail(f"doc line {example['doc_line']}: " + "; ".join(problems))
    mismatches = conform(copy.deepcopy(example["expected"]), body)
    info: list[str] = []
    compare(example["expected"], body, info)
    record_property("extra_keys", info)
    found = "; ".join(mismatches)
    known = XFAIL.get(example["name"])
    if known is not None and mismatches and found != known:
        pytest.fail(f"known mismatch changed: expected {known!r}, got {found!r}")
    assert mismatches == [], f"doc line {example['doc_line']}: {found}"


def test_conform_rules() -> None:
    """The additions to shape.compare, on made-up answers."""
    reply_user = {"Reply": {"date": "2015-03-06T21:23:01", "image_urls": "[]", "message": "m", "sender": "user",
                            "translated_message": "m", "translated_message_zh": "m"}}
    reply_merchant = {"Reply": {"date": "2015-03-06T21:23:01", "image_urls": "[]", "message": "m",
                                "sender": "merchant"}}
    expected = {"data": {"replies": [reply_user]}}
    # a merchant reply without translations is the docs' own merchant reply
    assert conform(expected, {"data": {"replies": [reply_user, reply_merchant]}}) == []
    # a user reply must carry them; a sender the docs never show is held to the keys every reply has
    bare_user = {"Reply": {**reply_merchant["Reply"], "sender": "user"}}
    assert conform(expected, {"data": {"replies": [bare_user]}}) == [
        "data.replies[0].Reply.translated_message: missing key (expected string)",
        "data.replies[0].Reply.translated_message_zh: missing key (expected string)"]
    support = {"Reply": {**reply_merchant["Reply"], "sender": "wish support", "date": "2015-03-06"}}
    assert conform(expected, {"data": {"replies": [support]}}) == [
        "data.replies[0].Reply.date: expected a YYYY-MM-DDTHH:MM:SS timestamp as the docs print, got '2015-03-06'"]
    assert conform(expected, {"data": {"replies": []}}) == ["data.replies: empty list, the docs show items"]
    assert conform({"a": [{"b": "True"}]}, {"a": []}) == ["a: empty list, the docs show items"]
    assert conform({"a": {"b": "True"}}, {"a": {"b": "yes"}}) == [
        "a.b: expected 'True' or 'False' as the docs print, got 'yes'"]
    express = {"MerchantWarehouse": {"warehouse_type": "2", "warehouse_type_name": "STANDARD",
                                     "destination_countries": ["US"], "id": "x", "warehouse_unit_id": "u"}}
    assert conform([{"MerchantWarehouse": POOL["MerchantWarehouse"][0]}], [express]) == [
        "[0].MerchantWarehouse.warehouse_type_name: 'STANDARD', the docs print 'EXPRESS' with warehouse_type '2'"]
    assert values_at({"a": [{"b": [1, 2]}, {"b": [3]}]}, "a[*].b[*]") == [1, 2, 3]
    assert curl_request('> curl "https://x/api/v2/a?id=1®ion=US"') == ("GET", "/api/v2/a",
                                                                         {"id": "1", "region": "US"})
    assert curl_request('> curl https://x/api/v2/b -d "reply=some%20message&id=2"') == (
        "POST", "/api/v2/b", {"reply": "some message", "id": "2"})
