"""HTTP tests of the Ticket endpoints (/ticket, /ticket/get-action-required, /ticket/reply, /ticket/close,
/ticket/appeal-to-wish-support, /ticket/re-open), the seeded tickets and the sandbox's ticket routes.

Everything goes through HTTP as a client's would: tickets in any state come from POST /sandbox/api/tickets
(`state` plays the story that leads there), the buyer and Wish Support answer through the sandbox, and
expected error texts come from the registry (mockwish.errors.message). The docs' examples are replayed
against the seeded state (each test starts from a fresh reset)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from mockwish.errors import message
from mockwish.merchant.tickets import errors, labels
from mockwish.merchant.tickets.generate import STORIES
from mockwish.merchant.tickets.seed import DOC_ORDER, DOC_ORDER_TICKET, DOC_TICKET
from mockwish.store.tables import Ticket, table_of
from support import DEFAULT_TOKEN, SECOND_TOKEN, Wish, freeze, minted_token, on_store

SANDBOX = "/sandbox/api/tickets"
NOWHERE = "aaaaaaaaaaaaaaaaaaaaaaaa"  # well formed, nobody's ticket
STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$")
IMAGES = re.compile(r"^\['https://contestimg\.wish\.com/api/webimage/[0-9a-f]{24}-original\.jpg\?expires=(\d+)'\]$")
WRITES = ("ticket/reply", "ticket/close", "ticket/appeal-to-wish-support", "ticket/re-open")
BY_ID = ("ticket", *WRITES)
ENDPOINTS = (*BY_ID, "ticket/get-action-required")
EXTRA = {"ticket/reply": {"reply": "some message"}, "ticket/re-open": {"reply": "some message"}}
SUCCESS = {"success": True}
# the Ticket and Reply keys of the docs' "Retrieve a Ticket" example (close_date and closed_by only once closed)
DOC_TICKET_KEYS = {"UserInfo", "id", "items", "label", "last_update_date", "merchant_id", "open_date", "photo_proof",
                   "replies", "state", "state_id", "subject", "sublabel", "transaction_id"}
DOC_USER_KEYS = {"id", "joined_date", "locale", "name"}
DOC_REPLY_KEYS = {"date", "image_urls", "message", "sender", "translated_message", "translated_message_zh"}
STATE_NAMES = {"awaiting_merchant": "Awaiting your response", "answered_back": "Awaiting your response",
               "awaiting_buyer": "Awaiting buyer response", "awaiting_wish": "Awaiting Wish Support response",
               "awaiting_store": "Awaiting store response"}


# ---- helpers ------------------------------------------------------------------------------------------

def bearer(token: str = DEFAULT_TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def opened(client: TestClient, token: str = DEFAULT_TOKEN, **body: Any) -> list[dict[str, Any]]:
    """Tickets a buyer opens through the sandbox (for the Bearer token's merchant)."""
    r = client.post(SANDBOX, json=body, headers=bearer(token))
    assert r.status_code == 200, r.text
    return [t["Ticket"] for t in r.json()["tickets"]]


def one(client: TestClient, token: str = DEFAULT_TOKEN, **body: Any) -> dict[str, Any]:
    return opened(client, token, **body)[0]


def get(w: Wish, tid: str) -> dict[str, Any]:
    return w.ok("ticket", "GET", id=tid)["Ticket"]  # type: ignore[no-any-return]


def waiting(w: Wish, **params: Any) -> list[dict[str, Any]]:
    return [t["Ticket"] for t in w.ok("ticket/get-action-required", "GET", limit=500, **params)]


def waiting_ids(w: Wish, **params: Any) -> list[str]:
    return [t["id"] for t in waiting(w, **params)]


def sandbox(client: TestClient, tid: str, who: str, **body: Any) -> Any:
    return client.post(f"{SANDBOX}/{tid}/{who}", json=body)


def senders(ticket: dict[str, Any]) -> list[str]:
    return [r["Reply"]["sender"] for r in ticket["replies"]]


def seeded_rows(client: TestClient) -> list[dict[str, Any]]:
    T = table_of(Ticket)
    return on_store(client, lambda conn: [dict(r) for r in conn.execute(select(T)).mappings()])


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.fixture(autouse=True)
def frozen(client: TestClient) -> datetime:
    """A frozen clock: a ticket renders the same twice (image links expire an hour after the call, and an order's
    fulfilment countdown moves with the clock)."""
    return freeze(client)


# ---- the docs' examples ---------------------------------------------------------------------------------

def test_doc_retrieve_example(wish: Wish) -> None:
    """curl .../ticket?id=123456789009876543210164: the example's keys and value types (an open ticket: no
    close_date/closed_by), a photo from the buyer, the buyer's message and its translations."""
    data = wish.ok("ticket", "GET", id=DOC_TICKET)
    assert set(data) == {"Ticket"}
    t = data["Ticket"]
    assert DOC_TICKET_KEYS <= set(t) and not {"close_date", "closed_by"} & set(t), set(t)
    assert set(t["UserInfo"]) == DOC_USER_KEYS and all(isinstance(v, str) for v in t["UserInfo"].values())
    assert STAMP.match(t["UserInfo"]["joined_date"]) and t["UserInfo"]["joined_date"] < t["open_date"]
    for key in DOC_TICKET_KEYS - {"UserInfo", "items", "replies"}:
        assert isinstance(t[key], str), key
    assert (t["id"], t["state"], t["state_id"], t["photo_proof"]) == (DOC_TICKET, "Awaiting your response", "1",
                                                                      "True")
    assert (t["label"], t["subject"], t["sublabel"]) == ("Return or Exchange", "Return or Exchange", "")
    assert "default_refund_reason" not in t  # the label has none, as in the example
    assert [set(i) for i in t["items"]] == [{"Order"}] and t["items"][0]["Order"]["transaction_id"] == \
        t["transaction_id"]
    assert t["items"][0]["Order"]["buyer_id"] == t["UserInfo"]["id"]
    assert t["items"][0]["Order"]["ShippingDetail"]["name"] == t["UserInfo"]["name"]
    (reply,) = t["replies"]
    assert set(reply) == {"Reply"} and set(reply["Reply"]) == DOC_REPLY_KEYS
    r = reply["Reply"]
    assert (r["message"], r["sender"], r["translated_message"], r["translated_message_zh"]) == (
        "Where is my product?", "user", "Where is my product?", "哪里是我的产品?")
    assert IMAGES.match(r["image_urls"]), r["image_urls"]  # a string, as the docs print it


def test_doc_list_example(wish: Wish) -> None:
    """curl .../get-action-required?limit=2&start=20: the 11th page of two, with a next link."""
    body = wish.call("ticket/get-action-required", "GET", limit=2, start=20).json()
    assert body["code"] == 0 and body["message"] == ""
    assert len(body["data"]) == 2 and all(set(t) == {"Ticket"} for t in body["data"])
    for t in (x["Ticket"] for x in body["data"]):
        assert DOC_TICKET_KEYS <= set(t) and t["state"] == "Awaiting your response" and t["state_id"] in ("1", "4")
    nxt = parse_qs(urlsplit(body["paging"]["next"]).query)
    assert (nxt["start"], nxt["limit"], nxt["access_token"]) == (["22"], ["2"], [DEFAULT_TOKEN])
    assert "previous" in body["paging"]


@pytest.mark.parametrize("path", WRITES)
def test_doc_write_examples(client: TestClient, wish: Wish, path: str) -> None:
    """The curl examples of reply, close, appeal and re-open (re-open after a close): {"success": True}."""
    if path == "ticket/re-open":
        assert wish.ok("ticket/close", id=DOC_ORDER_TICKET) == SUCCESS
    body = wish.call(path, id=DOC_ORDER_TICKET, **EXTRA.get(path, {})).json()
    assert body == {"code": 0, "data": {"success": True}, "message": ""}


def test_doc_php_examples(client: TestClient) -> None:
    """The PHP examples: parameters in the query string of a POST without a body; re-open sends `message`."""
    url = "/api/v2/ticket/re-open?" + urlencode({"access_token": DEFAULT_TOKEN, "id": DOC_ORDER_TICKET,
                                                 "message": "some message"})
    close = "/api/v2/ticket/close?" + urlencode({"access_token": DEFAULT_TOKEN, "id": DOC_ORDER_TICKET})
    assert client.post(close).json()["data"] == SUCCESS
    assert client.post(url).json()["data"] == SUCCESS
    t = get(Wish(client), DOC_ORDER_TICKET)
    assert t["state"] == "Awaiting buyer response" and t["replies"][-1]["Reply"]["message"] == "some message"
    r = client.get("/api/v2/ticket/get-action-required", params={"access_token": DEFAULT_TOKEN, "limit": 2,
                                                                 "start": 0})
    assert r.json()["code"] == 0 and len(r.json()["data"]) == 2


def test_doc_order_ticket(wish: Wish) -> None:
    """098765432112345678901234 is about the docs' order of the same id (blue-shoe-11), awaiting a response."""
    t = get(wish, DOC_ORDER_TICKET)
    assert (t["state"], t["state_id"]) == ("Awaiting your response", "1")
    assert [i["Order"]["order_id"] for i in t["items"]] == [DOC_ORDER]
    assert t["items"][0]["Order"]["sku"] == "blue-shoe-11"
    assert t["label"] == "Request Refund/Cancel Order: Request a Different Color"
    assert (t["sublabel"], t["default_refund_reason"]) == ("Request a Different Color", "19")
    assert [p["Product"]["id"] for p in t["products"]] == [t["items"][0]["Order"]["product_id"]]


# ---- retrieve -------------------------------------------------------------------------------------------

def test_items_and_products_render_as_order_and_product_do(wish: Wish) -> None:
    for tid in (DOC_TICKET, DOC_ORDER_TICKET, *waiting_ids(wish)[:5]):
        t = get(wish, tid)
        assert t["items"], tid
        for item in t["items"]:
            assert item == wish.ok("order", "GET", id=item["Order"]["order_id"]), tid
        assert [p["Product"]["id"] for p in t["products"]] == list(dict.fromkeys(
            i["Order"]["product_id"] for i in t["items"]))
        for product in t["products"]:
            assert product == wish.ok("product", "GET", id=product["Product"]["id"]), tid


def test_post_get_alias_and_bearer(client: TestClient, wish: Wish) -> None:
    expected = get(wish, DOC_TICKET)
    assert wish.ok("ticket", "POST", id=DOC_TICKET)["Ticket"] == expected
    r = wish.call("/v2/ticket", "GET", id=DOC_TICKET.upper(), bearer=True)
    assert r.status_code == 200 and r.json()["data"]["Ticket"] == expected


def test_image_links_expire_60_minutes_after_each_call(wish: Wish, advance: Any, frozen: datetime) -> None:
    now = frozen
    first = IMAGES.match(get(wish, DOC_TICKET)["replies"][0]["Reply"]["image_urls"])
    assert first is not None and int(first.group(1)) == int((now + timedelta(hours=1) - datetime(1970, 1, 1))
                                                             .total_seconds())
    advance(600)
    later = IMAGES.match(get(wish, DOC_TICKET)["replies"][0]["Reply"]["image_urls"])
    assert later is not None and int(later.group(1)) == int(first.group(1)) + 600


def test_retrieve_xml(wish: Wish) -> None:
    data = get(wish, DOC_ORDER_TICKET)
    r = wish.call("ticket", "GET", id=DOC_ORDER_TICKET, format="xml")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/xml")
    root = ET.fromstring(r.content)
    t = root.find("data/Ticket")
    assert t is not None and root.findtext("code") == "0"
    assert t.findtext("UserInfo/name") == data["UserInfo"]["name"]
    assert t.findtext("state") == "Awaiting your response" and t.findtext("default_refund_reason") == "19"
    assert t.findtext("items/Order/order_id") == DOC_ORDER
    assert t.findtext("products/Product/id") == data["products"][0]["Product"]["id"]
    assert t.findtext("replies/Reply/message") == data["replies"][0]["Reply"]["message"]
    assert t.findtext("replies/Reply/image_urls") == "[]"


def test_pre_purchase_question_has_products_only(client: TestClient, wish: Wish) -> None:
    (t,) = waiting(wish, ticket_type="pre_purchase_questions")[:1]
    assert t["items"] == [] and len(t["products"]) == 1 and "transaction_id" not in t
    assert t["label"].startswith("Pre-Purchase Question: ") and t["sublabel"] == t["label"].split(": ", 1)[1]
    assert t["products"][0] == wish.ok("product", "GET", id=t["products"][0]["Product"]["id"])


def test_closed_ticket_shows_when_and_by_whom(client: TestClient, wish: Wish, frozen: datetime) -> None:
    now = frozen
    t = one(client, state="closed_by_wish_support")
    assert (t["state"], t["state_id"], t["closed_by"], t["close_date"]) == ("Closed", "6", "wish support",
                                                                            now.isoformat())
    assert get(wish, t["id"]) == t  # the sandbox answers the ticket as the API renders it


def test_retrieve_errors_and_tenant_isolation(client: TestClient, wish: Wish, other: Wish) -> None:
    theirs = waiting_ids(other)[0]
    assert wish.err("ticket", 1001, 400, "GET")["message"] == message("missing_param", param="id")
    assert wish.err("ticket", 1001, 400, "GET", id="  ")["message"] == message("missing_param", param="id")
    assert wish.err("ticket", 1000, 400, "GET", id="12345")["message"] == message("invalid_id", value="12345")
    for tid in (NOWHERE, theirs):
        body = wish.err("ticket", 1004, 400, "GET", id=tid)
        assert body == {"code": 1004, "data": {}, "message": message(errors.NOT_FOUND, id=tid)}
    assert message(errors.NOT_FOUND, id=NOWHERE) == f"No 'Ticket' Found with id: '{NOWHERE}'"
    assert get(other, theirs)["id"] == theirs


@pytest.mark.parametrize("locale", ["zh", "fr", "de"])
def test_errors_in_the_callers_locale(wish: Wish, locale: str) -> None:
    body = wish.err("ticket", 1004, 400, "GET", id=NOWHERE, locale=locale)
    assert body["message"] == message(errors.NOT_FOUND, locale, id=NOWHERE) != message(errors.NOT_FOUND, id=NOWHERE)
    wish.ok("ticket/close", id=DOC_ORDER_TICKET)
    body = wish.err("ticket/reply", 1000, 400, id=DOC_ORDER_TICKET, reply="hi", locale=locale)
    assert body["message"] == message(errors.CLOSED, locale, id=DOC_ORDER_TICKET)


# ---- get-action-required --------------------------------------------------------------------------------

def test_lists_tickets_awaiting_the_merchant_longest_waiting_first(client: TestClient, wish: Wish) -> None:
    tickets = waiting(wish)
    assert len(tickets) >= 23
    assert {t["state"] for t in tickets} == {"Awaiting your response", "Awaiting store response"}
    assert {t["state_id"] for t in tickets} == {"1", "4", "5"}
    assert all(t["label"] in labels.BY_NAME and labels.BY_NAME[t["label"]].ticket_type == "post_purchase_tickets"
               for t in tickets)
    stamps = [t["last_update_date"] for t in tickets]  # seeded: each entered its state with its last update
    assert stamps == sorted(stamps)
    merchant = {t["merchant_id"] for t in tickets}
    assert len(merchant) == 1 and {DOC_TICKET, DOC_ORDER_TICKET} <= {t["id"] for t in tickets}
    assert wish.call("ticket/get-action-required", "GET").json()["data"] == [{"Ticket": t} for t in tickets]


def test_each_ticket_type(client: TestClient, wish: Wish) -> None:
    seen: set[str] = set()
    for kind in labels.TICKET_TYPES:
        tickets = waiting(wish, ticket_type=kind)
        assert tickets, kind
        assert {labels.BY_NAME[t["label"]].ticket_type for t in tickets} == {kind}
        ids = {t["id"] for t in tickets}
        assert not ids & seen
        seen |= ids
    assert waiting_ids(wish, ticket_type="POST_CUSTOMER_SUPPORT_QUESTIONS") == waiting_ids(
        wish, ticket_type="post_customer_support_questions")
    body = wish.err("ticket/get-action-required", 1000, 400, "GET", ticket_type="all")
    assert body["message"] == message("invalid_param", value="all", param="ticket_type")


def test_paging(client: TestClient, wish: Wish) -> None:
    everything = waiting_ids(wish)
    pages: list[str] = []
    start = 0
    while True:
        body = wish.call("ticket/get-action-required", "GET", start=start, limit=5).json()
        pages += [t["Ticket"]["id"] for t in body["data"]]
        assert ("previous" in body["paging"]) == (start > 0)
        if "next" not in body["paging"]:
            break
        assert parse_qs(urlsplit(body["paging"]["next"]).query)["start"] == [str(start + 5)]
        start += 5
    assert pages == everything and start == (len(everything) - 1) // 5 * 5
    past = wish.call("ticket/get-action-required", "GET", start=len(everything) + 100, limit=5).json()
    assert past["code"] == 0 and past["data"] == [] and set(past["paging"]) == {"previous"}
    whole = wish.call("ticket/get-action-required", "GET", limit=500).json()
    assert whole["paging"] == {} and len(whole["data"]) == len(everything)


@pytest.mark.parametrize(("param", "value", "low", "high"), [
    ("limit", "0", 1, 500), ("limit", "501", 1, 500), ("start", "-1", 0, 10_000_000)])
def test_paging_out_of_range(wish: Wish, param: str, value: str, low: int, high: int) -> None:
    body = wish.err("ticket/get-action-required", 1000, 400, "GET", **{param: value})
    assert body["message"] == message("out_of_range", param=param, low=low, high=high, value=value)


def test_paging_not_a_number(wish: Wish) -> None:
    body = wish.err("ticket/get-action-required", 1000, 400, "GET", limit="ten")
    assert body["message"] == message("invalid_param", value="ten", param="limit")


def test_list_tenant_isolation(client: TestClient, wish: Wish, other: Wish) -> None:
    mine, theirs = waiting(wish), waiting(other)
    assert theirs and not {t["id"] for t in mine} & {t["id"] for t in theirs}
    assert len({t["merchant_id"] for t in mine + theirs}) == 2
    new = one(client, SECOND_TOKEN)
    assert new["id"] in waiting_ids(other) and new["id"] not in waiting_ids(wish)


def test_a_new_ticket_waits_last_and_a_buyer_message_keeps_its_place(client: TestClient, wish: Wish,
                                                                       advance: Any, frozen: datetime) -> None:
    advance(5)
    new = one(client)
    assert waiting_ids(wish)[-1] == new["id"]
    before = waiting_ids(wish)
    first = before[0]
    advance(60)
    r = sandbox(client, first, "buyer-reply", message="Any news?")
    assert r.status_code == 200 and r.json()["Ticket"]["state"] == "Awaiting your response"
    assert waiting_ids(wish) == before  # still the one waiting longest


# ---- reply ----------------------------------------------------------------------------------------------

def test_reply(client: TestClient, wish: Wish, frozen: datetime) -> None:
    now = frozen
    before = get(wish, DOC_TICKET)
    assert wish.ok("ticket/reply", id=DOC_TICKET, reply="We will send a new one.\nRegards") == SUCCESS
    t = get(wish, DOC_TICKET)
    assert (t["state"], t["state_id"], t["last_update_date"]) == ("Awaiting buyer response", "2", now.isoformat())
    assert t["replies"][:-1] == before["replies"]
    assert t["replies"][-1] == {"Reply": {"date": now.isoformat(), "image_urls": "[]",
                                          "message": "We will send a new one.\nRegards", "sender": "merchant"}}
    assert DOC_TICKET not in waiting_ids(wish)
    assert wish.ok("ticket/reply", "GET", id=DOC_TICKET, reply="x" * 2000) == SUCCESS  # a buyer-bound follow-up
    assert senders(get(wish, DOC_TICKET)) == ["user", "merchant", "merchant"]


def test_reply_on_a_ticket_with_wish_stays_with_wish(client: TestClient, wish: Wish) -> None:
    t = one(client, state="awaiting_wish")
    assert wish.ok("ticket/reply", id=t["id"], reply="Details for Wish") == SUCCESS
    after = get(wish, t["id"])
    assert (after["state"], after["state_id"]) == ("Awaiting Wish Support response", "3")
    assert after["replies"][-1]["Reply"]["message"] == "Details for Wish"


def test_reply_to_an_awaiting_store_ticket(client: TestClient, wish: Wish) -> None:
    t = one(client, state="awaiting_store")
    assert t["id"] in waiting_ids(wish)
    wish.ok("ticket/reply", id=t["id"], reply="Refunded")
    assert get(wish, t["id"])["state"] == "Awaiting buyer response" and t["id"] not in waiting_ids(wish)


@pytest.mark.parametrize(("reply", "code", "key", "params"), [
    (None, 1001, "missing_param", {"param": "reply"}),
    ("", 1001, "missing_param", {"param": "reply"}),
    ("   ", 1001, "missing_param", {"param": "reply"}),
    ("\n\n", 1001, "missing_param", {"param": "reply"}),
    ("x" * 2001, 1000, "too_long", {"param": "reply", "max": 2000}),
])
def test_reply_refused_messages(wish: Wish, frozen: datetime, reply: str | None, code: int, key: str,
                                params: dict[str, Any]) -> None:
    before = get(wish, DOC_TICKET)
    body = wish.err("ticket/reply", code, 400, id=DOC_TICKET, reply=reply)
    assert body["message"] == message(key, **params)
    assert get(wish, DOC_TICKET) == before


def test_reply_to_a_closed_ticket_is_refused(client: TestClient, wish: Wish, frozen: datetime) -> None:
    for state in ("closed_by_user", "closed_by_merchant", "closed_by_wish_support",
                  "closed_by_wish_automated_support"):
        t = one(client, state=state)
        body = wish.err("ticket/reply", 1000, 400, id=t["id"], reply="hello")
        assert body == {"code": 1000, "data": {}, "message": message(errors.CLOSED, id=t["id"])}
        assert get(wish, t["id"]) == t


# ---- close ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("state", ["awaiting_merchant", "answered_back", "awaiting_buyer", "awaiting_wish",
                                   "awaiting_store"])
