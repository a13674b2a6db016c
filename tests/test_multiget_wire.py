"""A multi-get page served from the merchant's book goes out as parts, never joined (mockwish.wire.parts): the
bytes on the wire, its headers included, are those of the page rendered whole; the journal records it, and a
transport fault cuts it, as before; HEAD and Content-Length are right; the deferred transport keeps a view of
bytes without copying it. In process (TestClient), then on a real server read over raw sockets."""

from __future__ import annotations

import asyncio
import json
import re
import socket
from collections.abc import Iterator
from typing import Any

import httpx
import orjson
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.testclient import TestClient

from mockwish.deferred_writes import DeferredWriteTransport
from mockwish.merchant.orders.book import ATTEMPT_EVERY
from mockwish.wire.parts import PartsResponse
from mockwish.wire.v2 import RawData, V2Result, ok_body, render, render_ok
from server_process import Server, module_server
from support import DEFAULT_TOKEN, Wish, freeze, on_store

MULTI_GET = "/api/v2/order/multi-get"
VARYING = (b"wish-request-id", b"wish-rate-limit-remaining", b"date")  # differ call by call, not by how it is made


# ---- the response --------------------------------------------------------------------------------------------

BOOK = b'{"Order":{"order_id":"a"}},{"Order":{"order_id":"b"}},{"Order":{"order_id":"c"}}'


@pytest.mark.parametrize(("status", "headers", "media_type"), [
    (200, None, "application/json"),
    (200, {"Wish-Rate-Limit-Remaining": "41"}, "application/json"),
    (429, {"Wish-Rate-Limit-Reset": "60", "X-Other": "1"}, "text/plain"),
    (204, None, "application/json"),
])
def test_a_parts_response_is_the_response_of_its_joined_body(status: int, headers: dict[str, str] | None,
                                                               media_type: str) -> None:
    parts = (b'{"code":0,"data":[', memoryview(BOOK)[27:53], b"]}")
    made = PartsResponse(parts, status, headers, media_type)
    whole = Response(b"".join(parts), status, headers, media_type)
    assert made.raw_headers == whole.raw_headers
    assert made.body == whole.body and made.length == len(whole.body)
    assert made.head(5) == whole.body[:5] and made.head(10_000) == whole.body and made.head(0) == b""


def test_render_ok_of_raw_data_is_the_envelope_rendered_whole() -> None:
    paging = {"next": "http://h/api/v2/order/multi-get?start=2&limit=1&access_token=t&x=%E2%82%AC",
              "previous": "http://h/api/v2/order/multi-get?start=0&limit=1&access_token=t"}
    headers = {"Wish-Rate-Limit-Remaining": "7"}
    for data in ((b"[", memoryview(BOOK)[27:53], b"]"), (b"[]",), (b"[", memoryview(BOOK), b"]")):
        raw = V2Result(RawData(data), "", paging)
        parsed = V2Result(orjson.loads(b"".join(data)), "", paging)
        made, whole = render_ok(raw, "json", headers), render(ok_body(parsed), "json", headers=headers)
        assert isinstance(made, PartsResponse) and len(made.parts) <= 3  # "[" and "]" go with the head and tail
        assert made.body == whole.body and made.raw_headers == whole.raw_headers


def test_head_and_get_of_a_parts_response() -> None:
    parts = (b'{"code":0,"data":[', memoryview(BOOK), b"]}")

    async def page(request: Request) -> Response:
        return PartsResponse(parts)

    with TestClient(Starlette(routes=[Route("/p", page, methods=["GET", "HEAD"])])) as client:
        got, head = client.get("/p"), client.head("/p")
    body = b"".join(parts)
    assert got.content == body and got.headers["content-length"] == str(len(body))
    assert head.status_code == 200 and head.content == b"" and head.headers["content-length"] == str(len(body))


def test_the_deferred_transport_keeps_a_view_of_bytes_and_copies_one_of_a_bytearray() -> None:
    kept: list[Any] = []  # what reaches the socket, as it is handed over

    class Sink(asyncio.Transport):
        def writelines(self, list_of_data: Any) -> None:
            kept.extend(list_of_data)

        def is_closing(self) -> bool:
            return False

    async def body() -> None:
        t = DeferredWriteTransport(Sink(), asyncio.get_running_loop())
        text, buffer = b"0123456789", bytearray(b"abcdef")
        view = memoryview(text)[2:5]
        t.write(b"head")
        t.write(view)
        t.write(memoryview(buffer)[1:3])
        buffer[1:3] = b"XY"  # a server may reuse its buffer once write returns
        await asyncio.sleep(0)
        assert kept[1] is view and bytes(kept[1]) == b"234"
        assert type(kept[2]) is bytes and kept[2] == b"bc"
    asyncio.run(body())


# ---- in process: the app -----------------------------------------------------------------------------------

def _answer(r: httpx.Response) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    return r.status_code, [(k, v) for k, v in r.headers.raw if k.lower() not in VARYING], r.content


def _book_made(client: TestClient, wish: Wish) -> bool:
    cache = client.app.state.ctx.read_cache  # type: ignore[attr-defined]
    merchant = wish.ok("auth_test")["merchant_id"]
    on_store(client, cache.sync)
    return cache.get(("order-book", merchant, False)) is not None


