"""Who may call the sandbox control API (mockwish.sandbox.guard): Host names (DNS rebinding), the Origin of
state-changing calls (CSRF) and the optional sandbox token, on both ports; the Merchant API is untouched."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from starlette.testclient import TestClient

from mockwish.app import create_app
from mockwish.config import Settings
from mockwish.errors import message
from support import DEFAULT_TOKEN

MAIN = "http://localhost:8000"  # Settings' default ports: 8000, and 8001 for WishPost
WISHPOST = "http://localhost:8001"
EVIL = "http://evil.example"


def _app(tmp_path_factory: pytest.TempPathFactory, **settings: Any) -> FastAPI:
    data: Path = tmp_path_factory.mktemp("guard")
    return create_app(Settings(data_dir=data, products_per_merchant=5, **settings))


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The defaults: local names only, no token."""
    with TestClient(_app(tmp_path_factory), base_url=MAIN, raise_server_exceptions=False) as c:
        yield c


def _refused_host(r: Any, host: str) -> None:
    assert r.status_code == 403, r.text
    assert r.json() == {"code": 4000, "data": {}, "message": message("sandbox_host_refused", host=host)}
    assert r.headers["wish-request-id"]


def _refused_origin(r: Any, origin: str) -> None:
    assert r.status_code == 403, r.text
    assert r.json() == {"code": 4000, "data": {}, "message": message("sandbox_origin_refused", origin=origin)}


def _new_app(c: TestClient, **headers: str) -> str:
    r = c.post("/sandbox/api/apps", json={"name": "Guard probe", "redirect_uri": "https://erp.example/cb"},
               headers=headers)
    assert r.status_code == 200, r.text
    return r.json()["client_id"]


def _app_ids(c: TestClient, **headers: str) -> set[str]:
    r = c.get("/sandbox/api/apps", headers=headers)
    assert r.status_code == 200, r.text
    return {a["client_id"] for a in r.json()}


# ---- Host ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "localhost.evil.example",
                                  "127.0.0.1.nip.io:8000", "[::2]:8000", "localhost:x"])
def test_a_foreign_host_is_refused(guarded: TestClient, host: str) -> None:
    _refused_host(guarded.get("/sandbox/api/merchants", headers={"Host": host}), host)
    _refused_host(guarded.post("/sandbox/api/reset", headers={"Host": host}), host)
    _refused_host(guarded.get("/sandbox/", headers={"Host": host}), host)  # the dashboard too


def test_local_names_are_accepted_with_and_without_port(guarded: TestClient) -> None:
    for host in ("localhost", "localhost:8000", "LOCALHOST:8000", "127.0.0.1", "127.0.0.1:8000", "[::1]",
                 "[::1]:8000", "::1"):
        r = guarded.get("/sandbox/api/merchants", headers={"Host": host})
        assert r.status_code == 200 and r.json(), (host, r.text)
        assert guarded.post("/sandbox/api/reset", headers={"Host": host}).json()["reset"] is True
    _refused_host(guarded.get("/sandbox/api/merchants", headers={"Host": "testserver"}), "testserver")


def test_the_wishpost_port_is_guarded_alike(guarded: TestClient) -> None:
    """The WishPost port serves /sandbox/ as it is (an absolute URL: the same client, the other port)."""
    users = WISHPOST + "/sandbox/api/wishpost/users"
    assert guarded.get(users).status_code == 200  # Host localhost:8001
    _refused_host(guarded.get(users, headers={"Host": "evil.example:8001"}), "evil.example:8001")
    r = guarded.post(WISHPOST + "/sandbox/api/reset", headers={"Origin": EVIL, "Content-Type": "text/plain"})
    _refused_origin(r, EVIL)
    _refused_origin(guarded.post(WISHPOST + "/sandbox/api/reset", headers={"Origin": MAIN}), MAIN)  # another port
    assert guarded.post(WISHPOST + "/sandbox/api/reset", headers={"Origin": WISHPOST}).status_code == 200


def test_star_allows_any_host(guarded: TestClient, tmp_path_factory: pytest.TempPathFactory) -> None:
    with TestClient(_app(tmp_path_factory, sandbox_allowed_hosts="*"), base_url=MAIN) as anyone:
        for host in ("evil.example", "mock.internal:8000", "10.1.2.3"):
            assert anyone.get("/sandbox/api/merchants", headers={"Host": host}).status_code == 200, host
        # any host, but still not any page: a cross-origin POST stays refused
        _refused_origin(anyone.post("/sandbox/api/reset", headers={"Host": "mock.internal:8000", "Origin": EVIL}),
                        EVIL)
    _refused_host(guarded.get("/sandbox/api/merchants", headers={"Host": "mock.internal:8000"}), "mock.internal:8000")


def test_extra_hosts_and_the_public_url_host_are_allowed(tmp_path_factory: pytest.TempPathFactory) -> None:
    app = _app(tmp_path_factory, sandbox_allowed_hosts=" mockwish , CI.Runner.local:9000,",
               public_url="https://mock.example.com/base")
    with TestClient(app, base_url=MAIN) as c:
        for host in ("mockwish", "mockwish:8000", "ci.runner.local", "mock.example.com", "localhost:8000"):
            assert c.get("/sandbox/api/merchants", headers={"Host": host}).status_code == 200, host
        _refused_host(c.get("/sandbox/api/merchants", headers={"Host": "example.com"}), "example.com")
        # behind a TLS proxy: the page's origin is the public URL's, the request's own is plain http
        assert c.post("/sandbox/api/reset", headers={"Host": "mock.example.com",
                                                     "Origin": "https://mock.example.com"}).status_code == 200
        _refused_origin(c.post("/sandbox/api/reset", headers={"Origin": "https://other.example.com"}),
                        "https://other.example.com")


