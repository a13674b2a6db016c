"""Files the mock hands out by URL: finished download-job CSVs (valid for download_link_ttl_hours, as the
docs say of download links) and temporary uploaded images (valid for temp_image_ttl_days). Anyone with
the link may fetch it, as with Wish's S3 links; an expired or unknown link answers 404."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy import select
from starlette.responses import Response

from mockwish.context import Ctx, ctx_of
from mockwish.errors import WishError
from mockwish.store.tables import TempImage, table_of
from mockwish.wire.v2 import render_error

router = APIRouter(prefix="/static", include_in_schema=False)
_IMG = table_of(TempImage)
_NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "Unknown or expired link"}}


def _tenant_ctx(request: Request) -> Ctx:
    """A tenant's links carry `tenant=<id>` (mockwish.wire.v2.Call.url): the file is in that tenant's store."""
    ctx = ctx_of(request)
    tenant = ctx.tenants.get(request.query_params.get("tenant") or "")
    return tenant.ctx if tenant is not None else ctx


@router.get("/sweeper-production-merchant-export/{name}", responses=_NOT_FOUND)
async def job_file(name: str, request: Request) -> Response:
    ctx = _tenant_ctx(request)
    now = ctx.clock.now()
    ctx.timeline.settle(ctx.owner, now)
    with ctx.owner.begin() as conn:
        # the Merchant exports are CSVs; a WishPost statement (.xlsx) is served by its own signed link only
        found = ctx.jobs.file(conn, name) if name.endswith(".csv") else None
    if found is None or now > found[1] + timedelta(hours=ctx.settings.download_link_ttl_hours):
        return render_error(ctx, WishError("endpoint_not_found", path=request.url.path))
    return Response(found[0], media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/tmp-uploads/{name}", responses=_NOT_FOUND)
async def temp_image(name: str, request: Request) -> Response:
    ctx = _tenant_ctx(request)
    now = ctx.clock.now()
    image_id = name.removesuffix(".jpg")
    with ctx.owner.begin() as conn:
        row = conn.execute(select(_IMG.c.content, _IMG.c.created_at).where(_IMG.c.id == image_id)).first()
    if row is None or now > row[1] + timedelta(days=ctx.settings.temp_image_ttl_days):
        return render_error(ctx, WishError("endpoint_not_found", path=request.url.path))
    return Response(row[0], media_type="image/jpeg")
