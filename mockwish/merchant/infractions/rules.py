"""The rules of infractions: the documented states and the stage each belongs to, which moves an infraction makes
(the sandbox drives them: no API call changes an infraction), and its fine in the merchant's currency."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from mockwish.errors import WishError
from mockwish.merchant.infractions.errors import INFRACTION_MOVE_REFUSED, INFRACTION_SAME_STATE
from mockwish.reference import currency_rates

NEW, AWAITING_MERCHANT, AWAITING_ADMIN, CLOSED = "NEW", "AWAITING_MERCHANT", "AWAITING_ADMIN", "CLOSED"
STATES = (NEW, AWAITING_MERCHANT, AWAITING_ADMIN, CLOSED)
# count/infractions and get/infractions: 1 ACTION_REQUIRED (awaiting the merchant: new ones included),
# 2 AWAITING_WISH, 3 HISTORY (no further action needed)
STAGES: dict[int, tuple[str, ...]] = {1: (NEW, AWAITING_MERCHANT), 2: (AWAITING_ADMIN,), 3: (CLOSED,)}
DEFAULT_STAGE = 1
# where an infraction may go from each state: the merchant reads it (NEW -> AWAITING_MERCHANT), disputes it
# (-> AWAITING_ADMIN), Wish asks for more (-> AWAITING_MERCHANT) or decides (-> CLOSED), or reopens a decision;
# nothing goes back to NEW
MOVES: dict[str, tuple[str, ...]] = {
    NEW: (AWAITING_MERCHANT, AWAITING_ADMIN, CLOSED),
    AWAITING_MERCHANT: (AWAITING_ADMIN, CLOSED),
    AWAITING_ADMIN: (AWAITING_MERCHANT, CLOSED),
    CLOSED: (AWAITING_MERCHANT, AWAITING_ADMIN),
}
PROOF_TYPES = ("TICKET", "ORDER", "PRODUCT", "MERCHANT", "RATING", "VARIATION")
LINK = "https://merchant.wish.com/warning/view/{id}"


def stage_of(state: str) -> int:
    return next(stage for stage, states in STAGES.items() if state in states)


def states_of(stage: int) -> tuple[str, ...]:
    return STAGES[stage]


def check_move(infraction: dict[str, Any], state: str) -> None:
    """Refuse a move to the state the infraction is in (1002) or one it never makes (1000)."""
    current = infraction["state"]
    if state == current:
        raise WishError(INFRACTION_SAME_STATE, id=infraction["id"], state=state)
    if state not in MOVES[current]:
        raise WishError(INFRACTION_MOVE_REFUSED, id=infraction["id"], current=current, state=state)


def moved(infraction: dict[str, Any], state: str, now: datetime) -> dict[str, Any]:
    """The changes of moving the infraction to `state` now (the move checked first)."""
    check_move(infraction, state)
    return {"state": state, "last_updated": now}


def fine_in(usd: float, currency: str) -> float:
    """A fine set in USD, in the merchant's payment currency (the mock's fixed rates), to the cent."""
    return round(usd * currency_rates().get(currency, 1.0), 2)


def link(infraction_id: str) -> str:
    return LINK.format(id=infraction_id)
