"""The baseline: a bare FastAPI app answering a constant Wish envelope on each measured path, served
exactly like mockwish.

`python bench/bare_app.py --host H --port P` runs uvicorn the way `mockwish serve` does when it serves one
port (mockwish/serve.py, and the benchmark sets MOCKWISH_WISHPOST_PORT=0): a socket bound by hand with
IPPROTO_TCP and SO_REUSEADDR, handed to `uvicorn.Server(uvicorn.Config(...)).run(sockets=[...])` with the
default loop and HTTP implementation ("auto": uvloop and httptools when installed), one worker, lifespan
"auto", log level warning, no access log; with `--deferred-writes`, mockwish's HTTP protocol too
(mockwish/deferred_writes.py, mockwish's default), as bench/run.py starts it. bench/run.py checks in
/proc/<pid>/maps that both servers loaded uvloop and httptools."""

from __future__ import annotations

import argparse
import socket
import sys
from pathlib import Path
from typing import Any

import orjson
import uvicorn
from fastapi import FastAPI
from starlette.responses import Response

app = FastAPI()
BODY = orjson.dumps({"code": 0, "data": {}, "message": ""})


@app.get("/api/v2/product")
@app.get("/api/v2/order/multi-get")
@app.get("/wishpost/api/v3/oauth/test")
async def constant() -> Response:
    """Every GET path mockwish is measured on, with the same constant envelope (the query is ignored)."""
    return Response(BODY, media_type="application/json")


XML_OK = b'<?xml version="1.0" encoding="utf-8"?><root><status>0</status></root>'


@app.post("/wishpost/api/v2/create_order")
@app.post("/wishpost/api/v2/tracking")
async def constant_xml() -> Response:
    """WishPost's XML calls (issue 13), with a constant XML document (the body is not read)."""
    return Response(XML_OK, media_type="application/xml")


@app.post("/wishpost/api/v3/get_order_payment")
async def constant_v3() -> Response:
    """WishPost's v3 JSON calls (issue 14), with a constant flat v3 body (the request body is not read)."""
    return Response(b'{"timestamp":"2026-01-01 00:00:00","message":"","code":0,"data":[]}',
                    media_type="application/json")


@app.post("/api/v2/variant/update-inventory")
async def constant_write() -> Response:
    """The measured write, with the same constant envelope (the form body is not read)."""
    return Response(BODY, media_type="application/json")


PAGE_FILE = Path(__file__).parent / "out" / "order-page.json"  # written by bench/run.py before it is asked
_page: list[bytes] = []


@app.get("/bench/order-page")
async def order_page() -> Response:
    """The ceiling of the multi-get: the bytes of one real mockwish page, read once, answered with no work."""
    if not _page:
        _page.append(PAGE_FILE.read_bytes())
    return Response(_page[0], media_type="application/json")


@app.get("/healthz")
async def healthz() -> Response:
    return Response(b'{"status":"ok"}', media_type="application/json")


def bind(host: str, port: int) -> socket.socket:
    """As mockwish/serve.py's _bind: IPPROTO_TCP named (asyncio sets TCP_NODELAY only on such sockets)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=18081)
    parser.add_argument("--deferred-writes", action="store_true",
                        help="serve with mockwish's HTTP protocol (mockwish.deferred_writes), as mockwish does by "
                             "default: a reference for what that protocol alone gives")
    args = parser.parse_args()
    http: Any = "auto"
    if args.deferred_writes:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        from mockwish.deferred_writes import http_protocol

        http = http_protocol()
    config = uvicorn.Config(app, host=args.host, port=args.port, log_level="warning", access_log=False,
                            lifespan="auto", http=http)
    uvicorn.Server(config).run(sockets=[bind(args.host, args.port)])


if __name__ == "__main__":
    main()
