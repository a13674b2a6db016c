"""Customer support played through HTTP only, as an ERP's support desk and the sandbox's buyer and Wish Support
would: a buyer opens a ticket on an order -> it is listed as awaiting the merchant -> the merchant replies (it
leaves the list, awaiting the buyer) -> the buyer writes back (it is listed again) -> the merchant closes it ->
re-opens it with a reason -> appeals to Wish Support -> Wish Support hands it back to the store (listed again)
-> the merchant replies -> the buyer closes it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from starlette.testclient import TestClient

from mockwish.errors import message
from mockwish.merchant.tickets import errors
from support import DEFAULT_TOKEN, Wish, freeze

AUTH = {"Authorization": f"Bearer {DEFAULT_TOKEN}"}


def action_required(wish: Wish) -> list[str]:
    return [t["Ticket"]["id"] for t in wish.ok("ticket/get-action-required", "GET", limit=500)]


def ticket(wish: Wish, tid: str) -> dict[str, Any]:
    return wish.ok("ticket", "GET", id=tid)["Ticket"]  # type: ignore[no-any-return]


def state(wish: Wish, tid: str) -> tuple[str, str]:
    t = ticket(wish, tid)
    return t["state"], t["state_id"]


def test_customer_support_flow(client: TestClient, wish: Wish, advance: Any) -> None:
    start = freeze(client)
    order = wish.ok("order/multi-get", "GET", limit=1)[0]["Order"]

    # a buyer opens a ticket on the order
    r = client.post("/sandbox/api/tickets", headers=AUTH, json={
        "order_id": order["order_id"], "label": "Shipping Status or ETA Inquiry",
        "message": "Where is my parcel? It has been three weeks."})
    assert r.status_code == 200, r.text
    (opened,) = r.json()["tickets"]
    tid = opened["Ticket"]["id"]
    assert opened["Ticket"]["items"][0] == wish.ok("order", "GET", id=order["order_id"])
    assert opened["Ticket"]["open_date"] == start.isoformat()

    # get-action-required lists it (the newest: the last of the longest-waiting-first list)
    advance(60)
    assert action_required(wish)[-1] == tid
    assert state(wish, tid) == ("Awaiting your response", "1")

    # the merchant replies: it awaits the buyer and leaves the list
    advance(60)
    assert wish.ok("ticket/reply", id=tid, reply="Your parcel is in customs; it should arrive this week.") == {
        "success": True}
    assert state(wish, tid) == ("Awaiting buyer response", "2")
    assert tid not in action_required(wish)
    assert wish.err("ticket/re-open", 1002, 400, id=tid)["message"] == message(errors.NOT_CLOSED, id=tid)

    # the buyer writes back (sandbox): it awaits the merchant again, as state 4
    advance(3600)
    r = client.post(f"/sandbox/api/tickets/{tid}/buyer-reply", json={"message": "Still nothing, please resend."})
    assert r.status_code == 200, r.text
    assert state(wish, tid) == ("Awaiting your response", "4")
    assert tid in action_required(wish)

    # the merchant closes it
    advance(60)
    assert wish.ok("ticket/close", id=tid) == {"success": True}
    closed = ticket(wish, tid)
    assert (closed["state"], closed["closed_by"]) == ("Closed", "merchant")
    assert tid not in action_required(wish)
    assert wish.err("ticket/reply", 1000, 400, id=tid, reply="hi")["message"] == message(errors.CLOSED, id=tid)
    assert wish.err("ticket/close", 1002, 400, id=tid)["message"] == message(errors.ALREADY_CLOSED, id=tid)

    # ... and re-opens it: the delivery failed
    advance(86_400)
    assert wish.ok("ticket/re-open", id=tid, reply="The carrier returned your parcel; we are sending a new one.") \
        == {"success": True}
    reopened = ticket(wish, tid)
    assert state(wish, tid) == ("Awaiting buyer response", "2")
    assert "close_date" not in reopened and "closed_by" not in reopened

    # appeal to Wish Support
    advance(60)
    assert wish.ok("ticket/appeal-to-wish-support", id=tid) == {"success": True}
    assert state(wish, tid) == ("Awaiting Wish Support response", "3")
    assert tid not in action_required(wish)
    assert wish.err("ticket/appeal-to-wish-support", 1002, 400, id=tid)["message"] == message(
        errors.ALREADY_APPEALED, id=tid)

    # Wish Support hands it back to the store (sandbox): listed again
    advance(7200)
    r = client.post(f"/sandbox/api/tickets/{tid}/wish-reply",
                    json={"message": "Please offer the customer a refund."})
    assert r.status_code == 200, r.text
    assert state(wish, tid) == ("Awaiting store response", "5")
    assert tid in action_required(wish)

    # the merchant replies, and the buyer closes the ticket
    advance(60)
    wish.ok("ticket/reply", id=tid, reply="We refunded your order. Sorry for the trouble!")
    r = client.post(f"/sandbox/api/tickets/{tid}/buyer-reply", json={"message": "Thank you!", "close": True})
    assert r.status_code == 200, r.text
    final = ticket(wish, tid)
    assert (final["state"], final["state_id"], final["closed_by"]) == ("Closed", "6", "user")
    assert [(x["Reply"]["sender"], x["Reply"]["message"][:20]) for x in final["replies"]] == [
        ("user", "Where is my parcel? "), ("merchant", "Your parcel is in cu"), ("user", "Still nothing, pleas"),
        ("merchant", "The carrier returned"), ("wish support", "Please offer the cus"),
        ("merchant", "We refunded your ord"), ("user", "Thank you!")]
    dates = [datetime.fromisoformat(x["Reply"]["date"]) for x in final["replies"]]
    assert dates == sorted(dates) and dates[-1].isoformat() == final["last_update_date"] == final["close_date"]
    assert final["open_date"] == start.isoformat()
