"""The ticket's states and which action each allows. No HTTP here: each action answers a Step (the columns it
changes and the message it adds) or raises the registry error of a refusal, before anything is written.

States (the docs print the first three; "Awaiting Wish Support response" and "Closed" are the mock's):

    Awaiting your response (1 new, 4 the buyer wrote back) --reply--> Awaiting buyer response (2)
    Awaiting buyer response --buyer writes--> Awaiting your response (4)
    any open state --appeal--> Awaiting Wish Support response (3) --Wish hands back--> Awaiting store response (5)
    any open state --close (merchant, buyer, Wish)--> Closed (6) --re-open--> Awaiting buyer response (2)

A reply while awaiting Wish Support leaves the ticket with Wish; any other reply hands it to the buyer."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mockwish.errors import WishError
from mockwish.merchant.tickets import errors

# the mock's state codes (the `state` column) and the documented strings the wire shows
AWAITING_MERCHANT = "awaiting_merchant"
AWAITING_BUYER = "awaiting_buyer"
AWAITING_WISH = "awaiting_wish"
AWAITING_STORE = "awaiting_store"
CLOSED = "closed"
STATE_NAMES = {
    AWAITING_MERCHANT: "Awaiting your response",
    AWAITING_BUYER: "Awaiting buyer response",
    AWAITING_WISH: "Awaiting Wish Support response",
    AWAITING_STORE: "Awaiting store response",
    CLOSED: "Closed",
}
NEW, ANSWERED_BACK = "1", "4"  # the two state_ids of "Awaiting your response" in the docs' examples
STATE_IDS = {AWAITING_BUYER: "2", AWAITING_WISH: "3", AWAITING_STORE: "5", CLOSED: "6"}
OPEN = (AWAITING_MERCHANT, AWAITING_BUYER, AWAITING_WISH, AWAITING_STORE)
ACTION_REQUIRED = (AWAITING_MERCHANT, AWAITING_STORE)  # what get-action-required lists

# who sends a reply or closes a ticket (the documented values of sender and closed_by)
USER = "user"
MERCHANT = "merchant"
WISH_SUPPORT = "wish support"
WISH_AUTOMATED = "wish automated support"
PARTIES = (USER, MERCHANT, WISH_SUPPORT, WISH_AUTOMATED)

MAX_REPLY = 2000  # "with a max of 2000 characters"


@dataclass(frozen=True)
class Message:
    """A reply to add. Buyers' replies carry the automatic translations; the others carry none."""

    sender: str
    message: str
    translated_message: str | None = None
    translated_message_zh: str | None = None
    image_urls: tuple[str, ...] = ()


@dataclass(frozen=True)
class Step:
    """What an action does: the ticket's columns it changes and the reply it adds."""

    changes: dict[str, Any]
    message: Message | None = None


def state_name(state: str) -> str:
    return STATE_NAMES[state]


def is_open(ticket: Mapping[str, Any]) -> bool:
    return bool(ticket["state"] != CLOSED)


def text(value: str | None, param: str, *, required: bool) -> str | None:
    """A message as sent: None when absent or blank (1001 when `required`), 1000 past 2000 characters."""
    if value is None or not value.strip():
        if required:
            raise WishError("missing_param", param=param)
        return None
    if len(value) > MAX_REPLY:
        raise WishError("too_long", param=param, max=MAX_REPLY)
    return value


def _move(ticket: Mapping[str, Any], state: str, now: datetime, state_id: str | None = None) -> dict[str, Any]:
    """The columns of moving `ticket` to `state` at `now` (its state_since only moves with its state)."""
    changes: dict[str, Any] = {"last_update_date": now, "state_id": state_id or STATE_IDS.get(state, NEW)}
    if state != ticket["state"]:
        changes |= {"state": state, "state_since": now}
    return changes


def _open(ticket: Mapping[str, Any]) -> None:
    if not is_open(ticket):
        raise WishError(errors.CLOSED, id=ticket["id"])


def reply(ticket: Mapping[str, Any], message: str, now: datetime) -> Step:
    """/ticket/reply: any open ticket; it then awaits the buyer, unless Wish Support has it."""
    _open(ticket)
    said = Message(MERCHANT, message)
    if ticket["state"] == AWAITING_WISH:
        return Step({"last_update_date": now}, said)
    return Step(_move(ticket, AWAITING_BUYER, now), said)


def close(ticket: Mapping[str, Any], now: datetime, by: str = MERCHANT, message: Message | None = None) -> Step:
    """/ticket/close (by the merchant), or the buyer or Wish closing it: any open ticket."""
    if not is_open(ticket):
        raise WishError(errors.ALREADY_CLOSED, id=ticket["id"])
    return Step(_move(ticket, CLOSED, now) | {"close_date": now, "closed_by": by}, message)


def reopen(ticket: Mapping[str, Any], reason: str | None, now: datetime) -> Step:
    """/ticket/re-open: a closed ticket only; it awaits the buyer again, the reason (if any) sent to them."""
    if is_open(ticket):
        raise WishError(errors.NOT_CLOSED, id=ticket["id"])
    changes = _move(ticket, AWAITING_BUYER, now) | {"close_date": None, "closed_by": None}
    return Step(changes, Message(MERCHANT, reason) if reason else None)


def appeal(ticket: Mapping[str, Any], now: datetime) -> Step:
    """/ticket/appeal-to-wish-support: an open ticket Wish Support does not have yet."""
    _open(ticket)
    if ticket["state"] == AWAITING_WISH:
        raise WishError(errors.ALREADY_APPEALED, id=ticket["id"])
    return Step(_move(ticket, AWAITING_WISH, now))


def buyer_message(ticket: Mapping[str, Any], message: Message | None, now: datetime, *, close_it: bool) -> Step:
    """The buyer writes (the sandbox): an open ticket only. Awaiting the buyer, it comes back to the merchant
    (state_id 4); in any other open state the message is added and the state stays. `close_it`: the buyer
    closes the ticket (closed_by "user")."""
    if close_it:
        if not is_open(ticket):
            raise WishError(errors.CLOSED, id=ticket["id"])
        return close(ticket, now, USER, message)
    _open(ticket)
    if ticket["state"] == AWAITING_BUYER:
        return Step(_move(ticket, AWAITING_MERCHANT, now, ANSWERED_BACK), message)
    return Step({"last_update_date": now}, message)


def wish_reply(ticket: Mapping[str, Any], message: Message | None, now: datetime, *, close_it: bool) -> Step:
    """Wish Support answers (the sandbox): it hands an appealed ticket back to the store ("Awaiting store
    response"), or closes any open ticket (closed_by "wish support")."""
    _open(ticket)
    if close_it:
        return close(ticket, now, WISH_SUPPORT, message)
    if ticket["state"] != AWAITING_WISH:
        raise WishError(errors.NOT_APPEALED, id=ticket["id"])
    return Step(_move(ticket, AWAITING_STORE, now), message)