def test_pages_from_the_book_are_the_pages_rendered_whole(client: TestClient, wish: Wish) -> None:
    freeze(client)
    calls: list[tuple[str, str, dict[str, Any]]] = [
        (MULTI_GET, "GET", {"start": 0, "limit": 7}),
        (MULTI_GET, "GET", {"start": 3, "limit": 50, "extra": "a b", "z": "€"}),
        (MULTI_GET, "GET", {"start": 0, "limit": 500}),
        (MULTI_GET, "GET", {"start": 100_000, "limit": 5}),
        ("/v2/order/multi-get", "POST", {"start": 2, "limit": 3}),
    ]
    for path, method, params in calls:
        assert wish.call(path, method, **params).status_code == 200  # every order rendered and cached
    before = [_answer(wish.call(path, method, **params)) for path, method, params in calls]
    assert not _book_made(client, wish)
    for _ in range(ATTEMPT_EVERY):
        wish.ok(MULTI_GET, "GET", start=0, limit=1)
    assert _book_made(client, wish)
    after = [_answer(wish.call(path, method, **params)) for path, method, params in calls]
    assert after == before
    for _, headers, body in after:
        assert (b"content-length", str(len(body)).encode()) in headers
    # XML and errors never come from the book: whole answers, framed as before
    xml = wish.call(MULTI_GET, "GET", start=0, limit=7, format="xml")
    assert xml.status_code == 200 and xml.content.startswith(b"<?xml")
    assert xml.headers["content-type"] == "application/xml"
    assert int(xml.headers["content-length"]) == len(xml.content)
    bad = wish.call(MULTI_GET, "GET", start=0, limit=1000)
    assert bad.status_code == 400 and bad.json()["code"] == 1000
    assert int(bad.headers["content-length"]) == len(bad.content)


def test_a_book_page_is_journaled_with_its_code(client: TestClient, wish: Wish) -> None:
    freeze(client)
    for _ in range(ATTEMPT_EVERY + 2):
        wish.ok(MULTI_GET, "GET", start=0, limit=500)
    assert _book_made(client, wish)
    assert client.delete("/sandbox/api/requests").status_code == 200
    r = wish.call(MULTI_GET, "GET", start=1, limit=5)
    rid = r.headers["wish-request-id"]
    malformed = wish.client.get(MULTI_GET, params={"start": 1, "limit": 5, "access_token": DEFAULT_TOKEN},
                                headers={"Mockwish-Fault": "fault=malformed"})
    assert malformed.content == r.content[: len(r.content) // 2]
    assert int(malformed.headers["content-length"]) == len(r.content) // 2
    listed = {e["request_id"]: e for e in client.get("/sandbox/api/requests").json()["requests"]}
    assert listed[rid]["status"] == 200 and listed[rid]["code"] == 0 and listed[rid]["fault"] is None
    cut = listed[malformed.headers["wish-request-id"]]
    assert cut["code"] == 0 and cut["fault"] == {"source": "header", "fault": "malformed"}


# ---- a real server: the bytes on the wire ------------------------------------------------------------------

@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from module_server(tmp_path_factory, "multiget-wire")


def raw(server: Server, query: str, fault: str | None = None) -> tuple[bytes, bytes]:
    """(status line and headers, body) of one GET on a connection of its own, read until the server closes
    it or the answer is complete."""
    extra = f"Mockwish-Fault: {fault}\r\n" if fault else ""
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(f"GET {MULTI_GET}?{query}&access_token={DEFAULT_TOKEN} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     f"{extra}\r\n".encode())
        got = b""
        while True:
            head, sep, body = got.partition(b"\r\n\r\n")
            length = re.search(rb"(?i)content-length: (\d+)", head) if sep else None
            if length is not None and len(body) >= int(length[1]):
                return head, body
            chunk = sock.recv(1 << 20)
            if not chunk:
                return head, body
            got += chunk


def _headers(head: bytes) -> list[bytes]:
    return [line for line in head.split(b"\r\n") if not line.lower().startswith(VARYING)]


def test_on_the_wire_a_book_page_and_its_faults(server: Server) -> None:
    def call(method: str, path: str, **body: Any) -> Any:
        r = httpx.request(method, server.base + path, timeout=60, headers={"Authorization": f"Bearer {DEFAULT_TOKEN}"},
                          **({"params": body} if method == "GET" else {"json": body}))
        assert r.status_code == 200, r.text
        return r.json()

    call("POST", "/sandbox/api/clock", freeze=True)
    call("POST", "/sandbox/api/transactions", count=300)
    pages = ["start=0&limit=100", "start=150&limit=100", "start=290&limit=100&x=%E2%82%AC"]
    for q in ["start=0&limit=500", *pages]:
        raw(server, q)  # every order rendered and cached
    before = [raw(server, q) for q in pages]
    for _ in range(ATTEMPT_EVERY + 1):
        raw(server, "start=0&limit=1")
    after = [raw(server, q) for q in pages]
    for (h1, b1), (h2, b2) in zip(before, after, strict=True):
        assert _headers(h1) == _headers(h2) and b1 == b2
        assert len(json.loads(b2)["data"]) >= 10
    call("DELETE", "/sandbox/api/requests")
    head, body = after[1]
    for kind in ("malformed", "truncate", "drop"):
        got_head, got = raw(server, pages[1], f"fault={kind}")
        assert got == (b"" if kind == "drop" else body[: len(body) // 2]), kind
        length = len(body) // 2 if kind == "malformed" else len(body)
        assert re.search(rb"(?i)content-length: (\d+)", got_head)[1] == str(length).encode()  # type: ignore[index]
    journal = call("GET", "/sandbox/api/requests", limit=10)["requests"]
    codes = {e["fault"]["fault"]: (e["status"], e["code"]) for e in journal if e["fault"]}
    assert codes == {"malformed": (200, 0), "truncate": (200, 0), "drop": (200, None)}
