"""create_app(settings): the one FastAPI application serving every surface."""

from __future__ import annotations

import gc
import logging
import re
import threading
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from sqlalchemy import Engine

if TYPE_CHECKING:
    from mockwish.scenarios.model import Scenario
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send

from mockwish import __version__, docs_pages
from mockwish.auth import oauth
from mockwish.auth import page as authorize_page
from mockwish.auth import routes as oauth_routes
from mockwish.auth.page import Sessions
from mockwish.auth.tokens import Authenticator
from mockwish.clock import Clock
from mockwish.config import Settings
from mockwish.context import Ctx
from mockwish.errors import WishError
from mockwish.jobs import JobMachine
from mockwish.merchant import files as static_routes
from mockwish.merchant.account import routes as account_routes
from mockwish.merchant.fulfillment import routes as fulfillment_routes
from mockwish.merchant.infractions import routes as infraction_routes
from mockwish.merchant.infractions import sandbox as sandbox_infractions
from mockwish.merchant.notifications import routes as notification_routes
from mockwish.merchant.notifications import sandbox as sandbox_notifications
from mockwish.merchant.orders import download as order_download
from mockwish.merchant.orders import routes as order_routes
from mockwish.merchant.orders.lifecycle import OrderClock
from mockwish.merchant.orders.rules import OrderPolicy
from mockwish.merchant.products import download
from mockwish.merchant.products import routes as product_routes
from mockwish.merchant.returns import routes as return_routes
from mockwish.merchant.returns import sandbox as sandbox_returns
from mockwish.merchant.tickets import routes as ticket_routes
from mockwish.merchant.tickets import sandbox as sandbox_tickets
from mockwish.merchant.variants import bulk
from mockwish.merchant.variants import routes as variant_routes
from mockwish.merchant.warehouses import routes as warehouse_routes
from mockwish.sandbox import apps as sandbox_apps
from mockwish.sandbox import fault_routes, journal_routes
from mockwish.sandbox import parcels as sandbox_parcels
from mockwish.sandbox import routes as sandbox_routes
from mockwish.sandbox import transactions as sandbox_transactions
from mockwish.sandbox import wishpost as sandbox_wishpost
from mockwish.sandbox.faults import Faults
from mockwish.sandbox.guard import SandboxGuard
from mockwish.sandbox.journal import Journal
from mockwish.sandbox.state import SandboxStore
from mockwish.scenarios import routes as scenario_routes
from mockwish.scenarios.baseline import apply_stored_controls, marker, with_scenario
from mockwish.store.engine import make_engine
from mockwish.store.owner import StoreOwner
from mockwish.store.read_cache import ReadCache
from mockwish.tenants import routes as tenant_routes
from mockwish.tenants.clock import TenantClock
from mockwish.tenants.registry import Seeder, Tenants
from mockwish.tenants.routes import TenantRouter
from mockwish.timeline import Timeline
from mockwish.wire.dispatch import BodyLimit, FrontDoor, RequestIdMiddleware
from mockwish.wire.openapi import add_security, with_operations
from mockwish.wire.ratelimit import RateLimiter
from mockwish.wire.v2 import mount_v2, render_error
from mockwish.wishpost import oauth_routes as wishpost_oauth_routes
from mockwish.wishpost import ops as wishpost_ops
from mockwish.wishpost.account import routes as account_wp_routes
from mockwish.wishpost.account import sandbox as sandbox_wp_account
from mockwish.wishpost.bags import routes as bag_routes
from mockwish.wishpost.bags import sandbox as sandbox_bags
from mockwish.wishpost.parcels import routes as parcel_routes
from mockwish.wishpost.parcels.clock import ParcelClock
from mockwish.wishpost.parcels.rules import Policy as ParcelPolicy
from mockwish.wishpost.payments import routes as payment_routes
from mockwish.wishpost.payments import sandbox as sandbox_payments
from mockwish.wishpost.payments import statement
from mockwish.wishpost.port import WishPostPort, port_map


