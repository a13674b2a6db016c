"""Tickets under real parallel clients, on a real server process: parallel replies to one ticket are all kept
(none lost, none doubled), a close racing replies ends consistent (one close wins, every acknowledged reply is
in the ticket and was sent before the close), parallel appeals succeed once, and none of it answers a 5xx.
The PyPI `wish-api` client then drives every ticket call against the same server."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from wish import Client
from wish.ticket import Ticket as TicketResource

from mockwish.errors import message
from mockwish.merchant.tickets import errors
from mockwish.merchant.tickets.seed import DOC_ORDER_TICKET, DOC_TICKET
from server_process import Server, module_server
from support import DEFAULT_TOKEN

CLIENTS = 8
AUTH = {"Authorization": f"Bearer {DEFAULT_TOKEN}"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from module_server(tmp_path_factory, "tickets-concurrency")


def _parallel(calls: list[Callable[[httpx.Client], httpx.Response]]) -> list[httpx.Response]:
    """Run the calls on CLIENTS threads, each with a client (connection pool) of its own."""
    clients = [httpx.Client(timeout=30) for _ in range(CLIENTS)]
    try:
        with ThreadPoolExecutor(CLIENTS) as pool:
            return list(pool.map(lambda k: calls[k](clients[k % CLIENTS]), range(len(calls))))
    finally:
        for c in clients:
            c.close()


def _new_ticket(server: Server, state: str = "awaiting_merchant") -> dict[str, Any]:
    r = httpx.post(f"{server.base}/sandbox/api/tickets", json={"state": state}, headers=AUTH, timeout=30)
    assert r.status_code == 200, r.text
    return r.json()["tickets"][0]["Ticket"]  # type: ignore[no-any-return]


def _get(server: Server, tid: str) -> dict[str, Any]:
    r = httpx.get(f"{server.base}/api/v2/ticket", params={"id": tid, "access_token": DEFAULT_TOKEN}, timeout=30)
    assert r.status_code == 200 and r.json()["code"] == 0, r.text
    return r.json()["data"]["Ticket"]  # type: ignore[no-any-return]


def _post(server: Server, path: str, **params: str) -> Callable[[httpx.Client], httpx.Response]:
    url = f"{server.base}/api/v2/{path}"
    return lambda c: c.post(url, data={"access_token": DEFAULT_TOKEN, **params})


def test_parallel_replies_are_all_kept(server: Server) -> None:
    t = _new_ticket(server)
    texts = [f"reply number {n} from the support desk" for n in range(40)]
    answers = _parallel([_post(server, "ticket/reply", id=t["id"], reply=text) for text in texts])
    assert all(r.status_code == 200 and r.json() == {"code": 0, "data": {"success": True}, "message": ""}
               for r in answers), Counter(r.status_code for r in answers)
    after = _get(server, t["id"])
    sent = Counter(x["Reply"]["message"] for x in after["replies"] if x["Reply"]["sender"] == "merchant")
    assert sent == Counter(texts)  # every acknowledged reply, once
    first, opened = after["replies"][0]["Reply"], t["replies"][0]["Reply"]
    # the buyer's message as it was (its image links are new at every call: they expire 60 minutes after it)
    assert {**first, "image_urls": ""} == {**opened, "image_urls": ""} and len(after["replies"]) == 41
    assert after["state"] == "Awaiting buyer response"


def test_close_racing_replies_ends_consistent(server: Server) -> None:
    for _ in range(3):
        t = _new_ticket(server)
        calls = [_post(server, "ticket/reply", id=t["id"], reply=f"answer {n}") for n in range(20)]
        for k in (3, 9, 14, 19):
            calls.insert(k, _post(server, "ticket/close", id=t["id"]))
        answers = _parallel(calls)
        assert all(r.status_code < 500 for r in answers)
        closes = [r.json() for r in answers if b"answer" not in r.request.content]
        replies = [(r.request.content, r.json()) for r in answers if b"answer" in r.request.content]
        assert [c["code"] for c in closes].count(0) == 1
        assert {c["message"] for c in closes if c["code"]} <= {message(errors.ALREADY_CLOSED, id=t["id"])}
        acknowledged = {httpx.QueryParams(body.decode())["reply"] for body, a in replies if a["code"] == 0}
        refused = [a for _, a in replies if a["code"] != 0]
        assert all(a == {"code": 1000, "data": {}, "message": message(errors.CLOSED, id=t["id"])} for a in refused)
        after = _get(server, t["id"])
        assert (after["state"], after["closed_by"]) == ("Closed", "merchant")
        kept = [x["Reply"] for x in after["replies"] if x["Reply"]["sender"] == "merchant"]
        assert {x["message"] for x in kept} == acknowledged and len(kept) == len(acknowledged)
        assert all(x["date"] <= after["close_date"] for x in kept)


def test_parallel_appeals_succeed_once(server: Server) -> None:
    t = _new_ticket(server, "awaiting_buyer")
    answers = _parallel([_post(server, "ticket/appeal-to-wish-support", id=t["id"])] * 16)
    codes = Counter(r.json()["code"] for r in answers)
    assert codes == {0: 1, 1002: 15}, codes
    assert _get(server, t["id"])["state"] == "Awaiting Wish Support response"


def test_the_wish_api_client_drives_every_ticket_call(server: Server) -> None:
    client = Client(DEFAULT_TOKEN)
    client.base_url = f"{server.base}/api/v2/"
    tickets = TicketResource(client)
    assert tickets.retrieve(id=DOC_TICKET)["Ticket"]["id"] == DOC_TICKET
    page = tickets.list_waiting_tickets(limit=2, start=0)
    assert len(page) == 2 and all("Ticket" in t for t in page)
    t = _new_ticket(server)
    assert tickets.reply(id=t["id"], reply="Hello from wish-api") == {"success": True}
    assert tickets.appeal(id=t["id"]) == {"success": True}
    assert tickets.close(id=t["id"]) == {"success": True}
    assert tickets.reopen(id=t["id"], reply="Re-opened from wish-api") == {"success": True}
    with pytest.raises(ValueError, match="already open"):
        tickets.reopen(id=t["id"])
    assert tickets.retrieve(id=t["id"])["Ticket"]["state"] == "Awaiting buyer response"
    assert tickets.retrieve(id=DOC_ORDER_TICKET)["Ticket"]["state"] == "Awaiting your response"
