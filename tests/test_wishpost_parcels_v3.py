"""The WishPost v3 JSON parcel operations over HTTP: order_status (WP-DOC; supplement-wishpost.md 8.1-8.2),
cancel_orders in WP-DOC's object form and WP-V3's bare array (supplement 8.3), order/collection_option/confirm
(WP-DOC), the sandbox's parcel control (parcels in any state, forced outcomes, state and event hooks, the
user-merchant link), isolation between WishPost users, and the v3 envelope (supplement 6)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any
from xml.etree import ElementTree

import httpx
import pytest
from fastapi import FastAPI
from starlette.testclient import TestClient
from wishpost_support import (
    DEFAULT_WISHPOST_TOKEN,
    SECOND_WISHPOST_TOKEN,
    bearer,
    user_id,
    v3_order_fields,
    v3_order_xml,
    v3_sandbox_parcels,
)

from mockwish.app import create_app
from mockwish.config import Settings
from mockwish.errors import message
from support import DEFAULT_TOKEN, SECOND_TOKEN, Wish, assert_envelope_error, freeze, fresh_client

STATUS = "/wishpost/api/v3/order_status"
CANCEL = "/wishpost/api/v3/cancel_orders"
CONFIRM = "/wishpost/api/v3/order/collection_option/confirm"
CREATE = "/wishpost/api/v2/create_order"
TRACKING = "/wishpost/api/v2/tracking"
SANDBOX = "/sandbox/api/wishpost"
STEP = 6 * 3600  # the default wishpost_tracking_step_seconds
TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")
NOT_FOUND, NOT_ACCEPTED = "Some orders are not found. ", "Some orders are not accepted. "
CANCEL_FETCHED = "All the orders' cancel results are fetched."
CONFIRMED_ZH = "揽收信息更新成功,可稍后查询该订单状态。"  # WP-DOC's success example
UNKNOWN_WOSP = "WOSP000000999999USA"

# order_status appendix: state -> (state_code, state_name)
STATES: dict[str, tuple[int, str]] = {
    "created": (1, "Created"), "invalid": (2, "Invalid"), "rejected": (3, "Rejected"), "canceled": (4, "Canceled"),
    "reviewing": (5, "Reviewing"), "accepted": (6, "Accepted"), "shipping": (7, "Shipping"),
    "completed": (8, "Completed")}
ACCEPTED_STATES = ("accepted", "shipping", "completed")

# WP-DOC's order_status example object (its missing comma after wish_transaction_ids restored)
DOC_ORDER: dict[str, Any] = {
    "wish_standard_tracking_id": "WOSP000000023915USA", "logistics_order_code": "",
    "wish_transaction_ids": ["5ebace9cbb9ef57e001c36a3"], "state_name": "Rejected", "state_code": 3,
    "cancel_reason_code": "", "cancel_fail_reason": "", "message": "", "reference_qrcode": "", "PDF_10_LCL_URL": "",
    "PDF_10_EN_URL": "", "dest_warehouse_code": 27, "dest_warehouse_name": "", "hub_warehouse_code": "",
    "dest_warehouse_address_cn": {
        "province": "上海", "city": "上海市", "name": "Wish EPC华东1仓", "district": "宝山区", "zipcode": "201901",
        "address": "上海市宝山区共悦路419号", "phone_number": "+8613816792755", "email": None}}
# the collection option a client confirmed, shown beside the documented keys once there is one
COLLECTION = "collection_option"

# WP-DOC's collection_option/confirm example request (numbers where it sends numbers)
DOC_CONFIRM: dict[str, Any] = {
    "doorpickup": 1, "pickup_service": "42-0",
    "pickup_address": {"pickup_from_local": "苏碧龙", "pickup_province_local": "福建省",
                       "pickup_district_local": "鼓楼区", "pickup_city_local": "福州市", "pickup_phone": 1343234921,
                       "pickup_zipcode": 123456},
    "return_action_in_country": 3, "reverse_logistics_mode": 1,
    "return_address": {"return_name_local": "苏碧龙", "return_address_local": "鼓楼区大儒世家",
                       "return_province_local": "福建省", "return_district_local": "鼓楼区",
                       "return_city_local": "福州市", "return_phone": 1343234921, "return_zipcode": 123456}}
PICKUP_ADDRESS = DOC_CONFIRM["pickup_address"]


# ---- helpers -----------------------------------------------------------------------------------------------------

def v3(r: Any, status: int = 200, code: int = 0) -> dict[str, Any]:
    """A v3 answer: HTTP status, the flat envelope (timestamp, message, integer code) and a Wish-Request-Id."""
    assert r.status_code == status, (r.status_code, r.text[:500])
    assert r.headers["content-type"].startswith("application/json") and r.headers.get("wish-request-id"), r.headers
    body = r.json()
    assert isinstance(body, dict) and type(body["code"]) is int and body["code"] == code, body
    assert TIMESTAMP.fullmatch(body["timestamp"]) and isinstance(body["message"], str), body
    if code:
        assert body["message"] and "detail" not in body, body
    return body


def status_call(client: TestClient, ids: list[str], token: str = DEFAULT_WISHPOST_TOKEN,
                **extra: Any) -> Any:
    return client.post(STATUS, json={"access_token": token, "wish_standard_tracking_ids": ids, **extra})


def orders_of(client: TestClient, ids: list[str], token: str = DEFAULT_WISHPOST_TOKEN) -> dict[str, dict[str, Any]]:
    body = v3(status_call(client, ids, token))
    return {o["wish_standard_tracking_id"]: o for o in body["orders"]}


def order_of(client: TestClient, wosp: str, token: str = DEFAULT_WISHPOST_TOKEN) -> dict[str, Any]:
    return orders_of(client, [wosp], token)[wosp]


def cancel(client: TestClient, orders: list[dict[str, Any]], token: str = DEFAULT_WISHPOST_TOKEN,
           **extra: Any) -> Any:
    return client.post(CANCEL, json={"access_token": token, "orders": orders, **extra})


def cancel_array(client: TestClient, items: list[Any], token: str = DEFAULT_WISHPOST_TOKEN) -> Any:
    return client.post(CANCEL, json=items, headers=bearer(token))


def confirm(client: TestClient, wosp: str | None, token: str = DEFAULT_WISHPOST_TOKEN, **body: Any
            ) -> Any:
    named = {} if wosp is None else {"wish_standard_tracking_id": wosp}
    return client.post(CONFIRM, json={"access_token": token, **named, **body})


def wosp(parcel: dict[str, Any]) -> str:
    return str(parcel["wish_standard_tracking_id"])


def parcel(client: TestClient, state: str, token: str = DEFAULT_WISHPOST_TOKEN, seed: int | None = None
           ) -> dict[str, Any]:
    """One sandbox parcel. The second user's take a `seed` that keeps clear of the seeded order the sandbox
    cannot ship (test_sandbox_ships_any_approved_order)."""
    return v3_sandbox_parcels(client, state, token, **({} if seed is None else {"seed": seed}))[0]


def events(client: TestClient, number: str, token: str = DEFAULT_WISHPOST_TOKEN) -> list[tuple[int, str]]:
    """(status_number, remark) of each tracking event of a barcode (v2 XML tracking)."""
    body = (f"<tracks><access_token>{token}</access_token><language>en</language>"
            f"<track><barcode>{number}</barcode></track></tracks>")
    r = client.post(TRACKING, content=body, headers={"content-type": "text/xml"})
    root = ElementTree.fromstring(r.content)
    assert r.status_code == 200 and root.findtext("status") == "0", r.text
    tracks = root.find("tracks")
    assert tracks is not None and tracks.get("error_message") is None, r.text
    return [(int(t.findtext("status_number") or 0), t.findtext("remark") or "") for t in tracks.findall("track")]


def create_orders(client: TestClient, guids: list[str], token: str = DEFAULT_WISHPOST_TOKEN,
                  **extra: str) -> dict[str, tuple[str, str, str]]:
    """create_order (v2 XML) of one valid parcel per guid: guid -> (WOSP id, barcode text, barcode state)."""
    orders = [v3_order_fields(g, seed=n, **extra) for n, g in enumerate(guids)]
    r = client.post(CREATE, content=v3_order_xml(token, orders), headers={"content-type": "text/xml"})
    root = ElementTree.fromstring(r.content)
    assert r.status_code == 200 and root.findtext("status") == "0", r.text
    ids = {e.get("guid"): e.text or "" for e in root.findall("wish_standard_tracking_id")}
    barcodes = {e.get("guid"): (e.text or "", e.get("state") or "") for e in root.findall("barcode")}
    return {g: (ids[g], *barcodes[g]) for g in guids}


def outcomes(client: TestClient, wanted: list[str], token: str = DEFAULT_WISHPOST_TOKEN) -> dict[str, Any]:
    r = client.post(f"{SANDBOX}/parcel-outcomes", json={"outcomes": wanted}, headers=bearer(token))
    assert r.status_code == 200, r.text
    return dict(r.json())


def merchant_order(client: TestClient, order_id: str, token: str | None = None) -> dict[str, Any]:
    wish = Wish(client) if token is None else Wish(client, token)
    return dict(wish.ok("order", "GET", id=order_id)["Order"])


def assert_doc_shape(o: dict[str, Any]) -> None:
    """WP-DOC's example object key for key, each value of the example's type (cancel_reason_code is the int
    code once cancelled); a confirmed collection option beside them, its doorpickup an int."""
    keys = set(DOC_ORDER) | ({COLLECTION} if COLLECTION in o else set())
    assert set(o) == keys, set(o) ^ keys
    for key, example in DOC_ORDER.items():
        value = o[key]
        if key == "cancel_reason_code" and o["state_code"] == 4:
            assert type(value) is int, (key, value)
        elif key == "dest_warehouse_address_cn":
            assert set(value) == set(example) and value["email"] is None, value
            assert all(type(v) is str for k, v in value.items() if k != "email"), value
        elif key == "wish_transaction_ids":
            assert isinstance(value, list) and all(type(t) is str for t in value), value
        else:
            assert type(value) is type(example), (key, value)
    if COLLECTION in o:
        option = o[COLLECTION]
        assert isinstance(option, dict) and type(option["doorpickup"]) is int, option
        assert type(option.get("pickup_service", "")) is str, option


def collection(o: dict[str, Any]) -> tuple[int | None, str]:
    """(doorpickup, pickup_service) of the collection option order_status shows; (None, "") before any."""
    option = o.get(COLLECTION) or {}
    return option.get("doorpickup"), option.get("pickup_service", "")


@pytest.fixture
def by_state(client: TestClient) -> dict[str, dict[str, Any]]:
    """One sandbox parcel of the default user in each state the mock produces."""
    return {state: parcel(client, state) for state in STATES}


# ---- order_status ------------------------------------------------------------------------------------------------

def test_every_state_has_its_documented_code_and_name(client: TestClient, by_state: dict[str, Any]) -> None:
    for state, p in by_state.items():
        assert (p["state_code"], p["state_name"]) == STATES[state], p
    body = v3(status_call(client, [wosp(p) for p in by_state.values()]))
    assert body["message"] == NOT_ACCEPTED
    got = {o["wish_standard_tracking_id"]: o for o in body["orders"]}
    assert list(got) == [wosp(p) for p in by_state.values()]  # in the order asked
    for state, p in by_state.items():
        o = got[wosp(p)]
        assert (o["state_code"], o["state_name"]) == STATES[state], o
        assert_doc_shape(o)
        assert COLLECTION not in o  # WP-DOC's keys exactly
        if state in ACCEPTED_STATES:  # the tracking number, and the label links, from Accepted on
            assert o["logistics_order_code"] == p["logistics_order_code"] == p["barcode"] != "", (o, p)
            assert "/wishpost/api/v2/download_label?" in o["PDF_10_EN_URL"] and "use_local=true" in o["PDF_10_LCL_URL"]
        elif state in ("created", "reviewing", "rejected"):
            assert o["logistics_order_code"] == "" and o["PDF_10_EN_URL"] == o["PDF_10_LCL_URL"] == "", o
        if state == "canceled":  # the sandbox's cancelled parcels name a reason of the table
            assert 40101 <= o["cancel_reason_code"] <= 49999, o
        else:
            assert o["cancel_reason_code"] == "", o


def test_only_accepted_ones_leave_the_message_empty(client: TestClient) -> None:
    ids = [wosp(p) for state in ACCEPTED_STATES for p in v3_sandbox_parcels(client, state)]
    body = v3(status_call(client, ids))
    assert body["message"] == "" and len(body["orders"]) == 3


def test_warehouse_fields_have_the_documented_types(client: TestClient) -> None:
    """dest_warehouse_code an int, hub_warehouse_code a string, the address a dict with email null: for EPC
    parcels (a warehouse with an address) and China Post ones (a warehouse_code, no address)."""
    epc = v3_sandbox_parcels(client, "accepted", channel="36-1")[0]
    post = v3_sandbox_parcels(client, "accepted", channel="1")[0]
    got = orders_of(client, [wosp(epc), wosp(post)])
    o = got[wosp(epc)]
    assert type(o["dest_warehouse_code"]) is int and o["dest_warehouse_code"] > 0 and o["hub_warehouse_code"] == ""
    assert o["dest_warehouse_address_cn"]["address"] and o["dest_warehouse_address_cn"]["email"] is None
    o = got[wosp(post)]
    assert type(o["dest_warehouse_code"]) is int and type(o["hub_warehouse_code"]) is str
    assert isinstance(o["dest_warehouse_address_cn"], dict) and o["dest_warehouse_address_cn"]["email"] is None


def test_token_in_the_body_or_as_bearer(client: TestClient) -> None:
    p = wosp(parcel(client, "accepted"))
    in_body = v3(status_call(client, [p]))
    as_bearer = v3(client.post(STATUS, json={"wish_standard_tracking_ids": [p]},
                               headers=bearer(DEFAULT_WISHPOST_TOKEN)))
    assert [o["wish_standard_tracking_id"] for o in in_body["orders"]] == [p]
    assert in_body["orders"] == as_bearer["orders"]
    v3(client.post(STATUS, json={"wish_standard_tracking_ids": [p]}), 400, 1001)  # no token at all
    v3(client.post(STATUS, json={"wish_standard_tracking_ids": [p]}, headers=bearer("nope")), 401, 1020)


def test_unknown_ids_are_left_out_with_a_message(client: TestClient) -> None:
    accepted = wosp(parcel(client, "accepted"))
    created = wosp(parcel(client, "created"))
    body = v3(status_call(client, [UNKNOWN_WOSP, accepted]))
    assert body["message"] == NOT_FOUND and [o["wish_standard_tracking_id"] for o in body["orders"]] == [accepted]
    body = v3(status_call(client, [accepted, UNKNOWN_WOSP, created]))
    assert body["message"] == NOT_FOUND + NOT_ACCEPTED  # WP-DOC's example message, word for word
    assert [o["wish_standard_tracking_id"] for o in body["orders"]] == [accepted, created]
    body = v3(status_call(client, [UNKNOWN_WOSP]))
    assert (body["message"], body["orders"]) == (NOT_FOUND, [])


def test_id_list_bounds(client: TestClient) -> None:
    p = wosp(parcel(client, "accepted"))
    body = v3(status_call(client, [p] + [f"WOSP{n:012d}USA" for n in range(900_000, 900_499)]))  # 500
    assert body["message"] == NOT_FOUND and len(body["orders"]) == 1
    body = v3(status_call(client, [p] * 501), 400, 1000)
    assert "wish_standard_tracking_ids" in body["message"]
    v3(status_call(client, [], wish_transaction_ids=["0" * 24] * 10))
    body = v3(status_call(client, [], wish_transaction_ids=["0" * 24] * 11), 400, 1000)
    assert "wish_transaction_ids" in body["message"]


@pytest.mark.parametrize("body", [{}, {"wish_standard_tracking_ids": []}, {"wish_transaction_ids": []},
                                  {"wish_standard_tracking_ids": [], "wish_transaction_ids": []}])
def test_neither_list_is_1001(client: TestClient, body: dict[str, Any]) -> None:
    r = client.post(STATUS, json={"access_token": DEFAULT_WISHPOST_TOKEN, **body})
    assert v3(r, 400, 1001)["message"] == "No valid wish_standard_tracking_ids is provided"  # WP-DOC's text


def test_the_1001_body_is_the_documented_one(client: TestClient) -> None:
    body = v3(client.post(STATUS, json={"access_token": DEFAULT_WISHPOST_TOKEN}), 400, 1001)
    assert body["orders"] == [] and set(body) == {"timestamp", "message", "code", "orders"}


def test_by_transaction_ids_of_the_linked_orders(client: TestClient) -> None:
    """The sandbox's accepted parcels ship the linked (default) merchant's APPROVED orders; order_status finds
    them by those orders' transactions and lists the transactions."""
    made = v3_sandbox_parcels(client, "accepted", count=2)
    tx = {}
    for p in made:
        assert len(p["wish_order_ids"]) == 1, p
        order = merchant_order(client, p["wish_order_ids"][0])
        assert order["state"] == "APPROVED"
        tx[wosp(p)] = order["transaction_id"]
    for p in made:
        assert order_of(client, wosp(p))["wish_transaction_ids"] == [tx[wosp(p)]]
    body = v3(client.post(STATUS, json={"access_token": DEFAULT_WISHPOST_TOKEN,
                                        "wish_transaction_ids": list(tx.values())}))
    found = {o["wish_standard_tracking_id"]: o for o in body["orders"]}
    assert set(tx) <= set(found), (tx, list(found))
    assert all(set(o["wish_transaction_ids"]) & set(tx.values()) for o in found.values())
    body = v3(client.post(STATUS, json={"access_token": DEFAULT_WISHPOST_TOKEN, "wish_transaction_ids": ["0" * 24]}))
    assert (body["message"], body["orders"]) == (NOT_FOUND, [])


