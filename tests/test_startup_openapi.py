"""The API operations have no FastAPI route each (a start-up cost, issue 12): the front door answers them and
mockwish.wire.openapi.OperationRoutes stands for them in the app's routes. /openapi.json still documents
every operation of every registry with its parameters, exactly as FastAPI documented the routes it had, and
what the router did for those paths besides serving them is unchanged (405, trailing-slash redirect)."""

from __future__ import annotations

import re
import sys
import warnings
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute
from starlette.responses import Response
from starlette.testclient import TestClient

from mockwish.wire.openapi import OperationRoutes
from mockwish.wire.v2 import Operation, V2Router
from mockwish.wishpost.ops import PREFIX, WishPostRouter, WPOperation
from support import fresh_client


def _registries() -> tuple[list[Operation], list[WPOperation]]:
    """Every operation of every router the loaded modules define (what the app mounts, and any other)."""
    v2: dict[int, Operation] = {}
    wp: dict[int, WPOperation] = {}
    for module in list(sys.modules.values()):
        if not (getattr(module, "__name__", "") or "").startswith("mockwish."):
            continue
        for value in vars(module).values():
            if isinstance(value, V2Router):
                v2.update((id(op), op) for op in value.operations)
            elif isinstance(value, WishPostRouter):
                wp.update((id(op), op) for op in value.operations)
    return list(v2.values()), list(wp.values())


def _blocks(app: FastAPI) -> list[OperationRoutes]:
    return [r for r in app.routes if isinstance(r, OperationRoutes)]


def _param_names(op: dict[str, Any]) -> set[str]:
    names = {p["name"] for p in op.get("parameters", [])}
    for media in op.get("requestBody", {}).get("content", {}).values():
        names |= set(media["schema"].get("properties", {}))
        # an XML body names its children in its description: <name>…</name>
        names |= set(re.findall(r"<(\w+)>…</\1>", media["schema"].get("description", "")))
    return names


def test_every_operation_of_every_registry_is_documented_with_its_parameters(client: TestClient) -> None:
    doc = client.get("/openapi.json").json()
    v2, wp = _registries()
    assert v2 and wp
    for op in v2:
        item = doc["paths"].get(op.prefixes[0] + op.path)
        assert item is not None and {"get", "post"} <= set(item), op.path
        for method in ("get", "post"):
            assert item[method]["summary"] == op.summary and item[method]["x-wish-scope"] == op.scope
            assert {p.name for p in op.spec.params} <= _param_names(item[method]), (method, op.path)
        for alias in op.prefixes[1:]:  # the aliases answer, undocumented
            assert alias + op.path not in doc["paths"]
    for wop in wp:
        item = doc["paths"].get(PREFIX + wop.path)
        assert item is not None and {m.lower() for m in wop.methods} <= set(item), wop.path
        for method in wop.methods:
            operation = item[method.lower()]
            assert operation["summary"] == wop.summary
            if wop.wire == "xml" and method == "POST" and wop.xml_example:
                # the body is the docs' example document, which nests its children: the required ones are named
                text = operation["requestBody"]["content"]["application/xml"]["schema"]["description"]
                assert all(p.name in text for p in wop.spec.params if p.required), wop.path
            else:
                assert {p.name for p in wop.spec.params} <= _param_names(operation), (method, wop.path)


def test_the_front_door_answers_exactly_the_routed_operations(app: FastAPI) -> None:
    routed = {(method, path) for block in _blocks(app) for path, methods in block.by_path.items()
              for method in methods}
    assert routed == set(app.front.routes)  # type: ignore[attr-defined]
    assert not [r for r in app.routes if isinstance(r, APIRoute) and (r.path.startswith(("/api/", "/v2/", PREFIX)))]


def test_path_items_are_what_fastapi_made_of_a_route_per_operation(client: TestClient) -> None:
    """Each documented operation as FastAPI itself documents `add_api_route(...)` with the same docs."""
    doc = client.get("/openapi.json").json()
    app: Any = client.app
    routes: list[APIRoute] = []
    for block in _blocks(app):
        for d in block.documented:
            endpoint = block.by_path[d.path][d.method]
            routes.append(APIRoute(d.path, endpoint, methods=[d.method], response_class=Response, name=d.name,
                                   **d.docs()))
    assert len(routes) > 100
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # operationIds repeat nothing, but FastAPI's check is not ours
        fastapi_paths = get_openapi(title="t", version="0", routes=routes)["paths"]
    ours = {path: item for path, item in doc["paths"].items() if path in fastapi_paths}
    # add_security (every /api/ operation) and nothing else changes them afterwards
    for path, item in ours.items():
        for method, operation in item.items():
            expected = dict(fastapi_paths[path][method])
            if path.startswith("/api/"):
                expected["security"] = [{"bearer": []}, {"access_token": []}]
            assert operation == expected, (method, path)
    assert list(ours) == list(fastapi_paths)  # in registration order


@pytest.mark.parametrize("path", ["/api/v2/product", "/v2/product", "/api/v3/oauth/test",
                                  PREFIX + "/api/v3/oauth/test", PREFIX + "/api/v2/create_order"])
def test_the_router_still_answers_other_methods_and_slashes_on_operation_paths(client: TestClient,
                                                                               path: str) -> None:
    for method in ("PUT", "DELETE", "PATCH", "HEAD"):
        r = client.request(method, path)
        assert r.status_code == 405 and r.headers["allow"], (method, path, r.text)
    r = client.get(path + "/", follow_redirects=False)
    assert r.status_code == 307 and r.headers["location"].endswith(path)


def test_route_names_still_resolve(app: FastAPI) -> None:
    assert app.url_path_for("get_api_v2_product") == "/api/v2/product"
    assert app.url_path_for("post_v2_product") == "/v2/product"
    assert app.url_path_for("wishpost_post_api_v2_create_order") == PREFIX + "/api/v2/create_order"


def test_without_the_front_door_the_routes_serve_the_operations(app: FastAPI) -> None:
    """What FastAPI's per-operation routes did when a request got past the front door."""
    front = app.front  # type: ignore[attr-defined]
    app.front = None  # type: ignore[attr-defined]
    try:
        with fresh_client(app) as c:
            r = c.get("/api/v2/product", params={"id": "not-an-id"},
                      headers={"Authorization": "Bearer an_example_access_token"})
    finally:
        app.front = front  # type: ignore[attr-defined]
    assert r.status_code == 400 and r.json()["code"] == 1000 and r.headers["wish-request-id"]
