"""The baseline: a bare FastAPI app answering a constant Wish envelope on each measured path, served
exactly like mockwish.

`python bench/bare_app.py --host H --port P` calls uvicorn.run the way `mockwish serve` does (one worker,
the same loop and HTTP implementation, log level warning, no access log)."""

from __future__ import annotations

import argparse

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
    """Every path mockwish is measured on, with the same constant envelope (the query is ignored)."""
    return Response(BODY, media_type="application/json")


@app.get("/healthz")
async def healthz() -> Response:
    return Response(b'{"status":"ok"}', media_type="application/json")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=18081)
    args = parser.parse_args()
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
