"""WishPost reference tables over HTTP: get_channels (WP-DOC's flat shape) and GET /api/v3/channels (WP-V3's
`data`, supplement-wishpost.md 2) over one channel table, warehouse, epc_warehouse_table, hub_warehouse_table
(a carrier's `X-API-Key` too), the docs' example requests replayed, every documented error in en and zh, and
the scopes table against the mounted operations."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient
from wishpost_account_support import V3, book, doc_example, doc_request_body, post, same_shape, v3_ok
from wishpost_support import DEFAULT_WISHPOST_TOKEN, SECOND_WISHPOST_TOKEN, bearer

from mockwish.errors import message
from mockwish.seed.wishpost import DEFAULT_CARRIER_KEY
from mockwish.wishpost import reference
from mockwish.wishpost.ops import WishPostRouter
from mockwish.wishpost.scopes import SCOPE_INFO, WISHPOST_SCOPES, apis

CARRIER = {"X-API-Key": DEFAULT_CARRIER_KEY}
EAST, SOUTH = 3001, 3002
ORDER_A, ORDER_B = "590aca048b4f8d129819b123", "5a80417edf3b162557f66123"  # WP-DOC's trande_ids


# ---- get_channels and channels ------------------------------------------------------------------------------

def test_get_channels_replays_the_docs_example(client: TestClient, wp_doc: str) -> None:
    request, (success,), (error,) = doc_example(wp_doc, "/api/v3/get_channels")
    body = v3_ok(client.post(f"{V3}/get_channels", json=doc_request_body(request)))
    assert len(body["channels"]) == len(reference.channels())
    example = success["channels"][0]
    for channel in body["channels"]:
        same_shape(channel, example, maps=("warehouses", "warehouses_return_address", "pickup_service"))
    assert body["channels"][0] == example  # otype 0: the example, value for value
    assert error == {"timestamp": error["timestamp"], "message": message("wp_api_key_unauthorized"), "code": 4000}


def test_get_channels_filters_by_otype_in_either_form(client: TestClient) -> None:
    def otypes(r: Any) -> list[str]:
        return [c["otype"] for c in v3_ok(r)["channels"]]

    assert otypes(post(client, "get_channels", channels=["36-1", "0"])) == ["0", "36-1"]  # the table's order
    assert otypes(post(client, "get_channels", channels="36-1, 11-1")) == ["11-1", "36-1"]
    assert otypes(post(client, "get_channels", channels=[0, 1])) == ["0", "1"]  # numbers are otypes too
    assert otypes(post(client, "get_channels", channels=["99-9"])) == []  # unknown otypes are left out
    r = client.get(f"{V3}/get_channels", params={"channels": "36-1"}, headers=bearer(DEFAULT_WISHPOST_TOKEN))
    epc = v3_ok(r)["channels"]
    assert [c["otype"] for c in epc] == ["36-1"]
    assert epc[0]["pickup_service"] == {"25-1": "IVPX PICKUP", "27-1": "WISE PICKUP", "42-0": "YANWEN PICKUP"}
    assert epc[0]["support_warehouses"] is False and epc[0]["warehouses"] == {} and epc[0]["channel"] == 36


def test_get_channels_refuses_more_than_100_otypes(client: TestClient) -> None:
    body = v3_ok(post(client, "get_channels", channels=[str(n) for n in range(101)]), 400, 1000)
    assert "channels" in body["message"]


def test_channels_is_the_same_table_under_data(client: TestClient) -> None:
    flat = v3_ok(post(client, "get_channels"))["channels"]
    for r in (client.get(f"{V3}/channels", headers=bearer(DEFAULT_WISHPOST_TOKEN)),
              post(client, "channels")):
        assert v3_ok(r)["data"] == flat
    ib = v3_ok(post(client, "channels", channels=["21-1"]))["data"][0]
    assert ib["warehouses"] == {"27": "EastChina Warehouse", "28": "SouthChina Warehouse"}
    assert ib["support_warehouses"] is True


# ---- warehouse ----------------------------------------------------------------------------------------------

def test_warehouse_replays_the_docs_example(client: TestClient, wp_doc: str) -> None:
    request, (success,), errors = doc_example(wp_doc, "/api/v3/warehouse")
    body = v3_ok(client.post(f"{V3}/warehouse", json=doc_request_body(request)))
    same_shape(body, success)
    assert body["warehouses"] == success["warehouses"] and body["message"] == success["message"]
    assert [e["code"] for e in errors] == [1001, 1000, 30]


@pytest.mark.parametrize("locale", ["en", "zh"])
def test_warehouse_errors(client: TestClient, locale: str) -> None:
    def error(status: int, code: int, key: str, **params: Any) -> None:
        body = v3_ok(r, status, code)
        assert body["message"] == message(key, locale, **params)

    r = post(client, "warehouse", locale=locale)
    error(400, 1001, "wp_missing_param", param="warehouse_ids")
    r = post(client, "warehouse", warehouse_ids=[], locale=locale)
    error(400, 1001, "wp_missing_param", param="warehouse_ids")
    r = post(client, "warehouse", warehouse_ids=[1001, "xyz"], locale=locale)
    error(400, 1000, "wp_invalid_integer", value="xyz")
    r = post(client, "warehouse", warehouse_ids=[1, 27, 3001], locale=locale)  # China Post, IB, hub: not EPC
    error(400, 30, "wp_no_valid_warehouse")
    if locale == "en":
        assert message("wp_invalid_integer", value="xyz") == "xyz is an invalid integer"
        assert message("wp_no_valid_warehouse") == "No valid warehouse id found."
    r = post(client, "warehouse", warehouse_ids=list(range(501)), locale=locale)
    assert v3_ok(r, 400, 1000)


def test_warehouse_answers_every_epc_code_in_the_example_shape(client: TestClient, wp_doc: str) -> None:
    _, (success,), _ = doc_example(wp_doc, "/api/v3/warehouse")
    codes = list(reference.epc_warehouses())
    body = v3_ok(post(client, "warehouse", warehouse_ids=",".join(map(str, [*codes, 9, 1001]))))
    assert [w["enum_value"] for w in body["warehouses"]] == codes  # unknown left out, each once, as asked
    for w in body["warehouses"]:
        same_shape(w, success["warehouses"][0])
        assert w["official_name_cn"] == reference.epc_warehouses()[w["enum_value"]].name_cn
    east2 = next(w for w in body["warehouses"] if w["enum_value"] == 1004)
    assert east2["official_name_en"] == "EPC East China Warehouse 2"
    assert east2["warehouse_address_en"]["name"] == "Wish EPC East China Warehouse Two"


# ---- epc_warehouse_table ------------------------------------------------------------------------------------

def test_epc_warehouse_table_replays_the_docs_example(client: TestClient, wp_doc: str) -> None:
    request, (success,), _ = doc_example(wp_doc, "/api/v3/epc_warehouse_table")
    for r in (client.post(f"{V3}/epc_warehouse_table", json=doc_request_body(request)),
              client.get(f"{V3}/epc_warehouse_table", headers=bearer(DEFAULT_WISHPOST_TOKEN))):
        body = v3_ok(r)
        same_shape(body, success)
        assert body["epc_warehouse_table"] == success["epc_warehouse_table"]


# ---- hub_warehouse_table ------------------------------------------------------------------------------------

def test_hub_warehouse_table_replays_the_docs_example(client: TestClient, wp_doc: str) -> None:
    """An EPC parcel shipping the example's first transaction goes through the East China hub; the second
    transaction is nobody's: NA, as the example answers it."""
    book(client, ORDER_A)
    request, (success,), (error,) = doc_example(wp_doc, "/api/v3/hub_warehouse_table")
    for headers in ({}, bearer(DEFAULT_WISHPOST_TOKEN)):
        body = v3_ok(client.post(f"{V3}/hub_warehouse_table", json=doc_request_body(request), headers=headers))
        assert set(body) == set(success)
        same_shape(body["all_hub_table"], success["all_hub_table"])
        assert body["query_hub_table"] == success["query_hub_table"] and body["message"] == success["message"]
        assert body["all_hub_table"] == success["all_hub_table"]
    r = client.post(f"{V3}/hub_warehouse_table", json={"trande_ids": [ORDER_A]})
    assert v3_ok(r, 400, 1001)["message"] == error["message"] == message("wp_missing_param", param="access_token")


