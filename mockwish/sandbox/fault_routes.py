"""The control routes of injected faults (mockwish.sandbox.faults): create, list and delete rules.

    POST   /sandbox/api/faults        {"method": "GET", "path": "/api/v2/order/get-fulfill", "status": 503, "times": 2}
    GET    /sandbox/api/faults        the rules in force, with how often each fired
    DELETE /sandbox/api/faults        every rule (?tenant=: only that tenant's)
    DELETE /sandbox/api/faults/{id}   one rule

An impossible rule (an unknown surface, a code the registry does not know for the surface, a probability above 1,
no effect at all) is refused with an error naming the field, and nothing is stored."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel

from mockwish.context import ctx_of
from mockwish.errors import WishError
from mockwish.sandbox.faults import FaultIn, validate_rule
from mockwish.wire.v2 import render_error

router = APIRouter(prefix="/sandbox/api", tags=["Sandbox control"])
_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "An impossible rule (code 1000), naming the field"},
    404: {"description": "No such rule (code 1004)"}}


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
    problems = validate_rule(body.surface, body.code, body.status, body.fault, body.latency())
    if problems:
        field, _, reason = problems[0].partition(": ")
        return render_error(ctx, WishError("invalid_field", param=field, reason=reason,
                                           value=str(getattr(body, field, ""))))
    tenant = body.tenant
    if ctx.tenant_id is not None:  # under /sandbox/api/tenants/{id}: a rule for that tenant only
        if tenant not in (None, ctx.tenant_id):
            return render_error(ctx, WishError("invalid_field", param="tenant", value=tenant[:64],
                                               reason=f"a rule made for tenant {ctx.tenant_id} names it alone"))
        tenant = ctx.tenant_id
    rule = ctx.faults.add(body.effect(), surface=body.surface, method=body.method, path=body.path, tenant=tenant,
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
