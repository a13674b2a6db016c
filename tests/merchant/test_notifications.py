"""HTTP tests of the Notifications endpoints (wish-merchant-api-v2.txt, Notifications): noti/fetch-unviewed,
noti/mark-as-viewed and noti/get-unviewed-count; the doc's example requests replayed (curl and PHP forms), paging,
every error, tenant isolation, XML, a translated error, POST /sandbox/api/notifications, the seed, and the rules.

Expected error texts come from the registry (mockwish.errors.message)."""

from __future__ import annotations

import random
import xml.etree.ElementTree as ET
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from conformance.shape import compare
from mockwish.errors import WishError, message
from mockwish.merchant.notifications import content, generate, rules
from mockwish.merchant.notifications.errors import NOTIFICATION_ALREADY_VIEWED, NOTIFICATION_NOT_FOUND
from mockwish.merchant.notifications.seed import DOC_NOTIFICATION_ID
from mockwish.store.tables import Ticket, table_of
from support import DEFAULT_TOKEN, SECOND_TOKEN, Wish, freeze, minted_token, on_store

SANDBOX = "/sandbox/api/notifications"
NOWHERE = "aaaaaaaaaaaaaaaaaaaaaaaa"  # well formed, nobody's notification
DOC_LIST: dict[str, Any] = {  # fetch-unviewed's Example Response, as printed
    "message": "", "code": 0,
    "data": [{"GetNotiResponse": {"perma_link": "http://merchant.wish.com/release/57180d6c49xxxxxxxxxxxxxx",
                                  "message": "Sizing Chart XXXXX", "id": "571810da7exxxxxxxxxxxxxx",
                                  "title": "There is a new xxxxxxxxxx"}}],
    "paging": {"next": "https://merchant.wish.com/api/v2/noti/fetch-unviewed?start=12",
               "previous": "https://merchant.wish.com/api/v2/noti/fetch-unviewed?start=8"},
}
DOC_MARK: dict[str, Any] = {"code": 0, "data": {"success": True}, "message": ""}
DOC_COUNT: dict[str, Any] = {"code": 0, "data": {"count": 8}, "message": ""}


def post(client: TestClient, token: str | None = DEFAULT_TOKEN, **body: Any) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post(SANDBOX, json=body, headers=headers)


def posted(client: TestClient, token: str = DEFAULT_TOKEN, **body: Any) -> list[dict[str, Any]]:
    r = post(client, token, **body)
    assert r.status_code == 200, r.text
    return r.json()["notifications"]  # type: ignore[no-any-return]


def unviewed(wish: Wish, **params: Any) -> list[dict[str, Any]]:
    return [n["GetNotiResponse"] for n in wish.ok("noti/fetch-unviewed", "GET", **params)]


def all_unviewed(wish: Wish) -> list[dict[str, Any]]:
    return unviewed(wish, limit=500)


def count(wish: Wish) -> int:
    n = wish.ok("noti/get-unviewed-count", "GET")["count"]
    assert isinstance(n, int) and not isinstance(n, bool)
    return n  # type: ignore[no-any-return]


# ---- the doc's examples --------------------------------------------------------------------------------------

def test_fetch_unviewed_doc_example(client: TestClient) -> None:
    """curl ".../noti/fetch-unviewed?limit=2&start=20&access_token=an_example_access_token": the 11th page of 2."""
    posted(client, count=10)  # the seeded merchant has 16 unviewed: enough for a page at 20
    r = client.get("/api/v2/noti/fetch-unviewed",
                   params={"limit": "2", "start": "20", "access_token": "an_example_access_token"})
    body = r.json()
    assert r.status_code == 200 and compare(DOC_LIST, body) == [], body
    assert len(body["data"]) == 2
    assert parse_qs(urlsplit(body["paging"]["next"]).query)["start"] == ["22"]
    assert parse_qs(urlsplit(body["paging"]["previous"]).query)["start"] == ["18"]


def test_mark_as_viewed_doc_example(client: TestClient, wish: Wish) -> None:
    """curl ".../noti/mark-as-viewed?noti_id=123456789009876543210164&access_token=an_example_access_token"."""
    assert DOC_NOTIFICATION_ID in {n["id"] for n in all_unviewed(wish)}
    r = client.get("/api/v2/noti/mark-as-viewed",
                   params={"noti_id": DOC_NOTIFICATION_ID, "access_token": "an_example_access_token"})
    assert r.status_code == 200 and compare(DOC_MARK, r.json()) == [] and r.json()["data"] == {"success": True}
    assert DOC_NOTIFICATION_ID not in {n["id"] for n in all_unviewed(wish)}


