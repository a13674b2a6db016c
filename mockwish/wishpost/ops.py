"""The WishPost operation registry and its one request pipeline, shared by every WishPost endpoint (the
OAuth ones now, orders, labels and tracking later). An operation declares next to its handler: its path
(under /wishpost), wire (v3 JSON or v2 XML), parameter spec, scope, rate-limit level and documented
errors. The pipeline reads the parameters, authenticates, counts the call, parses by the spec, runs the
handler inside one transaction and renders the answer (or the registry's error) in the operation's wire."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable
from copy import deepcopy
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any
from xml.etree.ElementTree import Element

import orjson
from fastapi import FastAPI
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

from mockwish.context import CTX_KEY, ctx_of
from mockwish.errors import WishError
from mockwish.sandbox.faults import NOW, TENANT, FaultStatus, surface_of
from mockwish.wire.dispatch import Routes
from mockwish.wire.params import RawParams, client_gone, query_pairs, read_body, read_params
from mockwish.wire.ratelimit import WISHPOST_USER, Level
from mockwish.wire.spec import NameList, Spec
from mockwish.wishpost import carriers, conventions, wire_v3, wire_xml
from mockwish.wishpost.carriers import Carrier
from mockwish.wishpost.conventions import Collection
from mockwish.wishpost.users import WishPostPrincipal

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from mockwish.context import Ctx

PREFIX = "/wishpost"
ORIGINAL_PATH = "mockwish.wishpost_port_path"  # scope key: the path the client sent to the WishPost port
# which registry entry each token state answers, per wire (supplement-wishpost.md 3.2 and 6)
V3_AUTH_ERRORS = {"missing": "wp_missing_param", "unknown": "wp_token_unknown", "revoked": "wp_token_revoked",
                  "expired": "wp_token_expired", "scope": "wp_insufficient_scope"}
XML_AUTH_ERRORS = {**V3_AUTH_ERRORS, "missing": "wp_unauthorized_request", "unknown": "wp_unauthorized_request"}


@dataclass
class WPCall:
    """Everything a handler may use. `conn` is inside the request's single transaction."""

    ctx: Ctx
    conn: Connection
    principal: WishPostPrincipal | None  # None only for operations declared auth="none"
    params: dict[str, Any]
    raw: RawParams
    request: Request
    now: datetime
    basic: tuple[str, str] | None = None  # client_id, client_secret of an `Authorization: Basic` header
    root: Element | None = None  # an XML operation's parsed body (create_order reads its <order> elements)
    locale: str = "en"  # the language the pipeline answers in (the `locale` parameter, else the user's)
    carrier: Carrier | None = None  # the carrier of an `X-API-Key` (then `principal` is None)

    @property
    def user_id(self) -> str:
        assert self.principal is not None
        return self.principal.user_id


# answers the endpoint's own keys (flat v3 keys, XML children), or a whole Response (a file)
Handler = Callable[[WPCall], "dict[str, Any] | Response"]


@dataclass(frozen=True)
class WPOperation:
    path: str  # the documented path under /wishpost, e.g. /api/v3/oauth/test
    handler: Handler
    spec: Spec
    scope: str
    summary: str
    description: str
    wire: str  # "v3" (JSON) or "xml" (v2)
    auth: str  # "token" or "none" (the OAuth token endpoints)
    level: Level
    errors: tuple[str, ...]
    methods: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    tag: str = "WishPost"
    array_body: str | None = None  # a JSON array body is read as this parameter (cancel_orders, WP-V3)
    xml_example: str = ""  # an XML operation's request as the docs show it (for /openapi.json)
    file_type: str | None = None  # the media type of a file the operation answers on success (a label PDF)
    error_fields: tuple[tuple[str, Any], ...] = ()  # keys a v3 error body carries too (WP-DOC: "orders": [])
    carriers: bool = False  # a carrier's `X-API-Key` may call it (orders_bag, hub_warehouse_table)
    collection: Collection | None = None  # the list a GET answers: sort_by, {attr}_min/_max and limit apply
    surface: str = "wishpost"  # for fault rules and the journal: wishpost (v3 JSON), wishpost-xml or wishpost-oauth


@dataclass
class WishPostRouter:
    tag: str
    operations: list[WPOperation] = field(default_factory=list)

    def op(self, path: str, *, scope: str, spec: Spec, summary: str, wire: str = "v3", auth: str = "token",
           level: Level = WISHPOST_USER, errors: tuple[str, ...] = (), methods: tuple[str, ...] = ("GET", "POST"),
           aliases: tuple[str, ...] = (), description: str = "", array_body: str | None = None,
           xml_example: str = "", file_type: str | None = None, error_fields: dict[str, Any] | None = None,
           carriers: bool = False, collection: Collection | None = None) -> Callable[[Handler], Handler]:
        def register(fn: Handler) -> Handler:
            self.operations.append(WPOperation(path, fn, spec, scope, summary, description or (fn.__doc__ or ""),
                                               wire, auth, level, errors, methods, aliases, self.tag, array_body,
                                               xml_example, file_type, tuple((error_fields or {}).items()),
                                               carriers, collection, surface_of(PREFIX + path)))
            return fn
        return register


