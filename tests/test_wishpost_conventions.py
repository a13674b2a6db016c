"""The v3 query conventions of wishpost-v3-api-3.0.6 ("General Querying Techniques"): `fields` partial
responses, `sort_by`, the inclusive `{attr}_min`/`{attr}_max` range and `limit`, applied by the one WishPost
pipeline to every v3 GET (mockwish.wishpost.conventions). The domain functions are tested directly; the
pipeline through order_status, a v3 GET that answers a list."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient
from wishpost_support import DEFAULT_WISHPOST_TOKEN, bearer, v3_sandbox_parcels

from mockwish.errors import WishError, message
from mockwish.wishpost import conventions as c

STATUS = "/wishpost/api/v3/order_status"
CARRIER_KEY = "an_example_carrier_key"


# ---- fields ------------------------------------------------------------------------------------------------

def test_the_documents_example_selection() -> None:
    """3.0.6: `fields=title,items(id,info/name)` keeps exactly those, in every item of a list."""
    body = {"timestamp": "t", "code": 0, "message": "", "title": "demo", "extra": 1,
            "items": [{"id": "1", "info": {"name": "demo_item_1", "size": 3}, "other": True},
                      {"id": "2", "info": {"name": "demo_item_2"}}]}
    assert c.partial(body, c.parse_fields("title,items(id,info/name)")) == {
        "timestamp": "t", "code": 0, "message": "", "title": "demo",
        "items": [{"id": "1", "info": {"name": "demo_item_1"}}, {"id": "2", "info": {"name": "demo_item_2"}}]}


def test_data_may_be_left_out_of_the_expression() -> None:
    body = {"timestamp": "t", "code": 0, "message": "", "data": {"announcements": [{"title": "a", "url": "u"}]}}
    for text in ("announcements(title)", "data/announcements(title)", "data(announcements/title)"):
        assert c.partial(body, c.parse_fields(text))["data"] == {"announcements": [{"title": "a"}]}, text


def test_wildcards_and_repeated_paths_merge() -> None:
    value = {"a": {"b": {"x": 1, "y": 2}, "c": 3, "d": 4}}
    assert c.select(value, c.parse_fields("a/b/*,a/c")) == {"a": {"b": {"x": 1, "y": 2}, "c": 3}}
    assert c.select(value, c.parse_fields("a(b/x),a(c)")) == {"a": {"b": {"x": 1}, "c": 3}}
    assert c.select(value, c.parse_fields("*")) == value
    assert c.parse_fields("a/b,a") == {"a": None}  # the whole of `a` wins over a part of it


@pytest.mark.parametrize("text", ["", " ", "a(", "a,,b", "a)", "(a)", "a/", "a(b))", "a b(", "a;b", "a(()"])
def test_an_expression_that_does_not_parse_is_1000(text: str) -> None:
    with pytest.raises(WishError) as err:
        c.parse_fields(text)
    assert err.value.code == 1000 and err.value.status == 400


def test_nesting_is_bounded() -> None:
    with pytest.raises(WishError):
        c.parse_fields("a(" * 40 + "b" + ")" * 40)


# ---- sort_by, ranges, limit --------------------------------------------------------------------------------

ANNOUNCEMENTS = c.Collection("data", sortable=("publish_time", "title"), ranges=("publish_time",),
                             aliases={"created_at": "publish_time"}, max_limit=50)
ITEMS = [{"publish_time": "2018-08-28", "title": "b"}, {"publish_time": "2018-05-21", "title": "a"},
         {"publish_time": "2018-09-01", "title": "c"}, {"title": "no date"}]


def narrowed(**raw: str) -> list[Any]:
    narrowing = c.parse(raw, ANNOUNCEMENTS).narrowing
    assert narrowing is not None
    return c.narrow(list(ITEMS), narrowing)


def test_sort_by_either_direction_keeps_items_without_the_attribute_last() -> None:
    assert [i["title"] for i in narrowed(sort_by="publish_time.asc")] == ["a", "b", "c", "no date"]
    assert [i["title"] for i in narrowed(sort_by="publish_time.desc")] == ["c", "b", "a", "no date"]
    assert [i["title"] for i in narrowed(sort_by="title")] == ["a", "b", "c", "no date"]  # no direction: asc


def test_the_documents_paging_example() -> None:
    """`limit=20&created_at_max=2020-04-08T23:59:59Z&sort_by=created_at_max.desc`: the bounds are inclusive,
    and the next page moves the bound to the last item's value."""
    first = narrowed(limit="1", created_at_max="2018-08-31T23:59:59Z", sort_by="created_at_max.desc")
    assert [i["title"] for i in first] == ["b"]
    after = narrowed(limit="5", publish_time_max="2018-08-27", sort_by="publish_time.desc")
    assert [i["title"] for i in after] == ["a"]
    assert [i["title"] for i in narrowed(publish_time_min="2018-08-28", publish_time_max="2018-08-28")] == ["b"]