def test_hub_of_a_parcel_follows_its_warehouse_and_state(client: TestClient) -> None:
    china_post = book(client, "aaaaaaaaaaaaaaaaaaaaaaa1", otype="0")
    epc = book(client, "aaaaaaaaaaaaaaaaaaaaaaa2")
    book(client, "aaaaaaaaaaaaaaaaaaaaaaa3", otype="21-1")  # IB: no hub either
    ids = ["aaaaaaaaaaaaaaaaaaaaaaa1", "aaaaaaaaaaaaaaaaaaaaaaa2", "not-an-order", "aaaaaaaaaaaaaaaaaaaaaaa3"]
    rows = v3_ok(post(client, "hub_warehouse_table", trande_ids=ids))["query_hub_table"]
    assert [(r["trande_id"], r["hub_warehouse_code"]) for r in rows] == [(ids[0], "NA"), (ids[1], EAST),
                                                                       (ids[2], "NA"), (ids[3], "NA")]
    assert rows[1]["hub_warehouse_name"] == "华东HUB 1仓" and rows[0]["hub_warehouse_name"] == "NA"
    assert china_post.startswith("WOSP")
    r = client.post(f"{V3}/cancel_orders", json={"access_token": DEFAULT_WISHPOST_TOKEN, "orders": [
        {"wish_standard_tracking_id": epc, "cancel_reason_code": 40101}]})
    assert v3_ok(r)["is_cancelling_orders"], r.text
    rows = v3_ok(post(client, "hub_warehouse_table", trande_ids=ids[1:2]))["query_hub_table"]
    assert rows[0]["hub_warehouse_code"] == "NA"  # a cancelled parcel ships through no hub


