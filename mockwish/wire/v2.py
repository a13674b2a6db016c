"""The Merchant API v2 surface: one pipeline for every operation (read params, authenticate, parse by
the declared spec, call the handler inside one transaction, render the envelope as JSON or XML)."""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import orjson
from fastapi import FastAPI
from sqlalchemy import Connection
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

from mockwish.context import CTX_KEY, ctx_of
from mockwish.errors import LOCALES, WishError
from mockwish.sandbox.faults import NOW, TENANT, FaultStatus, surface_of
from mockwish.wire.dispatch import Routes
from mockwish.wire.params import RawParams, client_gone, read_params
from mockwish.wire.parts import Part, PartsResponse
from mockwish.wire.spec import Spec
from mockwish.wire.xml import to_xml

if TYPE_CHECKING:
    from mockwish.auth.tokens import Principal
    from mockwish.context import Ctx

JSON = "application/json"
XML = "application/xml"
PREFIXES = ("/api/v2", "/v2")  # /v2 is the alias the docs' sandbox section uses


@dataclass
class V2Result:
    """What a handler returns; the surface renders it once."""

    data: Any = field(default_factory=dict)
    message: str = ""
    paging: dict[str, str] | None = None


@dataclass
class Call:
    """Everything a handler may use. `conn` is inside the request's single transaction."""

    ctx: Ctx
    conn: Connection
    principal: Principal  # None only for operations declared auth="none"
    params: dict[str, Any]
    raw: RawParams
    request: Request
    now: datetime
    fmt: str = "json"  # the answer's format: a handler may hand JSON pieces over pre-rendered (orjson.Fragment)

    @property
    def merchant_id(self) -> str:
        return self.principal.merchant_id

    def base_url(self) -> str:
        return public_base_url(self.request, self.ctx.settings.public_url)

    def url(self, path: str, query: dict[str, str] | None = None) -> str:
        """An absolute URL on the mock (for download links and result links). A tenant's file link names the
        tenant (the file is in its store; mockwish.merchant.files)."""
        if self.ctx.tenant_id is not None and path.startswith("/static/"):
            query = {**(query or {}), "tenant": self.ctx.tenant_id}
        tail = ("?" + urlencode(query)) if query else ""
        return f"{self.base_url()}{path}{tail}"

    def api_url(self, endpoint: str, query: dict[str, str] | None = None) -> str:
        """A URL for another v2 endpoint under the prefix the caller used (/api/v2 or /v2)."""
        path = self.request.url.path
        prefix = next((p for p in PREFIXES if path.startswith(p + "/")), PREFIXES[0])
        return self.url(prefix + endpoint, query)

    def paging(self, start: int, limit: int, has_more: bool) -> dict[str, str]:
        """next/prev links repeating every parameter the caller sent, with start moved by limit."""
        # the links' fixed text (base URL, path, the other parameters encoded) is the same page after page of a
        # listing: worked out once per (base, path, parameters) (urlencode took 3 % of a multi-get)
        rest = tuple(pair for pair in self.raw.pairs if pair[0] != "start" and pair[0] != "limit")
        key = (self.base_url(), self.request.scope["path"], rest)
        fixed = _PAGING_LINKS.get(key)
        if fixed is None:
            kept = _last_wins(list(rest))
            fixed = (key[0] + key[1] + "?start=", "&" + urlencode(kept) if kept else "")
            if len(fixed[1]) <= 4096:  # bounded: 256 entries of a few KB at most
                if len(_PAGING_LINKS) >= 256:
                    _PAGING_LINKS.clear()
                _PAGING_LINKS[key] = fixed
        base, tail = fixed

        def link(s: int) -> str:
            return f"{base}{s}&limit={limit}{tail}"

        out: dict[str, str] = {}
        if has_more:
            out["next"] = link(start + limit)
        if start > 0:
            out[self.ctx.settings.paging_back_link] = link(max(0, start - limit))
        return out  # a list always carries `paging`, empty on a lone page (supplement 2.2: "without next")


# Call.paging's fixed text of the links, "<base><path>?start=" and "&<the other parameters>", by (base, path,
# the parameters other than start and limit in arrival order)
_PAGING_LINKS: dict[tuple[str, str, tuple[tuple[str, str], ...]], tuple[str, str]] = {}


