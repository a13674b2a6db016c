"""Real clients of the Ticket, Notifications, Announcements and Infractions endpoints.

(a) The PyPI `wish-api` 1.0.0 client (module `wish`), against a real server process: its Client does not
    register the ticket and notification resources, so they are built on it directly, as its own modules do.
    It sends `Authorization: Bearer`, form bodies on POST and query strings on GET, answers `data`, and raises
    ValueError(message) on a Wish error.
(b) Requests shaped like the official PHP SDK's (WishRequest::execute in ContextLogic's wish-merchant-api and
    its forks): GET with access_token in the query string (http_build_query), POST with CURLOPT_POSTFIELDS set
    to the parameter array, which curl sends as multipart/form-data, access_token among the fields; the
    parameters are the SDK's WishClient methods' (getTicketById, replyToTicketById, markNotificationAsViewed...).
    Each answers as the same call form-encoded does."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient
from wish.client import Client as WishApiClient
from wish.notification import Notification
from wish.ticket import Ticket

from mockwish.errors import message
from mockwish.merchant.notifications import errors as noti_errors
from mockwish.merchant.tickets import errors as ticket_errors
from mockwish.merchant.tickets.rules import AWAITING_BUYER, AWAITING_MERCHANT, AWAITING_WISH, CLOSED, STATE_NAMES
from server_process import Server, module_server
from support import DEFAULT_TOKEN, SECOND_TOKEN, freeze

DOC_TICKET = "123456789009876543210164"  # the docs' ticket and notification ids, seeded for the default merchant
DOC_TICKET_2 = "098765432112345678901234"
DOC_NOTI = "123456789009876543210164"
PHP_AGENT = {"User-Agent": "wish-php-sdk"}  # CURLOPT_USERAGENT of the SDK


class Client(WishApiClient):
    """wish-api 1.0.0 as published, but for one bug of its own: Notification's count_unviewed, announcement,
    system_notification and count_infractions call `execute(uri, method)` while execute requires a body
    (TypeError before any request; test_the_published_client_cannot_send_the_bodiless_calls shows it). The
    request the client builds is untouched: no body, so no query string."""

    def execute(self, uri: str, method: str, body: dict[str, Any] | None = None) -> Any:
        return super().execute(uri, method, body)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from module_server(tmp_path_factory, "support-clients")


def wish_api(server: Server, token: str = DEFAULT_TOKEN) -> tuple[Ticket, Notification]:
    client = Client(token)
    client.base_url = server.base + "/api/v2/"
    return Ticket(client), Notification(client)


def refused(call: Any, **kwargs: Any) -> str:
    with pytest.raises(ValueError) as raised:
        call(**kwargs)
    return str(raised.value)


def waiting(tickets: Ticket) -> list[str]:
    """Every ticket awaiting the merchant, through the client's list call and its paging parameters."""
    ids, start = [], 0
    while True:
        page = tickets.list_waiting_tickets(start=start, limit=50)
        ids += [t["Ticket"]["id"] for t in page]
        if len(page) < 50:
            return ids
        start += 50


def test_the_published_client_cannot_send_the_bodiless_calls() -> None:
    """Why `Client` above overrides execute: the published package raises before it sends anything."""
    client = WishApiClient(DEFAULT_TOKEN)
    client.base_url = "http://127.0.0.1:9/api/v2/"  # never reached
    with pytest.raises(TypeError, match="body"):
        Notification(client).count_unviewed()