def test_an_unknown_transaction_beside_a_known_one_is_reported(client: TestClient) -> None:
    p = parcel(client, "accepted")
    tx = merchant_order(client, p["wish_order_ids"][0])["transaction_id"]
    body = v3(status_call(client, [], wish_transaction_ids=[tx, "0" * 24]))
    assert wosp(p) in {o["wish_standard_tracking_id"] for o in body["orders"]}
    assert body["message"] == NOT_FOUND


def test_reviewing_and_created_become_accepted_on_the_clock(client: TestClient, advance: Any) -> None:
    freeze(client)
    reviewing, created = parcel(client, "reviewing"), parcel(client, "created")
    assert reviewing["barcode"] == "" and created["barcode"] != ""  # a parcel under review has no number yet
    advance(STEP - 1)
    got = orders_of(client, [wosp(reviewing), wosp(created)])
    assert [(o["state_code"], o["logistics_order_code"]) for o in got.values()] == [(5, ""), (1, "")]
    advance(1)
    got = orders_of(client, [wosp(reviewing), wosp(created)])
    assert [o["state_name"] for o in got.values()] == ["Accepted", "Accepted"]
    assert got[wosp(created)]["logistics_order_code"] == created["barcode"]
    assert got[wosp(reviewing)]["logistics_order_code"] != ""


