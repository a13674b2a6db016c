"""WishPost bags over HTTP (wishpost-api.txt "Create Orders Bag", "Query Orders Bag", "Download Bag Label",
"Cancel Orders Bag"): the four operations, their documented errors and list forms, the docs' example requests
replayed, states moving with the mock's clock, isolation between users and carriers, the label PDF, the
sandbox's bags and the seeded ones."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import select
from starlette.testclient import TestClient
from wishpost_support import DEFAULT_WISHPOST_TOKEN, SECOND_WISHPOST_TOKEN, bearer, user_id, v3_sandbox_parcels

from mockwish.errors import message
from mockwish.seed.wishpost import DEFAULT_CARRIER_KEY
from mockwish.store.tables import WishPostBag, table_of
from mockwish.wishpost.bags import errors, render
from mockwish.wishpost.bags.rules import STATE_NAMES, hub_of_parcel
from support import freeze

CREATE = "/wishpost/api/v3/orders_bag/create"
QUERY = "/wishpost/api/v3/orders_bag"
CANCEL = "/wishpost/api/v3/orders_bag/cancel"
LABEL = "/wishpost/api/v3/orders_bag/download_label"
SANDBOX_BAGS = "/sandbox/api/wishpost/bags"
PORT = "http://testserver:8001"  # the WishPost port of the test settings
CARRIER = {"X-API-Key": DEFAULT_CARRIER_KEY}
A, B = bearer(DEFAULT_WISHPOST_TOKEN), bearer(SECOND_WISHPOST_TOKEN)
TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")
BAG_NUMBER = re.compile(r"WI\d{16}BAG")
STEP = 6 * 3600  # wishpost_tracking_step_seconds (default)
PICKUP = 12 * 3600  # wishpost_bag_pickup_seconds (default)
CREATED, SHIPPING, CANCELLED, TERMINATED, ABNORMAL = 0, 1, 2, 3, 4


# ---- helpers -------------------------------------------------------------------------------------------------

def v3(r: Any, status: int = 200, code: int = 0) -> dict[str, Any]:
    """A v3 answer: the HTTP status, the flat envelope (timestamp, message, integer code)."""
    assert r.status_code == status, (r.status_code, r.text[:800])
    assert r.headers["content-type"].startswith("application/json") and r.headers.get("wish-request-id")
    body: dict[str, Any] = r.json()
    assert type(body["code"]) is int and body["code"] == code, body
    assert TIMESTAMP.fullmatch(body["timestamp"]) and isinstance(body["message"], str), body
    return body


def parcels(client: TestClient, count: int = 2, token: str = DEFAULT_WISHPOST_TOKEN, state: str = "accepted",
            channel: str = "36-1") -> list[dict[str, Any]]:
    """EPC parcels (bound for hub 3001) of the token's user."""
    return v3_sandbox_parcels(client, state, token, count, channel=channel)


def codes_of(found: list[dict[str, Any]]) -> list[str]:
    return [p["logistics_order_code"] for p in found]


def create(client: TestClient, codes: list[str], headers: dict[str, str] | None = None, hub: Any = 3001,
           service: Any = "9999", **extra: Any) -> Any:
    body = {"hub_warehouse_code": hub, "pickup_service": service, "logistics_order_codes": codes, **extra}
    return client.post(CREATE, json=body, headers=A if headers is None else headers)


def make_bag(client: TestClient, codes: list[str], headers: dict[str, str] | None = None) -> str:
    body = v3(create(client, codes, headers))
    number: str = body["bag_number"]
    return number


def query(client: TestClient, headers: dict[str, str] | None = None, /, **params: Any) -> dict[str, Any]:
    return v3(client.get(QUERY, params=params, headers=A if headers is None else headers))


def bag_of(client: TestClient, number: str, headers: dict[str, str] | None = None,
           locale: str = "en") -> dict[str, Any]:
    (bag,) = query(client, headers, **{"bag_numbers[]": number, "locale": locale})["bags"]
    return bag


def sandbox_bag(client: TestClient, token: str = DEFAULT_WISHPOST_TOKEN, **body: Any) -> dict[str, Any]:
    r = client.post(SANDBOX_BAGS, json=body, headers=bearer(token))
    assert r.status_code == 200, r.text
    out: dict[str, Any] = r.json()
    return out


def cancel(client: TestClient, bags: list[Any], headers: dict[str, str] | None = None, **extra: Any) -> Any:
    return client.post(CANCEL, json={"bags": bags, **extra}, headers=A if headers is None else headers)


def pdf_text(content: bytes) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


# ---- orders_bag/create ---------------------------------------------------------------------------------------

def test_create_a_bag_as_the_docs_answer(client: TestClient) -> None:
    codes = codes_of(parcels(client, 3))
    body = v3(create(client, codes))
    assert set(body) == {"code", "bag_number", "timestamp", "label_url", "message", "failed_logistics_orders"}
    assert body["message"] == render.SUCCESSFUL and body["failed_logistics_orders"] == []
    assert BAG_NUMBER.fullmatch(body["bag_number"])
    assert body["label_url"] == (f"http://testserver/wishpost/api/v3/orders_bag/download_label?access_token="
                                 f"{DEFAULT_WISHPOST_TOKEN}&bag_numbers[]={body['bag_number']}")
    bag = bag_of(client, body["bag_number"])
    assert bag == {"logistics_order_codes": codes, "state": CREATED, "bag_number": body["bag_number"],
                   "state_name": "Created"}
    # the label URL works as handed out
    r = client.get(body["label_url"])
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"


