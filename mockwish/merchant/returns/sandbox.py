"""Sandbox control of the Wish Returns Program: return warehouses for a merchant in a chosen validation state, and
two hooks on a warehouse's address validation (it is undeliverable: it ends INVALID; it completes now). The
merchant is `merchant_id` in the body, else the merchant of the `Authorization: Bearer` token; the hooks take any
merchant's warehouse, as the order hooks take any order."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr
from sqlalchemy import Connection

from mockwish.context import ctx_of
from mockwish.errors import WishError
from mockwish.ids import is_object_id, stream
from mockwish.merchant.returns import generate, program, render, rules, store
from mockwish.sandbox.apps import sandbox_merchant
from mockwish.wire.v2 import render_error

router = APIRouter(prefix="/sandbox/api", tags=["Sandbox control"])
_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "Invalid parameter (1000) or missing parameter (1001)"},
    401: {"description": "The Bearer token is not valid (4000, 1015, 1016)"},
    404: {"description": "No such return warehouse (1004)"}}
Region = Literal["EU", "MX", "US"]
State = Literal["VALID USER ADDRESS", "VALID SUGGESTED ADDRESS", "VALIDATING", "INVALID"]


class WarehousesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    merchant_id: StrictStr | None = Field(default=None, max_length=64)
    region: Region | None = Field(default=None, description="Default: any of EU, MX, US")
    state: State | None = Field(default=None, description="address_valid_state now (default: any). VALIDATING "
                                "ones are validated MOCKWISH_RETURNS_VALIDATION_SECONDS from now")
    count: StrictInt = Field(default=1, ge=1, le=generate.MAX_GENERATED)
    seed: StrictInt | None = Field(default=None, ge=0, le=2**63, description="Same seed, same warehouses")


class WarehouseOut(BaseModel):
    MerchantReturnWarehouse: dict[str, Any]


class WarehousesOut(BaseModel):
    merchant_id: str
    count: int
    warehouses: list[WarehouseOut]



@router.post("/return-warehouses", response_model=WarehousesOut, responses=_ERRORS,
             summary="Create return warehouses for a merchant in a chosen validation state")
async def return_warehouses(request: Request, body: WarehousesIn | None = None) -> Any:
    ctx = ctx_of(request)
    body = body or WarehousesIn()
    try:
        now = ctx.clock.now()
        with ctx.owner.begin() as conn:
            merchant_id = sandbox_merchant(ctx, request, conn, body.merchant_id)
            rng = stream(body.seed)
            rows = generate.make_return_warehouses(
                conn, merchant_id=merchant_id, now=now, rng=rng, count=body.count, region=body.region,
                state=body.state, validation_seconds=ctx.settings.returns_validation_seconds)
    except WishError as err:
        return render_error(ctx, err)
    return {"merchant_id": merchant_id, "count": len(rows), "warehouses": [render.warehouse(r, now) for r in rows]}


Change = Callable[[Connection, dict[str, Any], datetime], dict[str, Any]]


def _hook(request: Request, warehouse_id: str, change: Change) -> Any:
    ctx = ctx_of(request)
    try:
        if not is_object_id(warehouse_id):
            raise WishError("invalid_id", value=warehouse_id)
        now = ctx.clock.now()
        with ctx.owner.begin() as conn:
            row = _warehouse(conn, warehouse_id)
            row = change(conn, row, now)
    except WishError as err:
        return render_error(ctx, err)
    return render.warehouse(row, now)


def _warehouse(conn: Connection, warehouse_id: str) -> dict[str, Any]:
    found = store.any_warehouse(conn, warehouse_id)
    if found is None:
        raise WishError("record_not_found", kind="return warehouse", id=warehouse_id)
    return found


@router.post("/return-warehouses/{warehouse_id}/undeliverable", response_model=WarehouseOut, responses=_ERRORS,
             summary="The warehouse's address is undeliverable: it ends INVALID (at once if already validated, "
                     "else when its validation completes)")
async def undeliverable(request: Request, warehouse_id: str) -> Any:
    return _hook(request, warehouse_id, program.mark_undeliverable)


@router.post("/return-warehouses/{warehouse_id}/validate", response_model=WarehouseOut, responses=_ERRORS,
             summary=f"The warehouse's address validation completes now ({rules.VALIDATING} -> its outcome)")
async def validate(request: Request, warehouse_id: str) -> Any:
    return _hook(request, warehouse_id, program.validate_now)
