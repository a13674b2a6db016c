"""The paging back link, read the way the official PHP SDK's pager reads it (issue #10).

The merchant doc's overview says `prev`; every example response of its sections (product and variant
multi-get, notifications) says `previous`, and so does the supplement's decision. The SDK's pager
(getResponseIter) asks the endpoint for `start`/`limit`, moves `start` by `limit`
while `paging.next` is set, and on each page checks whether `prev` is set before it reads `previous`. With
the default settings the mock sends `previous` (what the pager reads and the examples show);
MOCKWISH_PAGING_BACK_LINK=prev still sends `prev` for clients written against the overview."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from starlette.testclient import TestClient

from mockwish.app import create_app
from mockwish.config import Settings
from support import DEFAULT_TOKEN

SINCE = "2014-10-15"  # the date of the docs' multi-get examples: before every seeded change


@dataclass
class Page:
    start: int
    ids: list[str]
    prev_is_set: bool  # isset($paging->prev)
    previous: str | None  # $paging->previous (null when absent)
    next: str | None


@dataclass
class PhpPager:
    """getResponseIter as the SDK writes it: GET the endpoint with start/limit (and the caller's params),
    collect `data`, and go on with start + limit while the answer has `paging.next`."""

    client: TestClient
    limit: int
    pages: list[Page] = field(default_factory=list)

    def get_all(self, endpoint: str, key: str, id_field: str = "id", **params: str) -> list[str]:
        start, items = 0, []
        while True:
            r = self.client.get(f"/api/v2/{endpoint}", params={
                "access_token": DEFAULT_TOKEN, "start": str(start), "limit": str(self.limit), **params})
            body = r.json()
            assert r.status_code == 200 and body["code"] == 0, (endpoint, start, r.text)
            paging: dict[str, Any] = body.get("paging") or {}
            ids = [entity[key][id_field] for entity in body["data"]]
            self.pages.append(Page(start, ids, "prev" in paging, paging.get("previous"), paging.get("next")))
            items += ids
            if not paging.get("next"):
                return items
            # the SDK moves start itself; the link the mock sends says the same
            assert parse_qs(urlsplit(paging["next"]).query)["start"] == [str(start + self.limit)]
            start += self.limit


def one_page(client: TestClient, endpoint: str, key: str, id_field: str, limit: int, **params: str) -> list[str]:
    """Every item in one answer (the reference the pager's walk is compared with)."""
    body = client.get(f"/api/v2/{endpoint}", params={"access_token": DEFAULT_TOKEN, "limit": str(limit),
                                                     **params}).json()
    assert body["code"] == 0 and "next" not in (body.get("paging") or {}), body.get("paging")
    return [entity[key][id_field] for entity in body["data"]]


LISTS = [
    # (endpoint, entity key, id field, the endpoint's largest limit, extra params)
    pytest.param("product/multi-get", "Product", "id", 250, {}, id="products"),
    pytest.param("variant/multi-get", "Variant", "id", 500, {}, id="variants"),
    # getAllChangedOrdersSince($time): order/multi-get with `since`
    pytest.param("order/multi-get", "Order", "order_id", 500, {"since": SINCE}, id="changed-orders"),
]


@pytest.mark.parametrize(("endpoint", "key", "id_field", "largest", "params"), LISTS)
def test_php_pager_reads_previous_on_every_page_after_the_first(
        client: TestClient, endpoint: str, key: str, id_field: str, largest: int, params: dict[str, str]) -> None:
    everything = one_page(client, endpoint, key, id_field, largest, **params)
    assert len(everything) > 14, "the list must span several pages of the pager"
    pager = PhpPager(client, limit=7)
    walked = pager.get_all(endpoint, key, id_field, **params)
    # every item exactly once
    assert len(walked) == len(set(walked)) and sorted(walked) == sorted(everything)
    assert len(pager.pages) >= 3
    first, *later = pager.pages
    assert first.previous is None and not first.prev_is_set, "the first page has no back link"
    for page in later:
        assert not page.prev_is_set, (endpoint, page.start)  # `prev` is never sent by default
        assert page.previous is not None, (endpoint, page.start)
        back = urlsplit(page.previous)
        assert back.path == f"/api/v2/{endpoint}"
        query = parse_qs(back.query)
        assert query["start"] == [str(page.start - 7)] and query["limit"] == ["7"]
        assert query["access_token"] == [DEFAULT_TOKEN]
        for name, value in params.items():  # the back link repeats the caller's parameters too
            assert query[name] == [value]
    assert pager.pages[-1].next is None


@pytest.fixture(scope="module")
def prev_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """A second mock, run with MOCKWISH_PAGING_BACK_LINK=prev."""
    data: Path = tmp_path_factory.mktemp("prev-link")
    app = create_app(Settings(data_dir=data, products_per_merchant=6, seed=42, paging_back_link="prev"))
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


@pytest.mark.parametrize(("endpoint", "key", "id_field", "largest", "params"), LISTS)
def test_the_setting_still_emits_prev(prev_client: TestClient, endpoint: str, key: str, id_field: str,
                                      largest: int, params: dict[str, str]) -> None:
    everything = one_page(prev_client, endpoint, key, id_field, largest, **params)
    pager = PhpPager(prev_client, limit=3)
    walked = pager.get_all(endpoint, key, id_field, **params)
    assert sorted(walked) == sorted(everything) and len(walked) == len(set(walked))
    first, *later = pager.pages
    assert later and not first.prev_is_set and first.previous is None
    for page in later:
        # the SDK's isset($paging->prev) holds, and the `previous` it then reads is not there
        assert page.prev_is_set and page.previous is None, (endpoint, page.start)
    body = prev_client.get(f"/api/v2/{endpoint}", params={
        "access_token": DEFAULT_TOKEN, "start": "3", "limit": "3", **params}).json()
    assert set(body["paging"]) == {"next", "prev"}
    assert parse_qs(urlsplit(body["paging"]["prev"]).query)["start"] == ["0"]