class MockwishApp(FastAPI):
    """The FastAPI app, with the front door (mockwish.wire.dispatch) in front of its middleware stack: an API
    operation's request is answered before FastAPI's own middlewares (error page, telemetry, body limit) and
    the router, which its pipeline does not need; everything else goes the usual way."""

    front: FrontDoor | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        front = self.front
        if front is not None and scope["type"] == "http":
            scope["app"] = self  # as Starlette sets it: the pipelines find the context through it
            if await front.serve(scope, receive, send):
                return
            if front.journaled(scope):
                await front.serve_other(scope, receive, send, super().__call__)
                return
        await super().__call__(scope, receive, send)


def default_fixtures_dir() -> Path | None:
    here = Path(__file__).resolve().parent.parent / "fixtures"
    return here if here.is_dir() else None


def build_context(settings: Settings) -> Ctx:
    """The default data's context, and the registry that builds each tenant's beside it."""
    engine = make_engine(settings)
    clock = Clock(settings.db_path.with_suffix(".clock.json") if settings.db_path is not None else None)
    faults = Faults()
    faults.header_token = settings.sandbox_token  # the Mockwish-Fault header only beside the sandbox token, if set
    journal = Journal(capacity=settings.journal_capacity, body_cap=settings.journal_body_bytes,
                      enabled=settings.journal)
    root = settings.db_path.parent / "tenants" if settings.db_path is not None else None
    ctx: Ctx | None = None

    def tenant_context(tenant_id: str, url: str, clock_file: Path | None, seeder: Seeder, keep: bool) -> Ctx:
        assert ctx is not None
        return _assemble(settings, make_engine(settings.model_copy(update={"database_url": url})),
                         TenantClock(ctx.clock, clock_file), faults, journal, ctx.tenants, tenant_id=tenant_id,
                         seeder=seeder, keep_snapshot=keep, read_cache_bytes=settings.tenant_read_cache_bytes)

    tenants = Tenants(tenant_context, root, settings.max_tenants)
    ctx = _assemble(settings, engine, clock, faults, journal, tenants)
    if settings.scenario is not None:  # MOCKWISH_SCENARIO: part of the default data's seeded state
        scenario = startup_scenario(settings.scenario)
        ctx.sandbox.seeder = with_scenario(ctx.sandbox.seed_default, scenario, token_prefix="",
                                           order_policy=ctx.order_policy, parcel_policy=ctx.parcel_policy)
        ctx.sandbox.scenario_marker = marker(scenario)
    return ctx


def startup_scenario(path: Path) -> Scenario:
    """MOCKWISH_SCENARIO, validated: an invalid file stops the start with every problem listed."""
    from mockwish.scenarios.load import load_path

    loaded = load_path(path)
    if isinstance(loaded, list):
        raise SystemExit(f"MOCKWISH_SCENARIO={path} is not a valid scenario:\n" +
                         "\n".join(f"  {p}" for p in loaded))
    return loaded


