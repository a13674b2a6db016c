"""Wire layer of the Ticket endpoints (wish-merchant-api-v2.txt, Ticket, and the Reply / Close / Appeal /
Re-open sections): the parameters each takes and how its answer is rendered. Which action a ticket's state
allows is tickets.rules'; a handler reads the ticket, asks the rule, writes what it decided, answers."""

from __future__ import annotations

from typing import Any

from mockwish.merchant.catalogue.money import Wallet
from mockwish.merchant.tickets import errors, labels, render, rules, store
from mockwish.wire.spec import Enum, Id, Int, Str, spec
from mockwish.wire.v2 import Call, V2Result, V2Router

router = V2Router("Ticket")

READ, WRITE = "tickets:read", "tickets:write"
TICKET_ID = Id("id", "Wish's unique identifier for the ticket (id in the Ticket object)", required=True)
LOOKUP_ERRORS = ("invalid_id", errors.NOT_FOUND)
SUCCESS = {"success": True}


def _tickets(call: Call, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    wallet = Wallet(call.principal.payment_currency, call.principal.localized_currency)
    return render.tickets(call.conn, call.merchant_id, rows, call.now, call.ctx.order_policy, wallet)


def _act(call: Call, action: Any, *args: Any) -> V2Result:
    """Run a rule on the merchant's ticket `id` and write what it decided (nothing when it refuses)."""
    ticket = store.get(call.conn, call.merchant_id, call.params["id"])
    store.apply(call.conn, ticket, action(ticket, *args, call.now), call.now)
    return V2Result(SUCCESS)


@router.op("/ticket", scope=READ, summary="Retrieve a Ticket", spec=spec(TICKET_ID), errors=LOOKUP_ERRORS)
def retrieve(call: Call) -> V2Result:
    """The ticket with its buyer, items (Order objects), products (Product objects) and replies. A reply's image
    links are good for 60 minutes: every call answers fresh ones."""
    return V2Result(_tickets(call, [store.get(call.conn, call.merchant_id, call.params["id"])])[0])


@router.op("/ticket/get-action-required", scope=READ, summary="List all Tickets Awaiting You",
           spec=spec(Int("start", "Offset into the list (default 0)", low=0, high=10_000_000),
                     Int("limit", "Number of tickets, 1 to 500 (default 50)", low=1, high=500),
                     Enum("ticket_type", "post_purchase_tickets (default), post_customer_support_questions or "
                          "pre_purchase_questions", values=labels.TICKET_TYPES)),
           errors=("out_of_range", "invalid_param"))
def action_required(call: Call) -> V2Result:
    """The open tickets of that type awaiting your response ("Awaiting your response", and "Awaiting store
    response" once Wish Support handed an appealed ticket back), the longest waiting first; paged."""
    p = call.params
    start, limit = p.get("start", 0), p.get("limit", 50)
    rows = store.action_required(call.conn, call.merchant_id, p.get("ticket_type", labels.POST_PURCHASE),
                                 start, limit + 1)
    return V2Result(_tickets(call, rows[:limit]), paging=call.paging(start, limit, len(rows) > limit))


@router.op("/ticket/reply", scope=WRITE, summary="Reply to a Ticket",
           spec=spec(TICKET_ID, Str("reply", "The message to send, at most 2000 characters", required=True,
                                    max_len=rules.MAX_REPLY)),
           errors=(*LOOKUP_ERRORS, "missing_param", "too_long", errors.CLOSED))
def reply(call: Call) -> V2Result:
    """Send a reply: the ticket then awaits the buyer (or stays with Wish Support when appealed)."""
    message = rules.text(call.params["reply"], "reply", required=True)
    assert message is not None  # required
    return _act(call, rules.reply, message)


@router.op("/ticket/close", scope=WRITE, summary="Close a Ticket", spec=spec(TICKET_ID),
           errors=(*LOOKUP_ERRORS, errors.ALREADY_CLOSED))
def close(call: Call) -> V2Result:
    """Close an open ticket (closed_by "merchant")."""
    return _act(call, rules.close)


@router.op("/ticket/appeal-to-wish-support", scope=WRITE, summary="Appeal to Wish Support for Ticket",
           spec=spec(TICKET_ID), errors=(*LOOKUP_ERRORS, errors.CLOSED, errors.ALREADY_APPEALED))
def appeal(call: Call) -> V2Result:
    """Hand an open ticket to Wish Support ("Awaiting Wish Support response")."""
    return _act(call, rules.appeal)


@router.op("/ticket/re-open", scope=WRITE, summary="Re-open a Ticket",
           spec=spec(TICKET_ID,
                     Str("reply", "The reason for re-opening the ticket, at most 2000 characters; sent to the buyer",
                         max_len=rules.MAX_REPLY),
                     Str("message", "Alias of reply (the docs' PHP example sends it)", max_len=rules.MAX_REPLY)),
           errors=(*LOOKUP_ERRORS, "too_long", errors.NOT_CLOSED))
def reopen(call: Call) -> V2Result:
    """Re-open a closed ticket: it awaits the buyer again, the reason (if any) sent to them as your reply."""
    p = call.params
    reason = rules.text(p.get("reply"), "reply", required=False) or rules.text(p.get("message"), "message",
                                                                              required=False)
    return _act(call, rules.reopen, reason)
