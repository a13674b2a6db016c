"""Conformance: every example request of the docs' Product and Product Variation sections (plus auth_test,
/api/v3/oauth/test and get-currency-code), replayed as its curl sends it, answers with the keys and value
types of the docs' example response (tests/conformance/doc_examples.json, rules in conformance/shape.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from conformance.shape import compare

EXAMPLES_FILE = Path(__file__).parent / "conformance" / "doc_examples.json"
EXAMPLES: list[dict[str, Any]] = json.loads(EXAMPLES_FILE.read_text(encoding="utf-8"))["examples"]
BY_NAME = {e["name"]: e for e in EXAMPLES}

# Known deviations of mockwish from the docs' examples: name -> the exact mismatch compare() reports. Strict: once
# fixed the XPASS fails, and a different mismatch fails outright (see test_doc_example).
XFAIL: dict[str, str] = {}


def send(client: TestClient, method: str, path: str, params: dict[str, str]):  # noqa: ANN201 (httpx.Response)
    """As the docs' curl does: `-d` = POST with an urlencoded form, otherwise GET with a query string."""
    if method == "GET":
        return client.get(path, params=params)
    return client.post(path, data=params)


def value_at(body: Any, dotted: str) -> Any:
    for key in dotted.split("."):
        body = body[key]
    return body


def run_setup(client: TestClient, example: dict[str, Any]) -> None:
    for step in example.get("setup", []):
        if isinstance(step, str):  # an earlier example, with its own setup, that must succeed
            earlier = BY_NAME[step]
            run_setup(client, earlier)
            r = send(client, earlier["method"], earlier["path"], earlier["params"])
            assert r.status_code == 200 and r.json()["code"] == 0, (step, r.status_code, r.text)
        else:  # an extra call (the sandbox API takes JSON)
            if "json" in step:
                r = client.request(step["method"], step["path"], json=step["json"])
            else:
                r = send(client, step["method"], step["path"], step.get("params", {}))
            assert r.status_code == 200, (step, r.status_code, r.text)


def _param(example: dict[str, Any]) -> Any:
    marks = []
    if example["name"] in XFAIL:
        marks.append(pytest.mark.xfail(reason=XFAIL[example["name"]], strict=True, raises=AssertionError))
    return pytest.param(example, id=example["name"], marks=marks)


def test_examples_file_is_consistent() -> None:
    assert len(BY_NAME) == len(EXAMPLES), "example names must be unique"
    for e in EXAMPLES:
        assert e["method"] in ("GET", "POST") and e["path"].startswith("/api/"), e["name"]
        assert e["expected"]["code"] == 0 and "data" in e["expected"], e["name"]
        for step in e.get("setup", []):
            assert not isinstance(step, str) or EXAMPLES.index(BY_NAME[step]) < EXAMPLES.index(e), (e["name"], step)
        for dotted in e.get("same_values", []):
            value_at(e["expected"], dotted)
    assert set(XFAIL) <= set(BY_NAME)


@pytest.mark.parametrize("example", [_param(e) for e in EXAMPLES])
def test_doc_example(client: TestClient, example: dict[str, Any], record_property: Any) -> None:
    # Everything but the shape comparison fails through pytest.fail, which a known-mismatch xfail (raises=
    # AssertionError) does not absorb: an xfailed example fails only on its recorded mismatch.
    run_setup(client, example)
    r = send(client, example["method"], example["path"], example["params"])
    if r.status_code != 200 or r.json().get("code") != 0:
        pytest.fail(f"doc line {example['doc_line']}: HTTP {r.status_code}, expected 200 and code 0: {r.text}")
    body = r.json()
    for dotted in example.get("same_values", []):  # the documented state the setup was meant to reach
        if value_at(body, dotted) != value_at(example["expected"], dotted):
            pytest.fail(f"{dotted}: {value_at(body, dotted)!r}, the example shows "
                        f"{value_at(example['expected'], dotted)!r}")
    info: list[str] = []
    mismatches = compare(example["expected"], body, info)
    record_property("extra_keys", info)
    found = "; ".join(mismatches)
    known = XFAIL.get(example["name"])
    if known is not None and mismatches and found != known:
        pytest.fail(f"known mismatch changed: expected {known!r}, got {found!r}")
    assert mismatches == [], f"doc line {example['doc_line']}: {found}"


def test_shape_rules() -> None:
    expected = {"code": 0, "data": [{"id": "x", "n": "1", "ok": True, "tags": [{"Tag": {"id": "a"}}], "note": None}],
                "paging": {"next": "u", "previous": "v"}}
    actual = {"code": 0, "data": [{"id": "y", "n": "2", "ok": False, "tags": [], "note": "text", "more": 1},
                                  {"id": "z", "n": 3, "tags": [{"Tag": {"id": 5}}], "note": None}],
              "paging": {"next": "w", "previous": "t"}, "message": ""}
    info: list[str] = []
    assert compare(expected, actual, info) == [
        "data[1].n: expected string, got number (3)",
        "data[1].ok: missing key (expected bool)",
        "data[1].tags[0].Tag.id: expected string, got number (5)",
    ]
    assert info == ["data[*].tags: empty list, element shape not checked", "data[*].more: extra key (number)",
                    "message: extra key (string)"]
    # the back link is compared by name: the docs' examples say `previous`, and `prev` is not taken for it
    back_only: list[str] = []
    assert compare({"paging": {"previous": "a", "next": "b"}}, {"paging": {"prev": "c"}}, back_only) == [
        "paging.previous: missing key", "paging.next: missing key"]
    assert back_only == ["paging.prev: extra key"]
    assert compare({"a": None}, {"a": 1}) == ["a: expected null or string, got number (1)"]
    assert compare([], {}) == ["<root>: expected list, got object ({})"]
