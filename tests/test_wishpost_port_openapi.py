"""Each port documents what it serves: /openapi.json on the WishPost port lists the WishPost operations at
that port's root (and /healthz), never the Merchant API, which answers 404 there; the main port keeps the
whole document."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

WISHPOST = "http://testserver:8001"  # the WishPost port of the test settings (Settings' default)


def _doc(client: TestClient, base: str = "") -> dict[str, Any]:
    r = client.get(base + "/openapi.json")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json"), r.text[:300]
    return r.json()


def test_the_wishpost_port_documents_only_wishpost(client: TestClient) -> None:
    doc = _doc(client, WISHPOST)
    paths = set(doc["paths"])
    assert not [p for p in paths if p.startswith(("/api/v2/product", "/v2/", "/wishpost/", "/sandbox/"))], paths
    assert {"/api/v3/oauth/test", "/api/v3/oauth/access_token", "/api/v2/auth_test", "/healthz"} <= paths
    # what it documents is what that port answers at those paths
    for path, item in doc["paths"].items():
        method = next(iter(item)).upper()
        assert client.request(method, WISHPOST + path).status_code != 404, (method, path)
    test = doc["paths"]["/api/v3/oauth/test"]["get"]
    assert test["tags"] == ["WishPost OAuth"] and test["security"]  # the WishPost operation, not the Merchant one
    assert set(doc["components"]["securitySchemes"]) >= {s for req in test["security"] for s in req}
    # the main port's Merchant v3 test is not documented here under the same path
    main = _doc(client)
    assert test == main["paths"]["/wishpost/api/v3/oauth/test"]["get"]
    assert test != main["paths"]["/api/v3/oauth/test"]["get"]


def test_the_main_port_keeps_the_whole_document(client: TestClient) -> None:
    paths = set(_doc(client)["paths"])
    assert {"/api/v2/product", "/api/v2/product/add", "/wishpost/api/v3/oauth/test", "/api/v3/oauth/test",
            "/sandbox/api/reset", "/healthz"} <= paths
    assert "/api/v2/product" not in _doc(client, WISHPOST)["paths"]  # which is the WishPost port's alone


def test_each_port_answers_the_same_document_every_time(client: TestClient) -> None:
    first, again = client.get(WISHPOST + "/openapi.json"), client.get(WISHPOST + "/openapi.json")
    assert first.content == again.content and first.headers["wish-request-id"]
    assert client.get("/openapi.json").json() != first.json()
    assert client.head(WISHPOST + "/openapi.json").status_code == 200
