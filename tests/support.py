"""Helpers shared by the HTTP tests: a thin Wish client over Starlette's TestClient."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import Connection
from starlette.testclient import TestClient

from mockwish.seed.merchants import DEFAULT_TOKEN, SECOND_TOKEN, WORLDWIDE_TOKEN

__all__ = ["DEFAULT_TOKEN", "SECOND_TOKEN", "WORLDWIDE_TOKEN", "Wish", "assert_envelope_error", "check_answer",
           "freeze", "fresh_client", "minted_token", "on_store"]

T = TypeVar("T")


@contextmanager
def fresh_client(app: Any) -> Iterator[TestClient]:
    """A client of `app` from its seeded state (a reset: a page copy) on wall time, which it leaves on wall time."""
    ctx = app.state.ctx
    ctx.tenants.delete_all()  # a test's tenants are its own
    ctx.sandbox.reset()
    ctx.store_replaced()
    ctx.clock.reset()
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c
    ctx.clock.reset()


def on_store(client: TestClient, fn: Callable[[Connection], T]) -> T:
    """fn(conn) inside one transaction, run by the store's owner: while a client serves, the event loop's
    thread owns the live connection and the test's thread may not touch it (mockwish.store.owner)."""
    ctx = client.app.state.ctx  # type: ignore[attr-defined]

    def run() -> T:
        with ctx.owner.begin() as conn:
            return fn(conn)
    return ctx.owner.call(run)  # type: ignore[no-any-return]


class Wish:
    """Calls Merchant v2 endpoints the way a client does: form-encoded POST (or GET with a query string),
    token as the access_token parameter unless `bearer=True`."""

    def __init__(self, client: TestClient, token: str = DEFAULT_TOKEN) -> None:
        self.client = client
        self.token = token

    def as_(self, token: str) -> Wish:
        return Wish(self.client, token)

    def call(self, path: str, method: str = "POST", *, token: str | None = None, bearer: bool = False,
             **params: Any):  # noqa: ANN201 (httpx.Response)
        tok = self.token if token is None else token
        params = {k: v for k, v in params.items() if v is not None}
        headers = {}
        if bearer:
            headers["Authorization"] = f"Bearer {tok}"
        elif tok:
            params["access_token"] = tok
        url = path if path.startswith("/") else f"/api/v2/{path}"
        if method == "GET":
            return self.client.get(url, params=params, headers=headers)
        return self.client.post(url, data=params, headers=headers)

    def ok(self, path: str, method: str = "POST", **params: Any) -> Any:
        """The `data` of a successful call (asserts the envelope)."""
        r = self.call(path, method, **params)
        body = r.json()
        assert r.status_code == 200 and body["code"] == 0, (r.status_code, body)
        assert body["message"] == "" or isinstance(body["message"], str)
        return body["data"]

    def err(self, path: str, code: int, status: int | None = None, method: str = "POST", **params: Any
            ) -> dict[str, Any]:
        """The body of an expected error (asserts its code and, when given, its HTTP status)."""
        r = self.call(path, method, **params)
        body = r.json()
        assert body["code"] == code, (r.status_code, body)
        if status is not None:
            assert r.status_code == status, (r.status_code, body)
        assert set(body) >= {"code", "data", "message"} and body["message"], body
        return body


def freeze(client: TestClient) -> datetime:
    """Freeze the mock's clock on a whole second (the client fixture unfreezes it) and answer that instant."""
    r = client.post("/sandbox/api/clock", json={"freeze": True})
    assert r.status_code == 200, r.text
    at = datetime.fromisoformat(r.json()["now"].removesuffix("Z")).replace(microsecond=0) + timedelta(seconds=1)
    r = client.post("/sandbox/api/clock", json={"set": at.isoformat()})
    assert r.status_code == 200 and r.json()["now"].startswith(at.isoformat()), r.text
    return at


def assert_envelope_error(r: Any) -> dict[str, Any]:
    """A 4xx answered with a Wish error envelope (never FastAPI's `detail` body)."""
    assert 400 <= r.status_code < 500, (r.status_code, r.text[:300])
    body = r.json()
    assert set(body) >= {"code", "data", "message"} and "detail" not in body, body
    assert isinstance(body["code"], int) and body["code"] != 0 and body["message"], body
    return body


def check_answer(r: Any, context: object) -> None:
    """Whatever the input: a success envelope, or a 4xx Wish error envelope; never a 5xx or a 422 body."""
    assert r.status_code < 500, (context, r.status_code, r.text[:300])
    body = r.json()
    assert "detail" not in body and set(body) >= {"code", "data", "message"}, (context, body)
    if r.status_code == 200:
        assert body["code"] == 0, (context, body)
    else:
        assert 400 <= r.status_code < 500 and body["code"] != 0 and body["message"], (context, body)


def minted_token(client: TestClient, scopes: list[str]) -> str:
    """An access token of the default merchant with only `scopes` (sandbox code + v3 exchange)."""
    minted = client.post("/sandbox/api/oauth/codes", json={"scopes": scopes},
                         headers={"Authorization": f"Bearer {DEFAULT_TOKEN}"}).json()
    assert minted["scopes"] == scopes, minted
    r = client.get("/api/v3/oauth/access_token", params={
        "client_id": minted["client_id"], "client_secret": minted["client_secret"], "code": minted["code"],
        "grant_type": "authorization_code", "redirect_uri": minted["redirect_uri"]})
    assert r.status_code == 200, r.text
    return r.json()["data"]["access_token"]  # type: ignore[no-any-return]
