"""Sandbox control of OAuth: apps (create, list, delete), a tenant revoking an app, and minting an
authorization code without the authorize page (for headless CI). The helpers below take the realm, so the
WishPost control routes (mockwish.sandbox.wishpost) are the same code with other field names."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field, StrictBool, StrictStr, create_model
from sqlalchemy import Connection
from starlette.responses import Response

from mockwish.auth import oauth
from mockwish.context import Ctx, ctx_of
from mockwish.errors import WishError
from mockwish.merchant.catalogue.store import find_merchant
from mockwish.wire.format import iso_ms
from mockwish.wire.params import RawParams
from mockwish.wire.v2 import render_error, token_from

router = APIRouter(prefix="/sandbox/api", tags=["Sandbox control"])
_NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "No such app or merchant (code 1004)"},
                                               400: {"description": "Invalid parameter (code 1000)"}}


@dataclass(frozen=True)
class Bodies:
    """The control API's bodies for one realm: the same fields, the tenant named as the realm names it."""

    app_in: type[BaseModel]
    app_out: type[BaseModel]
    revoke_in: type[BaseModel]
    revoke_out: type[BaseModel]
    code_in: type[BaseModel]
    code_out: type[BaseModel]


def bodies(realm: oauth.Realm, prefix: str, tenant_label: str) -> Bodies:
    def tenant(field: Any) -> dict[str, Any]:
        """The tenant's field, named as the realm names it (typed Any: mypy would match a `**{name: field}`
        against create_model's own keywords, __config__, __base__ and the like)."""
        return {realm.tenant: field}

    return Bodies(
        create_model(f"{prefix}AppIn", name=(StrictStr, Field(min_length=1, max_length=200)),
                     redirect_uri=(StrictStr, Field(min_length=1, max_length=2000)), public=(StrictBool, True),
                     **tenant((StrictStr | None, Field(default=None, min_length=24, max_length=24,
                                                       description="Owner of a private app"))),
                     scopes=(list[StrictStr] | None, Field(default=None, description="Default: every scope"))),
        create_model(f"{prefix}AppOut", client_id=(str, ...), client_secret=(str, ...), name=(str, ...),
                     redirect_uri=(str, ...), public=(bool, ...), **tenant((str | None, ...)),
                     scopes=(list[str], ...)),
        create_model(f"{prefix}RevokeIn", **tenant((StrictStr, Field(min_length=24, max_length=24)))),
        create_model(f"{prefix}RevokeOut", client_id=(str, ...), **tenant((str, ...)), revoked_tokens=(int, ...)),
        create_model(f"{prefix}CodeIn",
                     client_id=(StrictStr | None, Field(default=None, max_length=64,
                                                        description="Default: the seeded app")),
                     **tenant((StrictStr | None, Field(default=None, max_length=24, description=(
                         f"Default: the {tenant_label} of the Authorization: Bearer token")))),
                     scopes=(list[StrictStr] | None, Field(default=None, description="Default: the app's scopes"))),
        create_model(f"{prefix}CodeOut", code=(str, ...), client_id=(str, ...), client_secret=(str, ...),
                     redirect_uri=(str, ...), **tenant((str, ...)), scopes=(list[str], ...), expires_at=(str, ...)),
    )


MERCHANT_BODIES = bodies(oauth.MERCHANT, "", "merchant")
if TYPE_CHECKING:  # models built at run time (their tenant field is named by the realm): to mypy, any model
    AppIn = Any
    AppOut = Any
    RevokeIn = Any
    RevokeOut = Any
    CodeIn = Any
    CodeOut = Any
else:
    AppIn, AppOut = MERCHANT_BODIES.app_in, MERCHANT_BODIES.app_out
    RevokeIn, RevokeOut = MERCHANT_BODIES.revoke_in, MERCHANT_BODIES.revoke_out
    CodeIn, CodeOut = MERCHANT_BODIES.code_in, MERCHANT_BODIES.code_out



def app_out(app: dict[str, Any], realm: oauth.Realm) -> dict[str, Any]:
    return {k: app[k] for k in ("client_id", "client_secret", "name", "redirect_uri", "public", realm.tenant,
                                "scopes")}


def merchant_exists(conn: Connection, merchant_id: str) -> bool:
    return find_merchant(conn, merchant_id) is not None


def bearer_merchant(ctx: Ctx) -> TokenTenant:
    """The merchant of an API token (raising the API's own errors for a bad one)."""
    def merchant_of(conn: Connection, token: str) -> str:
        return ctx.auth.authenticate(conn, token, "", ctx.clock.now()).merchant_id
    return merchant_of


def named_or_bearer(conn: Connection, request: Request, tenant_id: str | None, exists: Exists,
                    token_tenant: TokenTenant, param: str) -> str | None:
    """The tenant a sandbox body names (which must exist), else the owner of the `Authorization: Bearer`
    token, read as the API reads it; None when neither is given."""
    if tenant_id is not None:
        if not exists(conn, tenant_id):
            raise WishError("invalid_param", value=tenant_id, param=param)
        return tenant_id
    token = token_from(request, RawParams([]))
    return None if token is None else token_tenant(conn, token)


def sandbox_merchant(ctx: Ctx, request: Request, conn: Connection, merchant_id: str | None) -> str:
    """The merchant a sandbox call is for: `merchant_id` of its body (1000 when there is no such merchant), else
    the merchant of its `Authorization: Bearer` token (that token's own error otherwise); 1001 with neither."""
    found = named_or_bearer(conn, request, merchant_id, merchant_exists, bearer_merchant(ctx), "merchant_id")
    if found is None:
        raise WishError("missing_either", a="merchant_id", b="Authorization: Bearer <token>")
    return found