def _assemble(settings: Settings, engine: Engine, clock: Clock, faults: Faults, journal: Journal, tenants: Tenants,
              *, tenant_id: str | None = None, seeder: Seeder | None = None, keep_snapshot: bool = True,
              read_cache_bytes: int | None = None) -> Ctx:
    """One context over one store: the default data's, or a tenant's (its own owner, timeline, caches and
    quotas; the fault rules, the journal and the tenants shared)."""
    owner = StoreOwner(engine)
    auth = Authenticator(settings.default_locale)
    jobs = JobMachine(settings.job_pending_seconds, settings.job_running_seconds)
    for kind in (download.JOB, bulk.JOB, order_download.JOB, statement.JOB):
        jobs.register(kind)
    orders = OrderClock()
    order_policy = OrderPolicy.from_settings(settings)
    parcels = ParcelClock(settings.wishpost_auto_fulfill, orders, order_policy)
    timeline = Timeline(jobs, orders, parcels)
    limiter = RateLimiter(settings.rate_limit_quota, settings.rate_limit_window_seconds,
                          enabled=settings.rate_limit_enabled, wishpost_limit=settings.wishpost_rate_limit_quota)
    sessions = Sessions()
    read_cache = ReadCache(read_cache_bytes if read_cache_bytes is not None else settings.read_cache_max_bytes)
    # another process's commit (`mockwish seed` or `generate` while serving): what was derived from the store
    timeline.listeners += [read_cache.invalidate, auth.invalidate]
    # a rolled-back write: what a cache took from its uncommitted rows goes too
    owner.rollback_listeners += [read_cache.invalidate, auth.invalidate]
    sandbox = SandboxStore(engine, owner, seed=settings.seed, products_per_merchant=settings.products_per_merchant,
                           fixtures_dir=settings.fixtures_dir or default_fixtures_dir(), clock=clock,
                           order_policy=order_policy, seeder=seeder, keep_snapshot=keep_snapshot,
                           settle_seeded=jobs.settle_all)
    if tenant_id is not None:  # every credential it issues starts with its id (mockwish.tenants.registry)
        with engine.connect() as conn:
            oauth.set_credential_prefix(conn, tenant_id)
    return Ctx(settings=settings, engine=engine, clock=clock, owner=owner, auth=auth, jobs=jobs,
               sandbox=sandbox, limiter=limiter, sessions=sessions, read_cache=read_cache, timeline=timeline,
               orders=orders, order_policy=order_policy, parcels=parcels,
               parcel_policy=ParcelPolicy.from_settings(settings), faults=faults, journal=journal,
               tenants=tenants, tenant_id=tenant_id, token_prefix=tenant_id or "",
               log=logging.getLogger("mockwish"))


def allowed_methods(request: Request) -> str:
    """The Allow header of a 405: the methods the OpenAPI document declares for this path (the /v2 alias
    answers like /api/v2). Each v2 operation is two routes, so Starlette's own header is not enough."""
    table: list[tuple[re.Pattern[str], str]] | None = getattr(request.app.state, "allow_table", None)
    if table is None:
        table = []
        for template, item in request.app.openapi().get("paths", {}).items():
            methods = ", ".join(sorted(m.upper() for m in item if m in ("get", "post", "put", "patch", "delete")))
            pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
            table.append((re.compile(f"^{pattern}$"), methods))
        request.app.state.allow_table = table
    path = request.url.path
    for candidate in (path, "/api" + path):
        for compiled, methods in table:
            if compiled.match(candidate):
                return methods
    return "GET, POST"


def validation_wish_error(errors: Sequence[Any]) -> WishError:
    """A sandbox body that FastAPI's models refuse, as one Wish error in plain words: which field is wrong
    and why (the first problem found), never pydantic's own locations and codes."""
    first = errors[0] if errors else {}
    kind = first.get("type", "")
    loc = [str(x) for x in first.get("loc", ()) if x != "body"]
    if kind == "json_invalid":  # loc is ("body", <character position>)
        reason = str(first.get("ctx", {}).get("error", "")) or "malformed"
        return WishError("json_body_invalid", reason=reason, position=loc[0] if loc else "0")
    field = ".".join(loc)
    if not field:  # the body as a whole: a list, a string, a number where an object is expected
        return WishError("body_not_object")
    if kind == "missing":
        return WishError("missing_param", param=field)
    if kind == "extra_forbidden":
        return WishError("unknown_field", param=field)
    given = first.get("input")
    try:
        shown = given.decode("utf-8", "replace") if isinstance(given, bytes) else orjson.dumps(given).decode()
    except TypeError:
        shown = repr(given)
    reason = str(first.get("msg", "")).removeprefix("Value error, ")
    return WishError("invalid_field", param=field, reason=reason,
                     value=shown if len(shown) <= 80 else shown[:77] + "...")


