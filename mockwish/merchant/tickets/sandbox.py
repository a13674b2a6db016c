"""Sandbox control of tickets: a buyer opens tickets on a merchant's orders (or asks about its products), the
buyer writes back or closes, and Wish Support answers an appealed ticket. The merchant of a new ticket is
`merchant_id` in the body, else the merchant of the `Authorization: Bearer` token; the buyer and Wish Support
reach any store's ticket by its id. Each answers the tickets as GET /api/v2/ticket renders them."""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr
from sqlalchemy import Connection

from mockwish.context import Ctx, ctx_of
from mockwish.errors import WishError
from mockwish.ids import is_object_id, stream
from mockwish.merchant.catalogue import store as catalogue_store
from mockwish.merchant.catalogue.money import Wallet
from mockwish.merchant.tickets import generate, labels, render, rules, store
from mockwish.sandbox.apps import sandbox_merchant
from mockwish.wire.v2 import render_error

router = APIRouter(prefix="/sandbox/api", tags=["Sandbox control"])
_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "Invalid parameter (1000), missing parameter (1001), not found (1004: the merchant's "
                         "order or product), or an action the ticket's state refuses (1000, 1002)"},
    401: {"description": "The Bearer token is not a merchant token that works"},
    404: {"description": "No such ticket (1004)"}}
TicketType = Literal["post_purchase_tickets", "post_customer_support_questions", "pre_purchase_questions"]
Story = Literal["awaiting_merchant", "answered_back", "awaiting_buyer", "awaiting_wish", "awaiting_store",
                "closed_by_user", "closed_by_merchant", "closed_by_wish_support", "closed_by_wish_automated_support"]
Message = StrictStr | None


class TicketsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    merchant_id: StrictStr | None = Field(default=None, max_length=64)
    order_id: StrictStr | None = Field(default=None, max_length=64, description="The merchant's order the ticket "
                                       "is about (default: a random order no open ticket is about)")
    product_id: StrictStr | None = Field(default=None, max_length=64,
                                         description="The product a pre_purchase_questions ticket asks about")
    label: StrictStr | None = Field(default=None, max_length=200, description="One of the mock's labels (default: "
                                    "a random one fitting the order's state): " + "; ".join(labels.BY_NAME))
    ticket_type: TicketType | None = Field(default=None, description="Default: the label's, else "
                                           "pre_purchase_questions with product_id, else post_purchase_tickets")
    message: Message = Field(default=None, max_length=rules.MAX_REPLY,
                             description="The buyer's first message (default: the label's, in the buyer's language)")
    state: Story = Field(default="awaiting_merchant", description="Where the story ends (now): a new ticket "
                         "awaits the merchant; the others play the replies, appeal and close that lead there")
    photo: StrictBool | None = Field(default=None, description="The buyer attaches a photo (default: as the label "
                                     "usually has)")
    count: StrictInt = Field(default=1, ge=1, le=generate.MAX_COUNT)
    seed: StrictInt | None = Field(default=None, ge=0, le=2**63)


class BuyerReplyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    message: Message = Field(default=None, max_length=rules.MAX_REPLY,
                             description="What the buyer writes (default: a usual follow-up in their language)")
    close: StrictBool = Field(default=False, description="The buyer closes the ticket (closed_by user)")


class WishReplyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    message: Message = Field(default=None, max_length=rules.MAX_REPLY, description="What Wish Support writes")
    close: StrictBool = Field(default=False, description="Wish Support closes the ticket (closed_by wish "
                              "support) instead of handing it back to the store")


class TicketOut(BaseModel):
    Ticket: dict[str, Any]


class TicketsOut(BaseModel):
    merchant_id: str
    tickets: list[TicketOut]



def _rendered(ctx: Ctx, conn: Connection, merchant_id: str, rows: list[dict[str, Any]], now: datetime
              ) -> list[dict[str, Any]]:
    m = catalogue_store.merchant(conn, merchant_id)
    return render.tickets(conn, merchant_id, rows, now, ctx.order_policy,
                          Wallet(m["payment_currency"], m["localized_currency"]))


