"""/sandbox/api/tenants: create, list, describe and delete tenants; and every other sandbox call for one
tenant, under /sandbox/api/tenants/{id}/<call> (reset, clock, seed, rate-limits, transactions, faults,
requests, ...), which TenantRouter hands to the same route with the tenant's context."""

from __future__ import annotations

from functools import partial
from typing import Any, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt
from sqlalchemy import Connection
from starlette.types import ASGIApp, Receive, Scope, Send

from mockwish.context import CTX_KEY, Ctx, ctx_of
from mockwish.errors import WishError
from mockwish.seed.database import SeedReport
from mockwish.tenants.registry import ID_LENGTH, Seeder, Tenant
from mockwish.tenants.seed import PASSWORD, Credentials, seed_tenant
from mockwish.wire.v2 import render_error

PREFIX = "/sandbox/api"
TENANTS = PREFIX + "/tenants"
HEADER = b"mockwish-tenant"
router = APIRouter(prefix=TENANTS, tags=["Sandbox tenants"])
_ERRORS: dict[int | str, dict[str, Any]] = {400: {"description": "Invalid field (code 1000)"},
                                           404: {"description": "No tenant with this id (code 1004)"}}


class TenantIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    data: Literal["none", "small", "full"] = Field(
        default="small", description="none: the merchant, its token and app only; small: 10 products, 10 orders and "
        "the support data of one merchant; full: what each default merchant has")
    wishpost: StrictBool = Field(default=False, description="Also a WishPost user linked to the merchant (its "
                                 "tokens, app and pickup carrier; parcels with small or full data)")
    seed: StrictInt | None = Field(default=None, ge=0, le=2**32, description="Seed number; default: the server's")


class WishPostOut(BaseModel):
    user_id: str
    username: str
    password: str
    access_token: str = Field(description="v3 Bearer token and v2 XML <access_token>")
    api_key: str = Field(description="v1 <api_key>")
    client_id: str
    client_secret: str
    carrier_key: str = Field(description="X-API-Key of the tenant's pickup carrier")


class TenantOut(BaseModel):
    id: str = Field(description="The tenant's id, also its merchant's id; every credential it issues starts with it")
    merchant_id: str
    access_token: str = Field(description="The merchant's token, every scope, no expiry")
    username: str
    password: str
    client_id: str = Field(description="The merchant's private OAuth app")
    client_secret: str
    wishpost: WishPostOut | None
    data: str
    seed: int
    created_at: str
    clock: dict[str, Any]
    sandbox_url: str = Field(description="Every sandbox call for this tenant alone: <sandbox_url>/reset, /clock, ...")


class TenantsOut(BaseModel):
    tenants: list[TenantOut]


class DeletedOut(BaseModel):
    deleted: int


def tenant_out(tenant: Tenant) -> dict[str, Any]:
    creds = Credentials.of(tenant.id)
    wishpost = None
    if tenant.wishpost:
        wishpost = {"user_id": creds.wishpost_user_id, "username": creds.wishpost_username, "password": PASSWORD,
                    "access_token": creds.wishpost_token, "api_key": creds.wishpost_api_key,
                    "client_id": creds.wishpost_client_id, "client_secret": creds.wishpost_client_secret,
                    "carrier_key": creds.carrier_key}
    described = tenant.describe()
    return {**described, "merchant_id": tenant.id, "access_token": creds.access_token, "username": creds.username,
            "password": PASSWORD, "client_id": creds.client_id, "client_secret": creds.client_secret,
            "wishpost": wishpost, "sandbox_url": f"{TENANTS}/{tenant.id}"}


def data_seeder(ctx: Ctx, tenant_id: str, data: str, wishpost: bool) -> tuple[Seeder, bool]:
    """How the tenant's store is filled (again on a reset when its snapshot is not kept: `full` data's is not,
    it would hold tens of megabytes per tenant)."""
    def seeder(conn: Connection, seed: int, now: Any) -> SeedReport:
        return seed_tenant(conn, tenant_id=tenant_id, data=data, wishpost=wishpost, seed=seed, now=now,
                           order_policy=ctx.order_policy, products_per_merchant=ctx.settings.products_per_merchant)
    return seeder, data != "full"


@router.post("", response_model=TenantOut, status_code=201, responses=_ERRORS,
             summary="Create a tenant: a merchant with its own store, clock and rate-limit quotas")
async def create_tenant(request: Request, body: TenantIn | None = None) -> Any:
    ctx = ctx_of(request)
    body = body or TenantIn()
    tenants = ctx.tenants
    seed = body.seed if body.seed is not None else ctx.settings.seed
    from mockwish.ids import new_id

    tenant_id = new_id()
    seeder, keep = data_seeder(ctx, tenant_id, body.data, body.wishpost)
    try:
        tenant = await tenants.create(data=body.data, wishpost=body.wishpost, seed=seed, seeder=seeder,
                                      keep_snapshot=keep, tenant_id=tenant_id)
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
    """At start-up: the tenants a previous run left in the data dir."""
    return ctx.tenants.load(partial(data_seeder, ctx))