@pytest.mark.parametrize("raw", [{"sort_by": "nope.asc"}, {"sort_by": "title.sideways"}, {"limit": "0"},
                                 {"limit": "51"}, {"limit": "ten"}, {"publish_time_min": "yesterday"}])
def test_bad_sorting_and_paging_are_1000(raw: dict[str, str]) -> None:
    with pytest.raises(WishError) as err:
        narrowing = c.parse(raw, ANNOUNCEMENTS).narrowing
        assert narrowing is not None
        c.narrow(list(ITEMS), narrowing)
    assert err.value.code == 1000 and err.value.status == 400


def test_sort_by_on_an_api_without_a_list_is_1000() -> None:
    with pytest.raises(WishError):
        c.parse({"sort_by": "x.asc"}, None)
    assert c.parse({"fields": "a"}, None).narrowing is None


# ---- through the pipeline: order_status ----------------------------------------------------------------------

def _ids(client: TestClient, count: int = 3) -> list[str]:
    return [p["wish_standard_tracking_id"] for p in v3_sandbox_parcels(client, "accepted", count=count)]


def _status(client: TestClient, ids: list[str], **params: str) -> Any:
    return client.get(STATUS, params={"wish_standard_tracking_ids": ",".join(ids), **params},
                      headers=bearer(DEFAULT_WISHPOST_TOKEN))


def test_fields_on_a_get_keeps_the_envelope_and_the_selection(client: TestClient) -> None:
    ids = _ids(client)
    body = _status(client, ids, fields="orders(wish_standard_tracking_id,state_code)").json()
    assert set(body) == {"timestamp", "code", "message", "orders"}
    assert [set(o) for o in body["orders"]] == [{"wish_standard_tracking_id", "state_code"}] * 3


def test_sort_by_and_limit_on_a_get(client: TestClient) -> None:
    ids = _ids(client, 4)
    r = _status(client, ids, sort_by="wish_standard_tracking_id.desc", limit="2")
    assert r.status_code == 200, r.text
    assert [o["wish_standard_tracking_id"] for o in r.json()["orders"]] == sorted(ids, reverse=True)[:2]
    r = _status(client, ids, state_code_min="6", state_code_max="6")  # all Accepted
    assert len(r.json()["orders"]) == 4


def test_a_post_is_not_narrowed(client: TestClient) -> None:
    """The conventions are the GET endpoints' (3.0.6); a POST body's keys are left to the operation."""
    ids = _ids(client, 2)
    r = client.post(STATUS, json={"access_token": DEFAULT_WISHPOST_TOKEN, "wish_standard_tracking_ids": ids,
                                  "fields": "orders(state_code)", "limit": "1"})
    assert len(r.json()["orders"]) == 2 and len(r.json()["orders"][0]) > 1


