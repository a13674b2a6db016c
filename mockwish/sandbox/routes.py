"""The sandbox control API (/sandbox/api/...): plain JSON, never rate-limited, not part of Wish's API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field, StrictBool, StrictFloat, StrictInt, StrictStr
from sqlalchemy import select

from mockwish.auth import oauth
from mockwish.clock import utcnow
from mockwish.context import Ctx, ctx_of
from mockwish.errors import WishError
from mockwish.sandbox.state import StoreClosed
from mockwish.store.tables import Merchant, table_of
from mockwish.wire.v2 import render_error

router = APIRouter(prefix="/sandbox/api", tags=["Sandbox control"])



class MerchantOut(BaseModel):
    id: str
    name: str
    username: str
    password: str
    payment_currency: str
    localized_currency: str
    ships_worldwide: bool
    tokens: list[str]


class SeedIn(BaseModel):
    seed: StrictInt | None = Field(default=None, ge=0, le=2**32, description="Seed number; default: the current seed")


class SeedOut(BaseModel):
    seed: int
    merchants: int
    products: int
    variants: int


class ResetOut(BaseModel):
    seed: int
    reset: bool = True


# the clock stays where timestamps stay meaningful (and datetime arithmetic cannot overflow)
CLOCK_RANGE = (datetime(2000, 1, 1), datetime(2999, 12, 31))


class ClockIn(BaseModel):
    """Exactly one action per call: freeze/unfreeze, set to an instant, or advance by seconds."""

    freeze: StrictBool | None = None
    set: StrictStr | None = Field(default=None, description="ISO 8601 instant (UTC when no offset)",
                                  json_schema_extra={"format": "date-time"})
    advance_seconds: StrictInt | StrictFloat | None = Field(default=None, ge=0, le=10 * 365 * 86400)
    reset: StrictBool | None = Field(default=None, description="Back to wall time, unfrozen")


class ClockOut(BaseModel):
    now: str
    frozen: bool
    frozen_at: str | None = Field(description="The frozen instant (as `now`), null when the clock runs")
    offset_seconds: float = Field(description="now minus wall time, computed at the moment of reading")
    offset_from_global_seconds: float | None = Field(
        default=None, description="A tenant's clock (/sandbox/api/tenants/{id}/clock): now minus the global clock's")


@router.get("/merchants", response_model=list[MerchantOut], summary="Seeded merchants and their tokens")
async def merchants(request: Request) -> list[dict[str, Any]]:
    ctx = ctx_of(request)
    m = table_of(Merchant)
    with ctx.owner.begin() as conn:
        rows = conn.execute(select(m).order_by(m.c.created_at, m.c.username)).mappings().all()
        by_merchant = oauth.live_tokens(conn, oauth.MERCHANT)
    return [{**{k: r[k] for k in ("id", "name", "username", "password", "payment_currency",
                                  "localized_currency", "ships_worldwide")},
             "tokens": by_merchant.get(r["id"], [])} for r in rows]


@router.post("/reset", response_model=ResetOut, summary="Back to the seeded state")
async def reset(request: Request) -> Any:
    ctx = ctx_of(request)
    try:
        await ctx.sandbox.reset_async()
    except StoreClosed:  # its tenant was deleted meanwhile
        return render_error(ctx, WishError("record_not_found", kind="tenant", id=ctx.tenant_id or ""))
    ctx.store_replaced()
    return {"seed": ctx.sandbox.seed, "reset": True}


@router.post("/seed", response_model=SeedOut, summary="Regenerate all data from a seed")
async def seed(request: Request, body: SeedIn | None = None) -> Any:
    ctx = ctx_of(request)
    number = body.seed if body and body.seed is not None else ctx.sandbox.seed
    try:
        report = await ctx.sandbox.reseed_async(number)
    except StoreClosed:  # its tenant was deleted meanwhile
        return render_error(ctx, WishError("record_not_found", kind="tenant", id=ctx.tenant_id or ""))
    ctx.store_replaced()
    return {"seed": report.seed, "merchants": report.merchants, "products": report.products,
            "variants": report.variants}


@router.get("/clock", response_model=ClockOut, summary="The mock's clock")
async def get_clock(request: Request) -> dict[str, Any]:
    return ctx_of(request).clock.state()


@router.post("/clock", response_model=ClockOut, summary="Freeze, set or advance the mock's clock",
             responses={400: {"description": "Invalid parameter (code 1000)"}})
async def set_clock(request: Request, body: ClockIn) -> Any:
    ctx = ctx_of(request)
    clock = ctx.clock
    at: datetime | None = None
    if body.set is not None:
        try:
            at = datetime.fromisoformat(body.set.replace("Z", "+00:00"))
            if at.tzinfo is not None:
                at = at.astimezone(UTC).replace(tzinfo=None)
        except (ValueError, OverflowError):
            at = None
        if at is None or not CLOCK_RANGE[0] <= at <= CLOCK_RANGE[1]:
            return render_error(ctx, WishError("invalid_param", value=body.set, param="set"))
    start = at or (utcnow() if body.reset else clock.now())  # for the range check only
    if body.advance_seconds and start + timedelta(seconds=body.advance_seconds) > CLOCK_RANGE[1]:
        return render_error(ctx, WishError("out_of_range", param="advance_seconds", low=0,
                                           high=int((CLOCK_RANGE[1] - start).total_seconds()),
                                           value=str(body.advance_seconds)))
    clock.apply(reset=bool(body.reset), at=at, freeze=body.freeze, advance_seconds=body.advance_seconds or 0.0)
    return clock.state()


class RateLimitIn(BaseModel):
    """Set the quota of a merchant (or of one of its apps) or of a WishPost user (on every WishPost endpoint,
    instead of the documented levels), force its next N calls to answer 429, or clear every override and
    count (`reset`). Without merchant_id or wishpost_user_id, quota and window set the Merchant default."""

    merchant_id: StrictStr | None = Field(default=None, min_length=24, max_length=24)
    wishpost_user_id: StrictStr | None = Field(default=None, min_length=24, max_length=24)
    app_id: StrictStr | None = Field(default=None, max_length=64)
    quota: StrictInt | None = Field(default=None, ge=0, le=10_000_000)
    window_seconds: StrictInt | None = Field(default=None, ge=1, le=86_400)
    force_429: StrictInt | None = Field(default=None, ge=0, le=1_000_000)
    reset: StrictBool | None = None


class QuotaOut(BaseModel):
    merchant_id: str | None
    app_id: str | None
    quota: int
    window_seconds: int
    wishpost_user_id: str | None = None


class RateLimitsOut(BaseModel):
    default: QuotaOut
    overrides: list[QuotaOut]
    forced: dict[str, int]
    wishpost_default: int  # per user per minute on WishPost endpoints without a documented level


def _limits_out(ctx: Ctx) -> dict[str, Any]:
    lim = ctx.limiter
    return {
        "default": {"merchant_id": None, "app_id": None, "quota": lim.default.limit,
                    "window_seconds": lim.default.window_seconds},
        "overrides": [{"merchant_id": None if wp else t, "app_id": a, "quota": q.limit,
                       "window_seconds": q.window_seconds, "wishpost_user_id": t if wp else None}
                      for (t, a), q in lim.quotas.items()
                      for wp in (t in lim.wishpost_tenants,)],
        "forced": dict(lim.forced),
        "wishpost_default": lim.wishpost_limit,
    }


@router.get("/rate-limits", response_model=RateLimitsOut, summary="Rate-limit quotas and forced 429s")
async def get_rate_limits(request: Request) -> dict[str, Any]:
    return _limits_out(ctx_of(request))


@router.post("/rate-limits", response_model=RateLimitsOut, summary="Set quotas, force 429s, or reset limits")
async def set_rate_limits(request: Request, body: RateLimitIn) -> Any:
    ctx = ctx_of(request)
    lim = ctx.limiter
    wishpost = body.wishpost_user_id is not None
    if wishpost and (body.merchant_id is not None or body.app_id is not None):  # one tenant per call
        return render_error(ctx, WishError("invalid_param", value=body.wishpost_user_id, param="wishpost_user_id"))
    tenant = body.wishpost_user_id if wishpost else body.merchant_id
    if body.reset:
        lim.reset()
    if body.quota is not None or body.window_seconds is not None:
        lim.set_quota(tenant, body.app_id, body.quota, body.window_seconds, wishpost=wishpost)
    if body.force_429 is not None:
        if tenant is None:
            return render_error(ctx, WishError("missing_param", param="merchant_id"))
        lim.forced[tenant] = body.force_429
    return _limits_out(ctx)
