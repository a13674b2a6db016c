"""The WishPost v3 JSON wire: flat bodies `{"timestamp": "YYYY-MM-DD HH:mm:ss" (Beijing), "message", "code",
...endpoint keys}` (supplement-wishpost.md 6), errors from the one registry in en or zh."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import orjson
from starlette.responses import Response

from mockwish.errors import WISHPOST_LOCALES, WishError

JSON = "application/json"
BEIJING = timedelta(hours=8)


def beijing(now: datetime, fmt: str = "%Y-%m-%d %H:%M:%S") -> str:
    """The mock clock's (naive UTC) instant as Beijing wall time."""
    return (now + BEIJING).strftime(fmt)


def iso_z(value: datetime) -> str:
    """2021-03-31T10:20:30.000Z (token expiry_time, WP-V3's date format)"""
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def pick_locale(raw: str | None, default: str) -> str:
    """en or zh (also zh_CN, zh-TW, ...); anything else: the default."""
    if raw:
        low = raw.strip().lower()[:2]
        if low in WISHPOST_LOCALES:
            return low
    return default if default in WISHPOST_LOCALES else "en"


def ok_body(fields: dict[str, Any], now: datetime, message: str = "") -> dict[str, Any]:
    return {"timestamp": beijing(now), "message": message, "code": 0, **fields}


def error_body(err: WishError, locale: str, now: datetime) -> dict[str, Any]:
    return {"timestamp": beijing(now), "message": err.message(locale), "code": err.code}


def render(body: dict[str, Any], status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(orjson.dumps(body), status_code=status, media_type=JSON, headers=headers)


def render_error(err: WishError, locale: str, now: datetime, headers: dict[str, str] | None = None) -> Response:
    return render(error_body(err, locale, now), err.status, headers)
