"""The baseline: a bare FastAPI app answering a constant Wish envelope, served exactly like mockwish."""

from __future__ import annotations

import orjson
from fastapi import FastAPI
from starlette.responses import Response

app = FastAPI()
BODY = orjson.dumps({"code": 0, "data": {}, "message": ""})


@app.get("/api/v2/product")
async def product() -> Response:
    return Response(BODY, media_type="application/json")


@app.get("/healthz")
async def healthz() -> Response:
    return Response(b'{"status":"ok"}', media_type="application/json")