def test_accepted_ships_then_completes_step_by_step(client: TestClient, advance: Any) -> None:
    freeze(client)
    p = wosp(parcel(client, "accepted"))  # accepted a minute ago: one step from then it is picked up
    advance(STEP - 61)
    assert order_of(client, p)["state_name"] == "Accepted"
    advance(1)
    assert order_of(client, p)["state_name"] == "Shipping"
    advance(8 * STEP - 1)  # the 9th step after acceptance delivers
    assert order_of(client, p)["state_name"] == "Shipping"
    advance(1)
    o = order_of(client, p)
    assert (o["state_code"], o["state_name"]) == (8, "Completed") and o["logistics_order_code"]


def test_create_order_outcomes_and_the_default_instant_review(client: TestClient) -> None:
    """parcel-outcomes forces the next create_order parcels; with wishpost_accept_seconds 0 (the default) a
    parcel under review is decided by the next order_status call (supplement 8.1)."""
    uid = user_id(client, DEFAULT_WISHPOST_TOKEN)
    assert outcomes(client, ["reviewing", "rejected", "created"]) == {
        "user_id": uid, "pending": ["reviewing", "rejected", "created"]}
    made = create_orders(client, ["g1", "g2", "g3"])
    assert [made[g][1:] for g in ("g1", "g2", "g3")] == [("", "Reviewing"), ("", "Reviewing"),
                                                         (made["g3"][1], "Created")]
    assert made["g3"][1] != ""
    assert outcomes(client, [])["pending"] == []  # used up
    got = orders_of(client, [made[g][0] for g in ("g1", "g2", "g3")])
    assert [o["state_name"] for o in got.values()] == ["Accepted", "Rejected", "Accepted"]
    assert got[made["g1"][0]]["logistics_order_code"] != "" and got[made["g2"][0]]["logistics_order_code"] == ""
    assert got[made["g3"][0]]["logistics_order_code"] == made["g3"][1]


@pytest.fixture(scope="module")
def review_app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    return create_app(Settings(data_dir=tmp_path_factory.mktemp("wp-review"), products_per_merchant=0, seed=42,
                               sandbox_allowed_hosts="testserver", wishpost_accept_seconds=600))


@pytest.fixture
def review_client(review_app: FastAPI) -> Iterator[TestClient]:
    with fresh_client(review_app) as c:
        yield c