def test_mark_as_viewed_php_example(client: TestClient, wish: Wish) -> None:
    """The doc's PHP sends the id as `id` (GET with access_token)."""
    before = count(wish)
    r = client.get("/api/v2/noti/mark-as-viewed",
                   params={"access_token": "an_example_access_token", "id": DOC_NOTIFICATION_ID})
    assert r.status_code == 200 and r.json()["data"] == {"success": True}
    assert count(wish) == before - 1


def test_mark_as_viewed_multipart_post(client: TestClient, wish: Wish) -> None:
    """The official PHP SDK posts multipart forms."""
    r = client.post("/api/v2/noti/mark-as-viewed",
                    files={"access_token": (None, DEFAULT_TOKEN), "id": (None, DOC_NOTIFICATION_ID)})
    assert r.status_code == 200 and r.json()["data"] == {"success": True}, r.text
    assert DOC_NOTIFICATION_ID not in {n["id"] for n in all_unviewed(wish)}
    r = client.post("/api/v2/noti/fetch-unviewed",
                    files={"access_token": (None, DEFAULT_TOKEN), "start": (None, "1"), "limit": (None, "2")})
    assert r.status_code == 200 and [n["GetNotiResponse"] for n in r.json()["data"]] == unviewed(wish)[1:3]


def test_get_unviewed_count_doc_example(client: TestClient, wish: Wish) -> None:
    r = client.get("/api/v2/noti/get-unviewed-count", params={"access_token": "an_example_access_token"})
    assert r.status_code == 200 and compare(DOC_COUNT, r.json()) == []
    assert r.json()["data"]["count"] == len(all_unviewed(wish)) > 0


# ---- fetch-unviewed ------------------------------------------------------------------------------------------

def test_newest_first(client: TestClient, wish: Wish) -> None:
    freeze(client)  # both in one second: the later one still comes first
    first = posted(client, title="first")[0]
    second = posted(client, title="second")[0]
    assert [n["id"] for n in unviewed(wish, limit=2)] == [second["id"], first["id"]]


def test_paging_walks_every_unviewed_notification(wish: Wish) -> None:
    total, seen, start = count(wish), [], 0
    while True:
        r = wish.call("noti/fetch-unviewed", "GET", start=start, limit=5)
        body = r.json()
        seen += [n["GetNotiResponse"]["id"] for n in body["data"]]
        assert len(body["data"]) <= 5
        assert ("previous" in body["paging"]) == (start > 0)
        if "next" not in body["paging"]:
            break
        start += 5
    assert len(seen) == len(set(seen)) == total == len(all_unviewed(wish))


def test_paging_defaults_and_end(wish: Wish) -> None:
    total = count(wish)
    assert len(unviewed(wish)) == min(total, 50)  # default limit 50, start 0
    r = wish.call("noti/fetch-unviewed", "GET", start=total, limit=5)
    assert r.json()["data"] == [] and "next" not in r.json()["paging"]
    r = wish.call("noti/fetch-unviewed", "GET", start=10_000, limit=5)
    assert r.json()["data"] == [] and "next" not in r.json()["paging"]


@pytest.mark.parametrize("limit", ["0", "501"])
def test_limit_out_of_range(wish: Wish, limit: str) -> None:
    body = wish.err("noti/fetch-unviewed", 1000, 400, "GET", limit=limit)
    assert body["message"] == message("out_of_range", param="limit", low=1, high=500, value=limit)


def test_invalid_start(wish: Wish) -> None:
    body = wish.err("noti/fetch-unviewed", 1000, 400, "GET", start="abc")
    assert body["message"] == message("invalid_param", value="abc", param="start")
    body = wish.err("noti/fetch-unviewed", 1000, 400, "GET", start="-1")
    assert body["message"] == message("out_of_range", param="start", low=0, high=10_000_000, value="-1")


def test_xml(wish: Wish) -> None:
    r = wish.call("noti/fetch-unviewed", "GET", format="xml", limit=3)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/xml")
    root = ET.fromstring(r.content)
    found = [{k: e.findtext(k) for k in ("id", "title", "message", "perma_link")} for e in root.iter("GetNotiResponse")]
    assert found == unviewed(wish, limit=3)
    assert root.find("paging/next") is not None


# ---- mark-as-viewed ------------------------------------------------------------------------------------------

def test_mark_as_viewed_then_again(wish: Wish) -> None:
    target = unviewed(wish)[3]["id"]
    before = count(wish)
    assert wish.ok("noti/mark-as-viewed", "POST", noti_id=target) == {"success": True}
    assert count(wish) == before - 1 and target not in {n["id"] for n in all_unviewed(wish)}
    body = wish.err("noti/mark-as-viewed", 1002, 400, "POST", noti_id=target)
    assert body["message"] == message(NOTIFICATION_ALREADY_VIEWED, id=target)
    assert count(wish) == before - 1


