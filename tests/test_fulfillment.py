"""The read-only Fulfillment endpoints (accepted carriers, Confirmed Delivery countries and carriers, with their
older /order/ paths) through HTTP, the docs' example requests replayed against their example responses, and
unit tests of the reference loaders the order domain imports."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from importlib import resources
from typing import Any

import pytest
from starlette.testclient import TestClient

from conformance.shape import compare
from mockwish import reference
from mockwish.errors import message
from support import DEFAULT_TOKEN, Wish, assert_envelope_error, check_answer, minted_token

CARRIERS = "fulfillment/get-shipping-carriers"
COUNTRIES = ("fulfillment/get-confirmed-delivery-countries", "order/get-confirmed-delivery-countries")
FOR_COUNTRY = ("fulfillment/get-confirmed-delivery-shipping-carriers-for-country",
               "order/get-confirmed-delivery-shipping-carriers-for-country")
ALL_PATHS = (CARRIERS, *COUNTRIES, *FOR_COUNTRY)
ALIASES = {COUNTRIES[0]: COUNTRIES[1], FOR_COUNTRY[0]: FOR_COUNTRY[1]}  # /fulfillment/ path -> older /order/ path
US_CARRIERS = ["USPS", "WishPost", "EMS (China)", "AsendiaUSA", "BRTBartolini", "DPD", "DPEXChina", "EMPSExpress",
               "EPacket", "FedEx", "GLS", "Hermes", "SFExpress", "TNT", "TollIPEC", "UPS", "XPO", "YODEL"]
QUALIFIED = "https://merchant.wish.com/documentation/v2/qualifiedcarriers"

# The docs' example requests (wish-merchant-api-v2.txt, Fulfillment) as their curl sends them (-d = POST form),
# with the example responses they print (Python-dict quotes turned into JSON; long lists cut, which the shape
# comparison does not mind: it checks keys and value types).
DOC_EXAMPLES: list[tuple[str, str, dict[str, str], dict[str, Any]]] = [
    ("get-shipping-carriers (line 4174)", CARRIERS, {"access_token": "an_example_access_token"},
     {"message": "", "code": 0, "data": {"shipping_carriers": ["4PX", "ABF", "AirpakExpress", "YunExpress"]}}),
    ("get-confirmed-delivery-countries (line 4352)", COUNTRIES[0], {"access_token": "an_example_access_token"},
     {"message": "", "code": 0, "data": {"countries": ["FR", "DE", "GB", "US"]}}),
    ("get-confirmed-delivery-shipping-carriers-for-country (line 4426)", FOR_COUNTRY[0],
     {"country_code": "'US'", "access_token": "an_example_access_token"},
     {"message": "", "code": 0, "data": {"carriers": US_CARRIERS, "extra_info": {"WishPost": QUALIFIED}}}),
]
# the section's second example response (line 4490): a country that needs no Confirmed Delivery
NOT_REQUIRED = {"code": 0, "data": {"carriers": [], "extra_info": {}}, "message": ""}


def data_file(name: str) -> dict[str, Any]:
    return json.loads(resources.files("mockwish.reference").joinpath("data", name).read_text(encoding="utf-8"))


def xml_data(text: str) -> ET.Element:
    root = ET.fromstring(text)
    assert root.tag == "Response" and root.findtext("code") == "0" and root.findtext("message") == "", text[:300]
    data = root.find("data")
    assert data is not None
    return data



# ---- the reference loaders ------------------------------------------------------------------------------

def test_accepted_carriers_are_the_union_of_both_doc_lists_alphabetized() -> None:
    carriers = reference.accepted_carriers()
    assert isinstance(carriers, tuple) and carriers is reference.accepted_carriers()  # loaded once
    assert list(carriers) == sorted(set(carriers)) and len(carriers) == 250
    # the doc's full list starts with ABF and ends with wnDirect, in ASCII order, which the union keeps
    assert carriers[:4] == ("4PX", "ABF", "ADSOne", "APCPostalLogistics") and carriers[-1] == "wnDirect"
    assert carriers.index("default-provider") > carriers.index("Zinc")  # lower case after upper case
    source = data_file("carriers.json")["_source"]
    only_example = source["only_in_example_response"]
    assert set(only_example) < set(carriers) and {"4PX", "EPacket", "YunExpress", "WeDoLogisitics"} <= set(
        only_example)
    assert len(only_example) + source["only_in_full_list_count"] + source["in_both_count"] == len(carriers)
    for name in ("ABF", "wnDirect", "DPD Romania", "EMS (China)", "USPS", "WishPost"):  # from the full list
        assert name in carriers and name not in only_example


@pytest.mark.parametrize(("name", "canonical"), [
    ("USPS", "USPS"), ("usps", "USPS"), ("Usps", "USPS"), (" DHL ", "DHL"), ("ems (china)", "EMS (China)"),
    ("DEFAULT-PROVIDER", "default-provider"), ("wedologisitics", "WeDoLogisitics"), ("yodel", "YODEL"),
    ("USPSSSSSSSSSSSSSSSSSSSSSSSSS", None),  # the docs' own example of a refused provider
    ("", None), ("US PS", None), ("EMS(China)", None), ("nope", None),
])
def test_carrier_canonical(name: str, canonical: str | None) -> None:
    assert reference.carrier_canonical(name) == canonical


def test_every_carrier_is_its_own_canonical_spelling() -> None:
    for name in reference.accepted_carriers():
        assert reference.carrier_canonical(name) == name
        assert reference.carrier_canonical(name.upper()) == name
        assert reference.carrier_canonical(name.lower()) == name


def test_confirmed_delivery_reference() -> None:
    countries = reference.confirmed_delivery_countries()
    assert countries == ("FR", "DE", "GB", "US") and countries is reference.confirmed_delivery_countries()
    assert reference.confirmed_delivery_carriers("US") == tuple(US_CARRIERS)
    assert reference.confirmed_delivery_carriers("us") == reference.confirmed_delivery_carriers(" US ")
    for country in countries:
        carriers = reference.confirmed_delivery_carriers(country)
        assert carriers, country  # every confirmed-delivery country can be fulfilled
        assert all(reference.carrier_canonical(c) == c for c in carriers), country  # all accepted spellings
        assert reference.confirmed_delivery_extra_info(country) == {"WishPost": QUALIFIED}
        assert set(reference.confirmed_delivery_extra_info(country)) <= set(carriers)
    for country in ("CN", "CA", "JP", "XX", ""):
        assert reference.confirmed_delivery_carriers(country) == ()
        assert reference.confirmed_delivery_extra_info(country) == {}
    # a caller may change its copy of extra_info without changing the table
    reference.confirmed_delivery_extra_info("US").clear()
    assert reference.confirmed_delivery_extra_info("US") == {"WishPost": QUALIFIED}
    assert set(data_file("confirmed_delivery.json")["carriers"]) == set(countries)


def test_carriers_without_tracking() -> None:
    free = reference.carriers_without_tracking()
    assert isinstance(free, frozenset) and free is reference.carriers_without_tracking()
    assert free == frozenset(data_file("carriers.json")["without_tracking"]) == frozenset()  # the docs name none
    assert free <= set(reference.accepted_carriers())


# ---- the endpoints ------------------------------------------------------------------------------------

@pytest.mark.parametrize("prefix", ["/api/v2/", "/v2/"])
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_shipping_carriers(wish: Wish, method: str, prefix: str) -> None:
    data = wish.ok(prefix + CARRIERS, method)
    assert data == {"shipping_carriers": list(reference.accepted_carriers())}


@pytest.mark.parametrize("path", COUNTRIES)
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_confirmed_delivery_countries(wish: Wish, method: str, path: str) -> None:
    assert wish.ok(path, method) == {"countries": ["FR", "DE", "GB", "US"]}
    assert wish.ok("/v2/" + path, method) == {"countries": ["FR", "DE", "GB", "US"]}


@pytest.mark.parametrize("path", FOR_COUNTRY)
@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("country", ["US", "'US'", '"US"', "us", " 'us' ", "FR", "DE", "GB", "gb"])
def test_carriers_for_a_confirmed_delivery_country(wish: Wish, method: str, path: str, country: str) -> None:
    data = wish.ok(path, method, country_code=country)
    assert data == {"carriers": US_CARRIERS, "extra_info": {"WishPost": QUALIFIED}}


@pytest.mark.parametrize("path", FOR_COUNTRY)
@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("country", ["CN", "CA", "'JP'", "br", "AQ"])
def test_carriers_for_a_country_without_confirmed_delivery(wish: Wish, method: str, path: str, country: str
                                                           ) -> None:
    r = wish.call(path, method, country_code=country)
    assert r.status_code == 200 and r.json() == NOT_REQUIRED


def test_the_docs_curl_with_quotes_in_every_transport(client: TestClient) -> None:
    """country_code='US' as the docs' curl sends it, in a raw form body, a query string, JSON and multipart."""
    path = "/api/v2/" + FOR_COUNTRY[0]
    want = {"carriers": US_CARRIERS, "extra_info": {"WishPost": QUALIFIED}}
    answers = [
        client.post(path, content=f"country_code='US'&access_token={DEFAULT_TOKEN}".encode(),
                    headers={"content-type": "application/x-www-form-urlencoded"}),
        client.get(f"{path}?country_code='US'&access_token={DEFAULT_TOKEN}"),
        client.post(path, json={"country_code": "'US'", "access_token": DEFAULT_TOKEN}),
        client.post(path, files={"country_code": (None, "'US'"), "access_token": (None, DEFAULT_TOKEN)}),
        client.post(path, data={"country_code": "US"}, headers={"Authorization": f"Bearer {DEFAULT_TOKEN}"}),
    ]
    for r in answers:
        assert r.status_code == 200 and r.json()["data"] == want, r.text