def test_wish_api_plays_a_ticket_through_every_action(server: Server) -> None:
    tickets, _ = wish_api(server)
    first = tickets.list_waiting_tickets(limit=5)
    assert 1 <= len(first) <= 5
    assert {t["Ticket"]["state"] for t in first} <= {STATE_NAMES[AWAITING_MERCHANT], "Awaiting store response"}
    assert DOC_TICKET in waiting(tickets)

    ticket = tickets.retrieve(id=DOC_TICKET)["Ticket"]
    assert ticket["id"] == DOC_TICKET and ticket["state"] == STATE_NAMES[AWAITING_MERCHANT]
    replies = len(ticket["replies"])

    assert tickets.reply(id=DOC_TICKET, reply="We are sending a new parcel today.") == {"success": True}
    ticket = tickets.retrieve(id=DOC_TICKET)["Ticket"]
    assert ticket["state"] == STATE_NAMES[AWAITING_BUYER]
    assert len(ticket["replies"]) == replies + 1
    assert ticket["replies"][-1]["Reply"]["sender"] == "merchant"
    assert ticket["replies"][-1]["Reply"]["message"] == "We are sending a new parcel today."
    assert DOC_TICKET not in waiting(tickets)

    assert tickets.close(id=DOC_TICKET) == {"success": True}
    ticket = tickets.retrieve(id=DOC_TICKET)["Ticket"]
    assert ticket["state"] == STATE_NAMES[CLOSED] and ticket["closed_by"] == "merchant" and ticket["close_date"]
    # refused transitions: ValueError with the registry's message
    assert refused(tickets.close, id=DOC_TICKET) == message(ticket_errors.ALREADY_CLOSED, id=DOC_TICKET)
    assert refused(tickets.reply, id=DOC_TICKET, reply="hello?") == message(ticket_errors.CLOSED, id=DOC_TICKET)
    assert refused(tickets.appeal, id=DOC_TICKET) == message(ticket_errors.CLOSED, id=DOC_TICKET)

    assert tickets.reopen(id=DOC_TICKET, reply="The parcel came back to us.") == {"success": True}
    ticket = tickets.retrieve(id=DOC_TICKET)["Ticket"]
    assert ticket["state"] == STATE_NAMES[AWAITING_BUYER]
    assert ticket["replies"][-1]["Reply"]["message"] == "The parcel came back to us."
    assert refused(tickets.reopen, id=DOC_TICKET, reply="again") == message(ticket_errors.NOT_CLOSED, id=DOC_TICKET)

    assert tickets.appeal(id=DOC_TICKET) == {"success": True}
    assert tickets.retrieve(id=DOC_TICKET)["Ticket"]["state"] == STATE_NAMES[AWAITING_WISH]
    assert refused(tickets.appeal, id=DOC_TICKET) == message(ticket_errors.ALREADY_APPEALED, id=DOC_TICKET)

    nowhere = "aaaaaaaaaaaaaaaaaaaaaaaa"
    assert refused(tickets.retrieve, id=nowhere) == message(ticket_errors.NOT_FOUND, id=nowhere)
    assert refused(tickets.retrieve, id="123456789012") == message("invalid_id", value="123456789012")


def test_wish_api_reads_notifications_announcements_and_infractions(server: Server) -> None:
    _, notes = wish_api(server)
    count = notes.count_unviewed()["count"]
    unviewed = notes.fetch_unviewed(limit=500)
    assert isinstance(count, int) and count == len(unviewed) > 0
    assert all(set(n["GetNotiResponse"]) >= {"id", "title", "message", "perma_link"} for n in unviewed)
    assert DOC_NOTI in {n["GetNotiResponse"]["id"] for n in unviewed}

    assert notes.mark_as_viewed(noti_id=DOC_NOTI) == {"success": True}
    assert notes.count_unviewed() == {"count": count - 1}
    assert DOC_NOTI not in {n["GetNotiResponse"]["id"] for n in notes.fetch_unviewed(limit=500)}
    assert refused(notes.mark_as_viewed, noti_id=DOC_NOTI) == message(noti_errors.NOTIFICATION_ALREADY_VIEWED,
                                                                      id=DOC_NOTI)

    announcement = notes.announcement()["GetBDAnnouncementResponse"]
    assert set(announcement) >= {"title", "created", "bd_id", "bd_name", "message", "viewed"}
    updates = notes.system_notification()
    assert updates and all(set(u["SystemUpdatesResponse"]) >= {"release_date", "id", "features"} for u in updates)

    infractions = notes.count_infractions()["CountInfractionsResponse"]["count"]
    listed = notes.fetch_infractions(limit=500)["InfractionsResponse"]["infractions"]
    assert infractions.isdigit() and int(infractions) == len(listed) > 0
    assert len(notes.fetch_infractions(limit=2)["InfractionsResponse"]["infractions"]) == min(2, len(listed))


