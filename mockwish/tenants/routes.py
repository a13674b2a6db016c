"""/sandbox/api/tenants: create, list, describe and delete tenants; and every other sandbox call for one
tenant, under /sandbox/api/tenants/{id}/<call> (reset, clock, seed, rate-limits, transactions, faults,
requests, ...), which TenantRouter hands to the same route with the tenant's context."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr
from sqlalchemy import Connection
from starlette.types import ASGIApp, Receive, Scope, Send

from mockwish.context import CTX_KEY, Ctx, ctx_of
from mockwish.errors import WishError
from mockwish.ids import new_id
from mockwish.scenarios import shipped
from mockwish.scenarios.errors import ScenarioRefused
from mockwish.tenants.credentials import PASSWORD, Credentials
from mockwish.tenants.registry import ID_LENGTH, Seeder, Tenant
from mockwish.wire.v2 import render_error

if TYPE_CHECKING:  # the generators (Faker) and the YAML reader load when a tenant is made, not at every start
    from mockwish.scenarios.model import Scenario
    from mockwish.seed.database import SeedReport

PREFIX = "/sandbox/api"
TENANTS = PREFIX + "/tenants"
HEADER = b"mockwish-tenant"
router = APIRouter(prefix=TENANTS, tags=["Sandbox tenants"])
_ERRORS: dict[int | str, dict[str, Any]] = {400: {"description": "Invalid field (code 1000)"},
                                           404: {"description": "No tenant with this id (code 1004)"}}


class TenantIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    data: Literal["none", "small", "full"] | None = Field(
        default=None, description="none: the merchant, its token and app only; small (the default without a "
        "scenario): 10 products, 10 orders and the support data of one merchant; full: what each default merchant "
        "has. With a scenario and no data: the scenario alone")
    wishpost: StrictBool = Field(default=False, description="Also a WishPost user linked to the merchant (its "
                                 "tokens, app and pickup carrier; parcels with small or full data)")
    seed: StrictInt | None = Field(default=None, ge=0, le=2**32, description="Seed number; default: the server's")
    scenario: StrictStr | dict[str, Any] | None = Field(
        default=None, description="A scenario: the name of a shipped one (fixtures/scenarios, e.g. "
        "\"ten-orders-to-ship\") or the scenario itself, as in a scenario file. It is part of the tenant's seeded "
        "state: a reset of the tenant restores it, controls included")


class WishPostOut(BaseModel):
    user_id: str
    username: str
    password: str
    access_token: str | None = Field(description="v3 Bearer token and v2 XML <access_token>")
    api_key: str = Field(description="v1 <api_key>")
    client_id: str | None = Field(description="The user's private OAuth app (none in a scenario alone)")
    client_secret: str | None
    carrier_key: str | None = Field(description="X-API-Key of the tenant's pickup carrier (none in a scenario alone)")


class TenantOut(BaseModel):
    id: str = Field(description="The tenant's id, also its first merchant's; every credential it issues starts with it")
    merchant_id: str | None
    access_token: str | None = Field(description="The merchant's token (every scope, no expiry, unless a scenario "
                                     "says otherwise)")
    username: str | None
    password: str | None
    client_id: str | None = Field(description="The merchant's private OAuth app")
    client_secret: str | None
    wishpost: WishPostOut | None
    data: str
    seed: int
    created_at: str
    clock: dict[str, Any]
    scenario: dict[str, Any] | None = Field(description="What the tenant's scenario created (as POST "
                                            "/sandbox/api/scenarios answers it), when it has one")
    sandbox_url: str = Field(description="Every sandbox call for this tenant alone: <sandbox_url>/reset, /clock, ...")


class TenantsOut(BaseModel):
    tenants: list[TenantOut]


class DeletedOut(BaseModel):
    deleted: int


def tenant_out(tenant: Tenant) -> dict[str, Any]:
    report = tenant.extra.get("report")
    out: dict[str, Any] = {**tenant.describe(), "scenario": report, "sandbox_url": f"{TENANTS}/{tenant.id}"}
    if tenant.data != "scenario":  # the tenant's own merchant (and WishPost user), from its id
        creds = Credentials.of(tenant.id)
        wishpost = None
        if tenant.wishpost:
            wishpost = {"user_id": creds.wishpost_user_id, "username": creds.wishpost_username,
                        "password": PASSWORD, "access_token": creds.wishpost_token, "api_key": creds.wishpost_api_key,
                        "client_id": creds.wishpost_client_id, "client_secret": creds.wishpost_client_secret,
                        "carrier_key": creds.carrier_key}
        return {**out, "merchant_id": tenant.id, "access_token": creds.access_token, "username": creds.username,
                "password": PASSWORD, "client_id": creds.client_id, "client_secret": creds.client_secret,
                "wishpost": wishpost}
    # a scenario alone: its first merchant, app and WishPost user
    merchant = next(iter(report["merchants"]), None) if report else None
    app = next(iter(report["apps"]), None) if report else None
    user = next(iter(report["wishpost_users"]), None) if report else None
    return {**out, "merchant_id": merchant and merchant["id"],
            "access_token": merchant["tokens"][0]["token"] if merchant and merchant["tokens"] else None,
            "username": merchant and merchant["username"], "password": merchant and merchant["password"],
            "client_id": app and app["client_id"], "client_secret": app and app["client_secret"],
            "wishpost": user and {"user_id": user["id"], "username": user["username"], "password": user["password"],
                                  "access_token": user["tokens"][0]["token"] if user["tokens"] else None,
                                  "api_key": user["api_key"], "client_id": None, "client_secret": None,
                                  "carrier_key": None}}


def data_seeder(ctx: Ctx, tenant_id: str, data: str, wishpost: bool, scenario: Scenario | None = None
                ) -> tuple[Seeder, bool]:
    """How the tenant's store is filled, and whether its seeded snapshot is kept for resets (`full` data's is
    not: tens of megabytes per tenant; a reset seeds it again)."""
    base: Seeder | None = None
    if data != "scenario":
        def base(conn: Connection, seed: int, now: Any) -> SeedReport:
            from mockwish.tenants.seed import seed_tenant

            return seed_tenant(conn, tenant_id=tenant_id, data=data, wishpost=wishpost, seed=seed, now=now,
                               order_policy=ctx.order_policy, products_per_merchant=ctx.settings.products_per_merchant)
    if scenario is None:
        assert base is not None
        return base, data != "full"
    from mockwish.scenarios.baseline import with_scenario

    return with_scenario(base, scenario, token_prefix=tenant_id, order_policy=ctx.order_policy,
                         parcel_policy=ctx.parcel_policy), data != "full"


async def make_tenant(ctx: Ctx, *, data: str | None, wishpost: bool, seed: int | None,
                      scenario: Scenario | None) -> Tenant:
    """A new tenant of `data` (small by default), with a scenario on top of it or alone (data None). Raises
    WishError (the tenant limit, a scenario the store refuses)."""
    from mockwish.scenarios.load import ScenarioInvalid

    tenant_id = new_id()
    kind = data or ("scenario" if scenario is not None else "small")
    extra: dict[str, Any] = {}
    if scenario is not None:
        if kind == "scenario" and scenario.merchants:  # the tenant's id is its first merchant's
            first = scenario.merchants[0].model_copy(update={"id": tenant_id})
            scenario = scenario.model_copy(update={"merchants": [first, *scenario.merchants[1:]]})
        extra["scenario"] = scenario.model_dump(mode="json", by_alias=True, exclude_none=True)
    seeder, keep = data_seeder(ctx, tenant_id, kind, wishpost and kind != "scenario", scenario)
    try:
        tenant = await ctx.tenants.create(data=kind, wishpost=wishpost and kind != "scenario",
                                          seed=seed if seed is not None else ctx.settings.seed, seeder=seeder,
                                          keep_snapshot=keep, tenant_id=tenant_id, extra=extra)
    except ScenarioInvalid as refused:
        raise ScenarioRefused(refused.problems) from None
    from mockwish.scenarios.baseline import apply_stored_controls

    applied = apply_stored_controls(tenant.ctx)
    if scenario is not None:
        tenant.extra["report"] = _report(tenant.ctx, applied)
        ctx.tenants.save(tenant)
    return tenant


def _report(ctx: Ctx, applied: Any) -> dict[str, Any] | None:
    from mockwish.scenarios.baseline import stored_report

    with ctx.owner.begin() as conn:
        report = stored_report(conn)
    if report is not None and applied is not None:
        report["faults"] = applied.report()["faults"]
        report["controls_applied"] = True
    return report


def resolve_scenario(ctx: Ctx, given: str | dict[str, Any]) -> Scenario:
    """A shipped scenario by name, or one given inline; raises its problems as one WishError."""
    from mockwish.scenarios.load import load_path, validate

    if isinstance(given, str):
        known = shipped(ctx.sandbox.fixtures_dir)
        if given not in known:
            raise WishError("unknown_scenario", name=given[:64], known=", ".join(known) or "none")
        loaded = load_path(known[given])
    else:
        loaded = validate(given)
    if isinstance(loaded, list):
        raise ScenarioRefused(loaded)
    return loaded


@router.post("", response_model=TenantOut, status_code=201, responses=_ERRORS,
             summary="Create a tenant: a merchant with its own store, clock and rate-limit quotas")
async def create_tenant(request: Request, body: TenantIn | None = None) -> Any:
    ctx = ctx_of(request)
    body = body or TenantIn()
    try:
        scenario = resolve_scenario(ctx, body.scenario) if body.scenario is not None else None
        tenant = await make_tenant(ctx, data=body.data, wishpost=body.wishpost, seed=body.seed, scenario=scenario)
    except WishError as err:
        return render_error(ctx, err)
    return tenant_out(tenant)


@router.get("", response_model=TenantsOut, summary="Every tenant")
async def list_tenants(request: Request) -> Any:
    return {"tenants": [tenant_out(t) for t in ctx_of(request).tenants.by_id.values()]}


@router.delete("", response_model=DeletedOut, summary="Delete every tenant (the default data stays)")
async def delete_tenants(request: Request) -> Any:
    return {"deleted": ctx_of(request).tenants.delete_all()}


@router.get("/{tenant_id}", response_model=TenantOut, responses=_ERRORS, summary="One tenant")
async def get_tenant(request: Request, tenant_id: str) -> Any:
    ctx = ctx_of(request)
    tenant = ctx.tenants.get(tenant_id)
    if tenant is None:
        return render_error(ctx, _not_found(tenant_id))
    return tenant_out(tenant)


@router.delete("/{tenant_id}", response_model=DeletedOut, responses=_ERRORS,
               summary="Delete a tenant: its store, clock and fault rules (the journal keeps its requests)")
async def delete_tenant(request: Request, tenant_id: str) -> Any:
    ctx = ctx_of(request)
    if not ctx.tenants.delete(tenant_id):
        return render_error(ctx, _not_found(tenant_id))
    return {"deleted": 1}


def _not_found(tenant_id: str) -> WishError:
    return WishError("record_not_found", kind="tenant", id=tenant_id[:64])


class TenantRouter:
    """Hands a sandbox call to a tenant's context: /sandbox/api/tenants/{id}/<call> becomes /sandbox/api/<call>
    acting on that tenant; so does any /sandbox/api call with a `Mockwish-Tenant: <id>` header, or with an
    `Authorization: Bearer` token the tenant issued. Inside the guard: who may call is decided first."""

    def __init__(self, app: ASGIApp, ctx: Ctx) -> None:
        self.app = app
        self.ctx = ctx

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(PREFIX + "/"):
            routed = self.route(scope)
            if isinstance(routed, WishError):
                await render_error(self.ctx, routed)(scope, receive, send)
                return
            scope = routed
        await self.app(scope, receive, send)

    def route(self, scope: Scope) -> Scope | WishError:
        path: str = scope["path"]
        tenants = self.ctx.tenants
        if path.startswith(TENANTS + "/"):
            tenant_id, _, rest = path[len(TENANTS) + 1:].partition("/")
            if not rest:
                return scope  # the tenant's own routes (GET, DELETE)
            tenant = tenants.get(tenant_id)
            if tenant is None:
                return _not_found(tenant_id)
            if rest == "tenants" or rest.startswith("tenants/"):
                return WishError("endpoint_not_found", path=path)
            new_path = f"{PREFIX}/{rest}"
            return {**scope, "path": new_path, "raw_path": new_path.encode(), CTX_KEY: tenant.ctx}
        if path == TENANTS or not tenants.by_id:
            return scope
        named = bearer = None
        for key, value in scope["headers"]:
            if key == HEADER:
                named = value.decode("latin-1").strip()
            elif key == b"authorization":
                scheme, _, token = value.decode("latin-1").partition(" ")
                bearer = token.strip() if scheme.lower() == "bearer" else None
        if named:
            tenant = tenants.get(named)
            if tenant is None:
                return _not_found(named)
            return {**scope, CTX_KEY: tenant.ctx}
        routed = tenants.route(bearer) if bearer and len(bearer) > ID_LENGTH else None
        return {**scope, CTX_KEY: routed} if routed is not None else scope


def load_tenants(ctx: Ctx) -> int:
    """At start-up: the tenants a previous run left in the data dir, with their baseline controls."""
    def seeder_for(tenant_id: str, data: str, wishpost: bool, extra: dict[str, Any]) -> tuple[Seeder, bool]:
        scenario = None
        if "scenario" in extra:
            from mockwish.scenarios.model import Scenario

            scenario = Scenario.model_validate(extra["scenario"], strict=False)
        return data_seeder(ctx, tenant_id, data, wishpost, scenario)
    count = ctx.tenants.load(seeder_for)
    if count:
        from mockwish.scenarios.baseline import apply_stored_controls

        for tenant in ctx.tenants.by_id.values():
            apply_stored_controls(tenant.ctx)
    return count