def test_same_answers_for_every_merchant(wish: Wish, other: Wish) -> None:
    for path, params in ((CARRIERS, {}), (COUNTRIES[0], {}), (FOR_COUNTRY[1], {"country_code": "GB"})):
        assert wish.ok(path, **params) == other.ok(path, **params)


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_xml(wish: Wish, method: str) -> None:
    r = wish.call(CARRIERS, method, format="xml")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/xml")
    assert [e.text for e in xml_data(r.text).iterfind("shipping_carriers/item")] == list(reference.accepted_carriers())
    for path in COUNTRIES:
        r = wish.call(path, method, format="xml")
        assert [e.text for e in xml_data(r.text).iterfind("countries/item")] == ["FR", "DE", "GB", "US"]
    for path in FOR_COUNTRY:
        data = xml_data(wish.call(path, method, format="XML", country_code="'US'").text)
        assert [e.text for e in data.iterfind("carriers/item")] == US_CARRIERS
        assert data.findtext("extra_info/WishPost") == QUALIFIED
        data = xml_data(wish.call(path, method, format="xml", country_code="CN").text)
        carriers, extra = data.find("carriers"), data.find("extra_info")
        assert carriers is not None and len(carriers) == 0 and extra is not None and len(extra) == 0


# ---- the docs' examples ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("path", "params", "expected"), [pytest.param(p, q, e, id=name)
                                                           for name, p, q, e in DOC_EXAMPLES])
