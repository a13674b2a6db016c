"""Sandbox control of notifications and announcements: post notifications to a merchant, have its Account
Manager send an announcement, or release a System Update, in one call each. The merchant is `merchant_id` in
the body, else the merchant of the `Authorization: Bearer` token."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any, Literal, get_args

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr

from mockwish.context import ctx_of
from mockwish.errors import WishError
from mockwish.ids import stream
from mockwish.merchant.notifications import content, generate, rules
from mockwish.sandbox.apps import sandbox_merchant
from mockwish.wire.v2 import render_error

router = APIRouter(prefix="/sandbox/api", tags=["Sandbox control"])
_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "Invalid parameter (1000) or missing parameter (1001)"},
    401: {"description": "The Bearer token is not a Merchant token that works"}}
Kind = Literal["payment", "refund", "product_rejected", "ticket", "policy_update", "system_update",
               "orders_to_fulfill", "account_manager", "low_inventory"]
Category = Literal["ACCOUNT_SETTINGS", "API", "INSIGHTS", "IP", "LOCAL_CURRENCY", "LOGISTICS", "LOGISTICS_PRICING",
                   "ORDERS", "PAYMENTS", "POLICIES_AND_TERMS", "PRODUCTS", "SHIPPING_CARRIERS", "TAX"]
assert set(get_args(Kind)) == set(content.KINDS) and set(get_args(Category)) == set(rules.CATEGORIES)
Seed = Field(default=None, ge=0, le=2**63, description="Same seed, same texts (new ids)")


class NotificationsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    merchant_id: StrictStr | None = Field(default=None, max_length=64)
    title: StrictStr | None = Field(default=None, max_length=500)
    message: StrictStr | None = Field(default=None, max_length=5000)
    perma_link: StrictStr | None = Field(default=None, max_length=2000)
    kind: Kind | None = Field(default=None, description="What the notification is about (default: any kind the "
                                                        "merchant has something for); title, message and "
                                                        "perma_link replace its texts")
    count: StrictInt = Field(default=1, ge=1, le=generate.MAX_COUNT)
    seed: StrictInt | None = Seed


class NotificationOut(BaseModel):
    id: str
    title: str
    message: str
    perma_link: str


class NotificationsOut(BaseModel):
    merchant_id: str
    notifications: list[NotificationOut]


class AnnouncementIn(BaseModel):
    """kind "bd": title, message, bd_id, bd_name, viewed. kind "system": one feature's fields. A field of the
    other kind is refused (1000); every field has a realistic default."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["bd", "system"] = "bd"
    merchant_id: StrictStr | None = Field(default=None, max_length=64)
    count: StrictInt = Field(default=1, ge=1, le=generate.MAX_COUNT)
    title: StrictStr | None = Field(default=None, max_length=500)
    message: StrictStr | None = Field(default=None, max_length=5000, description="bd only")
    bd_id: StrictStr | None = Field(default=None, pattern="^[0-9a-f]{24}$",
                                    description="bd only; default: the merchant's Account Manager")
    bd_name: StrictStr | None = Field(default=None, max_length=200, description="bd only")
    viewed: StrictBool | None = Field(default=None, description="bd only; default false")
    body: StrictStr | None = Field(default=None, max_length=5000, description="system only")
    link: StrictStr | None = Field(default=None, max_length=2000, description="system only")
    cn_title: StrictStr | None = Field(default=None, max_length=500, description="system only")
    cn_body: StrictStr | None = Field(default=None, max_length=5000, description="system only")
    cn_link: StrictStr | None = Field(default=None, max_length=2000, description="system only")
    categories: list[Category] | None = Field(default=None, max_length=rules.MAX_CATEGORIES,
                                              description="system only; up to three")
    program: StrictStr | None = Field(default=None, max_length=100, description="system only; default 'None'")
    important: StrictBool | None = Field(default=None, description="system only")
    cta_text_en: StrictStr | None = Field(default=None, max_length=1000, description="system only")
    cta_text_cn: StrictStr | None = Field(default=None, max_length=1000, description="system only")
    cta_effective_date: datetime | None = Field(default=None, description="system only; UTC, e.g. "
                                                                          "2030-01-10T12:00:00")
    seed: StrictInt | None = Seed


class AnnouncementsOut(BaseModel):
    merchant_id: str
    kind: str
    announcements: list[dict[str, Any]] = Field(description='As the API renders them: {"GetBDAnnouncementResponse": '
                                                            '{...}} or {"SystemUpdatesResponse": {...}}')



def _rng(seed: int | None) -> random.Random:
    return stream(seed)


@router.post("/notifications", response_model=NotificationsOut, responses=_ERRORS,
             summary="Post notifications to a merchant")
async def notifications(request: Request, body: NotificationsIn | None = None) -> Any:
    ctx = ctx_of(request)
    body = body or NotificationsIn()
    try:
        with ctx.owner.begin() as conn:
            merchant_id = sandbox_merchant(ctx, request, conn, body.merchant_id)
            made = generate.make_notifications(conn, merchant_id=merchant_id, now=ctx.clock.now(),
                                               rng=_rng(body.seed), ids=_rng(None), count=body.count,
                                               title=body.title, message=body.message, perma_link=body.perma_link,
                                               kind=body.kind)
    except WishError as err:
        return render_error(ctx, err)
    return {"merchant_id": merchant_id, "notifications": [n["GetNotiResponse"] for n in made]}


@router.post("/announcements", response_model=AnnouncementsOut, responses=_ERRORS,
             summary="Send a merchant an Account Manager announcement or a System Update")
async def announcements(request: Request, body: AnnouncementIn | None = None) -> Any:
    ctx = ctx_of(request)
    body = body or AnnouncementIn()
    fields = body.model_dump(exclude={"kind", "merchant_id", "count", "seed"}, exclude_none=True)
    if "cta_effective_date" in fields:  # a naive UTC instant, like the mock's clock
        when: datetime = fields["cta_effective_date"]
        fields["cta_effective_date"] = when.replace(tzinfo=None) - (when.utcoffset() or timedelta(0))
    try:
        with ctx.owner.begin() as conn:
            merchant_id = sandbox_merchant(ctx, request, conn, body.merchant_id)
            made = generate.make_announcement(conn, merchant_id=merchant_id, now=ctx.clock.now(),
                                              rng=_rng(body.seed), ids=_rng(None), count=body.count,
                                              kind=body.kind, **fields)
    except WishError as err:
        return render_error(ctx, err)
    return {"merchant_id": merchant_id, "kind": body.kind, "announcements": made}