def install_error_handlers(app: FastAPI) -> None:
    """Wish envelopes for what the router itself rejects; never FastAPI's default bodies."""

    def ctx_of(request: Request) -> Ctx:
        return request.app.state.ctx

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code in (404, 405) and request.url.path.startswith(wishpost_ops.PREFIX + "/"):
            return wishpost_ops.http_error(request, exc.status_code, allowed_methods(request))  # WishPost envelope
        if exc.status_code == 405:
            # every v2 operation is GET and POST; Starlette passes the route's Allow header through
            allow = allowed_methods(request)
            return render_error(ctx_of(request), WishError("method_not_allowed", method=request.method,
                                                           allowed=allow.replace(", ", " or ")),
                                headers={"Allow": allow})
        elif exc.status_code == 404:
            err = WishError("endpoint_not_found", path=request.url.path)
        else:
            return JSONResponse({"code": exc.status_code, "data": {}, "message": str(exc.detail)},
                                status_code=exc.status_code)
        return render_error(ctx_of(request), err)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        return render_error(ctx_of(request), validation_wish_error(exc.errors()))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        ctx_of(request).log.exception("unhandled error on %s", request.url.path)
        return render_error(ctx_of(request), WishError("unknown_error"))


SANDBOX_ERROR = {"application/json": {"schema": {"$ref": "#/components/schemas/SandboxError"}}}
# what the control API's guard answers (mockwish.sandbox.guard), on every /sandbox operation
SANDBOX_GUARD_RESPONSES = {
    "401": {"description": "MOCKWISH_SANDBOX_TOKEN is set and X-Sandbox-Token is missing or wrong (code 4000)",
            "content": SANDBOX_ERROR},
    "403": {"description": "A Host the control API does not accept, or a state-changing call from a page of "
                           "another origin (code 4000)", "content": SANDBOX_ERROR},
}


def declare_validation_as_400(schema: dict[str, Any]) -> dict[str, Any]:
    """Sandbox routes answer bad bodies with 400 and an error envelope (never FastAPI's 422), and declare what
    the control API's guard may answer."""
    for path, item in schema.get("paths", {}).items():
        for op in item.values():
            responses = op.get("responses", {}) if isinstance(op, dict) else {}
            if responses.pop("422", None) is not None:
                responses.setdefault("400", {"description": "Invalid parameter (code 1000)",
                                             "content": SANDBOX_ERROR})
            if path.startswith("/sandbox/") and isinstance(op, dict):
                for status, declared in SANDBOX_GUARD_RESPONSES.items():
                    responses.setdefault(status, declared)
    schemas = schema.setdefault("components", {}).setdefault("schemas", {})
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    schemas["SandboxError"] = {"type": "object", "required": ["code", "data", "message"], "properties": {
        "code": {"type": "integer"}, "data": {}, "message": {"type": "string"}}}
    return schema


def owner_lifespan(ctx: Ctx) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """While the app serves, the loop's thread owns the store (mockwish.store.owner)."""
    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        ctx.owner.bind()
        ctx.tenants.bind_all()
        freeze_start_objects()
        threading.Thread(target=warm_generators, name="mockwish-warm", daemon=True).start()
        try:
            yield
        finally:
            ctx.tenants.release_all()
            ctx.owner.release()
    return lifespan


_frozen = False


def freeze_start_objects() -> None:
    """Once per process: what the start left alive (modules, the app, its tables) stays alive, and full garbage
    collections no longer walk it: they paused tenant creations for up to 0.6 s on a 200 MB heap (bench/RESULTS.md,
    "Tenants"). Once only: a test process starts many apps, and what it freezes is never collected."""
    global _frozen
    if not _frozen:
        _frozen = True
        gc.freeze()
    gc.enable()  # `mockwish serve` starts without it (mockwish.cli.serve)