def test_bag_numbers_are_unique_and_a_code_listed_twice_is_bagged_once(client: TestClient) -> None:
    first, second = codes_of(parcels(client, 2))
    one = make_bag(client, [first, first])
    two = make_bag(client, [second])
    assert one != two
    assert bag_of(client, one)["logistics_order_codes"] == [first]


def test_the_wishpost_port_serves_create_and_its_label_url(client: TestClient) -> None:
    codes = codes_of(parcels(client, 1))
    r = client.post(f"{PORT}/api/v3/orders_bag/create", headers=A,
                    json={"hub_warehouse_code": 3001, "pickup_service": 2801, "logistics_order_codes": codes})
    body = v3(r)
    assert body["label_url"].startswith(f"{PORT}/api/v3/orders_bag/download_label?access_token=")
    assert client.get(body["label_url"]).headers["content-type"] == "application/pdf"


def test_create_takes_form_fields_and_access_token(client: TestClient) -> None:
    codes = codes_of(parcels(client, 2))
    form = [("access_token", DEFAULT_WISHPOST_TOKEN), ("pickup_service", "2801"), ("hub_warehouse_code", "3001"),
            *[("logistics_order_codes[]", c) for c in codes]]
    body = v3(client.post(CREATE, content="&".join(f"{k}={v}" for k, v in form),
                          headers={"Content-Type": "application/x-www-form-urlencoded"}))
    assert bag_of(client, body["bag_number"])["logistics_order_codes"] == codes


def test_create_refuses_every_bad_code_grouped_by_reason_and_makes_nothing(client: TestClient) -> None:
    good = codes_of(parcels(client, 1))
    bagged = codes_of(parcels(client, 1))
    make_bag(client, bagged)
    foreign = codes_of(parcels(client, 1, SECOND_WISHPOST_TOKEN))
    created = [p["barcode"] for p in parcels(client, 1, state="created")]  # not Accepted yet
    canceled = [p["barcode"] for p in parcels(client, 1, state="canceled")]
    completed = codes_of(parcels(client, 1, state="completed"))
    china_post = codes_of(parcels(client, 1, channel="1"))  # not an EPC parcel: no hub
    pickup = parcels(client, 1)
    r = client.post("/wishpost/api/v3/order/collection_option/confirm", headers=A,
                    json={"wish_standard_tracking_id": pickup[0]["wish_standard_tracking_id"], "doorpickup": 0})
    v3(r)
    sent = [*good, "Invalid code 1", *foreign, *bagged, *created, *canceled, *completed, *china_post,
            *codes_of(pickup), pickup[0]["wish_standard_tracking_id"]]
    for locale in ("en", "zh"):
        body = v3(create(client, sent, service=2801, locale=locale), 400, 1000)
        assert body["message"] == message(errors.FAILED, locale)
        assert body["bag_number"] == "" and body["label_url"] == ""
        assert body["failed_logistics_orders"] == {
            message(errors.CODE_NOT_WISHPOST, locale): ["Invalid code 1", *foreign,
                                                        pickup[0]["wish_standard_tracking_id"]],
            message(errors.CODE_BAGGED, locale): bagged,
            message(errors.CODE_NOT_ACCEPTED, locale): created,
            message(errors.CODE_CLOSED, locale): canceled,
            message(errors.CODE_COMPLETED, locale): completed,
            message(errors.CODE_NO_HUB, locale): china_post,
            message(errors.CODE_PICKUP_SERVICE, locale): codes_of(pickup)}
    assert message(errors.CODE_NOT_WISHPOST, "zh") == "某些订单不属于WishPost平台"  # WP-DOC's text
    assert message(errors.CODE_PICKUP_SERVICE, "zh") == "某些订单被选用了不同的揽收服务"
    # nothing was made: the good code is in no bag, and bags alone
    assert query(client, **{"logistics_order_codes[]": good[0]})["bags"] == []
    v3(create(client, good))
    # the drop-off parcel fits a self-delivery bag
    v3(create(client, codes_of(pickup), service=9999))


def test_the_user_locale_picks_the_reason_language(client: TestClient) -> None:
    body = v3(create(client, ["nope"], locale="zh_CN"), 400, 1000)
    assert body["failed_logistics_orders"] == {"某些订单不属于WishPost平台": ["nope"]}
    assert body["message"] == message(errors.FAILED, "zh")


def test_wrong_hub(client: TestClient) -> None:
    east = codes_of(parcels(client, 1))
    south = sandbox_bag(client, hub_warehouse_code=3002, state="cancelled", count=1)["logistics_order_codes"]
    body = v3(create(client, [*east, *south], hub=3002), 400, 1000)
    assert body["failed_logistics_orders"] == {message(errors.CODE_WRONG_HUB): east}
    v3(create(client, south, hub=3002))


