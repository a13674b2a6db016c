"""Sandbox control of OAuth: apps (create, list, delete), a merchant revoking an app, and minting an
authorization code without the authorize page (for headless CI)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field, StrictBool, StrictStr
from sqlalchemy import Connection, select

from mockwish.auth import oauth
from mockwish.auth.scopes import ALL_SCOPES
from mockwish.context import Ctx
from mockwish.errors import WishError
from mockwish.store.tables import Merchant
from mockwish.wire.params import RawParams
from mockwish.wire.v2 import render_error, token_from

router = APIRouter(prefix="/sandbox/api", tags=["Sandbox control"])
_M = Merchant.__table__  # type: ignore[attr-defined]
_NOT_FOUND = {404: {"description": "No such app or merchant (code 1004)"},
              400: {"description": "Invalid parameter (code 1000)"}}


class AppIn(BaseModel):
    name: StrictStr = Field(min_length=1, max_length=200)
    redirect_uri: StrictStr = Field(min_length=1, max_length=2000)
    public: StrictBool = True
    merchant_id: StrictStr | None = Field(default=None, min_length=24, max_length=24,
                                          description="Owner of a private app")
    scopes: list[StrictStr] | None = Field(default=None, description="Default: every scope")


class AppOut(BaseModel):
    client_id: str
    client_secret: str
    name: str
    redirect_uri: str
    public: bool
    merchant_id: str | None
    scopes: list[str]


class RevokeIn(BaseModel):
    merchant_id: StrictStr = Field(min_length=24, max_length=24)


class RevokeOut(BaseModel):
    client_id: str
    merchant_id: str
    revoked_tokens: int


class CodeIn(BaseModel):
    client_id: StrictStr | None = Field(default=None, max_length=64, description="Default: the seeded app")
    merchant_id: StrictStr | None = Field(default=None, max_length=24,
                                          description="Default: the merchant of the Authorization: Bearer token")
    scopes: list[StrictStr] | None = Field(default=None, description="Default: the app's scopes")


class CodeOut(BaseModel):
    code: str
    client_id: str
    client_secret: str
    redirect_uri: str
    merchant_id: str
    scopes: list[str]
    expires_at: str


def _ctx(request: Request) -> Ctx:
    return request.app.state.ctx


def _app_out(app: dict[str, Any]) -> dict[str, Any]:
    return {k: app[k] for k in ("client_id", "client_secret", "name", "redirect_uri", "public", "merchant_id",
                                "scopes")}


def _merchant_exists(conn: Connection, merchant_id: str) -> bool:
    return conn.execute(select(_M.c.id).where(_M.c.id == merchant_id)).first() is not None


def _bad_scopes(scopes: list[str] | None) -> str | None:
    return next((s for s in scopes or [] if s not in ALL_SCOPES), None)


@router.get("/apps", response_model=list[AppOut], summary="OAuth apps")
def list_apps(request: Request) -> list[dict[str, Any]]:
    with _ctx(request).engine.connect() as conn:
        return [_app_out(a) for a in oauth.list_apps(conn)]


@router.post("/apps", response_model=AppOut, summary="Create an OAuth app", responses=_NOT_FOUND)
def create_app(request: Request, body: AppIn) -> Any:
    ctx = _ctx(request)
    bad = _bad_scopes(body.scopes)
    if bad is not None:
        return render_error(ctx, WishError("invalid_param", value=bad, param="scopes"))
    if not body.public and body.merchant_id is None:
        return render_error(ctx, WishError("missing_param", param="merchant_id"))
    with ctx.engine.begin() as conn:
        if body.merchant_id and not _merchant_exists(conn, body.merchant_id):
            return render_error(ctx, WishError("invalid_param", value=body.merchant_id, param="merchant_id"))
        app = oauth.create_app(conn, name=body.name, redirect_uri=body.redirect_uri, public=body.public,
                               merchant_id=body.merchant_id, scopes=body.scopes, now=ctx.clock.now())
    return _app_out(app)


@router.delete("/apps/{client_id}", summary="Delete an OAuth app (its tokens are revoked)", responses=_NOT_FOUND)
def delete_app(request: Request, client_id: str) -> Any:
    ctx = _ctx(request)
    with ctx.engine.begin() as conn:
        deleted = oauth.delete_app(conn, client_id, ctx.clock.now())
    if not deleted:
        return render_error(ctx, WishError("endpoint_not_found", path=request.url.path))
    ctx.auth.invalidate()  # type: ignore[attr-defined]
    return {"client_id": client_id, "deleted": True}


@router.post("/apps/{client_id}/revoke", response_model=RevokeOut, responses=_NOT_FOUND,
             summary="A merchant removes an app: its tokens for that merchant are revoked")
def revoke(request: Request, client_id: str, body: RevokeIn) -> Any:
    ctx = _ctx(request)
    with ctx.engine.begin() as conn:
        if oauth.get_app(conn, client_id) is None:
            return render_error(ctx, WishError("endpoint_not_found", path=request.url.path))
        n = oauth.revoke(conn, client_id, body.merchant_id, ctx.clock.now())
    ctx.auth.invalidate()  # type: ignore[attr-defined]
    return {"client_id": client_id, "merchant_id": body.merchant_id, "revoked_tokens": n}


@router.post("/oauth/codes", response_model=CodeOut, responses={**_NOT_FOUND, 401: {"description": "No merchant"}},
             summary="Mint an authorization code without the authorize page")
def mint_code(request: Request, body: CodeIn | None = None) -> Any:
    ctx = _ctx(request)
    body = body or CodeIn()
    bad = _bad_scopes(body.scopes)
    if bad is not None:
        return render_error(ctx, WishError("invalid_param", value=bad, param="scopes"))
    now = ctx.clock.now()
    with ctx.engine.begin() as conn:
        # default: the seeded app, the first one created
        app = oauth.get_app(conn, body.client_id) if body.client_id else next(iter(oauth.list_apps(conn)), None)
        if app is None:
            return render_error(ctx, WishError("invalid_param", value=body.client_id or "", param="client_id"))
        merchant_id = body.merchant_id
        if merchant_id is None:
            token = token_from(request, RawParams([]))  # the same Bearer reading as the API's
            if token is None:
                return render_error(ctx, WishError("missing_param", param="merchant_id"))
            try:
                merchant_id = ctx.auth.authenticate(conn, token, "", now).merchant_id  # type: ignore[attr-defined]
            except WishError as err:
                return render_error(ctx, err)
        elif not _merchant_exists(conn, merchant_id):
            return render_error(ctx, WishError("invalid_param", value=merchant_id, param="merchant_id"))
        if not oauth.may_authorize(app, merchant_id):
            return render_error(ctx, WishError("invalid_param", value=app["client_id"], param="client_id"))
        code, scopes = oauth.mint_code(conn, app, merchant_id, body.scopes, now)
    return {"code": code, "client_id": app["client_id"], "client_secret": app["client_secret"],
            "redirect_uri": app["redirect_uri"], "merchant_id": merchant_id, "scopes": scopes,
            "expires_at": (now + oauth.CODE_TTL).isoformat(timespec="milliseconds") + "Z"}