def test_doc_example(client: TestClient, path: str, params: dict[str, str], expected: dict[str, Any]) -> None:
    for url in ("/api/v2/" + path, "/api/v2/" + ALIASES[path] if path in ALIASES else None):
        if url is None:
            continue
        r = client.post(url, data=params)
        assert r.status_code == 200, (url, r.text)
        info: list[str] = []
        assert compare(expected, r.json(), info) == [], url
        assert info == [], (url, info)  # no key beyond the documented ones
        if path == CARRIERS:  # the example's list is cut above; every name it shows is served
            assert set(expected["data"]["shipping_carriers"]) <= set(r.json()["data"]["shipping_carriers"])
        else:  # the values the docs print are the ones served
            assert r.json() == expected, url


def test_doc_example_for_a_country_without_confirmed_delivery(wish: Wish) -> None:
    r = wish.call(FOR_COUNTRY[0], country_code="CN")
    info: list[str] = []
    assert compare(NOT_REQUIRED, r.json(), info) == [] and info == [] and r.json() == NOT_REQUIRED


# ---- errors ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", FOR_COUNTRY)
@pytest.mark.parametrize("value", [None, "", "   ", "''", '""'])
def test_missing_country_code(wish: Wish, path: str, value: str | None) -> None:
    for method in ("GET", "POST"):
        body = wish.err(path, 1001, 400, method, country_code=value)
        assert body == {"code": 1001, "data": "country_code", "message": message("missing_param",
                                                                                 param="country_code")}