def test_accept_seconds_keeps_new_parcels_undecided(review_client: TestClient) -> None:
    c = review_client
    freeze(c)
    outcomes(c, ["reviewing", "rejected", "created"])
    made = create_orders(c, ["r1", "r2", "r3"])
    ids = [made[g][0] for g in ("r1", "r2", "r3")]

    def states() -> list[tuple[int, bool]]:
        return [(o["state_code"], o["logistics_order_code"] != "") for o in orders_of(c, ids).values()]

    body = v3(status_call(c, ids))
    assert body["message"] == NOT_ACCEPTED
    assert states() == [(5, False), (5, False), (1, False)]
    c.post("/sandbox/api/clock", json={"advance_seconds": 599})
    assert states() == [(5, False), (5, False), (1, False)]
    c.post("/sandbox/api/clock", json={"advance_seconds": 1})
    assert states() == [(6, True), (3, False), (6, True)]
    assert orders_of(c, ids)[made["r3"][0]]["logistics_order_code"] == made["r3"][1]


def test_order_status_is_limited_to_30_per_minute_per_ip_and_user(app: FastAPI, client: TestClient) -> None:
    freeze(client)  # one window for every call
    p = wosp(parcel(client, "accepted"))
    codes = [status_call(client, [p]).status_code for _ in range(30)]
    assert codes == [200] * 30
    body = v3(status_call(client, [p]), 429, 4292)
    assert body["message"] == ("This api can be called no more than 30 times per minute per ip and user, please "
                               "slow down and call later")
    assert v3(status_call(client, [], SECOND_WISHPOST_TOKEN), 400, 1001)  # another user: its own count

    async def from_another_ip() -> int:
        transport = httpx.ASGITransport(app=app, client=("10.0.0.9", 1234))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as ac:
            r = await ac.post(STATUS, json={"access_token": DEFAULT_WISHPOST_TOKEN, "wish_standard_tracking_ids": [p]})
            return r.status_code

    assert client.portal.call(from_another_ip) == 200  # type: ignore[union-attr]
    client.post("/sandbox/api/clock", json={"advance_seconds": 60})
    assert status_call(client, [p]).status_code == 200  # a new minute


# ---- cancel_orders -----------------------------------------------------------------------------------------------

def cancel_mix(client: TestClient, by_state: dict[str, dict[str, Any]]) -> tuple[list[dict[str, Any]], list[int]]:
    """One request item per case (named by WOSP id or by tracking number) and the result code each gets."""
    other = parcel(client, "accepted", SECOND_WISHPOST_TOKEN, seed=1)
    items = [
        {"wish_standard_tracking_id": wosp(by_state["created"]), "cancel_reason_code": 40101},
        {"wish_standard_tracking_id": wosp(by_state["reviewing"]), "cancel_reason_code": 40101},
        {"tracking_id": by_state["accepted"]["logistics_order_code"], "cancel_reason_code": 40101},
        {"tracking_id": by_state["shipping"]["logistics_order_code"], "cancel_reason_code": 40101},
        {"wish_standard_tracking_id": wosp(by_state["completed"]), "cancel_reason_code": 40101},
        {"wish_standard_tracking_id": wosp(by_state["canceled"]), "cancel_reason_code": 40101},
        {"wish_standard_tracking_id": wosp(by_state["rejected"]), "cancel_reason_code": 40101},
        {"wish_standard_tracking_id": wosp(by_state["invalid"]), "cancel_reason_code": 40101},
        {"tracking_id": "WI000000999999EPC", "cancel_reason_code": 40101},
        {"tracking_id": other["logistics_order_code"], "cancel_reason_code": 40101},
    ]
    return items, [0, 0, 0, 4, 4, 3, 3, 3, 1, 2]


RESULT_MESSAGES = {1: "Failed. The order is not found", 2: "Failed. The order does not belong to the user",
                   3: "Failed. The order is already invalidated", 4: "Failed. The order is already shipped"}


def test_cancel_object_form(client: TestClient, by_state: dict[str, dict[str, Any]]) -> None:
    items, codes = cancel_mix(client, by_state)
    body = v3(cancel(client, items))
    assert body["message"] == CANCEL_FETCHED
    assert {"is_cancelling_orders", "failed_cancel_orders"} <= set(body)
    uid = user_id(client, DEFAULT_WISHPOST_TOKEN)
    results = body["is_cancelling_orders"] + body["failed_cancel_orders"]
    assert len(results) == len(items)
    for result in results:
        assert result["user_id"] == uid and type(result["cancel_result_code"]) is int, result
        assert {"tracking_id", "wish_standard_tracking_id", "cancel_result_message"} <= set(result), result
    cancelling = {r["wish_standard_tracking_id"] for r in body["is_cancelling_orders"]}
    assert cancelling == {wosp(by_state[s]) for s in ("created", "reviewing", "accepted")}
    accepted = next(r for r in body["is_cancelling_orders"] if r["wish_standard_tracking_id"] == wosp(
        by_state["accepted"]))
    assert accepted["tracking_id"] == by_state["accepted"]["logistics_order_code"]  # both names, as WP-DOC shows
    failed = {(r.get("tracking_id") or "", r.get("wish_standard_tracking_id") or ""): r
              for r in body["failed_cancel_orders"]}
    expected = [(item, code) for item, code in zip(items, codes, strict=True) if code]
    assert len(failed) == len(expected)
    for item, code in expected:
        name = item.get("tracking_id") or item["wish_standard_tracking_id"]
        result = next(r for r in body["failed_cancel_orders"] if name in (r["tracking_id"],
                                                                          r["wish_standard_tracking_id"]))
        assert (result["cancel_result_code"], result["cancel_result_message"]) == (code, RESULT_MESSAGES[code])


def test_cancel_bare_array_answers_one_result_per_item_in_order(client: TestClient,
                                                                  by_state: dict[str, dict[str, Any]]) -> None:
    items, codes = cancel_mix(client, by_state)
    r = cancel_array(client, items)
    assert r.status_code == 200 and r.headers.get("wish-request-id"), r.text
    results = r.json()
    assert isinstance(results, list) and len(results) == len(items)
    assert [x["cancel_result_code"] for x in results] == codes
    for item, result in zip(items, results, strict=True):
        if "wish_standard_tracking_id" in item:
            assert result["wish_standard_tracking_id"] == item["wish_standard_tracking_id"], (item, result)
        else:
            assert result["tracking_id"] == item["tracking_id"], (item, result)
        if result["cancel_result_code"]:
            assert result["cancel_result_message"] == RESULT_MESSAGES[result["cancel_result_code"]]