@pytest.mark.parametrize(("change", "code", "key", "params"), [
    ({"pickup_service": None}, 1001, "wp_missing_param", {"param": "pickup_service"}),
    ({"hub_warehouse_code": None}, 1001, "wp_missing_param", {"param": "hub_warehouse_code"}),
    ({"logistics_order_codes": None}, 1001, "wp_missing_param", {"param": "logistics_order_codes"}),
    ({"logistics_order_codes": []}, 1001, "wp_missing_param", {"param": "logistics_order_codes"}),
    ({"pickup_service": 1234}, 1000, "wp_invalid_param", {"param": "pickup_service", "value": "1234"}),
    ({"hub_warehouse_code": 1001}, 1000, "wp_invalid_param", {"param": "hub_warehouse_code", "value": "1001"}),
    ({"logistics_order_codes": ["x"] * 1001}, 1000, "wp_bag_too_many_codes", {"max": 1000, "count": 1001}),
])
def test_create_parameter_errors(client: TestClient, change: dict[str, Any], code: int, key: str,
                                 params: dict[str, Any]) -> None:
    body = {"hub_warehouse_code": 3001, "pickup_service": "9999", "logistics_order_codes": ["WI000000000001EPC"]}
    body = {k: v for k, v in (body | change).items() if v is not None}
    answer = v3(client.post(CREATE, json=body, headers=A), 400, code)
    assert answer["message"] == message(key, "en", **params)
    assert (answer["bag_number"], answer["label_url"], answer["failed_logistics_orders"]) == ("", "", [])


@pytest.mark.parametrize("body", [
    b'{"hub_warehouse_code": 3001, "pickup_service": "abc", "logistics_order_codes": ["a"]}',
    b'{"hub_warehouse_code": [1], "pickup_service": 9999, "logistics_order_codes": ["a"]}',
    b'{"hub_warehouse_code": 3001, "pickup_service": 9999, "logistics_order_codes": [{"a": 1}]}',
    b'{"hub_warehouse_code": 3001, "pickup_service": 9999, "logistics_order_codes": "[1,"}',
    b'{"hub_warehouse_code": 3001, "pickup_service": 9999, "logistics_order_codes": [true]}',
    b'[1, 2]', b'{"hub_warehouse_code": 3001', b'\xff\xfe',
])
def test_malformed_create_requests_answer_wishpost_errors(client: TestClient, body: bytes) -> None:
    r = client.post(CREATE, content=body, headers={**A, "Content-Type": "application/json"})
    assert r.status_code == 400, r.text
    answer = r.json()
    assert answer["code"] in (1000, 1001, 1101) and answer["message"]


def test_docs_create_example_replayed(client: TestClient) -> None:
    """WP-DOC's request as written (hub 1001, pickup_service "9999", two valid and two invalid codes), with the
    valid codes substituted: hub 1001 is outside the documented 3001-3002; with 3001 the invalid codes are
    grouped; without them, the documented success."""
    codes = codes_of(parcels(client, 2))
    doc = {"hub_warehouse_code": 1001, "pickup_service": "9999",
           "logistics_order_codes": [*codes, "Invalid code 1", "Invalid code 2"]}
    body = v3(client.post(CREATE, json=doc, headers={"Content-Type": "application/json", **A}), 400, 1000)
    assert body["message"] == message("wp_invalid_param", param="hub_warehouse_code", value="1001")
    doc["hub_warehouse_code"] = 3001
    body = v3(client.post(CREATE, json=doc, headers=A), 400, 1000)
    documented = {"code": 1000, "bag_number": "", "timestamp": "2019-03-11 11:47:18", "label_url": "",
                  "message": "Failed due to business reason",
                  "failed_logistics_orders": {"某些订单不属于WishPost平台": ["WI000000017955EPC"]}}
    assert set(body) == set(documented)
    assert all(type(body[k]) is type(documented[k]) for k in documented)
    assert body["failed_logistics_orders"] == {message(errors.CODE_NOT_WISHPOST): ["Invalid code 1",
                                                                                   "Invalid code 2"]}
    doc["logistics_order_codes"] = codes
    body = v3(client.post(CREATE, json=doc, headers=CARRIER))  # the carrier's header of the example
    success = {"code": 0, "bag_number": "WI2019110400000123BAG", "timestamp": "2019-06-24 17:37:33",
               "label_url": "https://<hostname>/api/v3/orders_bag/download_label?access_token=<access_token>"
                            "&bag_numbers[]=WI2019110400000123BAG",
               "message": "successful", "failed_logistics_orders": []}
    assert set(body) == set(success) and all(type(body[k]) is type(success[k]) for k in success)
    assert body["message"] == "successful"
    # the missing-parameter example
    body = v3(client.post(CREATE, json={"hub_warehouse_code": 3001, "logistics_order_codes": codes}, headers=A),
              400, 1001)
    assert body == {"code": 1001, "bag_number": "", "timestamp": body["timestamp"], "label_url": "",
                    "message": "Required Param 'pickup_service' Missing", "failed_logistics_orders": []}


# ---- orders_bag (query) --------------------------------------------------------------------------------------