@pytest.mark.parametrize("locale", ["en", "zh"])
def test_a_bad_convention_answers_1000_in_the_calls_language(client: TestClient, locale: str) -> None:
    ids = _ids(client, 1)
    r = _status(client, ids, fields="orders(", locale=locale)
    assert r.status_code == 400 and r.json()["code"] == 1000
    assert r.json()["message"] == message("wp_invalid_fields", locale, value="orders(",
                                          reason="a field name expected at position 8")
    r = _status(client, ids, sort_by="colour.asc", locale=locale)
    assert r.status_code == 400 and r.json()["code"] == 1000 and "colour.asc" in r.json()["message"]


def test_authentication_comes_before_the_conventions(client: TestClient) -> None:
    r = client.get(STATUS, params={"fields": "(("})
    assert r.status_code == 400 and r.json()["code"] == 1001  # the token is missing, not the fields
    r = client.get(STATUS, params={"fields": "(("}, headers={"X-API-Key": CARRIER_KEY})
    assert r.status_code == 401 and r.json() == {**r.json(), "code": 4000, "message": "API key is unauthorized"}


def test_every_response_carries_a_request_id(client: TestClient) -> None:
    ids = _ids(client, 1)
    assert len(_status(client, ids).headers["Wish-Request-Id"]) == 32
    assert len(_status(client, ids, fields="((").headers["Wish-Request-Id"]) == 32


# ---- list parameters in every form, on every v3 operation ----------------------------------------------------

@pytest.mark.parametrize("query", ["channels[]=36-1&channels[]=0", "channels[]=36-1,0",
                                   "channels[0]=36-1&channels[1]=0", "channels=36-1&channels=0", "channels=36-1,0"])
def test_a_list_in_any_form(client: TestClient, query: str) -> None:
    r = client.get(f"/wishpost/api/v3/get_channels?{query}", headers=bearer(DEFAULT_WISHPOST_TOKEN))
    assert r.status_code == 200, r.text
    assert sorted(c["otype"] for c in r.json()["channels"]) == ["0", "36-1"]


@pytest.mark.parametrize("body", [{"channels": {"36-1": 1}}, {"channels": [[1]]}, {"channels": [None]}])
def test_a_json_value_that_is_not_a_list_of_names_is_1000(client: TestClient, body: dict[str, Any]) -> None:
    r = client.post("/wishpost/api/v3/get_channels", json=body, headers=bearer(DEFAULT_WISHPOST_TOKEN))
    assert r.status_code == 400 and r.json()["code"] == 1000, r.text


def test_bounds_far_outside_the_calendar_are_1000_not_a_crash(client: TestClient) -> None:
    for bound in ("publish_time_min=0001-01-01T00:00:00%2B08:00", "publish_time_max=9999-12-31T23:59:59-08:00"):
        r = client.get(f"/wishpost/api/v3/announcements?{bound}", headers=bearer(DEFAULT_WISHPOST_TOKEN))
        assert r.status_code == 400 and r.json()["code"] == 1000, r.text


def test_the_documents_paging_request_on_announcements(client: TestClient) -> None:
    """3.0.6's own example: limit, created_at_max and sort_by=created_at_max.desc (created_at: publish_time)."""
    r = client.get("/wishpost/api/v3/announcements?limit=3&created_at_max=2999-01-01T23:59:59Z"
                   "&sort_by=created_at_max.desc", headers=bearer(DEFAULT_WISHPOST_TOKEN))
    assert r.status_code == 200, r.text
    times = [a["publish_time"] for a in r.json()["data"]]
    assert len(times) == 3 and times == sorted(times, reverse=True)
    later = client.get(f"/wishpost/api/v3/announcements?created_at_max={times[-1]}&sort_by=created_at.desc",
                       headers=bearer(DEFAULT_WISHPOST_TOKEN)).json()["data"]
    assert all(a["publish_time"] <= times[-1] for a in later) and later
