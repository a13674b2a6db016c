"""Sandbox control of WishPost payments (under /sandbox/api/wishpost): post a payment request (a charge, a
refund, a compensation ... in any state) on a user's parcel, so a test sets up a reconciliation case in one call.
The user is `user_id` in the body, else the user of the `Authorization: Bearer` WishPost token."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field, StrictStr
from sqlalchemy import Connection

from mockwish.context import Ctx, ctx_of
from mockwish.errors import WishError
from mockwish.sandbox.wishpost import sandbox_user
from mockwish.wire.v2 import render_error
from mockwish.wishpost.dates import in_range
from mockwish.wishpost.parcels import store as parcel_store
from mockwish.wishpost.payments import generate, render, rules
from mockwish.wishpost.users import get_user
from mockwish.wishpost.wire_v3 import beijing

router = APIRouter(prefix="/sandbox/api/wishpost", tags=["Sandbox control"])
_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "Invalid parameter (1000) or missing parameter (1001)"},
    401: {"description": "The Bearer token is not a WishPost token that works"},
    404: {"description": "No such parcel of the user, or no such user (1004)"}}
ChargeType = Literal["RECHARGE", "REFUND", "CHARGE", "COMPENSATE", "WITHDRAW", "REPAYMENT", "OTHER"]
ChargeState = Literal["EMPTY", "INIT", "PROCESS_PAYMENT", "PROCESS_REVIEW", "PROCESS_3RD", "PROCESS_ERP", "SUCCESS",
                      "REFUNDED", "FAILED", "DECLINE", "CANCEL", "INVALID", "TIMEOUT", "OTHER"]
Fee = Field(default=None, ge=0, le=1_000_000)


class ChargeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    user_id: StrictStr | None = Field(default=None, max_length=64)
    tracking_id: StrictStr = Field(min_length=1, max_length=64, description="The parcel: its tracking number "
                                   "(barcode or logistics order code) or its WOSP id")
    type: ChargeType = "CHARGE"
    state: ChargeState = "SUCCESS"
    amount: Decimal = Field(gt=0, le=1_000_000, decimal_places=2, description="CNY, positive (the type says "
                            "which way the money goes)")
    fee_type: StrictStr | None = Field(default=None, pattern=rules.FEE_TYPE.pattern, description="Default: "
                                       "LOGISTICS for CHARGE and REFUND, COMPENSATION, ACCOUNT or OTHER by type")
    remark: StrictStr | None = Field(default=None, max_length=200, description="Default: the fee type's remark "
                                     "in the caller's language (物流费 / Logistics fee)")
    created_at: datetime | None = Field(default=None, description="ISO 8601 (naive: UTC); default now. Shown "
                                        "from this instant on")
    completed_at: datetime | None = Field(default=None, description="charge_complete_ts; default: created_at plus "
                                          "MOCKWISH_WISHPOST_CHARGE_COMPLETE_SECONDS for SUCCESS and REFUNDED, "
                                          "else none")
    actual_weight_fee: float | None = Fee
    actual_parcel_fee: float | None = Fee
    actual_discount: float | None = Fee


class ChargeOut(BaseModel):
    user_id: str
    wish_standard_tracking_id: str
    created_time: str
    payment_request: dict[str, Any]



def _naive(at: datetime | None, name: str) -> datetime | None:
    """`at` as naive UTC, in the years the mock's clock shows (2000-2999), else 1000."""
    try:
        naive = at.astimezone(UTC).replace(tzinfo=None) if at is not None and at.tzinfo is not None else at
    except OverflowError:
        naive = None
    if at is not None and (naive is None or not in_range(naive)):
        raise WishError("invalid_param", value=at.isoformat(), param=name)
    return naive


def _user(ctx: Ctx, request: Request, conn: Connection, user_id: str | None) -> str:
    if user_id is not None and get_user(conn, user_id) is None:  # this endpoint's 404, as its parcel's
        raise WishError("record_not_found", kind="WishPost user", id=user_id)
    return sandbox_user(ctx, request, conn, user_id)


@router.post("/charges", response_model=ChargeOut, responses=_ERRORS,
             summary="Post a payment request (charge, refund, compensation ...) on a user's WishPost parcel")
async def post_charge(request: Request, body: ChargeIn) -> Any:
    ctx = ctx_of(request)
    try:
        now = ctx.clock.now()
        created = _naive(body.created_at, "created_at") or now
        completed = _naive(body.completed_at, "completed_at")
        if completed is None and body.state in rules.COMPLETE:
            completed = created + timedelta(seconds=ctx.settings.wishpost_charge_complete_seconds)
        if completed is not None and completed < created:
            raise WishError("invalid_param", value=str(body.completed_at), param="completed_at (before created_at)")
        with ctx.owner.begin() as conn:
            user_id = _user(ctx, request, conn, body.user_id)
            parcel = parcel_store.by_numbers(conn, user_id, [body.tracking_id]).get(body.tracking_id)
            if parcel is None:
                raise WishError("record_not_found", kind="WishPost parcel", id=body.tracking_id)
            amount = rules.money(body.amount)
            default_weight, default_parcel, default_discount = float(amount), 0.0, 0.0
            flat = {"actual_weight_fee": body.actual_weight_fee if body.actual_weight_fee is not None
                    else default_weight,
                    "actual_parcel_fee": body.actual_parcel_fee if body.actual_parcel_fee is not None
                    else default_parcel,
                    "actual_discount": body.actual_discount if body.actual_discount is not None else default_discount}
            row = generate.post(conn, parcel, type_=body.type, state=body.state, amount=amount,
                                fee_type=body.fee_type or rules.DEFAULT_FEE_TYPES[body.type], remark=body.remark,
                                created_at=created, completed_at=completed, flat=flat)
            user = get_user(conn, user_id)
            locale = str((user or {}).get("locale") or "en")  # the user's language, as the API answers it
    except WishError as err:
        return render_error(ctx, err)
    charge = rules.posted(row, datetime.max)
    assert charge is not None
    return {"user_id": user_id, "wish_standard_tracking_id": parcel["id"], "created_time": beijing(created),
            "payment_request": render.payment_request(charge, locale)}