def test_query_list_forms_and_union(client: TestClient) -> None:
    first, second, third = codes_of(parcels(client, 3))
    one, two, three = make_bag(client, [first]), make_bag(client, [second]), make_bag(client, [third])
    forms = [
        f"bag_numbers[]={one}&bag_numbers[]={two}",
        f"bag_numbers[]={one},{two}",
        f"bag_numbers={one},{two}",
        f"bag_numbers[0]={one}&bag_numbers[1]={two}",
        f"logistics_order_codes[]={first},{second}",
        f"bag_numbers[]={one}&logistics_order_codes[]={second}",
        f"bag_numbers[]={one},{two}&logistics_order_codes[]={first}",  # the union: each bag once
    ]
    for form in forms:
        body = v3(client.get(f"{QUERY}?{form}", headers=A))
        assert [b["bag_number"] for b in body["bags"]] == [one, two], form
        assert body["message"] == render.ALL_SUCCESS
    body = v3(client.post(QUERY, json={"bag_numbers": [three], "logistics_order_codes": [first]}, headers=A))
    assert [b["bag_number"] for b in body["bags"]] == [three, one]


def test_query_follows_the_v3_get_conventions(client: TestClient) -> None:
    one, two = (make_bag(client, [c]) for c in codes_of(parcels(client, 2)))
    v3(cancel(client, [{"bag_number": one}]))
    url = f"{QUERY}?bag_numbers[]={one},{two}"
    assert [b["bag_number"] for b in v3(client.get(url + "&sort_by=bag_number.desc", headers=A))["bags"]] == [
        two, one]
    assert [b["bag_number"] for b in v3(client.get(url + "&state_max=0", headers=A))["bags"]] == [two]
    assert v3(client.get(url + "&limit=1&fields=bags(state)", headers=A))["bags"] == [{"state": CANCELLED}]
    v3(client.get(url + "&sort_by=weight", headers=A), 400, 1000)


def test_query_errors_and_unknown_bags(client: TestClient) -> None:
    body = v3(client.get(QUERY, headers=A), 400, 1001)
    assert body == {"timestamp": body["timestamp"], "message": "Missing bag_numbers or logistics_order_codes "
                    "parameter", "code": 1001}  # WP-DOC's error example, key for key
    assert body["message"] == message("wp_bag_missing_query")
    v3(client.get(f"{QUERY}?bag_numbers[]=", headers=A), 400, 1001)
    many = ",".join(f"WI{n:016d}BAG" for n in range(101))
    body = v3(client.get(f"{QUERY}?bag_numbers[]={many}", headers=A), 400, 1000)
    assert body["message"] == message("wp_bag_too_many", max=100, param="bag_numbers", count=101)
    body = v3(client.get(f"{QUERY}?logistics_order_codes[]={many}", headers=A), 400, 1000)
    # unknown bag numbers and codes in no bag are left out, and the message says so
    body = query(client, **{"bag_numbers[]": "WI0000000000000000BAG", "locale": "zh"})
    assert body["bags"] == [] and body["message"] == render.BAGS_NOT_FOUND["zh"]
    body = query(client, **{"logistics_order_codes[]": "WI000000999999EPC"})
    assert body["bags"] == [] and body["message"] == render.CODES_NOT_BAGGED["en"]


def test_docs_query_examples_replayed(client: TestClient) -> None:
    """GET ?bag_numbers[]=A,B and ?logistics_order_codes[]=C,D as WP-DOC writes them; its answer has state 2
    and state_name 已取消 (in Chinese)."""
    codes = codes_of(parcels(client, 2))
    one = make_bag(client, codes[:1])
    two = make_bag(client, codes[1:])
    v3(cancel(client, [{"bag_number": one}, {"bag_number": two}]))
    documented = {"logistics_order_codes": ["WI000000017947EPC", "WI000000017955EPC"], "state": 2,
                  "bag_number": "WI2019110400000123BAG", "state_name": "已取消"}
    for url in (f"{QUERY}?bag_numbers[]={one},{two}", f"{QUERY}?logistics_order_codes[]={codes[0]},{codes[1]}"):
        body = v3(client.get(url + "&locale=zh", headers={"Content-Type": "application/json", **A}))
        assert body["message"] == "All success" and set(body) == {"timestamp", "message", "code", "bags"}
        for bag in body["bags"]:
            assert set(bag) == set(documented) and all(type(bag[k]) is type(documented[k]) for k in documented)
        assert [(b["bag_number"], b["state"], b["state_name"]) for b in body["bags"]] == [
            (one, 2, "已取消"), (two, 2, "已取消")]
        body = v3(client.get(url, headers=CARRIER))
        assert [b["state_name"] for b in body["bags"]] == ["Cancelled", "Cancelled"]


# ---- states with the clock ---------------------------------------------------------------------------------------

def test_a_bag_is_picked_up_then_terminated_when_its_parcels_are_delivered(client: TestClient, advance: Any) -> None:
    freeze(client)
    number = make_bag(client, codes_of(parcels(client, 2)))
    assert bag_of(client, number)["state"] == CREATED
    advance(PICKUP - 1)
    assert bag_of(client, number)["state"] == CREATED
    advance(1)
    assert bag_of(client, number) | {"logistics_order_codes": []} == {
        "logistics_order_codes": [], "state": SHIPPING, "bag_number": number, "state_name": "Shipping"}
    assert bag_of(client, number, locale="zh")["state_name"] == STATE_NAMES["zh"][SHIPPING]
    advance(10 * STEP)  # every parcel delivered (status 23 at the ninth step after acceptance)
    assert bag_of(client, number)["state"] == TERMINATED
    assert bag_of(client, number)["state_name"] == "Terminated"


