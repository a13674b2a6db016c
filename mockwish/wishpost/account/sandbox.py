"""Sandbox control of WishPost announcements (under /sandbox/api/wishpost): post an announcement for a user.
The user is `user_id` in the body, else the user of the `Authorization: Bearer` WishPost token."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field, StrictStr

from mockwish.context import Ctx, ctx_of
from mockwish.errors import WishError
from mockwish.ids import stream
from mockwish.sandbox.wishpost import sandbox_user
from mockwish.wire.v2 import public_base_url, render_error
from mockwish.wishpost.account import generate, rules, store
from mockwish.wishpost.dates import parse_day
from mockwish.wishpost.ops import PREFIX

router = APIRouter(prefix="/sandbox/api/wishpost", tags=["Sandbox control"])
_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "Invalid parameter (1000) or missing parameter (1001)"},
    401: {"description": "The Bearer token is not a WishPost token that works"}}


class AnnouncementIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    user_id: StrictStr | None = Field(default=None, max_length=64)
    title: StrictStr = Field(min_length=1, max_length=200)
    text: list[StrictStr] = Field(min_length=1, max_length=50, description="The paragraphs")
    publish_time: StrictStr | None = Field(default=None, max_length=10,
                                           description="%Y-%m-%d (Beijing date); default: today on the mock's clock")


class AnnouncementOut(BaseModel):
    user_id: str
    announcement_id: str
    url: str
    text: list[str]
    publish_time: str
    title: str




@router.post("/announcements", response_model=AnnouncementOut, responses=_ERRORS,
             summary="Post a WishPost announcement for a user (announcements lists it)")
async def post_announcement(request: Request, body: AnnouncementIn) -> Any:
    ctx: Ctx = ctx_of(request)
    try:
        now = ctx.clock.now()
        day = rules.today(now)
        if body.publish_time is not None:
            try:  # the API's one date reader: %Y-%m-%d, a year the clock shows (2000-2999)
                day = parse_day("publish_time", body.publish_time)
            except WishError:
                raise WishError("invalid_param", value=body.publish_time, param="publish_time") from None
        with ctx.owner.begin() as conn:
            user_id = sandbox_user(ctx, request, conn, body.user_id)
            row = generate.make_announcement(user_id=user_id, title=body.title, text=body.text, publish_date=day,
                                             created_at=now, rng=stream(None))
            store.insert_announcements(conn, [row])
    except WishError as err:
        return render_error(ctx, err)
    url = f"{public_base_url(request, ctx.settings.public_url)}{PREFIX}/announcement?announcement_id={row['id']}"
    return {"user_id": user_id, "announcement_id": row["id"], "url": url, "text": row["text"],
            "publish_time": row["publish_date"], "title": row["title"]}
