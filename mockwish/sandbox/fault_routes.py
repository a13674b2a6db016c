"""The control routes of injected faults (mockwish.sandbox.faults): create, list and delete rules.

    POST   /sandbox/api/faults        {"method": "GET", "path": "/api/v2/order/get-fulfill", "status": 503, "times": 2}
    GET    /sandbox/api/faults        the rules in force, with how often each fired
    DELETE /sandbox/api/faults        every rule (?tenant=: only that tenant's)
    DELETE /sandbox/api/faults/{id}   one rule

An impossible rule (an unknown surface, a code the registry does not know for the surface, a probability above 1,
no effect at all) is refused with an error naming the field, and nothing is stored."""

from __future__ import annotations

from typing import Any, Literal, get_args

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt, StrictStr

from mockwish.context import ctx_of
from mockwish.errors import WishError
from mockwish.sandbox.faults import BREAKS, Effect, SurfaceName, validate_rule
from mockwish.wire.v2 import render_error

router = APIRouter(prefix="/sandbox/api", tags=["Sandbox control"])
_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "An impossible rule (code 1000), naming the field"},
    404: {"description": "No such rule (code 1004)"}}
assert set(get_args(Literal["drop", "truncate", "malformed"])) == set(BREAKS)


class FaultIn(BaseModel):
    """Which requests (every field optional: a rule without any matches every API request) and what happens."""

    model_config = ConfigDict(extra="forbid")
    surface: SurfaceName | None = Field(default=None, description="merchant and wishpost name their OAuth and XML "
                                                              "surfaces too")
    method: StrictStr | None = Field(default=None, pattern="^(?i:get|post)$",
                                     description="GET or POST (any case): every API operation answers both")
    path: StrictStr | None = Field(default=None, max_length=500, description="Exact, or a glob: /api/v2/product*")
    tenant: StrictStr | None = Field(default=None, max_length=64, description="A merchant id or WishPost user id: "
                                     "matched once the request is authenticated")
    params: dict[StrictStr, StrictStr] | None = Field(default=None, description="Parameter values the request must "
                                                      "carry, e.g. {\"id\": \"...\"}")
    code: StrictInt | None = Field(default=None, description="Answer this Wish error, rendered in the surface's "
                                   "format (e.g. 1056: too many requests)")
    status: Literal[500, 502, 503, 504] | None = Field(default=None, description="Answer this bare HTTP status")
    fault: Literal["drop", "truncate", "malformed"] | None = Field(
        default=None, description="drop: the connection closes after the status line; truncate: after half the "
        "body; malformed: a complete answer whose body stops halfway")
    latency_ms: StrictInt | list[StrictInt] | None = Field(default=None, description="Added latency: a number or "
                                                           "[low, high] (a random draw per request)")
    times: StrictInt | None = Field(default=None, ge=1, le=1_000_000, description="For the next N matches (default: "
                                    "until deleted)")
    probability: StrictInt | StrictFloat = Field(default=1.0, gt=0, le=1, description="Fire on this share of "
                                                 "the matches")


class FaultOut(BaseModel):
    id: str
    surface: str | None = None
    method: str | None = None
    path: str | None = None
    tenant: str | None = None
    params: dict[str, str] | None = None
    code: int | None = None
    status: int | None = None
    fault: str | None = None
    latency_ms: list[int] | None = None
    times: int | None
    probability: float
    fired: int


class FaultsOut(BaseModel):
    faults: list[FaultOut]


class ClearedOut(BaseModel):
    deleted: int



@router.post("/faults", response_model=FaultOut, responses=_ERRORS, summary="Inject a fault: a rule matching API "
             "requests that answers a Wish error, a bare status, a broken transport or a delay")
async def create_fault(request: Request, body: FaultIn) -> Any:
    ctx = ctx_of(request)
    latency = [body.latency_ms] if isinstance(body.latency_ms, int) else body.latency_ms
    problems = validate_rule(body.surface, body.code, body.status, body.fault, latency)
    if problems:
        field, _, reason = problems[0].partition(": ")
        return render_error(ctx, WishError("invalid_field", param=field, reason=reason,
                                           value=str(getattr(body, field, ""))))
    effect = Effect(body.code, body.status, body.fault,
                    (latency[0], latency[-1]) if latency is not None else None)
    tenant = body.tenant
    if ctx.tenant_id is not None:  # under /sandbox/api/tenants/{id}: a rule for that tenant only
        if tenant not in (None, ctx.tenant_id):
            return render_error(ctx, WishError("invalid_field", param="tenant", value=tenant[:64],
                                               reason=f"a rule made for tenant {ctx.tenant_id} names it alone"))
        tenant = ctx.tenant_id
    rule = ctx.faults.add(effect, surface=body.surface, method=body.method, path=body.path, tenant=tenant,
                          params=body.params, times=body.times, probability=float(body.probability))
    return rule.describe()


@router.get("/faults", response_model=FaultsOut, summary="The fault rules in force")
async def list_faults(request: Request) -> Any:
    ctx = ctx_of(request)
    return {"faults": [r.describe() for r in ctx.faults.rules if ctx.tenant_id in (None, r.tenant)]}


@router.delete("/faults", response_model=ClearedOut, summary="Delete every fault rule (or a tenant's)")
async def clear_faults(request: Request, tenant: str | None = None) -> Any:
    ctx = ctx_of(request)
    faults = ctx.faults
    before = len(faults.rules)
    faults.clear(ctx.tenant_id or tenant)  # under /sandbox/api/tenants/{id}: that tenant's rules
    return {"deleted": before - len(faults.rules)}


@router.delete("/faults/{fault_id}", response_model=ClearedOut, responses=_ERRORS, summary="Delete one fault rule")
async def delete_fault(request: Request, fault_id: str) -> Any:
    ctx = ctx_of(request)
    mine = ctx.tenant_id is None or any(r.id == fault_id and r.tenant == ctx.tenant_id for r in ctx.faults.rules)
    if not mine or not ctx.faults.remove(fault_id):
        return render_error(ctx, WishError("record_not_found", kind="fault", id=fault_id[:64]))
    return {"deleted": 1}