def test_a_shipping_bag_turns_abnormal_when_a_parcel_is_cancelled_then_may_be_cancelled(
        client: TestClient, advance: Any) -> None:
    freeze(client)
    found = parcels(client, 2)
    number = make_bag(client, codes_of(found))
    advance(PICKUP)
    body = v3(cancel(client, [{"bag_number": number, "cancel_reason": "too late"}]), 400, 1000)
    assert body["failed_bags"] == [{"fail_code": 0, "fail_message": message(errors.BAG_SHIPPED),
                                    "bag_number": number}]
    assert bag_of(client, number)["state"] == SHIPPING
    hook = f"/sandbox/api/wishpost/parcels/{found[0]['wish_standard_tracking_id']}/state"
    assert client.post(hook, json={"state": "canceled"}).status_code == 200
    assert bag_of(client, number)["state"] == ABNORMAL
    v3(cancel(client, [{"bag_number": number}]), 400, 1000)  # one parcel still travels
    assert client.post(f"/sandbox/api/wishpost/parcels/{found[1]['wish_standard_tracking_id']}/state",
                       json={"state": "canceled"}).status_code == 200
    v3(cancel(client, [{"bag_number": number}]))  # its logistics orders were cancelled first
    assert bag_of(client, number)["state_name"] == "Cancelled"


def test_bag_settings_change_the_timing(tmp_path: Any) -> None:
    from mockwish.app import create_app
    from mockwish.config import Settings
    from support import fresh_client

    app = create_app(Settings(data_dir=tmp_path, products_per_merchant=0, wishpost_bag_pickup_seconds=60,
                              wishpost_bag_terminate_seconds=120, sandbox_allowed_hosts="testserver"))
    with fresh_client(app) as client:
        freeze(client)
        number = make_bag(client, codes_of(parcels(client, 1)))
        for seconds, state in ((59, CREATED), (1, SHIPPING), (119, SHIPPING), (1, TERMINATED)):
            assert client.post("/sandbox/api/clock", json={"advance_seconds": seconds}).status_code == 200
            assert bag_of(client, number)["state"] == state, seconds


# ---- orders_bag/cancel -----------------------------------------------------------------------------------------

def test_cancel_frees_the_parcels_for_another_bag(client: TestClient) -> None:
    codes = codes_of(parcels(client, 2))
    number = make_bag(client, codes)
    body = v3(cancel(client, [{"bag_number": number, "cancel_reason": "wrong hub"}]))
    assert body == {"failed_bags": [], "timestamp": body["timestamp"], "message": "successful", "code": 0}
    assert bag_of(client, number)["state"] == CANCELLED
    again = make_bag(client, codes)
    assert again != number
    # the bags holding a code: the cancelled one and the new one
    assert [b["bag_number"] for b in query(client, **{"logistics_order_codes[]": codes[0]})["bags"]] == [
        number, again]
    body = v3(cancel(client, [{"bag_number": number}]), 400, 1000)
    assert body["failed_bags"][0]["fail_message"] == message(errors.BAG_CANCELLED)


def test_cancel_cancels_the_valid_bags_and_lists_the_others(client: TestClient) -> None:
    ok = make_bag(client, codes_of(parcels(client, 1)))
    shipping = sandbox_bag(client, state="shipping", count=1)["bag_number"]
    terminated = sandbox_bag(client, state="terminated", count=1)["bag_number"]
    foreign = sandbox_bag(client, SECOND_WISHPOST_TOKEN, count=1)["bag_number"]
    for locale in ("en", "zh"):
        body = v3(cancel(client, [{"bag_number": ok, "cancel_reason": "x"}, {"bag_number": shipping},
                                  {"bag_number": "WI2019110400000123BAG"}, {"bag_number": foreign},
                                  {"bag_number": terminated}], locale=locale), 400, 1000)
        assert body["message"] == message(errors.FAILED, locale)
        expected = [(shipping, errors.BAG_SHIPPED), ("WI2019110400000123BAG", errors.BAG_NOT_WISHPOST),
                    (foreign, errors.BAG_NOT_WISHPOST), (terminated, errors.BAG_TERMINATED)]
        if locale == "zh":
            expected.insert(0, (ok, errors.BAG_CANCELLED))  # cancelled by the first request
        assert body["failed_bags"] == [{"fail_code": 0, "fail_message": message(key, locale), "bag_number": n}
                                       for n, key in expected]
    assert bag_of(client, ok)["state"] == CANCELLED
    assert bag_of(client, foreign, B)["state"] == CREATED  # B's bag untouched