def test_close_any_open_ticket(client: TestClient, wish: Wish, state: str, frozen: datetime) -> None:
    t = one(client, state=state)
    assert t["state"] == STATE_NAMES[state] and "close_date" not in t
    now = frozen
    assert wish.ok("ticket/close", id=t["id"]) == SUCCESS
    after = get(wish, t["id"])
    assert (after["state"], after["state_id"], after["closed_by"]) == ("Closed", "6", "merchant")
    assert after["close_date"] == after["last_update_date"] == now.isoformat()
    assert after["replies"] == t["replies"] and after["id"] not in waiting_ids(wish)


def test_close_a_closed_ticket_is_refused(client: TestClient, wish: Wish, frozen: datetime) -> None:
    t = one(client, state="closed_by_user")
    body = wish.err("ticket/close", 1002, 400, id=t["id"])
    assert body == {"code": 1002, "data": {}, "message": message(errors.ALREADY_CLOSED, id=t["id"])}
    assert get(wish, t["id"]) == t  # still closed by the user, at the same instant


def test_close_takes_only_the_id(wish: Wish, frozen: datetime) -> None:
    """As documented: a reply sent along is not a parameter of /ticket/close (nothing is posted)."""
    before = get(wish, DOC_TICKET)
    assert wish.ok("ticket/close", id=DOC_TICKET, reply="bye") == SUCCESS
    assert get(wish, DOC_TICKET)["replies"] == before["replies"]