def test_a_cancelled_parcel_is_canceled_with_its_reason_and_event_48(client: TestClient) -> None:
    accepted, created, reviewing = parcel(client, "accepted"), parcel(client, "created"), parcel(client, "reviewing")
    v3(cancel(client, [{"tracking_id": accepted["logistics_order_code"], "cancel_reason_code": 40101},
                       {"wish_standard_tracking_id": wosp(created), "cancel_reason_code": 40405},
                       {"wish_standard_tracking_id": wosp(reviewing),
                        "cancel_reason_code": "USER_CARRIER_NOT_PICKUP"}]))
    got = orders_of(client, [wosp(accepted), wosp(created), wosp(reviewing)])
    assert [(o["state_code"], o["state_name"], o["cancel_reason_code"]) for o in got.values()] == [
        (4, "Canceled", 40101), (4, "Canceled", 40405), (4, "Canceled", 40301)]
    for o in got.values():
        assert_doc_shape(o)
    for number in (accepted["logistics_order_code"], created["barcode"], wosp(reviewing)):
        assert events(client, number)[-1][0] == 48, number
    # cancelled once: a second cancel finds it invalidated
    again = cancel_array(client, [{"wish_standard_tracking_id": wosp(created), "cancel_reason_code": 40101}]).json()
    assert again[0]["cancel_result_code"] == 3


@pytest.mark.parametrize(("given", "code"), [
    (40101, 40101), ("40101", 40101), ("USER_INCORRECT_CHANNEL", 40101), ("user_incorrect_channel", 40101),
    ("USER_SYSTEM_LABEL_EXPIRED", 40206), ("USER_BIZ_DUPLICATE_ORDER", 40405), (" 40305 ", 40305)])
def test_cancel_reason_code_forms(client: TestClient, given: Any, code: int) -> None:
    p = parcel(client, "accepted")
    body = v3(cancel(client, [{"tracking_id": p["logistics_order_code"], "cancel_reason_code": given}]))
    assert [r["wish_standard_tracking_id"] for r in body["is_cancelling_orders"]] == [wosp(p)]
    assert order_of(client, wosp(p))["cancel_reason_code"] == code


@pytest.mark.parametrize("given", [49999, "49999", "USER_OTHER_REASON", "user_other_reason"])
def test_the_other_reason_with_its_text(client: TestClient, given: Any) -> None:
    p = parcel(client, "accepted")
    body = v3(cancel(client, [{"wish_standard_tracking_id": wosp(p), "cancel_reason_code": given,
                               "invalid_reason": "buyer changed address"}]))
    assert len(body["is_cancelling_orders"]) == 1
    assert order_of(client, wosp(p))["cancel_reason_code"] == 49999


REFUSED_ITEMS: list[tuple[str, Any, int, str]] = [
    ("unknown code", {"cancel_reason_code": 12345}, 1000, "cancel_reason_code"),
    ("code out of the table", {"cancel_reason_code": 40100}, 1000, "cancel_reason_code"),
    ("unknown enum name", {"cancel_reason_code": "USER_CHANGED_MIND"}, 1000, "cancel_reason_code"),
    ("boolean code", {"cancel_reason_code": True}, 1000, "cancel_reason_code"),
    ("49999 without invalid_reason", {"cancel_reason_code": 49999}, 1001, "invalid_reason"),
    ("other reason, blank text", {"cancel_reason_code": "USER_OTHER_REASON", "invalid_reason": "  "}, 1001,
     "invalid_reason"),
    ("no tracking id", {"tracking_id": None, "cancel_reason_code": 40101}, 1001, "tracking_id must be provided"),
    ("not an object", "WI000000000001EPC", 1000, "orders"),
]


@pytest.mark.parametrize(("case", "bad", "code", "text"), REFUSED_ITEMS, ids=[c[0] for c in REFUSED_ITEMS])
@pytest.mark.parametrize("form", ["object", "array"])
def test_a_refused_item_refuses_the_request_and_cancels_nothing(client: TestClient, form: str, case: str, bad: Any,
                                                                code: int, text: str) -> None:
    first, last = parcel(client, "accepted"), parcel(client, "created")
    good = {"tracking_id": first["logistics_order_code"], "cancel_reason_code": 40101}
    if isinstance(bad, dict):
        bad = {k: v for k, v in {"wish_standard_tracking_id": wosp(last), **bad}.items() if v is not None}
        if case == "no tracking id":
            bad.pop("wish_standard_tracking_id")
    items = [good, bad]
    r = cancel(client, items) if form == "object" else cancel_array(client, items)
    assert text in v3(r, 400, code)["message"]
    got = orders_of(client, [wosp(first), wosp(last)])
    assert [o["state_name"] for o in got.values()] == ["Accepted", "Created"]


def test_more_than_100_is_refused_and_100_is_not(client: TestClient) -> None:
    p = parcel(client, "accepted")
    item = {"tracking_id": p["logistics_order_code"], "cancel_reason_code": 40101}
    v3(cancel(client, [item] * 101), 400, 1000)
    assert isinstance(cancel_array(client, [item] * 101).json(), dict)  # a refusal, not a result array
    assert order_of(client, wosp(p))["state_name"] == "Accepted"
    results = cancel_array(client, [item] * 100).json()
    assert len(results) == 100 and results[0]["cancel_result_code"] == 0
    assert {r["cancel_result_code"] for r in results[1:]} == {3}  # the first one cancelled it


@pytest.mark.parametrize("body", [{"orders": []}, {}])
def test_no_orders_is_tracking_id_must_be_provided(client: TestClient, body: dict[str, Any]) -> None:
    r = client.post(CANCEL, json={"access_token": DEFAULT_WISHPOST_TOKEN, **body})
    assert v3(r, 400, 1001)["message"] == "tracking_id must be provided"  # WP-DOC's error example


def test_the_1001_cancel_body_is_the_documented_one(client: TestClient) -> None:
    for r in (cancel(client, [{"cancel_reason_code": 40101}]), cancel_array(client, [{"cancel_reason_code": 40101}])):
        body = v3(r, 400, 1001)  # WP-DOC's error example, key for key
        assert body == {"timestamp": body["timestamp"], "message": "tracking_id must be provided", "code": 1001,
                        "is_cancelling_orders": [], "failed_cancel_orders": []}


def test_a_missing_reason_code_is_a_missing_param(client: TestClient) -> None:
    p = parcel(client, "accepted")
    body = v3(cancel(client, [{"tracking_id": p["logistics_order_code"]}]), 400, 1001)
    assert "cancel_reason_code" in body["message"] and "None" not in body["message"]


# ---- order/collection_option/confirm -------------------------------------------------------------------------------

@pytest.mark.parametrize("state", ["created", "reviewing", "accepted"])
def test_confirm_the_doc_example(client: TestClient, state: str) -> None:
    p = wosp(parcel(client, state))
    assert COLLECTION not in order_of(client, p)
    body = v3(confirm(client, p, **DOC_CONFIRM))
    assert set(body) == {"timestamp", "message", "code"} and body["message"] and body["message"] != CONFIRMED_ZH
    o = order_of(client, p)
    assert_doc_shape(o)
    assert collection(o) == (1, "42-0") and o["state_code"] == STATES[state][0]
    assert o[COLLECTION]["return_action_in_country"] == 3 and o[COLLECTION]["reverse_logistics_mode"] == 1
    assert v3(confirm(client, p, **DOC_CONFIRM, locale="zh"))["message"] == CONFIRMED_ZH  # WP-DOC's example


def test_confirm_drop_off(client: TestClient) -> None:
    p = wosp(parcel(client, "created"))
    v3(confirm(client, p, **DOC_CONFIRM))
    v3(confirm(client, p, doorpickup=0))
    assert collection(order_of(client, p)) == (0, "")
    v3(confirm(client, p, doorpickup=0, return_action_in_country=2, reverse_logistics_mode=3))
    v3(confirm(client, p, doorpickup=1, pickup_service="27-1", pickup_address=PICKUP_ADDRESS))
    assert collection(order_of(client, p)) == (1, "27-1")


