"""Sandbox control of infractions: issue infractions to a merchant (each with its "new infraction"
notification), and move an infraction to another state now, so a client sees it change stage. The merchant is
`merchant_id` in the body, else the merchant of the `Authorization: Bearer` token."""

from __future__ import annotations

from typing import Any, Literal, get_args

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt, StrictStr

from mockwish.context import ctx_of
from mockwish.errors import WishError
from mockwish.ids import stream
from mockwish.merchant.infractions import generate, render, rules, store
from mockwish.sandbox.apps import sandbox_merchant
from mockwish.wire.v2 import render_error

router = APIRouter(prefix="/sandbox/api", tags=["Sandbox control"])
_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "Invalid parameter (1000: a malformed id, a proof the merchant has nothing for, a move "
                         "the infraction cannot make), missing parameter (1001), already in that state (1002)"},
    401: {"description": "The Bearer token is not a Merchant token that works"},
    404: {"description": "No such infraction, or the proof's object is not the merchant's (1004)"}}
State = Literal["NEW", "AWAITING_MERCHANT", "AWAITING_ADMIN", "CLOSED"]
ProofType = Literal["TICKET", "ORDER", "PRODUCT", "MERCHANT", "RATING", "VARIATION"]
assert get_args(State) == rules.STATES and set(get_args(ProofType)) == set(rules.PROOF_TYPES)


class InfractionsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    merchant_id: StrictStr | None = Field(default=None, max_length=64)
    state: State = "NEW"
    reason: StrictStr | None = Field(default=None, min_length=1, max_length=500,
                                     description="Default: a reason of the catalogue (with its fine and proofs)")
    extra_reason: StrictStr | None = Field(default=None, max_length=500)
    fine_amount: StrictFloat | StrictInt | None = Field(default=None, ge=0, le=1_000_000,
                                                        description="Default: the reason's fine, in fine_currency")
    fine_currency: StrictStr | None = Field(default=None, pattern="^[A-Z]{3}$",
                                            description="Default: the merchant's payment currency")
    proof_type: ProofType | None = Field(default=None, description="One proof of this type (default: the "
                                                                   "reason's proofs)")
    object_id: StrictStr | None = Field(default=None, max_length=64, description="The proof's object: the "
                                        "merchant's own ticket, order, product or variation id (the merchant id "
                                        "for MERCHANT); default: one of the merchant's")
    count: StrictInt = Field(default=1, ge=1, le=generate.MAX_COUNT)
    seed: StrictInt | None = Field(default=None, ge=0, le=2**63, description="Same seed, same infractions (new ids)")


class StateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    state: State


class ProofOut(BaseModel):
    message: str
    proof_type: str
    object_id: str


class InfractionOut(BaseModel):
    id: str
    state: str
    reason: str
    extra_reason: str
    fine_amount: str
    fine_currency: str
    created_time: str
    last_updated: str
    link: str
    proof: list[ProofOut]
    stage: int


class InfractionsOut(BaseModel):
    merchant_id: str
    infractions: list[InfractionOut]



def _out(rendered: dict[str, Any]) -> dict[str, Any]:
    """The API's rendering, unwrapped, with the stage the state is in."""
    inner = dict(rendered["Infraction"])
    inner["proof"] = [p["InfractionProof"] for p in inner["proof"]]
    return inner | {"stage": rules.stage_of(inner["state"])}


@router.post("/infractions", response_model=InfractionsOut, responses=_ERRORS,
             summary="Issue infractions to a merchant")
async def infractions(request: Request, body: InfractionsIn | None = None) -> Any:
    ctx = ctx_of(request)
    body = body or InfractionsIn()
    rng = stream(body.seed)
    ids = stream(None)  # a seed repeats the infractions, not their ids
    try:
        with ctx.owner.begin() as conn:
            merchant_id = sandbox_merchant(ctx, request, conn, body.merchant_id)
            made = generate.make_infractions(
                conn, merchant_id=merchant_id, now=ctx.clock.now(), rng=rng, ids=ids, count=body.count,
                state=body.state, reason=body.reason, extra_reason=body.extra_reason,
                fine_amount=None if body.fine_amount is None else float(body.fine_amount),
                fine_currency=body.fine_currency, proof_type=body.proof_type, object_id=body.object_id)
    except WishError as err:
        return render_error(ctx, err)
    return {"merchant_id": merchant_id, "infractions": [_out(i) for i in made]}


@router.post("/infractions/{infraction_id}/state", response_model=InfractionOut, responses=_ERRORS,
             summary="Move an infraction to another state now")
async def move(request: Request, infraction_id: str, body: StateIn) -> Any:
    """NEW -> AWAITING_MERCHANT, AWAITING_ADMIN or CLOSED; AWAITING_MERCHANT -> AWAITING_ADMIN or CLOSED;
    AWAITING_ADMIN -> AWAITING_MERCHANT or CLOSED; CLOSED -> AWAITING_MERCHANT or AWAITING_ADMIN (reopened).
    Nothing goes back to NEW (1000); the state it is in is 1002."""
    ctx = ctx_of(request)
    try:
        with ctx.owner.begin() as conn:
            row = store.any_infraction(conn, infraction_id.lower())
            if row is None:
                raise WishError("record_not_found", kind="infraction", id=infraction_id)
            values = rules.moved(row, body.state, ctx.clock.now())
            store.save(conn, row["id"], values)
            row |= values
    except WishError as err:
        return render_error(ctx, err)
    return _out(render.infraction(row))