# ---- appeal ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("state", ["awaiting_merchant", "awaiting_buyer", "awaiting_store"])
def test_appeal(client: TestClient, wish: Wish, state: str, frozen: datetime) -> None:
    t = one(client, state=state)
    now = frozen
    assert wish.ok("ticket/appeal-to-wish-support", id=t["id"]) == SUCCESS
    after = get(wish, t["id"])
    assert (after["state"], after["state_id"], after["last_update_date"]) == (
        "Awaiting Wish Support response", "3", now.isoformat())
    assert after["replies"] == t["replies"] and t["id"] not in waiting_ids(wish)


def test_appeal_refusals(client: TestClient, wish: Wish, frozen: datetime) -> None:
    t = one(client, state="awaiting_wish")
    body = wish.err("ticket/appeal-to-wish-support", 1002, 400, id=t["id"])
    assert body["message"] == message(errors.ALREADY_APPEALED, id=t["id"])
    closed = one(client, state="closed_by_merchant")
    body = wish.err("ticket/appeal-to-wish-support", 1000, 400, id=closed["id"])
    assert body["message"] == message(errors.CLOSED, id=closed["id"])
    assert get(wish, t["id"]) == t and get(wish, closed["id"]) == closed


# ---- re-open --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("param", ["reply", "message"])
def test_reopen_with_a_reason(client: TestClient, wish: Wish, param: str, frozen: datetime) -> None:
    t = one(client, state="closed_by_wish_automated_support")
    now = frozen
    assert wish.ok("ticket/re-open", id=t["id"], **{param: "Delivery failed: a new parcel is on its way"}) == SUCCESS
    after = get(wish, t["id"])
    assert (after["state"], after["state_id"], after["last_update_date"]) == ("Awaiting buyer response", "2",
                                                                              now.isoformat())
    assert "close_date" not in after and "closed_by" not in after
    assert after["replies"][:-1] == t["replies"]
    assert after["replies"][-1]["Reply"] == {"date": now.isoformat(), "image_urls": "[]", "sender": "merchant",
                                             "message": "Delivery failed: a new parcel is on its way"}