def test_docs_cancel_examples_replayed(client: TestClient) -> None:
    number = make_bag(client, codes_of(parcels(client, 1)))
    doc = {"bags": [{"bag_number": number, "cancel_reason": "cancel reason..."}]}
    body = v3(client.post(CANCEL, json=doc, headers={"Content-Type": "application/json", **A}))
    assert set(body) == {"failed_bags", "timestamp", "message", "code"} and body["failed_bags"] == []
    doc = {"bags": [{"bag_number": "WI2019110400000123BAG", "cancel_reason": "cancel reason..."}]}
    body = v3(client.post(CANCEL, json=doc, headers=A), 400, 1000)
    assert body == {"timestamp": body["timestamp"], "message": "Failed due to business reason", "code": 1000,
                    "failed_bags": [{"fail_code": 0, "fail_message": "The bag does not belong to Wishpost platform",
                                     "bag_number": "WI2019110400000123BAG"}]}
    shipping = sandbox_bag(client, state="shipping", count=1)["bag_number"]
    body = v3(client.post(CANCEL, json={"bags": [{"bag_number": shipping, "cancel_reason": "x"}]}, headers=A),
              400, 1000)
    assert body["failed_bags"] == [{"fail_code": 0, "fail_message": "The bag is already shipped, please cancel its "
                                    "logistics order first", "bag_number": shipping}]
    # the parameter table's own form: [{<bag_number>: <cancel_reason>}]
    other = make_bag(client, codes_of(parcels(client, 1)))
    v3(client.post(CANCEL, json={"bags": [{other: "cancel reason..."}]}, headers=A))
    assert bag_of(client, other)["state"] == CANCELLED


@pytest.mark.parametrize(("bags", "code", "key", "params"), [
    (None, 1001, "wp_missing_param", {"param": "bags"}),
    ([], 1001, "wp_missing_param", {"param": "bags"}),
    ([{"cancel_reason": "x"}], 1001, "wp_missing_param", {"param": "bags[0].bag_number"}),
    ([{"bag_number": ""}], 1001, "wp_missing_param", {"param": "bags[0].bag_number"}),
    ([{"bag_number": 5}], 1000, "wp_invalid_param", {"param": "bags[0].bag_number", "value": "5"}),
    (["WI1BAG"], 1000, "wp_invalid_param", {"param": "bags[0]", "value": "WI1BAG"}),
    ([{"bag_number": "WI1BAG", "cancel_reason": "x" * 101}], 1000, "wp_invalid_param",
     {"param": "bags[0].cancel_reason", "value": "at most 100 characters of text"}),
    ([{"bag_number": f"WI{n}BAG"} for n in range(101)], 1000, "wp_bag_too_many",
     {"max": 100, "param": "bags", "count": 101}),
])
def test_cancel_parameter_errors_cancel_nothing(client: TestClient, bags: Any, code: int, key: str,
                                                params: dict[str, Any]) -> None:
    number = make_bag(client, codes_of(parcels(client, 1)))
    body_in = {} if bags is None else {"bags": [{"bag_number": number}, *bags] if bags else []}
    body = v3(client.post(CANCEL, json=body_in, headers=A), 400, code)
    if bags:  # the first item is fine: the error names the second
        params = {k: str(v).replace("bags[0]", "bags[1]") if k == "param" else v for k, v in params.items()}
        if key == "wp_bag_too_many":
            params["count"] = 102
    assert body["message"] == message(key, **params)
    assert body["failed_bags"] == []
    assert bag_of(client, number)["state"] == CREATED


def test_cancel_reason_may_be_empty_or_100_characters(client: TestClient) -> None:
    one, two = (make_bag(client, [c]) for c in codes_of(parcels(client, 2)))
    v3(cancel(client, [{"bag_number": one, "cancel_reason": ""}, {"bag_number": two, "cancel_reason": "r" * 100}]))


# ---- orders_bag/download_label ----------------------------------------------------------------------------------

def test_download_label_is_a_pdf_with_one_page_per_bag(client: TestClient) -> None:
    first, second = codes_of(parcels(client, 2))
    one = make_bag(client, [first])
    two = make_bag(client, [second])
    r = client.get(f"{LABEL}?access_token={DEFAULT_WISHPOST_TOKEN}&bag_numbers[]={two},{one}")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert re.fullmatch(r'attachment; filename="wishpost@example\.com_Label_\d{14}\.pdf"',
                        r.headers["content-disposition"])
    pages = pdf_text(r.content)
    assert len(pages) == 2 and two in pages[0] and one in pages[1]
    assert "3001" in pages[0] and "9999" in pages[0] and "Parcels: 1" in pages[0]
    r = client.post(LABEL, json={"bag_numbers": [one]}, headers=A)
    assert r.status_code == 200 and one in pdf_text(r.content)[0]


def test_download_label_errors(client: TestClient) -> None:
    foreign = sandbox_bag(client, SECOND_WISHPOST_TOKEN, count=1)["bag_number"]
    for number in (foreign, "WI2019110400000123BAG"):
        body = v3(client.get(f"{LABEL}?bag_numbers[]={number}", headers=A), 400, 1000)  # InvalidParam
        assert body["message"] == message("wp_bag_label_not_found", bag_number=number)
    body = v3(client.get(LABEL, headers=A), 400, 1001)
    assert body["message"] == message("wp_missing_param", param="bag_numbers")
    many = ",".join(f"WI{n:016d}BAG" for n in range(101))
    body = v3(client.get(f"{LABEL}?bag_numbers[]={many}", headers=A), 400, 1000)
    assert body["message"] == message("wp_bag_too_many", max=100, param="bag_numbers", count=101)
    # WP-DOC's error example: a carrier's API key prints no labels
    body = v3(client.get(f"{LABEL}?bag_numbers[]={foreign}", headers=CARRIER), 401, 4000)
    assert body == {"timestamp": body["timestamp"], "message": "API key is unauthorized", "code": 4000}


