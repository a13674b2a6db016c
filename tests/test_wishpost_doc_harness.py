"""The harness of the WishPost docs: every v3 example request of wishpost-api.txt, cut from the doc at test
time and sent as the docs write it, with only the host and the credentials changed (the seeded user's token,
or the seeded carrier's key where the docs show `X-API-Key`), answers code 0 or an error the docs document
for it: an error example's `code` or a `code=N` of its section's response table (the orders_bag sections'
table holds for the whole family), or the general InvalidParam / MissingParam of wishpost-v3-api-3.0.6. Ids
in the examples name nothing in the mock, so most answers are "not found" in the operation's own way; that
is the point: a client written from the docs gets a well-formed answer from every operation, never a 404
route, a 500 or a shape the docs do not show. The per-operation example tests compare whole answers with
existing ids."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from starlette.testclient import TestClient
from wishpost_support import DEFAULT_WISHPOST_TOKEN, DOCS, bearer, read_doc

from mockwish.errors import message

CARRIER_KEY = "an_example_carrier_key"
ENDPOINT = re.compile(r"^API endpoint: https://www\.wishpost\.cn(/api/v3/\S+)", re.M)
DOC_CODE = re.compile(r'"code":\s*(\d+)|code=(\d+)')
# wishpost-v3-api-3.0.6's General Error Codes every v3 call may answer: InvalidParam, MissingParam
GENERAL = frozenset({1000, 1001})
# the codes the orders_bag sections document for the whole family (1002: refused by business logic)
BAG_FAMILY = frozenset({1000, 1001, 1002})
# typography the docs' JSON carries that no client can send: a curly closing quote (orders_bag/create)
TYPOS = {"\u201d": '"', "\u201c": '"'}


@dataclass(frozen=True)
class Example:
    path: str
    method: str
    request: str
    codes: frozenset[int]  # the codes its section documents, 0 included
    section: str


def _examples(text: str) -> list[Example]:
    starts = [m for m in ENDPOINT.finditer(text)]
    out = []
    for n, m in enumerate(starts):
        section = text[m.start(): starts[n + 1].start() if n + 1 < len(starts) else len(text)]
        if "Example Request" not in section:
            continue
        method = re.search(r"^Method: (\w+)", section, re.M)
        request = section.split("Example Request", 1)[1].strip().split("\n", 1)[0]
        if request.lstrip().startswith("<"):  # an XML (v2) example under a v3 heading: not this harness's
            continue
        codes = {0, *GENERAL, *(int(a or b) for a, b in DOC_CODE.findall(section))}
        if "/orders_bag" in m.group(1):
            codes |= BAG_FAMILY
        out.append(Example(m.group(1), method.group(1) if method else "POST", request, frozenset(codes), section))
    return out


def _json(text: str) -> object:
    for typo, fixed in TYPOS.items():
        text = text.replace(typo, fixed)
    return json.loads(text)


def _requests(example: Example) -> list[tuple[str, str, dict[str, str], object | None]]:
    """(method, url, headers, json body) of each way the example is written."""
    text = example.request
    if text.startswith("{"):
        body = _json(text)
        assert isinstance(body, dict)
        return [("POST", "/wishpost" + example.path, {}, {**body, "access_token": DEFAULT_WISHPOST_TOKEN})]
    out = []
    ways = []
    if "X-API-Key" in text:
        ways.append({"X-API-Key": CARRIER_KEY})
    if "Authorization:Bearer" in text or "Authorization: Bearer" in text or not ways:
        ways.append(bearer(DEFAULT_WISHPOST_TOKEN))
    if "Body:" in text:
        body = _json(text.split("Body:", 1)[1].strip())
        if isinstance(body, dict) and "access_token" in body:
            body = {**body, "access_token": DEFAULT_WISHPOST_TOKEN}
        for headers in ways:
            out.append((example.method, "/wishpost" + example.path, headers, body))
        return out
    for url in re.findall(r"GET (https://<hostname>\S+)", text):
        parts = urlsplit(url.replace("<access_token>", DEFAULT_WISHPOST_TOKEN))
        query = parts.query
        for headers in ways:
            sent = {} if "access_token=" in query else headers
            out.append(("GET", f"/wishpost{parts.path}?{query}", sent, None))
    assert out, f"no request could be read from the example of {example.path}"
    return out


def _collected() -> list[str]:
    """The example paths, read at collection (without the docs: none, and the test is skipped)."""
    path = DOCS / "wishpost-api.txt"
    return sorted({e.path for e in _examples(path.read_text(encoding="utf-8"))}) if path.is_file() else []


@pytest.fixture(scope="module")
def examples() -> dict[str, Example]:
    return {e.path: e for e in _examples(read_doc("wishpost-api.txt"))}


def test_every_v3_operation_of_the_docs_has_an_example(examples: dict[str, Example]) -> None:
    paths = set(examples)
    for path in ("/api/v3/order_status", "/api/v3/cancel_orders", "/api/v3/epc_warehouse_table",
                 "/api/v3/warehouse", "/api/v3/get_channels", "/api/v3/announcements", "/api/v3/scopes",
                 "/api/v3/account_info", "/api/v3/get_order_payment", "/api/v3/payment_statement/download",
                 "/api/v3/payment_statement/check-status", "/api/v3/orders_bag/create", "/api/v3/orders_bag",
                 "/api/v3/orders_bag/download_label", "/api/v3/orders_bag/cancel", "/api/v3/hub_warehouse_table",
                 "/api/v3/order/collection_option/confirm"):
        assert path in paths, path


@pytest.mark.parametrize("path", _collected())
def test_the_docs_example_answers_code_0_or_its_documented_error(client: TestClient, path: str,
                                                                 examples: dict[str, Example]) -> None:
    example = examples[path]
    for method, url, headers, body in _requests(example):
        r = client.request(method, url, headers=headers, json=body)
        mounted = "/wishpost" + example.path
        assert r.json().get("message") != message("wp_endpoint_not_found", path=mounted) if r.status_code == 404 \
            else True, f"{mounted} is not an operation of the mock"
        if r.headers["content-type"].startswith("application/pdf"):
            assert r.status_code == 200 and r.content.startswith(b"%PDF"), url
            continue
        answer = r.json()
        assert r.status_code < 500, (url, r.text)
        assert isinstance(answer, dict) and "timestamp" in answer, (url, answer)
        code, text = answer.get("code", 0), answer.get("message", "")
        assert isinstance(code, int), (url, answer)
        if path.endswith("check-status") and str(text).startswith("No such Job ["):
            continue  # supplement 6: the docs' example swaps the message and the (integer) code
        assert code in example.codes, (url, headers, answer, sorted(example.codes))