@pytest.mark.parametrize("path", FOR_COUNTRY)
@pytest.mark.parametrize(("value", "shown"), [
    ("XX", "XX"), ("'XX'", "XX"), ("USA", "USA"), ("U", "U"), ("UK", "UK"), ("1", "1"), ("U S", "U S"),
    ("ÜS", "ÜS"), ("''''", "''"), ("'US", "'US"), ("US,CA", "US,CA"), ("United States", "United States"),
])
def test_invalid_country_code(wish: Wish, path: str, value: str, shown: str) -> None:
    for method in ("GET", "POST"):
        body = wish.err(path, 1000, 400, method, country_code=value)
        assert body == {"code": 1000, "data": {},
                        "message": message("invalid_param", value=shown, param="country_code")}
        assert body["message"] == f"{shown} is an invalid country_code"


@pytest.mark.parametrize("locale", ["zh", "fr", "de"])
def test_errors_follow_locale(wish: Wish, locale: str) -> None:
    body = wish.err(FOR_COUNTRY[0], 1000, 400, country_code="XX", locale=locale)
    assert body["message"] == message("invalid_param", locale, value="XX", param="country_code")
    body = wish.err(FOR_COUNTRY[1], 1001, 400, locale=locale)
    assert body["message"] == message("missing_param", locale, param="country_code")


def test_error_as_xml(wish: Wish) -> None:
    r = wish.call(FOR_COUNTRY[0], format="xml", country_code="XX")
    assert r.status_code == 400 and r.headers["content-type"].startswith("application/xml")
    root = ET.fromstring(r.text)
    assert root.findtext("code") == "1000"
    assert root.findtext("message") == message("invalid_param", value="XX", param="country_code")


@pytest.mark.parametrize("path", ALL_PATHS)
def test_insufficient_scope(client: TestClient, path: str) -> None:
    refused = Wish(client, minted_token(client, ["products:read"]))
    body = refused.err(path, 4000, 401, country_code="US")
    assert body == {"code": 4000, "data": {}, "message": message("insufficient_scope")}
    assert refused.call(path, "GET", country_code="US", locale="zh").json()["message"] == message(
        "insufficient_scope", "zh")
    assert Wish(client, minted_token(client, ["orders:read"])).ok(path, country_code="US")


@pytest.mark.parametrize("path", ALL_PATHS)
def test_unauthenticated(wish: Wish, path: str) -> None:
    for token in ("", "nope"):
        body = wish.err(path, 4000, 401, token=token, country_code="US")
        assert body == {"code": 4000, "data": {}, "message": message("unauthorized")}


@pytest.mark.parametrize("path", ALL_PATHS)
def test_malformed_input_never_500(client: TestClient, path: str) -> None:
    url = "/api/v2/" + path
    for value in ("\x00", "x" * 5000, "'", '"', "'\"US\"'", "%", "🇺🇸", "US\x00", ["US"], 1, None, {"a": 1}):
        payload = {"access_token": DEFAULT_TOKEN, "country_code": value}
        check_answer(client.post(url, json=payload), (path, value))
        if isinstance(value, str):
            check_answer(client.post(url, data=payload), (path, value))
            check_answer(client.get(url, params=payload), (path, value))
    for raw in (b"{not json", b"[1]", b"\xff\xfe"):
        assert_envelope_error(client.post(url, content=raw, headers={"content-type": "application/json"}))


def test_openapi_declares_scope_and_tag(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in ALL_PATHS:
        for method in ("get", "post"):
            op = paths["/api/v2/" + path][method]
            assert op["x-wish-scope"] == "orders:read" and op["tags"] == ["Fulfillment"], (path, method)
    for path in FOR_COUNTRY:
        params = {p["name"]: p for p in paths["/api/v2/" + path]["get"]["parameters"]}
        assert params["country_code"]["required"] is True
        assert paths["/api/v2/" + path]["post"]["requestBody"]["content"][
            "application/x-www-form-urlencoded"]["schema"]["required"] == ["country_code"]