def test_noti_id_wins_over_id(wish: Wish) -> None:
    a, b = (n["id"] for n in unviewed(wish, limit=2))
    wish.ok("noti/mark-as-viewed", "POST", noti_id=a, id=b)
    left = {n["id"] for n in all_unviewed(wish)}
    assert a not in left and b in left


def test_mark_as_viewed_errors(wish: Wish) -> None:
    body = wish.err("noti/mark-as-viewed", 1001, 400, "POST")
    assert body["message"] == message("missing_either", a="noti_id", b="id")
    body = wish.err("noti/mark-as-viewed", 1000, 400, "POST", noti_id="98753984xxxxxxx")  # the SDK example's id
    assert body["message"] == message("invalid_id", value="98753984xxxxxxx")
    body = wish.err("noti/mark-as-viewed", 1004, 400, "POST", noti_id=NOWHERE)
    assert body["message"] == message(NOTIFICATION_NOT_FOUND, id=NOWHERE)


def test_mark_as_viewed_translated(wish: Wish) -> None:
    body = wish.err("noti/mark-as-viewed", 1004, 400, "POST", noti_id=NOWHERE, locale="zh")
    assert body["message"] == message(NOTIFICATION_NOT_FOUND, "zh", id=NOWHERE)
    target = unviewed(wish)[0]["id"]
    wish.ok("noti/mark-as-viewed", "POST", id=target)
    body = wish.err("noti/mark-as-viewed", 1002, 400, "POST", id=target, locale="de")
    assert body["message"] == message(NOTIFICATION_ALREADY_VIEWED, "de", id=target)


def test_scopes(wish: Wish) -> None:
    reader = wish.as_(minted_token(wish.client, ["notifications:read"]))
    target = unviewed(reader)[0]["id"]
    assert count(reader) == count(wish)
    body = reader.err("noti/mark-as-viewed", 4000, 401, "POST", noti_id=target)
    assert body["message"] == message("insufficient_scope")
    writer = wish.as_(minted_token(wish.client, ["notifications:write"]))
    assert writer.ok("noti/mark-as-viewed", "POST", noti_id=target) == {"success": True}
    writer.err("noti/fetch-unviewed", 4000, 401, "GET")
    writer.err("noti/get-unviewed-count", 4000, 401, "GET")


# ---- tenant isolation ----------------------------------------------------------------------------------------

def test_tenant_isolation(client: TestClient, wish: Wish, other: Wish) -> None:
    mine, theirs = all_unviewed(wish), all_unviewed(other)
    assert theirs and not {n["id"] for n in mine} & {n["id"] for n in theirs}
    assert count(other) == len(theirs)
    posted(client, count=3)  # the default merchant's
    assert count(other) == len(theirs) and count(wish) == len(mine) + 3
    # another merchant's notification answers exactly as one that does not exist, and stays unviewed
    foreign = theirs[0]["id"]
    body = wish.err("noti/mark-as-viewed", 1004, 400, "POST", noti_id=foreign)
    assert body == {**wish.err("noti/mark-as-viewed", 1004, 400, "POST", noti_id=NOWHERE),
                    "message": message(NOTIFICATION_NOT_FOUND, id=foreign)}
    assert foreign in {n["id"] for n in all_unviewed(other)}
    assert other.ok("noti/mark-as-viewed", "POST", noti_id=foreign) == {"success": True}


# ---- sandbox ---------------------------------------------------------------------------------------------

def test_sandbox_posts_notifications(client: TestClient, wish: Wish) -> None:
    before = count(wish)
    made = posted(client, count=3)
    assert len(made) == 3 and count(wish) == before + 3
    assert [n["id"] for n in unviewed(wish, limit=3)] == [n["id"] for n in reversed(made)]
    assert unviewed(wish, limit=3)[0] == made[-1]  # as the API renders it


def test_sandbox_fields_and_kind(client: TestClient, wish: Wish) -> None:
    made = posted(client, title="Payment on hold", message="Your payment is on hold pending review.",
                  perma_link="https://merchant.wish.com/payments")[0]
    assert {k: made[k] for k in ("title", "message", "perma_link")} == {
        "title": "Payment on hold", "message": "Your payment is on hold pending review.",
        "perma_link": "https://merchant.wish.com/payments"}
    refund = posted(client, kind="refund", title="Refund!")[0]
    assert refund["title"] == "Refund!" and refund["perma_link"].startswith("https://merchant.wish.com/transaction/")
    order_id = refund["perma_link"].rsplit("/", 1)[1]
    assert wish.ok("order", "GET", id=order_id)["Order"]["state"] == "REFUNDED"


def test_sandbox_merchant_id(client: TestClient, wish: Wish, other: Wish) -> None:
    other_id = other.ok("auth_test", "GET")["merchant_id"]
    before_mine, before_theirs = count(wish), count(other)
    r = post(client, None, merchant_id=other_id, count=2)
    assert r.status_code == 200 and r.json()["merchant_id"] == other_id
    assert count(other) == before_theirs + 2 and count(wish) == before_mine