def warm_generators() -> None:
    """Off the loop, once serving: load what making a tenant or a scenario needs (Faker, the generators, the
    YAML reader), so the first tenant is made as fast as the next ones, without slowing every start."""
    try:
        from faker import Faker

        import mockwish.scenarios.apply  # noqa: F401  (and the generators it imports)
        import mockwish.scenarios.load  # noqa: F401
        import mockwish.tenants.seed  # noqa: F401

        Faker("en_US")
    except Exception:  # noqa: BLE001 (a warm-up: the first tenant would load the same and report the error)
        logging.getLogger("mockwish").debug("warm-up failed", exc_info=True)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    ctx = build_context(settings)
    started = time.perf_counter()
    report = ctx.sandbox.prepare()
    if report is not None:
        ctx.log.info("seeded %s merchants, %s products, %s variants (seed %s) in %.2fs", report.merchants,
                     report.products, report.variants, report.seed, time.perf_counter() - started)
    apply_stored_controls(ctx)  # a baseline scenario's rate limits and fault rules (MOCKWISH_SCENARIO)
    if tenant_routes.load_tenants(ctx):
        ctx.log.info("%s tenants back from the data dir", len(ctx.tenants.by_id))

    app = MockwishApp(title="mockwish", version=__version__, lifespan=owner_lifespan(ctx), docs_url=None,
                      redoc_url=None,
                      description="Offline sandbox of the Wish Merchant API v2 and the WishPost API (under "
                                  "/wishpost). Every Merchant v2 operation accepts GET and POST; see the README.")
    app.state.ctx = ctx
    v2_routes = mount_v2(app, [account_routes.router, oauth_routes.router, product_routes.router,
                                   variant_routes.router, fulfillment_routes.router, order_routes.router,
                                   warehouse_routes.router, ticket_routes.router, notification_routes.router,
                                   notification_routes.announcements,
                                   infraction_routes.router, return_routes.router])
    app.include_router(authorize_page.router)
    app.include_router(static_routes.router)
    app.include_router(sandbox_routes.router)
    app.include_router(sandbox_apps.router)
    app.include_router(sandbox_transactions.router)
    app.include_router(sandbox_wishpost.router)
    app.include_router(sandbox_parcels.router)
    app.include_router(sandbox_bags.router)
    app.include_router(sandbox_payments.router)
    app.include_router(sandbox_wp_account.router)
    for area in (sandbox_tickets, sandbox_notifications, sandbox_infractions, sandbox_returns):
        app.include_router(area.router)
    app.include_router(fault_routes.router)
    app.include_router(tenant_routes.router)
    app.include_router(scenario_routes.router)
    app.include_router(journal_routes.router)
    fast_routes = {**v2_routes, **wishpost_ops.mount_wishpost(app, [
        wishpost_oauth_routes.router, parcel_routes.router, bag_routes.router, payment_routes.router,
        account_wp_routes.router])}

    @app.get("/healthz", tags=["Sandbox control"], summary="Liveness")
    @app.head("/healthz", include_in_schema=False)  # HEAD answers like GET, without the body
    def healthz() -> dict[str, Any]:
        return {"status": "ok", "version": __version__}

    docs_pages.mount(app, settings)  # /docs, /redoc (offline assets) and the landing page /
    install_error_handlers(app)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            # the API operations' path items come from their registries (wire.openapi.OperationRoutes)
            app.openapi_schema = add_security(declare_validation_as_400(with_operations(get_openapi(
                title=app.title, version=app.version, description=app.description, routes=app.routes),
                app.routes)))
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented way to customise the schema
    app.front = FrontDoor(fast_routes, port_map(settings.own_wishpost_port))
    app.add_middleware(TenantRouter, ctx=ctx)  # innermost: after the guard has let the call in
    app.add_middleware(BodyLimit, max_body=settings.max_body_bytes)
    # the WishPost port answers at its root (never the main port itself)
    app.add_middleware(WishPostPort, port=settings.own_wishpost_port)
    app.add_middleware(SandboxGuard, ctx=ctx)  # who may call /sandbox, on either port (sees the path as sent)
    app.add_middleware(RequestIdMiddleware)  # added last: outermost, so every response carries the id
    return app
