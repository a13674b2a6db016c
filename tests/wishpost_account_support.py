"""Helpers of the WishPost reference-table, account and announcement tests: the docs' example requests and
responses read from WP-DOC's text, and a structural comparison (same keys, same value types)."""

from __future__ import annotations

import re
from typing import Any
from xml.etree import ElementTree

import orjson
from starlette.testclient import TestClient
from wishpost_support import DEFAULT_WISHPOST_TOKEN, v3_order_fields, v3_order_xml

V3 = "/wishpost/api/v3"
TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")
_TRAILING = re.compile(r",\s*([\]}])")


def _json(text: str) -> Any:
    """One JSON value as WP-DOC prints it (its trailing commas and curly quotes mended)."""
    return orjson.loads(_TRAILING.sub(r"\1", text.replace("“", '"').replace("”", '"')))


def _values(text: str) -> list[Any]:
    """The JSON objects printed one after another on a line (an Error Response may hold several)."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "{":
            if depth == 0:
                start = i
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                out.append(_json(text[start:i + 1]))
    return out


def doc_example(wp_doc: str, path: str) -> tuple[str, list[Any], list[Any]]:
    """(the Example Request text, the Success Response objects, the Error Response objects) of the WP-DOC
    section whose endpoint is `path` (/api/v3/...)."""
    start = wp_doc.index(f"API endpoint: https://www.wishpost.cn{path}\n")
    section = wp_doc[start:]
    end = section.find("API endpoint:", 20)
    section = section if end < 0 else section[:end]
    lines = section.splitlines()
    request = lines[lines.index("Example Request") + 1]
    success = lines[lines.index("Success Response") + 1]
    error = lines[lines.index("Error Response") + 1]
    return request, _values(success), _values(error)


def doc_request_body(request: str, token: str = DEFAULT_WISHPOST_TOKEN) -> dict[str, Any]:
    """The JSON body of an Example Request (its `Body:` part when headers are printed), token substituted."""
    text = request.split("Body:", 1)[1] if "Body:" in request else request
    body = _values(text)[0]
    assert isinstance(body, dict)
    if "access_token" in body:
        body["access_token"] = token
    return body


def same_shape(actual: Any, example: Any, where: str = "$", maps: tuple[str, ...] = ()) -> None:
    """`actual` has the example's keys and value types, recursively (a list: each element like the example's
    first; null in the example: null or a string, as WP-DOC's email is). A dict under a key named in `maps`
    is keyed by data (warehouse codes): string keys and values only."""
    if where.rsplit(".", 1)[-1] in maps:
        assert isinstance(actual, dict) and all(type(k) is str and type(v) is str for k, v in actual.items()), \
            (where, actual)
    elif example is None:
        assert actual is None or isinstance(actual, str), (where, actual)
    elif isinstance(example, dict):
        assert isinstance(actual, dict) and set(actual) == set(example), (where, set(actual) ^ set(example))
        for key, value in example.items():
            same_shape(actual[key], value, f"{where}.{key}", maps)
    elif isinstance(example, list):
        assert isinstance(actual, list), (where, actual)
        if example:
            for n, item in enumerate(actual):
                same_shape(item, example[0], f"{where}[{n}]", maps)
    else:
        assert type(actual) is type(example), (where, actual, example)


def v3_ok(r: Any, status: int = 200, code: int = 0) -> dict[str, Any]:
    """A v3 answer: HTTP status, the flat envelope (timestamp, message, integer code)."""
    assert r.status_code == status, (r.status_code, r.text[:500])
    assert r.headers["content-type"].startswith("application/json"), r.headers
    body = r.json()
    assert isinstance(body, dict) and type(body["code"]) is int and body["code"] == code, body
    assert TIMESTAMP.fullmatch(body["timestamp"]) and isinstance(body["message"], str), body
    return body


def post(client: TestClient, op: str, token: str = DEFAULT_WISHPOST_TOKEN, **body: Any) -> Any:
    return client.post(f"{V3}/{op}", json={"access_token": token, **body})


def book(client: TestClient, order_id: str, otype: str = "36-1", token: str = DEFAULT_WISHPOST_TOKEN,
         seed: int = 3) -> str:
    """create_order (v2 XML) of one parcel shipping Wish order `order_id` (Created: no review); its WOSP id."""
    r = client.post("/sandbox/api/wishpost/parcel-outcomes", json={"outcomes": ["created"]},
                    headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200, r.text
    fields, items = v3_order_fields("g1", otype=otype, seed=seed)
    items = [{**item, "wish_order_id": order_id} for item in items]
    r = client.post("/wishpost/api/v2/create_order", content=v3_order_xml(token, [(fields, items)]),
                    headers={"content-type": "text/xml"})
    root = ElementTree.fromstring(r.content)
    assert r.status_code == 200 and root.findtext("status") == "0", r.text
    return root.findtext("wish_standard_tracking_id") or ""