def public_base_url(request: Request, public_url: str | None) -> str:
    """The mock's base URL as a client reaches it, without a trailing slash: MOCKWISH_PUBLIC_URL when set, else
    the request's own. Every link the mock hands out (paging, downloads, the landing page) starts with it."""
    if public_url:
        return public_url.rstrip("/")
    scope = request.scope
    server = scope.get("server")
    key = (scope["scheme"], server and tuple(server), _host(scope),
           scope.get("app_root_path", scope.get("root_path")))
    found = _BASES.get(key)
    if found is None:  # Starlette's URL is a parse and an unparse: a page of links took 5 % of a multi-get
        if len(_BASES) >= 256:
            _BASES.clear()
        found = _BASES[key] = str(request.base_url).rstrip("/")
    return found


_BASES: dict[tuple[Any, ...], str] = {}  # public_base_url by what Starlette builds it from


def _host(scope: MutableMapping[str, Any]) -> bytes | None:
    for name, value in scope["headers"]:
        if name == b"host":
            return value
    return None


def _last_wins(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for k, v in pairs:
        seen.pop(k, None)
        seen[k] = v
    return list(seen.items())


Handler = Callable[[Call], V2Result]


@dataclass(frozen=True)
class Operation:
    path: str
    handler: Handler
    spec: Spec
    scope: str
    summary: str
    description: str
    tag: str
    errors: tuple[str, ...]  # registry keys this operation documents (besides the common ones)
    prefixes: tuple[str, ...] = PREFIXES  # the first one is the documented path; the rest are aliases
    auth: str = "v2"  # "v2" or "v3": which surface's token errors; "none": no token (OAuth token exchange)
    surface: str = "merchant"  # for fault rules and the journal: "merchant" or "merchant-oauth"


class V2Router:
    """Collects the operations of one resource; `mount_v2` turns them into routes."""

    def __init__(self, tag: str) -> None:
        self.tag = tag
        self.operations: list[Operation] = []

    def op(self, path: str, *, scope: str, spec: Spec, summary: str, description: str = "",
           errors: tuple[str, ...] = (), prefixes: tuple[str, ...] = PREFIXES,
           auth: str = "v2") -> Callable[[Handler], Handler]:
        def register(fn: Handler) -> Handler:
            self.operations.append(Operation(path, fn, spec, scope, summary, description or (fn.__doc__ or ""),
                                             self.tag, errors, prefixes, auth, surface_of(prefixes[0] + path)))
            return fn
        return register


# ---- rendering ---------------------------------------------------------------------------------------

def render(body: dict[str, Any], fmt: str, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    if fmt == "xml":
        return Response(to_xml("Response", body), status_code=status, media_type=XML, headers=headers)
    return Response(orjson.dumps(body), status_code=status, media_type=JSON, headers=headers)


@dataclass(frozen=True)
class RawData:
    """A JSON answer's `data` already rendered, as parts the answer sends as they are (a page cut out of a
    merchant's book of orders: mockwish.merchant.orders.book): no copy of a 100 KB page, through orjson or a
    join (mockwish.wire.parts)."""

    parts: tuple[Part, ...]


def render_ok(result: V2Result, fmt: str, headers: dict[str, str] | None = None) -> Response:
    data = result.data
    if isinstance(data, RawData):
        if fmt != "json":
            raise TypeError("RawData is JSON")
        tail = b',"message":' + orjson.dumps(result.message)
        if result.paging is not None:
            tail += b',"paging":' + orjson.dumps(result.paging)
        # ok_body's keys, in its order; a short part at either end of the data goes with the head or the tail:
        # one body message less each (a page is "[", its slice of the book, "]")
        head, inner, tail = b'{"code":0,"data":', data.parts, tail + b"}"
        first, last = inner[0], inner[-1]
        if len(inner) > 1 and isinstance(first, bytes) and len(first) < SMALL_PART:
            head, inner = head + first, inner[1:]
        if len(inner) > 1 and isinstance(last, bytes) and len(last) < SMALL_PART:
            inner, tail = inner[:-1], last + tail
        return PartsResponse((head, *inner, tail), headers=headers, media_type=JSON)
    return render(ok_body(result), fmt, headers=headers)


SMALL_PART = 256  # a part this short is cheaper copied into its neighbour than sent as its own message


def ok_body(result: V2Result) -> dict[str, Any]:
    body: dict[str, Any] = {"code": 0, "data": result.data, "message": result.message}
    if result.paging is not None:
        body["paging"] = result.paging
    return body


def error_body(err: WishError, locale: str, with_type: bool = False) -> dict[str, Any]:
    body: dict[str, Any] = {"code": err.code, "data": err.data(), "message": err.message(locale)}
    if with_type:
        body["type"] = err.definition.type
    return body


def render_error(ctx: Ctx, err: WishError, fmt: str = "json", locale: str | None = None,
                 headers: dict[str, str] | None = None) -> Response:
    loc = locale or ctx.settings.default_locale
    return render(error_body(err, loc, ctx.settings.error_type_field), fmt, err.status, headers)


def pick_locale(raw: str | None, default: str, locales: tuple[str, ...] = LOCALES) -> str:
    """The `locale` a caller sent (its language part: zh_CN -> zh) when the surface speaks it, else the
    default (itself one of the surface's locales, else en)."""
    if raw:
        low = raw.strip().lower()[:2]
        if low in locales:
            return low
    return default if default in locales else "en"


def token_from(request: Request, raw: RawParams) -> str | None:
    auth = request.headers.get("authorization")
    if auth:
        scheme, _, value = auth.partition(" ")
        if scheme.lower() == "bearer" and value.strip():
            return value.strip()
    token = raw.get("access_token")
    return token.strip() if token else None


async def handle(op: Operation, request: Request) -> Response:
    ctx: Ctx = ctx_of(request)
    fmt = "json"
    locale: str = ctx.settings.default_locale
    headers: dict[str, str] = {}  # rate-limit headers, on every answer once the tenant is known
    try:
        raw = await read_params(request, ctx.settings.max_body_bytes)
        fmt_raw = raw.get("format", "").lower() or "json"
        if fmt_raw not in ("json", "xml"):
            raise WishError("invalid_param", value=raw.get("format", ""), param="format")
        fmt = fmt_raw
        explicit_locale = raw.get("locale")
        faults = ctx.faults
        scope = request.scope
        token = token_from(request, raw)
        if ctx.tenants.by_id:  # a tenant's credential: the request acts on that tenant's store and clock
            routed = ctx.tenants.route(token or raw.get("client_id"))
            if routed is not None:
                ctx = scope[CTX_KEY] = routed
        faults.check(scope, raw, None, op.surface)  # raises the fault a rule or the header asks for
        now = scope[NOW] = ctx.clock.now()
        ctx.timeline.settle(ctx.owner, now, defer=True)
        with ctx.owner.begin(defer=True) as conn:  # committed before the answer is sent (group commit)
            principal = None
            if op.auth != "none":
                principal = ctx.auth.authenticate(conn, token, op.scope, now, op.auth)
                tenant = scope[TENANT] = ctx.tenant_id or principal.merchant_id
                if tenant in faults.tenants:  # rules naming this caller: known now
                    faults.check(scope, raw, tenant, op.surface)
                locale = pick_locale(explicit_locale, principal.locale)
                if ctx.limiter.enabled:
                    decision = ctx.limiter.hit(principal.merchant_id, principal.app_id, now)
                    if not decision.into(headers):
                        raise WishError("rate_limited")
            else:
                locale = pick_locale(explicit_locale, locale)
            params = op.spec.parse(raw)
            result = op.handler(Call(ctx, conn, principal, params, raw, request, now, fmt))  # type: ignore[arg-type]  # None only for auth="none" operations, which never read it
        return render_ok(result, fmt, headers)
    except WishError as err:
        return render_error(ctx, err, fmt, pick_locale(locals().get("explicit_locale"), locale), headers)
    except FaultStatus as hit:
        return hit.response()
    except ClientDisconnect:  # the client left mid-body: nobody to answer, nothing to report
        return client_gone(ctx.log, request.url.path)
    except Exception:  # never a bare 500 page: a well-formed Wish 9000
        ctx.log.exception("unhandled error in %s", op.path)
        return render_error(ctx, WishError("unknown_error"), fmt, locale, headers)


def _endpoint(op: Operation) -> Callable[[Request], Any]:
    async def endpoint(request: Request) -> Response:
        return await handle(op, request)
    return endpoint


def mount_v2(app: FastAPI, routers: list[V2Router]) -> Routes:
    """Register every operation under each of its prefixes, GET and POST, as one entry of the app's routes
    (wire.openapi.OperationRoutes: /openapi.json documents the first prefix); returns the routes for the
    front door (wire.dispatch), which answers them."""
    from functools import partial

    from mockwish.wire.openapi import OperationRoutes, operation_docs

    routes: Routes = {}
    block = OperationRoutes()
    for router in routers:
        for op in router.operations:
            endpoint = _endpoint(op)
            for prefix in op.prefixes:
                routes[("GET", prefix + op.path)] = routes[("POST", prefix + op.path)] = endpoint
            for prefix in op.prefixes:
                for method in ("GET", "POST"):
                    block.add(prefix + op.path, method, endpoint,
                              f"{method.lower()}{prefix}{op.path}".replace("/", "_").replace("-", "_"),
                              partial(operation_docs, op, method) if prefix == op.prefixes[0] else None)
    app.router.routes.append(block)
    return routes