@router.post("/tickets", response_model=TicketsOut, responses=_ERRORS,
             summary="A buyer opens tickets on a merchant's orders (or asks about a product)")
async def open_tickets(request: Request, body: TicketsIn | None = None) -> Any:
    ctx = ctx_of(request)
    body = body or TicketsIn()
    try:
        for name in ("order_id", "product_id"):
            value = getattr(body, name)
            if value is not None and not is_object_id(value):
                raise WishError("invalid_id", value=value)
        now = ctx.clock.now()
        ctx.timeline.settle(ctx.owner, now)
        with ctx.owner.begin() as conn:
            merchant_id = sandbox_merchant(ctx, request, conn, body.merchant_id)
            rng = stream(body.seed)
            rows = generate.make_tickets(conn, merchant_id=merchant_id, now=now, rng=rng, count=body.count,
                                         order_id=body.order_id, product_id=body.product_id, label=body.label,
                                         ticket_type=body.ticket_type, message=body.message, state=body.state,
                                         photo=body.photo)
            shown = _rendered(ctx, conn, merchant_id, rows, now)
    except WishError as err:
        return render_error(ctx, err)
    return {"merchant_id": merchant_id, "tickets": shown}


def _answer(request: Request, ticket_id: str, act: Any) -> Any:
    """Run `act(ticket, now)` on the ticket `ticket_id` (any merchant's), write its step, answer the ticket."""
    ctx = ctx_of(request)
    try:
        if not is_object_id(ticket_id):
            raise WishError("invalid_id", value=ticket_id)
        now = ctx.clock.now()
        ctx.timeline.settle(ctx.owner, now)
        with ctx.owner.begin() as conn:
            ticket = store.find(conn, ticket_id)
            if ticket is None:
                raise WishError("record_not_found", kind="ticket", id=ticket_id)
            ticket = store.apply(conn, ticket, act(ticket, now), now)
            shown = _rendered(ctx, conn, ticket["merchant_id"], [ticket], now)[0]
    except WishError as err:
        return render_error(ctx, err)
    return shown


@router.post("/tickets/{ticket_id}/buyer-reply", response_model=TicketOut, responses=_ERRORS,
             summary="The buyer writes back (awaiting the buyer, the ticket then awaits the merchant), or closes")
async def buyer_reply(request: Request, ticket_id: str, body: BuyerReplyIn | None = None) -> Any:
    body = body or BuyerReplyIn()

    def act(ticket: dict[str, Any], now: datetime) -> rules.Step:
        message = _buyer_message(ticket, body.message, close_it=body.close)
        return rules.buyer_message(ticket, message, now, close_it=body.close)
    return _answer(request, ticket_id, act)


@router.post("/tickets/{ticket_id}/wish-reply", response_model=TicketOut, responses=_ERRORS,
             summary="Wish Support answers an appealed ticket and hands it back to the store, or closes it")
async def wish_reply(request: Request, ticket_id: str, body: WishReplyIn | None = None) -> Any:
    body = body or WishReplyIn()

    def act(ticket: dict[str, Any], now: datetime) -> rules.Step:
        text = rules.text(body.message, "message", required=False)
        default = labels.WISH_CLOSE if body.close else labels.WISH_HAND_BACK
        return rules.wish_reply(ticket, rules.Message(rules.WISH_SUPPORT, text or default), now, close_it=body.close)
    return _answer(request, ticket_id, act)


def _buyer_message(ticket: dict[str, Any], text: str | None, *, close_it: bool) -> rules.Message | None:
    """What the buyer writes: the text sent (untranslated: both translations repeat it), else a usual message
    in the buyer's language (a thank-you when closing, else one of the usual follow-ups)."""
    said = rules.text(text, "message", required=False)
    if said:
        return rules.Message(rules.USER, said, said, said)
    locale = ticket["buyer"].get("locale", "en")
    turn = random.Random(f"{ticket['id']}:{ticket['last_update_date']}")  # another one each time the buyer writes
    phrase = labels.THANKS if close_it else turn.choice(labels.follow_ups(ticket["ticket_type"]))
    return rules.Message(rules.USER, *phrase.said(locale))
