"""OpenAPI for the Merchant v2 operations, generated from the same specs that parse requests; and
`OperationRoutes`, which stands in FastAPI's route table for the operations of a surface (Merchant v2 or
WishPost) and holds their path items for /openapi.json.

The front door (mockwish.wire.dispatch) answers every operation's request, so FastAPI never needs a route per
operation to serve it; registering one (`add_api_route`: dependency analysis, pydantic fields) for each of
the ~360 method and path pairs cost ~60 ms of every start (create_app: ~90 ms, ~30 ms without them). What
FastAPI's routing did for those paths besides serving stays as it was: another method is a 405, a trailing
slash a redirect. The path items are built on the first /openapi.json, exactly as FastAPI builds them for
such a route (`fastapi_operation`)."""

from __future__ import annotations

import copy
import http.client
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from starlette._utils import get_route_path
from starlette.datastructures import URLPath
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Match, NoMatchFound, request_response
from starlette.types import Receive, Scope, Send

from mockwish.errors import REGISTRY
from mockwish.wire.spec import Param, Str

if TYPE_CHECKING:
    from mockwish.wire.v2 import Operation

COMMON_PARAMS: list[dict[str, Any]] = [
    {"name": "format", "description": "'json' (default; also when empty) or 'xml'",
     "schema": {"type": "string", "pattern": "^([jJ][sS][oO][nN]|[xX][mM][lL])?$"}},
    # any value is accepted (like Wish): en, zh, fr, de translate; anything else falls back to the default
    {"name": "locale", "description": "Language of error messages: en, zh, fr or de (others: the default)",
     "schema": {"type": "string"}},
]

# The back link is `previous` (every example response of the merchant doc, the supplement and the official
# PHP SDK's pager); MOCKWISH_PAGING_BACK_LINK=prev emits it as `prev` instead (the doc's overview prose). A
# page carries one of the two names, never both, and the first page neither.
PAGING = {
    "type": "object",
    "description": "Links to the neighbouring pages of a list, repeating every parameter of the request. The "
                   "back link is `previous`, or `prev` when the server runs with MOCKWISH_PAGING_BACK_LINK=prev.",
    "properties": {
        "next": {"type": "string", "description": "The next page (start + limit); absent on the last page"},
        "previous": {"type": "string", "description": "The previous page (start - limit); absent on the first "
                                                      "page. The default name of the back link"},
        "prev": {"type": "string", "description": "The previous page under the name the doc's overview uses, "
                                                  "sent instead of `previous` when MOCKWISH_PAGING_BACK_LINK=prev"},
    },
    "not": {"required": ["previous", "prev"]},
}

ENVELOPE = {
    "type": "object",
    "required": ["code", "data", "message"],
    "properties": {
        "code": {"type": "integer"},
        "message": {"type": "string"},
        "data": {},
        "paging": PAGING,
    },
}
ERROR = {
    "type": "object",
    "required": ["code", "data", "message"],
    "properties": {"code": {"type": "integer", "minimum": 1}, "message": {"type": "string"}, "data": {},
                   "type": {"type": "string"}},
}
COMMON_ERRORS = ("missing_param", "invalid_param", "unauthorized", "body_too_large", "rate_limited",
                 "unknown_error")


BLANK_VALUE = {"type": "string", "pattern": "^[ \\t]*$"}


def doc_schema(p: Param) -> dict[str, Any]:
    """A parameter's schema as the parser reads it: a blank optional value counts as not sent (PHP clients
    send every field), except for free text, where "" is a value (e.g. deleting a video URL)."""
    schema = p.schema()
    if p.required or isinstance(p, Str):
        return schema
    return {"anyOf": [schema, BLANK_VALUE]}


def _content(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}, "application/xml": {"schema": {"type": "string"}}}


def responses_for(errors: tuple[str, ...], limited: bool = True) -> dict[int | str, dict[str, Any]]:
    """The documented answers; `limited` False for the operations that are never rate-limited (no token)."""
    out: dict[int | str, dict[str, Any]] = {200: {"description": "Success envelope (code 0)",
                                                  "content": _content(ENVELOPE)}}
    by_status: dict[int, list[str]] = {}
    common = COMMON_ERRORS if limited else tuple(k for k in COMMON_ERRORS if k != "rate_limited")
    for key in (*common, *errors):
        d = REGISTRY[key]
        by_status.setdefault(d.status, [])
        line = f"{d.code} ({d.messages['en']})"
        if line not in by_status[d.status]:
            by_status[d.status].append(line)
    for status, lines in sorted(by_status.items()):
        out[status] = {"description": "Wish error: " + "; ".join(lines), "content": _content(ERROR)}
    return out