def test_hub_lookup_is_the_users_own(client: TestClient) -> None:
    book(client, ORDER_A)
    rows = v3_ok(post(client, "hub_warehouse_table", SECOND_WISHPOST_TOKEN, trande_ids=[ORDER_A]))["query_hub_table"]
    assert rows[0]["hub_warehouse_code"] == "NA"


def test_hub_table_without_ids(client: TestClient) -> None:
    body = v3_ok(client.get(f"{V3}/hub_warehouse_table", headers=bearer(DEFAULT_WISHPOST_TOKEN)))
    assert body["query_hub_table"] == [] and [h["hub_warehouse_code"] for h in body["all_hub_table"]] == [SOUTH, EAST]
    assert v3_ok(post(client, "hub_warehouse_table", trande_ids=[str(n) for n in range(101)]), 400, 1000)


def test_a_carrier_sees_the_parcels_bound_for_its_hub(client: TestClient) -> None:
    book(client, ORDER_A)  # the default user's EPC parcel: the East China hub, the seeded carrier's
    body = v3_ok(client.post(f"{V3}/hub_warehouse_table", json={"trande_ids": [ORDER_A, ORDER_B]}, headers=CARRIER))
    assert [r["hub_warehouse_code"] for r in body["query_hub_table"]] == [EAST, "NA"]
    assert len(body["all_hub_table"]) == 2
    south = client.post("/sandbox/api/wishpost/carriers", json={"name": "South", "hub_warehouse_code": SOUTH}).json()
    body = v3_ok(client.post(f"{V3}/hub_warehouse_table", json={"trande_ids": [ORDER_A]},
                             headers={"X-API-Key": south["api_key"]}))
    assert body["query_hub_table"][0]["hub_warehouse_code"] == "NA"  # another hub's parcel


@pytest.mark.parametrize("op", ["get_channels", "channels", "warehouse", "epc_warehouse_table", "account_info",
                                "announcements", "scopes"])
