"""The merchant doc's own error example (issue #10), replayed as its curl sends it.

"API Errors" and "How To Debug" (wish-merchant-api-v2.txt) fulfil order 098765432112345678901234 of the
merchant whose token is an_example_access_token:

  Example Request
  > curl https://merchant.wish.com/api/v2/order/fulfill-one -d "tracking_provider=USPSSSSSSSSSSSSSSSSSSSSSSSSS
    &tracking_number=12345679&id=098765432112345678901234&access_token=an_example_access_token"
  Example Response
  {"message":"Tracking provider is not one of the accepted providers on Wish", "code":1000, "data":2003}

  "USPSSSSSSSSSSSSSSSSSSSSSSSSS is not a shipping provider, to fix, change it to USPS"
  Example Request 2
  > curl https://merchant.wish.com/api/v2/order/fulfill-one -d "tracking_provider=USPS&tracking_number=12345679
    &id=098765432112345678901234&access_token=an_example_access_token"
  Example Response 2
  {'code': 0, 'data': {'success': True}, 'message': 'Your order is been processed right now!'}

The doc prints no HTTP status for them; its "HTTP Status Codes" says an error with the inputs is a 4xx.
The order is seeded (fixtures/doc_catalogue.json, APPROVED). The carrier is checked before the origin
country, so Example 1 answers exactly as printed whatever the settings. Example 2 sends no
origin_country_code: the API has required it since late 2018 (supplement 2.5), so by default it answers
1001; with MOCKWISH_ORDER_ORIGIN_COUNTRY_REQUIRED=false it answers as the doc prints."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from mockwish.app import create_app
from mockwish.config import Settings
from support import SECOND_TOKEN, Wish, fresh_client

DOC_ORDER = "098765432112345678901234"
DOC_SKU, DOC_PRODUCT = "blue-shoe-11", "123456789009876543211234"  # what the seeded doc order bought
EXAMPLE_1 = ("tracking_provider=USPSSSSSSSSSSSSSSSSSSSSSSSSS&tracking_number=12345679&id=098765432112345678901234"
             "&access_token=an_example_access_token")
EXAMPLE_2 = ("tracking_provider=USPS&tracking_number=12345679&id=098765432112345678901234"
             "&access_token=an_example_access_token")
RESPONSE_1 = {"message": "Tracking provider is not one of the accepted providers on Wish", "code": 1000, "data": 2003}
RESPONSE_2 = {"code": 0, "data": {"success": True}, "message": "Your order is been processed right now!"}
ORIGIN_MISSING = {"code": 1001, "message": "Required Param 'origin_country_code' Missing",
                  "data": "origin_country_code"}


def curl_d(client: TestClient, body: str, path: str = "/api/v2/order/fulfill-one"):  # noqa: ANN201
    """`curl URL -d "<body>"`: a POST of that exact urlencoded body."""
    return client.post(path, content=body, headers={"Content-Type": "application/x-www-form-urlencoded"})


def order(client: TestClient) -> dict[str, Any]:
    return Wish(client).ok("order", "GET", id=DOC_ORDER)["Order"]  # type: ignore[no-any-return]


def assert_example_1(client: TestClient) -> None:
    r = curl_d(client, EXAMPLE_1)
    assert 400 <= r.status_code < 500, (r.status_code, r.text)  # "4xx means that there was an error with the inputs"
    assert r.status_code == 400
    assert r.json() == RESPONSE_1  # exactly the three keys the doc prints
    assert r.headers.get("Wish-Request-Id")  # "Request ID": every answer carries one
    assert order(client)["state"] == "APPROVED"


# ---- the seeded order -------------------------------------------------------------------------------------

def test_the_docs_order_is_seeded_for_the_default_merchant(client: TestClient, wish: Wish) -> None:
    o = order(client)
    assert o["order_id"] == DOC_ORDER and o["state"] == "APPROVED"
    assert o["sku"] == DOC_SKU and o["product_id"] == DOC_PRODUCT and o["ShippingDetail"]["country"] == "US"
    assert DOC_ORDER in {x["Order"]["order_id"] for x in wish.ok("order/get-fulfill", "GET", limit=500)}
    Wish(client, SECOND_TOKEN).err("order", 1004, 400, "GET", id=DOC_ORDER)  # another merchant's: not found
    # its product keeps the inventory and number sold the docs' examples and the fixture show
    assert wish.ok("variant", "GET", sku=DOC_SKU)["Variant"]["inventory"] == "100"
    assert wish.ok("product", "GET", id=DOC_PRODUCT)["Product"]["number_sold"] == "42"


# ---- default settings (the `client` fixture resets the mock before each test) ------------------------------

def test_api_errors_example(client: TestClient) -> None:
    assert_example_1(client)


def test_how_to_debug_example_2_needs_the_origin_country_by_default(client: TestClient) -> None:
    r = curl_d(client, EXAMPLE_2)
    assert r.status_code == 400 and r.json() == ORIGIN_MISSING
    assert order(client)["state"] == "APPROVED"
    # with the origin country, the same request ships the order
    r = curl_d(client, EXAMPLE_2 + "&origin_country_code=CN")
    assert r.status_code == 200 and r.json() == RESPONSE_2
    assert order(client)["state"] == "SHIPPED"


def test_modify_tracking_checks_the_carrier_before_the_origin_country(client: TestClient) -> None:
    assert curl_d(client, EXAMPLE_2 + "&origin_country_code=CN").json()["code"] == 0
    r = curl_d(client, EXAMPLE_1, "/api/v2/order/modify-tracking")
    assert r.status_code == 400 and r.json() == RESPONSE_1
    r = curl_d(client, EXAMPLE_2.replace("12345679", "12345680"), "/api/v2/order/modify-tracking")
    assert r.status_code == 400 and r.json() == ORIGIN_MISSING


# ---- MOCKWISH_ORDER_ORIGIN_COUNTRY_REQUIRED=false -----------------------------------------------------------

@pytest.fixture(scope="module")
def relaxed_app(tmp_path_factory: pytest.TempPathFactory) -> Any:
    data: Path = tmp_path_factory.mktemp("origin-optional")
    return create_app(Settings(data_dir=data, products_per_merchant=4, seed=42, order_origin_country_required=False))


@pytest.fixture
def relaxed(relaxed_app: Any) -> Iterator[TestClient]:
    """A client of the mock run without the origin-country requirement, reset like the `client` fixture."""
    with fresh_client(relaxed_app) as c:
        yield c


def test_how_to_debug_as_printed_when_the_origin_country_is_optional(relaxed: TestClient) -> None:
    assert_example_1(relaxed)  # the carrier is refused first, whatever the origin-country setting
    r = curl_d(relaxed, EXAMPLE_2)
    assert r.status_code == 200 and r.json() == RESPONSE_2
    o = order(relaxed)
    assert (o["state"], o["shipping_provider"], o["tracking_number"]) == ("SHIPPED", "USPS", "12345679")
    # sent again, the order is already fulfilled
    assert curl_d(relaxed, EXAMPLE_2).json()["code"] == 1002


def test_example_2_alone_when_the_origin_country_is_optional(relaxed: TestClient) -> None:
    r = curl_d(relaxed, EXAMPLE_2)
    assert r.status_code == 200 and r.json() == RESPONSE_2
    assert curl_d(relaxed, EXAMPLE_1, "/api/v2/order/modify-tracking").json() == RESPONSE_1