def test_reopen_without_a_reason(client: TestClient, wish: Wish, frozen: datetime) -> None:
    t = one(client, state="closed_by_merchant")
    assert wish.ok("ticket/re-open", id=t["id"]) == SUCCESS
    assert wish.ok("ticket/re-open", "GET", id=one(client, state="closed_by_user")["id"], reply=" ") == SUCCESS
    after = get(wish, t["id"])
    assert after["state"] == "Awaiting buyer response" and after["replies"] == t["replies"]


@pytest.mark.parametrize("state", ["awaiting_merchant", "awaiting_buyer", "awaiting_wish", "awaiting_store"])
def test_reopen_an_open_ticket_is_refused(client: TestClient, wish: Wish, state: str, frozen: datetime) -> None:
    t = one(client, state=state)
    body = wish.err("ticket/re-open", 1002, 400, id=t["id"], reply="why not")
    assert body == {"code": 1002, "data": {}, "message": message(errors.NOT_CLOSED, id=t["id"])}
    assert get(wish, t["id"]) == t


@pytest.mark.parametrize("param", ["reply", "message"])
def test_reopen_reason_too_long(client: TestClient, wish: Wish, param: str, frozen: datetime) -> None:
    t = one(client, state="closed_by_merchant")
    body = wish.err("ticket/re-open", 1000, 400, id=t["id"], **{param: "y" * 2001})
    assert body["message"] == message("too_long", param=param, max=2000)
    assert get(wish, t["id"]) == t  # still closed: nothing half-written