def test_docs_download_label_example_replayed(client: TestClient) -> None:
    numbers = [sandbox_bag(client, count=1)["bag_number"] for _ in range(2)]
    r = client.get(f"{LABEL}?access_token={DEFAULT_WISHPOST_TOKEN}&bag_numbers[]={numbers[0]},{numbers[1]}")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert re.search(r"_Label_\d{14}\.pdf", r.headers["content-disposition"])


# ---- isolation and carriers --------------------------------------------------------------------------------------

def test_users_never_see_cancel_or_print_each_others_bags(client: TestClient) -> None:
    codes = codes_of(parcels(client, 1))
    number = make_bag(client, codes)
    body = query(client, B, **{"bag_numbers[]": number})
    assert body["bags"] == [] and body["message"] == render.BAGS_NOT_FOUND["en"]
    assert query(client, B, **{"logistics_order_codes[]": codes[0]})["bags"] == []
    body = v3(cancel(client, [{"bag_number": number}], B), 400, 1000)
    assert body["failed_bags"][0]["fail_message"] == message(errors.BAG_NOT_WISHPOST)
    v3(client.get(f"{LABEL}?bag_numbers[]={number}", headers=B), 400, 1000)
    # nor bag them
    body = v3(create(client, codes, B), 400, 1000)
    assert body["failed_logistics_orders"] == {message(errors.CODE_NOT_WISHPOST): codes}
    assert bag_of(client, number)["state"] == CREATED


def test_a_carrier_bags_any_users_parcels_for_its_hub_only(client: TestClient) -> None:
    mine, theirs = codes_of(parcels(client, 1)), codes_of(parcels(client, 1, SECOND_WISHPOST_TOKEN))
    body = v3(create(client, [*mine, *theirs], CARRIER))
    number = body["bag_number"]
    assert "access_token" not in body["label_url"] and number in body["label_url"]
    assert bag_of(client, number, CARRIER)["logistics_order_codes"] == [*mine, *theirs]
    # a user does not see the carrier's bag, but its parcels are bagged
    assert query(client, **{"bag_numbers[]": number})["bags"] == []
    body = v3(create(client, mine), 400, 1000)
    assert body["failed_logistics_orders"] == {message(errors.CODE_BAGGED): mine}
    # another hub: refused outright; a parcel bound elsewhere: the wrong hub
    body = v3(create(client, mine, CARRIER, hub=3002), 400, 1002)
    assert body["message"] == message("wp_bag_carrier_hub", hub=3001)
    assert body["failed_logistics_orders"] == []
    south = sandbox_bag(client, hub_warehouse_code=3002, state="cancelled", count=1)["logistics_order_codes"]
    body = v3(create(client, south, CARRIER), 400, 1000)
    assert body["failed_logistics_orders"] == {message(errors.CODE_WRONG_HUB): south}
    # it cancels its own bag
    v3(cancel(client, [{"bag_number": number}], CARRIER))


def test_a_carrier_sees_the_bags_of_its_hub_and_cancels_only_its_own(client: TestClient) -> None:
    east = sandbox_bag(client, count=1)
    south = sandbox_bag(client, hub_warehouse_code=3002, count=1)
    body = v3(client.get(f"{QUERY}?bag_numbers[]={east['bag_number']},{south['bag_number']}", headers=CARRIER))
    assert [b["bag_number"] for b in body["bags"]] == [east["bag_number"]]
    assert body["message"] == render.BAGS_NOT_FOUND["en"]
    body = v3(client.get(f"{QUERY}?logistics_order_codes[]={south['logistics_order_codes'][0]}", headers=CARRIER))
    assert body["bags"] == []
    body = v3(cancel(client, [{"bag_number": east["bag_number"]}], CARRIER), 400, 1000)
    assert body["failed_bags"][0]["fail_message"] == message(errors.BAG_NOT_WISHPOST)
    assert bag_of(client, east["bag_number"])["state"] == CREATED


@pytest.mark.parametrize(("method", "path"), [
    ("POST", "/wishpost/api/v3/order_status"), ("POST", "/wishpost/api/v3/cancel_orders"),
    ("GET", LABEL), ("POST", "/wishpost/api/v3/oauth/test")])
def test_a_carrier_key_is_refused_elsewhere(client: TestClient, method: str, path: str) -> None:
    body = v3(client.request(method, path, headers=CARRIER), 401, 4000)
    assert body["message"] == message("wp_api_key_unauthorized")


def test_an_unknown_api_key_is_refused(client: TestClient) -> None:
    body = v3(create(client, ["a"], {"X-API-Key": "nope"}), 401, 4000)
    assert body["message"] == message("wp_api_key_unauthorized")
    assert body["failed_logistics_orders"] == []
    v3(client.get(f"{QUERY}?bag_numbers[]=a", headers={"X-API-Key": "nope"}), 401, 4000)


