"""Unit tests of mockwish.merchant.tickets.rules: which action each state allows, what it changes, and the
registry error of each refusal (raised before anything could be written: a rule only answers a Step)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from mockwish.errors import WishError
from mockwish.merchant.tickets import errors, rules
from mockwish.merchant.tickets.rules import (
    AWAITING_BUYER,
    AWAITING_MERCHANT,
    AWAITING_STORE,
    AWAITING_WISH,
    CLOSED,
)

OPENED = datetime(2026, 3, 1, 9, 0, 0)
NOW = OPENED + timedelta(days=2)
TID = "0123456789abcdef01234567"
STATE_IDS = {AWAITING_BUYER: "2", AWAITING_WISH: "3", AWAITING_STORE: "5", CLOSED: "6"}


def ticket(state: str, state_id: str | None = None, **extra: Any) -> dict[str, Any]:
    closed = state == CLOSED
    return {"id": TID, "state": state, "state_id": state_id or STATE_IDS.get(state, "1"), "open_date": OPENED,
            "last_update_date": OPENED, "state_since": OPENED, "close_date": OPENED if closed else None,
            "closed_by": rules.USER if closed else None, **extra}


def refused(key: str, fn: Any, *args: Any, **kwargs: Any) -> WishError:
    with pytest.raises(WishError) as caught:
        fn(*args, **kwargs)
    assert caught.value.definition.key == key
    assert TID in caught.value.message() or key in ("missing_param", "too_long")
    return caught.value


def test_documented_strings_and_ids() -> None:
    assert rules.STATE_NAMES[AWAITING_MERCHANT] == "Awaiting your response"
    assert rules.STATE_NAMES[AWAITING_BUYER] == "Awaiting buyer response"
    assert rules.STATE_NAMES[AWAITING_STORE] == "Awaiting store response"
    assert rules.STATE_NAMES[AWAITING_WISH] == "Awaiting Wish Support response"
    assert rules.STATE_NAMES[CLOSED] == "Closed"
    assert rules.PARTIES == ("user", "merchant", "wish support", "wish automated support")
    assert rules.ACTION_REQUIRED == (AWAITING_MERCHANT, AWAITING_STORE)
    assert set(rules.OPEN) | {CLOSED} == set(rules.STATE_NAMES)


@pytest.mark.parametrize("state", [AWAITING_MERCHANT, AWAITING_STORE])
def test_reply_hands_the_ticket_to_the_buyer(state: str) -> None:
    step = rules.reply(ticket(state), "We shipped it", NOW)
    assert step.changes == {"state": AWAITING_BUYER, "state_id": "2", "last_update_date": NOW, "state_since": NOW}
    assert step.message == rules.Message("merchant", "We shipped it")


def test_reply_while_awaiting_buyer_keeps_its_waiting_instant() -> None:
    step = rules.reply(ticket(AWAITING_BUYER), "One more thing", NOW)
    assert "state_since" not in step.changes and step.changes["last_update_date"] == NOW


def test_reply_while_wish_has_it_stays_with_wish() -> None:
    step = rules.reply(ticket(AWAITING_WISH), "More details for Wish", NOW)
    assert step.changes == {"last_update_date": NOW}
    assert step.message is not None and step.message.sender == "merchant"


def test_reply_to_a_closed_ticket_is_refused() -> None:
    refused(errors.CLOSED, rules.reply, ticket(CLOSED), "hello", NOW)


@pytest.mark.parametrize("state", rules.OPEN)
def test_close_any_open_ticket(state: str) -> None:
    step = rules.close(ticket(state), NOW)
    assert step.changes == {"state": CLOSED, "state_id": "6", "last_update_date": NOW, "state_since": NOW,
                            "close_date": NOW, "closed_by": "merchant"}
    assert step.message is None


def test_close_by_another_party_with_a_message() -> None:
    said = rules.Message(rules.WISH_AUTOMATED, "closed automatically")
    step = rules.close(ticket(AWAITING_BUYER), NOW, rules.WISH_AUTOMATED, said)
    assert step.changes["closed_by"] == "wish automated support" and step.message == said


def test_close_a_closed_ticket_is_refused() -> None:
    err = refused(errors.ALREADY_CLOSED, rules.close, ticket(CLOSED), NOW)
    assert err.code == 1002


def test_reopen_a_closed_ticket_awaits_the_buyer() -> None:
    step = rules.reopen(ticket(CLOSED), "Delivery failed, we send a new parcel", NOW)
    assert step.changes == {"state": AWAITING_BUYER, "state_id": "2", "last_update_date": NOW, "state_since": NOW,
                            "close_date": None, "closed_by": None}
    assert step.message == rules.Message("merchant", "Delivery failed, we send a new parcel")
    assert rules.reopen(ticket(CLOSED), None, NOW).message is None


@pytest.mark.parametrize("state", rules.OPEN)
def test_reopen_an_open_ticket_is_refused(state: str) -> None:
    assert refused(errors.NOT_CLOSED, rules.reopen, ticket(state), "why", NOW).code == 1002


@pytest.mark.parametrize("state", [AWAITING_MERCHANT, AWAITING_BUYER, AWAITING_STORE])
def test_appeal_hands_the_ticket_to_wish(state: str) -> None:
    step = rules.appeal(ticket(state), NOW)
    assert step.changes == {"state": AWAITING_WISH, "state_id": "3", "last_update_date": NOW, "state_since": NOW}
    assert step.message is None


def test_appeal_refusals() -> None:
    assert refused(errors.ALREADY_APPEALED, rules.appeal, ticket(AWAITING_WISH), NOW).code == 1002
    assert refused(errors.CLOSED, rules.appeal, ticket(CLOSED), NOW).code == 1000


def test_buyer_writing_back_returns_the_ticket_to_the_merchant_as_state_4() -> None:
    said = rules.Message("user", "Quero meu reembolso", "I want my refund", "我希望我的退款")
    step = rules.buyer_message(ticket(AWAITING_BUYER), said, NOW, close_it=False)
    assert step.changes == {"state": AWAITING_MERCHANT, "state_id": "4", "last_update_date": NOW, "state_since": NOW}
    assert step.message == said


@pytest.mark.parametrize("state", [AWAITING_MERCHANT, AWAITING_WISH, AWAITING_STORE])
def test_buyer_message_in_other_open_states_only_adds_it(state: str) -> None:
    t = ticket(state, "4" if state == AWAITING_MERCHANT else None)
    step = rules.buyer_message(t, rules.Message("user", "Any news?"), NOW, close_it=False)
    assert step.changes == {"last_update_date": NOW}  # still waiting since it began: same place in the queue


@pytest.mark.parametrize("state", rules.OPEN)
def test_buyer_closes(state: str) -> None:
    step = rules.buyer_message(ticket(state), None, NOW, close_it=True)
    assert step.changes["state"] == CLOSED and step.changes["closed_by"] == "user"


def test_buyer_refused_on_a_closed_ticket() -> None:
    refused(errors.CLOSED, rules.buyer_message, ticket(CLOSED), rules.Message("user", "hi"), NOW, close_it=False)
    refused(errors.CLOSED, rules.buyer_message, ticket(CLOSED), None, NOW, close_it=True)


def test_wish_hands_an_appealed_ticket_back_to_the_store() -> None:
    said = rules.Message("wish support", "Please refund the customer")
    step = rules.wish_reply(ticket(AWAITING_WISH), said, NOW, close_it=False)
    assert step.changes == {"state": AWAITING_STORE, "state_id": "5", "last_update_date": NOW, "state_since": NOW}
    assert step.message == said


@pytest.mark.parametrize("state", rules.OPEN)
def test_wish_closes_any_open_ticket(state: str) -> None:
    step = rules.wish_reply(ticket(state), None, NOW, close_it=True)
    assert step.changes["closed_by"] == "wish support" and step.changes["close_date"] == NOW


@pytest.mark.parametrize("state", [AWAITING_MERCHANT, AWAITING_BUYER, AWAITING_STORE])
def test_wish_cannot_hand_back_a_ticket_nobody_appealed(state: str) -> None:
    refused(errors.NOT_APPEALED, rules.wish_reply, ticket(state), None, NOW, close_it=False)


def test_wish_refused_on_a_closed_ticket() -> None:
    refused(errors.CLOSED, rules.wish_reply, ticket(CLOSED), None, NOW, close_it=False)
    refused(errors.CLOSED, rules.wish_reply, ticket(CLOSED), None, NOW, close_it=True)


def test_text() -> None:
    assert rules.text("hello", "reply", required=True) == "hello"
    assert rules.text("x" * 2000, "reply", required=True) == "x" * 2000
    assert rules.text(None, "reply", required=False) is None
    assert rules.text(" \n\t ", "reply", required=False) is None
    assert refused("missing_param", rules.text, " \n ", "reply", required=True).code == 1001
    assert refused("missing_param", rules.text, None, "reply", required=True).code == 1001
    assert refused("too_long", rules.text, "x" * 2001, "reply", required=False).code == 1000


def test_a_story_played_through_the_rules() -> None:
    """new -> reply -> buyer -> appeal -> Wish hands back -> reply -> close -> re-open: every step allowed."""
    t = ticket(AWAITING_MERCHANT)
    at = OPENED
    for act in (lambda t, at: rules.reply(t, "hi", at),
                lambda t, at: rules.buyer_message(t, rules.Message("user", "ok"), at, close_it=False),
                rules.appeal,
                lambda t, at: rules.wish_reply(t, None, at, close_it=False),
                lambda t, at: rules.reply(t, "refunded", at),
                rules.close,
                lambda t, at: rules.reopen(t, None, at)):
        at += timedelta(hours=1)
        t = t | act(t, at).changes
    assert (t["state"], t["state_id"], t["close_date"], t["closed_by"]) == (AWAITING_BUYER, "2", None, None)
    assert t["last_update_date"] == at == OPENED + timedelta(hours=7)
