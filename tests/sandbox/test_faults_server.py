"""Transport faults on a real server process (tests/server_process.py), where a broken answer is really broken
on the wire: `drop` (the status line and headers, then the connection closes), `truncate` (half the body, then
it closes) and `malformed` (a complete answer whose body stops halfway), on every surface, from a rule or from
the Mockwish-Fault header; and a client's retry loop that gets through once the faulted calls are spent."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from wishpost_support import DEFAULT_WISHPOST_TOKEN, bearer

from server_process import Server, module_server
from support import DEFAULT_TOKEN

FAULTS = "/sandbox/api/faults"


@dataclass(frozen=True)
class Call:
    name: str
    surface: str
    xml: bool
    method: str
    path: str
    params: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    content: bytes | None = None


WP_AUTH = bearer(DEFAULT_WISHPOST_TOKEN)
CALLS = [
    Call("merchant", "merchant", False, "GET", "/api/v2/auth_test", {"access_token": DEFAULT_TOKEN}),
    Call("merchant-xml", "merchant", True, "GET", "/api/v2/auth_test",
         {"access_token": DEFAULT_TOKEN, "format": "xml"}),
    Call("merchant-oauth", "merchant-oauth", False, "GET", "/api/v3/oauth/test",
         headers={"Authorization": f"Bearer {DEFAULT_TOKEN}"}),
    Call("wishpost", "wishpost", False, "GET", "/wishpost/api/v3/scopes", headers=WP_AUTH),
    Call("wishpost-xml", "wishpost-xml", True, "POST", "/wishpost/api/v2/auth_test",
         content=f"<root><access_token>{DEFAULT_WISHPOST_TOKEN}</access_token></root>".encode()),
    Call("wishpost-oauth", "wishpost-oauth", False, "GET", "/wishpost/api/v3/oauth/test", headers=WP_AUTH),
]
IDS = [c.name for c in CALLS]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from module_server(tmp_path_factory, "faults")


@pytest.fixture(autouse=True)
def no_rules(server: Server) -> Iterator[None]:
    yield
    assert httpx.delete(f"{server.base}{FAULTS}").status_code == 200


def send(server: Server, call: Call, headers: dict[str, str] | None = None) -> httpx.Response:
    """One request on a connection of its own (no pool: a broken connection is never reused)."""
    return httpx.request(call.method, server.base + call.path, params=call.params, content=call.content,
                         headers={**call.headers, **(headers or {})}, timeout=30)


def add(server: Server, **rule: Any) -> dict[str, Any]:
    r = httpx.post(f"{server.base}{FAULTS}", json=rule)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def fired(server: Server, rule: dict[str, Any]) -> int | None:
    """How often a rule fired (None once it is spent and gone)."""
    rules = {r["id"]: r for r in httpx.get(f"{server.base}{FAULTS}").json()["faults"]}
    return rules[rule["id"]]["fired"] if rule["id"] in rules else None


def parsed(call: Call, r: httpx.Response) -> Any:
    """The answer's document (raises when it does not parse)."""
    return ET.fromstring(r.content) if call.xml else json.loads(r.content)


def wish_code(call: Call, r: httpx.Response) -> int:
    doc = parsed(call, r)
    if not call.xml:
        return int(doc["code"])
    return int(doc.findtext("code") if doc.tag == "Response" else doc.findtext("status"))


@pytest.mark.parametrize("call", CALLS, ids=IDS)
@pytest.mark.parametrize("kind", ["drop", "truncate"])
def test_a_broken_connection(server: Server, call: Call, kind: str) -> None:
    whole = send(server, call)
    assert whole.status_code == 200 and wish_code(call, whole) == 0
    rule = add(server, surface=call.surface, fault=kind, times=1)
    with pytest.raises(httpx.RemoteProtocolError) as broken:
        send(server, call)
    assert isinstance(broken.value, httpx.TransportError)  # what a client's retry policy catches
    assert ("received 0 bytes" in str(broken.value)) == (kind == "drop"), str(broken.value)
    assert fired(server, rule) is None  # spent
    after = send(server, call)
    assert after.status_code == 200 and wish_code(call, after) == 0


@pytest.mark.parametrize("call", CALLS, ids=IDS)
def test_a_malformed_body(server: Server, call: Call) -> None:
    whole = send(server, call)
    rule = add(server, surface=call.surface, fault="malformed")
    for _ in range(2):
        r = send(server, call)
        assert r.status_code == 200 and int(r.headers["content-length"]) == len(r.content)
        assert r.headers["content-type"] == whole.headers["content-type"]
        with pytest.raises((ValueError, ET.ParseError)):
            parsed(call, r)
    assert fired(server, rule) == 2


@pytest.mark.parametrize("kind", ["drop", "truncate", "malformed"])
def test_the_header_breaks_its_own_request_only(server: Server, kind: str) -> None:
    for call in CALLS:
        if kind == "malformed":
            with pytest.raises((ValueError, ET.ParseError)):
                parsed(call, send(server, call, {"Mockwish-Fault": f"fault={kind}"}))
        else:
            with pytest.raises(httpx.RemoteProtocolError):
                send(server, call, {"Mockwish-Fault": f"fault={kind}"})
        assert wish_code(call, send(server, call)) == 0, call.name


def test_a_clients_retry_gets_through_after_the_broken_calls(server: Server) -> None:
    """A client retrying on transport errors and 5xx: two drops, a truncated answer and a 503 later it has its
    answer, on the Merchant API and on WishPost."""
    add(server, path="/api/v2/auth_test", fault="drop", times=2)
    add(server, surface="wishpost", fault="truncate", times=1)
    add(server, surface="wishpost", status=503, times=1)
    for call, expected_tries in ((CALLS[0], 3), (CALLS[3], 3)):
        tries: list[str] = []
        answer = None
        for _ in range(6):
            try:
                r = send(server, call)
            except httpx.TransportError as exc:
                tries.append(type(exc).__name__)
                continue
            tries.append(str(r.status_code))
            if r.status_code < 500:
                answer = r
                break
        assert answer is not None and wish_code(call, answer) == 0, tries
        assert len(tries) == expected_tries, tries
    assert httpx.get(f"{server.base}{FAULTS}").json()["faults"] == []


def test_an_error_with_a_break(server: Server) -> None:
    """code and fault together: the Wish error's answer, cut."""
    add(server, path="/api/v2/auth_test", code=1056, fault="malformed", times=1)
    r = send(server, CALLS[0])
    whole = b'{"code":1056,"data":{},"message":"Too many requests."}'
    assert r.status_code == 429 and r.content == whole[: len(whole) // 2]


def test_a_status_on_the_wire(server: Server) -> None:
    add(server, surface="wishpost-xml", status=502, times=1)
    r = send(server, CALLS[4])
    assert (r.status_code, r.text, r.headers["content-type"].split(";")[0]) == (502, "502 Bad Gateway", "text/plain")


def test_a_dropped_answer_after_a_write(server: Server) -> None:
    """A transport break loses the answer, not the work: the write is done (a client that retries blindly
    writes twice, which is what this fault is for)."""
    params = {"access_token": DEFAULT_TOKEN, "sku": "blue-shoe-11"}
    add(server, path="/api/v2/variant/update-inventory", fault="drop", times=1)
    with pytest.raises(httpx.RemoteProtocolError):
        httpx.post(f"{server.base}/api/v2/variant/update-inventory", data={**params, "inventory": "42"})
    read = httpx.get(f"{server.base}/api/v2/variant", params=params).json()
    assert read["data"]["Variant"]["inventory"] == "42"
