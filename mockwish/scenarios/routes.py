"""/sandbox/api/scenarios: load a scenario (YAML or JSON body) into a new tenant (the default), into a tenant
(`?tenant=<id>`) or into the default data (`?into=default`); list the shipped ones; the JSON Schema.

Loading validates the whole file first and answers every problem with its location (code 1000, the problems
in `data.problems`), changing nothing. Into a new tenant, the scenario is the tenant's seeded state (its reset
restores it, controls included); into a live store, it is added like generated data (a reset removes it)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import IntegrityError

from mockwish.context import Ctx, ctx_of
from mockwish.errors import WishError
from mockwish.scenarios import SCHEMA_PATH, shipped
from mockwish.scenarios.errors import ScenarioRefused
from mockwish.tenants.routes import make_tenant, tenant_out
from mockwish.wire.v2 import render_error

router = APIRouter(prefix="/sandbox/api/scenarios", tags=["Sandbox scenarios"])
_SCENARIO = {"type": "object", "description": "A scenario, as GET /sandbox/api/scenarios/schema describes it"}
# YAML is read too (Content-Type application/yaml), as the file is written: not declared, since a generator
# of requests cannot tell a YAML text that is a scenario from one that is not
_BODY = {"required": True, "content": {"application/json": {"schema": _SCENARIO}}}
_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "The scenario is invalid (code 1000): every problem in data.problems"},
    404: {"description": "No tenant with this id (code 1004)"}}


def _format(request: Request) -> str | None:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind.endswith("json"):
        return "json"
    if "yaml" in kind or kind.startswith("text/"):
        return "yaml"
    return None  # JSON when it starts with "{", else YAML


@router.post("", responses={**_ERRORS, 201: {"description": "A new tenant holding the scenario"},
                            200: {"description": "Loaded into a tenant or the default data"}},
             summary="Load a scenario: into a new tenant, a tenant (?tenant=) or the default data (?into=default)",
             openapi_extra={"requestBody": _BODY})
async def load_scenario(request: Request, tenant: str | None = None, into: str | None = None) -> Any:
    from mockwish.scenarios.load import load_bytes  # (the YAML reader: when a scenario comes, not at start)

    ctx = ctx_of(request)
    try:
        target = _target(request, tenant, into)
        loaded = load_bytes(await request.body(), fmt=_format(request))
        if isinstance(loaded, list):
            raise ScenarioRefused(loaded)
        if target is None:
            made = await make_tenant(ctx, data=None, wishpost=False, seed=None, scenario=loaded)
            return JSONResponse(tenant_out(made), status_code=201)
        return {"scenario": _into_live(target, loaded)}
    except WishError as err:
        return render_error(ctx, err)


def _target(request: Request, tenant: str | None, into: str | None) -> Ctx | None:
    """The live store to load into, or None for a new tenant."""
    ctx = ctx_of(request)
    if into is not None and into != "default":
        raise WishError("invalid_field", param="into", value=into[:64], reason="the only value is 'default'")
    if tenant is not None:
        if into is not None:
            raise WishError("invalid_field", param="into", value=into, reason="tenant and into exclude each other")
        found = ctx.tenants.get(tenant)
        if found is None:
            raise WishError("record_not_found", kind="tenant", id=tenant[:64])
        return found.ctx
    if into == "default":
        return request.app.state.ctx
    return ctx if ctx.tenant_id is not None else None  # under /sandbox/api/tenants/{id}: into that tenant


def _into_live(ctx: Ctx, scenario: Any) -> dict[str, Any]:
    from mockwish.scenarios.apply import apply_controls, apply_rows
    from mockwish.scenarios.load import Problem, ScenarioInvalid

    try:
        with ctx.owner.begin() as conn:
            applied = apply_rows(conn, scenario, now=ctx.clock.now(), token_prefix=ctx.token_prefix,
                                 order_policy=ctx.order_policy, seed=ctx.sandbox.seed,
                                 parcel_policy=ctx.parcel_policy)
    except ScenarioInvalid as refused:
        raise ScenarioRefused(refused.problems) from None
    except IntegrityError as clash:  # what the checks before writing did not foresee: refused, nothing written
        raise ScenarioRefused([Problem("(store)", f"conflicts with what the store holds: {clash.orig}")]) from None
    return apply_controls(ctx, applied).report()


@router.get("", summary="The shipped scenarios (fixtures/scenarios), by name")
async def list_shipped(request: Request) -> Any:
    from mockwish.scenarios.load import load_bytes

    out = []
    for name, path in shipped(ctx_of(request).sandbox.fixtures_dir).items():
        loaded = load_bytes(path.read_bytes(), fmt="yaml")
        out.append({"name": name, "description": None if isinstance(loaded, list) else loaded.description})
    return {"scenarios": out}


@router.get("/schema", summary="The JSON Schema of a scenario file", response_class=Response,
            responses={200: {"description": "The JSON Schema (draft 2020-12)",
                             "content": {"application/schema+json": {"schema": {"type": "object"}}}}})
async def schema() -> Response:
    return Response(SCHEMA_PATH.read_bytes(), media_type="application/schema+json")

