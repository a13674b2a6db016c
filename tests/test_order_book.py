"""The multi-get served as a slice of the merchant's book of rendered orders (mockwish.merchant.orders.book)
answers exactly what the page by page join answers, and never a stale page: a write to any order of the
merchant, the clock moving a fulfilment countdown, a raw SQL change and a rolled-back write each drop it."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Connection
from starlette.testclient import TestClient

from mockwish.merchant.orders.book import ATTEMPT_EVERY, Book
from support import SECOND_TOKEN, Wish, freeze, on_store


def mid(wish: Wish) -> str:
    return str(wish.ok("auth_test")["merchant_id"])


def pages(wish: Wish, limit: int = 40, **params: Any) -> list[dict[str, Any]]:
    """Every order of the listing, page by page, with the paging links checked as a client follows them."""
    out: list[dict[str, Any]] = []
    while True:
        r = wish.call("order/multi-get", "GET", start=len(out), limit=limit, **params)
        body = r.json()
        assert body["code"] == 0, body
        out += body["data"]
        if "next" not in body["paging"]:
            return out


def book_of(client: TestClient, merchant: str, show: bool = False) -> Book | None:
    cache = client.app.state.ctx.read_cache  # type: ignore[attr-defined]
    on_store(client, cache.sync)
    return cache.get(("order-book", merchant, show))  # type: ignore[no-any-return]


def with_book(client: TestClient, wish: Wish, **params: Any) -> list[dict[str, Any]]:
    """The listing read page by page until the book is made (every order cached, then ATTEMPT_EVERY pages);
    answers the listing as read before the book."""
    before = pages(wish, **params)
    for _ in range(ATTEMPT_EVERY):
        wish.ok("order/multi-get", "GET", start=0, limit=1, **params)
    assert book_of(client, mid(wish), bool(params.get("show_original_shipping_detail"))) is not None
    return before


def test_a_page_from_the_book_is_the_page_without_it(client: TestClient, wish: Wish) -> None:
    freeze(client)
    before = with_book(client, wish)
    assert pages(wish) == before
    for limit in (1, 7, 250):
        assert pages(wish, limit=limit) == before
    assert wish.ok("order/multi-get", "GET", start=len(before) + 5) == []
    since = before[len(before) // 2]["Order"]["last_updated"]
    windowed = [o for o in before if o["Order"]["last_updated"] >= since]
    assert pages(wish, since=since) == windowed


def test_a_write_drops_the_book(client: TestClient, wish: Wish) -> None:
    freeze(client)
    with_book(client, wish)
    oid = wish.ok("order/get-fulfill", "GET", limit=1)[0]["Order"]["order_id"]
    wish.ok("order/fulfill-one", id=oid, tracking_provider="USPS", tracking_number="9400100000000000000000",
            origin_country_code="CN")
    assert book_of(client, mid(wish)) is None
    after = pages(wish)
    assert after[-1]["Order"]["order_id"] == oid and after[-1]["Order"]["state"] == "SHIPPED"


def test_raw_sql_and_another_merchants_write(client: TestClient, wish: Wish) -> None:
    second = Wish(client, SECOND_TOKEN)
    freeze(client)
    before = with_book(client, wish)
    other = second.ok("order/get-fulfill", "GET", limit=1)[0]["Order"]["order_id"]
    second.ok("order/fulfill-one", id=other, tracking_provider="USPS", tracking_number="9400100000000000000001",
              origin_country_code="CN")
    assert book_of(client, mid(wish)) is not None  # another merchant's orders are not in this book
    oid = before[0]["Order"]["order_id"]
    on_store(client, lambda conn: conn.exec_driver_sql(
        "UPDATE orders SET last_updated = '2001-01-01 00:00:00.000000', product_name = 'Changed By SQL' "
        "WHERE id = ?", (oid,)))
    assert book_of(client, mid(wish)) is None
    first = pages(wish)[0]["Order"]
    assert first["order_id"] == oid and first["product_name"] == "Changed By SQL"


def test_the_clock_moving_a_countdown_leaves_the_book(client: TestClient, wish: Wish, advance: Any) -> None:
    freeze(client)
    before = with_book(client, wish)
    counting = [o["Order"] for o in before if "hours_to_fulfill" in o["Order"]]
    assert counting, "the seed holds APPROVED orders with a fulfilment countdown"
    advance(2 * 3600 + 1)
    after = {o["Order"]["order_id"]: o["Order"] for o in pages(wish)}
    moved = [o for o in counting if after[o["order_id"]]["hours_to_fulfill"] != o["hours_to_fulfill"]]
    assert moved, "two hours later every countdown shows fewer hours"


def test_show_original_shipping_detail_has_a_book_of_its_own(client: TestClient, wish: Wish) -> None:
    freeze(client)
    plain = with_book(client, wish)
    shown = with_book(client, wish, show_original_shipping_detail="true")
    assert pages(wish) == plain and pages(wish, show_original_shipping_detail="true") == shown
    assert len(shown) == len(plain)


def test_xml_pages_are_not_taken_from_the_book(client: TestClient, wish: Wish) -> None:
    freeze(client)
    with_book(client, wish)
    r = wish.call("order/multi-get", "GET", start=0, limit=2, format="xml")
    assert r.status_code == 200 and r.text.lstrip().startswith("<")


def test_a_rolled_back_write_leaves_the_committed_pages(client: TestClient, wish: Wish) -> None:
    freeze(client)
    before = with_book(client, wish)
    cache = client.app.state.ctx.read_cache  # type: ignore[attr-defined]
    merchant = mid(wish)

    def write_then_fail(conn: Connection) -> None:
        conn.exec_driver_sql("UPDATE orders SET product_name = 'Never Committed' WHERE id = ?",
                             (before[0]["Order"]["order_id"],))
        cache.sync(conn)  # the uncommitted change drops the book
        assert cache.get(("order-book", merchant, False)) is None
        raise RuntimeError("the request failed after its write")

    with pytest.raises(RuntimeError):
        on_store(client, write_then_fail)
    assert pages(wish) == before


def test_no_book_while_orders_keep_changing(client: TestClient, wish: Wish) -> None:
    """A book is looked for only after ATTEMPT_EVERY pages with no order change: a merchant whose orders change
    every few pages never pays for a book the next change would drop."""
    freeze(client)
    with_book(client, wish)
    approved = [o["Order"]["order_id"] for o in wish.ok("order/get-fulfill", "GET", limit=6)]
    for n, oid in enumerate(approved):
        wish.ok("order/fulfill-one", id=oid, tracking_provider="USPS", tracking_number=f"94001000000000000000{n:02d}",
                origin_country_code="CN")
        for _ in range(ATTEMPT_EVERY // 2):
            wish.ok("order/multi-get", "GET", start=0, limit=1)
        assert book_of(client, mid(wish)) is None
    for _ in range(ATTEMPT_EVERY):
        wish.ok("order/multi-get", "GET", start=0, limit=1)
    assert book_of(client, mid(wish)) is not None  # quiet again: the book is back