# ---- Origin -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("origin", [EVIL, "null", "http://localhost:3000", "https://localhost:8000",
                                    "http://127.0.0.1:8000"])
def test_a_cross_origin_post_is_refused_and_changes_nothing(guarded: TestClient, origin: str) -> None:
    """The CSRF a page can send without a preflight: a text/plain POST. The store is not reset."""
    created = _new_app(guarded)
    r = guarded.post("/sandbox/api/reset", content=b"{}", headers={"Origin": origin, "Content-Type": "text/plain"})
    _refused_origin(r, origin)
    _refused_origin(guarded.post("/sandbox/api/clock", json={"advance_seconds": 60}, headers={"Origin": origin}),
                    origin)
    _refused_origin(guarded.delete(f"/sandbox/api/apps/{created}", headers={"Origin": origin}), origin)
    assert created in _app_ids(guarded)
    assert guarded.get("/sandbox/api/apps", headers={"Origin": origin}).status_code == 200  # reads are not CSRF


def test_same_origin_and_origin_less_posts_are_accepted(guarded: TestClient) -> None:
    created = _new_app(guarded, Origin=MAIN)  # the dashboard's own page
    assert guarded.post("/sandbox/api/reset", headers={"Origin": MAIN, "Content-Type": "text/plain"}
                        ).status_code == 200
    assert created not in _app_ids(guarded)  # the reset did happen
    created = _new_app(guarded)
    r = guarded.post("/sandbox/api/reset")  # curl -X POST: no Origin, no body, no Content-Type
    assert r.status_code == 200 and r.json()["reset"] is True
    assert created not in _app_ids(guarded)
    for host, origin in (("localhost", "http://localhost"), ("[::1]:8000", "http://[::1]:8000"),
                         ("127.0.0.1:80", "http://127.0.0.1")):
        assert guarded.post("/sandbox/api/reset", headers={"Host": host, "Origin": origin}).status_code == 200
    _refused_origin(guarded.post("/sandbox/api/reset", headers={"Origin": EVIL}), EVIL)


def test_a_get_with_a_foreign_origin_is_allowed(guarded: TestClient) -> None:
    r = guarded.get("/sandbox/api/clock", headers={"Origin": EVIL})
    assert r.status_code == 200 and "now" in r.json()
    _refused_origin(guarded.post("/sandbox/api/clock", json={"freeze": False}, headers={"Origin": EVIL}), EVIL)


# ---- token --------------------------------------------------------------------------------------------

def test_the_sandbox_token_when_set(guarded: TestClient, tmp_path_factory: pytest.TempPathFactory) -> None:
    required = {"code": 4000, "data": {}, "message": message("sandbox_token_required")}
    with TestClient(_app(tmp_path_factory, sandbox_token="s3cret-token"), base_url=MAIN) as c:
        for method, path in (("GET", "/sandbox/api/merchants"), ("POST", "/sandbox/api/reset")):
            missing = c.request(method, path)
            assert (missing.status_code, missing.json()) == (401, required)
            for wrong in ("s3cret", "s3cret-token2", "S3CRET-TOKEN", ""):
                r = c.request(method, path, headers={"X-Sandbox-Token": wrong})
                assert (r.status_code, r.json()) == (401, required), wrong
            assert c.request(method, path, headers={"X-Sandbox-Token": "s3cret-token"}).status_code == 200
        # the token does not replace the other checks
        _refused_host(c.get("/sandbox/api/merchants", headers={"Host": "evil.example",
                                                               "X-Sandbox-Token": "s3cret-token"}), "evil.example")
        # and the Merchant API does not ask for it
        assert c.get("/api/v2/auth_test", params={"access_token": DEFAULT_TOKEN}).json()["code"] == 0
    # unset: not asked for
    assert guarded.get("/sandbox/api/merchants").status_code == 200


# ---- everything else ----------------------------------------------------------------------------------

def test_the_merchant_api_and_health_ignore_the_host(guarded: TestClient) -> None:
    hostile = {"Host": "evil.example", "Origin": EVIL}
    r = guarded.get("/api/v2/auth_test", params={"access_token": DEFAULT_TOKEN}, headers=hostile)
    assert r.status_code == 200 and r.json()["code"] == 0
    r = guarded.post("/api/v2/auth_test", data={"access_token": DEFAULT_TOKEN}, headers=hostile)
    assert r.status_code == 200 and r.json()["code"] == 0
    assert guarded.get("/healthz", headers=hostile).status_code == 200
    assert guarded.get(WISHPOST + "/healthz", headers={"Host": "evil.example:8001"}).status_code == 200
    _refused_host(guarded.get("/sandbox/api/merchants", headers=hostile), "evil.example")


def test_openapi_declares_what_the_guard_answers(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    sandbox = [op for path, item in paths.items() if path.startswith("/sandbox/") for op in item.values()]
    assert sandbox and all({"401", "403"} <= set(op["responses"]) for op in sandbox)
    product = paths["/api/v2/product"]["get"]["responses"]  # the Merchant API never asks for the sandbox token
    assert "X-Sandbox-Token" not in str(product)
