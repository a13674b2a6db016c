"""Sandbox control of WishPost: the seeded users (with passwords and working tokens), WishPost OAuth apps
(create, list, delete), a user revoking an app, and minting a code without the authorize page. The logic is
mockwish.sandbox.apps' with the WishPost realm."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field, StrictStr
from sqlalchemy import Connection

from mockwish.auth import oauth
from mockwish.context import Ctx, ctx_of
from mockwish.errors import WishError
from mockwish.ids import new_id
from mockwish.sandbox.apps import (
    _NOT_FOUND,
    bodies,
    create_for,
    delete_for,
    list_for,
    mint_for,
    named_or_bearer,
    revoke_for,
)
from mockwish.wishpost import carriers
from mockwish.wishpost.ops import V3_AUTH_ERRORS
from mockwish.wishpost.users import get_user, list_users

router = APIRouter(prefix="/sandbox/api/wishpost", tags=["Sandbox control"])
REALM = oauth.WISHPOST


class UserOut(BaseModel):
    id: str
    username: str
    password: str
    display_name: str
    tokens: list[str]  # access tokens that work (Bearer or access_token)
    api_key: str | None  # the v1 credential (<api_key> on /api/v1/<op>)
    merchant_id: str | None  # the merchant whose Wish orders the user's parcels ship (linked)


_BODIES = bodies(REALM, "WishPost", "WishPost user")
if TYPE_CHECKING:  # models built at run time (their tenant field is named by the realm): to mypy, any model
    from mockwish.sandbox.apps import AppIn, AppOut, CodeIn, CodeOut, RevokeIn, RevokeOut
else:
    AppIn, AppOut = _BODIES.app_in, _BODIES.app_out
    RevokeIn, RevokeOut = _BODIES.revoke_in, _BODIES.revoke_out
    CodeIn, CodeOut = _BODIES.code_in, _BODIES.code_out


def _user_exists(conn: Connection, user_id: str) -> bool:
    return get_user(conn, user_id) is not None


def sandbox_user(ctx: Ctx, request: Request, conn: Connection, user_id: str | None) -> str:
    """The WishPost user a sandbox call is for: `user_id` of its body (1000 when there is no such user), else the
    user of its `Authorization: Bearer` WishPost token (that token's own error otherwise); 1001 with neither."""
    def user_of(c: Connection, token: str) -> str:
        return str(ctx.auth.lookup(c, "wishpost", token, "", ctx.clock.now(), V3_AUTH_ERRORS).user_id)

    found = named_or_bearer(conn, request, user_id, _user_exists, user_of, "user_id")
    if found is None:
        raise WishError("missing_either", a="user_id", b="Authorization: Bearer <WishPost token>")
    return found


@router.get("/users", response_model=list[UserOut], summary="Seeded WishPost users, passwords and tokens")
async def users(request: Request) -> list[dict[str, Any]]:
    with ctx_of(request).owner.begin() as conn:
        return list_users(conn)


class CarrierOut(BaseModel):
    id: str
    name: str
    api_key: str  # sent as the `X-API-Key` header
    hub_warehouse_code: int  # the hub its bags go to


class CarrierIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: StrictStr = Field(default="Sandbox pickup carrier", min_length=1, max_length=100)
    hub_warehouse_code: Literal[3001, 3002] = 3001


@router.get("/carriers", response_model=list[CarrierOut], summary="WishPost pickup carriers and their X-API-Key")
async def list_carriers(request: Request) -> list[carriers.Carrier]:
    with ctx_of(request).owner.begin() as conn:
        return carriers.list_carriers(conn)


@router.post("/carriers", response_model=CarrierOut, summary="Create a pickup carrier with a new X-API-Key")
async def create_carrier(request: Request, body: CarrierIn) -> carriers.Carrier:
    ctx = ctx_of(request)
    with ctx.owner.begin() as conn:
        key = oauth.new_credential(conn, secrets.token_hex(16))
        return carriers.create_carrier(conn, carrier_id=new_id(), name=body.name, api_key=key,
                                       hub_warehouse_code=body.hub_warehouse_code, now=ctx.clock.now())


@router.get("/apps", response_model=list[AppOut], summary="WishPost OAuth apps")
async def list_apps(request: Request) -> list[dict[str, Any]]:
    return list_for(ctx_of(request), REALM)


@router.post("/apps", response_model=AppOut, summary="Create a WishPost OAuth app", responses=_NOT_FOUND)
async def create_app(request: Request, body: AppIn) -> Any:
    return create_for(ctx_of(request), REALM, _user_exists, name=body.name, redirect_uri=body.redirect_uri,
                      public=body.public, owner_id=body.user_id, scopes=body.scopes)


@router.delete("/apps/{client_id}", summary="Delete a WishPost OAuth app (its tokens are revoked)",
               responses=_NOT_FOUND)
async def delete_app(request: Request, client_id: str) -> Any:
    return delete_for(ctx_of(request), REALM, client_id, request.url.path)


@router.post("/apps/{client_id}/revoke", response_model=RevokeOut, responses=_NOT_FOUND,
             summary="A WishPost user revokes an app's grant: its tokens for that user are revoked")
async def revoke(request: Request, client_id: str, body: RevokeIn) -> Any:
    return revoke_for(ctx_of(request), REALM, client_id, body.user_id, request.url.path)


@router.post("/oauth/codes", response_model=CodeOut, responses={**_NOT_FOUND, 401: {"description": "No user"}},
             summary="Mint a WishPost authorization code without the authorize page")
async def mint_code(request: Request, body: CodeIn | None = None) -> Any:
    ctx = ctx_of(request)
    body = body or CodeIn()

    def user_of(conn: Connection, token: str) -> str:
        return ctx.auth.lookup(conn, "wishpost", token, "", ctx.clock.now(), V3_AUTH_ERRORS).user_id

    return mint_for(ctx, REALM, request, _user_exists, user_of, client_id=body.client_id, tenant_id=body.user_id,
                    scopes=body.scopes)