def test_sandbox_seed_repeats_texts_not_ids(client: TestClient, other: Wish) -> None:
    a, b = posted(client, count=4, seed=7), posted(client, count=4, seed=7)
    assert [{**n, "id": ""} for n in a] == [{**n, "id": ""} for n in b]
    assert not {n["id"] for n in a} & {n["id"] for n in b}
    c = posted(client, count=4, seed=7, token=SECOND_TOKEN)  # another merchant: its own ids as well
    assert {n["id"] for n in c} <= {n["id"] for n in all_unviewed(other)}


@pytest.mark.parametrize(("body", "code"), [
    ({"count": 0}, 1000), ({"count": generate.MAX_COUNT + 1}, 1000), ({"kind": "gossip"}, 1000),
    ({"colour": "red"}, 1000), ({"title": 5}, 1000), ({"merchant_id": NOWHERE}, 1000)])
def test_sandbox_refusals(client: TestClient, body: dict[str, Any], code: int) -> None:
    r = post(client, **body)
    assert r.status_code == 400 and r.json()["code"] == code, r.text


def test_sandbox_needs_a_merchant(client: TestClient) -> None:
    r = post(client, None)
    assert r.status_code == 400 and r.json()["code"] == 1001
    assert r.json()["message"] == message("missing_either", a="merchant_id", b="Authorization: Bearer <token>")
    r = post(client, "not_a_token")
    assert r.status_code == 401 and r.json()["code"] == 4000


# ---- seed ------------------------------------------------------------------------------------------------

def test_seed_links_name_the_merchants_own_things(client: TestClient, wish: Wish) -> None:
    releases = {u["SystemUpdatesResponse"]["id"] for u in wish.ok("fetch-sys-updates-noti", "GET")}
    infractions = {i["Infraction"]["id"] for stage in (1, 2, 3)
                   for i in wish.ok("get/infractions", "GET", stage=stage)["InfractionsResponse"]["infractions"]}
    merchant_id = wish.ok("auth_test", "GET")["merchant_id"]
    tickets = set(on_store(client, lambda conn: [r[0] for r in conn.execute(
        select(table_of(Ticket).c.id).where(table_of(Ticket).c.merchant_id == merchant_id))]))
    kinds = set()
    for n in all_unviewed(wish):
        link = n["perma_link"]
        assert link.startswith("https://merchant.wish.com/"), link
        last = link.rsplit("/", 1)[1]
        if "/release/" in link:
            kinds.add("release")
            assert last in releases
        elif "/warning/view/" in link:
            kinds.add("infraction")
            assert last in infractions
        elif "/transaction/" in link:
            wish.ok("order", "GET", id=last)
        elif "/product/edit/" in link:
            wish.ok("product", "GET", id=last)
        elif "/ticket/" in link:
            assert last in tickets
    assert {"release", "infraction"} <= kinds
    assert count(wish) >= 15


# ---- rules and generators ------------------------------------------------------------------------------

def test_rule_check_unviewed() -> None:
    with pytest.raises(WishError) as e:
        rules.check_unviewed(None, NOWHERE)
    assert e.value.code == 1004 and e.value.message() == message(NOTIFICATION_NOT_FOUND, id=NOWHERE)
    with pytest.raises(WishError) as e:
        rules.check_unviewed({"id": NOWHERE, "viewed": True}, NOWHERE)
    assert e.value.code == 1002
    row = {"id": NOWHERE, "viewed": False}
    assert rules.check_unviewed(row, NOWHERE) is row
    now = datetime(2024, 5, 1, 12)
    assert rules.viewed(now) == {"viewed": True, "viewed_at": now}


def test_generator_text_needs_something_to_name() -> None:
    empty = content.Context(merchant_id=NOWHERE, currency="USD")
    rng, now = random.Random(1), datetime(2024, 5, 1)
    for kind in ("refund", "product_rejected", "ticket", "system_update", "orders_to_fulfill", "low_inventory"):
        with pytest.raises(WishError) as e:
            generate.text(rng, empty, now, kind)
        assert e.value.code == 1000
    for _ in range(20):  # without a kind: one the merchant has something for
        title, _message, link = generate.text(rng, empty, now)
        assert title and link.startswith("https://merchant.wish.com/")
    full = content.Context(merchant_id=NOWHERE, currency="CNY", refunded=[("b" * 24, "Item is damaged")])
    title, text, link = generate.text(rng, full, now, "refund")
    assert "b" * 24 in title and "Item is damaged" in text and link.endswith("/transaction/" + "b" * 24)
    assert "CNY" in generate.text(rng, full, now, "payment")[1]