def test_drop_off_drops_the_pickup_service_given_at_creation(client: TestClient) -> None:
    """After a drop-off no pickup service applies (WP-DOC: "if choose self deliver, this field can be none")."""
    made = create_orders(client, ["pk1"], pickup_service="27-1")
    p = made["pk1"][0]
    v3(confirm(client, p, doorpickup=0))
    assert collection(order_of(client, p)) == (0, "")


CONFIRM_REFUSALS: list[tuple[str, dict[str, Any], int, str]] = [
    ("door pickup without a service", {"doorpickup": 1, "pickup_address": PICKUP_ADDRESS}, 1001, "pickup_service"),
    ("an unknown service", {"doorpickup": 1, "pickup_service": "99-9", "pickup_address": PICKUP_ADDRESS}, 1000,
     "pickup_service"),
    ("door pickup without an address", {"doorpickup": 1, "pickup_service": "42-0"}, 1001, "pickup_address"),
    ("return to an address not given", {"doorpickup": 0, "return_action_in_country": 3}, 1001, "return_address"),
    ("no doorpickup", {}, 1001, "doorpickup"),
    ("doorpickup 2", {"doorpickup": 2}, 1000, "doorpickup"),
    ("return action 1", {"doorpickup": 0, "return_action_in_country": 1}, 1000, "return_action_in_country"),
    ("reverse mode 2", {"doorpickup": 0, "reverse_logistics_mode": 2}, 1000, "reverse_logistics_mode"),
]


@pytest.mark.parametrize(("case", "body", "code", "text"), CONFIRM_REFUSALS, ids=[c[0] for c in CONFIRM_REFUSALS])
def test_confirm_refusals(client: TestClient, case: str, body: dict[str, Any], code: int, text: str) -> None:
    p = wosp(parcel(client, "created"))
    assert text in v3(confirm(client, p, **body), 400, code)["message"]
    assert COLLECTION not in order_of(client, p)  # unchanged


def test_confirm_needs_the_parcel(client: TestClient) -> None:
    assert "wish_standard_tracking_id" in v3(confirm(client, None, doorpickup=0), 400, 1001)["message"]
    assert UNKNOWN_WOSP in v3(confirm(client, UNKNOWN_WOSP, doorpickup=0), 400, 1000)["message"]


@pytest.mark.parametrize("state", ["shipping", "completed", "canceled"])
def test_confirm_is_refused_once_the_parcel_ships_or_is_cancelled(client: TestClient, state: str) -> None:
    p = wosp(parcel(client, state))
    body = v3(confirm(client, p, **DOC_CONFIRM), 400, 1002)
    assert STATES[state][1] in body["message"]
    assert v3(confirm(client, p, doorpickup=0, locale="zh"), 400, 1002)["message"] == message(
        "wp_collection_closed", "zh", state=STATES[state][1])
    assert COLLECTION not in order_of(client, p)


def test_confirm_refused_after_a_cancel(client: TestClient) -> None:
    p = wosp(parcel(client, "accepted"))
    v3(confirm(client, p, doorpickup=0))
    v3(cancel(client, [{"wish_standard_tracking_id": p, "cancel_reason_code": 40101}]))
    v3(confirm(client, p, **DOC_CONFIRM), 400, 1002)


# ---- the sandbox control -------------------------------------------------------------------------------------------

def test_sandbox_parcels_for_the_bearer_or_the_named_user(client: TestClient) -> None:
    uid2 = user_id(client, SECOND_WISHPOST_TOKEN)
    r = client.post(f"{SANDBOX}/parcels", json={"count": 3, "state": "shipping"}, headers=bearer(
        DEFAULT_WISHPOST_TOKEN))
    assert r.status_code == 200 and r.json()["user_id"] == user_id(client, DEFAULT_WISHPOST_TOKEN)
    assert [p["state_code"] for p in r.json()["parcels"]] == [7, 7, 7]
    assert len({wosp(p) for p in r.json()["parcels"]}) == 3
    mine = [wosp(p) for p in r.json()["parcels"]]
    r = client.post(f"{SANDBOX}/parcels", json={"user_id": uid2, "state": "created", "seed": 2})
    assert r.status_code == 200 and r.json()["user_id"] == uid2
    theirs = wosp(r.json()["parcels"][0])
    assert list(orders_of(client, [theirs], SECOND_WISHPOST_TOKEN)) == [theirs]
    assert orders_of(client, [theirs]) == {} and orders_of(client, mine, SECOND_WISHPOST_TOKEN) == {}
    r = client.post(f"{SANDBOX}/parcels", json={})  # neither user_id nor a Bearer token
    assert r.status_code == 400 and assert_envelope_error(r)["code"] == 1001
    r = client.post(f"{SANDBOX}/parcels", headers=bearer(DEFAULT_WISHPOST_TOKEN))  # no body: one accepted parcel
    assert r.status_code == 200 and [p["state_name"] for p in r.json()["parcels"]] == ["Accepted"]


@pytest.mark.parametrize(("body", "code"), [
    ({"count": 0}, 1000), ({"count": 2001}, 1000), ({"count": "1"}, 1000), ({"state": "lost"}, 1000),
    ({"state": "Accepted"}, 1000), ({"channel": "999-9"}, 1000), ({"user_id": "0" * 24}, 1000),
    ({"color": "blue"}, None), ({"wish_order_ids": "6b167eca10b90edf1d06ec89"}, 1000)])
def test_sandbox_parcels_refusals_are_wish_errors(client: TestClient, body: dict[str, Any], code: int | None) -> None:
    r = client.post(f"{SANDBOX}/parcels", json=body, headers=bearer(DEFAULT_WISHPOST_TOKEN))
    err = assert_envelope_error(r)  # never FastAPI's 422 `detail`
    assert r.status_code == 400, r.text
    if code is not None:
        assert err["code"] == code, err


def test_sandbox_parcels_refuse_a_bad_bearer(client: TestClient) -> None:
    r = client.post(f"{SANDBOX}/parcels", json={"count": 1}, headers=bearer("nope"))
    err = assert_envelope_error(r)
    assert r.status_code == 401 and err["code"] == 1020


def test_sandbox_parcels_ship_the_named_orders(client: TestClient) -> None:
    fulfil = Wish(client).ok("order/get-fulfill", limit=2)
    order_ids = [x["Order"]["order_id"] for x in fulfil]
    tx = {x["Order"]["order_id"]: x["Order"]["transaction_id"] for x in fulfil}
    made = v3_sandbox_parcels(client, "accepted", count=2, wish_order_ids=order_ids)
    assert [p["wish_order_ids"] for p in made] == [[o] for o in order_ids]
    got = orders_of(client, [wosp(p) for p in made])
    assert [o["wish_transaction_ids"] for o in got.values()] == [[tx[o]] for o in order_ids]


