"""Sandbox control of WishPost bags (under /sandbox/api/wishpost): a bag in any state for a user in one call,
made of its parcels (named, or picked among those a new bag may take, made when it has too few), and a hook
that moves a bag to a state now. The user is `user_id` in the body, else the user of the
`Authorization: Bearer` WishPost token."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr

from mockwish.context import ctx_of
from mockwish.errors import WishError
from mockwish.ids import stream
from mockwish.sandbox.wishpost import sandbox_user
from mockwish.wire.v2 import render_error
from mockwish.wishpost.bags import generate, render, rules, store

router = APIRouter(prefix="/sandbox/api/wishpost", tags=["Sandbox control"])
_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "Invalid parameter (1000) or missing parameter (1001)"},
    401: {"description": "The Bearer token is not a WishPost token that works"},
    404: {"description": "No such bag or WishPost user (1004)"}}
State = Literal["created", "shipping", "cancelled", "terminated", "abnormal"]


class BagIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    user_id: StrictStr | None = Field(default=None, max_length=64)
    state: State = "created"
    count: StrictInt = Field(default=2, ge=1, le=generate.MAX_PARCELS,
                             description="Parcels in the bag when logistics_order_codes is not given")
    logistics_order_codes: list[StrictStr] | None = Field(
        default=None, max_length=rules.MAX_CODES, description="The user's parcels to bag (each one a new bag may "
        "take); default: `count` of them, made when the user has too few")
    hub_warehouse_code: Literal[3001, 3002] = 3001
    pickup_service: Literal[2801, 9999] = 9999
    seed: StrictInt | None = Field(default=None, ge=0, le=2**63)


class StateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    state: State


class BagOut(BaseModel):
    user_id: str | None
    bag_number: str
    state: int
    state_name: str
    hub_warehouse_code: int
    pickup_service: int
    logistics_order_codes: list[str]





def _out(bag: dict[str, Any], parcels: list[dict[str, Any]], now: datetime) -> dict[str, Any]:
    shown = render.bag_object(bag, parcels, now, "en")
    return {"user_id": bag["user_id"], "bag_number": bag["bag_number"], "state": shown["state"],
            "state_name": shown["state_name"], "hub_warehouse_code": bag["hub_warehouse_code"],
            "pickup_service": bag["pickup_service"], "logistics_order_codes": shown["logistics_order_codes"]}


@router.post("/bags", response_model=BagOut, responses=_ERRORS,
             summary="Create a WishPost bag for a user in any state, of its parcels")
async def bags(request: Request, body: BagIn | None = None) -> Any:
    ctx = ctx_of(request)
    body = body or BagIn()
    try:
        now = ctx.clock.now()
        with ctx.owner.begin() as conn:
            user_id = sandbox_user(ctx, request, conn, body.user_id)
            rng = stream(body.seed)
            bag = generate.make_bag(conn, user_id=user_id, now=now, rng=rng, state=body.state, count=body.count,
                                    hub=body.hub_warehouse_code, pickup_service=body.pickup_service,
                                    codes=body.logistics_order_codes,
                                    policy=rules.BagPolicy.from_settings(ctx.settings))
            parcels = bag.pop("parcels")
    except WishError as err:
        return render_error(ctx, err)
    ctx.parcels.reset()  # parcels may have been made
    return _out(bag, parcels, now)


@router.post("/bags/{bag_number}/state", response_model=BagOut, responses=_ERRORS,
             summary="Move a bag to a state now")
async def move(request: Request, bag_number: str, body: StateIn) -> Any:
    ctx = ctx_of(request)
    try:
        now = ctx.clock.now()
        with ctx.owner.begin() as conn:
            bag = store.any_bag(conn, bag_number)
            if bag is None:
                raise WishError("record_not_found", kind="WishPost bag", id=bag_number)
            values = generate.placed(body.state, bag, now, rules.BagPolicy.from_settings(ctx.settings))
            store.save(conn, bag_number, values)
            bag |= values
            parcels = store.contents(conn, [bag_number])[bag_number]
    except WishError as err:
        return render_error(ctx, err)
    return _out(bag, parcels, now)
