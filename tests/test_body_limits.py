"""Body limits on every surface (issue #11, items 4 and 6): a chunked body is refused as soon as it passes
max_body_bytes, without reading the rest; a declared Content-Length over the limit is refused before any
of it is read; and a client that disconnects mid-body is one debug line, never a logged error."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from xml.etree import ElementTree

import httpx
import pytest
from fastapi import FastAPI
from starlette.testclient import TestClient
from starlette.types import Message
from wishpost_support import DEFAULT_WISHPOST_TOKEN

from mockwish.app import create_app
from mockwish.config import Settings
from mockwish.errors import message
from support import DEFAULT_TOKEN

LIMIT = 1024
CHUNK = 256
CHUNKS = 1000  # 256,000 bytes offered, 250 times the limit
MOST_READ = LIMIT // CHUNK + 1  # the chunk that passes the limit is the last one read

V2 = ("/api/v2/auth_test", "application/x-www-form-urlencoded")
V3 = ("/wishpost/api/v3/oauth/test", "application/json")
XML = ("/wishpost/api/v2/auth_test", "application/xml")


@pytest.fixture(scope="module")
def small_app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    data: Path = tmp_path_factory.mktemp("body-limits")
    return create_app(Settings(data_dir=data, products_per_merchant=5, max_body_bytes=LIMIT))


class Offered:
    """An async body (httpx sends it chunked: no Content-Length) that counts the chunks it was asked for."""

    def __init__(self, first: bytes = b"a=") -> None:
        self.first = first
        self.yielded = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for i in range(CHUNKS):
            self.yielded += 1
            yield (self.first + b"x" * (CHUNK - len(self.first))) if i == 0 else b"x" * CHUNK


def post(app: FastAPI, path: str, ctype: str, body: Offered, **headers: str) -> httpx.Response:
    async def go() -> httpx.Response:
        # httpx's ASGI transport hands the app one chunk per receive(), pulled lazily from the body; the
        # TestClient would read the whole generator before calling the app
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as ac:
            return await ac.post(path, content=body, headers={"Content-Type": ctype, **headers})
    return asyncio.run(go())


def _xml(r: httpx.Response) -> dict[str, str]:
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/xml"), r.text
    return {child.tag: child.text or "" for child in ElementTree.fromstring(r.content)}


# ---- chunked bodies past the limit ----------------------------------------------------------------------

def test_merchant_v2_stops_reading_a_chunked_body_at_the_limit(small_app: FastAPI) -> None:
    body = Offered()
    r = post(small_app, *V2, body)
    assert "content-length" not in r.request.headers and r.request.headers["transfer-encoding"] == "chunked"
    assert r.status_code == 413 and r.json() == {"code": 1000, "data": {},
                                                 "message": message("body_too_large", limit=LIMIT)}
    assert body.yielded <= MOST_READ


def test_merchant_v2_multipart_is_limited_too(small_app: FastAPI) -> None:
    body = Offered(b"--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n")
    r = post(small_app, V2[0], "multipart/form-data; boundary=b", body)
    assert r.status_code == 413 and r.json()["code"] == 1000
    assert body.yielded <= MOST_READ


def test_wishpost_v3_stops_reading_a_chunked_body_at_the_limit(small_app: FastAPI) -> None:
    body = Offered(b'{"a": "')
    r = post(small_app, *V3, body)
    assert r.status_code == 413 and r.json()["code"] == 1101
    assert r.json()["message"] == message("wp_body_too_large", limit=LIMIT)
    assert body.yielded <= MOST_READ


def test_wishpost_xml_stops_reading_a_chunked_body_at_the_limit(small_app: FastAPI) -> None:
    body = Offered(b"<root><access_token>")
    got = _xml(post(small_app, *XML, body))
    assert got["status"] == "1101" and got["error_message"] == message("wp_body_too_large", limit=LIMIT)
    assert body.yielded <= MOST_READ


@pytest.mark.parametrize(("path", "ctype"), [V2, V3, XML])
def test_a_declared_length_over_the_limit_is_refused_unread(small_app: FastAPI, path: str, ctype: str) -> None:
    body = Offered()
    r = post(small_app, path, ctype, body, **{"Content-Length": str(CHUNK * CHUNKS)})
    assert body.yielded == 0
    assert r.status_code in (200, 413) and str(LIMIT) in r.text


# ---- bodies within the limit are still read (and replayed to the form parser) ----------------------------

def test_bodies_within_the_limit_still_work(small_app: FastAPI) -> None:
    with TestClient(small_app) as c:
        r = c.post("/api/v2/auth_test", files={"access_token": (None, DEFAULT_TOKEN)})  # multipart
        assert r.status_code == 200 and r.json()["code"] == 0, r.text
        r = c.post("/api/v2/auth_test", data={"access_token": DEFAULT_TOKEN})
        assert r.status_code == 200 and r.json()["code"] == 0, r.text
        r = c.post("/wishpost/api/v2/auth_test",
                   content=f"<root><access_token>{DEFAULT_WISHPOST_TOKEN}</access_token></root>")
        assert _xml(r)["status"] == "0"
        r = c.post("/wishpost/api/v2/auth_test", data={"access_token": DEFAULT_WISHPOST_TOKEN})  # curl users' form
        assert _xml(r)["status"] == "0"


# ---- a client that leaves mid-body -------------------------------------------------------------------------

def _disconnecting_call(app: FastAPI, path: str, ctype: str) -> list[Message]:
    """Call the app (its pipeline through the dispatcher) with a receive that sends part of a body, then
    reports the client gone, as uvicorn does when the connection drops."""
    incoming: list[Message] = [{"type": "http.request", "body": b"access_token=abc", "more_body": True},
                               {"type": "http.disconnect"}]
    sent: list[Message] = []

    async def receive() -> Message:
        return incoming.pop(0) if incoming else {"type": "http.disconnect"}

    async def send(msg: Message) -> None:
        sent.append(msg)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
             "headers": [(b"host", b"localhost"), (b"content-type", ctype.encode()),
                         (b"transfer-encoding", b"chunked")],
             "server": ("localhost", 8000), "client": ("127.0.0.1", 50000)}
    asyncio.run(app(scope, receive, send))
    return sent


@pytest.mark.parametrize(("path", "ctype"), [V2, V3, XML])
def test_a_disconnect_mid_body_is_one_debug_line(small_app: FastAPI, caplog: pytest.LogCaptureFixture,
                                                 path: str, ctype: str) -> None:
    caplog.set_level(logging.DEBUG, logger="mockwish")
    _disconnecting_call(small_app, path, ctype)
    assert [r for r in caplog.records if r.levelno >= logging.WARNING or r.exc_info] == []
    lines = [r for r in caplog.records if r.name == "mockwish"]
    assert len(lines) == 1 and lines[0].levelno == logging.DEBUG, [r.getMessage() for r in lines]
    assert "disconnected" in lines[0].getMessage() and path in lines[0].getMessage()


def test_a_disconnect_on_a_sandbox_route_logs_no_error(small_app: FastAPI, caplog: pytest.LogCaptureFixture) -> None:
    # FastAPI reads this route's JSON body itself and turns the disconnect into a 400
    caplog.set_level(logging.DEBUG)
    _disconnecting_call(small_app, "/sandbox/api/wishpost/apps", "application/json")
    assert [r for r in caplog.records if r.levelno >= logging.WARNING or r.exc_info] == []


@pytest.mark.parametrize("path", ["/sandbox/api/transactions", "/sandbox/api/seed", "/v3/oauth/authorize"])
def test_routes_that_fastapi_reads_are_limited_too(small_app: FastAPI, path: str) -> None:
    """The sandbox and the authorize page read their bodies through FastAPI, which knows no limit: the
    dispatcher reads it first, never past the limit."""
    body = Offered(b'{"count": 1')

    async def go() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=small_app), base_url="http://localhost") as ac:
            return await ac.post(path, content=body, headers={"Content-Type": "application/json"})
    r = asyncio.run(go())
    assert r.status_code == 413 and r.json()["message"] == message("body_too_large", limit=LIMIT)
    assert body.yielded <= MOST_READ
    with TestClient(small_app, base_url="http://localhost") as c:  # a body within the limit still arrives whole
        r = c.post("/sandbox/api/transactions", json={"count": 2}, headers={"Authorization": f"Bearer {DEFAULT_TOKEN}"})
        assert r.status_code == 200 and r.json()["count"] == 2, r.text