# ---- reading a request ---------------------------------------------------------------------------

def as_wishpost(err: WishError, locale: str) -> WishError:
    """The shared parameter machinery raises Merchant-style keys; WishPost answers its own codes."""
    key = err.definition.key
    if key.startswith("wp_"):
        return err
    if key == "body_too_large":
        return WishError("wp_body_too_large", **err.params)
    if key == "invalid_body":
        return WishError("wp_invalid_body", reason=err.message(locale))
    if err.code == 1001:
        return WishError("wp_missing_param", param=err.params.get("param") or err.params.get("a") or "")
    if err.code == 1000:
        value = err.params.get("value") if key == "invalid_param" else err.message(locale)
        return WishError("wp_invalid_param", param=err.params.get("param", ""), value=value or "")
    return WishError("wp_unknown_error")


async def read_raw(op: WPOperation, request: Request, max_body: int) -> tuple[RawParams, Element | None]:
    """The request's parameters, and an XML operation's parsed body."""
    if op.wire == "v3":
        if op.array_body is not None:
            body = await read_body(request, max_body)
            if body.lstrip()[:1] == b"[":  # WP-V3's bare array: the list parameter itself
                return RawParams([*query_pairs(request), (op.array_body, body.decode("utf-8", "replace"))],
                                 body_array=True), None
        return await read_params(request, max_body), None
    # XML: the query string plus the root's children (a body without XML is read as a form, for curl users)
    body = await read_body(request, max_body)  # read_params below replays it from the request's cache
    ctype = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if body.lstrip()[:1] != b"<" and ctype in ("application/x-www-form-urlencoded", "application/json"):
        return await read_params(request, max_body), None
    settings = ctx_of(request).settings
    limits = wire_xml.XMLLimits(max_body, settings.xml_max_depth,
                                wire_xml.element_budget(settings.wishpost_max_orders_per_request))
    root = await wire_xml.parse_async(body, limits)  # bounded work, yielding to the loop between chunks
    return RawParams([*query_pairs(request), *wire_xml.fields(root).items()]), root


def authorization(request: Request) -> tuple[str, str] | None:
    """(scheme lowercased, value) of the Authorization header, or None when absent."""
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, value = header.strip().partition(" ")
    return scheme.lower(), value.strip()


def list_values(pairs: list[tuple[str, str]], name: str) -> list[str]:
    """Every value sent for the list `name`, in order: `name[]` repeated or comma separated (`name[]=a,b`, as
    WP-DOC writes it), `name` (or PHP's `name[0]`) likewise, or a JSON list (a JSON body's); blanks dropped. A
    JSON value that is not a list of strings or numbers is an invalid parameter."""
    pattern = re.compile(rf"{re.escape(name)}(\[[0-9]*\])?")
    out: list[str] = []
    for key, value in pairs:
        if not pattern.fullmatch(key):
            continue
        text = value.strip()
        if text.startswith(("[", "{")):
            try:
                items = orjson.loads(text)
            except orjson.JSONDecodeError:
                raise WishError("wp_invalid_param", param=name, value=text[:80]) from None
            if not isinstance(items, list) or not all(isinstance(i, str | int) and not isinstance(i, bool)
                                                      for i in items):
                raise WishError("wp_invalid_param", param=name, value=text[:80])
            out += [str(i).strip() for i in items]
        else:
            out += [part.strip() for part in text.split(",")]
    return [v for v in out if v]


def _merge_lists(op: WPOperation, raw: RawParams) -> None:
    """A v3 list parameter sent in any of its forms (`name[]` repeated, `name[0]`, `name` repeated) is read as
    one JSON list under its own name, so that every operation takes every form (the orders_bag docs write
    `bag_numbers[]=a,b`; PHP clients repeat `name[]`)."""
    for param in op.spec.params:
        if not isinstance(param, NameList):
            continue
        keys = [k for k, _ in raw.pairs if k == param.name or k.startswith(param.name + "[")]
        if len(keys) > 1 or (keys and keys[0] != param.name):
            raw[param.name] = orjson.dumps(list_values(raw.pairs, param.name)).decode()


def basic_credentials(request: Request) -> tuple[str, str] | None:
    """client_id and client_secret from `Authorization: Basic base64(id:secret)`; 1102 when malformed."""
    auth = authorization(request)
    if auth is None or auth[0] != "basic":
        return None
    try:
        decoded = base64.b64decode(auth[1], validate=True).decode("utf-8")
    except (binascii.Error, ValueError) as exc:
        raise WishError("wp_bad_auth_header") from exc
    client_id, sep, secret = decoded.partition(":")
    if not sep:
        raise WishError("wp_bad_auth_header")
    return client_id, secret