def approved_orders(client: TestClient, token: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    while True:
        page = Wish(client, token).ok("order/get-fulfill", limit=100, start=len(out))
        out += [x["Order"] for x in page]
        if len(page) < 100:
            return out


@pytest.mark.parametrize("who", ["default", "second"])  # the second merchant has a buyer phone "(+30) 2145 …"
def test_sandbox_ships_any_approved_order(client: TestClient, who: str) -> None:
    """The generator never makes a parcel the API would refuse: one parcel per APPROVED order of the linked
    merchant, each linked."""
    wishpost_token, merchant_token = {"default": (DEFAULT_WISHPOST_TOKEN, DEFAULT_TOKEN),
                                      "second": (SECOND_WISHPOST_TOKEN, SECOND_TOKEN)}[who]
    ids = [o["order_id"] for o in approved_orders(client, merchant_token)]
    assert ids
    r = client.post(f"{SANDBOX}/parcels", json={"count": len(ids), "wish_order_ids": ids},
                    headers=bearer(wishpost_token))
    assert r.status_code == 200, r.text
    assert [p["wish_order_ids"] for p in r.json()["parcels"]] == [[o] for o in ids]


def test_sandbox_parcel_outcomes_refusals(client: TestClient) -> None:
    for body in ({"outcomes": ["accepted"]}, {"outcomes": "reviewing"}, {}, {"outcomes": [], "user_id": "0" * 24}):
        r = client.post(f"{SANDBOX}/parcel-outcomes", json=body, headers=bearer(DEFAULT_WISHPOST_TOKEN))
        assert r.status_code == 400, (body, r.text)
        assert_envelope_error(r)
    uid2 = user_id(client, SECOND_WISHPOST_TOKEN)
    r = client.post(f"{SANDBOX}/parcel-outcomes", json={"outcomes": ["rejected"], "user_id": uid2})
    assert r.json() == {"user_id": uid2, "pending": ["rejected"]}
    made = create_orders(client, ["mine"])  # the default user's next parcel is not forced
    assert made["mine"][0] and outcomes(client, [], SECOND_WISHPOST_TOKEN)["pending"] == ["rejected"]


def test_sandbox_state_hook(client: TestClient) -> None:
    p = parcel(client, "accepted")
    number = p["logistics_order_code"]
    r = client.post(f"{SANDBOX}/parcels/{wosp(p)}/state", json={"state": "shipping"})
    assert r.status_code == 200 and (r.json()["state_code"], r.json()["state_name"]) == (7, "Shipping")
    assert order_of(client, wosp(p))["state_code"] == 7
    assert cancel_array(client, [{"tracking_id": number, "cancel_reason_code": 40101}]).json()[0][
        "cancel_result_code"] == 4
    r = client.post(f"{SANDBOX}/parcels/{wosp(p)}/state", json={"state": "completed"})
    assert r.json()["state_code"] == 8 and order_of(client, wosp(p))["state_name"] == "Completed"
    assert 23 in [n for n, _ in events(client, number)]
    q = parcel(client, "created")
    r = client.post(f"{SANDBOX}/parcels/{wosp(q)}/state", json={"state": "canceled"})
    assert r.json()["state_code"] == 4 and order_of(client, wosp(q))["state_code"] == 4
    assert events(client, q["barcode"])[-1][0] == 48
    r = client.post(f"{SANDBOX}/parcels/{wosp(q)}/state", json={"state": "accepted"})
    assert r.json()["state_code"] == 6 and order_of(client, wosp(q))["logistics_order_code"] == q["barcode"]


def test_sandbox_event_hook(client: TestClient) -> None:
    p = parcel(client, "accepted")
    r = client.post(f"{SANDBOX}/parcels/{wosp(p)}/events", json={"status_number": 23, "remark": "In the mailbox"})
    assert r.status_code == 200 and r.json()["state_name"] == "Completed"
    assert order_of(client, wosp(p))["state_code"] == 8
    assert events(client, p["logistics_order_code"])[-1] == (23, "In the mailbox")


def test_a_picked_up_event_ships_an_accepted_parcel(client: TestClient) -> None:
    p = parcel(client, "accepted")
    r = client.post(f"{SANDBOX}/parcels/{wosp(p)}/events", json={"status_number": 2})
    assert r.status_code == 200
    assert order_of(client, wosp(p))["state_name"] == "Shipping"


@pytest.mark.parametrize("hook", ["state", "events"])
def test_sandbox_hooks_refusals(client: TestClient, hook: str) -> None:
    good = {"state": {"state": "shipping"}, "events": {"status_number": 23}}[hook]
    r = client.post(f"{SANDBOX}/parcels/{UNKNOWN_WOSP}/{hook}", json=good)
    assert r.status_code == 404 and assert_envelope_error(r)["code"] == 1004 and UNKNOWN_WOSP in r.json()["message"]
    p = wosp(parcel(client, "accepted"))
    refusals: dict[str, list[dict[str, Any]]] = {
        "state": [{"state": "lost"}, {}], "events": [{"status_number": 998}, {"status_number": 0}, {}]}
    bad = refusals[hook]
    for body in bad:
        r = client.post(f"{SANDBOX}/parcels/{p}/{hook}", json=body)
        assert r.status_code == 400 and assert_envelope_error(r)["code"] in (1000, 1001), (body, r.text)
    assert order_of(client, p)["state_name"] == "Accepted"


def test_sandbox_link_of_a_user_to_a_merchant(client: TestClient) -> None:
    users = client.get(f"{SANDBOX}/users").json()
    assert all({"tokens", "api_key", "merchant_id"} <= set(u) for u in users)
    uid2 = user_id(client, SECOND_WISHPOST_TOKEN)
    second_merchant = next(m["id"] for m in client.get("/sandbox/api/merchants").json() if SECOND_TOKEN in m["tokens"])

    def linked() -> str | None:
        return next(u["merchant_id"] for u in client.get(f"{SANDBOX}/users").json() if u["id"] == uid2)

    r = client.post(f"{SANDBOX}/users/{uid2}/link", json={"merchant_id": None})
    assert r.status_code == 200 and r.json() == {"user_id": uid2, "merchant_id": None} and linked() is None
    unlinked = v3_sandbox_parcels(client, "accepted", SECOND_WISHPOST_TOKEN, count=2)
    assert [p["wish_order_ids"] for p in unlinked] == [[], []]
    assert [o["wish_transaction_ids"] for o in orders_of(client, [wosp(p) for p in unlinked],
                                                         SECOND_WISHPOST_TOKEN).values()] == [[], []]
    r = client.post(f"{SANDBOX}/users/{uid2}/link", json={"merchant_id": second_merchant})
    assert r.json() == {"user_id": uid2, "merchant_id": second_merchant} and linked() == second_merchant
    made = v3_sandbox_parcels(client, "accepted", SECOND_WISHPOST_TOKEN, count=2, seed=3)
    for p in made:
        order = merchant_order(client, p["wish_order_ids"][0], SECOND_TOKEN)  # the second merchant's order
        assert order["state"] == "APPROVED"
        assert order_of(client, wosp(p), SECOND_WISHPOST_TOKEN)["wish_transaction_ids"] == [order["transaction_id"]]
    r = client.post(f"{SANDBOX}/users/{uid2}/link", json={"merchant_id": "f" * 24})
    assert r.status_code == 400 and assert_envelope_error(r)["code"] == 1000 and linked() == second_merchant
    r = client.post(f"{SANDBOX}/users/{'0' * 24}/link", json={"merchant_id": None})
    assert r.status_code == 404 and assert_envelope_error(r)["code"] == 1004
    r = client.post(f"{SANDBOX}/users/{uid2}/link", json={})
    assert r.status_code == 400 and assert_envelope_error(r)["code"] == 1001


# ---- isolation between WishPost users -----------------------------------------------------------------------------

def test_the_second_user_never_sees_nor_changes_the_default_users_parcels(client: TestClient) -> None:
    accepted, created = parcel(client, "accepted"), parcel(client, "created")
    ids = [wosp(accepted), wosp(created)]
    body = v3(status_call(client, ids, SECOND_WISHPOST_TOKEN))
    assert (body["message"], body["orders"]) == (NOT_FOUND, [])
    tx = merchant_order(client, accepted["wish_order_ids"][0])["transaction_id"]
    body = v3(client.post(STATUS, json={"wish_transaction_ids": [tx]}, headers=bearer(SECOND_WISHPOST_TOKEN)))
    assert body["orders"] == []
    uid2 = user_id(client, SECOND_WISHPOST_TOKEN)
    results = cancel_array(client, [
        {"tracking_id": accepted["logistics_order_code"], "cancel_reason_code": 40101},
        {"wish_standard_tracking_id": wosp(created), "cancel_reason_code": 40101}], SECOND_WISHPOST_TOKEN).json()
    assert [(r["cancel_result_code"], r["user_id"]) for r in results] == [(2, uid2), (2, uid2)]
    body = v3(cancel(client, [{"wish_standard_tracking_id": wosp(created), "cancel_reason_code": 40101}],
                     SECOND_WISHPOST_TOKEN))
    assert body["is_cancelling_orders"] == [] and body["failed_cancel_orders"][0]["cancel_result_code"] == 2
    mine = v3(confirm(client, wosp(created), SECOND_WISHPOST_TOKEN, **DOC_CONFIRM), 400, 1000)
    unknown = v3(confirm(client, UNKNOWN_WOSP, SECOND_WISHPOST_TOKEN, **DOC_CONFIRM), 400, 1000)
    assert mine["message"].replace(wosp(created), "X") == unknown["message"].replace(UNKNOWN_WOSP, "X")
    got = orders_of(client, ids)  # the owner's view: nothing changed
    assert [(o["state_name"], COLLECTION in o) for o in got.values()] == [("Accepted", False), ("Created", False)]


def test_the_default_user_never_sees_the_second_users_parcels(client: TestClient) -> None:
    theirs = parcel(client, "created", SECOND_WISHPOST_TOKEN, seed=1)
    assert orders_of(client, [wosp(theirs)]) == {}
    v3(confirm(client, wosp(theirs), doorpickup=0), 400, 1000)
    results = cancel_array(client, [{"wish_standard_tracking_id": wosp(theirs), "cancel_reason_code": 40101}]).json()
    assert results[0]["cancel_result_code"] == 2
    assert order_of(client, wosp(theirs), SECOND_WISHPOST_TOKEN)["state_name"] == "Created"


# ---- the v3 envelope -------------------------------------------------------------------------------------------------

def test_every_answer_has_the_envelope_and_a_request_id(client: TestClient) -> None:
    at: datetime = freeze(client)
    beijing = (at + timedelta(hours=8)).strftime("%Y-%m-%d %H:%M:%S")
    p = wosp(parcel(client, "created"))
    token = {"access_token": DEFAULT_WISHPOST_TOKEN}
    calls: list[tuple[str, dict[str, Any], int, int]] = [
        (STATUS, {**token, "wish_standard_tracking_ids": [p]}, 200, 0),
        (STATUS, token, 400, 1001),
        (STATUS, {**token, "wish_standard_tracking_ids": [p] * 501}, 400, 1000),
        (STATUS, {"access_token": "nope", "wish_standard_tracking_ids": [p]}, 401, 1020),
        (CONFIRM, {**token, "wish_standard_tracking_id": p, "doorpickup": 0}, 200, 0),
        (CONFIRM, {**token, "wish_standard_tracking_id": UNKNOWN_WOSP, "doorpickup": 0}, 400, 1000),
        (CANCEL, {**token, "orders": [{"wish_standard_tracking_id": p, "cancel_reason_code": 40101}]}, 200, 0),
        (CANCEL, {**token, "orders": [{"cancel_reason_code": 40101}]}, 400, 1001),
        (CANCEL, {**token, "orders": [{"tracking_id": "x", "cancel_reason_code": 1}]}, 400, 1000),
        (CONFIRM, {**token, "wish_standard_tracking_id": p, "doorpickup": 0}, 400, 1002),
    ]
    request_ids = set()
    for path, body, status, code in calls:
        r = client.post(path, json=body)
        answer = v3(r, status, code)
        assert answer["timestamp"] == beijing, (path, answer)  # Beijing wall time of the mock's clock
        request_ids.add(r.headers["wish-request-id"])
    r = cancel_array(client, [{"wish_standard_tracking_id": p, "cancel_reason_code": 40101}])
    assert r.status_code == 200 and isinstance(r.json(), list) and r.headers.get("wish-request-id")
    request_ids.add(r.headers["wish-request-id"])
    assert len(request_ids) == len(calls) + 1


ZH_ERRORS: list[tuple[str, dict[str, Any], int, str, str]] = [
    (STATUS, {}, 1001, "No valid wish_standard_tracking_ids is provided", "wp_no_tracking_ids"),
    (CANCEL, {"orders": [{"cancel_reason_code": 40101}]}, 1001, "tracking_id must be provided",
     "wp_tracking_id_missing"),
    (CANCEL, {"orders": [{"tracking_id": "x", "cancel_reason_code": 49999}]}, 1001,
     "invalid_reason must be provided when cancel_reason_code is 49999", "wp_invalid_reason"),
    (CONFIRM, {"wish_standard_tracking_id": UNKNOWN_WOSP, "doorpickup": 0}, 1000,
     f"No order found for wish_standard_tracking_id {UNKNOWN_WOSP}", "wp_parcel_not_found"),
]


@pytest.mark.parametrize(("path", "body", "code", "en", "key"), ZH_ERRORS, ids=[e[4] for e in ZH_ERRORS])
def test_errors_in_en_and_zh(client: TestClient, path: str, body: dict[str, Any], code: int, en: str,
                             key: str) -> None:
    token = {"access_token": DEFAULT_WISHPOST_TOKEN}
    assert v3(client.post(path, json={**token, **body}), 400, code)["message"] == en
    assert v3(client.post(path, json={**token, **body, "locale": "en"}), 400, code)["message"] == en
    zh = v3(client.post(path, json={**token, **body, "locale": "zh"}), 400, code)["message"]
    assert zh != en and re.search(r"[\u4e00-\u9fff]", zh), zh
    assert zh == message(key, "zh", code=49999, id=UNKNOWN_WOSP)


def test_bare_array_errors_follow_the_locale_query(client: TestClient) -> None:
    r = client.post(CANCEL, params={"locale": "zh"}, json=[{"cancel_reason_code": 40101}],
                    headers=bearer(DEFAULT_WISHPOST_TOKEN))
    assert v3(r, 400, 1001)["message"] == message("wp_tracking_id_missing", "zh")
