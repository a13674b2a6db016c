"""Helpers shared by the WishPost HTTP tests."""

from __future__ import annotations

import base64
from typing import Any

from starlette.testclient import TestClient

from mockwish.seed.wishpost import DEFAULT_WISHPOST_TOKEN, SECOND_WISHPOST_TOKEN

__all__ = ["DEFAULT_WISHPOST_TOKEN", "SECOND_WISHPOST_TOKEN", "basic", "bearer", "user_id"]


def basic(app: dict[str, Any], secret: str | None = None) -> dict[str, str]:
    raw = f"{app['client_id']}:{app['client_secret'] if secret is None else secret}".encode()
    return {"Authorization": "Basic " + base64.b64encode(raw).decode()}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def user_id(client: TestClient, token: str) -> str:
    return next(u["id"] for u in client.get("/sandbox/api/wishpost/users").json() if token in u["tokens"])
