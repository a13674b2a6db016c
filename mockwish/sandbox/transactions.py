"""Sandbox control of orders: test transactions on demand (the dashboard's "Generate Orders" of the real
sandbox, supplement-merchant.md 7), the test hooks of supplement 3.2 (release an order from review, have
the carrier confirm its tracking now) and order counts per state.

The handlers run on the event loop, like the API's: the store is one shared SQLite connection, and a
generation in the threadpool would interleave its transaction with the requests served meanwhile."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt, StrictStr
from sqlalchemy import Connection, select

from mockwish.context import Ctx, ctx_of
from mockwish.errors import WishError
from mockwish.ids import is_object_id
from mockwish.merchant.orders import render, rules
from mockwish.merchant.orders import store as order_store
from mockwish.merchant.orders.rules import OrderPolicy
from mockwish.sandbox.apps import bearer_merchant, merchant_exists, named_or_bearer
from mockwish.store.tables import Merchant, table_of
from mockwish.wire.v2 import render_error

router = APIRouter(prefix="/sandbox/api", tags=["Sandbox control"])
_M = table_of(Merchant)
_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "Invalid parameter (1000), missing parameter (1001) or not found (1004)"},
    401: {"description": "The Bearer token is not valid (4000, 1015, 1016)"}}
Share = StrictInt | StrictFloat


class TransactionsIn(BaseModel):
    """What to generate. The merchant is `merchant_id`, else the merchant of the Authorization: Bearer token."""

    model_config = ConfigDict(extra="forbid")  # a misspelt option is an error, not silently ignored
    merchant_id: StrictStr | None = Field(default=None, max_length=64)
    count: StrictInt = Field(default=1, ge=1, le=rules.MAX_GENERATED)
    states: dict[StrictStr, Share] | None = Field(
        default=None, description='State weights, e.g. {"APPROVED": 0.7, "SHIPPED": 0.3} (default: all APPROVED)')
    state: StrictStr | None = Field(default=None, description="One state for every order (instead of states)")
    product_id: StrictStr | None = Field(default=None, max_length=64, description="Only this product's variations")
    sku: StrictStr | None = Field(default=None, max_length=255, description="Only this variation")
    country: StrictStr | None = Field(default=None, max_length=8, description="Buyers' country (ISO 3166 alpha-2)")
    wish_express_share: Share = Field(default=0.0, ge=0, le=1)
    combined_share: Share = Field(default=0.0, ge=0, le=1, description="Orders grouped 2-4 per transaction_id")
    fbw_share: Share = Field(default=0.0, ge=0, le=1, description="Fulfilled By Wish orders")
    confirmed_share: Share = Field(default=0.5, ge=0, le=1, description="Shipped orders whose tracking is confirmed")
    refund_after_shipping_share: Share = Field(default=0.5, ge=0, le=1, description="Refunds made after shipping")
    changed_address_share: Share = Field(default=0.0, ge=0, le=1, description="Addresses changed before shipping")
    seed: StrictInt | None = Field(default=None, ge=0, le=2**63, description="Same seed, same orders (new ids)")


class TransactionsOut(BaseModel):
    merchant_id: str
    order_ids: list[str]
    transaction_ids: list[str]
    count: int


class OrderHookOut(BaseModel):
    Order: dict[str, Any]


class MerchantOrdersOut(BaseModel):
    merchant_id: str
    counts: dict[str, int]
    total: int


class OrdersSummaryOut(BaseModel):
    merchants: list[MerchantOrdersOut]



def _merchant_id(ctx: Ctx, request: Request, conn: Connection, merchant_id: str | None) -> str | None:
    """The merchant named, or the merchant of the Bearer token; None when neither is given."""
    return named_or_bearer(conn, request, merchant_id, merchant_exists, bearer_merchant(ctx), "merchant_id")


@router.post("/transactions", response_model=TransactionsOut, responses=_ERRORS,
             summary="Generate test orders for a merchant from its real catalogue")
async def transactions(request: Request, body: TransactionsIn | None = None) -> Any:
    from mockwish.merchant.orders.generate import generate  # Faker: loaded by the first generation, not at start

    ctx = ctx_of(request)
    body = body or TransactionsIn()
    try:
        if body.state is not None and body.states is not None:
            raise WishError("invalid_param", value="state", param="body (give state or states, not both)")
        states = {body.state: 1.0} if body.state is not None else body.states
        now = ctx.clock.now()
        with ctx.owner.begin() as conn:
            merchant_id = _merchant_id(ctx, request, conn, body.merchant_id)
            if merchant_id is None:
                raise WishError("missing_either", a="merchant_id", b="Authorization: Bearer <token>")
            made = generate(conn, merchant_id=merchant_id, count=body.count, now=now,
                            policy=ctx.order_policy, seed=body.seed, states=states,
                            product_ids=[body.product_id] if body.product_id else [],
                            skus=[body.sku] if body.sku else [], country=body.country,
                            reserved=ctx.sandbox.doc_product_ids,
                            wish_express_share=body.wish_express_share, combined_share=body.combined_share,
                            fbw_share=body.fbw_share, confirmed_share=body.confirmed_share,
                            refund_after_shipping_share=body.refund_after_shipping_share,
                            changed_address_share=body.changed_address_share)
    except WishError as err:
        return render_error(ctx, err)
    ctx.orders.reset()  # the next settle finds the new orders' instants itself
    return {"merchant_id": merchant_id, "order_ids": made.order_ids, "transaction_ids": made.transaction_ids,
            "count": len(made.order_ids)}


Reschedule = Callable[[dict[str, Any], datetime, OrderPolicy], dict[str, datetime]]


def _hook(request: Request, order_id: str, check: Reschedule) -> Any:
    """Move the scheduled instants of an order that `check` answers (`released_at`, `tracking_confirm_at`,
    `delivery_confirm_at`; now, or counted from now) and let the order clock carry out the transitions due,
    exactly as it would have at that instant."""
    ctx = ctx_of(request)
    try:
        if not is_object_id(order_id):
            raise WishError("invalid_id", value=order_id)
        now = ctx.clock.now()
        with ctx.owner.begin() as conn:
            merchant_id = order_store.owner_of(conn, order_id)
            if merchant_id is None:
                raise WishError("order_not_found", id=order_id)
            order_store.save(conn, order_id, check(order_store.get(conn, merchant_id, order_id), now,
                                                   ctx.order_policy))
            ctx.orders.schedule(now)
            ctx.timeline.settle_due(conn, now)
            order = order_store.get(conn, merchant_id, order_id)
    except WishError as err:
        return render_error(ctx, err)
    return render.order(order, now, ctx.order_policy, show_original=True)


def _under_review(order: dict[str, Any], now: datetime, _policy: OrderPolicy) -> dict[str, datetime]:
    if order["state"] != rules.REQUIRE_REVIEW:
        raise WishError("invalid_param", value=order["state"],
                        param=f"state of order {order['id']} (only a REQUIRE_REVIEW order can be released)")
    return {"released_at": now}


def _awaiting_scan(order: dict[str, Any], now: datetime, policy: OrderPolicy) -> dict[str, datetime]:
    """The first scan now; the delivery scan keeps its delay after it, as on the clock."""
    rules.require_shipped(order)
    if order["tracking_confirmed"]:
        raise WishError("invalid_param", value="True",
                        param=f"tracking_confirmed of order {order['id']} (its tracking is already confirmed)")
    moved = {"tracking_confirm_at": now}
    if order["delivery_confirm_at"] is not None:
        moved["delivery_confirm_at"] = now + policy.delivery_confirm
    return moved


def _awaiting_delivery(order: dict[str, Any], now: datetime, _policy: OrderPolicy) -> dict[str, datetime]:
    """A delivery scan implies the first scan: an unconfirmed tracking is confirmed at the same instant."""
    rules.require_shipped(order)
    if order["delivery_confirmed"]:
        raise WishError("invalid_param", value="True",
                        param=f"confirmed_delivery of order {order['id']} (its delivery is already confirmed)")
    if order["delivery_confirm_at"] is None:
        raise WishError("invalid_param", value="",
                        param=f"tracking_number of order {order['id']} (shipped without one: never confirmed)")
    moved = {"delivery_confirm_at": now}
    if not order["tracking_confirmed"]:
        moved["tracking_confirm_at"] = now
    return moved


@router.post("/orders/{order_id}/release", response_model=OrderHookOut, responses=_ERRORS,
             summary="Release a REQUIRE_REVIEW order to the merchant now (APPROVED)")
async def release(request: Request, order_id: str) -> Any:
    return _hook(request, order_id, _under_review)


@router.post("/orders/{order_id}/confirm-tracking", response_model=OrderHookOut, responses=_ERRORS,
             summary="The carrier's first scan of a SHIPPED order, now (tracking_confirmed True)")
async def confirm_tracking(request: Request, order_id: str) -> Any:
    return _hook(request, order_id, _awaiting_scan)


@router.post("/orders/{order_id}/confirm-delivery", response_model=OrderHookOut, responses=_ERRORS,
             summary="The carrier's delivery scan of a SHIPPED order, now (confirmed_delivery True; the tracking "
                     "too if it was not yet)")
async def confirm_delivery(request: Request, order_id: str) -> Any:
    return _hook(request, order_id, _awaiting_delivery)


@router.get("/orders", response_model=OrdersSummaryOut, responses=_ERRORS,
            summary="Orders per state: of merchant_id, of the Bearer token's merchant, or of every merchant")
async def orders_summary(request: Request, merchant_id: str | None = None, state: str | None = None) -> Any:
    ctx = ctx_of(request)
    try:
        wanted: tuple[str, ...] = rules.STATES
        if state is not None:
            if state.strip().upper() not in rules.STATES:
                raise WishError("invalid_param", value=state, param="state")
            wanted = (state.strip().upper(),)
        now = ctx.clock.now()
        ctx.timeline.settle(ctx.owner, now)  # counts as the API would see them
        with ctx.owner.begin() as conn:
            one = _merchant_id(ctx, request, conn, merchant_id)
            ids = [one] if one else [r[0] for r in conn.execute(select(_M.c.id).order_by(_M.c.created_at, _M.c.id))]
            out = []
            for mid in ids:
                counts = order_store.state_counts(conn, mid)
                shown = {s: counts.get(s, 0) for s in wanted}
                out.append({"merchant_id": mid, "counts": shown, "total": sum(shown.values())})
    except WishError as err:
        return render_error(ctx, err)
    return {"merchants": out}
