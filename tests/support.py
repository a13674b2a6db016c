"""Helpers shared by the HTTP tests: a thin Wish client over Starlette's TestClient."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from mockwish.seed.merchants import DEFAULT_TOKEN, SECOND_TOKEN, WORLDWIDE_TOKEN

__all__ = ["DEFAULT_TOKEN", "SECOND_TOKEN", "WORLDWIDE_TOKEN", "Wish"]


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
