"""Sandbox control of WishPost parcels: parcels on demand in any state, the outcome of a user's next
create_order parcels (Created, Reviewing, Rejected), hooks that move a parcel to a state or add a tracking
event now, and the link between a WishPost user and the merchant whose Wish orders it ships. The user is
`user_id` in the body, else the user of the `Authorization: Bearer` WishPost token."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr
from sqlalchemy import Connection, update

from mockwish.context import ctx_of
from mockwish.errors import WishError
from mockwish.ids import stream
from mockwish.sandbox.apps import merchant_exists
from mockwish.sandbox.wishpost import sandbox_user
from mockwish.store.tables import WishPostUser, table_of
from mockwish.wire.v2 import render_error
from mockwish.wishpost import reference
from mockwish.wishpost.parcels import generate, rules, store
from mockwish.wishpost.parcels.link import sync_orders
from mockwish.wishpost.users import get_user

router = APIRouter(prefix="/sandbox/api/wishpost", tags=["Sandbox control"])
_U = table_of(WishPostUser)
_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "Invalid parameter (1000) or missing parameter (1001)"},
    401: {"description": "The Bearer token is not a WishPost token that works"},
    404: {"description": "No such parcel or WishPost user (1004)"}}
State = Literal["created", "reviewing", "accepted", "shipping", "completed", "rejected", "canceled", "invalid"]
Outcome = Literal["created", "reviewing", "rejected"]


class ParcelsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    user_id: StrictStr | None = Field(default=None, max_length=64)
    count: StrictInt = Field(default=1, ge=1, le=generate.MAX_PARCELS)
    state: State = "accepted"
    channel: StrictStr | None = Field(default=None, max_length=16, description="An otype (default: a mix, "
                                      "mostly 36-1 EPC)")
    wish_order_ids: list[StrictStr] | None = Field(default=None, max_length=generate.MAX_PARCELS,
                                                   description="The Wish orders to ship, one per parcel (default: "
                                                   "random APPROVED orders of the linked merchant)")
    seed: StrictInt | None = Field(default=None, ge=0, le=2**63)


class ParcelOut(BaseModel):
    wish_standard_tracking_id: str
    barcode: str  # "" while the parcel is Created under review
    logistics_order_code: str  # "" until Accepted
    state_name: str
    state_code: int
    wish_order_ids: list[str]


class ParcelsOut(BaseModel):
    user_id: str
    parcels: list[ParcelOut]


class OutcomesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    user_id: StrictStr | None = Field(default=None, max_length=64)
    outcomes: list[Outcome] = Field(max_length=1000, description="The next parcels' outcomes, in order")


class OutcomesOut(BaseModel):
    user_id: str
    pending: list[str]


class StateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    state: State


class EventIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    status_number: StrictInt = Field(ge=1, le=999)
    remark: StrictStr = Field(default="", max_length=500)


class LinkIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    merchant_id: StrictStr | None = Field(max_length=64, description="null: the user ships no Wish orders")


class LinkOut(BaseModel):
    user_id: str
    merchant_id: str | None





def _out(row: dict[str, Any], now: Any) -> dict[str, Any]:
    view = rules.view(row, now)
    hidden = row["reviewed"] and not view.accepted
    return {"wish_standard_tracking_id": row["id"], "barcode": "" if hidden else row["barcode"],
            "logistics_order_code": row["logistics_order_code"] if view.accepted else "",
            "state_name": view.state_name, "state_code": view.state, "wish_order_ids": row["wish_order_ids"]}


@router.post("/parcels", response_model=ParcelsOut, responses=_ERRORS,
             summary="Create WishPost parcels for a user, in any state, shipping its linked merchant's orders")
async def parcels(request: Request, body: ParcelsIn | None = None) -> Any:
    ctx = ctx_of(request)
    body = body or ParcelsIn()
    try:
        now = ctx.clock.now()
        with ctx.owner.begin() as conn:
            user_id = sandbox_user(ctx, request, conn, body.user_id)
            rng = stream(body.seed)
            rows = generate.make_parcels(conn, user_id=user_id, merchant_id=store.linked_merchant(conn, user_id),
                                         count=body.count, now=now, policy=ctx.parcel_policy,
                                         rng=rng, state=body.state, channel=body.channel,
                                         wish_order_ids=body.wish_order_ids)
    except WishError as err:
        return render_error(ctx, err)
    ctx.parcels.reset()
    return {"user_id": user_id, "parcels": [_out(r, now) for r in rows]}


@router.post("/parcel-outcomes", response_model=OutcomesOut, responses=_ERRORS,
             summary="Force the outcome of a user's next create_order parcels (created, reviewing, rejected)")
async def outcomes(request: Request, body: OutcomesIn) -> Any:
    ctx = ctx_of(request)
    try:
        with ctx.owner.begin() as conn:
            user_id = sandbox_user(ctx, request, conn, body.user_id)
    except WishError as err:
        return render_error(ctx, err)
    pending = ctx.sandbox_parcel_outcomes.setdefault(user_id, [])
    pending += body.outcomes
    return {"user_id": user_id, "pending": list(pending)}


def _parcel(conn: Connection, wosp: str) -> dict[str, Any]:
    row = store.any_by_id(conn, wosp)
    if row is None:
        raise WishError("record_not_found", kind="WishPost parcel", id=wosp)
    return row


def _hook(request: Request, wosp: str, change: Callable[[dict[str, Any], datetime], dict[str, Any]]) -> Any:
    """Write `change(parcel, now)` to the parcel now; the Wish orders it ships follow its new plan, and the
    clocks look at the store again."""
    ctx = ctx_of(request)
    try:
        now = ctx.clock.now()
        with ctx.owner.begin() as conn:
            row = _parcel(conn, wosp)
            values = change(row, now)
            store.save(conn, wosp, values)
            row |= values
            moved = sync_orders(conn, row, now)
    except WishError as err:
        return render_error(ctx, err)
    ctx.parcels.reset()
    if moved:
        ctx.orders.reset()
    return _out(row, now)


@router.post("/parcels/{wosp}/state", response_model=ParcelOut, responses=_ERRORS,
             summary="Move a parcel to a state now (its tracking follows)")
async def move(request: Request, wosp: str, body: StateIn) -> Any:
    def to_state(_row: dict[str, Any], now: datetime) -> dict[str, Any]:
        if body.state == "accepted":  # accepted now: its tracking starts from here
            return {"forced_state": None, "forced_at": None, "decided_at": now, "outcome": "accepted",
                    "cancel_requested_at": None}
        return {"forced_state": body.state, "forced_at": now}
    return _hook(request, wosp, to_state)


@router.post("/parcels/{wosp}/events", response_model=ParcelOut, responses=_ERRORS,
             summary="Add a tracking event to a parcel now")
async def event(request: Request, wosp: str, body: EventIn) -> Any:
    if body.status_number not in reference.tracking_statuses():
        return render_error(ctx_of(request), WishError("invalid_param", value=str(body.status_number),
                                                     param="status_number"))

    def add_event(row: dict[str, Any], now: datetime) -> dict[str, Any]:
        return {"extra_events": [*row["extra_events"], {"at": now.isoformat(), "status": body.status_number,
                                                        "remark": body.remark}]}
    return _hook(request, wosp, add_event)


@router.post("/users/{user_id}/link", response_model=LinkOut, responses=_ERRORS,
             summary="Link a WishPost user to the merchant whose Wish orders it ships")
async def link(request: Request, user_id: str, body: LinkIn) -> Any:
    ctx = ctx_of(request)
    try:
        with ctx.owner.begin() as conn:
            if get_user(conn, user_id) is None:
                raise WishError("record_not_found", kind="WishPost user", id=user_id)
            if body.merchant_id is not None and not merchant_exists(conn, body.merchant_id):
                raise WishError("invalid_param", value=body.merchant_id, param="merchant_id")
            conn.execute(update(_U).where(_U.c.id == user_id).values(merchant_id=body.merchant_id))
    except WishError as err:
        return render_error(ctx, err)
    return {"user_id": user_id, "merchant_id": body.merchant_id}