Exists = Callable[[Connection, str], bool]
TokenTenant = Callable[[Connection, str], str]  # a Bearer token -> its tenant id (raises its WishError)


def list_for(ctx: Ctx, realm: oauth.Realm) -> list[dict[str, Any]]:
    with ctx.owner.begin() as conn:
        return [app_out(a, realm) for a in oauth.list_apps(conn, realm)]


def create_for(ctx: Ctx, realm: oauth.Realm, exists: Exists, *, name: str, redirect_uri: str, public: bool,
               owner_id: str | None, scopes: list[str] | None) -> Any:
    bad = realm.unknown_scope(scopes)
    if bad is not None:
        return render_error(ctx, WishError("invalid_param", value=bad, param="scopes"))
    if not public and owner_id is None:
        return render_error(ctx, WishError("missing_param", param=realm.tenant))
    with ctx.owner.begin() as conn:
        if owner_id and not exists(conn, owner_id):
            return render_error(ctx, WishError("invalid_param", value=owner_id, param=realm.tenant))
        app = oauth.create_app(conn, name=name, redirect_uri=redirect_uri, public=public, owner_id=owner_id,
                               scopes=scopes, now=ctx.clock.now(), realm=realm)
    return app_out(app, realm)


def delete_for(ctx: Ctx, realm: oauth.Realm, client_id: str, path: str) -> Any:
    with ctx.owner.begin() as conn:
        deleted = oauth.delete_app(conn, client_id, ctx.clock.now(), realm)
    if not deleted:
        return render_error(ctx, WishError("endpoint_not_found", path=path))
    ctx.auth.invalidate()
    return {"client_id": client_id, "deleted": True}


def revoke_for(ctx: Ctx, realm: oauth.Realm, client_id: str, tenant_id: str, path: str) -> Any:
    with ctx.owner.begin() as conn:
        if oauth.get_app(conn, client_id, realm) is None:
            return render_error(ctx, WishError("endpoint_not_found", path=path))
        n = oauth.revoke(conn, client_id, tenant_id, ctx.clock.now(), realm)
    ctx.auth.invalidate()
    return {"client_id": client_id, realm.tenant: tenant_id, "revoked_tokens": n}


def mint_for(ctx: Ctx, realm: oauth.Realm, request: Request, exists: Exists, token_tenant: TokenTenant, *,
             client_id: str | None, tenant_id: str | None, scopes: list[str] | None) -> dict[str, Any] | Response:
    """A code for (app, tenant, scopes): the app defaults to the seeded one (the first created), the tenant to
    the owner of the `Authorization: Bearer` token."""
    bad = realm.unknown_scope(scopes)
    if bad is not None:
        return render_error(ctx, WishError("invalid_param", value=bad, param="scopes"))
    now = ctx.clock.now()
    try:
        with ctx.owner.begin() as conn:
            app = (oauth.get_app(conn, client_id, realm) if client_id
                   else next(iter(oauth.list_apps(conn, realm)), None))
            if app is None:
                raise WishError("invalid_param", value=client_id or "", param="client_id")
            tenant_id = named_or_bearer(conn, request, tenant_id, exists, token_tenant, realm.tenant)
            if tenant_id is None:
                raise WishError("missing_either", a=realm.tenant, b="Authorization: Bearer <token>")
            if not oauth.may_authorize(app, tenant_id, realm):
                raise WishError("invalid_param", value=app["client_id"], param="client_id")
            code, granted = oauth.mint_code(conn, app, tenant_id, scopes, now, realm)
    except WishError as err:
        return render_error(ctx, err)
    return {"code": code, "client_id": app["client_id"], "client_secret": app["client_secret"],
            "redirect_uri": app["redirect_uri"], realm.tenant: tenant_id, "scopes": granted,
            "expires_at": iso_ms(now + oauth.CODE_TTL, "Z")}


# ---- the Merchant routes -----------------------------------------------------------------------------

@router.get("/apps", response_model=list[AppOut], summary="OAuth apps")
async def list_apps(request: Request) -> list[dict[str, Any]]:
    return list_for(ctx_of(request), oauth.MERCHANT)


@router.post("/apps", response_model=AppOut, summary="Create an OAuth app", responses=_NOT_FOUND)
async def create_app(request: Request, body: AppIn) -> Any:
    return create_for(ctx_of(request), oauth.MERCHANT, merchant_exists, name=body.name,
                      redirect_uri=body.redirect_uri, public=body.public, owner_id=body.merchant_id,
                      scopes=body.scopes)


@router.delete("/apps/{client_id}", summary="Delete an OAuth app (its tokens are revoked)", responses=_NOT_FOUND)
async def delete_app(request: Request, client_id: str) -> Any:
    return delete_for(ctx_of(request), oauth.MERCHANT, client_id, request.url.path)


@router.post("/apps/{client_id}/revoke", response_model=RevokeOut, responses=_NOT_FOUND,
             summary="A merchant removes an app: its tokens for that merchant are revoked")
async def revoke(request: Request, client_id: str, body: RevokeIn) -> Any:
    return revoke_for(ctx_of(request), oauth.MERCHANT, client_id, body.merchant_id, request.url.path)


@router.post("/oauth/codes", response_model=CodeOut, responses={**_NOT_FOUND, 401: {"description": "No merchant"}},
             summary="Mint an authorization code without the authorize page")
async def mint_code(request: Request, body: CodeIn | None = None) -> Any:
    ctx = ctx_of(request)
    body = body or CodeIn()
    return mint_for(ctx, oauth.MERCHANT, request, merchant_exists, bearer_merchant(ctx), client_id=body.client_id,
                    tenant_id=body.merchant_id, scopes=body.scopes)
