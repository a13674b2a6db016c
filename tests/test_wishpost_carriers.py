"""Pickup carriers: the `X-API-Key` of supplement-wishpost.md 2 (orders_bag and hub_warehouse_table accept it;
every other operation answers WP-DOC's 4000 "API key is unauthorized"), the seeded key, and the sandbox's
list and creation of carriers."""

from __future__ import annotations

from starlette.testclient import TestClient
from wishpost_support import DEFAULT_WISHPOST_TOKEN, bearer

from mockwish.errors import message
from mockwish.seed.wishpost import DEFAULT_CARRIER_HUB, DEFAULT_CARRIER_KEY

CARRIERS = "/sandbox/api/wishpost/carriers"
SCOPES = "/wishpost/api/v3/scopes"


def test_the_seeded_carrier_is_listed_with_its_key(client: TestClient) -> None:
    r = client.get(CARRIERS)
    assert r.status_code == 200
    assert {"api_key": DEFAULT_CARRIER_KEY, "hub_warehouse_code": DEFAULT_CARRIER_HUB}.items() <= r.json()[0].items()


def test_a_new_carrier_gets_a_key_of_its_own(client: TestClient) -> None:
    made = client.post(CARRIERS, json={"name": "South pickup", "hub_warehouse_code": 3002}).json()
    assert made["hub_warehouse_code"] == 3002 and len(made["api_key"]) == 32
    assert made in client.get(CARRIERS).json()
    assert client.post(CARRIERS, json={"hub_warehouse_code": 1001}).status_code == 400  # not a hub


def test_a_carrier_key_on_an_operation_for_users_is_4000(client: TestClient) -> None:
    for key in (DEFAULT_CARRIER_KEY, "not-a-key"):
        r = client.post(SCOPES, headers={"X-API-Key": key}, json={"scope_names": []})
        assert r.status_code == 401
        assert r.json()["code"] == 4000 and r.json()["message"] == message("wp_api_key_unauthorized")


def test_bearer_comes_before_the_carrier_key(client: TestClient) -> None:
    """supplement 2: Bearer, then X-API-Key, then the body's and the query's access_token."""
    r = client.post(SCOPES, headers={**bearer(DEFAULT_WISHPOST_TOKEN), "X-API-Key": "not-a-key"}, json={})
    assert r.status_code == 200 and r.json()["code"] == 0
    r = client.post(SCOPES, headers={"X-API-Key": "not-a-key"}, json={"access_token": DEFAULT_WISHPOST_TOKEN})
    assert r.json()["code"] == 4000  # the header is read before the body's token