def operation_docs(op: Operation, method: str) -> dict[str, Any]:
    props: dict[str, Any] = {}
    required: list[str] = []
    params: list[dict[str, Any]] = []
    for p in op.spec.params:
        schema = doc_schema(p)
        if p.description:
            schema = {**schema, "description": p.description}
        props[p.name] = schema
        if p.required:
            required.append(p.name)
        params.append({"name": p.name, "in": "query", "required": p.required, "schema": doc_schema(p),
                       "description": p.description})
    description = op.description.strip()
    if op.spec.either:
        description += "\n\n" + "; ".join(f"Provide either `{a}` or `{b}`." for a, b in op.spec.either)
    description += (f"\n\nScope: `{op.scope}`. Every v2 endpoint accepts GET and POST; parameters may come in "
                    "the query string, a urlencoded or multipart form, or a JSON object body.")
    extra: dict[str, Any] = {"x-wish-scope": op.scope}
    if method == "GET":
        extra["parameters"] = params + [{**c, "in": "query", "required": False} for c in COMMON_PARAMS]
    else:
        body_schema: dict[str, Any] = {"type": "object", "properties": {
            **props, **{c["name"]: c["schema"] for c in COMMON_PARAMS}}}
        if required:
            body_schema["required"] = required
        extra["requestBody"] = {"required": bool(required),
                                "content": {"application/x-www-form-urlencoded": {"schema": body_schema}}}
    return {
        "summary": op.summary,
        "description": description,
        "tags": [op.tag],
        "openapi_extra": extra,
        "responses": responses_for(op.errors, limited=op.auth != "none"),
    }


def add_security(schema: dict[str, Any]) -> dict[str, Any]:
    """Declare the two documented ways to send the token, for every /api/v2 operation."""
    comps = schema.setdefault("components", {})
    comps.setdefault("securitySchemes", {}).update({
        "bearer": {"type": "http", "scheme": "bearer",
                   "description": "Authorization: Bearer an_example_access_token"},
        "access_token": {"type": "apiKey", "in": "query", "name": "access_token"},
    })
    for path, item in schema.get("paths", {}).items():
        if not path.startswith("/api/"):
            continue
        for op in item.values():
            if isinstance(op, dict):
                op["security"] = [{"bearer": []}, {"access_token": []}]
    return schema


# ---- the operations as one route, and their path items --------------------------------------------------

Endpoint = Callable[[Request], Awaitable[Response]]


@dataclass(frozen=True)
class Documented:
    """One (method, path) of /openapi.json: the route name FastAPI's operationId derives from, and the docs
    (operation_docs' keyword arguments: summary, description, tags, responses, openapi_extra)."""
    path: str
    method: str
    name: str
    docs: Callable[[], dict[str, Any]]


class OperationRoutes(BaseRoute):
    """The operations of a surface as one entry of the app's route table, in the place their routes had: a
    dict lookup instead of ~200 regex routes. Methods are matched exactly as registered (GET does not imply
    HEAD, as with FastAPI's routes), so another method on an operation's path is a 405, and the path with a
    trailing slash is redirected by the router. A request that reaches it with a registered method (only
    without the front door) is served by the operation's endpoint."""

    def __init__(self) -> None:
        self.by_path: dict[str, dict[str, Endpoint]] = {}  # path -> method -> endpoint, in registration order
        self.names: dict[str, str] = {}  # route name -> path, for url_path_for
        self.documented: list[Documented] = []

    def add(self, path: str, method: str, endpoint: Endpoint, name: str,
            docs: Callable[[], dict[str, Any]] | None = None) -> None:
        """Route `method` `path` to `endpoint`; with `docs`, the operation is in /openapi.json."""
        self.by_path.setdefault(path, {})[method] = endpoint
        self.names.setdefault(name, path)
        if docs is not None:
            self.documented.append(Documented(path, method, name, docs))

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] != "http":
            return Match.NONE, {}
        methods = self.by_path.get(get_route_path(scope))
        if methods is None:
            return Match.NONE, {}
        endpoint = methods.get(scope["method"])
        child = {"endpoint": endpoint or next(iter(methods.values())),
                 "path_params": dict(scope.get("path_params", {})), "route": self}
        return (Match.PARTIAL if endpoint is None else Match.FULL), child

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        methods = self.by_path[get_route_path(scope)]
        endpoint = methods.get(scope["method"])
        if endpoint is None:  # as starlette.routing.Route answers it (the app's handler writes the Wish error)
            headers = {"Allow": ", ".join(methods)}
            if "app" in scope:
                raise HTTPException(status_code=405, headers=headers)
            await PlainTextResponse("Method Not Allowed", status_code=405, headers=headers)(scope, receive, send)
            return
        await request_response(endpoint)(scope, receive, send)

    def url_path_for(self, name: str, /, **path_params: Any) -> URLPath:
        path = self.names.get(name)
        if path is None or path_params:
            raise NoMatchFound(name, path_params)
        return URLPath(path=path, protocol="http")

    def path_items(self) -> dict[str, dict[str, Any]]:
        """The documented operations' path items, in registration order, as FastAPI's get_openapi builds them
        before its own model's normalisation."""
        items: dict[str, dict[str, Any]] = {}
        for d in self.documented:
            items.setdefault(d.path, {})[d.method.lower()] = fastapi_operation(d.path, d.method, d.name, **d.docs())
        return items