# ---- every endpoint: ids, tenants, scopes ----------------------------------------------------------------

@pytest.mark.parametrize("path", BY_ID)
def test_id_errors(wish: Wish, path: str) -> None:
    assert wish.err(path, 1001, 400, **EXTRA.get(path, {}))["message"] == message("missing_param", param="id")
    body = wish.err(path, 1000, 400, id="not-an-id", **EXTRA.get(path, {}))
    assert body == {"code": 1000, "data": 2014, "message": message("invalid_id", value="not-an-id")}
    body = wish.err(path, 1004, 400, id=NOWHERE, **EXTRA.get(path, {}))
    assert body == {"code": 1004, "data": {}, "message": message(errors.NOT_FOUND, id=NOWHERE)}


@pytest.mark.parametrize("path", BY_ID)
def test_another_merchants_ticket_answers_as_one_that_does_not_exist(client: TestClient, wish: Wish, other: Wish,
                                                                     path: str) -> None:
    for state in ("awaiting_merchant", "closed_by_user"):  # every action would be allowed on one of them
        theirs = one(client, SECOND_TOKEN, state=state)
        body = wish.err(path, 1004, 400, id=theirs["id"], **EXTRA.get(path, {}))
        assert body == {"code": 1004, "data": {}, "message": message(errors.NOT_FOUND, id=theirs["id"])}
        assert get(other, theirs["id"]) == theirs  # untouched


