"""The WishPost v3 JSON wire: flat bodies `{"timestamp": "YYYY-MM-DD HH:mm:ss" (Beijing), "message", "code",
...endpoint keys}` (supplement-wishpost.md 6), errors from the one registry in en or zh."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import orjson
from starlette.responses import Response

from mockwish.errors import WISHPOST_LOCALES, WishError
from mockwish.wire.v2 import pick_locale as pick_from

JSON = "application/json"
BEIJING = timedelta(hours=8)


ISO_SECONDS = "%Y-%m-%d %H:%M:%S"


def beijing(now: datetime, fmt: str = ISO_SECONDS) -> str:
    """The mock clock's (naive UTC) instant as Beijing wall time."""
    if fmt == ISO_SECONDS:
        return (now + BEIJING).isoformat(" ", "seconds")  # the same text, a fifth of strftime's cost
    return (now + BEIJING).strftime(fmt)


def pick_locale(raw: str | None, default: str) -> str:
    """en or zh (also zh_CN, zh-TW, ...); anything else: the default."""
    return pick_from(raw, default, WISHPOST_LOCALES)


def ok_body(fields: dict[str, Any], now: datetime, message: str = "") -> dict[str, Any]:
    return {"timestamp": beijing(now), "message": message, "code": 0, **fields}


def error_body(err: WishError, locale: str, now: datetime) -> dict[str, Any]:
    return {"timestamp": beijing(now), "message": err.message(locale), "code": err.code}


def render(body: dict[str, Any], status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(orjson.dumps(body), status_code=status, media_type=JSON, headers=headers)


def render_error(err: WishError, locale: str, now: datetime, headers: dict[str, str] | None = None) -> Response:
    return render(error_body(err, locale, now), err.status, headers)