def _deep_update(main: dict[Any, Any], update: dict[Any, Any]) -> None:
    """fastapi.utils.deep_dict_update: dicts merged, lists concatenated, anything else replaced."""
    for key, value in update.items():
        if isinstance(main.get(key), dict) and isinstance(value, dict):
            _deep_update(main[key], value)
        elif isinstance(main.get(key), list) and isinstance(value, list):
            main[key] = main[key] + value
        else:
            main[key] = value


def fastapi_operation(path: str, method: str, name: str, *, summary: str, description: str, tags: list[str],
                      responses: dict[int | str, dict[str, Any]], openapi_extra: dict[str, Any]) -> dict[str, Any]:
    """The operation FastAPI's get_openapi_path makes of `add_api_route(path, endpoint, methods=[method],
    response_class=Response, name=name, **docs)` for an endpoint that takes only the Request: no parameters
    or body of its own, operationId from the name and the path, the docs' responses over a 200 "Successful
    Response", then openapi_extra merged in. tests/test_startup_openapi.py holds it to FastAPI's own."""
    operation: dict[str, Any] = {}
    if tags:
        operation["tags"] = tags
    operation["summary"] = summary or name.replace("_", " ").title()
    description = description.split("\f")[0].strip()
    if description:
        operation["description"] = description
    operation["operationId"] = re.sub(r"\W", "_", f"{name}{path}") + "_" + method.lower()
    out = operation["responses"] = {"200": {"description": "Successful Response"}}
    for status, response in responses.items():
        given = copy.deepcopy(response)
        given.pop("model", None)
        key = str(status).upper()
        key = "default" if key == "DEFAULT" else key
        target = out.setdefault(key, {})
        shown = (given.get("description") or target.get("description")
                 or (http.client.responses.get(int(status)) if str(status).isdigit() else None)
                 or "Additional Response")
        _deep_update(target, given)
        target["description"] = shown
    _deep_update(operation, openapi_extra)
    return operation


def with_operations(schema: dict[str, Any], routes: list[BaseRoute]) -> dict[str, Any]:
    """`schema`, FastAPI's get_openapi over `routes`, with the path items of each OperationRoutes among them
    where its routes would have put them: FastAPI lists paths in the order of the routes."""
    from fastapi.encoders import jsonable_encoder
    from fastapi.openapi.models import OpenAPI
    from fastapi.routing import iter_route_contexts  # what get_openapi walks

    blocks: list[OperationRoutes] = []
    segment: dict[str, int] = {}  # a FastAPI path -> how many blocks precede its first route
    for route in routes:
        if isinstance(route, OperationRoutes):
            blocks.append(route)
            continue
        for context in iter_route_contexts([route]):
            path = getattr(context, "path_format", None)
            if path is not None and getattr(context, "include_in_schema", True):
                segment.setdefault(path, len(blocks))
    given: dict[str, Any] = schema.get("paths", {})
    paths: dict[str, Any] = {}
    for k in range(len(blocks) + 1):
        for path, item in given.items():
            if segment.get(path, len(blocks)) == k:
                paths.setdefault(path, {}).update(item)
        if k < len(blocks):
            # the same normalisation get_openapi applies to its own paths (field order, no None values)
            made = jsonable_encoder(OpenAPI(openapi=schema.get("openapi", "3.1.0"), info={"title": "", "version": ""},
                                            paths=blocks[k].path_items()), by_alias=True, exclude_none=True)
            for path, item in made.get("paths", {}).items():
                paths.setdefault(path, {}).update(item)
    schema["paths"] = paths
    return schema