def token_of(request: Request, raw: RawParams) -> str | None:
    """Bearer header first, then the access_token parameter (body or query): supplement-wishpost.md 2."""
    auth = authorization(request)
    if auth is not None:
        if auth[0] != "bearer" or not auth[1] or " " in auth[1]:
            raise WishError("wp_bad_auth_header")
        return auth[1]
    token = raw.get("access_token")
    if (not token or not token.strip()) and "/api/v1/" in request.scope.get(ORIGINAL_PATH, request.url.path):
        token = raw.get("api_key")  # the v1 alias authenticates with <api_key> (supplement 1)
    return token.strip() if token and token.strip() else None


def _credential(op: WPOperation, request: Request, raw: RawParams) -> str | None:
    """What names the caller's tenant: the token, the carrier's key, or the OAuth client id."""
    if op.auth == "none":
        basic = basic_credentials(request)
        return basic[0] if basic is not None else raw.get("client_id") or raw.get("job_id")  # a statement link
    return carrier_key(request) or token_of(request, raw)


def carrier_key(request: Request) -> str | None:
    """The `X-API-Key` header (a carrier's key), when no `Authorization` header comes first (supplement 2:
    Bearer, then X-API-Key, then the body's and the query's access_token)."""
    if request.headers.get("authorization") is not None:
        return None
    key = request.headers.get("x-api-key")
    return key.strip() if key is not None else None


def carrier_of(conn: Connection, op: WPOperation, key: str) -> Carrier:
    """The carrier of `key`: an operation carriers may not call, and an unknown key, answer WP-DOC's
    4000 "API key is unauthorized"."""
    carrier = carriers.by_key(conn, key) if op.carriers and key else None
    if carrier is None:
        raise WishError("wp_api_key_unauthorized")
    return carrier


def _language(raw: RawParams) -> str | None:
    """tracking's `<language>` (CN or EN, any case) is the call's language when no `locale` is sent."""
    language = (raw.get("language") or "").strip().lower()
    return {"cn": "zh", "zh": "zh", "en": "en"}.get(language)


def _per(window: int) -> tuple[str, str]:
    return ("minute", "分钟") if window == 60 else (f"{window} seconds", f"{window} 秒")


# ---- the pipeline ------------------------------------------------------------------------------------

async def handle(op: WPOperation, request: Request) -> Response:
    ctx: Ctx = ctx_of(request)
    now = ctx.clock.now()  # for an answer before the body is read (taken again after)
    locale = wire_v3.pick_locale(None, ctx.settings.default_locale)
    headers: dict[str, str] = {}
    try:
        try:
            raw, root = await read_raw(op, request, ctx.settings.max_body_bytes)
            # the request's instant is taken once its body is in, as the Merchant pipeline does: reading it
            # yields to the loop, and a request that started earlier must not act before one that wrote since
            # (two cancels of one bag: the later one sees the first's cancel)
            now = ctx.clock.now()
            explicit = raw.get("locale") or _language(raw)
            locale = wire_v3.pick_locale(explicit, locale)
            faults, scope = ctx.faults, request.scope
            if ctx.tenants.by_id:  # a tenant's credential: the request acts on that tenant's store and clock
                routed = ctx.tenants.route(_credential(op, request, raw))
                if routed is not None:
                    ctx = scope[CTX_KEY] = routed
                    now = ctx.clock.now()
            scope[NOW] = now
            faults.check(scope, raw, None, op.surface)  # raises the fault a rule or the header asks for
            ctx.timeline.settle(ctx.owner, now, defer=True)  # what the clock did, committed with the request
            with ctx.owner.begin(defer=True) as conn:  # committed before the answer is sent (group commit)
                principal: WishPostPrincipal | None = None
                basic = carrier = None
                key = carrier_key(request) if op.auth != "none" else None
                if op.auth == "none":
                    basic = basic_credentials(request)
                elif key is not None:
                    carrier = carrier_of(conn, op, key)
                    _count(ctx, op, carrier.id, request, now, headers)
                else:
                    keys = V3_AUTH_ERRORS if op.wire == "v3" else XML_AUTH_ERRORS
                    principal = ctx.auth.lookup(conn, "wishpost", token_of(request, raw), op.scope,
                                                now, keys)
                    tenant = scope[TENANT] = ctx.tenant_id or principal.user_id
                    if tenant in faults.tenants:  # rules naming this caller: known now
                        faults.check(scope, raw, tenant, op.surface)
                    locale = wire_v3.pick_locale(explicit, principal.locale)
                    _count(ctx, op, principal.user_id, request, now, headers)
                if op.wire == "v3":
                    _merge_lists(op, raw)
                query = conventions.parse(raw, op.collection) if _conventional(op, request) else None
                params = op.spec.parse(raw)
                fields = op.handler(WPCall(ctx, conn, principal, params, raw, request, now, basic, root, locale,
                                           carrier))
                if query is not None and isinstance(fields, dict):
                    fields = conventions.apply(fields, query, op.collection)
        except WishError as err:
            raise as_wishpost(err, locale) from err
    except WishError as err:
        return render_error(op.wire, err, locale, now, headers, op.error_fields)
    except FaultStatus as hit:
        return hit.response()
    except ClientDisconnect:  # the client left mid-body: nobody to answer, nothing to report
        return client_gone(ctx.log, request.url.path)
    except Exception:  # never a bare 500 page: a well-formed WishPost 9000
        ctx.log.exception("unhandled error in WishPost %s", op.path)
        return render_error(op.wire, WishError("wp_unknown_error"), locale, now, headers, op.error_fields)
    if isinstance(fields, Response):  # a file (a label PDF) or a body of its own shape (WP-V3's bare array)
        fields.headers.update(headers)
        return fields
    if op.wire == "xml":
        return wire_xml.render(wire_xml.ok_body(fields, now), headers)
    return wire_v3.render(wire_v3.ok_body(fields, now), headers=headers)