def test_scopes(client: TestClient) -> None:
    from wishpost_support import xml_mint_token

    token = xml_mint_token(client, ["user.tracking.read"])["access_token"]
    body = v3(create(client, ["a"], bearer(token)), 403, 1103)
    assert body["failed_logistics_orders"] == []
    v3(client.get(f"{QUERY}?bag_numbers[]=a", headers=bearer(token)), 403, 1103)
    token = xml_mint_token(client, ["user.order.read"])["access_token"]
    v3(client.get(f"{QUERY}?bag_numbers[]=a", headers=bearer(token)))
    v3(cancel(client, [{"bag_number": "a"}], bearer(token)), 403, 1103)


# ---- hubs, the sandbox and the seed ------------------------------------------------------------------------------

def test_hub_of_parcel() -> None:
    epc = {"otype": "36-1", "warehouse_code": None}
    assert hub_of_parcel(epc) == 3001  # EPC's first warehouse, 1001 华东1仓
    assert hub_of_parcel(epc | {"warehouse_code": 1003}) == 3002  # 华南1仓
    assert hub_of_parcel(epc | {"warehouse_code": 1019}) == 3001  # 华东4仓
    assert hub_of_parcel(epc | {"warehouse_code": 1014}) == 3002  # 华南BLUE 1仓
    assert hub_of_parcel({"otype": "1", "warehouse_code": 3}) is None  # China Post goes through no hub
    assert hub_of_parcel({"otype": "21-1", "warehouse_code": 27}) is None


@pytest.mark.parametrize(("state", "code"), [("created", CREATED), ("shipping", SHIPPING),
                                             ("cancelled", CANCELLED), ("terminated", TERMINATED),
                                             ("abnormal", ABNORMAL)])
def test_sandbox_makes_a_bag_in_any_state(client: TestClient, state: str, code: int) -> None:
    made = sandbox_bag(client, state=state, count=3, pickup_service=2801)
    assert made["state"] == code and made["state_name"] == STATE_NAMES["en"][code]
    assert len(made["logistics_order_codes"]) == 3 and made["pickup_service"] == 2801
    assert made["user_id"] == user_id(client, DEFAULT_WISHPOST_TOKEN)
    assert bag_of(client, made["bag_number"])["state"] == code


def test_sandbox_bags_of_named_parcels_and_the_state_hook(client: TestClient, advance: Any) -> None:
    freeze(client)
    codes = codes_of(parcels(client, 2))
    made = sandbox_bag(client, logistics_order_codes=codes)
    assert made["logistics_order_codes"] == codes
    r = client.post(SANDBOX_BAGS, json={"logistics_order_codes": codes}, headers=A)  # bagged already
    assert r.status_code == 400 and r.json()["code"] == 1000
    r = client.post(SANDBOX_BAGS, json={"user_id": "nobody"})
    assert r.status_code >= 400 and r.json()["code"]
    number = made["bag_number"]
    for state, code in (("shipping", SHIPPING), ("created", CREATED), ("abnormal", ABNORMAL),
                        ("terminated", TERMINATED), ("cancelled", CANCELLED)):
        r = client.post(f"{SANDBOX_BAGS}/{number}/state", json={"state": state})
        assert r.status_code == 200 and r.json()["state"] == code, r.text
        assert bag_of(client, number)["state"] == code
    r = client.post(f"{SANDBOX_BAGS}/{number}/state", json={"state": "created"})
    advance(PICKUP)  # a bag moved back to Created is picked up after the usual delay
    assert bag_of(client, number)["state"] == SHIPPING
    assert client.post(f"{SANDBOX_BAGS}/WI1BAG/state", json={"state": "created"}).status_code == 404


def test_every_seeded_user_has_bags_in_every_state(client: TestClient, app: FastAPI) -> None:
    bag = table_of(WishPostBag)

    def read() -> list[Any]:
        with app.state.ctx.owner.begin() as conn:
            return list(conn.execute(select(bag.c.bag_number, bag.c.user_id)).all())

    rows = app.state.ctx.owner.call(read)  # the store's owner runs it (the tests' client serves on its loop)
    for token in (DEFAULT_WISHPOST_TOKEN, SECOND_WISHPOST_TOKEN):
        numbers = [n for n, u in rows if u == user_id(client, token)]
        body = query(client, bearer(token), **{"bag_numbers[]": ",".join(numbers)})
        assert body["message"] == render.ALL_SUCCESS
        assert sorted(b["state"] for b in body["bags"]) == [CREATED, SHIPPING, CANCELLED, TERMINATED, ABNORMAL]
    # the seeded cancelled bag's parcel may be bagged again; the others' may not
    body = query(client, **{"bag_numbers[]": ",".join(n for n, u in rows
                                                     if u == user_id(client, DEFAULT_WISHPOST_TOKEN))})
    by_state = {b["state"]: b["logistics_order_codes"] for b in body["bags"]}
    v3(create(client, by_state[CANCELLED]))
    v3(create(client, by_state[CREATED]), 400, 1000)