def test_wish_api_sees_only_its_own_merchant(server: Server) -> None:
    tickets, notes = wish_api(server, SECOND_TOKEN)
    theirs = waiting(tickets)
    assert DOC_TICKET not in theirs and DOC_TICKET_2 not in theirs
    assert refused(tickets.retrieve, id=DOC_TICKET) == message(ticket_errors.NOT_FOUND, id=DOC_TICKET)
    assert refused(notes.mark_as_viewed, noti_id=DOC_NOTI) == message(noti_errors.NOTIFICATION_NOT_FOUND,
                                                                      id=DOC_NOTI)


# --- (b) the official PHP SDK's request shapes (TestClient, a fresh seeded store per test) -----------------
def php(client: TestClient, method: str, path: str, **params: str) -> httpx.Response:
    """WishRequest::execute: access_token added to the parameters; GET -> query string, POST -> the array as
    CURLOPT_POSTFIELDS (multipart/form-data)."""
    params = {**params, "access_token": DEFAULT_TOKEN}
    if method == "GET":
        return client.get(f"/api/v2/{path}", params=params, headers=PHP_AGENT)
    r = client.post(f"/api/v2/{path}", files={k: (None, v) for k, v in params.items()}, headers=PHP_AGENT)
    assert r.request.headers["content-type"].startswith("multipart/form-data"), r.request.headers
    return r


def form(client: TestClient, path: str, **params: str) -> httpx.Response:
    """The same call form-encoded (as the docs' curl -d sends it)."""
    return client.post(f"/api/v2/{path}", data={**params, "access_token": DEFAULT_TOKEN})


# the SDK's read calls: (WishClient method, HTTP method, path, params)
PHP_READS = [
    ("getTicketById", "GET", "ticket", {"id": DOC_TICKET}),
    ("getAllActionRequiredTickets", "GET", "ticket/get-action-required", {"limit": "50", "start": "0"}),
    ("getAllNotifications", "GET", "noti/fetch-unviewed", {}),
    ("getUnviewedNotiCount", "GET", "noti/get-unviewed-count", {}),
    ("getBDAnnouncemtns", "GET", "fetch-bd-announcement", {}),
    ("getSystemUpdatesNotifications", "GET", "fetch-sys-updates-noti", {}),
    ("getInfractionCount", "GET", "count/infractions", {}),
    ("getInfractionLinks", "GET", "get/infractions", {}),
]


@pytest.mark.parametrize(("sdk", "method", "path", "params"), [pytest.param(*r, id=r[0]) for r in PHP_READS])
def test_php_sdk_reads(client: TestClient, sdk: str, method: str, path: str, params: dict[str, str]) -> None:
    freeze(client)  # a ticket's Orders show a countdown: both calls on one instant
    r = php(client, method, path, **params)
    assert r.status_code == 200 and r.json()["code"] == 0, (sdk, r.text[:500])
    assert r.json()["data"], sdk
    again = form(client, path, **params)
    assert again.status_code == 200
    assert again.json() == r.json(), sdk


def test_php_sdk_action_required_iterates_like_get_response_iter(client: TestClient) -> None:
    """getResponseIter: limit 50, start moved by 50 while paging.next is set."""
    ids, start = [], 0
    while True:
        body = php(client, "GET", "ticket/get-action-required", limit="50", start=str(start)).json()
        assert body["code"] == 0, body
        ids += [t["Ticket"]["id"] for t in body["data"]]
        if not body.get("paging", {}).get("next"):
            break
        start += 50
    every = form(client, "ticket/get-action-required", limit="500").json()["data"]
    assert ids == [t["Ticket"]["id"] for t in every] and DOC_TICKET in ids