def _conventional(op: WPOperation, request: Request) -> bool:
    """The 3.0.6 query conventions (fields, sort_by, _min/_max, limit) hold for every v3 GET except OAuth's."""
    return op.wire == "v3" and request.method == "GET" and "/oauth/" not in op.path


def _count(ctx: Ctx, op: WPOperation, caller: str, request: Request, now: datetime,
           headers: dict[str, str]) -> None:
    """Counts the call against the operation's level for `caller` (a user id, or a carrier's id)."""
    limiter = ctx.limiter
    if not limiter.enabled:
        return
    client = request.scope.get("client") if op.level.by_ip else None  # the IP only where the level counts it
    ip = client[0] if client else "unknown"
    decision = limiter.hit_level(op.path, op.level, caller, ip, now)
    if not decision.into(headers):
        quota = limiter.level_quota(caller, op.level)
        per, per_zh = _per(quota.window_seconds)
        raise WishError(f"wp_rate_limited_{op.level.code}", limit=quota.limit, per=per, per_zh=per_zh)


def render_error(wire: str, err: WishError, locale: str, now: datetime, headers: dict[str, str] | None = None,
                 extra: tuple[tuple[str, Any], ...] = ()) -> Response:
    if wire == "xml":
        return wire_xml.render(wire_xml.error_body(err, locale, now), headers)
    if extra:  # the operation's own keys, empty, as its documented error example shows them
        body = {**wire_v3.error_body(err, locale, now), **{k: deepcopy(v) for k, v in extra}}
        return wire_v3.render(body, err.status, headers)
    return wire_v3.render_error(err, locale, now, headers)


def http_error(request: Request, status: int, allow: str) -> Response:
    """404 and 405 under /wishpost, in the WishPost v3 envelope (the app's handlers call this)."""
    ctx: Ctx = ctx_of(request)
    locale = wire_v3.pick_locale(request.query_params.get("locale"), ctx.settings.default_locale)
    if status == 405:
        err = WishError("wp_method_not_allowed", method=request.method, allowed=allow.replace(", ", " or "))
        return wire_v3.render_error(err, locale, ctx.clock.now(), {"Allow": allow})
    path = request.scope.get(ORIGINAL_PATH, request.url.path)  # as the client sent it
    return wire_v3.render_error(WishError("wp_endpoint_not_found", path=path), locale, ctx.clock.now())


def _endpoint(op: WPOperation) -> Callable[[Request], Any]:
    async def endpoint(request: Request) -> Response:
        return await handle(op, request)
    return endpoint


def mount_wishpost(app: FastAPI, routers: list[WishPostRouter]) -> Routes:
    """Register every operation at /wishpost<path> (and its aliases), as one entry of the app's routes
    (wire.openapi.OperationRoutes); the documented path is in /openapi.json. Returns the routes for the front
    door (wire.dispatch), which answers them."""
    from functools import partial

    from mockwish.wire.openapi import OperationRoutes
    from mockwish.wishpost.openapi import operation_docs

    routes: Routes = {}
    block = OperationRoutes()
    for router in routers:
        for op in router.operations:
            endpoint = _endpoint(op)
            for path in (op.path, *op.aliases):
                for method in op.methods:
                    routes[(method, PREFIX + path)] = endpoint
                    block.add(PREFIX + path, method, endpoint,
                              f"wishpost_{method.lower()}{path}".replace("/", "_").replace("-", "_"),
                              partial(operation_docs, op, method) if path == op.path else None)
    app.router.routes.append(block)
    return routes