def test_scopes(client: TestClient, wish: Wish) -> None:
    reader = Wish(client, minted_token(client, ["tickets:read"]))
    stranger = Wish(client, minted_token(client, ["orders:read", "orders:write"]))
    for path in ENDPOINTS:
        params = {"id": DOC_ORDER_TICKET, **EXTRA.get(path, {})} if path in BY_ID else {}
        body = stranger.err(path, 4000, 401, **params)
        assert body == {"code": 4000, "data": {}, "message": message("insufficient_scope")}, path
        if path in WRITES:
            assert reader.err(path, 4000, 401, **params)["message"] == message("insufficient_scope"), path
        else:
            assert reader.call(path, "GET", **params).json()["code"] == 0, path
    assert get(wish, DOC_ORDER_TICKET)["state"] == "Awaiting your response"  # nothing was written
    writer = Wish(client, minted_token(client, ["tickets:write"]))
    assert writer.ok("ticket/reply", id=DOC_ORDER_TICKET, reply="hi") == SUCCESS


def test_multipart_post_like_the_php_sdk(client: TestClient, wish: Wish) -> None:
    boundary = "----mockwishTicketBoundary"
    fields = {"access_token": DEFAULT_TOKEN, "id": DOC_ORDER_TICKET, "reply": "Olá! Enviaremos outro."}
    body = "".join(f"--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                   for k, v in fields.items()) + f"--{boundary}--\r\n"
    r = client.post("/api/v2/ticket/reply", content=body.encode(),
                    headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert r.json() == {"code": 0, "data": {"success": True}, "message": ""}
    assert get(wish, DOC_ORDER_TICKET)["replies"][-1]["Reply"]["message"] == "Olá! Enviaremos outro."


# ---- the seed -------------------------------------------------------------------------------------------

def test_seeded_tickets_cover_every_state_closer_and_type(client: TestClient, wish: Wish, other: Wish) -> None:
    rows = seeded_rows(client)
    for w in (wish, other):
        merchant = waiting(w)[0]["merchant_id"]
        mine = [r for r in rows if r["merchant_id"] == merchant]
        assert 20 <= len(mine) <= 45
        assert {r["state"] for r in mine} == {"awaiting_merchant", "awaiting_buyer", "awaiting_wish",
                                             "awaiting_store", "closed"}
        assert {r["state_id"] for r in mine} == {"1", "2", "3", "4", "5", "6"}
        assert {r["closed_by"] for r in mine} == {None, "user", "merchant", "wish support", "wish automated support"}
        assert {r["ticket_type"] for r in mine} == set(labels.TICKET_TYPES)
        post = [r for r in mine if r["ticket_type"] != "pre_purchase_questions"]
        assert len({r["transaction_id"] for r in post}) == len(post)  # a transaction of its own each
        for r in mine:
            t = get(w, r["id"])
            assert t["state"] in ("Awaiting your response", "Awaiting buyer response",
                                  "Awaiting Wish Support response", "Awaiting store response", "Closed")
            assert t["open_date"] <= t["last_update_date"]
            dates = [x["Reply"]["date"] for x in t["replies"]]
            assert dates == sorted(dates) and dates[0] == t["open_date"] and dates[-1] <= t["last_update_date"]
            assert t["replies"][0]["Reply"]["sender"] == "user"
            if r["ticket_type"] == "pre_purchase_questions":
                assert not t["items"] and len(t["products"]) == 1
            else:
                assert t["items"] and {i["Order"]["transaction_id"] for i in t["items"]} == {t["transaction_id"]}
            assert ("close_date" in t) == ("closed_by" in t) == (t["state"] == "Closed")
            for x in t["replies"]:
                reply = x["Reply"]
                translated = {"translated_message", "translated_message_zh"} <= set(reply)
                assert translated == (reply["sender"] == "user")


def test_seeded_buyers_write_in_their_language(client: TestClient, wish: Wish) -> None:
    rows = [r for r in seeded_rows(client) if r["buyer"]["locale"] != "en"]
    assert {r["buyer"]["locale"] for r in rows} >= {"es", "fr", "de"}
    merchant = get(wish, DOC_TICKET)["merchant_id"]
    mine = [r for r in rows if r["merchant_id"] == merchant]
    assert len(mine) >= 3
    for r in mine:
        t = get(wish, r["id"])
        first = t["replies"][0]["Reply"]
        assert first["message"] != first["translated_message"]
        assert first["translated_message"] == labels.BY_NAME[t["label"]].opening.en
        assert first["translated_message_zh"] == labels.BY_NAME[t["label"]].opening.zh
        assert t["subject"] == labels.BY_NAME[t["label"]].subject[t["UserInfo"]["locale"]]


# ---- sandbox --------------------------------------------------------------------------------------------

def test_sandbox_opens_tickets_on_orders_without_an_open_ticket(client: TestClient, wish: Wish,
                                                                frozen: datetime) -> None:
    now = frozen
    busy = {oid for r in seeded_rows(client) if r["state"] != "closed" for oid in r["order_ids"]}
    made = opened(client, count=5)
    assert len(made) == 5 and len({t["id"] for t in made}) == 5
    for t in made:
        assert (t["state"], t["state_id"], t["open_date"]) == ("Awaiting your response", "1", now.isoformat())
        assert t["open_date"] == t["last_update_date"] == t["replies"][0]["Reply"]["date"]
        label = labels.BY_NAME[t["label"]]
        assert label.ticket_type == "post_purchase_tickets"
        assert t["items"][0]["Order"]["state"] in label.order_states
        assert not {i["Order"]["order_id"] for i in t["items"]} & busy
        assert get(wish, t["id"]) == t
    assert {t["id"] for t in made} <= set(waiting_ids(wish))


def test_sandbox_on_a_given_order_with_a_label_and_message(client: TestClient, wish: Wish) -> None:
    r = client.post(SANDBOX, headers=bearer(), json={
        "order_id": DOC_ORDER, "label": "Change Shipping Address", "message": "Bitte an meine neue Adresse",
        "photo": True})
    assert r.status_code == 200, r.text
    assert r.json()["merchant_id"] == get(wish, DOC_TICKET)["merchant_id"]
    (t,) = [x["Ticket"] for x in r.json()["tickets"]]
    assert [i["Order"]["order_id"] for i in t["items"]] == [DOC_ORDER] and t["photo_proof"] == "True"
    first = t["replies"][0]["Reply"]
    assert first["message"] == first["translated_message"] == first["translated_message_zh"] == \
        "Bitte an meine neue Adresse"
    assert IMAGES.match(first["image_urls"])
    assert (t["label"], t["sublabel"], t["subject"]) == ("Change Shipping Address", "", "Change my shipping address")


def test_sandbox_whole_transaction_labels(client: TestClient, wish: Wish) -> None:
    t = one(client, label="Shipping Status or ETA Inquiry")
    tx = t["items"][0]["Order"]["transaction_id"]
    orders = [o["Order"] for o in wish.ok("order/multi-get", "GET", limit=500)]
    assert {i["Order"]["order_id"] for i in t["items"]} == {o["order_id"] for o in orders if
                                                            o["transaction_id"] == tx}
    assert t["subject"] in labels.BY_NAME["Shipping Status or ETA Inquiry"].subject.values()


def test_sandbox_pre_purchase_and_customer_support(client: TestClient, wish: Wish) -> None:
    pid = get(wish, DOC_ORDER_TICKET)["products"][0]["Product"]["id"]
    t = one(client, product_id=pid)
    assert labels.BY_NAME[t["label"]].ticket_type == "pre_purchase_questions"
    assert t["items"] == [] and [p["Product"]["id"] for p in t["products"]] == [pid]
    assert t["id"] in waiting_ids(wish, ticket_type="pre_purchase_questions")
    cs = one(client, ticket_type="post_customer_support_questions", seed=7)
    assert labels.BY_NAME[cs["label"]].ticket_type == "post_customer_support_questions"
    assert cs["id"] in waiting_ids(wish, ticket_type="post_customer_support_questions")


@pytest.mark.parametrize("state", list(STORIES))
def test_sandbox_states(client: TestClient, wish: Wish, frozen: datetime, state: str) -> None:
    t = one(client, state=state, seed=11)
    if state.startswith("closed_by_"):
        assert (t["state"], t["state_id"]) == ("Closed", "6")
        assert t["closed_by"] == state.removeprefix("closed_by_").replace("_", " ")
    else:
        assert t["state"] == STATE_NAMES[state]
    assert t["state_id"] == {"awaiting_merchant": "1", "answered_back": "4", "awaiting_buyer": "2",
                             "awaiting_wish": "3", "awaiting_store": "5"}.get(state, "6")
    assert senders(t)[0] == "user"
    dates = [r["Reply"]["date"] for r in t["replies"]]
    assert dates == sorted(dates) and dates[0] == t["open_date"]
    assert t["last_update_date"] == frozen.isoformat()  # the story ends now
    assert (t["open_date"] == t["last_update_date"]) == (state == "awaiting_merchant")
    assert get(wish, t["id"]) == t


def test_sandbox_same_seed_same_story(client: TestClient) -> None:
    """The same seed tells the same story under a new id (a question about a product: nothing else differs)."""
    body = {"seed": 5, "ticket_type": "pre_purchase_questions", "state": "awaiting_buyer"}
    a, b = one(client, **body), one(client, **body)
    assert a["id"] != b["id"] and {**a, "id": ""} == {**b, "id": ""}
    assert senders(a) == ["user", "merchant"]
    c, d = one(client, seed=5, state="awaiting_store"), one(client, seed=5, state="awaiting_store")
    assert c["items"] != d["items"]  # the second on an order no open ticket is about yet
    assert senders(c) == senders(d) == ["user", "wish support"]


@pytest.mark.parametrize(("body", "status", "code", "key", "params"), [
    ({"order_id": "xyz"}, 400, 1000, "invalid_id", {"value": "xyz"}),
    ({"product_id": "xyz"}, 400, 1000, "invalid_id", {"value": "xyz"}),
    ({"order_id": NOWHERE}, 400, 1004, "order_not_found", {"id": NOWHERE}),
    ({"product_id": NOWHERE}, 400, 1004, "product_not_found", {"field": "id", "value": NOWHERE}),
    ({"label": "Where is it"}, 400, 1000, errors.UNKNOWN_LABEL,
     {"label": "Where is it", "labels": ", ".join(labels.BY_NAME)}),
    ({"label": "Return or Exchange", "ticket_type": "pre_purchase_questions"}, 400, 1000, errors.LABEL_TYPE,
     {"label": "Return or Exchange", "expected": "post_purchase_tickets", "value": "pre_purchase_questions"}),
    ({"order_id": DOC_ORDER, "ticket_type": "pre_purchase_questions"}, 400, 1000, "invalid_param",
     {"value": DOC_ORDER, "param": "order_id (not for pre_purchase_questions)"}),
    ({"product_id": NOWHERE, "ticket_type": "post_purchase_tickets"}, 400, 1000, "invalid_param",
     {"value": NOWHERE, "param": "product_id (pre_purchase_questions only)"}),
])
def test_sandbox_open_errors(client: TestClient, body: dict[str, Any], status: int, code: int, key: str,
                             params: dict[str, Any]) -> None:
    before = len(seeded_rows(client))
    r = client.post(SANDBOX, json=body, headers=bearer())
    assert r.status_code == status and r.json()["code"] == code, r.text
    assert r.json()["message"] == message(key, **params)
    assert len(seeded_rows(client)) == before


def test_sandbox_open_bad_bodies_and_other_merchants_orders(client: TestClient, other: Wish) -> None:
    for body in ({"count": 0}, {"count": 51}, {"state": "lost"}, {"colour": "red"}, {"photo": "yes"},
                 {"message": "x" * 2001}, {"ticket_type": "all"}):
        r = client.post(SANDBOX, json=body, headers=bearer())
        assert r.status_code == 400 and r.json()["code"] in (1000, 1001), (body, r.text)
    theirs = other.ok("order/multi-get", "GET", limit=1)[0]["Order"]["order_id"]
    r = client.post(SANDBOX, json={"order_id": theirs}, headers=bearer())
    assert r.json() == {"code": 1004, "data": 2021, "message": message("order_not_found", id=theirs)}
    r = client.post(SANDBOX, json={"order_id": theirs}, headers=bearer(SECOND_TOKEN))
    assert r.status_code == 200 and r.json()["tickets"][0]["Ticket"]["items"][0]["Order"]["order_id"] == theirs
    r = client.post(SANDBOX, json={})  # no merchant_id and no Bearer token
    assert r.status_code == 400 and r.json()["code"] == 1001
    r = client.post(SANDBOX, json={"merchant_id": NOWHERE})
    assert r.status_code == 400 and r.json()["code"] == 1000


def test_sandbox_buyer_reply(client: TestClient, wish: Wish, frozen: datetime) -> None:
    t = one(client, state="awaiting_buyer")
    now = frozen
    r = sandbox(client, t["id"], "buyer-reply", message="Still nothing")
    assert r.status_code == 200, r.text
    after = r.json()["Ticket"]
    assert (after["state"], after["state_id"], after["last_update_date"]) == ("Awaiting your response", "4",
                                                                              now.isoformat())
    assert after["replies"][-1]["Reply"] == {"date": now.isoformat(), "image_urls": "[]", "message": "Still nothing",
                                             "sender": "user", "translated_message": "Still nothing",
                                             "translated_message_zh": "Still nothing"}
    assert after["id"] in waiting_ids(wish) and get(wish, t["id"]) == after
    r = sandbox(client, t["id"], "buyer-reply")  # a usual follow-up in the buyer's language
    follow = r.json()["Ticket"]["replies"][-1]["Reply"]
    assert follow["translated_message"] in {p.en for p in labels.FOLLOW_UPS}
    assert r.json()["Ticket"]["state_id"] == "4"


def test_sandbox_buyer_closes(client: TestClient, wish: Wish) -> None:
    for state in ("awaiting_buyer", "awaiting_merchant", "awaiting_wish"):
        t = one(client, state=state)
        r = sandbox(client, t["id"], "buyer-reply", close=True)
        after = r.json()["Ticket"]
        assert (after["state"], after["closed_by"]) == ("Closed", "user")
        assert after["replies"][-1]["Reply"]["translated_message"] == labels.THANKS.en
        r = sandbox(client, t["id"], "buyer-reply", message="hello again")
        assert r.status_code == 400 and r.json()["message"] == message(errors.CLOSED, id=t["id"])
        assert get(wish, t["id"]) == after


def test_sandbox_wish_reply(client: TestClient, wish: Wish) -> None:
    t = one(client, state="awaiting_wish")
    r = sandbox(client, t["id"], "wish-reply", message="Please refund the customer")
    after = r.json()["Ticket"]
    assert (after["state"], after["state_id"]) == ("Awaiting store response", "5")
    assert after["replies"][-1]["Reply"]["sender"] == "wish support"
    assert after["id"] in waiting_ids(wish)
    r = sandbox(client, t["id"], "wish-reply")
    assert r.status_code == 400 and r.json() == {"code": 1000, "data": {},
                                                 "message": message(errors.NOT_APPEALED, id=t["id"])}
    r = sandbox(client, t["id"], "wish-reply", close=True)
    closed = r.json()["Ticket"]
    assert (closed["state"], closed["closed_by"]) == ("Closed", "wish support")
    assert closed["replies"][-1]["Reply"]["message"] == labels.WISH_CLOSE
    r = sandbox(client, t["id"], "wish-reply", close=True)
    assert r.status_code == 400 and r.json()["message"] == message(errors.CLOSED, id=t["id"])


def test_sandbox_reply_routes_unknown_and_bad_ids(client: TestClient) -> None:
    for who in ("buyer-reply", "wish-reply"):
        r = sandbox(client, NOWHERE, who)
        assert r.status_code == 404 and r.json()["message"] == message("record_not_found", kind="ticket", id=NOWHERE)
        r = sandbox(client, "nope", who)
        assert r.status_code == 400 and r.json()["message"] == message("invalid_id", value="nope")
        r = sandbox(client, DOC_TICKET, who, shout=True)
        assert r.status_code == 400 and r.json()["code"] == 1000
        r = sandbox(client, DOC_TICKET, who, message="x" * 2001)
        assert r.status_code == 400 and r.json()["code"] == 1000
    r = sandbox(client, DOC_TICKET, "buyer-reply", message=" ")  # blank: a usual follow-up instead
    assert r.status_code == 200 and r.json()["Ticket"]["replies"][-1]["Reply"]["translated_message"] in {
        p.en for p in labels.FOLLOW_UPS}