# the SDK's write calls, each on one of two tickets in the same state: (method, path, params, setup calls)
PHP_WRITES = [
    ("replyToTicketById", "ticket/reply", {"reply": "A new parcel is on its way."}, []),
    ("closeTicketById", "ticket/close", {}, []),
    ("appealTicketById", "ticket/appeal-to-wish-support", {}, []),
    ("reOpenTicketById", "ticket/re-open", {"reply": "Delivery failed, we will resend."}, ["ticket/close"]),
]


@pytest.mark.parametrize(("sdk", "path", "params", "setup"), [pytest.param(*w, id=w[0]) for w in PHP_WRITES])
def test_php_sdk_ticket_actions(client: TestClient, sdk: str, path: str, params: dict[str, str],
                                setup: list[str]) -> None:
    """The SDK's multipart POST on one seeded ticket, the form-encoded POST on the other: the same answer and
    the same resulting state; then the same refusal for doing it again where the state refuses it."""
    freeze(client)
    for step in setup:
        for tid in (DOC_TICKET, DOC_TICKET_2):
            assert form(client, step, id=tid).json()["code"] == 0

    def ticket(tid: str) -> dict[str, Any]:
        return form(client, "ticket", id=tid).json()["data"]["Ticket"]  # type: ignore[no-any-return]
    before = {tid: len(ticket(tid)["replies"]) for tid in (DOC_TICKET, DOC_TICKET_2)}
    by_php = php(client, "POST", path, id=DOC_TICKET, **params)
    by_form = form(client, path, id=DOC_TICKET_2, **params)
    assert by_php.status_code == by_form.status_code == 200, (by_php.text, by_form.text)
    assert by_php.json() == by_form.json() == {"code": 0, "data": {"success": True}, "message": ""}

    def state(tid: str) -> dict[str, Any]:
        t = ticket(tid)
        return {"state": t["state"], "closed_by": t.get("closed_by"), "close_date": t.get("close_date"),
                "replies added": len(t["replies"]) - before[tid],
                "last reply": t["replies"][-1]["Reply"]["message"] if "reply" in params else None}
    assert state(DOC_TICKET) == state(DOC_TICKET_2)
    assert state(DOC_TICKET)["replies added"] == (1 if "reply" in params else 0)
    if "reply" in params:
        assert state(DOC_TICKET)["last reply"] == params["reply"]
    if path != "ticket/reply":  # a second close, appeal or re-open is refused, the same way in both shapes
        again_php = php(client, "POST", path, id=DOC_TICKET, **params)
        again_form = form(client, path, id=DOC_TICKET_2, **params)
        assert again_php.status_code == again_form.status_code == 400
        assert again_php.json()["code"] == again_form.json()["code"] != 0
        assert again_php.text.replace(DOC_TICKET, "<id>") == again_form.text.replace(DOC_TICKET_2, "<id>")


def test_php_sdk_marks_a_notification_viewed_with_id(client: TestClient) -> None:
    """markNotificationAsViewed($id) posts `id` (multipart), as the docs' own PHP example sends `id=` too; the
    docs' curl says `noti_id`. Both name the notification."""
    count = form(client, "noti/get-unviewed-count").json()["data"]["count"]
    r = php(client, "POST", "noti/mark-as-viewed", id=DOC_NOTI)
    assert r.status_code == 200 and r.json() == {"code": 0, "data": {"success": True}, "message": ""}, r.text
    assert form(client, "noti/get-unviewed-count").json()["data"]["count"] == count - 1
    second = form(client, "noti/fetch-unviewed", limit="1").json()["data"][0]["GetNotiResponse"]["id"]
    assert form(client, "noti/mark-as-viewed", noti_id=second).json()["data"] == {"success": True}
    assert form(client, "noti/get-unviewed-count").json()["data"]["count"] == count - 2
    # viewed already: the same refusal in both shapes
    again_php = php(client, "POST", "noti/mark-as-viewed", id=DOC_NOTI)
    again_form = form(client, "noti/mark-as-viewed", noti_id=DOC_NOTI)
    assert again_php.status_code == again_form.status_code == 400
    assert again_php.json() == again_form.json()
    assert again_php.json()["message"] == message(noti_errors.NOTIFICATION_ALREADY_VIEWED, id=DOC_NOTI)