def test_the_carrier_key_is_refused_elsewhere(client: TestClient, op: str) -> None:
    body = v3_ok(client.post(f"{V3}/{op}", json={"warehouse_ids": [1001]}, headers=CARRIER), 401, 4000)
    assert body["message"] == message("wp_api_key_unauthorized")


# ---- scopes ---------------------------------------------------------------------------------------------------

def test_scopes_replays_the_docs_example(client: TestClient, wp_doc: str) -> None:
    request, (success,), (error,) = doc_example(wp_doc, "/api/v3/scopes")
    body = v3_ok(client.post(f"{V3}/scopes", json=doc_request_body(request)))
    same_shape(body, success)
    assert body["message"] == success["message"] == "Success"
    assert [s["name"] for s in body["scopes"]] == list(WISHPOST_SCOPES)
    documented = {s["name"]: s for s in success["scopes"]}
    for scope in body["scopes"]:
        if scope["name"] in documented:
            doc = documented[scope["name"]]
            assert {k: v for k, v in scope.items() if k != "apis"} == {k: v for k, v in doc.items() if k != "apis"}
    assert "/api/v3/create_order" not in {a for s in body["scopes"] for a in s["apis"]}
    body = v3_ok(client.post(f"{V3}/scopes", json={"access_token": DEFAULT_WISHPOST_TOKEN, "scope_names": ["x.y"]}))
    assert body["scopes"] == error["scopes"] == [] and body["message"] == error["message"]


def _mounted() -> dict[str, set[str]]:
    """path -> the scopes its operations declare, for every WishPost operation the app mounts (its route
    modules' WishPostRouter instances) that a token opens (the OAuth token endpoints and the announcement
    page need none; oauth/test needs any)."""
    import mockwish.app as app_module

    out: dict[str, set[str]] = {}
    for name in dir(app_module):
        module = getattr(app_module, name)
        router = getattr(module, "router", None)
        if not isinstance(router, WishPostRouter):
            continue
        for op in router.operations:
            if op.auth == "none" or not op.path.startswith("/api/") or op.path == "/api/v3/oauth/test":
                continue
            out.setdefault(op.path, set()).update(op.scope.split("|"))
    return out


@pytest.mark.parametrize("path", sorted({a for s in WISHPOST_SCOPES for a in apis(s)}))
def test_every_path_the_scopes_list_is_mounted_under_that_scope(path: str) -> None:
    mounted = _mounted()
    assert path in mounted, f"{path} is listed in the scopes but no operation serves it"
    listing = {s for s in WISHPOST_SCOPES if path in apis(s)}
    assert mounted[path] <= listing, (path, mounted[path], listing)


def test_every_mounted_operation_is_in_the_scopes_of_its_declaration() -> None:
    mounted = _mounted()
    assert {"/api/v3/get_channels", "/api/v3/announcements", "/api/v3/account_info"} <= set(mounted)
    for path, declared in mounted.items():
        assert declared <= set(SCOPE_INFO), (path, declared)
        for scope in declared:
            assert path in apis(scope), f"{path} declares {scope} but that scope does not list it"


def test_a_wish_transaction_finds_the_parcel_shipping_its_orders(client: TestClient) -> None:
    """A parcel linked to the merchant's Wish order: its transaction id (as order_status reports it) and the
    order id both name the parcel's hub."""
    r = client.post("/sandbox/api/wishpost/parcels", json={"count": 1, "state": "accepted", "channel": "36-1"},
                    headers=bearer(DEFAULT_WISHPOST_TOKEN))
    assert r.status_code == 200, r.text
    made = r.json()["parcels"][0]
    status = v3_ok(post(client, "order_status", wish_standard_tracking_ids=[made["wish_standard_tracking_id"]]))
    (order,) = status["orders"]
    ids = [*order["wish_transaction_ids"], *made["wish_order_ids"]]
    assert ids, made
    rows = v3_ok(post(client, "hub_warehouse_table", trande_ids=ids))["query_hub_table"]
    assert [r["hub_warehouse_code"] for r in rows] == [EAST] * len(ids)
